"""Pointwise arithmetic (add ... pow, neg, abs) and the helpers the element-wise families share
(``refuses``, ``_with_derivative``, ``_overload``); maximum/minimum are in
``elementwise_minmax.py``, comparisons, logical and bitwise ops in ``compare_ops.py``, unary
functions in ``unary_ops.py``. Each function receives jax arrays already cast to the compute
dtype.

Gradient conventions follow torch where JAX's differ: kinks and ties are written with
``jnp.where`` (or a ``custom_jvp`` where a ``where`` cannot express it) so that ``jax.vjp``
gives torch's subgradient (relu'(0) = 0, abs'(0) = 0, clamp passes the gradient at the
bounds, maximum splits ties in half, NaN handling as torch's).
"""
import functools

import jax
import jax.numpy as jnp

from .. import _dtypes, _errors, _rounding
from .._tensor import Tensor
from . import _mod_grad
from ._div_grad import true_div as _true_div
from ._pow_kernels import float_pow, int_pow
from ._vector_loop import vector_mask, vectorized_elements
from .registry import Promotion, composite, op

# every op here broadcasts its tensor operands: an in-place call's shape errors come before
# its dtype errors, as torch's (``_write_checks.inplace_shapes``)
BROADCASTS = True
# ops whose Python-number arguments torch hands to the kernel, not as operands (they take
# no part in the result's layout: ``_result_layout.result_layout``)
KERNEL_SCALARS = frozenset(("pow",))


def _with_derivative(fwd, deriv):
    """``fwd`` with torch's derivative ``deriv(x, out)`` (JAX's differs at NaN, signed zeros or
    kinks); the tangent is ``t * deriv(x, out)``."""
    f = jax.custom_jvp(fwd)

    @f.defjvp
    def _jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        out = fwd(x)
        return out, t * deriv(x, out)
    return f


def _kind(dt):
    """A compute dtype's category, as ``refuses`` names them (bfloat16 is NumPy kind 'V')."""
    if dt == jnp.bool_:
        return "bool"
    if jnp.issubdtype(dt, jnp.integer):
        return "int"
    return "float" if jnp.issubdtype(dt, jnp.floating) else "complex"


def refuses(kinds, message, error=NotImplementedError):
    """Declares the compute dtypes (``kinds``: "bool", "int", "float", "complex") that torch's
    CPU kernel is not built for, and its error (``message`` names the dtype as ``{}``). The
    op's compute dtype is torch's common dtype (``fmod(bool, int)`` runs in int64), so the
    check runs on the cast operands while tracing, after their broadcast (torch's
    TensorIterator checks shapes first): a refused call caches nothing, and a compiled call
    pays nothing."""
    kinds = frozenset(kinds.split())

    def wrap(fn):
        @functools.wraps(fn)
        def refusing(*args, **kwargs):
            arrays = [a for a in args if hasattr(a, "dtype")]
            dt = jnp.result_type(arrays[0])
            if _kind(dt) in kinds:
                jnp.broadcast_shapes(*(jnp.shape(a) for a in arrays))
                raise error(message.format(
                    _dtypes.torch_type_name(_dtypes.from_numpy_dtype(dt))))
            return fn(*args, **kwargs)
        return refusing
    return wrap


def _not_built(kernel, kinds):
    """torch's NotImplementedError of a kernel dispatched by dtype (``"ceil_vml_cpu"``)."""
    return refuses(kinds, f'"{kernel}" not implemented for \'{{}}\'')


def _torch_sign(x):
    """torch's sign: 0 at NaN (comparisons are false), ``x`` itself for bool."""
    if x.dtype == jnp.bool_:
        return x
    return ((x > 0).astype(x.dtype) - (x < 0).astype(x.dtype))


def _overload(*names):
    """A grad_fn naming function: torch names an op's node by overload, here by which of the
    two leading operands are tensors: ``names`` for (tensor, scalar), (tensor, tensor),
    (scalar, tensor)."""
    def name(targs, sargs, skw):
        a, b = (isinstance(x, Tensor) for x in targs[:2])
        return names[0] if not b else names[1] if a else names[2]
    return name


