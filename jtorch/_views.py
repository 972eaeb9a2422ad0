"""Views over immutable jax arrays, by torch's stride model.

A view is metadata ``(shape, stride, offset)`` into its storage's flat array, exactly as torch
keeps it. Every view op is one *metadata function* ``meta(shape, stride, offset, *args) ->
(shape, stride, offset)``; from it we derive, with no per-op code:

* reading: gather ``flat[offset + sum(i_k * stride_k)]`` (a slice + reshape when the view is a
  contiguous block, which covers ``view``, ``x[i]``, ``x[a:b]``, ``unsqueeze``...),
* writing: scatter into the flat storage (``write_view``),
* the gradient: the same gather applied to the *input's* value laid out contiguously, so
  ``jax.vjp`` gives the exact adjoint (a scatter-add; ``expand`` sums as torch does).

Index arithmetic is static (Python ints) except the offset, a run-time argument: each gather
and scatter compiles once per (shape, stride) layout, whatever the offset.
"""
from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np


@functools.lru_cache(maxsize=4096)   # hot: every view of a non-view tensor asks for it
def contiguous_strides(shape):
    strides, acc = [], 1
    for n in reversed(tuple(shape)):
        strides.append(acc)
        acc *= max(n, 1)
    return tuple(reversed(strides))


def is_contiguous(shape, stride):
    # torch ignores the stride of size-1 dims and of empty tensors
    if any(n == 0 for n in shape):
        return True
    expected = 1
    for n, s in zip(reversed(shape), reversed(stride)):
        if n != 1:
            if s != expected:
                return False
            expected *= n
    return True


def dense_permutation(shape, stride):
    """For a dense, non-overlapping but non-contiguous layout (a transpose, a permute): the
    dim order ``p`` in which the memory is contiguous (``shape[p]`` with ``stride[p]``), else
    None. torch's element-wise random kernels fill such tensors in memory order."""
    if is_contiguous(shape, stride) or any(n == 0 for n in shape):
        return None
    perm = tuple(sorted(range(len(shape)), key=lambda d: (-stride[d] if shape[d] != 1 else 1,
                                                          d)))
    if not is_contiguous(tuple(shape[d] for d in perm), tuple(stride[d] for d in perm)):
        return None
    return perm


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


def has_internal_overlap(shape, stride):
    """True when two elements of the view share memory (expand's stride 0), as torch checks
    (an empty view has no two elements)."""
    return 0 not in shape and any(s == 0 and n > 1 for n, s in zip(shape, stride))


# ------------------------------------------------------------------ metadata functions
# Each takes (shape, stride, offset, *args) and returns (shape, stride, offset).

def _wrap_dim(dim, ndim):
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {dim})")
    return dim % n


def meta_transpose(shape, stride, offset, d0, d1):
    nd = len(shape)
    if nd == 0:
        return shape, stride, offset
    d0, d1 = _wrap_dim(d0, nd), _wrap_dim(d1, nd)
    sh, st = list(shape), list(stride)
    sh[d0], sh[d1] = sh[d1], sh[d0]
    st[d0], st[d1] = st[d1], st[d0]
    return tuple(sh), tuple(st), offset


def meta_permute(shape, stride, offset, dims):
    nd = len(shape)
    if len(dims) != nd:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does "
                           f"not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {nd} is not equal to len(dims) = {len(dims)}")
    dims = [_wrap_dim(d, nd) for d in dims]
    if len(set(dims)) != nd:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return tuple(shape[d] for d in dims), tuple(stride[d] for d in dims), offset


def meta_select(shape, stride, offset, dim, index):
    nd = len(shape)
    if nd == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    dim = _wrap_dim(dim, nd)
    n = shape[dim]
    if not -n <= index < n:
        raise IndexError(f"index {index} is out of bounds for dimension {dim} with size {n}")
    index %= n
    return (shape[:dim] + shape[dim + 1:], stride[:dim] + stride[dim + 1:],
            offset + index * stride[dim])


def meta_slice(shape, stride, offset, dim, start, stop, step):
    if step <= 0:
        raise ValueError("step must be greater than zero")
    dim = _wrap_dim(dim, len(shape))
    n = shape[dim]
    start, stop, _ = slice(start, stop).indices(n)
    length = max(0, (stop - start + step - 1) // step)
    sh, st = list(shape), list(stride)
    sh[dim] = length
    st[dim] = stride[dim] * step
    # torch moves the offset to the (clamped) start even when the slice is empty
    return tuple(sh), tuple(st), offset + start * stride[dim]


def meta_narrow(shape, stride, offset, dim, start, length):
    dim = _wrap_dim(dim, len(shape))
    n = shape[dim]
    if start < 0:
        start += n
    if not (0 <= start <= n and 0 <= length and start + length <= n):
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    return meta_slice(shape, stride, offset, dim, start, start + length, 1)


def meta_unsqueeze(shape, stride, offset, dim):
    nd = len(shape)
    if not -nd - 1 <= dim <= nd:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-nd - 1}, {nd}], "
                         f"but got {dim})")
    dim %= nd + 1
    new_stride = stride[dim] * shape[dim] if dim < nd else 1
    return shape[:dim] + (1,) + shape[dim:], stride[:dim] + (new_stride,) + stride[dim:], offset


