"""The compiled callable: guard keys, the program cache, graph breaks, recompile limit."""
from __future__ import annotations

import functools
import warnings
import weakref

import jax

import jtorch
from .. import _dynamo, _trace
from .._dynamo import exc
from ..optim import optimizer as _optimizer
from . import _program, _state

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


class Compiled:
    """``fn`` run as one XLA program per guard key (see the package doc)."""

    def __init__(self, fn, fullgraph=False, roots=None):
        self.fn = fn
        self.fullgraph = fullgraph
        self._roots = roots
        self.cache = {}         # guard key -> (Plan, storages order) or None (runs eagerly)
        self.compiles = 0       # programs traced (the first one and every recompile)
        self._warned = False
        _ALL.add(self)
        functools.update_wrapper(self, fn, updated=())

    def roots(self, args):
        base = self._roots if self._roots is not None else _state.roots_of(self.fn)
        return list(base) + [a for a in args if _state._is_root(a) and not _is_tensor(a)]

    def __call__(self, *args, **kwargs):
        if DISABLED[0] or _trace.ACTIVE:        # disabled, or nested in a trace: inline
            return self.fn(*args, **kwargs)
        roots = self.roots(args)
        leaves, _ = jax.tree_util.tree_flatten((args, kwargs), is_leaf=_is_tensor)
        inputs = [x for x in leaves if _is_tensor(x)]
        slots = _state.slots(roots)
        storages, index, owner = [], {}, {}
        for t in [_state.read(s) for s in slots] + inputs:
            if _is_tensor(t) and id(t._storage) not in index:
                index[id(t._storage)] = len(storages)
                storages.append(t._storage)
            if _is_tensor(t) and t._requires_grad and t._view is None:
                owner.setdefault(index[id(t._storage)], t)
        self._owner = owner     # storage index -> the tensor a gradient flows to
        key = self._key(roots, slots, leaves, index)
        entry = self.cache.get(key, False)
        if entry is False:
            entry = self._compile(key, args, kwargs, roots, storages)
        if entry is None:
            return self.fn(*args, **kwargs)
        return self._run(entry, storages, roots)

    def _key(self, roots, slots, leaves, index):
        parts = [jtorch.is_grad_enabled(), _state.modes(roots)]
        for s in slots:
            v = _state.read(s)
            parts.append((_state.describe(s), index.get(id(v._storage)) if _is_tensor(v)
                          else None))
        for x in leaves:
            if _is_tensor(x):
                parts.append((tuple(x.shape), x.dtype, x._requires_grad, x._view,
                              index[id(x._storage)]))
            else:
                parts.append(_py_key(x))
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
        plan = _program.Plan()
        hyper_vals = _state.hyper_values(roots)
        if grad_inside is None:
            grad_inside = jtorch.is_grad_enabled()
        pure = _program.make_pure(self.fn, args, kwargs, roots, storages, hyper_vals, plan,
                                  grad_inside)
        plan.pure, plan.diff = pure, sorted(self._owner)
        arrays = [st.array for st in storages]
        try:
            _program.trace(pure, arrays, _program.ZERO_KEY, _hyper(hyper_vals), plan)
        except _BREAKS as e:
            restore()
            self._graph_break(e)
            self.cache[key] = None
            return None
        except BaseException:
            restore()           # a real error: raised as eager raises it, state untouched
            raise
        self.compiles += 1
        plan.hyper_vals = hyper_vals
        self.cache[key] = plan
        return plan

    def _graph_break(self, e):
        if self.fullgraph:
            raise exc.Unsupported(f"jtorch.compile(fullgraph=True): {self._name()} reads a "
                                  f"tensor's value in Python (a graph break): "
                                  f"{type(e).__name__}") from None
        if not self._warned:
            self._warned = True
            warnings.warn(f"torch.compile: graph break in {self._name()} (a tensor value "
                          "read in Python); this call runs eagerly", UserWarning, stacklevel=4)

    def _name(self):
        return getattr(self.fn, "__qualname__", type(self.fn).__name__)

    def _run(self, plan, storages, roots):
        arrays = [st.array for st in storages]
        hyper = _hyper(_state.hyper_values(roots), plan.hyper_vals)
        res, changed, new = plan.exe(arrays, _program.draw_key(plan), hyper)
        _program.write_back(plan, storages, changed, new)
        return _program.rebuild(plan, res)

    def reset(self):
        self.cache.clear()


def _hyper(values, order=None):
    """The hyperparameter arrays, one per optimizer group in the traced order (new values,
    e.g. a scheduler's lr, are new inputs of the same program)."""
    return [_optimizer._hyper_array(v) for v in values]   # cached device arrays: a NumPy
    # argument costs a host copy per call (~5x a small program's run time)


def _is_tensor(x):
    return isinstance(x, Tensor)
