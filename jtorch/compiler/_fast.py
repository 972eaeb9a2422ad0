"""The warm call's guard: a cheap proof that the full guard key has not changed.

The full guard (``Compiled.prepare``: survey every slot, describe it, hash the key) is most
of a small training step's Python time. A program is *steady* when running it leaves the
state with the guard key it was called with (a training step: the new ``.grad`` tensors
look like the old ones); that is a static fact of the program, checked once after a run.
After each run of a steady program, the state it left is recorded (``Guard``): a flat list
of every object the key depends on (the module and optimizer containers, their keys and
values, ``training`` flags, ``.grad`` slots, the optimizer groups' static flags) and each
tensor's ``(storage, shape, dtype, requires_grad, view)``. The next call compares them (by
identity; the descriptions by equality), plus the grad mode, what the function's closure
and globals hold, its arguments' descriptions, and that the step counters the program
reads as one (``_program.aliases``) still share one array: all equal means the key is the
recorded program's, so the survey, the key and the lookup are skipped. Anything else (a
new attribute, ``requires_grad_()``, a replaced parameter, another shape, a new scalar)
falls back to the full guard. The record is patched after each fast run rather than
rebuilt: the program's only structural writes are the tensors it creates (``new`` slots).
Every read of the record is a C-level map over lists made once (``Layout``: the recorded
containers, each one itself checked where its parent holds it), not a Python loop per
container or tensor; the run itself is ``_warm.WarmRun`` (the inputs, write-back and
created tensors by prebuilt lists).
"""
from __future__ import annotations

import itertools
import operator

import jtorch
from ..nn.modules.module import Module
from ..optim import optimizer as _optimizer
from . import _runner, _state, _warm

Tensor = jtorch.Tensor
_DESC = operator.attrgetter("_storage", "_shape", "_dtype", "_requires_grad", "_view")
# a state tensor's description by slots alone: where ``_requires_grad`` is a property (the
# tensor's own flag, or a view's base's), its own flag, with the bases' flags compared on
# their own (``Guard.bases``)
_FLAG_SLOT = "_grad_flag" if hasattr(Tensor, "_grad_flag") else "_requires_grad"
_STATE = operator.attrgetter("_storage", "_shape", "_dtype", _FLAG_SLOT, "_view", "_base")
_FLAG = operator.attrgetter(_FLAG_SLOT)
# an argument's description by slots (used where the recorded arguments are no views)
_ARG = operator.attrgetter("_shape", "_dtype", _FLAG_SLOT, "_view", "_base")
_STORAGE = operator.attrgetter("_storage")
_ARRAY = operator.attrgetter("array")
_TENSORS = itertools.repeat(Tensor)
_is = operator.is_
_SCALARS = (int, float, bool, str, type(None))


class Spec:
    """What a guard walks: the submodules, optimizers and tensors reached from the roots."""

    def __init__(self, roots):
        self.mods = [sub for r in roots if isinstance(r, Module)
                     for sub in _state._submodules(r)]
        self.opts = list(_state._optimizers(roots))
        self.tensors = [r for r in roots if isinstance(r, Tensor)]


_MOD_DICTS = operator.attrgetter("_modules", "_buffers", "_parameters")
_TRAINING = operator.attrgetter("training")
_GROUPS = operator.attrgetter("param_groups")
_OSTATE = operator.attrgetter("state")
_PARAMS = operator.itemgetter("params")
_GRAD = operator.attrgetter("_grad")
_VALUES = operator.methodcaller("values")
_chain = itertools.chain.from_iterable


class Layout:
    """The containers a guard enumerates, as the recorded state holds them: the modules'
    ``_modules``/``_buffers``/``_parameters`` dicts, each optimizer's ``param_groups``
    list, its groups' ``params`` lists, its ``state`` dict and the per-parameter state
    dicts, and the parameters whose ``.grad`` is part of the key. ``walk`` reads each
    container's identity where its parent holds it, and each one's contents (every read a
    C-level map over these lists, no Python loop per container)."""

    def __init__(self, spec):
        self.mods, self.opts = spec.mods, spec.opts
        self.groups = list(_chain(map(_GROUPS, self.opts)))
        states = list(map(_OSTATE, self.opts))
        self.dicts = [*_chain(map(_MOD_DICTS, self.mods)), *states,
                      *_chain(map(_VALUES, states))]
        self.lists = [*map(_GROUPS, self.opts), *map(_PARAMS, self.groups)]
        self.sized = self.dicts + self.lists
        # the contents are read from the non-empty ones only (an empty one's length, 0, is
        # compared: most modules' ``_modules`` and ``_buffers``)
        self.full = [d for d in self.dicts if d]
        self.values = dict.values if all(isinstance(d, dict) for d in self.full) else _VALUES
        params = {}             # (a module's non-None parameters, then the groups' params)
        for m in self.mods:
            for p in m._parameters.values():
                if p is not None:
                    params.setdefault(id(p), p)
        for ps in self.lists[len(self.opts):]:
            for p in ps:
                params.setdefault(id(p), p)
        self.params = list(params.values())


