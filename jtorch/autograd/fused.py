"""A whole backward pass as one compiled call, for graphs that come back.

The engine (engine.py) runs one compiled VJP per node and one add per accumulation: a few
microseconds of dispatch each, which dominate small models. A training loop builds the same
graph every step, so here the engine's own walk (same order, same sums, same freeing) is
first run symbolically: it emits a program of instructions (seed, add, zeros, apply a node's
pure backward, pick an edge's gradient) whose structure is the cache key. Once a structure
has been seen ``_caches.FUSED_HOT`` times, its program is compiled with ``jax.jit`` and runs
with the nodes' VJP residuals and the seeds as arguments; it returns each leaf's new ``.grad``
(old + new, cast to the leaf's dtype, in the engine's order), written back as the engine
would (first assignment, then an in-place write that bumps the version).

Anything the program cannot express falls back to the engine, before any value is computed:
create_graph, ``inputs=``/``autograd.grad`` captures, hooks of any kind, retain_grad,
leaves with hooks, and nodes without a pure backward (``Node._fused`` is None: custom
Functions, CopySlices, device moves, nodes with no derivative).
"""
from __future__ import annotations

import functools
import heapq

import jax
import numpy as np

from .. import _caches, _errors, _lazy
from .._tensor import Storage, Tensor
from .graph import AccumulateGrad, dependencies, skip_unreached

# structure -> compiled program, from the structure's ``_caches.FUSED_HOT``-th occurrence on
_programs = _caches.hot_compiler("fused backward programs", _caches.FUSED_HOT,
                                 _caches.FUSED_PROGRAMS)


def _plain(node):
    if node.__class__ is AccumulateGrad:
        v = node.variable
        return not v._hooks and not v.__dict__.get("_post_acc_hooks")
    return node._fused is not None and not (node._hooks or node._prehooks or
                                            node._tensor_hooks or node._retained)


def _plan(roots, grads):
    """The engine's walk, symbolically: (instructions, dynamic args, seeds, leaf updates,
    processed nodes), or None when the graph needs the engine. (Runs every step of a loop:
    written for speed, instruction ids are positions in ``instrs``.)"""
    deps = dependencies(roots, _plain)
    if deps is None:
        return None
    instrs, dyn, seeds, leaves, done = [], [], [], [], []
    buffers = {}        # node -> per-output instruction id of its gradient so far
    for (node, idx), g in zip(roots, grads):
        if node is not None:
            seeds.append(g)
            instrs.append(("seed", len(seeds) - 1))
            _accumulate(buffers, node, idx, instrs)
    ready = [(-n._seq, id(n), n) for n in buffers if deps.get(n, 0) == 0]
    heapq.heapify(ready)
    pop, push = heapq.heappop, heapq.heappush
    while ready:
        node = pop(ready)[2]
        buf = buffers.pop(node)
        if node.__class__ is AccumulateGrad:
            if buf[0] is not None:
                leaves.append((node.variable, buf[0]))
            continue
        try:
            res, mask = _apply(node, buf, instrs, dyn)
        except RuntimeError:
            # a saved tensor was freed or modified: the engine runs the nodes before this
            # one (releasing them, accumulating into leaves) and raises here, as torch's
            return None
        done.append(node)
        for e, (nxt, idx) in enumerate(node.next_functions):
            if nxt is None:
                continue
            if mask[e]:
                instrs.append(("get", res, e))
                _accumulate(buffers, nxt, idx, instrs)
            n = deps[nxt] - 1
            deps[nxt] = n
            if n == 0:
                if nxt in buffers:
                    push(ready, (-nxt._seq, id(nxt), nxt))
                else:
                    skip_unreached(nxt, deps, buffers, ready)
    return instrs, dyn, seeds, leaves, done


def _accumulate(buffers, node, idx, instrs):
    """The last instruction's value joins the gradient of ``node``'s output ``idx`` (an add
    when one is there already, in the engine's order)."""
    buf = buffers.get(node)
    if buf is None:
        buf = buffers[node] = [None] * max(1, len(node._out_avals))
    v = len(instrs) - 1
    if buf[idx] is None:
        buf[idx] = v
    else:
        instrs.append(("add", buf[idx], v))
        buf[idx] = v + 1


