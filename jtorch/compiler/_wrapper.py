"""The compiled callable: guard keys, the program cache, graph breaks, recompile limit."""
from __future__ import annotations

import functools
import warnings
import weakref
from typing import NamedTuple

import jax

import jtorch
from .. import _dynamo, _trace
from .._dynamo import exc
from ..optim import optimizer as _optimizer
from ..distributed import _traced
from . import _fast, _program, _ranks, _runner, _state

Tensor = jtorch.Tensor
_ALL = weakref.WeakSet()    # every live compiled callable (reset() clears their caches)
DISABLED = [0]          # > 0 inside torch.compiler.disable'd code
_BREAKS = (jax.errors.JAXTypeError,)


def _py_key(x):
    if isinstance(x, (int, float, bool, str, type(None))):
        return type(x), x
    if isinstance(x, (jtorch.dtype, jtorch.device)):
        return x
    return type(x), id(x)


def _unview(args, kwargs):
    """View arguments that need no gradient become tensors of their own values, so that a
    slice's offset (``x[i * b:(i + 1) * b]`` in a loop) does not key a new program; an
    in-place write to one inside the program is copied back into the view afterwards."""
    views = []

    def own(x):
        if not isinstance(x, Tensor) or x._view is None or \
                (x._requires_grad and jtorch.is_grad_enabled()):
            return x
        copy = Tensor._make(x._value(), x._dtype, x.device)
        views.append((x, copy, copy._storage.version))
        return copy
    if not any(isinstance(x, Tensor) and x._view is not None
               for x in jax.tree_util.tree_leaves((args, kwargs), is_leaf=_is_tensor)):
        return args, kwargs, views
    args, kwargs = jax.tree_util.tree_map(own, (args, kwargs), is_leaf=_is_tensor)
    return args, kwargs, views


def _describe(v, index):
    if isinstance(v, Tensor):
        return v._shape, v._dtype, v._requires_grad, v._view, index[id(v._storage)]
    if v is None or isinstance(v, (int, float, bool, str)):
        return type(v), v
    return (type(v),)


class Call(NamedTuple):
    """One call's view of the state: what it reaches, what it captures, its guard key."""
    roots: list
    storages: list
    key: tuple
    n_captured: int         # storages[:n_captured] are reached from the roots, the rest
    #                         belong to the arguments only


