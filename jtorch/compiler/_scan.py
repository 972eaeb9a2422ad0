"""An epoch as one program: ``scan_steps(step)(xs, ys)`` runs a compiled training step over
batches stacked along dim 0 as one ``lax.scan`` (a jtorch extension; torch has no such call).

The result equals calling the compiled step once per batch: the first calls run one by one
until the state's structure is steady (the second call's guard key equals the first's: the
``.grad`` tensors and optimizer state exist), then the remaining steps run as one scan whose
body replays the step's traced program (its jaxpr; the Python step is not run again), and
the last step's state outputs are written back exactly as a step-by-step run writes them.
Between two steps the state flows as the step-by-step run's does: a storage the step
changed keeps its new array, a tensor the step created (a fresh ``.grad``) is the next
step's input. Once a program's flow is known, later calls scan from their first step.
"""
from __future__ import annotations

import sys
from typing import NamedTuple

import jax
import jax.numpy as jnp
from jax.extend.core import jaxpr_as_fun

import jtorch
from . import _fast, _program, _runner, _state
from ._wrapper import Compiled, _hyper, _is_tensor

Tensor = jtorch.Tensor


class _Leaf(NamedTuple):
    """A tensor result of one or more steps: values with a leading steps dim."""
    array: jax.Array
    dtype: object
    device: object


# The scan's loop is not unrolled (``lax.scan(unroll=1)``). Measured on seed 004's step
# (benchmarks/results/bench_compile.txt, session 15): with the carry below, ``unroll=2`` to 8
# gain nothing beyond the noise and cost compile time; and ``unroll=2`` moves some results by
# an ulp (XLA compiles the body's two copies together): an SGD epoch would no longer be
# bit-for-bit its step-by-step run (tests/test_compile_scan_unroll.py).
_UNROLL = 1
_WARM = 3           # step-by-step calls allowed before the state must be steady


class ScanSteps:
    """``step`` compiled, called over stacked batches (see the module doc)."""

    def __init__(self, step, fullgraph=False):
        self.step = step if isinstance(step, Compiled) else Compiled(step, fullgraph)

    def __call__(self, *args):
        guard = self.step._scan_guard
        if guard is not None and guard.matches(args, self.step._root_src()):
            return self._scan_fast(guard, args)
        self.step._scan_guard = None
        n = _steps(args)
        blocks, t, prev = [], 0, None
        while t < n:
            sliced = _slice(args, t)
            call = self.step.prepare(sliced, {})
            plan = self.step.entry(call, sliced, {})
            if plan is None:                        # graph break: eager, one by one
                blocks.append(_one(self.step.fn(*sliced)))
            elif n - t >= 2 and not hasattr(plan, "ranks") and \
                    (sources := _sources(plan, prev, call, sliced)) is not None:
                # (not a program over several processes' ranks: that one runs call by call)
                blocks += self._scan(plan, call, sources, args, t, n)
                self._settle(plan, call, sliced, args)
                break
            else:
                prev = (plan, call) if t < _WARM else None
                blocks.append(_one(self.step._run(plan, call.storages, call.roots)))
            t += 1
        return _stack(blocks)

    def _scan(self, plan, call, sources, args, t, n):
        """Steps ``t .. n-1`` in one program; the last step's state outputs are read off the
        final carry and written back as a compiled call writes them."""
        hyper = _hyper(_state.hyper_values(call.roots), plan.hyper_vals)
        stacked = [x._value() if t == 0 else x._value()[t:] for x in _tensors(args)]
        keys = jnp.stack([_program.draw_key(plan) for _ in range(t, n)]) if plan.draws \
            else None
        changed, new, res = _run_scan(plan, sources, call.storages, stacked, keys, hyper)
        _program.write_back(plan, call.storages, changed, new)
        for i, d in zip(plan.changed, plan.deltas):     # the earlier scanned steps' writes
            call.storages[i].version += d * (n - 1 - t)
        return [_block(plan, res)]

    def _settle(self, plan, call, sliced, args):
        """After a scan from the slow path: the warm call's guard (``_fast.Guard``) for the
        next call, when the state the scan left keys the same program and the stacked
        arguments are plain tensors of their own. It records the stacked arguments'
        descriptions (their number of steps included), so a match means: the same plan,
        its flow known, every step scanned from the first."""
        step = self.step
        if getattr(plan, "bwd", None) is not None or len(args) != len(sliced) or \
                any(i >= call.n_captured for i in plan.changed):
            return                  # (a step that writes its batch: the slow path's copy)
        after = step.prepare(sliced, {})
        if after.key != call.key or not _fast.eligible(plan, after, sliced) or \
                not all(_is_tensor(a) for a in args):
            return
        guard = _fast.Guard(plan, _fast.Spec(after.roots), after, args, step._root_src(), {})
        step._scan_guard = guard if guard.ok else None

    def _scan_fast(self, guard, args):
        """A call the warm guard recognised: every step in the recorded scan program, the
        state written back as a steady compiled call writes it."""
        plan = guard.plan
        sources = plan.scan_sources
        n = args[0]._shape[0]
        keys = jnp.stack([_program.draw_key(plan) for _ in range(n)]) if plan.draws \
            else None
        storages = guard.storages
        # (a batch from from_numpy read through the runner's bytes snapshot: ~5x cheaper
        # than the storage's own check, the same answer)
        stacked = [_runner.host_array(a._storage) if a._view is None else a._value()
                   for a in args]
        changed, new, res = _run_scan(plan, sources, storages, stacked, keys,
                                      guard.hyper_arrays())
        made = _program.write_back(plan, storages, changed, new, steady=True)
        for i, d in zip(plan.changed, plan.deltas):
            storages[i].version += d * (n - 1)
        guard.patch(made)
        return _stack([_block(plan, res)])