def _apply(node, buf, instrs, dyn):
    """Emit ``node``'s backward over its output gradients ``buf`` (zeros for outputs that
    received none): its instruction id and edge mask."""
    node._check_saved()          # torch's errors (the engine raises them: see _plan)
    for i, g in enumerate(buf):
        if g is None:
            shape, dt = node._out_avals[i]
            instrs.append(("zeros", tuple(shape), np.dtype(dt)))
            buf[i] = len(instrs) - 1
    fused = node._fused
    static, mask = fused.ready()
    dyn.append(fused[2])
    instrs.append(("apply", fused[0], static, len(dyn) - 1, tuple(buf)))
    return len(instrs) - 1, mask


def _build(key):
    return _compile(*key)


def _compile(instrs, leaf_specs, queue, refs):
    def run(dyn, seeds, olds, qleaves, zero):
        # the deferred forward ops first (jtorch._lazy): their results feed the nodes' saved
        # operands (``refs``: node's dyn index, operand position, queued op) and come back
        vals = _evaluate(queue, qleaves, zero) if queue else []
        if refs:
            dyn = list(dyn)
            for i, pos, k in refs:
                d = list(dyn[i])
                d[pos] = vals[k]
                dyn[i] = tuple(d)
        env = []
        for ins in instrs:
            op = ins[0]
            if op == "get":
                v = env[ins[1]][ins[2]]
            elif op == "add":
                v = env[ins[1]] + env[ins[2]]
            elif op == "apply":
                v = ins[1](ins[2], dyn[ins[3]], [env[i] for i in ins[4]])
            elif op == "seed":
                v = seeds[ins[1]]
            else:                                   # "zeros"
                v = np.zeros(ins[1], ins[2])
            env.append(v)
        outs = []
        for vid, dtype, old in leaf_specs:
            g = env[vid]
            if g.dtype != dtype:
                g = g.astype(dtype)
            outs.append(g if old is None else olds[old] + g)
        return outs, vals
    return jax.jit(run)


def _evaluate(queue, leaves, zero):
    return _lazy.evaluate(queue, leaves, zero)


def _pending_refs(dyn, q, pending_type):
    """The queued results among the nodes' saved operands, as (dyn index, position, queued
    op), with ``dyn`` edited to hold None there (they are computed inside the program)."""
    refs = []
    index = q.index
    for i, d in enumerate(dyn):
        if type(d) is tuple:
            edited = None
            for pos, a in enumerate(d):
                if type(a) is pending_type:
                    refs.append((i, pos, index[a]))
                    if edited is None:
                        edited = list(d)
                    edited[pos] = None
            if edited is not None:
                dyn[i] = tuple(edited)
    return tuple(refs)


def try_run(roots, grads, retain_graph):
    """Run a plain ``backward()`` as one compiled program, with the deferred forward ops
    (``jtorch._lazy``) inside it; False (nothing done, nothing run) when the graph needs the
    engine or its structure is not yet known to repeat."""
    plan = _plan(roots, grads)
    if plan is None:
        return False
    instrs, dyn, seeds, leaves, done = plan
    if len({var._storage.device for var, _ in leaves}) > 1:
        return False        # (leaves on several devices: one program cannot take them all)
    olds, leaf_specs = [], []
    for var, vid in leaves:
        old = None
        if var._grad is not None:
            olds.append(var._grad._value())
            old = len(olds) - 1
        leaf_specs.append((vid, var.dtype._np, old))
    with _lazy.lock:
        q = _lazy.take()
        try:    # until the program has run, an error or a Ctrl-C leaves the queue pending
            queue, refs, qleaves = (), (), ()
            if q is not None:
                queue, qleaves = tuple(q.key), q.leaves
                refs = _pending_refs(dyn, q, _lazy.PendingStorage)
            key = (tuple(instrs), tuple(leaf_specs), queue, refs)
            prog = _programs.get(key, _build)
            if prog is None:
                _lazy.put_back(q)
                return False
            outs, vals = prog(dyn, seeds, olds, qleaves, _lazy.zero())
        except BaseException:
            _lazy.put_back(q)
            raise
        # from here every result is computed: hand all of them out, even through a Ctrl-C
        # (the queue is taken; a storage left pending could never be read)
        steps = [] if retain_graph else [functools.partial(_release, done)]
        if q is not None:   # (after the release: freed nodes need no operands)
            steps.append(functools.partial(_lazy.complete, q, vals))
        steps += [functools.partial(_write_grad, var, new) for (var, _), new in zip(leaves, outs)]
        _errors.run_all(steps)
    return True


def _release(nodes):
    for node in nodes:
        node._release()


def _write_grad(var, new):
    if var._grad is None:
        var._grad = Tensor._make_storage(Storage(new, var._storage.device), var._shape,
                                         var._dtype)
    else:
        # torch accumulates in place into an existing .grad (its version counter moves)
        var._grad._write(new)
