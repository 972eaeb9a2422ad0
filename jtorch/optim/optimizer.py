"""torch.optim.Optimizer: param_groups, per-parameter state, state_dict, hooks, zero_grad.

The built-in optimizers (``_FusedOptimizer`` subclasses) update every parameter of a group in
one jitted call of a pure rule from ``_functional`` (parameters, gradients, state -> new
parameters, new state), like torch's foreach path but compiled, and write the results back into
the same tensor objects with ``Tensor._write`` so that aliases, ``.data`` handles and the
``_version`` counter behave as after torch's in-place updates. User subclasses of ``Optimizer``
work as in torch with the public tensor API.
"""
from __future__ import annotations

import copy
import functools
import itertools
import math
import warnings
from collections import OrderedDict, defaultdict
from collections.abc import Iterable

import jax
import numpy as np

import jtorch
from .. import _caches, _errors
from .._internal import raw, replace_values_
from ..autograd.graph import RemovableHandle
from . import _functional

__all__ = ["Optimizer", "required", "register_optimizer_step_pre_hook",
           "register_optimizer_step_post_hook"]


class _RequiredParameter:
    """Marks a hyperparameter without a default (torch.optim.optimizer.required)."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()

_global_step_pre_hooks = OrderedDict()
_global_step_post_hooks = OrderedDict()


def register_optimizer_step_pre_hook(hook):
    """A hook run before every optimizer's ``step``: ``hook(optimizer, args, kwargs)``."""
    handle = RemovableHandle(_global_step_pre_hooks)
    _global_step_pre_hooks[handle.id] = hook
    return handle


def register_optimizer_step_post_hook(hook):
    """A hook run after every optimizer's ``step``: ``hook(optimizer, args, kwargs)``."""
    handle = RemovableHandle(_global_step_post_hooks)
    _global_step_post_hooks[handle.id] = hook
    return handle


def _typename(obj):
    """torch.typename: what torch's error messages call an object's type."""
    if isinstance(obj, jtorch.Tensor):
        return obj.type()
    module = getattr(obj, "__module__", "") or ""
    if hasattr(obj, "__qualname__"):
        qualname = obj.__qualname__
    elif hasattr(obj, "__name__"):
        qualname = obj.__name__
    else:
        module = obj.__class__.__module__ or ""
        qualname = obj.__class__.__qualname__
    return qualname if module in ("", "builtins") else f"{module}.{qualname}"


def _scalar_dtype(is_fused=None):
    """The dtype of ``state['step']`` (torch's ``_get_scalar_dtype``)."""
    if is_fused:
        return jtorch.float32
    return jtorch.float64 if jtorch.get_default_dtype() is jtorch.float64 else jtorch.float32


def _hooked(step):
    """Run the global and per-optimizer step hooks around ``step`` (torch patches every
    optimizer class's ``step`` the same way)."""
    @functools.wraps(step)
    def wrapper(self, *args, **kwargs):
        for pre in itertools.chain(_global_step_pre_hooks.values(),
                                   self._optimizer_step_pre_hooks.values()):
            result = pre(self, args, kwargs)
            if result is not None:
                if isinstance(result, tuple) and len(result) == 2:
                    args, kwargs = result
                else:
                    raise RuntimeError(f"{step} must return None or a tuple of (new_args, "
                                       f"new_kwargs), but got {result}.")
        out = step(self, *args, **kwargs)
        for post in itertools.chain(self._optimizer_step_post_hooks.values(),
                                    _global_step_post_hooks.values()):
            post(self, args, kwargs)
        return out
    wrapper.hooked = True
    return wrapper


