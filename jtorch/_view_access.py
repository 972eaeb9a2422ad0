"""Reading and writing a strided view of a flat storage: the jitted index programs.

The layout arithmetic (strides, contiguity, the view metadata functions) is in ``_views``; this
module turns a layout ``(shape, stride)`` into the compiled programs that gather a view out of
its storage and scatter values back into it. Each program compiles once per layout; the
offset is a run-time argument.
"""
from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np

from ._views import dense_permutation, is_contiguous

def _flat_indices(shape, stride, offset):
    """Static NumPy index array of a strided view into a flat buffer."""
    idx = np.full(shape, offset, dtype=np.int64)
    for d, (n, s) in enumerate(zip(shape, stride)):
        if n > 1 and s:
            rng = np.arange(n, dtype=np.int64) * s
            idx = idx + rng.reshape((n,) + (1,) * (len(shape) - d - 1))
    return idx


def gather(flat_or_array, shape, stride, offset):
    """Read a strided view out of an array (any shape; it is used flat)."""
    return _gather_fn(tuple(shape), tuple(stride))(flat_or_array, offset)


def _span(shape, stride):
    """How many flat elements a view of this layout covers from its first one."""
    return 1 + sum((n - 1) * s for n, s in zip(shape, stride))


@functools.lru_cache(maxsize=4096)
def gather_raw(shape, stride):
    """The traceable read ``read(array, offset)`` of a strided view (ops fuse it into their own
    compiled call). The offset is a run-time argument: ``x[i]`` for a thousand different ``i``
    is one program, not a thousand compiles. The layout picks the cheapest read: a slice of the
    flat storage for a contiguous block; a slice and a transpose for a dense permutation
    (``.t()``, ``permute``: XLA's transpose, whose adjoint is a transpose too, not a
    scatter); otherwise a slice of the span the view covers and a gather at static indices."""
    n = math.prod(shape)
    if n == 0:
        def read(a, offset):
            return jnp.zeros(shape, a.dtype)
        return read
    if is_contiguous(shape, stride):
        def read(a, offset):
            return jax.lax.dynamic_slice(a.reshape(-1), (offset,), (n,)).reshape(shape)
        return read
    perm = dense_permutation(shape, stride)
    if perm is not None:
        mem_shape = tuple(shape[d] for d in perm)
        inverse = tuple(int(i) for i in np.argsort(perm))

        def read(a, offset):
            block = jax.lax.dynamic_slice(a.reshape(-1), (offset,), (n,)).reshape(mem_shape)
            return block.transpose(inverse)
        return read
    span = _span(shape, stride)
    idx = _flat_indices(shape, stride, 0)

    def read(a, offset):
        return jax.lax.dynamic_slice(a.reshape(-1), (offset,), (span,))[idx]
    return read


@functools.lru_cache(maxsize=4096)
def _gather_fn(shape, stride):
    return jax.jit(gather_raw(shape, stride))


def write_view(base_array, shape, stride, offset, values):
    """Return ``base_array`` with the strided view replaced by ``values`` (broadcast)."""
    return _scatter_fn(tuple(shape), tuple(stride))(base_array, values, offset)


@functools.lru_cache(maxsize=4096)
def _scatter_fn(shape, stride):
    """The jitted write of a view layout, its offset a run-time argument (as in gather_raw)."""
    n = math.prod(shape)
    perm = None if n == 0 or is_contiguous(shape, stride) else dense_permutation(shape, stride)

    def write(base, values, offset):
        flat = base.reshape(-1)
        values = jnp.broadcast_to(values.astype(base.dtype), shape)
        if n == 0:
            return base
        if perm is not None:
            values = values.transpose(perm)       # into memory order: a contiguous block
        if perm is not None or is_contiguous(shape, stride):
            flat = jax.lax.dynamic_update_slice(flat, values.reshape(-1), (offset,))
        else:
            span = _span(shape, stride)
            block = jax.lax.dynamic_slice(flat, (offset,), (span,))
            block = block.at[_flat_indices(shape, stride, 0)].set(values)
            flat = jax.lax.dynamic_update_slice(flat, block, (offset,))
        return flat.reshape(base.shape)
    return jax.jit(write)


def write_overlapping(base_array, shape, stride, offset, values):
    """``write_view`` for a view whose elements share memory (an expanded tensor, written by
    the fills torch allows there): only the elements the write changed are stored, and where
    several of them share a location the last in the view's order wins, as torch's serial
    kernels leave it (``x.expand(2, 3).masked_fill_(mask, v)`` fills a column when any of
    its rows is masked)."""
    return _overlap_scatter_fn(tuple(shape), tuple(stride))(base_array, values, offset)


def _differs(a, b):
    """Element-wise: whether ``a`` and ``b`` differ bit for bit (-0.0 is not 0.0, and a NaN
    left unchanged is not a change)."""
    if jnp.issubdtype(a.dtype, jnp.complexfloating):
        return _differs(a.real, b.real) | _differs(a.imag, b.imag)
    if jnp.issubdtype(a.dtype, jnp.floating):
        bits = {2: jnp.uint16, 4: jnp.uint32, 8: jnp.uint64}[a.dtype.itemsize]
        return jax.lax.bitcast_convert_type(a, bits) != jax.lax.bitcast_convert_type(b, bits)
    return a != b


@functools.lru_cache(maxsize=1024)
def _overlap_scatter_fn(shape, stride):
    span = _span(shape, stride)
    where = _flat_indices(shape, stride, 0).reshape(-1)     # each element's location
    read = gather_raw(shape, stride)

    def write(base, values, offset):
        flat = base.reshape(-1)
        values = jnp.broadcast_to(values.astype(base.dtype), shape).reshape(-1)
        changed = _differs(values, read(flat, offset).reshape(-1))
        order = jnp.where(changed, jnp.arange(values.size), -1)
        # per location, the last element written to it (-1, or the identity of an empty
        # segment, where none was)
        last = jax.ops.segment_max(order, where, num_segments=span)
        block = jax.lax.dynamic_slice(flat, (offset,), (span,))
        block = jnp.where(last >= 0, values[jnp.maximum(last, 0)], block)
        return jax.lax.dynamic_update_slice(flat, block, (offset,)).reshape(base.shape)
    return jax.jit(write)
