"""Ops over a boolean mask: masked_fill, masked_scatter, masked_select.

torch checks the out-of-place and in-place forms in different orders and broadcasts them
differently: ``masked_fill(x, mask, v)`` broadcasts mask against x (its message names mask
first), then fills the copy in place; ``x.masked_fill_(mask, v)`` checks the value and the
mask's dtype first and names x first; ``x.masked_scatter_(mask, src)`` expands the mask to
x's shape. The in-place forms are therefore written here (over the same table ops) rather
than derived. masked_select's output length depends on the mask, which is read on the host.
"""
import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtypes, _errors, _views
from .._tensor import Tensor
from .._out_arg import result_into as write_out
from .index_common import call_inplace_op, cast_value, host, tname
from .index_slices import fill_name
from .registry import Promotion, composite, op

# the C++ type names torch's masked_fill_ prints for a mask's dtype
_CPP_NAMES = {"int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
              "uint8": "unsigned char", "uint16": "short unsigned int",
              "uint32": "unsigned int", "uint64": "long unsigned int", "float32": "float",
              "float64": "double", "float16": "c10::Half", "bfloat16": "c10::BFloat16",
              "complex64": "c10::complex<float>", "complex128": "c10::complex<double>"}


# ------------------------------------------------------------------ masked_fill
def _fill_value_checks(self, mask, value):
    """masked_fill_'s own checks (the value, then the mask's dtype)."""
    if isinstance(value, Tensor) and value.dim() != 0:
        raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got "
                           f"tensor with {value.dim()} dimension(s).")
    if mask.dtype is not _dtypes.bool:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{_CPP_NAMES.get(mask.dtype._name, mask.dtype._name)}")


def _check_complex_value(self, value):
    """A complex number into a real tensor (a bool one takes its truth value)."""
    if isinstance(value, complex) and not self.is_complex() and self.dtype is not _dtypes.bool:
        raise RuntimeError(f"value cannot be converted to type {_value_type_name(self.dtype)} "
                           "without overflow")


def _value_type_name(dtype):
    # (torch names int32 "int", other integers by their fixed-width C type)
    name = dtype._name
    return f"{name}_t" if name[:3] in ("int", "uin") and name != "int32" else \
        _CPP_NAMES.get(name, name)


def fill_number(dtype, value):
    """The number torch's fill kernels read from ``value``: a floating one-element tensor's
    (read only when it goes into an integer tensor: then its range is checked)."""
    if isinstance(value, Tensor) and value.is_floating_point() and value.numel() == 1 and \
            not (dtype.is_floating_point or dtype.is_complex or dtype is _dtypes.bool):
        return float(value.item())
    return value


def check_number_fits(dtype, value):
    """torch's checked conversion of a float number to an integer tensor's type (fill_,
    masked_fill_, setitem of a number or of a one-element tensor's value): NaN, infinities
    and numbers outside the type's range raise (-0.9 into uint8 too)."""
    if not isinstance(value, float) or dtype.is_floating_point or dtype.is_complex or \
            dtype is _dtypes.bool:
        return
    info = np.iinfo(dtype._np)
    if not float(info.min) <= value <= float(info.max):     # (False at NaN)
        raise RuntimeError(f"value cannot be converted to type {_value_type_name(dtype)} "
                           "without overflow")


def _check_masked_fill(input, mask, value):
    """The out-of-place order: broadcast (mask first), then masked_fill_'s checks."""
    _errors.infer_size(tuple(mask.shape), tuple(input.shape))
    _fill_value_checks(input, mask, value)
    _check_complex_value(input, value)


@op(variants="function method", tensors=("input", "mask", "value"), promote=Promotion.NONE,
    grad_fn=fill_name("MaskedFill"), check=_check_masked_fill, saves=("mask",))
def masked_fill(input, mask, value):
    """``input`` with ``value`` where ``mask`` (broadcast) is True."""
    return jnp.where(mask, cast_value(value, input.dtype), input)


