"""How a traced program is called: flat, pruned, donating (the per-call cost, kept small).

The traced program (``Plan.jaxpr``) takes ``(arrays, key, hyper)``: one array per captured
storage, the random key, the optimizer groups' hyperparameter arrays. Many of them are not
read: a ``.grad`` that ``zero_grad()`` drops, the per-parameter step counters that share one
array (``_program.aliases``), the key of a program that draws nothing. ``Runner`` finds the
inputs the program reads (once, from the jaxpr) and jits a function of those alone, called
with a flat list of arrays (jax's C++ dispatch path: no pytree of Python containers to
flatten, nothing to match for inputs it would drop anyway) that returns a flat list, cut
into (result, changed state, created tensors) by fixed slices.

Donation: the arrays of storages the program overwrites are donated (XLA reuses their
buffers for the new values) when nothing but their storage holds them; a call where
something else still holds one (a clone sharing it, a ``to_jax()`` result) runs the
non-donating executable instead. Both are compiled on first use.

A batch made by ``from_numpy`` lives in a NumPy buffer (``HostStorage``); its read compares
the buffer with the device copy the last read made. For a small buffer ``host_array``
compares bytes with a snapshot instead (one C-level comparison, several times cheaper than
the storage's own check), so a batch reused every epoch costs no copy and no transfer, and
a batch the user rewrote in NumPy is read anew.
"""
from __future__ import annotations

import sys
import weakref

import jax
import jax.numpy as jnp
from jax.extend.core import jaxpr_as_fun

from .._storage_tensor import HostStorage, host_buffer

_ONLY_STORAGE = 3     # references to an array held only by its storage: the storage, the
#                       call's list of inputs, and getrefcount's own argument
_SMALL = 1 << 16      # bytes: a host buffer up to this size is compared by a bytes snapshot
_SNAPSHOTS = weakref.WeakKeyDictionary()   # HostStorage -> (buffer, bytes, array)


def host_array(st):
    """A storage's array; a small ``HostStorage`` through a bytes snapshot (module doc)."""
    if type(st) is not HostStorage:
        return st.array
    buf = host_buffer(st)
    if buf.nbytes > _SMALL or not buf.flags.c_contiguous:
        return st.array
    raw = buf.tobytes()
    snap = _SNAPSHOTS.get(st)
    if snap is not None and snap[0] is buf and snap[1] == raw and not snap[2].is_deleted():
        return snap[2]
    a = st.array                    # the storage's own read: a private device copy
    _SNAPSHOTS[st] = buf, raw, a
    return a


def _used_inputs(jaxpr):
    """Positions of the jaxpr's inputs that an equation or an output reads."""
    read = set()
    for eqn in jaxpr.eqns:
        read.update(id(v) for v in eqn.invars)
    read.update(id(v) for v in jaxpr.outvars)
    return [k for k, v in enumerate(jaxpr.invars) if id(v) in read]


class Runner:
    """``plan``'s program as a flat call on the inputs it reads (module doc)."""

    def __init__(self, plan, n_arrays, n_hyper):
        closed = plan.jaxpr
        invars = closed.jaxpr.invars
        assert len(invars) == n_arrays + 1 + n_hyper, "program inputs: arrays, key, hyper"
        self.keep = keep = _used_inputs(closed.jaxpr)
        self.keep_arrays = [k for k in keep if k < n_arrays]
        self.keep_key = n_arrays in keep
        self.keep_hyper = [k - n_arrays - 1 for k in keep if k > n_arrays]
        avals = [v.aval for v in invars]
        fn = jaxpr_as_fun(closed)

        def pruned(*ins):
            full = [None] * len(avals)
            for k, a in zip(keep, ins):
                full[k] = a
            for k, a in enumerate(full):    # inputs the program does not read
                if a is None:
                    full[k] = jnp.zeros(avals[k].shape, avals[k].dtype)
            return fn(*full)
        self.fn = pruned
        donate = set(plan.donate)
        self.donate = [p for p, k in enumerate(self.keep_arrays) if k in donate]
        self._exes = {}
        res, outs, new = jax.tree_util.tree_unflatten(
            plan.out_tree, list(range(plan.out_tree.num_leaves)))
        assert res + outs + new == list(range(plan.out_tree.num_leaves))
        self.n_res, self.n_out = len(res), len(res) + len(outs)

    def _exe(self, donating):
        exe = self._exes.get(donating)
        if exe is None:
            exe = self._exes[donating] = jax.jit(
                self.fn, donate_argnums=tuple(self.donate) if donating else ())
        return exe

    def inputs(self, storages, key, hyper):
        """The flat inputs the program reads, from the storages in the traced order."""
        return self.add_key_hyper([host_array(st) if type(st) is HostStorage else st.array
                                   for st in map(storages.__getitem__, self.keep_arrays)],
                                  key, hyper)

    def add_key_hyper(self, ins, key, hyper):
        """``ins`` (the storages' arrays) with the key and hyperparameter arrays it reads."""
        if self.keep_key:
            ins.append(key)
        if self.keep_hyper:
            ins += [hyper[k] for k in self.keep_hyper]
        return ins

    def __call__(self, ins):
        """``(result arrays, changed-state arrays, created arrays)``. ``ins`` is consumed:
        the caller must hold no other reference to the donated arrays."""
        donate = self.donate
        donating = bool(donate) and \
            max(map(sys.getrefcount, map(ins.__getitem__, donate))) <= _ONLY_STORAGE
        out = self._exe(donating)(*ins)
        n_res, n_out = self.n_res, self.n_out
        return out[:n_res], out[n_res:n_out], out[n_out:]


def runner(plan, n_arrays, n_hyper):
    """``plan``'s Runner (built once per plan)."""
    r = getattr(plan, "runner", None)
    if r is None:       # (a program over several processes' ranks has its own: _ranks)
        r = plan.runner = getattr(plan, "runner_class", Runner)(plan, n_arrays, n_hyper)
    return r