def walk(layout):
    """The objects the guard key depends on, flat, read through ``layout``'s recorded
    containers: each container where its parent holds it (a module's dicts, an optimizer's
    groups list and state dict, a group's params list), then every container's keys and
    values, then the ``.grad`` of each parameter. Sound because every recorded container
    is itself in the list (where its parent holds it), and the containers' lengths are
    compared too (``lengths``), so a shifted boundary shows as a mismatch."""
    return [*_chain(map(_MOD_DICTS, layout.mods)), *map(_GROUPS, layout.opts),
            *map(_OSTATE, layout.opts), *map(_PARAMS, layout.groups),
            *_chain(layout.full), *_chain(map(layout.values, layout.full)),
            *_chain(layout.lists), *map(_GRAD, layout.params)]


def lengths(layout):
    """Each recorded container's length, and each module's ``training`` flag."""
    return [*map(len, layout.sized), *map(_TRAINING, layout.mods)]


def eligible(plan, call, args):
    """Whether a call like this one can take the fast path: its arguments are tensors of
    their own (not captured state, not one storage twice) and plain scalars, and a program
    that records a backward node creates no state."""
    tensors = []
    for a in args:
        if isinstance(a, Tensor):
            tensors.append(a)
        elif not isinstance(a, _SCALARS + (jtorch.dtype, jtorch.device)):
            return False
    mine = call.storages[call.n_captured:]
    if len(mine) != len(tensors) or any(a._storage is not st for a, st in zip(tensors, mine)):
        return False
    return getattr(plan, "bwd", None) is None or \
        not any(kind == "new" for _, kind, _ in plan.slot_plan)


def flags(spec):
    """Each fused optimizer group's static flags (the branches its traced update took)."""
    out = []
    for o in spec.opts:
        fn = getattr(o, "_flags", None)
        for g in o.param_groups if fn is not None else ():
            try:
                out.append(fn(g))
            except (NotImplementedError, KeyError, TypeError):    # (not a fused rule)
                out.append(None)
    return out


