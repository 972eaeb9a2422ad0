"""An op call's arguments as the compiler sees them: binding (positional and keyword),
static arguments made hashable (they key the compiled program), tensor-like operands as jit
arguments (Python numbers as cached device scalars), torch's result dtype by the op's
promotion kind, and the common device.
"""
from __future__ import annotations

import numbers
import sys

import jax
import numpy as np

from . import _caches, _dtypes
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