class _Carry(NamedTuple):
    """The scan's carry: which captured positions it holds, in the order (donated, kept).
    ``dedup``: positions whose arrays the step writes from one output (the Adam family's
    shared step counter, ``_program.aliases``) are carried once, by their first position,
    and the others (``dups``) read that one: XLA would otherwise copy the shared array into
    each of their carry slots every iteration (seed 004's scan: 68 copies in its optimized
    HLO with every position carried, 40 without the counter's 7 duplicates and the batches,
    6 of them in the loop's body; the epoch ~1.7x faster). The batch positions are not
    carried: each step reads its own batch. ``dedup=False``: every position carried."""
    order: list             # carry slot -> captured position
    n_donated: int          # order[:n_donated] are donated (when only a storage holds them)
    dups: list              # (position, the position whose carried array it holds)
    batch: list             # the batch positions, in the arguments' order
    out: tuple              # (changed output j -> carry slot, created tensor j -> slot)


def _carry(plan, sources, dedup):
    batch = [p for p, (kind, _) in enumerate(sources) if kind == "batch"]
    first, dups = {}, []
    for p, src in enumerate(sources):
        r = first.setdefault(src, p) if dedup and p not in batch else p
        if r != p:
            dups.append((p, r))
    skip = set(batch) | {p for p, _ in dups}
    held = [p for p in range(len(sources)) if p not in skip]
    donate = set(plan.donate)
    order = [p for p in held if p in donate] + [p for p in held if p not in donate]
    slot = {p: k for k, p in enumerate(order)}
    out = ([slot[sources.index(("changed", j))] for j in range(_n_out(plan))],
           [slot[sources.index(("new", j))] for j in range(plan.n_new)])
    return _Carry(order, sum(p in donate for p in held), dups, batch, out)


def _run_scan(plan, sources, storages, stacked, keys, hyper):
    """The scan program on the storages' arrays: those the step overwrites donated (as a
    compiled call donates them: when only their storage holds them), the others kept.
    Returns (the step's changed-state outputs, its created tensors' arrays: the last
    step's), and the stacked results."""
    exes = getattr(plan, "scan_exe", None)
    if exes is None:
        exes = plan.scan_exe = {}
        plan.scan_carry = {d: _carry(plan, sources, d) for d in (True, False)}
    layout = plan.scan_carry[True]
    # (carried once only where the positions do hold one array now: a write between
    # calls that the guard key does not see could have split them)
    dedup = all(storages[p].array is storages[r].array for p, r in layout.dups)
    if not dedup:
        layout = plan.scan_carry[False]
    arrays = [storages[p].array for p in layout.order]
    donated, kept = arrays[:layout.n_donated], arrays[layout.n_donated:]
    del arrays
    getrefcount = sys.getrefcount
    donating = all(getrefcount(donated[i]) <= 3             # the storage, the list, the call
                   for i in range(len(donated)))
    exe = exes.get((donating, dedup))
    if exe is None:
        exe = exes[donating, dedup] = jax.jit(_scan_program(plan, sources, layout),
                                              donate_argnums=(0,) if donating else ())
    carry, res = exe(donated, kept, stacked, keys, hyper)
    return [carry[k] for k in layout.out[0]], [carry[k] for k in layout.out[1]], res


def _scan_program(plan, sources, layout):
    """The scan over steps: carry = the captured arrays (``layout``), per step = the batch
    and a key."""
    step = jaxpr_as_fun(plan.jaxpr)
    order, dups, batch_pos = layout.order, layout.dups, layout.batch
    carried = [sources[p] for p in order]

    def run(donated, kept_arrays, batches, keys, hyper):
        def body(carry, per):
            batch, key = per
            arrays = [None] * len(sources)
            for pos, a in zip(order, carry):
                arrays[pos] = a
            for pos, r in dups:
                arrays[pos] = arrays[r]
            for pos, a in zip(batch_pos, batch):
                arrays[pos] = a
            key = _program.ZERO_KEY if key is None else key
            flat, _ = jax.tree_util.tree_flatten((arrays, key, hyper))
            res, changed, new = jax.tree_util.tree_unflatten(plan.out_tree, step(*flat))
            outs = {"in": arrays, "changed": changed, "new": new}
            return [outs[kind][i] for kind, i in carried], res
        return jax.lax.scan(body, [*donated, *kept_arrays], (batches, keys), unroll=_UNROLL)
    return run