def meta_squeeze(shape, stride, offset, dims):
    nd = len(shape)
    if dims is None:
        keep = [i for i in range(nd) if shape[i] != 1]
    else:
        drop = {_wrap_dim(d, nd) for d in dims} if nd else set()
        keep = [i for i in range(nd) if not (i in drop and shape[i] == 1)]
    return tuple(shape[i] for i in keep), tuple(stride[i] for i in keep), offset


def meta_expand(shape, stride, offset, sizes):
    nd, ns = len(shape), len(sizes)
    if ns < nd:
        raise RuntimeError(f"expand({list(shape)}, size={list(sizes)}): the number of sizes "
                           f"provided ({ns}) must be greater or equal to the number of dimensions "
                           f"in the tensor ({nd})")
    out_sh, out_st = [], []
    for i in range(ns):
        j = i - (ns - nd)
        want = sizes[i]
        if j < 0:
            if want < 0:
                raise RuntimeError(f"The expanded size of the tensor ({want}) isn't allowed in a "
                                   f"leading, non-existing dimension {i}")
            out_sh.append(want)
            out_st.append(0)
            continue
        have = shape[j]
        if want == -1:
            want = have
        if have == want:
            out_sh.append(have)
            out_st.append(stride[j])
        elif have == 1:
            out_sh.append(want)
            out_st.append(0)
        else:
            raise RuntimeError(f"The expanded size of the tensor ({want}) must match the existing "
                               f"size ({have}) at non-singleton dimension {i}.  Target sizes: "
                               f"{list(sizes)}.  Tensor sizes: {list(shape)}")
    return tuple(out_sh), tuple(out_st), offset


def infer_size(sizes, numel):
    """Resolve one -1 in a view/reshape size, with torch's errors."""
    sizes = list(sizes)
    neg = [i for i, s in enumerate(sizes) if s == -1]
    if len(neg) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for s in sizes:
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s}")
    known = math.prod(s for s in sizes if s != -1)
    if neg:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(sizes)}' is invalid for input of size {numel}")
        sizes[neg[0]] = numel // known
    elif known != numel:
        raise RuntimeError(f"shape '{list(sizes)}' is invalid for input of size {numel}")
    return tuple(sizes)


def view_strides(shape, stride, new_shape):
    """torch's computeStride: strides for viewing (shape, stride) as new_shape, or None."""
    if math.prod(shape) == 0 or not shape:
        # an empty tensor viewed as its own shape keeps its strides, as torch's
        return tuple(stride) if tuple(shape) == tuple(new_shape) and shape else \
            contiguous_strides(new_shape)
    new_stride = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    chunk_base_stride = stride[-1]
    tensor_numel, view_numel = 1, 1
    for d in range(len(shape) - 1, -1, -1):
        tensor_numel *= shape[d]
        if d == 0 or (shape[d - 1] != 1 and stride[d - 1] != tensor_numel * chunk_base_stride):
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                new_stride[view_d] = view_numel * chunk_base_stride
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if d > 0:
                chunk_base_stride = stride[d - 1]
                tensor_numel, view_numel = 1, 1
    if view_d != -1:
        return None
    return tuple(new_stride)


def meta_view(shape, stride, offset, new_shape):
    new_shape = infer_size(new_shape, math.prod(shape))
    st = view_strides(shape, stride, new_shape)
    if st is None:
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at "
                           "least one dimension spans across two contiguous subspaces). Use "
                           ".reshape(...) instead.")
    return new_shape, st, offset


def meta_diagonal(shape, stride, offset, off, d1, d2):
    nd = len(shape)
    d1, d2 = _wrap_dim(d1, nd), _wrap_dim(d2, nd)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {d1}, {d2}")
    if off >= 0:
        n = max(0, min(shape[d1], shape[d2] - off))
        new_off = offset + (off * stride[d2] if n else 0)
    else:
        n = max(0, min(shape[d1] + off, shape[d2]))
        new_off = offset + (-off * stride[d1] if n else 0)
    keep = [i for i in range(nd) if i not in (d1, d2)]
    return (tuple(shape[i] for i in keep) + (n,),
            tuple(stride[i] for i in keep) + (stride[d1] + stride[d2],), new_off)


def meta_unfold(shape, stride, offset, dim, size, step):
    nd = len(shape)
    dim = _wrap_dim(dim, nd) if nd else 0
    n = shape[dim] if nd else 1
    if size > n:
        raise RuntimeError(f"maximum size for tensor at dimension {dim} is {n} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    if not nd:
        return (size,), (1,), offset
    sh, st = list(shape), list(stride)
    sh[dim] = (n - size) // step + 1
    st[dim] = stride[dim] * step
    return tuple(sh) + (size,), tuple(st) + (stride[dim],), offset


def meta_as_strided(shape, stride, offset, size, new_stride, storage_offset):
    return tuple(size), tuple(new_stride), offset if storage_offset is None else storage_offset


def meta_alias(shape, stride, offset):
    return shape, stride, offset


def reorder_dims(ndim, swap):
    """torch's reorder of dims by an insertion sort from the innermost on, starting from the
    reversed order: ``swap(a, b) > 0`` moves dim ``a`` inside dim ``b``, ``< 0`` stops the
    pass, 0 (an ambiguous comparison) leaves the order as it is. Innermost dim first."""
    perm = list(range(ndim - 1, -1, -1))
    for i in range(1, ndim):
        j = i
        for k in range(i - 1, -1, -1):
            c = swap(perm[k], perm[j])
            if c > 0:
                perm[k], perm[j] = perm[j], perm[k]
                j = k
            elif c < 0:
                break
    return perm