class Guard:
    """The state a steady program left, as the next call must find it (module doc)."""

    def __init__(self, plan, spec, call, args, root_src, owner):
        self.plan, self.spec, self.root_src = plan, spec, root_src
        self.grad = jtorch.is_grad_enabled()
        n_captured = call.n_captured
        self.storages = call.storages[:n_captured]
        self.captured = {id(st) for st in self.storages}
        self.layout = Layout(spec)
        self.objs = walk(self.layout)
        self.lengths = lengths(self.layout)
        self.flags = flags(spec)
        # each tensor once (a parameter is in its module, its optimizer group and state)
        first = {}
        for i, o in enumerate(self.objs + spec.tensors):
            if isinstance(o, Tensor):
                first.setdefault(id(o), i)
        every = self.objs + spec.tensors
        self.tensors = [every[i] for i in first.values()]
        self.descs = list(map(_STATE, self.tensors))
        self.bases = [t._base for t in self.tensors if t._base is not None]
        self.base_flags = list(map(_FLAG, self.bases))
        self.args = [(_DESC(a)[1:], ) if isinstance(a, Tensor) else _py_key(a) for a in args]
        self.is_tensor = [isinstance(a, Tensor) for a in args]
        # tensors of their own, none a view (whose requires_grad reads its base): compared
        # by their slots in one map (any view or alias then differs in ``_view``/``_base``)
        self.all_tensors = all(isinstance(a, Tensor) and a._view is None and a._base is None
                               for a in args)
        self.arg_descs = list(map(_ARG, args)) if self.all_tensors else None
        where = [i for i, t in enumerate(self.is_tensor) if t]
        self.arg_tensors = operator.itemgetter(*where) if len(where) > 1 else \
            (lambda args: (args[where[0]],)) if where else (lambda args: ())
        self.alias_k = [k for k, _ in plan.aliases]
        self.alias_r = [r for _, r in plan.aliases]
        self.patches = self._patches(plan, {p: j for j, p in enumerate(first.values())})
        # a created tensor also held elsewhere (so not first in ``tensors``) cannot be
        # patched in full: such a state keeps taking the full guard
        self.ok = all(dpos or not pos for pos, dpos, _ in self.patches)
        # storage index -> the tensor a gradient flows to: the captured ones (the
        # arguments' are found per call)
        self.owner = {i: t for i, t in owner.items() if i < n_captured}
        self.hyper = []             # per optimizer group: (its values, hyper array or None)
        self.warm = None            # the prebuilt run (``_warm.WarmRun``), made on first use

    def run(self, args):
        """A call that ``matches`` recognised, on the recorded state (a program that
        records no backward node): its result."""
        warm = self.warm
        if warm is None:
            n_hyper = len(self.hyper_arrays())
            warm = self.warm = _warm.WarmRun(self, _runner.runner(
                self.plan, len(self.storages) + sum(self.is_tensor), n_hyper))
        return warm(args)

    def _patches(self, plan, tslot):
        """Per ``new`` slot of the plan: (its positions in ``objs``, in ``tensors``, its
        storage index). The tensors the last run created are found by identity (each one
        is in its own slot only)."""
        index = {id(st): i for i, st in enumerate(self.storages)}
        out = []
        for s, _, _ in plan.new_slots:
            t = _state.read(s)
            pos = [i for i, o in enumerate(self.objs) if o is t]
            out.append((pos, [tslot[p] for p in pos if p in tslot],
                        index.get(id(t._storage)) if isinstance(t, Tensor) else None))
        return out

    def matches(self, args, root_src):
        """Whether this call finds the recorded state (then the key is the plan's)."""
        if jtorch.is_grad_enabled() is not self.grad or len(args) != len(self.args):
            return False
        if root_src is not None and not _same(root_src, self.root_src):
            return False
        if self.all_tensors:                # (the common case: no Python loop per argument)
            if not all(map(isinstance, args, _TENSORS)) or \
                    list(map(_ARG, args)) != self.arg_descs:
                return False
        elif not self._each_matches(args):
            return False
        mine = list(map(_STORAGE, self.arg_tensors(args)))
        if len(set(map(id, mine))) != len(mine) or not self.captured.isdisjoint(map(id, mine)):
            return False                # (an argument's storage: its own, once)
        st = self.storages
        if self.alias_k and not _same(list(map(_ARRAY, map(st.__getitem__, self.alias_k))),
                                      list(map(_ARRAY, map(st.__getitem__, self.alias_r)))):
            return False                # (the shared counters still share one array)
        try:
            if lengths(self.layout) != self.lengths or not _same(walk(self.layout), self.objs):
                return False
        except (KeyError, TypeError, AttributeError):   # (a group without "params", ...)
            return False
        if list(map(_STATE, self.tensors)) != self.descs or \
                (self.bases and list(map(_FLAG, self.bases)) != self.base_flags):
            return False
        return flags(self.spec) == self.flags

    def patch(self, new_tensors):
        """The record after a run: the tensors the program created take their slots."""
        objs, descs, tensors = self.objs, self.descs, self.tensors
        storages, captured = self.storages, self.captured
        rebase = bool(self.bases)
        for (pos, dpos, si), t in zip(self.patches, new_tensors):
            for p in pos:
                objs[p] = t
            if dpos:
                d = _STATE(t)
                rebase = rebase or d[5] is not None
                for p in dpos:
                    descs[p] = d
                    tensors[p] = t
            if si is not None:
                captured.discard(id(storages[si]))
                st = storages[si] = t._storage
                captured.add(id(st))
                if self.warm is not None and si in self.warm.bound:
                    self.warm.bind()
        if rebase:          # (a created view: its base's flag is part of the record)
            self.bases = [t._base for t in tensors if t._base is not None]
            self.base_flags = list(map(_FLAG, self.bases))

    def _each_matches(self, args):
        """The arguments' descriptions, one by one (a scalar or view argument)."""
        for a, want, t in zip(args, self.args, self.is_tensor):
            if t:
                if not isinstance(a, Tensor) or _DESC(a)[1:] != want[0]:
                    return False
            elif isinstance(a, Tensor) or _py_key(a) != want:
                return False
        return True

    def owners(self, args):
        """The storage index -> tensor map of a program that records a backward node."""
        owner = dict(self.owner)
        i = len(self.storages)
        for a in args:
            if isinstance(a, Tensor):
                if a._requires_grad:
                    owner[i] = a
                i += 1
        return owner

    def hyper_arrays(self):
        """Each optimizer group's hyperparameter array (``_state.hyper_values``, then
        ``_optimizer._hyper_array``), recomputed only for a group whose values changed (a
        scheduler's new lr)."""
        out, k, cache = [], 0, self.hyper
        for o in self.spec.opts:
            fn = getattr(o, "_hyper", None)
            for g in o.param_groups:
                vals = list(g.values())
                if k == len(cache):
                    cache.append(None)
                c = cache[k]
                if c is None or not _same(vals, c[0]):
                    c = cache[k] = vals, _hyper_of(fn, g)
                if c[1] is not None:
                    out.append(c[1])
                k += 1
        return out


def _hyper_of(fn, group):
    try:
        return _optimizer._hyper_array(tuple(float(v) for v in fn(group)))
    except (NotImplementedError, TypeError):
        return None


def _same(a, b):
    return len(a) == len(b) and all(map(_is, a, b))


def _py_key(x):
    if isinstance(x, _SCALARS):
        return type(x), x
    if isinstance(x, (jtorch.dtype, jtorch.device)):
        return x
    return type(x), id(x)