def _sources(plan, prev, call, sliced):
    """The carry map of ``plan`` (found once, between two consecutive steps of it: the same
    guard key means the same flow at every later step)."""
    sources = getattr(plan, "scan_sources", None)
    if sources is None and prev is not None and prev[0] is plan:
        sources = plan.scan_sources = _carry_map(plan, prev[1], call, sliced)
    if sources is None or _batch_positions(call, sliced) != \
            [p for p, (kind, _) in enumerate(sources) if kind == "batch"]:
        return None
    return sources


def _batch_positions(call, sliced):
    inputs = {id(x._storage) for x in _tensors(sliced)}
    return [pos for pos, st in enumerate(call.storages) if id(st) in inputs]


def _carry_map(plan, before, call, sliced):
    """Where each of this call's captured arrays comes from after the previous step's
    program: ``("in", i)`` its unchanged input, ``("changed", j)`` a storage it wrote,
    ``("new", j)`` a tensor it created, ``("batch", pos)`` this step's batch. None when the
    flow is not one the scan can replay (then the steps run one by one)."""
    index = {id(st): i for i, st in enumerate(before.storages)}
    changed = dict(zip(plan.changed, plan.out_of))     # storage -> its (shared) output
    born = {}
    for s, kind, what in plan.slot_plan:
        v = _state.read(s)
        if kind == "new" and _is_tensor(v):
            born[id(v._storage)] = what[0]
    inputs = [id(x._storage) for x in _tensors(sliced)]
    if len(set(inputs)) != len(inputs):
        return None
    sources = []
    for pos, st in enumerate(call.storages):
        i = index.get(id(st))
        if id(st) in inputs:
            sources.append(("batch", pos))
        elif id(st) in born:
            sources.append(("new", born[id(st)]))
        elif i is not None and i == pos:        # a storage that persists between steps
            sources.append(("changed", changed[i]) if i in changed else ("in", i))
        else:
            return None
    if any(("changed", j) not in sources for j in range(_n_out(plan))) or \
            any(("new", j) not in sources for j in range(plan.n_new)):
        return None                 # an output the next step does not read
    return sources


def _n_out(plan):
    """The number of distinct changed-state outputs (storages may share one)."""
    return max(plan.out_of) + 1 if plan.out_of else 0


def _tensors(args):
    leaves, _ = jax.tree_util.tree_flatten(args, is_leaf=_is_tensor)
    return [x for x in leaves if _is_tensor(x)]


def _steps(args):
    tensors = _tensors(args)
    if not tensors or any(x.dim() == 0 for x in tensors):
        raise ValueError("scan_steps: expected tensor arguments stacked along dim 0")
    n = tensors[0].shape[0]
    if any(x.shape[0] != n for x in tensors):
        raise ValueError("scan_steps: every tensor argument needs the same size along dim 0 "
                         f"(the number of steps), got {[tuple(x.shape) for x in tensors]}")
    return n


def _slice(args, t):
    """Step ``t``'s arguments: fresh tensors (not views, whose offsets would key the guard)."""
    return jax.tree_util.tree_map(
        lambda x: Tensor._make(x._value()[t], x.dtype, x.device) if _is_tensor(x) else x,
        args, is_leaf=_is_tensor)


def _one(result):
    """One step's result as a block of one: (tree, leaves), tensor leaves as [1, ...]."""
    leaves, tree = jax.tree_util.tree_flatten(result, is_leaf=_is_tensor)
    return tree, [_Leaf(x._value()[None], x.dtype, x.device) if _is_tensor(x) else x
                  for x in leaves]


def _block(plan, res):
    """The scanned steps' results (stacked arrays) as one block."""
    tree, spec = plan.result
    it = iter(res)
    return tree, [_Leaf(next(it), *meta) if kind == "t" else meta for kind, meta in spec]


def _stack(blocks):
    """The per-step results stacked along a new dim 0 (tensors); other values: the last."""
    tree, last = blocks[-1]
    out = []
    for k, leaf in enumerate(last):
        if isinstance(leaf, _Leaf):
            arrays = [b[1][k].array for b in blocks]
            out.append(Tensor._make(jnp.concatenate(arrays) if len(arrays) > 1 else arrays[0],
                                    leaf.dtype, leaf.device))
        else:
            out.append(leaf)
    return jax.tree_util.tree_unflatten(tree, out)


def scan_steps(step, *, fullgraph=False):
    """``step`` (a function or a ``jtorch.compile``d one) run over batches stacked along dim
    0 as one XLA program; returns the per-step results stacked (see the module doc)."""
    return ScanSteps(step, fullgraph)
