"""Unary element-wise functions (exp, log, trigonometric, sigmoid, erf...), relu, square,
sign, rounding, clamp, fill/zero and frac. Each function receives jax arrays already cast to
the compute dtype; derivatives at kinks and NaN are torch's (see ``pointwise``).
"""
import jax
import jax.numpy as jnp

from .. import _dtypes
from .._tensor import Tensor
from . import _hyperbolic
from .masked_ops import check_number_fits
from .registry import Promotion, op
from .pointwise import (UNARY_FLOAT, _not_built, _overload, _torch_sign, _value_of_second,
                        _with_derivative, refuses_bool_input)

# every op here broadcasts its tensor operands (``_write_checks.inplace_shapes``,
# ``_result_layout.result_layout``)
BROADCASTS = True
# ops whose Python-number arguments torch hands to the kernel, not as operands (they take
# no part in the result's layout: ``_result_layout.result_layout``)
KERNEL_SCALARS = frozenset(("clamp",))
# ops whose in-place form with number arguments checks its own cast: torch's message names
# the target dtype by its C++ type (``bool_t.clamp_(-1, 1)``: "... output type bool")
CPP_NAMED_CASTS = frozenset(("clamp",))


# ------------------------------------------------------------------ unary float functions
def _unary(name, jfn, saves=("input",), doc=None, **kw):
    def f(input):
        return jfn(input)
    f.__name__ = name
    f.__doc__ = doc or f"Element-wise ``{name}``."
    return op(saves=saves, **{**UNARY_FLOAT, **kw})(f)


exp = _unary("exp", jnp.exp, saves=("result",))
def _exp2(x):
    """2**x as 2**frac(x) scaled by an exact power of two: XLA's exp2 is exp(x * ln 2), off
    at integers (2**25 came out 33554448), where torch's is exact."""
    whole = jnp.floor(x)
    finite = jnp.isfinite(x)
    power = jnp.ldexp(jnp.ones_like(x), jnp.where(finite, whole, 0).astype(jnp.int32))
    scaled = jnp.exp2(jnp.where(finite, x - whole, 0)) * jax.lax.stop_gradient(power)
    return jnp.where(finite, scaled, jnp.exp2(x))


@jax.custom_jvp
def _exp2_torch_grad(x):
    return _exp2(x)


@_exp2_torch_grad.defjvp
def _exp2_jvp(primals, tangents):
    # torch's formula, (grad * result) * ln 2 (inf past overflow; _exp2's integer split gives
    # NaN there); written so that its transpose multiplies in that order
    (x,), (t,) = primals, tangents
    out = _exp2(x)
    return out, (t * jnp.asarray(0.6931471805599453, out.dtype)) * out


exp2 = _unary("exp2", _exp2_torch_grad, saves=("result",))
expm1 = _unary("expm1", jnp.expm1, saves=("result",))
def _nan_below_zero(fn):
    """``fn`` with torch's NaN for a negative input: its sqrt and log kernels return +NaN
    there, XLA's sqrt and float32 logs the CPU's default -NaN (a sign that copysign shows),
    and a NaN input passes through as it is. (|NaN| is +NaN: XLA folds a select of a NaN
    constant where sqrt is NaN anyway.) The derivative stays ``fn``'s."""
    def f(x):
        out = fn(x)
        if not jnp.issubdtype(x.dtype, jnp.floating):
            return out
        return _value_of_second(out, jnp.where(jnp.isnan(x), x,
                                               jnp.where(x < 0, jnp.abs(out), out)))
    return f


log = _unary("log", _nan_below_zero(jnp.log))
log2 = _unary("log2", _nan_below_zero(jnp.log2))
log10 = _unary("log10", _nan_below_zero(jnp.log10))
log1p = _unary("log1p", jnp.log1p, grad_fn="Log1PBackward0")
sqrt = _unary("sqrt", _nan_below_zero(jnp.sqrt), saves=("result",))


def _one_over_sqrt(x):
    """torch's rsqrt is 1 / sqrt(x), rounded twice; XLA folds that into its rsqrt, which
    differs by an ulp on a third of float32 inputs (the barrier keeps the two steps)."""
    if not jnp.issubdtype(x.dtype, jnp.floating):
        return jax.lax.rsqrt(x)
    return 1 / jax.lax.optimization_barrier(jnp.sqrt(x))


# torch's derivative -0.5 * out**3 is +inf at -0 (out = -inf); JAX's is -inf
rsqrt = _unary("rsqrt", _with_derivative(_one_over_sqrt, lambda x, out: -0.5 * out ** 3),
               saves=("result",))
sin = _unary("sin", jnp.sin)
cos = _unary("cos", jnp.cos)
tan = _unary("tan", jnp.tan, saves=("result",))
asin = _unary("asin", jnp.arcsin)
acos = _unary("acos", jnp.arccos)
atan = _unary("atan", jnp.arctan)
# the C library's sinh/cosh (XLA's are off by up to hundreds of ulps); d sinh = cosh, d cosh = sinh
sinh = _unary("sinh", _with_derivative(_hyperbolic.sinh, lambda x, out: _hyperbolic.cosh(x)))
cosh = _unary("cosh", _with_derivative(_hyperbolic.cosh, lambda x, out: _hyperbolic.sinh(x)))
tanh = _unary("tanh", jnp.tanh, saves=("result",))
asinh = _unary("asinh", jnp.arcsinh, inplace_grad_fn="AsinhBackward1")
acosh = _unary("acosh", jnp.arccosh, inplace_grad_fn="AcoshBackward1")
atanh = _unary("atanh", jnp.arctanh, inplace_grad_fn="AtanhBackward1")
sigmoid = _unary("sigmoid", jax.nn.sigmoid, saves=("result",))
erf = _unary("erf", jax.scipy.special.erf)
erfc = _unary("erfc", jax.scipy.special.erfc)
erfinv = _unary("erfinv", jax.scipy.special.erfinv)
# torch's derivative is -(out * out), from the saved result (JAX's differentiates 1 / x)
reciprocal = _unary("reciprocal", _with_derivative(lambda x: 1 / x, lambda x, out: -(out * out)),
                    saves=("result",))