class Optimizer:
    """Base class of all optimizers: ``params`` is an iterable of tensors, of
    ``(name, tensor)`` pairs, or of dicts (parameter groups with their own options);
    ``defaults`` fills the options a group does not set."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if step is not None and not getattr(step, "hooked", False):
            cls.step = _hooked(step)

    def __init__(self, params, defaults):
        self.defaults = defaults
        self._optimizer_step_pre_hooks = OrderedDict()
        self._optimizer_step_post_hooks = OrderedDict()
        self._optimizer_state_dict_pre_hooks = OrderedDict()
        self._optimizer_state_dict_post_hooks = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks = OrderedDict()
        self._optimizer_load_state_dict_post_hooks = OrderedDict()
        if isinstance(params, jtorch.Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            "Tensors or dicts, but got " + _typename(params))
        self.state = defaultdict(dict)
        self.param_groups = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    # ------------------------------------------------------------------ pickling, printing
    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state,
                "param_groups": self.param_groups}

    def __setstate__(self, state):
        self.__dict__.update(state)
        for name in ("_optimizer_step_pre_hooks", "_optimizer_step_post_hooks",
                     "_optimizer_state_dict_pre_hooks", "_optimizer_state_dict_post_hooks",
                     "_optimizer_load_state_dict_pre_hooks",
                     "_optimizer_load_state_dict_post_hooks"):
            if name not in self.__dict__:
                setattr(self, name, OrderedDict())
        self.defaults.setdefault("differentiable", False)

    def __repr__(self):
        out = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            out += f"\nParameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    out += f"    {key}: {group[key]}\n"
        return out + ")"

    # ------------------------------------------------------------------ hooks
    def register_step_pre_hook(self, hook):
        handle = RemovableHandle(self._optimizer_step_pre_hooks)
        self._optimizer_step_pre_hooks[handle.id] = hook
        return handle

    def register_step_post_hook(self, hook):
        handle = RemovableHandle(self._optimizer_step_post_hooks)
        self._optimizer_step_post_hooks[handle.id] = hook
        return handle

    @staticmethod
    def _add_hook(hooks, hook, prepend):
        handle = RemovableHandle(hooks)
        hooks[handle.id] = hook
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        return handle

    def register_state_dict_pre_hook(self, hook, prepend=False):
        return self._add_hook(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook, prepend=False):
        return self._add_hook(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook, prepend=False):
        return self._add_hook(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook, prepend=False):
        return self._add_hook(self._optimizer_load_state_dict_post_hooks, hook, prepend)

    # ------------------------------------------------------------------ state_dict
    def state_dict(self):
        """``{'state': {index: {...}}, 'param_groups': [{..., 'params': [indices]}]}``.
        As in torch, the per-parameter state dicts (and their tensors) are the live ones,
        not copies."""
        for pre in self._optimizer_state_dict_pre_hooks.values():
            pre(self)
        mapping = {}
        start = 0

        def pack(group):
            nonlocal start
            packed = {k: v for k, v in group.items() if k != "params"}
            mapping.update({id(p): i for i, p in enumerate(group["params"], start)
                            if id(p) not in mapping})
            packed["params"] = [mapping[id(p)] for p in group["params"]]
            start += len(packed["params"])
            return packed
        groups = [pack(g) for g in self.param_groups]
        packed_state = {(mapping[id(k)] if isinstance(k, jtorch.Tensor) else k): v
                        for k, v in self.state.items()}
        sd = {"state": packed_state, "param_groups": groups}
        for post in self._optimizer_state_dict_post_hooks.values():
            result = post(self, sd)
            if result is not None:
                sd = result
        return sd

    @staticmethod
    def _cast_state(param, value, param_id, param_groups, key=None):
        """torch's policy: floating state follows the parameter's dtype and device, except
        ``step`` (kept as is unless the group is fused or capturable)."""
        if isinstance(value, jtorch.Tensor):
            fused = capturable = False
            for pg in param_groups:
                if param_id in pg["params"]:
                    fused = pg.get("fused", False)
                    capturable = pg.get("capturable", False)
                    break
            if key == "step":
                if capturable or fused:
                    return value.to(dtype=jtorch.float32, device=param.device)
                return value
            if param.is_floating_point():
                return value.to(dtype=param.dtype, device=param.device)
            return value.to(device=param.device)
        if isinstance(value, dict):
            return {k: Optimizer._cast_state(param, v, param_id, param_groups, k)
                    for k, v in value.items()}
        if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
            return type(value)(Optimizer._cast_state(param, v, param_id, param_groups)
                               for v in value)
        return value

    def load_state_dict(self, state_dict):
        """Load what ``state_dict()`` returned (possibly from another optimizer over other
        parameters of the same shapes): state follows the parameters by position."""
        state_dict = state_dict.copy()
        for pre in self._optimizer_load_state_dict_pre_hooks.values():
            result = pre(self, state_dict)
            if result is not None:
                state_dict = result
        groups = self.param_groups
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match "
                             "the size of optimizer's group")
        id_map = dict(zip(itertools.chain.from_iterable(g["params"] for g in saved_groups),
                          itertools.chain.from_iterable(g["params"] for g in groups)))
        state = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                param = id_map[k]
                state[param] = self._cast_state(param, v, k, state_dict["param_groups"])
            else:
                state[k] = v

        def update_group(group, new_group):
            new_group["params"] = group["params"]
            if "param_names" in group and "param_names" not in new_group:
                new_group["param_names"] = group["param_names"]
            return new_group
        param_groups = [update_group(g, ng) for g, ng in zip(groups, saved_groups)]
        self.__setstate__({"state": state, "param_groups": param_groups})
        for post in self._optimizer_load_state_dict_post_hooks.values():
            post(self)

    # ------------------------------------------------------------------ groups and grads
    def zero_grad(self, set_to_none=True):
        """Reset gradients: drop them (default) or zero them in place."""
        for group in self.param_groups:
            for p in group["params"]:
                g = p.grad
                if g is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    if g.grad_fn is not None:
                        g.detach_()
                    else:
                        g.requires_grad_(False)
                    g.zero_()

    def step(self, closure=None):
        raise NotImplementedError

    def _step_groups(self, closure):
        """The step of optimizers that update group by group (``_update_group``): the
        closure first (with grad enabled), its loss returned."""
        loss = None
        if closure is not None:
            with jtorch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            self._update_group(group)
        return loss

    def add_param_group(self, param_group):
        """Add a group of parameters (with its own options) to optimize."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, jtorch.Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, "
                            "but the ordering of tensors in sets will change between runs. "
                            "Please use a list instead.")
        else:
            param_group["params"] = list(params)
        tensors, names = [], []
        for param in param_group["params"]:
            if isinstance(param, tuple):
                names.append(param[0])
                tensors.append(param[1])
            else:
                tensors.append(param)
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError("all optimizer params should be with/without names. Some "
                                 "param names are missing")
            param_group["param_names"] = names
        for param in tensors:
            if not isinstance(param, jtorch.Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                + _typename(param))
            if not self.defaults.get("differentiable", None) and \
                    not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError("parameter group didn't specify a value of required "
                                 f"optimization parameter {name}")
            param_group.setdefault(name, default)
        if len(tensors) != len(set(map(id, tensors))):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in "
                          "future, this will cause an error; see "
                          "github.com/pytorch/pytorch/issues/40967 for more information",
                          stacklevel=3)
        seen = set()
        for group in self.param_groups:
            seen.update(map(id, group["params"]))
            if ("param_names" in param_group) != ("param_names" in group):
                txt = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {txt} to the optimizer")
        if not seen.isdisjoint(map(id, tensors)):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)


