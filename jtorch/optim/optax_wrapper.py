"""``jtorch.optim.Optax``: any optax ``GradientTransformation`` as a ``torch.optim.Optimizer``
(a jtorch extension; torch has no such class).

Each parameter group owns one optax state pytree, created when the group is added. Its leaves
live as jtorch tensors in ``optimizer.state["optax_group_<i>"]`` (``{"leaves": [...], "paths":
[...]}``), so ``state_dict()`` / ``torch.save`` / ``torch.load`` / ``load_state_dict()`` carry it
like any optimizer state; the tree structure itself is rebuilt from the transform's ``init``.

A step is one jitted call per group: parameters, gradients and state leaves in, new parameters
and state leaves out, written back into the same tensors with version bumps (as the built-in
optimizers do). The optax parameter tree of a group is a list of its parameters' arrays in
group order, or ``{name: array}`` for a group built from ``named_parameters()``.

Hyperparameters of an ``optax.inject_hyperparams`` transform appear as group options (the
first injected state of the tree, depth first): ``learning_rate`` as ``lr``, the others under
their optax names. Writing one (by hand or with an ``lr_scheduler``) changes the injected
value at the next step, without recompiling.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import optax

import jtorch
from .. import _caches
from .._internal import from_raw, raw, replace_values_
from .optimizer import Optimizer, _hyper_array, required

__all__ = ["Optax"]

_INJECTED = (optax.InjectHyperparamsState, optax.InjectStatefulHyperparamsState)
_JITTED_PER_OPTIMIZER = 32
# optax's name for a hyperparameter -> the group option that carries it
_GROUP_NAME = {"learning_rate": "lr"}


def _is_injected(x):
    return isinstance(x, _INJECTED)


def _first_injected(state):
    """The first ``inject_hyperparams`` state in the tree (depth first), or None."""
    return next((x for x in jax.tree_util.tree_leaves(state, is_leaf=_is_injected)
                 if _is_injected(x)), None)


def _state_key(index):
    return f"optax_group_{index}"


def _python_scalar(a):
    """An injected scalar as a group option: the shortest Python number that rounds to it
    (float32 0.01 reads back as 0.01, not 0.009999999776)."""
    v = np.asarray(a)
    if np.issubdtype(v.dtype, np.floating):
        return float(str(v.item() if v.dtype == np.float64 else v[()]))
    return v.item()


class _GroupPlan:
    """What a group's jitted update needs to know about its optax state tree."""

    def __init__(self, transform, treedef, paths, hyper_names, container, rebuild=None):
        self.transform = transform
        self.rebuild = rebuild          # None, or traced hyperparameters -> the transform
        self.treedef = treedef          # the optax state's tree structure
        self.paths = paths              # key paths of its leaves, for load_state_dict checks
        self.hyper_names = hyper_names  # optax names of the injected scalars, in order
        self.container = container      # None: a list of parameters; else the names


