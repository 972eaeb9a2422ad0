"""An op call's arguments as the compiler sees them: binding (positional and keyword),
static arguments made hashable (they key the compiled program), tensor-like operands as jit
arguments (Python numbers as cached device scalars), torch's result dtype by the op's
promotion kind, and the common device.
"""
from __future__ import annotations

import functools
import numbers
import sys

import jax
import jax.numpy as jnp
import numpy as np

from . import _caches, _dtypes, _views
from ._ops.registry import OpDef, Promotion
from ._tensor import Tensor
from .device import CPU

_SCALARS = (bool, int, float, complex)
_EMPTY = {}


def bind(d: OpDef, args, kwargs):
    """Positional tensor args + static args in signature order (kwargs for the rest)."""
    if not kwargs and len(args) >= d.n_tensors:
        return args, kwargs
    args = list(args)
    kwargs = dict(kwargs)
    for i, p in enumerate(d.params[:d.n_positional]):
        if i < len(args):
            if p in kwargs:
                raise TypeError(f"{d.name}() got multiple values for argument '{p}'")
            continue
        if p in kwargs:
            args.append(kwargs.pop(p))
        elif i < d.n_tensors:
            if p in d.defaults:
                args.append(d.defaults[p])
            else:
                raise TypeError(_missing(d, args, kwargs))
        else:
            break
    return tuple(args), kwargs


def _missing(d, args, kwargs):
    """torch's arity error for a one-signature function (its grammar: "1 ... arguments",
    "2 ... argument")."""
    names = [p for p in d.params[len(args):d.n_tensors] if p not in kwargs and
             p not in d.defaults]
    noun = "arguments" if len(names) == 1 else "argument"
    return f"{d.name}() missing {len(names)} required positional {noun}: " + \
        ", ".join(f'"{p}"' for p in names)


def hashable(v):
    if isinstance(v, list):
        return tuple(hashable(x) for x in v)
    if isinstance(v, Tensor):
        raise TypeError("a Tensor was passed where a static argument was expected")
    return v


def _operand(a):
    """(jit argument, dtype, promotion kind) of one tensor-like argument."""
    if isinstance(a, Tensor):
        return a._value(), a._dtype, ("dim" if a._shape else "zero")
    if isinstance(a, _SCALARS):
        return _jit_scalar(a), _dtypes.scalar_dtype(a), "wrapped"
    if isinstance(a, np.generic):
        a = a.item()
        return _jit_scalar(a), _dtypes.scalar_dtype(a), "wrapped"
    if isinstance(a, numbers.Number):
        a = complex(a) if isinstance(a, numbers.Complex) and not isinstance(a, numbers.Real) \
            else float(a)
        return a, _dtypes.scalar_dtype(a), "wrapped"
    raise TypeError(f"expected Tensor or number, but got {type(a).__name__}")


def result_dtypes(d: OpDef, operands, static_kw):
    """(compute dtype, output dtype) by the op's promotion kind; None means 'no cast'."""
    forced = static_kw.get("dtype") if static_kw else None
    if forced is not None:
        forced = _dtypes.as_dtype(forced)
        return forced, forced
    kind = d.promote(static_kw) if callable(d.promote) else d.promote
    if kind is Promotion.NONE or not operands:
        return None, None
    rdt = _dtypes.result_type_of(operands)
    if kind is Promotion.DEFAULT:
        return rdt, rdt
    if kind is Promotion.INT_TO_FLOAT:
        if not (rdt.is_floating_point or rdt.is_complex):
            rdt = _dtypes.get_default_dtype()
        return rdt, rdt
    if kind is Promotion.ALWAYS_BOOL:
        return rdt, _dtypes.bool
    if kind is Promotion.COMPLEX_TO_FLOAT:
        return rdt, rdt.to_real()
    if kind is Promotion.BOOL_TO_LONG:
        if not (rdt.is_floating_point or rdt.is_complex):
            rdt = _dtypes.int64
        return rdt, rdt
    raise AssertionError(kind)


# ------------------------------------------------------------------ jit arguments
FAST_SCALARS = frozenset((bool, int, float))      # Python numbers the fast paths take
DEVICE_SCALARS = _caches.bounded("device scalars", _caches.DEVICE_SCALARS)


def _jit_scalar(v):
    """A Python number as the fast paths pass it (one compiled signature for both paths)."""
    return device_scalar(v) if type(v) in FAST_SCALARS else v


