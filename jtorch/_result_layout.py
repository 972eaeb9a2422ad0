"""The layout torch gives an op's result: the strides of an element-wise result (torch's
TensorIterator orders the result's dims by its operands' strides), of a copy under
preserve_format (clone, ``.to``), and a fresh result re-laid out with given strides.
"""
from __future__ import annotations

import functools
import sys

import jax
import jax.numpy as jnp

from . import _caches, _views
from ._tensor import Tensor


@functools.lru_cache(maxsize=_caches.ELEMENTWISE_LAYOUTS)   # (a pure function of layouts)
def elementwise_strides(metas, shape):
    """The strides torch's TensorIterator gives the result of an element-wise op, or None
    when they are the contiguous ones. ``metas``: per operand, its (shape, stride), or None
    for a Python number; ``shape``: the broadcast shape. Operands of the result's shape that
    are all contiguous give a contiguous result, all channels-last a channels-last one, all
    dense with equal strides those strides; otherwise the dims are ordered by the operands'
    strides (the first operand that tells two dims apart decides; broadcast dims never do)."""
    nd = len(shape)
    if nd == 0:
        return None
    tensors = [m for m in metas if m is not None]
    if len(tensors) == len(metas) and all(m[0] == shape for m in tensors):
        if all(_views.is_contiguous(*m) for m in tensors):
            return None
        if nd == 4 and all(_channels_last(*m) for m in tensors):
            c, h, w = shape[1], shape[2], shape[3]
            return (c * w * h, 1, c * w, c)
        first = tensors[0][1]
        if all(m[1] == first and dense(*m) for m in tensors):
            return None if first == _views.contiguous_strides(shape) else first
    perm = _stride_order([_broadcast_strides(m, shape) for m in tensors], shape)
    if perm == list(range(nd - 1, -1, -1)):
        return None
    strides, acc = [0] * nd, 1
    for d in perm:
        strides[d] = acc
        acc *= shape[d]
    return tuple(strides)


def _broadcast_strides(meta, shape):
    """An operand's strides in the result's dims: 0 where it is broadcast."""
    s, st = meta
    lead = len(shape) - len(s)
    return [0] * lead + [0 if n == 1 and shape[lead + i] != 1 else st[i]
                         for i, n in enumerate(s)]


def _stride_order(strides, shape):
    """torch's reorder_dimensions: the dims from fastest to slowest (an insertion sort in
    which an ambiguous comparison leaves the order as it is)."""
    def swap(d0, d1):
        for st in strides:
            s0, s1 = st[d0], st[d1]
            if s0 == 0 or s1 == 0:
                continue
            if s0 != s1:
                return 1 if s0 > s1 else -1
            if shape[d0] > shape[d1]:       # equal strides: the smaller dim goes first
                return 1
        return 0
    return _views.reorder_dims(len(shape), swap)


def _channels_last(shape, stride):
    expected = 1
    for d in (1, 3, 2, 0):
        if shape[d] != 1:
            if stride[d] != expected:
                return False
            expected *= shape[d]
    return True


def dense(shape, stride):
    """torch's is_non_overlapping_and_dense."""
    if len(shape) == 1:
        return shape[0] < 2 or stride[0] == 1
    order = sorted(range(len(shape)), key=lambda d: (shape[d] < 2, stride[d]))
    need = 1
    for d in order:
        if shape[d] < 2:
            return True
        if stride[d] != need:
            return False
        need *= shape[d]
    return True


_FAMILY = {}    # op -> None (not element-wise) or whether Python numbers are its operands


def elementwise(d):
    """Whether ``d`` is element-wise (its module declares ``BROADCASTS``) and, if so,
    whether torch passes its Python-number arguments as operands (``add(t, 2)``) rather
    than to the kernel (``pow(t, 2)``, the module's ``KERNEL_SCALARS``)."""
    try:
        return _FAMILY[d]
    except KeyError:
        mod = sys.modules.get(d.fn.__module__)
        kind = None
        if getattr(mod, "BROADCASTS", False):
            kind = d.name not in getattr(mod, "KERNEL_SCALARS", ())
        _FAMILY[d] = kind
        return kind