class Optax(Optimizer):
    """Wraps an optax ``GradientTransformation`` (or ``GradientTransformationExtraArgs``).

    ``transform`` applies to every group that does not carry its own ``"transform"`` option.
    Parameters without a gradient are left as they are, and so is their part of the state
    (the transform still sees a zero gradient for them: state shared by all parameters of
    the group, such as a step count or a global norm, does advance).
    """

    def __init__(self, params, transform=required):
        if transform is not required:
            _check_transform(transform)
        self._start(params, {"transform": transform})

    def _start(self, params, defaults):
        self._plans = []        # per group: its transform and state structure
        # (transform, structure, gradient mask) -> jitted update; bounded, as a named
        # optimizer's option changed every step (cycle_momentum) makes a new transform each
        self._jitted = _caches.Bounded(_JITTED_PER_OPTIMIZER)
        Optimizer.__init__(self, params, defaults)

    def __setstate__(self, state):
        super().__setstate__(state)
        if "_plans" not in self.__dict__:
            # unpickled or deep-copied: the plans (functions, jitted code) are rebuilt
            self._jitted, self._plans = _caches.Bounded(_JITTED_PER_OPTIMIZER), []
            for group in self.param_groups:
                self._plans.append(self._init_group(group, self._transform_for(group))[0])

    # ------------------------------------------------------------------ groups and state
    def _transform_for(self, group):
        """The transform of ``group`` (subclasses build it from the group's options)."""
        return group["transform"]

    def _rebuild_for(self, group):
        """None, or (hyperparameter names, concrete values, ``rebuild``): the transform is
        rebuilt inside the jitted update from the group's values passed as weakly typed
        scalars, which round exactly as the Python floats they stand for."""
        return None

    def _traced_values(self, group, names):
        raise NotImplementedError

    def add_param_group(self, param_group):
        super().add_param_group(param_group)
        group = self.param_groups[-1]
        transform = self._transform_for(group)
        _check_transform(transform)
        plan, state = self._init_group(group, transform)
        self._plans.append(plan)
        self._set_leaves(len(self.param_groups) - 1, jax.tree_util.tree_leaves(state),
                         group["params"][0].device)
        self._expose_hyper(group, plan, state)

    def _init_group(self, group, transform):
        container = tuple(group["param_names"]) if "param_names" in group else None
        tree = _tree([raw(p) for p in group["params"]], container)
        rebuilt = self._rebuild_for(group)
        # the state from the group's own values (optax may keep one, e.g. schedule-free's b1)
        state = (transform if rebuilt is None else rebuilt[2](rebuilt[1])).init(tree)
        path_leaves, treedef = jax.tree_util.tree_flatten_with_path(state)
        paths = [jax.tree_util.keystr(path) for path, _ in path_leaves]
        if rebuilt is not None:
            return _GroupPlan(transform, treedef, paths, rebuilt[0], container,
                              rebuilt[2]), state
        injected = _first_injected(state)
        names = () if injected is None else \
            tuple(k for k, v in injected.hyperparams.items() if jnp.ndim(v) == 0)
        return _GroupPlan(transform, treedef, paths, names, container), state

    def _expose_hyper(self, group, plan, state):
        """The injected scalars become group options, unless the group already sets them."""
        if plan.rebuild is not None:
            return          # the options are the group's own already
        injected = _first_injected(state)
        for name in plan.hyper_names:
            group.setdefault(_GROUP_NAME.get(name, name),
                             _python_scalar(injected.hyperparams[name]))

    def _set_leaves(self, index, arrays, device):
        plan = self._plans[index]
        self.state[_state_key(index)] = {
            "leaves": [from_raw(jnp.asarray(a), device) for a in arrays],
            "paths": list(plan.paths)}

    def _plan_for(self, index, group):
        """The group's plan, rebuilt when its transform changed (a named optimizer's static
        option, or a new ``group["transform"]``): the state is kept when its structure
        still fits, else the group starts from a fresh state."""
        plan = self._plans[index]
        transform = self._transform_for(group)
        if transform is plan.transform:
            return plan
        _check_transform(transform)
        new_plan, state = self._init_group(group, transform)
        self._plans[index] = new_plan
        if new_plan.treedef != plan.treedef:
            self._set_leaves(index, jax.tree_util.tree_leaves(state), group["params"][0].device)
        return new_plan

    # ------------------------------------------------------------------ the step
    def step(self, closure=None, **extra_args):
        """One update of every group with at least one gradient; ``closure`` re-evaluates
        the loss (with grad enabled) and its value is returned. ``extra_args`` (numbers or
        tensors) go to a ``GradientTransformationExtraArgs``'s update (e.g. ``value=`` for
        ``optax.contrib.reduce_on_plateau``)."""
        loss = None
        if closure is not None:
            with jtorch.enable_grad():
                loss = closure()
        extras = {k: raw(v) if isinstance(v, jtorch.Tensor) else jnp.asarray(v)
                  for k, v in extra_args.items()}
        for index, group in enumerate(self.param_groups):
            self._update_group(index, group, extras)
        return loss

    def _update_group(self, index, group, extras):
        params = group["params"]
        mask = tuple(p.grad is not None for p in params)
        if not any(mask):
            return
        plan = self._plan_for(index, group)
        leaves = self.state[_state_key(index)]["leaves"]
        grads = []
        for p, has in zip(params, mask):
            if has and p.grad.is_sparse:
                raise RuntimeError("Optax does not support sparse gradients")
            grads.append(raw(p.grad) if has else None)
        hyper = None
        if plan.rebuild is not None:
            hyper = self._traced_values(group, plan.hyper_names)
        elif plan.hyper_names:
            hyper = _hyper_array([float(group[_GROUP_NAME.get(n, n)])
                                  for n in plan.hyper_names])
        fn = self._compiled(plan, mask, tuple(sorted(extras)))
        new_params, new_leaves = fn([raw(p) for p in params], grads,
                                    [raw(t) for t in leaves], hyper, extras)
        for p, a, has in zip(params, new_params, mask):
            if has:
                replace_values_(p, a)
        for t, a in zip(leaves, new_leaves):
            replace_values_(t, a)

    def _compiled(self, plan, mask, extra_names):
        """One jitted update per (transform, gradient mask): cached, so steps never
        retrace (jax.jit re-specialises on shapes and dtypes by itself)."""
        key = (plan.transform, plan.treedef, plan.container, mask, extra_names)
        fn = self._jitted.get(key)
        if fn is None:
            fn = self._jitted.put(key, jax.jit(_make_update(plan, mask)))
        return fn

    # ------------------------------------------------------------------ state_dict
    def state_dict(self):
        """torch's layout; the transforms themselves (functions) are left out: a loading
        optimizer keeps its own."""
        sd = super().state_dict()
        for group in sd["param_groups"]:
            group.pop("transform", None)
        return sd

    def load_state_dict(self, state_dict):
        transforms = [g.get("transform") for g in self.param_groups]
        super().load_state_dict(state_dict)
        for index, (group, transform) in enumerate(zip(self.param_groups, transforms)):
            if transform is not None:
                group.setdefault("transform", transform)
            self._load_group_state(index, group)

    def _load_group_state(self, index, group):
        plan = self._plan_for(index, group)
        saved = self.state.get(_state_key(index))
        if not isinstance(saved, dict) or list(saved.get("paths", ())) != plan.paths:
            raise ValueError(f"loaded state dict does not hold the optax state of parameter "
                             f"group {index} for its transform")
        expected = jax.tree_util.tree_leaves(jax.eval_shape(
            plan.transform.init, _tree([raw(p) for p in group["params"]], plan.container)))
        arrays = []
        for t, want in zip(saved["leaves"], expected):
            a = jnp.asarray(raw(t) if isinstance(t, jtorch.Tensor) else t)
            if a.shape != want.shape:
                raise ValueError(f"loaded optax state of parameter group {index} has a leaf "
                                 f"of shape {a.shape} where {want.shape} is expected")
            arrays.append(a.astype(want.dtype))
        self._set_leaves(index, arrays, group["params"][0].device)


