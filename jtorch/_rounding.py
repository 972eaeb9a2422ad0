"""Keeping XLA from fusing roundings away: the two guards, side by side.

torch rounds after every kernel. Inside one compiled XLA program, ops run fused, and XLA's
CPU backend (LLVM) contracts a multiply feeding an add into one fused multiply-add: one
rounding where torch rounds twice, 1 ulp off on about a third of the elements. XLA has no
flag to stop it; optimization barriers and no-op bitcasts do not stop it either (tried).
Two techniques do, each fitted to its place (a third guard, ``divide``, keeps XLA from
turning a division into a multiplication):

- ``end_product(v, zero)`` (the deferred queue's programs, ``_lazy.evaluate``): subtract a
  run-time ``+0.0`` from every float result. It is exact for every value (x - +0.0 == x,
  signed zeros included) and, being a run-time value, cannot be folded away, so the
  multiply ends there: an FMA with 0 rounds the product alone. One ``run_time_zero()``
  device scalar is passed into each program. (Not ``x + -0.0``: where ``x`` is a constant
  XLA folded, a sum over an empty dim, its simplifier rewrites ``0 + z`` to ``z``, -0.0.)
- ``fence(a, zero)`` (the optimizers' update, ``optim/_functional.py``): the update's
  float32 math runs widened to float64 (so torch's fused multiply-adds are exact, whatever
  the backend contracts) and must be rounded back to float32 at each of torch's kernel
  boundaries. XLA drops a plain float64->float32->float64 round trip, so the rounded value
  goes through its bits: a bitcast to integers xor'ed with a traced int zero
  (``int_zero()``), opaque to the simplifier and to contraction.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

_ZERO = []
_INT_ZERO = []


def run_time_zero():
    """The run-time +0.0 of ``end_product`` (one device scalar, made on first use)."""
    if not _ZERO:
        _ZERO.append(jax.device_put(np.float32(0.0)))
    return _ZERO[0]


def end_product(v, zero):
    """``v`` (traced) with a following subtraction of the run-time +0.0: a product ends
    here."""
    if jnp.issubdtype(v.dtype, jnp.inexact):
        return v - zero.astype(v.dtype)
    return v


def int_zero():
    """The traced int32 zero of ``fence`` (one device array, made on first use)."""
    if not _INT_ZERO:
        _INT_ZERO.append(jnp.zeros((), jnp.int32))
    return _INT_ZERO[0]


def fence(a, zero):
    """``a`` rounded to its dtype for real: opaque to XLA's simplifier and to LLVM's
    multiply-add contraction."""
    bits = np.dtype(f"int{8 * a.dtype.itemsize}")
    fenced = jax.lax.bitcast_convert_type(a, bits) ^ zero.astype(bits)
    return jax.lax.bitcast_convert_type(fenced, a.dtype)


def divide(a, b):
    """``a / b`` correctly rounded, as torch divides. XLA's CPU simplifier rewrites a division
    by a broadcast divisor (a scalar, a 0-dim or a smaller tensor) into a multiplication by
    its reciprocal: two roundings, 1 ulp off on about a third of the elements. Broadcasting
    the divisor behind an optimization barrier keeps the division; a full-shape divisor
    needs nothing."""
    shape = jnp.broadcast_shapes(jnp.shape(a), jnp.shape(b))
    if jnp.shape(b) != shape and jnp.issubdtype(jnp.result_type(a, b), jnp.inexact):
        b = jax.lax.optimization_barrier(jnp.broadcast_to(b, shape))
    return a / b
