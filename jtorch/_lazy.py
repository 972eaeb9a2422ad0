"""Deferred fast-path ops: a run of repeated ops becomes one compiled XLA call.

Every op on the dispatcher's fast path (a signature seen before, see ``_dispatch.call``) is a
call of one small compiled function, and on the CPU that call costs more than the op (~10-15
us for a 32x5 matmul, where torch's kernel takes ~3). So those ops are not run at once: the
op's result is a tensor whose storage is *pending* (``PendingStorage``, no array yet; its
shape comes from the earlier run of the same signature), and the call joins a queue. The
queue runs as one unit (``flush``) when anything needs a pending value:

- reading a pending storage's ``array`` (printing, ``item()``, an op off the fast path, a
  view read, an in-place write: every write reads the old array first) — the storage class
  has no array slot value yet, so ``__getattr__`` runs the queue;
- ``backward()`` / ``autograd.grad()`` (the nodes hold pending operands, resolved here);
- the queue reaching ``MAX_OPS`` ops.

A queue's structure (which compiled op, fed by which leaf arrays or earlier results, at which
shapes) keys the unit. A structure seen ``HOT`` times is compiled into one program that runs
all its ops (training loops repeat the same structure each step); any other runs op by op,
exactly as if nothing had been deferred. So code that runs once compiles nothing new, and
results are those of the same compiled ops (XLA inlines them into the one program).

Every value is still computed from the arrays the op saw: operands that are concrete are
captured as arrays (immutable), pending ones by reference to the earlier queued op.
"""
from __future__ import annotations

import functools
import os
import threading

import jax

from . import _caches, _errors, _rounding
from ._tensor import Storage
from .device import CPU as _CPU

# off (or JTORCH_LAZY=0): every fast-path op runs at once (tests and benchmarks compare both)
ENABLED = os.environ.get("JTORCH_LAZY", "1") != "0"
MAX_OPS = 64        # a queue this long runs (bounds the programs and the memory it holds)

lock = threading.RLock()    # held while a queue is taken and run (and by defer)
# structure key -> jitted program of the whole queue, once the structure has run op by op
# ``_caches.LAZY_HOT`` times
_programs = _caches.hot_compiler("deferred programs", _caches.LAZY_HOT, _caches.LAZY_PROGRAMS)


class PendingStorage(Storage):
    """A storage whose array is still being computed by the queue. On flush the array is set
    and the object becomes a plain ``Storage`` (same slots), so nothing else sees a
    difference."""

    __slots__ = ()

    def __getattr__(self, name):        # only reached while the array slot is empty
        if name != "array":
            raise AttributeError(name)
        flush()
        return Storage.array.__get__(self)


class _Queue:
    __slots__ = ("key", "leaves", "outs", "index", "nodes")

    def __init__(self):
        # per op: (compiled callable, operand spec, operand shapes); in the spec an operand
        # >= 0 is a leaf's index, < 0 is ~(the earlier op whose result it is)
        self.key = []
        self.leaves = []    # concrete operand arrays (and Python numbers passed raw)
        self.outs = []      # per op: its result's PendingStorage
        self.index = {}     # PendingStorage -> its op's position
        self.nodes = []     # autograd nodes whose saved operands include pending storages


_q = _Queue()


def defer(fn, operands, shapes):
    """Queue ``fn(*operands)`` (an operand may be a PendingStorage); its result's storage."""
    st = PendingStorage.__new__(PendingStorage)
    st.version = 0
    st.device = _CPU
    with lock:
        q = _q
        spec = []
        leaves = q.leaves
        for a in operands:
            t = type(a)
            if t is PendingStorage:
                spec.append(~q.index[a])
            else:
                spec.append(len(leaves))
                # a storage the queue ran since the caller looked (an op's check read it)
                # (or a host-backed storage, read now: see _storage_tensor.HostStorage)
                leaves.append(a.array if isinstance(a, Storage) else a)
        spec = tuple(spec)
        q.index[st] = len(q.outs)
        q.key.append((fn, spec, shapes))
        q.outs.append(st)
        full = len(q.outs) >= MAX_OPS
    if full:
        flush()
    return st


