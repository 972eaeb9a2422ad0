"""Comparisons, logical and bitwise ops, ``where`` and the float predicates (isnan, isinf,
isfinite): element-wise ops whose results are bool or integral, none differentiable but
``where``. Each function receives jax arrays already cast to the compute dtype.
"""
import jax.numpy as jnp

from .. import _dtypes, _errors
from .._tensor import Tensor
from .registry import Promotion, op
from .pointwise import _not_built

# every op here broadcasts its tensor operands (``_write_checks.inplace_shapes``,
# ``_result_layout.result_layout``)
BROADCASTS = True
# ops torch answers with zeros_like/ones_like for an integral input: the result takes the
# input's preserve_format layout, not TensorIterator's (``_result_layout.result_layout``)
LIKE_IF_INTEGRAL = frozenset(("isinf", "isfinite"))
# float predicates torch computes as a comparison with a number (isinf: abs(x) == inf): their
# results are laid out as one (``_result_layout``)
COMPARES_WITH_A_NUMBER = frozenset(("isinf",))


# ------------------------------------------------------------------ comparisons
CMP = dict(variants="function method inplace out", tensors=("input", "other"),
           promote=Promotion.ALWAYS_BOOL, grad_fn=None)


@op(dunder="eq", **CMP)
def eq(input, other):
    """Element-wise ``==`` (a bool tensor)."""
    return input == other


@op(dunder="ne", **CMP)
def ne(input, other):
    """Element-wise ``!=``."""
    return input != other


@op(dunder="lt", **CMP)
def lt(input, other):
    """Element-wise ``<``."""
    return input < other


@op(dunder="le", **CMP)
def le(input, other):
    """Element-wise ``<=``."""
    return input <= other


@op(dunder="gt", **CMP)
def gt(input, other):
    """Element-wise ``>``."""
    return input > other


@op(dunder="ge", **CMP)
def ge(input, other):
    """Element-wise ``>=``."""
    return input >= other


# ------------------------------------------------------------------ logical and bitwise
@op(**CMP)
def logical_and(input, other):
    """Element-wise logical AND (non-zero is true)."""
    return jnp.logical_and(input != 0, other != 0)


@op(**CMP)
def logical_or(input, other):
    """Element-wise logical OR."""
    return jnp.logical_or(input != 0, other != 0)


@op(**CMP)
def logical_xor(input, other):
    """Element-wise logical XOR."""
    return jnp.logical_xor(input != 0, other != 0)


@op(variants="function method inplace out", promote=Promotion.ALWAYS_BOOL, grad_fn=None)
def logical_not(input):
    """Element-wise logical NOT."""
    return input == 0


def _int_only(name):
    def check(input, other=None):
        for x in (input, other):
            if isinstance(x, Tensor) and (x.dtype.is_floating_point or x.dtype.is_complex):
                raise NotImplementedError(f'"{name}_cpu" not implemented for '
                                          f"'{_dtypes.torch_type_name(x.dtype)}'")
    return check


BIT = dict(variants="function method inplace out", tensors=("input", "other"), grad_fn=None)


@op(dunder="and", **BIT)
@_not_built("bitwise_and_cpu", "float complex")
def bitwise_and(input, other):
    """Element-wise AND of integers or bools (``&``)."""
    return input & other


@op(dunder="or", **BIT)
@_not_built("bitwise_or_cpu", "float complex")
def bitwise_or(input, other):
    """Element-wise OR of integers or bools (``|``)."""
    return input | other


@op(dunder="xor", **BIT)
@_not_built("bitwise_xor_cpu", "float complex")
def bitwise_xor(input, other):
    """Element-wise XOR of integers or bools (``^``)."""
    return input ^ other


@op(variants="function method inplace out", dunder="invert", grad_fn=None,
    check=_int_only("bitwise_not"))
def bitwise_not(input):
    """Element-wise NOT of integers or bools (``~``)."""
    return ~input


@op(dunder="lshift", **BIT)
@_not_built("lshift_cpu", "float complex")
def bitwise_left_shift(input, other):
    """``input << other``."""
    return jnp.left_shift(input, other)


@op(dunder="rshift", **BIT)
@_not_built("rshift_cpu", "float complex")
def bitwise_right_shift(input, other):
    """``input >> other`` (arithmetic for signed integers)."""
    return jnp.right_shift(input, other)


# ------------------------------------------------------------------ selection
def _check_where(condition, input, other):
    dt = condition.dtype if isinstance(condition, Tensor) else None
    if dt is _dtypes.uint8:
        _errors.warn_at_user(
            "where received a uint8 condition tensor. This behavior is deprecated and will be "
            "removed in a future version of PyTorch. Use a boolean condition instead. "
            "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/"
            "TensorCompare.cpp:621.)")
    elif dt is not _dtypes.bool:
        name = _dtypes.torch_type_name(dt) if dt is not None else "Bool"
        raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {name}")


@op(variants="function out", tensors=("condition", "input", "other"),
    grad_fn="WhereBackward0", saves=("condition",), check=_check_where)
def where(condition, input, other):
    """Pick ``input`` where ``condition`` else ``other``."""
    return jnp.where(condition, input, other)


# ------------------------------------------------------------------ predicates
PRED = dict(variants="function method", promote=Promotion.NONE, grad_fn=None)


@op(**PRED)
def isnan(input):
    """True where the element is NaN."""
    return jnp.isnan(input)


@op(**PRED)
def isinf(input):
    """True where the element is +/-inf."""
    return jnp.isinf(input)


@op(**PRED)
def isfinite(input):
    """True where the element is neither inf nor NaN."""
    return jnp.isfinite(input)