class Compiled:
    """``fn`` run as one XLA program per guard key (see the package doc)."""

    def __init__(self, fn, fullgraph=False, roots=None):
        self.fn = fn
        self.fullgraph = fullgraph
        self._roots = roots
        self.cache = {}         # guard key -> (Plan, storages order) or None (runs eagerly)
        self.compiles = 0       # programs traced (the first one and every recompile)
        self._warned = False
        self._guard = None      # the warm call's fast guard (_fast.Guard), when steady
        self._scan_guard = None     # the same for scan_steps over this step (_scan)
        _ALL.add(self)
        functools.update_wrapper(self, fn, updated=())

    def roots(self, args):
        base = self._roots if self._roots is not None else _state.roots_of(self.fn)
        return list(base) + [a for a in args if _state._is_root(a) and not _is_tensor(a)]

    def __call__(self, *args, **kwargs):
        if DISABLED[0] or _trace.ACTIVE:        # disabled, or nested in a trace: inline
            return self.fn(*args, **kwargs)
        guard = self._guard
        if guard is not None and not kwargs and guard.matches(args, self._root_src()):
            return self._run_fast(guard, args)
        self._guard = None
        given = args, kwargs
        args, kwargs, views = _unview(args, kwargs)
        call = self.prepare(args, kwargs)
        entry = self.entry(call, args, kwargs)
        if entry is None:
            return self.fn(*given[0], **given[1])
        out, _ = self._execute(entry, call.storages, call.roots)
        if not views and not kwargs:
            self._settle(entry, call, args)
        for view, copy, version in views:
            if copy._storage.version != version:       # the program wrote into the input
                with jtorch.no_grad():
                    view.copy_(copy)
        return out

    def prepare(self, args, kwargs):
        """This call's roots, captured storages (slots first, then the inputs) and guard
        key."""
        roots = self.roots(args)
        leaves, _ = jax.tree_util.tree_flatten((args, kwargs), is_leaf=_is_tensor)
        slots, values = _state.survey(roots)
        storages, index, owner, counters = [], {}, {}, []
        n_captured = None
        for k, t in enumerate(values + leaves):
            if k == len(values):
                n_captured = len(storages)
            if isinstance(t, Tensor):
                i = index.setdefault(id(t._storage), len(storages))
                if i == len(storages):
                    storages.append(t._storage)
                    if n_captured is None and not t._shape and t._view is None and \
                            not t._requires_grad:
                        counters.append(i)
                if t._requires_grad and t._view is None and i not in owner:
                    owner[i] = t
        if n_captured is None:
            n_captured = len(storages)
        self._owner = owner     # storage index -> the tensor a gradient flows to
        self._aliases = _program.aliases(storages, counters)
        key = self._key(roots, slots, values, leaves, index) + (self._aliases,)
        return Call(roots, storages, key, n_captured)

    def entry(self, call, args, kwargs):
        """The plan for ``call``'s guard key (traced on a miss), or None: run eagerly."""
        entry = self.cache.get(call.key, False)
        if entry is False:
            entry = self._compile(call.key, args, kwargs, call.roots, call.storages)
        return entry

    def _key(self, roots, slots, values, leaves, index):
        """The guard: grad mode, ``training`` flags, and for every slot and argument what
        it holds (a tensor's storage index, shape, dtype, requires_grad, view-ness)."""
        parts = [jtorch.is_grad_enabled(), _state.modes(roots),
                 tuple(_fast.flags(_fast.Spec(roots)))]    # an optimizer's static flags
        for (kind, obj, name), v in zip(slots, values):
            parts.append((kind, id(obj), name) + _describe(v, index))
        for x in leaves:
            parts.append(_describe(x, index) if isinstance(x, Tensor) else _py_key(x))
        return tuple(parts)

    def _compile(self, key, args, kwargs, roots, storages, grad_inside=None):
        if len(self.cache) >= _dynamo.config.cache_size_limit:
            if not self._warned:
                self._warned = True
                warnings.warn(f"torch._dynamo hit config.cache_size_limit "
                              f"({_dynamo.config.cache_size_limit}): {self._name()} runs "
                              "eagerly from now on for new guards.")
            return None
        restore = _state.snapshot(roots)
        hyper_vals = _state.hyper_values(roots)
        ranks_ok = grad_inside is None      # (a module forward's VJP program runs locally)
        if grad_inside is None:
            grad_inside = jtorch.is_grad_enabled()
        trace = functools.partial(self._make_plan, args, kwargs, roots, storages, hyper_vals,
                                  grad_inside)
        try:
            try:
                plan = trace()
            except _traced.NeedsRanks as e:     # a collective over processes: see _ranks
                restore()
                if not ranks_ok:
                    raise jax.errors.UnexpectedTracerError(str(e)) from None
                plan = trace(e.group)
        except _BREAKS as e:
            restore()
            self._graph_break(e)
            self.cache[key] = None
            return None
        except BaseException:
            restore()           # a real error: raised as eager raises it, state untouched
            raise
        if _state.hyper_values(roots) != hyper_vals:
            restore()           # an LR scheduler stepped inside: a value the program froze
            self._graph_break(None, "changes optimizer hyperparameters in Python (an LR "
                              "scheduler's step() inside it; call it outside)")
            self.cache[key] = None
            return None
        self.compiles += 1
        plan.hyper_vals = hyper_vals
        self.cache[key] = plan
        return plan

    def _make_plan(self, args, kwargs, roots, storages, hyper_vals, grad_inside, group=None):
        """A traced Plan; with ``group``, one SPMD program over its ranks (``_ranks``)."""
        plan = _program.Plan()
        pure = _program.make_pure(self.fn, args, kwargs, roots, storages, hyper_vals, plan,
                                  grad_inside, self._aliases)
        plan.pure, plan.diff = pure, sorted(self._owner)
        arrays = [st.array for st in storages]
        how = _program.trace if group is None else functools.partial(_ranks.trace, group=group)
        return how(pure, arrays, _program.ZERO_KEY, _hyper(hyper_vals), plan)

    def _graph_break(self, e, why="reads a tensor's value in Python"):
        if self.fullgraph:
            raise exc.Unsupported(f"jtorch.compile(fullgraph=True): {self._name()} {why} "
                                  f"(a graph break)" + (f": {type(e).__name__}" if e else "")
                                  ) from None
        if not self._warned:
            self._warned = True
            warnings.warn(f"torch.compile: graph break in {self._name()} (it {why}); its "
                          "calls with these guards run eagerly", UserWarning, stacklevel=4)

    def _name(self):
        return getattr(self.fn, "__qualname__", type(self.fn).__name__)

    def _run(self, plan, storages, roots):
        return self._execute(plan, storages, roots)[0]

    def _execute(self, plan, storages, roots, hyper=None):
        """``plan`` on these storages: (the call's result, the tensors it created).
        ``hyper`` given: a fast-guard call (``_run_fast``)."""
        steady = hyper is not None
        if not steady:
            hyper = _hyper(_state.hyper_values(roots), plan.hyper_vals)
        run = _runner.runner(plan, len(storages), len(hyper))
        ins = run.inputs(storages, _program.draw_key(plan), hyper)
        res, changed, new = _program.execute(run, ins)
        del ins                 # (only the storages hold the donated arrays' successors)
        made = _program.write_back(plan, storages, changed, new, steady)
        return _program.rebuild(plan, res), made

    def _root_src(self):
        return None if self._roots is not None else _state.root_sources(self.fn)

    def _settle(self, plan, call, args):
        """After a full-guard call: whether ``plan`` is steady (checked once per program,
        by the key of the state its run left), and if so the fast guard for the next call."""
        steady = getattr(plan, "steady", None)
        if steady is False or not _fast.eligible(plan, call, args):
            return
        after = self.prepare(args, {})
        if steady is None:
            plan.steady = steady = after.key == call.key
        if steady:
            guard = _fast.Guard(plan, _fast.Spec(after.roots), after, args,
                                self._root_src(), self._owner)
            self._guard = guard if guard.ok else None

    def _run_fast(self, guard, args):
        """A call whose state the fast guard recognised: the recorded program, storages
        and hyperparameter arrays, then the guard patched with the tensors it created."""
        plan = guard.plan
        if getattr(plan, "bwd", None) is None:
            return guard.run(args)      # (_execute's steps by prebuilt lists: _warm)
        storages = guard.storages + [a._storage for a in args if isinstance(a, Tensor)]
        self._owner = guard.owners(args)
        out, made = self._execute(plan, storages, None, guard.hyper_arrays())
        guard.patch(made)
        return out

    def reset(self):
        self.cache.clear()
        self._guard = self._scan_guard = None


def _hyper(values, order=None):
    """The hyperparameter arrays, one per optimizer group in the traced order (new values,
    e.g. a scheduler's lr, are new inputs of the same program)."""
    return [_optimizer._hyper_array(v) for v in values]   # cached device arrays: a NumPy
    # argument costs a host copy per call (~5x a small program's run time)


def _is_tensor(x):
    return isinstance(x, Tensor)