@composite(variants="inplace")
def masked_fill_(self, mask, value):
    _fill_value_checks(self, mask, value)
    shape = _errors.infer_size(tuple(self.shape), tuple(mask.shape))   # self first, as torch
    if shape != tuple(self.shape):
        raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast "
                           f"shape {list(shape)}")
    _check_complex_value(self, value)
    check_number_fits(self.dtype, fill_number(self.dtype, value))
    return call_inplace_op("masked_fill", self, (mask, value))


# ------------------------------------------------------------------ masked_scatter
def _check_scatter_source(self, mask, source):
    """masked_scatter_'s first check: the source's dtype."""
    if source.dtype is not self.dtype:
        raise RuntimeError(f"masked_scatter: expected self and source to have same dtypes but "
                           f"got{tname(self)} and {tname(source)}")


def _check_mask_count(self, mask, source):
    """masked_scatter_'s checks after the broadcast: the mask's dtype, then enough source."""
    if mask.dtype is not _dtypes.bool:
        raise RuntimeError(f"masked_scatter_ only supports boolean masks, but got mask with "
                           f"dtype {tname(mask)}")
    shape = np.broadcast_shapes(tuple(self.shape), tuple(mask.shape))
    if int(np.broadcast_to(host(mask), shape).sum()) > source.numel():
        raise RuntimeError("Number of elements of source < number of ones in mask")


def _check_masked_scatter(input, mask, source):
    _errors.infer_size(tuple(mask.shape), tuple(input.shape))   # mask first, as torch's
    _check_scatter_source(input, mask, source)
    _check_mask_count(input, mask, source)


@op(variants="function method", tensors=("input", "mask", "source"), promote=Promotion.NONE,
    check=_check_masked_scatter, saves=("mask",))
def masked_scatter(input, mask, source):
    """``input`` with the elements where ``mask`` is True replaced, in order, by consecutive
    elements of ``source``."""
    shape = jnp.broadcast_shapes(input.shape, mask.shape)
    m = jnp.broadcast_to(mask, shape).reshape(-1)
    x = jnp.broadcast_to(input, shape).reshape(-1)
    src = source.reshape(-1)
    if src.size == 0:
        return x.reshape(shape)
    k = jnp.clip(jnp.cumsum(m) - 1, 0, src.size - 1)
    return jnp.where(m, src[k], x).reshape(shape)


@composite(variants="inplace")
def masked_scatter_(self, mask, source):
    _check_scatter_source(self, mask, source)
    if mask.dim() > self.dim():     # torch expands the mask to self's shape
        kind = "CPUBoolType" if mask.dtype is _dtypes.bool else mask.type()   # (as torch's)
        raise RuntimeError(f"expand({kind}{{{list(mask.shape)}}}, size="
                           f"{list(self.shape)}): the number of sizes provided ({self.dim()}) "
                           f"must be greater or equal to the number of dimensions in the "
                           f"tensor ({mask.dim()})")
    _views.meta_expand(tuple(mask.shape), mask.stride(), 0, tuple(self.shape))
    _check_mask_count(self, mask, source)
    return call_inplace_op("masked_scatter", self, (mask, source))


# ------------------------------------------------------------------ masked_select
@op(variants="", tensors=("input", "index"), promote=Promotion.NONE,
    grad_fn="MaskedSelectBackward0", name="_masked_select", saves=("index",))
def _masked_select(input, index, shape):
    return jnp.broadcast_to(input, shape).reshape(-1)[index]


@composite()
def masked_select(input, mask, *, out=None):
    """The elements of ``input`` where ``mask`` (broadcast) is True, as a 1-D tensor (the
    mask is read on the host: the length depends on it)."""
    if mask.dtype is not _dtypes.bool:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = _errors.infer_size(tuple(mask.shape), tuple(input.shape))   # torch's order
    flat = np.flatnonzero(np.broadcast_to(host(mask), shape)).astype(np.int64)
    return write_out(_masked_select(input, Tensor._make(jax.device_put(flat)), shape), out)