BIN = dict(variants="function method inplace out", tensors=("input", "other"))
UNARY_FLOAT = dict(variants="function method inplace out", promote=Promotion.INT_TO_FLOAT)


def _no_bool_sub(input, other, alpha=1):

    def is_bool(x):   # a Python bool counts as a bool operand too
        return isinstance(x, bool) or (isinstance(x, Tensor) and x.dtype is _dtypes.bool)
    if is_bool(input) and is_bool(other):
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    if is_bool(input) or is_bool(other):
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not "
                           "supported. If you are trying to invert a mask, use the `~` or "
                           "`logical_not()` operator instead.")


# ------------------------------------------------------------------ arithmetic
def _check_alpha(compute_dtype, alpha):
    """torch's alpha rules, by the compute dtype (checked while tracing: alpha is static, so
    only a call with alpha= reaches here, and a failed trace caches nothing)."""
    if isinstance(alpha, bool):
        if compute_dtype != jnp.bool_:
            raise RuntimeError("Boolean alpha only supported for Boolean results.")
    elif isinstance(alpha, float) and jnp.issubdtype(compute_dtype, jnp.integer):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")


@op(dunder="add", **BIN)
def add(input, other, *, alpha=1):
    """Adds ``other``, scaled by ``alpha``, to ``input``: ``torch.add(a, b, alpha=2)``."""
    if type(alpha) is int and alpha == 1:     # (the default: 1.0 and True are checked)
        return input + other
    _check_alpha(jnp.result_type(input, other), alpha)
    return input + other if alpha == 1 else input + alpha * other


@op(dunder="sub", check=_no_bool_sub, **BIN)
def sub(input, other, *, alpha=1):
    """Subtracts ``other``, scaled by ``alpha``, from ``input``."""
    if type(alpha) is int and alpha == 1:
        return input - other
    _check_alpha(jnp.result_type(input, other), alpha)
    return input - other if alpha == 1 else input - alpha * other


def _rsub_name(targs, sargs, skw):
    return "RsubBackward0" if isinstance(targs[1], Tensor) else "RsubBackward1"


@op(variants="function", tensors=("input", "other"), grad_fn=_rsub_name,
    check=lambda input, other, alpha=1: _no_bool_sub(other, input))
def rsub(input, other, *, alpha=1):
    """``other - alpha * input`` (the reflected subtraction, ``2 - t``)."""
    return other - alpha * input


composite(variants="method", name="__rsub__")(lambda self, other: rsub(self, other))


@op(dunder="mul", saves=("other:input", "input:other"), **BIN)
def mul(input, other):
    """Element-wise product (not matrix multiplication): ``a * b``."""
    return input * other


def _div_promotion(static_kw):
    # rounding division keeps integer dtypes; true division goes to the default float
    return Promotion.DEFAULT if static_kw.get("rounding_mode") else Promotion.INT_TO_FLOAT


@op(variants="function method inplace out", tensors=("input", "other"), dunder="truediv",
    promote=_div_promotion, saves=("other", "input:other"),
    grad_fn=lambda targs, sargs, skw: "DivBackward2" if skw.get("rounding_mode") else
    "DivBackward0")
def div(input, other, *, rounding_mode=None):
    """Element-wise division; integers divide to the default float unless ``rounding_mode`` is
    ``'trunc'`` or ``'floor'`` (then the promoted dtype is kept)."""
    if rounding_mode is None:
        if jnp.issubdtype(jnp.result_type(input, other), jnp.floating):
            return _true_div(input, other)
        return _rounding.divide(input, other)
    if rounding_mode == "trunc":
        q = jnp.trunc(input / other) if jnp.issubdtype(input.dtype, jnp.floating) \
            else _int_trunc_div(input, other)
        return q
    if rounding_mode == "floor":
        return _floor_div(input, other)
    raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but "
                       f"found '{rounding_mode}'")


def _int_trunc_div(a, b):
    q = jnp.abs(a) // jnp.abs(b)
    return jnp.where((a < 0) != (b < 0), -q, q)


