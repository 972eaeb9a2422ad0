"""Autograd graph nodes.

A ``Node`` is torch's ``grad_fn``: a VJP closure (jax arrays in, jax arrays out), edges to the
nodes of its differentiable inputs (``next_functions``), and the versions of the tensors torch
would have saved for this op, checked at backward time to raise torch's in-place error.
This module knows nothing about ops; the dispatcher builds Nodes. The walk helpers at the end
(dependency counts, skipping unreached nodes) are shared by engine.py and fused.py.
"""
from __future__ import annotations

import heapq
import inspect
import itertools
from typing import Any, Callable, NamedTuple, Optional

from .._tensor import Tensor
from . import anomaly_mode as _anomaly

_seq = itertools.count()

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward.")


# [start, end) sequence-number spans of nodes recorded inside allow_mutation_on_saved_tensors
# (end None while it is open): their saved tensors may change (graph_hooks.py)
mutation_allowed = []


def _mutation_allowed(seq):
    return any(a <= seq and (b is None or seq < b) for a, b in mutation_allowed)


class RemovableHandle:
    _ids = itertools.count()

    def __init__(self, hooks_dict):
        self.id = next(RemovableHandle._ids)
        self._dict = hooks_dict

    def remove(self):
        self._dict.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


class FusedBackward(NamedTuple):
    """A node's backward as a pure function, the one contract between recording (the
    dispatcher), the fused backward (fused.py) and the deferred queue (``_lazy``, which swaps
    queued operands in ``dynamic`` for their arrays): ``apply(static, dynamic, cotangents)``
    returns one gradient (or None) per edge. Built on every recorded op, so the dispatcher
    makes it with ``tuple.__new__`` and the planner unpacks it by position."""
    apply: Callable
    static: Any                 # hashable: part of the fused program's cache key
    dynamic: Any                # the arrays the backward reads (VJP residuals, jit arguments)
    edge_mask: Optional[tuple]  # which edges receive a gradient; None until ``prepare`` ran
    prepare: Optional[Callable] = None  # raw static -> (static, edge_mask): run by the
    #                                     planner, so recording stays cheap

    def ready(self):
        """(hashable static, edge mask)."""
        if self.edge_mask is None:
            return self.prepare(self.static)
        return self.static, self.edge_mask


class Node:
    """A backward function (``grad_fn``).

    backward_fn(cotangents) -> tuple with one entry per edge (jax array or None).
    out_avals: ((shape, np_dtype), ...) per forward output, to build zero cotangents.
    saved: ((storage, version, tensor_description), ...) checked before running.
    """

    __slots__ = ("_name", "_backward_fn", "next_functions", "_saved", "_out_avals", "_seq",
                 "_freed", "_hooks", "_prehooks", "_tensor_hooks", "_retained", "_diff",
                 "_fused", "metadata", "__weakref__")

    def __init__(self, name, backward_fn, next_functions, out_avals, saved=(), diff=None):
        # a node built as ``Node(name, ...)`` takes its name's class, as torch's grad_fn
        # objects do (``type(y.grad_fn).__name__ == "MulBackward0"``); the hot paths build
        # ``node_class(name)(...)`` directly, whose __init__ is _init (no check, no swap)
        if self.__class__ is Node:
            self.__class__ = node_class(name)
        self._init(name, backward_fn, next_functions, out_avals, saved, diff)

    def _init(self, name, backward_fn, next_functions, out_avals, saved=(), diff=None):
        self._name = name
        self._backward_fn = backward_fn
        self.next_functions = next_functions
        self._out_avals = out_avals
        self._saved = saved
        self._seq = next(_seq)
        self._freed = False
        self._hooks = None
        self._prehooks = None
        self._tensor_hooks = None   # {output index: [tensor hook dicts]}
        self._retained = None       # {output index: weakref to a tensor that retains grad}
        self._diff = diff           # differentiable replay for create_graph=True (see dispatch)
        self._fused = None          # a FusedBackward, or None (no pure backward)
        # anomaly mode: the forward call's stack, under torch's key (anomaly_mode.check_nan)
        self.metadata = {"traceback_": _anomaly.forward_stack()} if _anomaly.state[0] else {}

    def name(self):
        return self._name

    def __repr__(self):
        # name() may be qualified ("torch::autograd::CopySlices"); the repr shows the class
        return f"<{self._name.rsplit('::', 1)[-1]} object at {hex(id(self))}>"

    def register_hook(self, fn):
        return self._add_hook("_hooks", fn)

    def register_prehook(self, fn):
        return self._add_hook("_prehooks", fn)

    def _add_hook(self, slot, fn):
        """Add ``fn`` to the hook dict in ``slot`` (made on first use: most nodes have none)."""
        hooks = getattr(self, slot)
        if hooks is None:
            hooks = {}
            setattr(self, slot, hooks)
        h = RemovableHandle(hooks)
        hooks[h.id] = fn
        return h

    def _check_saved(self):
        if self._freed:
            raise RuntimeError(FREED_MESSAGE)
        for storage, version, describe in self._saved:
            if storage.version != version:
                if mutation_allowed and _mutation_allowed(self._seq):
                    continue
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified by "
                    f"an inplace operation: {describe()} is at version {storage.version}; "
                    f"expected version {version} instead. Hint: enable anomaly detection to "
                    "find the operation that failed to compute its gradient, with "
                    "torch.autograd.set_detect_anomaly(True, check_nan=False).")

    def _release(self):
        # torch frees saved buffers after backward; a node that saved nothing can run again,
        # except CopySlices, which drops the node it wraps (a second run raises)
        if self._saved or self._name == "torch::autograd::CopySlices":
            self._freed = True
            self._backward_fn = None
            self._diff = None
            self._fused = None

    def __call__(self, *grads):
        """Run this node's backward on the given output gradients (recorded, as torch's
        formulas are, when grad mode is on): one gradient per edge, a tuple if several."""
        from .. import _grad_mode as grad_mode
        self._check_saved()
        if self._backward_fn is None:
            raise NotImplementedError(f"jtorch: calling {self.name()} directly is not supported")
        grads = [g if isinstance(g, Tensor) else Tensor._make(g) for g in grads]
        if grad_mode.is_grad_enabled() and self._diff is not None:
            out = [g if g is None or isinstance(g, Tensor) else Tensor._make(g)
                   for g in self._diff(grads)]
        else:
            out = [None if g is None else Tensor._make(g)
                   for g in self._backward_fn([g._value() for g in grads])]
        return out[0] if len(out) == 1 else tuple(out)

    def __getattr__(self, attr):
        # torch's ``_saved_self``, ``_saved_result``, ``_saved_alpha``...: looked up only when
        # read (nothing is stored for them when the node is built)
        if attr.startswith("_saved_"):
            from . import saved_attrs
            return saved_attrs.lookup(self, attr)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{attr}'")

    def __dir__(self):
        from . import saved_attrs
        return sorted(set(super().__dir__()) | set(saved_attrs.names(self)))

    @property
    def requires_grad(self):
        return True

    def _sequence_nr(self):
        return self._seq

    def _register_hook_dict(self, tensor):
        pass


