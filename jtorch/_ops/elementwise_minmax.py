"""Element-wise ``maximum`` and ``minimum`` with torch's CPU results and gradients: which
operand a tie of 0. and -0. returns depends on whether torch's loop ran the element in its
vector or its scalar part (``vectorized_elements``), NaN wins from either side, and the
gradient is split in half at ties.
"""
import functools

import jax
import jax.numpy as jnp

from ._vector_loop import vector_mask, vectorized_elements
from .registry import op

# both ops broadcast their tensor operands (see ``pointwise``)
BROADCASTS = True


@op(variants="function method inplace out", tensors=("input", "other"),
    saves=("input", "other"))
def maximum(input, other):
    """Element-wise maximum; at ties the gradient is split in half (torch's rule)."""
    return _minmax(jnp.maximum, jnp.less, input, other)


@op(variants="function method inplace out", tensors=("input", "other"),
    saves=("input", "other"))
def minimum(input, other):
    """Element-wise minimum; at ties the gradient is split in half (torch's rule)."""
    return _minmax(jnp.minimum, jnp.greater, input, other)


def _minmax(fn, loses, x, y):
    """``fn(x, y)`` with torch's gradient: half each at ties, none to the operand that
    ``loses``, and all of it to both where either is NaN (no comparison holds there)."""
    dt = jnp.result_type(x, y)
    if not jnp.issubdtype(dt, jnp.floating):
        return fn(x, y)
    pick = _torch_pick(loses, jnp.shape(x), jnp.shape(y), jnp.dtype(dt).itemsize)
    x, y = jnp.broadcast_arrays(x, y)
    return _minmax_jvp(pick, loses, x, y)


@functools.lru_cache(maxsize=256)
def _torch_pick(loses, xshape, yshape, itemsize):
    """torch's kernel: ``y`` where ``x`` loses to it, NaN from either side, and at a tie
    (only 0. and -0. tell one apart) ``x`` in its scalar loop but ``y`` in its vectorized one
    (the vector max/min instructions return their second operand): maximum(0., -0.) is 0.
    in a short tensor and -0. in the vectorized part of a long one (``vectorized_elements``)."""
    second = vectorized_elements(xshape, yshape, itemsize)

    def pick(x, y):
        out = jnp.where(loses(x, y), y, x)
        if second is not None:
            out = jnp.where(vector_mask(second) & (x == y), y, out)
        return jnp.where(jnp.isnan(y), y, out)
    return pick


def _minmax_rule(fn, loses, primals, tangents):
    x, y = primals
    tx, ty = tangents

    def share(a, b, t):
        return jnp.where(a == b, t / 2, jnp.where(loses(a, b), jnp.zeros_like(t), t))
    return fn(x, y), share(x, y, tx) + share(y, x, ty)


_minmax_jvp = jax.custom_jvp(lambda fn, loses, x, y: fn(x, y), nondiff_argnums=(0, 1))
_minmax_jvp.defjvp(lambda fn, loses, primals, tangents:
                   _minmax_rule(fn, loses, primals, tangents))