def result_layout(d, targs, res):
    """The strides torch gives ``res`` (None: contiguous), the result of ``d`` on ``targs``:
    element-wise results follow their operands' layout (a transposed operand gives a
    transposed result), which matters only when an operand is a view or the result is
    empty (TensorIterator's strides then multiply by the 0 size)."""
    if d is None or type(res) is not Tensor:
        return None
    for a in targs:
        if isinstance(a, Tensor) and a._view is not None:
            break
    else:
        if 0 not in res._shape:
            return None
    numbers = elementwise(d)
    if numbers is None:
        return None
    first = targs[0] if targs else None
    if not numbers and not isinstance(first, Tensor):
        return None     # pow(2, t): torch's scalar-base overloads allocate a contiguous result
    if isinstance(first, Tensor) and not (first.dtype.is_floating_point or
                                          first.dtype.is_complex) and \
            d.name in getattr(sys.modules.get(d.fn.__module__), "LIKE_IF_INTEGRAL", ()):
        return preserve_format_strides(tuple(first._shape), tuple(first.stride()))
    if d.name in getattr(sys.modules.get(d.fn.__module__), "COMPARES_WITH_A_NUMBER", ()):
        return _compared_with_a_number(first)
    metas = []
    cast = _inputs_cast_to_float(targs, res, numbers)
    for i, a in enumerate(targs):
        if isinstance(a, Tensor):
            shape, stride = tuple(a._shape), tuple(a.stride())
            if cast:
                stride = preserve_format_strides(shape, stride) or \
                    _views.contiguous_strides(shape)
            metas.append((shape, stride))
        elif a is not None and numbers:
            metas.append(None)
    return elementwise_strides(tuple(metas), tuple(res._shape))


def _compared_with_a_number(x):
    """torch's composite isinf, ``abs(x) == inf``: a unary result compared with a number
    (which tells an empty result's dims apart differently from the unary op alone)."""
    shape = tuple(x._shape)
    inner = elementwise_strides(((shape, tuple(x.stride())),), shape) or \
        _views.contiguous_strides(shape)
    return elementwise_strides(((shape, inner), None), shape)


def _inputs_cast_to_float(targs, res, numbers):
    """Whether torch's TensorIterator casts the operands before laying out the result: an
    integral-to-float op (sin(int), int / int) on tensors only copies each integral input to
    the float dtype first (``.to``, preserve_format), and the result follows those copies'
    strides (they differ from a broadcast view's in their size-1 dims). With a Python-number
    operand (t / 2) the inputs keep their layout; a number the kernel takes (t ** 0.5) is no
    operand."""
    if not res.dtype.is_floating_point:
        return False
    for a in targs:
        if a is None or (not numbers and not isinstance(a, Tensor)):
            continue
        if not isinstance(a, Tensor) or a.dtype.is_floating_point or a.dtype.is_complex:
            return False
    return True


@functools.lru_cache(maxsize=_caches.COPY_LAYOUTS)   # (a pure function of a layout)
def preserve_format_strides(shape, stride):
    """The strides torch gives a copy of a tensor laid out as (``shape``, ``stride``) under
    preserve_format (clone, ``_to_copy``): a non-overlapping and dense tensor's own strides,
    those of its size-1 dims included (an empty tensor counts as dense: its strides are
    kept whatever they are), else dense strides in the order of its dims' strides (torch's
    infer_dense_strides); None when they are the contiguous ones."""
    if 0 in shape or dense(shape, stride):
        out = tuple(stride)
    else:
        out, acc = [0] * len(shape), 1
        for d in _stride_order([list(stride)], shape):
            out[d] = acc
            acc *= shape[d]
        out = tuple(out)
    return None if out == _views.contiguous_strides(shape) else out


def copy_layout(res, src, memory_format=None):
    """``res``, a fresh copy of ``src``, laid out as torch lays out a copy in
    ``memory_format`` (None: preserve_format; contiguous_format; channels_last)."""
    fmt = getattr(memory_format, "_name", "preserve_format")
    shape = tuple(res._shape)
    if fmt == "channels_last" and len(shape) == 4:
        _, c, h, w = shape
        return restride(res, (c * h * w, 1, w * c, c))
    if fmt != "preserve_format" or src._view is None:
        return res
    return restride(res, preserve_format_strides(shape, tuple(src.stride())))


def restride(res, strides):
    """``res`` (a fresh result) laid out with ``strides``: its storage holds the values in
    memory order and the tensor is a strided view of it, as torch's result."""
    if strides is None:
        return res
    shape = tuple(res._shape)
    perm = _views.dense_permutation(shape, strides)
    if perm is not None:
        res._storage.array = jnp.transpose(res._storage.array, perm)
    res._view = (shape, strides, 0)
    return res


def in_memory_order(fn, res, strides):
    """``fn`` returning its result in the memory order of ``strides`` (for the queue)."""
    perm = _views.dense_permutation(tuple(res._shape), strides)
    return fn if perm is None else jax.jit(lambda *xs: jnp.transpose(fn(*xs), perm))
