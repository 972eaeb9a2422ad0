"""The backward engine: iterative, deterministic, torch's accumulation and freeing rules.

Cotangents travel as jax arrays. With ``create_graph=True`` they travel as Tensors instead and
each node runs its differentiable replay (``Node._diff``), so the backward pass is itself
recorded and can be differentiated again.
"""
from __future__ import annotations

import functools
import heapq

import jax
import jax.numpy as jnp
import numpy as np

from .. import _grad_mode as grad_mode, _lazy
from .. import _trace  # tracing mode: the fused backward's caches stay out of a trace
from .._tensor import Tensor
from . import anomaly_mode, fused
from .graph import AccumulateGrad, Node, dependencies, skip_unreached
from .node_apply import accumulate_leaf, add_grads, apply_node, run_tensor_hooks


def grad_edge(t):
    """(node, output index) through which gradient flows into tensor ``t``."""
    fn = t._grad_fn if t._base is None else t.grad_fn  # views may regenerate theirs
    if fn is not None:
        return fn, t._out_index
    if t._grad_flag:    # (not a view that requires grad only through its base: no edge)
        return accumulate_node(t), 0
    return None, 0


def accumulate_node(t):
    node = t._acc
    if node is None:
        node = t._acc = AccumulateGrad(t)
    return node


@functools.lru_cache(maxsize=64)
def _ones(shape, np_dtype):
    """The implicit gradient of a scalar output (jax arrays are immutable: one per shape and
    dtype can be shared; creating it eagerly each backward costs a device transfer)."""
    return jax.device_put(np.ones(shape, np_dtype))


def _flush():
    """Run the deferred ops (jtorch._lazy): the graph's nodes may hold their results. A
    repeated backward soon takes them into its own fused program (fused.try_run), so their
    own program is compiled only if that has not happened after a few more steps."""
    _lazy.flush(hot=_lazy._programs.threshold + fused._programs.threshold + 1)


def _make_grads(outputs, grads, create_graph):
    out = []
    for i, t in enumerate(outputs):
        g = grads[i] if grads is not None else None
        if g is None:
            if not t._requires_grad:
                raise RuntimeError(f"element {i} of tensors does not require grad and does not "
                                   "have a grad_fn")
            if t.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if not (t.dtype.is_floating_point or t.dtype.is_complex):
                raise RuntimeError("grad can be implicitly created only for real scalar outputs "
                                   f"but got {t.dtype}")
            g = Tensor._make(_ones(tuple(t._shape), t.dtype._np), t.dtype, t.device)
        else:
            if not isinstance(g, Tensor):
                from .._creation import tensor as _tensor
                g = _tensor(g, dtype=t.dtype)
            if not t._requires_grad:
                raise RuntimeError(f"element {i} of tensors does not require grad and does not "
                                   "have a grad_fn")
            if g.shape != t.shape:
                raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of "
                                   f"{g.shape} and output[{i}] has a shape of {t.shape}.")
        if create_graph:
            out.append(g)
        else:
            v = g._value()
            out.append(v if v.dtype == t.dtype._np else v.astype(t.dtype._np))
    return out


_warned_cycle = False

# whether the running backward accumulates into .grad for every leaf: a reentrant checkpoint
# (utils/checkpoint.py) runs its own backward inside, so it needs backward() without inputs
_checkpoint_valid = [True]


def is_checkpoint_valid():
    return _checkpoint_valid[0]


# functions to call when the outermost running backward ends (queue_callback)
_callbacks = []
_depth = [0]


def queue_callback(fn):
    _callbacks.append(fn)


def _run_flagged(valid, *args, **kwargs):
    prev = _checkpoint_valid[0]
    _checkpoint_valid[0] = valid
    _depth[0] += 1
    try:
        result = _run(*args, **kwargs)
    finally:
        _checkpoint_valid[0] = prev
        _depth[0] -= 1
        if _depth[0] == 0 and _callbacks:
            pending = list(_callbacks)
            _callbacks.clear()
            for fn in pending:
                fn()
    return result


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             inputs=None):
    if retain_graph is None:
        retain_graph = create_graph
    global _warned_cycle
    if create_graph and not _warned_cycle:
        # torch warns once per process (TORCH_WARN_ONCE), whatever the warning filters
        _warned_cycle = True
        import warnings
        warnings.warn(
            "Using backward() with create_graph=True will create a reference cycle between the "
            "parameter and its gradient which can cause a memory leak. We recommend using "
            "autograd.grad when creating the graph to avoid this. If you have to use this "
            "function, make sure to reset the .grad fields of your parameters to None after use "
            "to break the cycle and avoid the leak.", UserWarning, stacklevel=3)
    grads = _make_grads(tensors, grad_tensors, create_graph)
    roots = [grad_edge(t) for t in tensors]
    if not create_graph and inputs is None and not anomaly_mode.state[0] and \
            not _trace.ACTIVE and fused.try_run(roots, grads, retain_graph):
        return
    _flush()
    capture = None
    if inputs is not None:
        inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
        if not inputs:
            raise RuntimeError("'inputs' argument to backward() cannot be empty.")
        capture = {}
        for t in inputs:
            if not t._requires_grad:
                raise RuntimeError("One of the differentiated Tensors does not require grad")
            capture[grad_edge(t)] = t
    _run_flagged(capture is None, roots, grads, retain_graph, create_graph, accumulate=True,
                 capture=capture)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    from .graph_hooks import GradientEdge
    outputs = (outputs,) if isinstance(outputs, Tensor) else tuple(outputs)
    single = isinstance(inputs, (Tensor, GradientEdge))
    inputs = (inputs,) if single else tuple(inputs)
    if is_grads_batched:
        return _grad_batched(outputs, inputs, grad_outputs, retain_graph, create_graph,
                             allow_unused, materialize_grads)
    if any(isinstance(t, GradientEdge) for t in inputs):
        return _grad_edges(outputs, inputs, grad_outputs, retain_graph, create_graph,
                           allow_unused, materialize_grads)
    if grad_outputs is not None:
        grad_outputs = (grad_outputs,) if isinstance(grad_outputs, Tensor) else tuple(grad_outputs)
    if retain_graph is None:
        retain_graph = create_graph
    for t in inputs:
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    _flush()
    grads = _make_grads(outputs, grad_outputs, create_graph)
    roots = [grad_edge(t) for t in outputs]
    capture = {grad_edge(t): t for t in inputs}
    captured = _run_flagged(False, roots, grads, retain_graph, create_graph, accumulate=False,
                            capture=capture)
    result = []
    for k, t in enumerate(inputs):
        g = captured.get(grad_edge(t))
        if g is None:
            if materialize_grads:
                g = Tensor._make(jnp.zeros(t.shape, t.dtype._np), t.dtype, t.device)
            elif not allow_unused:
                raise RuntimeError(f"The differentiated Tensor at index {k} appears to not have "
                                   "been used in the graph. Set allow_unused=True if this is "
                                   "the desired behavior.")
        elif not isinstance(g, Tensor):
            g = Tensor._make(g, t.dtype, t.device)
        result.append(g)
    return tuple(result)


