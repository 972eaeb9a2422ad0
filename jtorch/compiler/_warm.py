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
versions bumped. (Measured: ``map(setattr, ...)`` or ``map(list.__setitem__, ...)`` is
slower than a plain loop here; ``operator.attrgetter`` maps are the ones that pay.)
"""
from __future__ import annotations

import operator

import jtorch
from .._storage_tensor import HostStorage
from . import _program, _runner

Tensor = jtorch.Tensor
_ARRAY = operator.attrgetter("array")


class WarmRun:
    """``guard.plan`` run on ``guard``'s storages (module doc)."""

    def __init__(self, guard, run):
        self.guard, self.plan, self.run = guard, guard.plan, run
        self.n_captured = len(guard.storages)
        tree, spec = self.plan.result
        self.single = spec[0][1] if len(spec) == 1 and spec[0][0] == "t" and \
            tree.num_nodes == 1 else None         # (a result that is one tensor)
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
        key = _program.draw_key(self.plan)      # (advances the generator as _execute does)
        if run.keep_key:
            ins.append(key)
        if run.keep_hyper:
            ins += [hyper[k] for k in run.keep_hyper]
        return ins

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
        made = _program.write_new(self.plan, new)     # (by the plan's own bound setters)
        self.guard.patch(made)
        if self.single is not None:
            return Tensor._make(res[0], *self.single)
        return _program.rebuild(self.plan, res)