def _check_transform(transform):
    if not (callable(getattr(transform, "init", None))
            and callable(getattr(transform, "update", None))):
        raise TypeError("Optax expects an optax.GradientTransformation, but got "
                        + type(transform).__name__)


def _tree(arrays, container):
    return list(arrays) if container is None else dict(zip(container, arrays))


def _make_update(plan, mask):
    """The pure group update: (params, grads, state leaves, hyperparameters, extra args) ->
    (new params, new state leaves)."""
    container, treedef = plan.container, plan.treedef
    keep = [i for i, has in enumerate(mask) if not has]

    def update(params, grads, leaves, hyper, extras):
        grads = [jnp.zeros_like(p) if g is None else g for p, g in zip(params, grads)]
        state = jax.tree_util.tree_unflatten(treedef, leaves)
        transform = plan.transform
        if plan.rebuild is not None:
            transform = plan.rebuild(hyper)
        elif hyper is not None:
            state = _inject(state, plan.hyper_names, hyper)
        transform = optax.with_extra_args_support(transform)
        tree = _tree(params, container)
        updates, new_state = transform.update(_tree(grads, container), state, tree, **extras)
        new_tree = optax.apply_updates(tree, updates)
        new_params = list(new_tree) if container is None else [new_tree[n] for n in container]
        if keep:
            new_state = _keep_frozen(new_state, state, keep, len(params), container)
        return new_params, jax.tree_util.tree_leaves(new_state)
    return update


def _inject(state, names, hyper):
    """The group's values replace the first injected state's hyperparameters."""
    leaves, treedef = jax.tree_util.tree_flatten(state, is_leaf=_is_injected)
    first = next(i for i, x in enumerate(leaves) if _is_injected(x))
    node = leaves[first]
    hp = dict(node.hyperparams)
    for j, name in enumerate(names):
        hp[name] = hyper[j].astype(jnp.result_type(hp[name]))
    leaves[first] = node._replace(hyperparams=hp)
    return jax.tree_util.tree_unflatten(treedef, leaves)


def _keep_frozen(new_state, old_state, keep, n, container):
    """Every per-parameter subtree of the state (a node shaped like the parameter tree)
    keeps its old entries for the parameters without a gradient."""
    if container is None:
        def shaped(x):
            return type(x) is list and len(x) == n
    else:
        names = set(container)

        def shaped(x):
            return type(x) is dict and set(x) == names
    frozen = set(keep) if container is None else {container[i] for i in keep}

    def merge(new, old):
        if not shaped(new):
            return new
        if container is None:
            return [old[i] if i in frozen else v for i, v in enumerate(new)]
        return {k: old[k] if k in frozen else v for k, v in new.items()}
    return jax.tree_util.tree_map(merge, new_state, old_state, is_leaf=shaped)
