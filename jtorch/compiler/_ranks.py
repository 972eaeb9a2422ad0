"""A compiled step whose trace meets a collective over several processes (DDP's gradient
all-reduce): one SPMD program over the ranks, the collective inside it.

Every rank runs its own jtorch process and compiles the same step. The program is traced
under ``shard_map`` over the ranks' mesh (one device per process, axis ``"ranks"``: see
``distributed._transport``), each rank's arrays being its own block: parameters, gradients,
optimizer state and batch alike, as DDP keeps one replica per rank. Inside, a collective is
an XLA collective over that axis (``distributed._traced``), so forward, backward, the bucket
all-reduces and the update are one program per call, and no Python runs between them.

A call gives each local array to the program as this rank's block of a global array
(no copy; a 0-d array becomes a 1-element block) and takes back its own block of each result.
The run is waited for as an eager collective is (``_faults.guarded``: the group's timeout,
then a RuntimeError). When the program is compiled, the ranks compare digests of its input
shapes and of the traced program (``_agree``): ranks whose programs differ would wait for
each other forever, so they raise instead.
"""
from __future__ import annotations

import hashlib

import jax
import numpy as np
from jax.sharding import NamedSharding, PartitionSpec

from ..distributed import _faults, _traced, _transport
from . import _runner

_SPEC = PartitionSpec(_transport._AXIS)


class Ranks:
    """How a ranked program's arrays cross between the rank and the global program."""

    def __init__(self, group, scalar_in):
        self.group = group
        self.size = group.size()
        self.sharding = NamedSharding(_transport._mesh(group), _SPEC)
        self.device = _transport._my_device()
        self.scalar_in = scalar_in      # per flat input: a 0-d array (a 1-element block)
        self.scalar_out = None          # the same per flat output, found by the trace

    def global_struct(self, a):
        """The abstract global array whose block is ``a``."""
        shape = (1,) if a.ndim == 0 else tuple(a.shape)
        return jax.ShapeDtypeStruct((self.size * shape[0],) + shape[1:], a.dtype,
                                    sharding=self.sharding)

    def to_global(self, a, scalar):
        if scalar:
            a = a.reshape(1)
        if a.devices() != {self.device}:
            a = jax.device_put(a, self.device)
        return jax.make_array_from_single_device_arrays(
            (self.size * a.shape[0],) + a.shape[1:], self.sharding, [a])

    @staticmethod
    def to_local(a, scalar):
        block = a.addressable_shards[0].data
        return block.reshape(()) if scalar else block


def trace(pure, arrays, key, hyper, plan, group):
    """``_program.trace`` for a step whose collectives run over ``group``'s ranks."""
    flat, in_tree = jax.tree_util.tree_flatten((arrays, key, hyper))
    ranks = Ranks(group, [np.ndim(a) == 0 for a in flat])

    def block(arrays, key, hyper):
        leaves = jax.tree_util.tree_leaves((arrays, key, hyper))
        leaves = [b.reshape(()) if s else b for b, s in zip(leaves, ranks.scalar_in)]
        with _traced.bound(group):
            out = pure(*jax.tree_util.tree_unflatten(in_tree, leaves))
        outs, out_tree = jax.tree_util.tree_flatten(out)
        ranks.scalar_out = [o.ndim == 0 for o in outs]
        return jax.tree_util.tree_unflatten(out_tree, [o.reshape(1) if o.ndim == 0 else o
                                                       for o in outs])

    spmd = jax.jit(jax.shard_map(block, mesh=ranks.sharding.mesh, in_specs=_SPEC,
                                 out_specs=_SPEC, check_vma=False))
    structs = [ranks.global_struct(a) for a in flat]
    traced = spmd.trace(*jax.tree_util.tree_unflatten(in_tree, structs))
    _agree(group, structs, traced.jaxpr)
    plan.jaxpr, plan.out_tree, plan.exe = traced.jaxpr, traced.out_tree, None
    plan.ranks, plan.donate = ranks, []     # (a donated block would be the storage's array)
    plan.runner_class = RankedRunner
    return plan


def _digest(text):
    return np.frombuffer(hashlib.sha256(text.encode()).digest(), np.int64)


def _agree(group, structs, jaxpr):
    """Raise on every rank when the ranks traced different programs: XLA's collectives
    would wait for each other forever (inputs of other shapes, or rank-dependent Python)."""
    shapes = repr([(s.shape, str(s.dtype)) for s in structs])
    mine = np.concatenate([_digest(shapes), _digest(str(jaxpr))])
    seen = np.asarray(_transport.all_gather(group, mine, what="compile"))
    first = group._ranks[0]
    for part, why in ((slice(0, 4), "for inputs of other shapes or dtypes (a compiled step "
                       "with collectives needs the same shapes on every rank: drop_last=True, "
                       "or pad the last batch)"),
                      (slice(4, 8), "that differ (its Python branches on the rank?)")):
        differ = [group._ranks[i] for i in range(len(seen))
                  if (seen[i, part] != seen[0, part]).any()]
        if differ:
            raise RuntimeError(f"torch.compile: ranks {differ} traced the step as a program "
                               f"other than rank {first}'s, {why}")


class RankedRunner(_runner.Runner):
    """``Runner`` for a ranked plan: local arrays in, local arrays out (module doc)."""

    def __init__(self, plan, n_arrays, n_hyper):
        super().__init__(plan, n_arrays, n_hyper)
        self.ranks = plan.ranks
        self.kept_scalar = [plan.ranks.scalar_in[k] for k in self.keep]

    def __call__(self, ins):
        r = self.ranks
        ins = list(map(r.to_global, ins, self.kept_scalar))
        exe = self._exe(False)
        out = _faults.guarded(r.group, "all_reduce (in a compiled step)", lambda: exe(*ins))
        out = list(map(r.to_local, out, r.scalar_out))
        n_res, n_out = self.n_res, self.n_out
        return out[:n_res], out[n_res:n_out], out[n_out:]