class _FusedOptimizer(Optimizer):
    """An optimizer whose update is one pure rule of ``_functional``. Subclasses set
    ``_rule`` and ``_writes`` and define ``_flags``, ``_hyper``, ``_state_keys`` and
    ``_init_state``."""

    _rule = None
    # how many in-place kernels torch's update applies to each tensor (its _version bumps)
    _writes = {}
    # state entries created by the first update rather than at initialisation
    _lazy_keys = ()

    def _flags(self, group):
        """Static options (a hashable tuple of pairs): a change recompiles."""
        raise NotImplementedError

    def _hyper(self, group):
        """Traced hyperparameters (floats): a change does not recompile."""
        raise NotImplementedError

    def _state_keys(self, group):
        raise NotImplementedError

    def _init_state(self, p, group, state):
        pass

    def _param_writes(self, group):
        return 1

    def _check_group(self, group):
        if group.get("differentiable"):
            raise NotImplementedError("jtorch optimizers do not support differentiable=True")

    def step(self, closure=None):
        """One update of every parameter that has a gradient; ``closure`` re-evaluates the
        loss (with grad enabled) and its value is returned."""
        return self._step_groups(closure)

    def _update_group(self, group):
        self._check_group(group)
        params = [p for p in group["params"] if p.grad is not None]
        if not params:
            return
        keys = self._state_keys(group)
        states = None
        if keys:
            states = []
            for p in params:
                st = self.state[p]
                if len(st) == 0:
                    self._init_state(p, group, st)
                states.append(st)
            lazy = self._lazy_keys
            # a missing key raises KeyError as in torch, except buffers born on first use
            state_vals = tuple(tuple(None if k in lazy and st.get(k) is None else raw(st[k])
                                     for k in keys) for st in states)
        else:
            state_vals = ((),) * len(params)
        grads = []
        for p in params:
            g = p.grad
            if g.is_sparse:
                raise RuntimeError(f"{type(self).__name__} does not support sparse gradients")
            grads.append(raw(g))
        fn = _functional.compiled(type(self)._rule, self._flags(group))
        new_params, new_states = fn(tuple(raw(p) for p in params), tuple(grads),
                                    state_vals, _hyper_array(self._hyper(group)),
                                    _functional.zero())
        # the new values are all computed: write them back in full even if a Ctrl-C lands
        # here (a half-written step would mix two steps' parameters and state)
        n_param_writes = self._param_writes(group)
        steps = [functools.partial(replace_values_, p, a, n_param_writes)
                 for p, a in zip(params, new_params)]
        if keys:
            steps += [functools.partial(self._write_state, p, st, k, a)
                      for p, st, arrays in zip(params, states, new_states)
                      for k, a in zip(keys, arrays)]
        _errors.run_all(steps)

    def _write_state(self, p, st, k, a):
        t = st.get(k)
        if t is None:
            # a buffer born on this step (SGD's momentum): a fresh tensor, version 0
            t = jtorch.empty_like(p.grad)
            replace_values_(t, a)
            st[k] = t.clone()
            return
        replace_values_(t, a, self._writes.get(k, 1))


_HYPER = _caches.bounded("optimizer hyperparameters", _caches.OPTIM_HYPER)


def _hyper_array(values):
    """The traced hyperparameters as a device array, one per distinct tuple of values (a
    NumPy argument would be copied to the device on every step)."""
    key = tuple(values)
    if 0.0 in key:      # 0.0 == -0.0: the sign of a zero is part of the value
        key += tuple(math.copysign(1.0, v) for v in key)
    arr = _HYPER.get(key)
    if arr is None:
        arr = _HYPER.put(key, jax.device_put(np.asarray(values, dtype=np.float64)))
    return arr