def hold(node):
    """``node``'s saved operands include queued results: swap in their arrays on flush (now,
    if the queue has run since)."""
    fused = node._fused
    if fused is None:       # a node without a pure backward (no derivative) keeps no operands
        return
    with lock:
        if any(type(a) is PendingStorage for a in fused.dynamic):
            _read_host_operands(node)
            _q.nodes.append(node)
            return
    _patch(node)


def _read_host_operands(node):
    """Host-backed operands (``_storage_tensor.HostStorage``: passed on as storages, like
    queued ones) are read now; the fused backward takes only arrays and queued results."""
    fused = node._fused
    dyn = fused.dynamic
    if any(isinstance(a, Storage) and type(a) is not PendingStorage for a in dyn):
        dyn = tuple(a.array if isinstance(a, Storage) and type(a) is not PendingStorage
                    else a for a in dyn)
        node._fused = fused._replace(dynamic=dyn)


def resolve(arrays):
    """Operand list with pending storages replaced by their arrays (runs the queue)."""
    return [a.array if isinstance(a, Storage) else a for a in arrays]


def take():
    """The queue, replaced by an empty one (None if nothing is queued). Hold ``lock`` from
    here until ``complete``: a reader of a pending storage waits on it."""
    global _q
    q = _q
    if not q.outs and not q.nodes:
        return None
    _q = _Queue()
    return q


def put_back(q):
    """Undo ``take`` (under the same hold of ``lock``): the queue stays pending."""
    global _q
    if q is not None:
        _q = q


def flush(hot=None):
    """Run every queued op: one compiled program for a structure seen ``hot`` times (default
    ``HOT``), else op by op."""
    with lock:
        q = take()
        if q is None:
            return
        vals = ()
        if q.outs:
            key = tuple(q.key)
            prog = _programs.get(key, _program, hot)
            try:
                vals = prog(q.leaves, zero()) if prog is not None else \
                    evaluate(key, q.leaves)
            except BaseException:
                put_back(q)     # nothing ran to completion: a later read tries again
                raise
        # (a Ctrl-C from here on: the results still land)
        _errors.run_all([functools.partial(complete, q, vals)])


def _program(key):
    return jax.jit(functools.partial(evaluate, key))


def evaluate(key, leaves, zero=None):
    """Every queued op's value, in order: op by op, or inside a program (``zero``: a traced
    +0.0). There each float value is rounded as it is op by op (``_rounding.end_product``:
    XLA would contract a multiply and a following add of two ops into one FMA)."""
    vals = []
    for fn, spec, _ in key:
        v = fn(*[leaves[i] if i >= 0 else vals[~i] for i in spec])
        if zero is not None:
            v = _rounding.end_product(v, zero)
        vals.append(v)
    return vals


zero = _rounding.run_time_zero      # the run-time +0.0 passed to ``evaluate``'s programs


def complete(q, vals):
    """The queue's results are in: the storages get their arrays, the nodes their operands.
    All of them, even if a Ctrl-C lands here: the queue is gone, so a storage left pending
    could never be read again (``_errors.run_all``; each step can run twice)."""
    _errors.run_all((functools.partial(_fill, q.outs, vals),
                     functools.partial(_patch_all, q.nodes)))


def _fill(outs, vals):
    for st, v in zip(outs, vals):
        if type(st) is PendingStorage:
            st.array = v
            st.__class__ = Storage


def _patch_all(nodes):
    for node in nodes:
        _patch(node)


def _patch(node):
    fused = node._fused
    if fused is None or node._freed:
        return
    dynamic = tuple(resolve(fused.dynamic))
    node._fused = fused._replace(dynamic=dynamic)
    node._backward_fn = functools.partial(fused.apply, fused.static, dynamic)