# torch's Node cannot be built by users: its public signature is empty (the dispatcher and
# the ops build nodes through __init__ / node_class)
Node.__signature__ = inspect.Signature()

_classes = {}


def node_class(name):
    """The class of the nodes named ``name`` (one per name, cached): named as torch's,
    "torch::autograd::CopySlices" -> CopySlices."""
    cls = _classes.get(name)
    if cls is None:
        short = name.rsplit("::", 1)[-1]
        # torch's node classes are built-ins: ``print(type(y.grad_fn))`` shows
        # <class 'MulBackward0'>
        cls = _classes[name] = type(short, (Node,), {"__slots__": (), "__init__": Node._init,
                                                     "__module__": "builtins"})
    return cls


class AccumulateGrad(Node):
    """The sink node of a leaf tensor: adds incoming gradients into ``variable.grad``."""

    __slots__ = ("variable",)

    def __init__(self, variable):
        self._init("torch::autograd::AccumulateGrad", None, (), ())
        self.variable = variable

    def _release(self):
        pass


AccumulateGrad.__module__ = "builtins"      # as torch's (see node_class)


# ------------------------------------------------------------------ the backward walk
def dependencies(roots, accept=None):
    """How many edges point into each node reachable from the roots' nodes (several roots can
    be outputs of one node: its edges count once); None as soon as ``accept(node)`` is false
    for a reachable node."""
    deps = {}
    stack = list(dict.fromkeys(n for n, _ in roots if n is not None))
    seen = set(stack)
    while stack:
        node = stack.pop()
        if accept is not None and not accept(node):
            return None
        for nxt, _ in node.next_functions:
            if nxt is None:
                continue
            deps[nxt] = deps.get(nxt, 0) + 1
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return deps


def skip_unreached(node, deps, buffers, ready):
    """A node that received no gradient at all: release its consumers' dependency counts,
    pushing those that become ready (and hold gradients) on the ``ready`` heap."""
    stack = [node]
    while stack:
        n = stack.pop()
        for nxt, _ in n.next_functions:
            if nxt is None:
                continue
            deps[nxt] -= 1
            if deps[nxt] == 0:
                if nxt in buffers:
                    heapq.heappush(ready, (-nxt._seq, id(nxt), nxt))
                else:
                    stack.append(nxt)


from .graph_hooks import (  # noqa: E402,F401  (torch.autograd.graph's other names)
    GradientEdge, get_gradient_edge, increment_version, register_multi_grad_hook,
    saved_tensors_hooks, save_on_cpu, disable_saved_tensors_hooks,
    allow_mutation_on_saved_tensors, region_activation_memory_budget,
    set_warn_on_accumulate_grad_stream_mismatch, set_override_stale_capture_stream)
