"""The warm call's run: a steady program on the state its fast guard recognised.

``Compiled._execute`` looks up, per call, what a warm call of a steady program already
knows: the captured storages are the guard's (``Guard.storages``: fixed but for the slots
the program fills with tensors it creates, which ``Guard.patch`` swaps), so the storages
the program reads, the ones it overwrites (with their output and version step) and the
slots it fills are bound once into flat lists (``WarmRun.bind``, again only when a patch
swaps a bound storage). A call is then: the input arrays by one C-level map, the program,
the arrays and version counters written back by one loop over prebuilt lists, one new
tensor per created slot, the result. The effects are ``_execute``'s with ``steady=True``,
step for step: the generator advances as there, the same arrays are donated, the same
versions bumped. One shortcut (``WarmRun._renew``): a created tensor (a step's fresh
``.grad``) goes into the previous call's tensor and storage objects when only jtorch holds
them, which no program can tell from new ones; the guard's record then stays as it is
(measured on seed 004's warm step: ~12% of it, the objects' allocation, freeing and the
record's patch). (Measured: ``map(setattr, ...)`` or ``map(list.__setitem__, ...)`` is
slower than a plain loop here; ``operator.attrgetter`` maps are the ones that pay.)
"""
from __future__ import annotations

import operator
import sys
import weakref

import jtorch
from .._storage_tensor import HostStorage
from .._tensor import Storage
from . import _program, _runner

Tensor = jtorch.Tensor
_ARRAY = operator.attrgetter("array")
# a tensor's slots besides its storage, shape and dtype, and their values in a new tensor
# (``Tensor._make_storage``'s): a created tensor is renewed in place only from this state
_REST = operator.attrgetter(*(s for s in Tensor.__slots__ if s not in
                              ("_storage", "_shape", "_dtype", "__dict__", "__weakref__")))
_NEW = _REST(Tensor._make_storage(Storage(None), (), None))
_refs, _weakrefs = sys.getrefcount, weakref.getweakrefcount
# the references to a created tensor that only jtorch holds, as ``_renew`` counts them: its
# slot (a ``.grad`` or a dict), the record's ``objs`` and ``tensors``, and ``_renew``'s list
# and getrefcount's argument; to its storage: the tensor, the record's ``storages`` and the
# tensor's description there (``Guard.descs``), the list and the argument
_ONLY = 3 + 2


class WarmRun:
    """``guard.plan`` run on ``guard``'s storages (module doc)."""

    def __init__(self, guard, run):
        self.guard, self.plan, self.run = guard, guard.plan, run
        self.n_captured = len(guard.storages)
        tree, spec = self.plan.result
        self.single = spec[0][1] if len(spec) == 1 and spec[0][0] == "t" and \
            tree.num_nodes == 1 else None         # (a result that is one tensor)
        self.renewable = None       # (``_renew``'s plan, made on first use)
        self.bind()

    def bind(self):
        """The flat lists of the guard's current storages (module doc)."""
        st, n, run, plan = self.guard.storages, self.n_captured, self.run, self.plan
        self.reads = [st[k] for k in run.keep_arrays if k < n]
        self.host = any(type(s) is HostStorage for s in self.reads)
        self.arg_reads = [k - n for k in run.keep_arrays if k >= n]
        mine = [(i, o, d) for i, o, d in zip(plan.changed, plan.out_of, plan.deltas) if i < n]
        self.writes = [st[i] for i, _, _ in mine]
        self.write_outs = [o for _, o, _ in mine]
        self.write_deltas = [d for _, _, d in mine]
        self.arg_writes = [(i - n, o, d) for i, o, d in
                           zip(plan.changed, plan.out_of, plan.deltas) if i >= n]
        self.bound = {k for k in run.keep_arrays if k < n} | {i for i, _, _ in mine}

    def inputs(self, args, hyper):
        """``Runner.inputs`` for this call: the same arrays in the same order."""
        run = self.run
        if self.host:
            ins = [_runner.host_array(s) for s in self.reads]
        else:
            ins = list(map(_ARRAY, self.reads))
        if self.arg_reads:
            mine = [a._storage for a in args if isinstance(a, Tensor)]
            ins += [_runner.host_array(mine[j]) for j in self.arg_reads]
        # (the key drawn as _execute draws it: the generator advances alike)
        return run.add_key_hyper(ins, _program.draw_key(self.plan), hyper)

    def __call__(self, args):
        """The call's result; the guard patched with the tensors it created."""
        ins = self.inputs(args, self.guard.hyper_arrays())
        res, changed, new = _program.execute(self.run, ins)
        del ins                 # (only the storages hold the donated arrays' successors)
        for st, o, d in zip(self.writes, self.write_outs, self.write_deltas):
            st.array = changed[o]       # (a plain loop: setattr through map() is slower)
            st.version += d
        if self.arg_writes:
            mine = [a._storage for a in args if isinstance(a, Tensor)]
            for j, o, d in self.arg_writes:
                mine[j].array = changed[o]
                mine[j].version += d
        if not self._renew(new):
            self.guard.patch(_program.write_new(self.plan, new))     # (the plan's setters)
        if self.single is not None:
            return Tensor._make(res[0], *self.single)
        return _program.rebuild(self.plan, res)

    def _renew(self, new):
        """The created tensors (a fresh ``.grad`` per step) written into the previous call's
        tensor and storage objects, when nothing but their slot and the guard's record holds
        them: no other reference, weak reference, attribute, hook, history or version of
        theirs exists (their slots are a new tensor's), so no program can tell them from
        new objects of the same values; the record then needs no patch. Else False."""
        renew = self.renewable
        if renew is None:
            renew = self.renewable = self._renewable()
        if not renew:
            return False
        tensors, storages = self.guard.tensors, self.guard.storages
        olds = [tensors[pt] for pt, _, _ in renew]
        sts = [storages[si] for _, si, _ in renew]
        only = self.only
        if list(map(_refs, olds)) != only or list(map(_refs, sts)) != only or \
                any(map(_weakrefs, olds)) or any(map(_weakrefs, sts)):
            return False
        for t, st in zip(olds, sts):
            if t._storage is not st or type(st) is not Storage or t.__dict__ or \
                    _REST(t) != _NEW:
                return False
        for st, (_, _, j) in zip(sts, renew):
            st.array = new[j]
            st.version = 0
        return True

    def _renewable(self):
        """Per created slot: (its position in the record's tensors, its storage's index, its
        array's index among the created ones); [] where a slot's tensor is not renewable
        (it requires grad, the record holds it twice, the program reads its storage)."""
        out = []
        for (_, _, (j, _, _, rg)), (pos, dpos, si) in zip(self.plan.new_slots,
                                                          self.guard.patches):
            if rg or len(pos) != 1 or len(dpos) != 1 or si is None or si in self.bound:
                return []
            out.append((dpos[0], si, j))
        self.only = [_ONLY] * len(out)
        return out