def _floor_div(a, b):
    if jnp.issubdtype(a.dtype, jnp.floating):
        return jax.lax.stop_gradient(_floor_div_float(a, b))    # (its gradient is zero)
    return jnp.floor_divide(a, b)


def _floor_div_float(a, b):
    """torch's div_floor_floating: the quotient of ``a - fmod(a, b)``, so ``inf // 2`` is NaN
    and ``1 // inf`` is 0 (floor(a / b) gives inf and 0); a zero divisor gives ``a / b``."""
    mod = jnp.fmod(a, b)
    div = (a - mod) / b
    div = jnp.where((mod != 0) & ((b < 0) != (mod < 0)), div - 1, div)
    fl = jnp.floor(div)
    fl = jnp.where(div - fl > 0.5, fl + 1, fl)
    out = jnp.where(div != 0, fl, jnp.copysign(jnp.zeros_like(div), a / b))
    return jnp.where(b == 0, a / b, out)


@op(variants="function method inplace out", tensors=("input", "other"),
    promote=Promotion.INT_TO_FLOAT, grad_fn="DivBackward0", saves=("other", "input:other"))
def true_divide(input, other):
    """Alias of ``div`` without rounding."""
    return input / other


def _is_bool(x):
    return isinstance(x, bool) or (isinstance(x, Tensor) and x.dtype is _dtypes.bool)


def _integral(x):
    if isinstance(x, Tensor):
        return _dtypes.is_integral(x.dtype, include_bool=True)
    return isinstance(x, int)       # (a bool is an int)


def _check_divisor(input, other):
    """torch's integer division kernels raise on a zero divisor (they check each element,
    so this reads the divisor's values: only for integer operands). A bool common dtype is
    refused before that (``_not_built``), a broadcast error comes first."""
    if not (_integral(input) and _integral(other)) or (_is_bool(input) and _is_bool(other)):
        return
    if isinstance(other, Tensor):
        if other.numel() == 0 or not bool((other == 0).any()):
            return
        _errors.infer_size(input.shape if isinstance(input, Tensor) else (), other.shape)
        if isinstance(input, Tensor) and input.numel() == 0:
            return
    elif other != 0 or (isinstance(input, Tensor) and input.numel() == 0):
        return
    raise RuntimeError("ZeroDivisionError")


# torch has no derivative for floor_divide: its node raises at backward
@op(dunder="floordiv", grad_fn="torch::autograd::NotImplemented", check=_check_divisor, **BIN)
@_not_built("div_floor_cpu", "bool")
def floor_divide(input, other):
    """Division rounded towards minus infinity (Python's ``//``)."""
    return _floor_div(input, other)


@op(dunder="mod", grad_fn=_overload("RemainderBackward0", "RemainderBackward1",
                                     "torch::autograd::NotImplemented"), check=_check_divisor,
    saves=("other:other", "input:other"), **BIN)
@_not_built("remainder_cpu", "bool")
def remainder(input, other):
    """Python-style modulus: the result has the sign of the divisor."""
    return _remainder(input, other)     # (torch's derivative formulas: _mod_grad)


@op(grad_fn=_overload("FmodBackward0", "FmodBackward1", "FmodBackward1"), check=_check_divisor,
    saves=("other:other", "input:other"), **BIN)
@_not_built("fmod_cpu", "bool")
def fmod(input, other):
    """C-style modulus: the result has the sign of the dividend."""
    return _fmod(input, other)


_remainder = _mod_grad.with_torch_grad(
    lambda a, b: _vector_fmod_nan(a, b, jnp.remainder(a, b)), lambda a, b: _floor_div_float(a, b))
_fmod = _mod_grad.with_torch_grad(
    lambda a, b: _vector_fmod_nan(a, b, jnp.fmod(a, b)), lambda a, b: jnp.trunc(a / b))