@op(variants="function method inplace out", saves=("result",),
    check=refuses_bool_input("Boolean inputs not supported for relu"))
def relu(input):
    """max(x, 0); -0. and NaN stay as they are and the gradient at 0 is 0, as torch's."""
    return _relu(input)


# torch's kernel keeps x unless x < 0 (relu(-0.) is -0.); its derivative (threshold_backward
# on the result) is 0 where the result is <= 0, so 0 at +-0 and 1 at NaN
_relu = _with_derivative(
    lambda x: jnp.where(x < 0, jnp.zeros((), x.dtype), x),
    lambda x, out: jnp.where(out <= 0, jnp.zeros((), out.dtype), jnp.ones((), out.dtype)))


@op(variants="function method inplace out", grad_fn="PowBackward0", saves=("input",),
    promote=Promotion.NONE)
def square(input):
    """``input * input``; torch's square is ``pow(input, 2)``, so bool gives int64."""
    if input.dtype == jnp.bool_:
        input = input.astype(jnp.int64)
    return input * input


@op(variants="function method inplace out", grad_fn="SignBackward0")
def sign(input):
    """-1, 0 or 1 by the sign of each element (0 for NaN; bools pass); gradient zero."""
    return _torch_sign(input)


def _round_like(name, jfn):
    @_not_built(f"{name}_vml_cpu", "bool")
    def f(input):
        if not jnp.issubdtype(input.dtype, jnp.floating):
            return input
        return jfn(input)
    f.__name__ = name
    f.__doc__ = f"Element-wise ``{name}`` (integers pass through); zero gradient."
    return op(variants="function method inplace out")(f)


ceil = _round_like("ceil", jnp.ceil)
floor = _round_like("floor", jnp.floor)
trunc = _round_like("trunc", jnp.trunc)


@op(variants="function method inplace out",
    grad_fn=lambda targs, sargs, skw: "RoundBackward1" if "decimals" in skw else
    "RoundBackward0")
def round(input, *, decimals=None):
    """Round half to even, optionally to ``decimals`` places. An integer tensor comes back
    as it is, but torch has no integer kernel once ``decimals`` is given, nor a bool one."""
    if not jnp.issubdtype(input.dtype, jnp.floating):
        if decimals is not None or input.dtype == jnp.bool_:
            kernel = "round_cpu" if decimals else "round_vml_cpu"
            name = _dtypes.torch_type_name(_dtypes.from_numpy_dtype(input.dtype))
            raise NotImplementedError(f'"{kernel}" not implemented for \'{name}\'')
        return input
    return jnp.round(input, decimals or 0)


def _clamp_name(targs, sargs, skw):
    tensor_bounds = any(isinstance(b, Tensor) for b in targs[1:])
    return "ClampBackward0" if tensor_bounds else "ClampBackward1"


def _check_clamp(input, min=None, max=None):
    # torch's number-bound kernels are not built for bool (tensor bounds are)
    if isinstance(input, Tensor) and input.dtype is _dtypes.bool and \
            all(b is None or isinstance(b, bool) for b in (min, max)):
        kernel = "clamp_scalar_cpu" if min is not None and max is not None else \
            "clamp_min_scalar_cpu" if min is not None else "clamp_max_scalar_cpu"
        if min is not None or max is not None:
            raise NotImplementedError(f'"{kernel}" not implemented for \'Bool\'')


@op(variants="function method inplace out", tensors=("input", "min", "max"),
    saves=("input",), grad_fn=_clamp_name, check=_check_clamp)
def clamp(input, min=None, max=None):
    """Clamp into [min, max]; the gradient passes where min <= x <= max (torch's rule)."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    out = input
    if min is not None:
        out = jnp.where(out < min, min, out)
    if max is not None:
        out = jnp.where(out > max, max, out)
    if not jnp.issubdtype(input.dtype, jnp.floating):
        return out
    # torch's gradient reaches x only where min <= x <= max, so not at NaN
    return jnp.where(jnp.isnan(input), jax.lax.stop_gradient(input), out)


def _check_fill(input, value):
    # torch's fill takes one number: a value tensor must be 0-dim (checked before the target)
    if isinstance(value, Tensor) and value.dim() != 0:
        raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with "
                           f"{value.dim()} dimensions.")
    if isinstance(input, Tensor):
        check_number_fits(input.dtype, value)


@op(variants="function method inplace", tensors=("input", "value"), promote=Promotion.NONE,
    grad_fn="FillBackward0", inplace_grad_fn=_overload("FillBackward2", "FillBackward3"),
    check=_check_fill)
def fill(input, value):
    """Every element set to ``value`` (in place: ``t.fill_(v)``)."""
    # (a value tensor casts as torch's x86 casts do: NaN into int64 is its minimum)
    return jnp.full(input.shape, value, input.dtype) if not hasattr(value, "shape") else \
        jnp.broadcast_to(_dtypes.torch_cast(jnp.asarray(value), input.dtype), input.shape)


@op(variants="function method inplace", promote=Promotion.NONE, grad_fn="ZeroBackward0")
def zero(input):
    """Every element set to zero (``t.zero_()``, ``torch.zero_(t)``)."""
    return jnp.zeros_like(input)


@op(variants="function method inplace out")
@_not_built("frac_cpu", "bool int")
def frac(input):
    """Fractional part, with the sign of the input."""
    return input - jnp.trunc(input)
