"""View metadata by torch's stride model (the read/write programs are in ``_view_access``).

A view is metadata ``(shape, stride, offset)`` into its storage's flat array, exactly as torch
keeps it. Every view op is one *metadata function* ``meta(shape, stride, offset, *args) ->
(shape, stride, offset)``; from it we derive, with no per-op code:

* reading: gather ``flat[offset + sum(i_k * stride_k)]`` (a slice + reshape when the view is a
  contiguous block, which covers ``view``, ``x[i]``, ``x[a:b]``, ``unsqueeze``...),
* writing: scatter into the flat storage (``_view_access.write_view``),
* the gradient: the same gather applied to the *input's* value laid out contiguously, so
  ``jax.vjp`` gives the exact adjoint (a scatter-add; ``expand`` sums as torch does).

Index arithmetic is static (Python ints) except the offset, a run-time argument: each gather
and scatter compiles once per (shape, stride) layout, whatever the offset.
"""
from __future__ import annotations

import functools
import math


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
    # torch's inferExpandGeometry: from the last dim back; a new leading dim of size 1 takes
    # the stride a contiguous dim there would have (what x.expand(1, 3).stride() prints)
    out_sh, out_st = [0] * ns, [0] * ns
    for i in range(ns - 1, -1, -1):
        j = i - (ns - nd)
        want = sizes[i]
        if j < 0:
            if want < 0:
                raise RuntimeError(f"The expanded size of the tensor ({want}) isn't allowed in a "
                                   f"leading, non-existing dimension {i}")
            out_sh[i] = want
            out_st[i] = out_sh[i + 1] * out_st[i + 1] if want == 1 and i + 1 < ns else 0
            continue
        have = shape[j]
        if want == -1:
            want = have
        if have == want:
            out_sh[i], out_st[i] = have, stride[j]
        elif have == 1:
            out_sh[i], out_st[i] = want, 0
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
