"""Which elements of an element-wise op torch's CPU loop runs in its vector part (its vector
instructions can round or pick differently from the scalar tail: maximum's signed-zero ties,
fmod's NaNs).
"""
import math

import jax.numpy as jnp


def vectorized_elements(xshape, yshape, itemsize):
    """Which elements of ``x op y`` torch's CPU element-wise loop computes with vector
    instructions, as (shape, n, limit): the flat index modulo ``n`` below ``limit`` (see
    ``vector_mask``); None: none, for operands laid out contiguously: TensorIterator merges
    the trailing dims that every operand walks contiguously (or broadcasts) into one inner
    loop of ``n`` elements, which runs vectorized when each input steps by one element or
    one input by none; the vectorized loop takes 64 bytes a step (two 32-byte vectors on
    AVX2; the same width with AVX-512 kernels) and leaves ``n`` mod that to the scalar loop.
    A view operand's layout can change the inner loop; tensors past torch's parallel grain
    (32768 elements) are split into per-thread ranges, not modelled."""
    shape = jnp.broadcast_shapes(xshape, yshape)
    steps = [_loop_strides(s, shape) for s in (xshape, yshape)]
    n, inner = 1, None
    for d in reversed(range(len(shape))):
        if shape[d] == 1:
            continue
        if inner is None:
            n, inner = shape[d], [st[d] for st in steps]
        elif all(st[d] == i * n for st, i in zip(steps, inner)):
            n *= shape[d]
        else:
            break
    chunk = 64 // itemsize
    if inner is None or n < chunk or sorted(inner) not in ([1, 1], [0, 1]):
        return None
    return shape, n, n // chunk * chunk


def vector_mask(spec):
    """The elements ``vectorized_elements`` found (``spec``), made in the program from an
    iota: no constant the size of the result, nothing cached that could hold a tracer."""
    shape, n, limit = spec
    return jnp.arange(math.prod(shape), dtype=jnp.int32).reshape(shape) % n < limit


def _loop_strides(s, shape):
    """A contiguous operand's element strides in the broadcast result's dims (0: broadcast)."""
    st, acc = [0] * len(shape), 1
    lead = len(shape) - len(s)
    for i in reversed(range(len(s))):
        st[lead + i] = acc if s[i] != 1 else 0
        acc *= s[i]
    return st