def _vector_fmod_nan(a, b, out):
    """``out`` with torch's NaNs where its vectorized float fmod (SLEEF's, which remainder
    builds on too) runs (``vectorized_elements``): NaN for a finite quotient ``a / b``
    that overflows (fmod(1e10, 1e-30) in float32), where std::fmod is exact; and SLEEF's
    NaN signs (``b == 0`` gives +NaN, an infinite ``a`` or quotient the opposite of ``a``'s
    sign), where std::fmod gives the CPU's default -NaN. The sign of a NaN passed on from a
    NaN operand is not modelled (SLEEF's differs by dtype)."""
    dt = jnp.result_type(out)
    if dt not in (jnp.float32, jnp.float64):
        return out
    spec = vectorized_elements(jnp.shape(a), jnp.shape(b), jnp.dtype(dt).itemsize)
    if spec is None:
        return out
    vec = vector_mask(spec)
    a, b = jnp.broadcast_arrays(a, b)
    pos, neg = jnp.full((), jnp.nan, dt), jnp.full((), -jnp.nan, dt)
    overflow = jnp.isinf(a) | jnp.isinf(a / b)     # (an infinite a, or a huge quotient)
    sleef = jnp.where(b == 0, pos, jnp.where(jnp.signbit(a), pos, neg))
    fixed = jnp.where(vec & ~jnp.isnan(a) & ~jnp.isnan(b) & ((b == 0) | overflow), sleef, out)
    return _value_of_second(out, fixed)


@jax.custom_jvp
def _value_of_second(out, fixed):
    """``fixed``'s value with ``out``'s derivative (torch's fmod gradient does not see the
    NaN its kernel picks)."""
    return fixed


_value_of_second.defjvp(lambda primals, tangents: (primals[1], tangents[0]))


def _check_pow(input, exponent):
    # torch's pow kernels refuse a bool common dtype, except pow(tensor, Python scalar)
    # (_dispatch raises TensorIterator's shape and overlap errors first)
    if isinstance(exponent, Tensor) and _is_bool(exponent) and _is_bool(input):
        raise NotImplementedError("\"pow\" not implemented for 'Bool'")
    if isinstance(input, Tensor) and isinstance(exponent, int) and exponent < 0 \
            and not isinstance(exponent, bool) \
            and not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise RuntimeError("Integers to negative integer powers are not allowed.")


@op(variants="function method inplace out", tensors=("input", "exponent"), dunder="pow",
    saves=("exponent", "input", "result:exponent"), check=_check_pow,
    grad_fn=_overload("PowBackward0", "PowBackward1", "PowBackward2"))
def pow(input, exponent):
    """``input ** exponent`` element-wise."""
    if jnp.issubdtype(input.dtype, jnp.integer):
        return int_pow(input, jnp.asarray(exponent, input.dtype))
    if not jnp.issubdtype(input.dtype, jnp.floating):
        return jnp.power(input, exponent)
    return float_pow(input, jnp.asarray(exponent, input.dtype))


def refuses_bool_input(message):
    """A ``check=`` for ops that refuse a bool tensor themselves, before TensorIterator (so
    before an in-place call's overlap and shape errors): neg, relu."""
    def check(input):
        if isinstance(input, Tensor) and input.dtype is _dtypes.bool:
            raise RuntimeError(message)
    return check


@op(variants="function method inplace out", dunder="neg", check=refuses_bool_input(
    "Negation, the `-` operator, on a bool tensor is not supported. If you are "
    "trying to invert a mask, use the `~` or `logical_not()` operator instead."))
def neg(input):
    """Negation: ``-x``."""
    return -input


@op(variants="function method inplace out", dunder="abs", saves=("input",),
    promote=Promotion.COMPLEX_TO_FLOAT)
@_not_built("abs_cpu", "bool")
def abs(input):
    """Absolute value; its gradient at 0 is 0, as torch's."""
    if jnp.issubdtype(input.dtype, jnp.complexfloating):
        return jnp.abs(input)
    if not jnp.issubdtype(input.dtype, jnp.floating):
        return jnp.where(input >= 0, input, -input)
    # torch's derivative is sgn(x): 0 at 0 and at NaN
    return _abs_float(input)


_abs_float = _with_derivative(jnp.abs, lambda x, out: _torch_sign(x))
