"""One step of the backward engine: a node's tensor hooks, pre-hooks and hooks around its
backward function (zeros for its outputs that received no gradient), and a leaf's gradient
accumulation into ``.grad``.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from .._tensor import Tensor
from ..device import is_available, jax_device

# eager jax ops cost tens of microseconds each; one jitted add serves every accumulation
_jit_add = jax.jit(lambda a, b: a + b)


def add_grads(a, b):
    """Two gradients flowing into one buffer slot summed (``a`` None: none yet)."""
    if a is None:
        return b
    if isinstance(a, jax.Array) and isinstance(b, jax.Array):
        return _jit_add(a, b)
    return a + b


def run_tensor_hooks(node, idx, g):
    hooks = node._tensor_hooks.get(idx) if node._tensor_hooks else None
    if hooks:
        for hook_dict in hooks:
            for fn in list(hook_dict.values()):
                gt = g if isinstance(g, Tensor) else Tensor._make(g)
                r = fn(gt)
                if r is not None:
                    g = r if isinstance(g, Tensor) else r._value()
    return g


def apply_node(node, buf, create_graph):
    node._check_saved()
    if node._prehooks:
        for fn in list(node._prehooks.values()):
            r = fn(tuple(_wrap(g) for g in buf))
            if r is not None:
                buf = [None if x is None else (x if create_graph else x._value()) for x in r]
    for i in range(len(buf)):
        if node._tensor_hooks and i in node._tensor_hooks and buf[i] is not None:
            buf[i] = run_tensor_hooks(node, i, buf[i])
        if node._retained and i in node._retained and buf[i] is not None:
            t = node._retained[i]()
            if t is not None:
                g = buf[i] if create_graph else Tensor._make(buf[i])
                t._grad = g if t._grad is None else Tensor._make(t._grad._value() + g._value())
    # outputs that received no gradient get zeros (multi-output nodes)
    for i, g in enumerate(buf):
        if g is None:
            if not getattr(node, "_materialize_grads", True):
                continue    # a custom Function with ctx.set_materialize_grads(False): None
            shape, dt = node._out_avals[i]
            z = np.zeros(shape, dt)
            buf[i] = Tensor._make(z) if create_graph else z
    if create_graph:
        if node._diff is None:
            raise NotImplementedError(
                f"jtorch: create_graph=True (higher-order gradients) is not supported yet "
                f"through {node.name()}")
        grads_in = node._diff(buf)
    else:
        raw = [g._value() if isinstance(g, Tensor) else g for g in buf]
        grads_in = node._backward_fn(raw)
    if node._hooks:
        gi = tuple(_wrap(g) for g in grads_in)
        go = tuple(_wrap(g) for g in buf)
        for fn in list(node._hooks.values()):
            r = fn(gi, go)
            if r is not None:
                gi = tuple(r)
        grads_in = [None if x is None else (x if create_graph else x._value()) for x in gi]
    return grads_in


def _wrap(g):
    if g is None or isinstance(g, Tensor):
        return g
    return Tensor._make(g)


def _on_device_of(var, g):
    """``g`` on the leaf's device: a CPU scalar leaf joined to GPU ops has its gradient
    computed on the GPU, and torch gives it back on the CPU."""
    if not is_available() or not isinstance(g, jax.Array) or \
            isinstance(g, jax.core.Tracer):     # (one device only: nothing to check)
        return g
    dev = jax_device(var._storage.device)
    return g if g.devices() == {dev} else jax.device_put(g, dev)


def accumulate_leaf(var, g, create_graph):
    if var._hooks:
        for fn in list(var._hooks.values()):
            r = fn(_wrap(g))
            if r is not None:
                g = r if create_graph else r._value()
    if isinstance(g, Tensor):
        gt = g
    else:
        if g.dtype != var.dtype._np:
            g = jnp.asarray(g).astype(var.dtype._np)
        g = _on_device_of(var, g)
        gt = None
    if var._grad is None:
        var._grad = gt if gt is not None else Tensor._make(g, var.dtype, var.device)
    elif create_graph:
        var._grad = var._grad + (gt if gt is not None else Tensor._make(g, var.dtype))
    else:
        # torch accumulates in place into an existing .grad (its version counter moves)
        var._grad._write(_jit_add(var._grad._value(), gt._value() if gt is not None else g))
    post = var.__dict__.get("_post_acc_hooks")
    if post:
        for fn in list(post.values()):
            fn(var)
