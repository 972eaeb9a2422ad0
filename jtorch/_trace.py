"""Tracing mode: jtorch code running on tensors whose storage arrays are JAX tracers.

Inside ``tracing()`` every op still goes through the dispatcher (a jitted op called on
tracers inlines into the outer trace), but the speed layers that hold values across calls
step aside: the deferred-op queue (``_lazy.ENABLED`` off, its one global check) and the
fused backward (``autograd.engine`` checks ``ACTIVE`` once per ``backward()``).

``swap`` is functionalisation by storage: the captured storages' arrays are replaced by the
program's input tracers, and restored (arrays and version counters) when the trace ends.
Random ops draw from ``next_key()``: a JAX key that is an input of the traced program.
"""
from __future__ import annotations

import contextlib

import jax

from . import _lazy

ACTIVE = False          # read by autograd.engine (fused backward) and the random entry points


class _Context:
    __slots__ = ("key", "draws", "hyper")

    def __init__(self, key, hyper):
        self.key = key          # a traced uint32[2] key (None: random ops raise)
        self.draws = 0          # random ops seen (static: whether the program needs a key)
        self.hyper = hyper      # tuple(values) -> traced optimizer hyperparameters


_ctx = None


@contextlib.contextmanager
def tracing(key=None, hyper=None):
    """Run jtorch code on tracer-valued tensors (see the module doc)."""
    global ACTIVE, _ctx
    _lazy.flush()
    saved = ACTIVE, _lazy.ENABLED, _ctx
    ACTIVE, _lazy.ENABLED, _ctx = True, False, _Context(key, hyper or {})
    try:
        # values computed from constants only (the dispatcher's cached device scalars, an
        # optimizer's zero) stay concrete: they enter process-wide caches
        with jax.ensure_compile_time_eval():
            yield _ctx
    finally:
        ACTIVE, _lazy.ENABLED, _ctx = saved


def next_key():
    """A fresh JAX key for one random op inside the trace."""
    if _ctx is None or _ctx.key is None:
        raise RuntimeError("jtorch: random numbers inside this transform need randomness="
                           "'different' or 'same'")
    _ctx.draws += 1
    return jax.random.fold_in(jax.random.wrap_key_data(_ctx.key, impl="threefry2x32"),
                              _ctx.draws)


def hyper_array(values):
    """The traced hyperparameters for ``values`` when the trace was given them, else None."""
    if _ctx is None:
        return None
    return _ctx.hyper.get(tuple(values))  # values: floats


@contextlib.contextmanager
def swap(storages, arrays):
    """Give ``storages`` the arrays ``arrays`` for the block; arrays and versions restored."""
    saved = [(st.array, st.version) for st in storages]
    for st, a in zip(storages, arrays):
        st.array = a
    try:
        yield saved
    finally:
        for st, (a, v) in zip(storages, saved):
            st.array, st.version = a, v


def draw(kind, shape, np_dtype, a, b):
    """A random op's samples inside a trace, from ``next_key()`` (JAX's generator, not
    torch's mt19937: values differ from eager, as they do under torch.compile)."""
    import numpy as np
    key = next_key()
    dt = np.dtype(np_dtype)
    if kind == "uniform":
        return jax.random.uniform(key, shape, dt, a, b)
    if kind == "normal":
        return jax.random.normal(key, shape, dt) * b + a
    return (jax.random.uniform(key, shape, jax.numpy.float32) < a).astype(dt)  # bernoulli
