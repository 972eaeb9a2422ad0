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
from . import _fast, _program, _state
from ._wrapper import Compiled, _hyper, _is_tensor

Tensor = jtorch.Tensor


class _Leaf(NamedTuple):
    """A tensor result of one or more steps: values with a leading steps dim."""
    array: jax.Array
    dtype: object
    device: object


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
            elif n - t >= 2 and (sources := _sources(plan, prev, call, sliced)) is not None:
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
        carry, res = _run_scan(plan, sources, call.storages, stacked, keys, hyper)
        changed, new = _outputs(plan, sources, carry)
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
        carry, res = _run_scan(plan, sources, storages, [a._value() for a in args], keys,
                               guard.hyper_arrays())
        changed, new = _outputs(plan, sources, carry)
        made = _program.write_back(plan, storages, changed, new, steady=True)
        for i, d in zip(plan.changed, plan.deltas):
            storages[i].version += d * (n - 1)
        guard.patch(made)
        return _stack([_block(plan, res)])


def _run_scan(plan, sources, storages, stacked, keys, hyper):
    """The scan program on the storages' arrays: those the step overwrites donated (as a
    compiled call donates them: when only their storage holds them), the others kept."""
    exes = getattr(plan, "scan_exe", None)
    if exes is None:
        exes = plan.scan_exe = {}
        batch = {pos for pos, (kind, _) in enumerate(sources) if kind == "batch"}
        donate = set(plan.donate) - batch
        plan.scan_split = (sorted(donate),
                           [pos for pos in range(len(sources)) if pos not in donate | batch])
    donate, kept = plan.scan_split
    donated = [storages[p].array for p in donate]
    getrefcount = sys.getrefcount
    donating = all(getrefcount(donated[i]) <= 3             # the storage, the list, the call
                   for i in range(len(donated)))
    exe = exes.get(donating)
    if exe is None:
        exe = exes[donating] = jax.jit(_scan_program(plan, sources),
                                       donate_argnums=(0,) if donating else ())
    return exe(donated, [storages[p].array for p in kept], stacked, keys, hyper)


def _outputs(plan, sources, carry):
    """The last step's changed-state and created-tensor outputs, read off the final carry."""
    pos = getattr(plan, "scan_out", None)
    if pos is None:
        pos = plan.scan_out = ([sources.index(("changed", j)) for j in range(_n_out(plan))],
                               [sources.index(("new", j)) for j in range(plan.n_new)])
    return [carry[p] for p in pos[0]], [carry[p] for p in pos[1]]


def _scan_program(plan, sources):
    """The scan over steps: carry = the captured arrays, per step = the batch and a key."""
    step = jaxpr_as_fun(plan.jaxpr)
    batch_pos = [pos for pos, (kind, _) in enumerate(sources) if kind == "batch"]

    donate, kept = plan.scan_split

    def run(donated, kept_arrays, batches, keys, hyper):
        # the batch positions start as step 0's batch (not program inputs: a step's slice
        # would cost an indexing op per call)
        arrays = [None] * len(sources)
        for pos, a in zip(donate + kept + batch_pos,
                          [*donated, *kept_arrays, *(b[0] for b in batches)]):
            arrays[pos] = a

        def body(carry, per):
            batch, key = per
            carry = list(carry)
            for pos, a in zip(batch_pos, batch):
                carry[pos] = a
            key = _program.ZERO_KEY if key is None else key
            flat, _ = jax.tree_util.tree_flatten((carry, key, hyper))
            res, changed, new = jax.tree_util.tree_unflatten(plan.out_tree, step(*flat))
            outs = {"in": carry, "batch": carry, "changed": changed, "new": new}
            return [outs[kind][i] for kind, i in sources], res
        return jax.lax.scan(body, arrays, (batches, keys))
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