def _grad_batched(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused,
                  materialize_grads):
    """is_grads_batched=True: the first dim of each grad_output is a batch of cotangents (torch
    vmaps the backward over it; here one backward per entry, stacked)."""
    from .. import stack
    gos = (grad_outputs,) if isinstance(grad_outputs, Tensor) else tuple(grad_outputs)
    n = gos[0].shape[0]
    rows = [grad(outputs, inputs, tuple(g[k] for g in gos), retain_graph=True,
                 create_graph=create_graph, allow_unused=allow_unused,
                 materialize_grads=materialize_grads) for k in range(n)]
    if not retain_graph:
        for t in outputs:       # as one backward would: the graph is freed after it
            node = grad_edge(t)[0]
            if node is not None:
                node._release()
    return tuple(None if r[0] is None else stack(list(r)) for r in zip(*rows))


def _grad_edges(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused,
                materialize_grads):
    """autograd.grad with GradientEdge inputs (tensors among them too): gradients flowing
    into those (node, output) pairs."""
    if grad_outputs is not None:
        grad_outputs = (grad_outputs,) if isinstance(grad_outputs, Tensor) else \
            tuple(grad_outputs)
    if retain_graph is None:
        retain_graph = create_graph
    edges = [(t.node, t.output_nr) if not isinstance(t, Tensor) else grad_edge(t)
             for t in inputs]
    _flush()
    grads = _make_grads(outputs, grad_outputs, create_graph)
    roots = [grad_edge(t) for t in outputs]
    captured = _run_flagged(False, roots, grads, retain_graph, create_graph, accumulate=False,
                            capture={e: None for e in edges})
    result = []
    for k, e in enumerate(edges):
        g = captured.get(e)
        if g is None:
            if materialize_grads:
                shape, dt = e[0]._out_avals[e[1]] if e[0]._out_avals else \
                    (tuple(e[0].variable.shape), e[0].variable.dtype._np)
                g = Tensor._make(jnp.zeros(shape, dt))
            elif not allow_unused:
                raise RuntimeError(f"The differentiated Tensor at index {k} appears to not have "
                                   "been used in the graph. Set allow_unused=True if this is "
                                   "the desired behavior.")
        elif not isinstance(g, Tensor):
            g = Tensor._make(g)
        result.append(g)
    return tuple(result)


def _run(roots, grads, retain_graph, create_graph, accumulate, capture):
    # 1. the nodes reachable from the roots, and how many edges point into each
    deps = dependencies(roots)

    # 2. seed the root buffers
    buffers = {}
    for (node, idx), g in zip(roots, grads):
        if node is None:
            continue
        buf = buffers.setdefault(node, [None] * max(1, len(node._out_avals)))
        buf[idx] = add_grads(buf[idx], g)

    captured = {}
    ready = [(-n._seq, id(n), n) for n in buffers if deps.get(n, 0) == 0]
    heapq.heapify(ready)
    prev_mode = grad_mode.is_grad_enabled()
    grad_mode._set_enabled(create_graph)
    try:
        while ready:
            _, _, node = heapq.heappop(ready)
            buf = buffers.pop(node)
            if capture is not None:
                for i, g in enumerate(buf):
                    if (node, i) in capture and g is not None:
                        buf[i] = g = run_tensor_hooks(node, i, g)
                        captured[(node, i)] = add_grads(captured.get((node, i)), g)
            if isinstance(node, AccumulateGrad):
                if accumulate and buf[0] is not None and (capture is None or (node, 0) in capture):
                    accumulate_leaf(node.variable, buf[0], create_graph)
                continue
            grads_in = apply_node(node, buf, create_graph)
            if anomaly_mode.state[0] and anomaly_mode.state[1]:
                anomaly_mode.check_nan(node, grads_in)
            if not retain_graph:
                node._release()
            for (nxt, idx), g in zip(node.next_functions, grads_in):
                if nxt is None:
                    continue
                if g is not None:
                    b = buffers.setdefault(nxt, [None] * max(1, len(nxt._out_avals)))
                    b[idx] = add_grads(b[idx], g)
                deps[nxt] -= 1
                if deps[nxt] == 0 and nxt in buffers:
                    heapq.heappush(ready, (-nxt._seq, id(nxt), nxt))
                elif deps[nxt] == 0:
                    skip_unreached(nxt, deps, buffers, ready)
    finally:
        grad_mode._set_enabled(prev_mode)
    return captured
