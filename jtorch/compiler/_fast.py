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
"""
from __future__ import annotations

import operator

import jtorch
from ..nn.modules.module import Module
from ..optim import optimizer as _optimizer
from . import _state

Tensor = jtorch.Tensor
_DESC = operator.attrgetter("_storage", "_shape", "_dtype", "_requires_grad", "_view")
# a state tensor's description by slots alone: where ``_requires_grad`` is a property (the
# tensor's own flag, or a view's base's), its own flag, with the bases' flags compared on
# their own (``Guard.bases``)
_FLAG_SLOT = "_grad_flag" if hasattr(Tensor, "_grad_flag") else "_requires_grad"
_STATE = operator.attrgetter("_storage", "_shape", "_dtype", _FLAG_SLOT, "_view", "_base")
_FLAG = operator.attrgetter(_FLAG_SLOT)
_is = operator.is_
_SCALARS = (int, float, bool, str, type(None))


class Spec:
    """What a guard walks: the submodules, optimizers and tensors reached from the roots."""

    def __init__(self, roots):
        self.mods = [sub for r in roots if isinstance(r, Module)
                     for sub in _state._submodules(r)]
        self.opts = list(_state._optimizers(roots))
        self.tensors = [r for r in roots if isinstance(r, Tensor)]


def walk(spec):
    """The objects the guard key depends on, flat. Each container is preceded by itself (a
    separator no content can equal, so a shifted boundary shows as a mismatch). Built by
    tuple unpacking: one C-level extend per container, not one call per object."""
    out = []
    for m in spec.mods:
        mo, bu, pa = m._modules, m._buffers, m._parameters
        out += (m.training, mo, *mo, *mo.values(), bu, *bu, *bu.values(), pa, *pa,
                *pa.values())
        if pa:
            out += [p._grad for p in pa.values() if p is not None]
    for o in spec.opts:
        groups = o.param_groups
        out.append(groups)
        for g in groups:
            ps = g["params"]
            out += (ps, *ps)
            out += [p._grad for p in ps]
        st = o.state
        out += (st, *st)
        for d in st.values():
            out += (d, *d, *d.values())
    out += spec.tensors
    return out


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
        self.objs = walk(spec)
        self.flags = flags(spec)
        # each tensor once (a parameter is in its module, its optimizer group and state)
        first = {}
        for i, o in enumerate(self.objs):
            if isinstance(o, Tensor):
                first.setdefault(id(o), i)
        self.tensors = [self.objs[i] for i in first.values()]
        self.descs = list(map(_STATE, self.tensors))
        self.bases = [t._base for t in self.tensors if t._base is not None]
        self.base_flags = list(map(_FLAG, self.bases))
        self.args = [(_DESC(a)[1:], ) if isinstance(a, Tensor) else _py_key(a) for a in args]
        self.is_tensor = [isinstance(a, Tensor) for a in args]
        self.patches = self._patches(plan, {p: j for j, p in enumerate(first.values())})
        # a created tensor also held elsewhere (so not first in ``tensors``) cannot be
        # patched in full: such a state keeps taking the full guard
        self.ok = all(dpos or not pos for pos, dpos, _ in self.patches)
        # storage index -> the tensor a gradient flows to: the captured ones (the
        # arguments' are found per call)
        self.owner = {i: t for i, t in owner.items() if i < n_captured}
        self.hyper = []             # per optimizer group: (its values, hyper array or None)

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
        seen = set()
        for a, want, t in zip(args, self.args, self.is_tensor):
            if t:
                if type(a) is not Tensor and not isinstance(a, Tensor):
                    return False
                d = _DESC(a)
                if d[1:] != want[0] or id(d[0]) in self.captured or id(d[0]) in seen:
                    return False
                seen.add(id(d[0]))
            elif isinstance(a, Tensor) or _py_key(a) != want:
                return False
        st = self.storages
        for k, r in self.plan.aliases:         # the shared counters still share
            if st[k].array is not st[r].array:
                return False
        objs = walk(self.spec)
        if len(objs) != len(self.objs) or not all(map(_is, objs, self.objs)):
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
        if rebase:          # (a created view: its base's flag is part of the record)
            self.bases = [t._base for t in tensors if t._base is not None]
            self.base_flags = list(map(_FLAG, self.bases))

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