def device_scalar(v):
    """A Python number as a jit argument: jit copies a Python scalar to the device on every
    call (~2-8 us); a cached device scalar of the same dtype and weak type is passed as is.
    Zero floats (0.0 == -0.0 as keys), NaN and out-of-range ints are passed raw."""
    key = (type(v), v)
    arr = DEVICE_SCALARS.get(key)
    if arr is None:
        if v != v or (type(v) is float and v == 0.0) or \
                (type(v) is int and not -2 ** 63 <= v < 2 ** 63):
            return v
        arr = DEVICE_SCALARS.put(key, jax.device_put(v))
    return arr


class Operands:
    """One pass over the tensor-like args: jit arguments, promotion operands, tensors, views
    read inside the call, and whether any requires grad."""
    __slots__ = ("jargs", "operands", "tensors", "views", "offsets", "any_grad",
                 "cached_view")

    def __init__(self, targs):
        self.jargs, self.operands, self.tensors, self.views, self.offsets = [], [], [], [], []
        self.any_grad = False
        self.cached_view = False    # a view's value was passed (the fast paths pass storage)
        for a in targs:
            if isinstance(a, Tensor):
                self._tensor(a)
            elif a is None:
                self.jargs.append(None)
            elif isinstance(a, (list, tuple)):
                self.jargs.append(tuple([self._element(e) for e in a]))
            else:
                v, dt, k = _operand(a)
                self.jargs.append(v)
                self.operands.append((dt, k))

    def _tensor(self, a):
        view = a._view
        st = a._storage
        if view is None:
            self.jargs.append(st.array)
        else:
            cache = a._cache
            if cache is not None and cache[0] == st.version and cache[1] is st.array:
                self.jargs.append(cache[2])
                self.cached_view = True
            else:   # read the view inside the op's compiled call
                self.views.append((len(self.jargs), view[0], view[1]))
                self.offsets.append(view[2])
                self.jargs.append(st.array)
        self.operands.append((a._dtype, "dim" if a._shape else "zero"))
        self.tensors.append(a)
        self.any_grad = self.any_grad or a._requires_grad

    def _element(self, e):
        """An element of a tensor-list argument (its views are read before the call)."""
        if e is None:
            return None
        v, dt, k = _operand(e)
        self.operands.append((dt, k))
        if isinstance(e, Tensor):
            self.tensors.append(e)
            self.any_grad = self.any_grad or e._requires_grad
        return v


def dtypes_of(d, operands, skw, inplace_target):
    """(compute dtype, output dtype) of a call, cached per op by operand kinds; an in-place
    call writes its target's dtype (torch's can't-cast error otherwise)."""
    rkey = (tuple(operands), tuple(skw.items()) if skw else ())
    dts = d.dtype_cache.get(rkey)
    if dts is None:
        dts = d.dtype_cache[rkey] = result_dtypes(d, operands, skw)
    cdt, odt = dts
    if inplace_target is not None:
        tdt = inplace_target._dtype
        if odt is not None and d.promote is not Promotion.NONE and \
                not _dtypes.can_cast(odt, tdt):
            raise RuntimeError(f"result type {_dtypes.torch_type_name(odt)} can't be cast to "
                               f"the desired output type {_target_name(d, operands, tdt)}")
        odt = tdt
    return cdt, odt


def _target_name(d, operands, tdt):
    """The in-place target's dtype as torch's cast error names it: by its C++ type for an op
    of its family's ``CPP_NAMED_CASTS`` called with numbers only (its own check fires)."""
    named = getattr(sys.modules.get(d.fn.__module__), "CPP_NAMED_CASTS", ())
    if d.name in named and all(k == "wrapped" for _, k in operands[1:]):
        return _dtypes.cpp_type_name(tdt)
    return _dtypes.torch_type_name(tdt)


def common_device(tensors):
    """The device of an op on these operands, as torch's TensorIterator finds it: the first
    operand's that is not a CPU scalar (a 0-dim CPU tensor joins any device); another device
    after it is torch's error, naming the two in operand order."""
    for t in tensors:
        if t._storage.device is not CPU:
            break
    else:
        return CPU
    dev = None
    for t in tensors:
        td = t._storage.device
        if td is CPU and not t._shape:
            continue
        if dev is None:
            dev = td
        elif td is not dev and td != dev:
            raise RuntimeError(f"Expected all tensors to be on the same device, but found at "
                               f"least two devices, {dev} and {td}!")
    return CPU if dev is None else dev


# ------------------------------------------------------------------ result layout
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
