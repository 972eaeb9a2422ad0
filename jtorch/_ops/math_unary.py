"""Unary math beyond pointwise.py: special functions (digamma, lgamma, polygamma, i0, sinc),
angle conversions, logit, nan_to_num, sign-like functions, complex parts, and the aliases
torch documents for the element-wise ops.

Where JAX's derivative differs from torch's at a special point (digamma's poles, logit
outside [0, 1]), the op carries torch's formula as a ``jax.custom_vjp``.
"""
import math

import jax
import jax.numpy as jnp
import jax.scipy.special as jss

from .. import _cpu_capability, _dtypes
from .._tensor import Tensor
from .registry import Promotion, alias, composite, op
from . import _cephes_zeta
from .._out_arg import result_into as _out
from .math_ops import FULL, _custom1, _inplace

# element-wise ops: in-place shape errors before dtype errors (``_write_checks.inplace_shapes``)
BROADCASTS = True


# ------------------------------------------------------------------ unary special functions
UNARY = dict(variants=FULL, promote=Promotion.INT_TO_FLOAT, saves=("input",))


def _digamma_value(x):
    out = jss.digamma(x)
    return jnp.where(x == 0, jnp.copysign(jnp.inf, -x).astype(x.dtype), out)


def _trigamma(x):
    """torch's calc_trigamma (reflection below 0.5, six recurrence steps, asymptotic series):
    the same values at the poles (huge but finite at negative integers, inf at 0)."""
    small = x < 0.5
    sin_pi_x = jnp.sin(math.pi * x)
    result = jnp.where(small, -(math.pi * math.pi) / (sin_pi_x * sin_pi_x), 0).astype(x.dtype)
    y = jnp.where(small, 1 - x, x)
    for _ in range(6):
        result = result + 1 / (y * y)
        y = y + 1
    ixx = 1 / (y * y)
    result = result + (1 + 1 / (2 * y) + ixx * (1. / 6 - ixx * (1. / 30 - ixx * (1. / 42)))) / y
    return jnp.where(small, -result, result)


def _polygamma_value(n, x):
    """polygamma(n, x) with torch's values at 0, +-inf and the negative integers."""
    if n == 0:
        return _digamma_value(x)
    if n == 1:
        return _trigamma(x)
    sign = 1.0 if n % 2 else -1.0
    # torch: (-1)^(n+1) n! zeta(n + 1, x) with Cephes' zeta (also at negative x)
    factorial = math.exp(math.lgamma(n + 1.0))
    return (sign * factorial * _cephes_zeta.zeta(float(n + 1), x)).astype(x.dtype)


def _make_special(value, deriv):
    f = jax.custom_vjp(value)
    f.defvjp(lambda x: (value(x), x), lambda x, g: (g * deriv(x),))
    return f


_digamma = _make_special(_digamma_value, _trigamma)
_lgamma = _make_special(jss.gammaln, _digamma_value)


@op(**UNARY)
def digamma(input):
    """Logarithmic derivative of the gamma function (-inf at +0, +inf at -0, as torch)."""
    return _digamma(input)


@op(**UNARY)
def lgamma(input):
    """``log|Gamma(x)|``; its gradient is torch's digamma (infinite at 0)."""
    return _lgamma(input)


def _polygamma_fn(input, n):
    f = jax.custom_vjp(lambda x: _polygamma_value(n, x))
    f.defvjp(lambda x: (_polygamma_value(n, x), x),
             lambda x, g: (g * _polygamma_value(n + 1, x),))
    return f(input)


@op(variants="", promote=Promotion.INT_TO_FLOAT, grad_fn="PolygammaBackward0",
    saves=("input",), name="_polygamma")
def _polygamma(input, n):
    return _polygamma_fn(input, n)


# torch names the in-place node PolygammaBackward1
@op(variants="", promote=Promotion.INT_TO_FLOAT, grad_fn="PolygammaBackward1",
    saves=("input",), name="_polygamma_inplace")
def _polygamma_inplace_op(input, n):
    return _polygamma_fn(input, n)


def _check_n(n):
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")


@composite(variants="function")
def polygamma(n, input, *, out=None):
    """The ``n``-th derivative of the digamma function."""
    _check_n(n)
    return _out(_polygamma(input, n), out)


def _polygamma_method(self, n):
    _check_n(n)
    return _polygamma(self, n)


@composite(variants="method", name="polygamma_")
def _polygamma_(self, n):
    _check_n(n)
    return _inplace("_polygamma_inplace")(self, n)


# torch's method takes (self, n) where its function takes (n, input): one name, two orders
Tensor.polygamma = _polygamma_method


_i0 = _make_special(jss.i0, jss.i1)


@op(**UNARY)
def i0(input):
    """Modified Bessel function of the first kind, order 0 (gradient: i1)."""
    return _i0(input)


def _sinc(x):
    safe = jnp.where(x == 0, jnp.ones((), x.dtype), x)
    px = math.pi * safe
    return jnp.where(x == 0, jnp.ones((), x.dtype), jnp.sin(px) / px)


@op(**UNARY)
def sinc(input):
    """Normalised sinc: ``sin(pi x) / (pi x)``, 1 at 0 (gradient 0 there)."""
    return _sinc(input)


@op(variants=FULL, promote=Promotion.INT_TO_FLOAT, grad_fn="Deg2RadBackward0")
def deg2rad(input):
    """Degrees to radians."""
    return input * (math.pi / 180)


@op(variants=FULL, promote=Promotion.INT_TO_FLOAT, grad_fn="Rad2DegBackward0")
def rad2deg(input):
    """Radians to degrees."""
    return input * (180 / math.pi)


def _logit_nan_bwd(g, x, out):
    # torch's logit_backward, NaN outside [0, 1]: its vectorised loop (two vector registers
    # per step, width from the CPU capability) divides, g / (x * (1 - x)), so -0.0 gives
    # -inf; the scalar tail (the last n % step elements) gives g * inf at exactly 0 (either
    # sign) and 1. The split depends on the CPU torch would run on (_cpu_capability).
    d = g / (x * (1 - x))
    step = _cpu_capability.vector_loop_step(x.dtype.itemsize)
    tail = jnp.arange(x.size).reshape(x.shape) >= x.size // step * step
    d = jnp.where(tail & ((x == 0) | (x == 1)), g * jnp.asarray(jnp.inf, d.dtype), d)
    return jnp.where((x < 0) | (x > 1), jnp.full((), jnp.nan, d.dtype), d)


_logit_raw = _custom1(lambda x: jnp.log(x / (1 - x)), _logit_nan_bwd)


@op(variants=FULL, promote=Promotion.INT_TO_FLOAT, saves=("input",))
def logit(input, eps=None):
    """``log(x / (1 - x))``; with ``eps`` the input is clamped to [eps, 1 - eps] first (its
    gradient is zero outside)."""
    if eps is None:
        return _logit_raw(input)
    lo = jnp.asarray(eps, input.dtype)
    hi = jnp.asarray(1 - eps, input.dtype)
    x = jnp.where(input < lo, lo, jnp.where(input > hi, hi, input))
    return jnp.log(x / (1 - x))


@op(variants=FULL, promote=Promotion.NONE)
def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    """NaN, +inf and -inf replaced by ``nan``, ``posinf`` (default: the dtype's max) and
    ``neginf`` (default: its min); integers pass through."""
    if not jnp.issubdtype(input.dtype, jnp.inexact):
        return input
    if jnp.iscomplexobj(input):
        re = nan_to_num.fn(input.real, nan, posinf, neginf)
        im = nan_to_num.fn(input.imag, nan, posinf, neginf)
        return jax.lax.complex(re, im)
    info = jnp.finfo(input.dtype)
    pos = jnp.asarray(info.max if posinf is None else posinf).astype(input.dtype)
    neg = jnp.asarray(info.min if neginf is None else neginf).astype(input.dtype)
    nn = jnp.asarray(nan).astype(input.dtype)
    out = jnp.where(input == jnp.inf, pos, jnp.where(input == -jnp.inf, neg, input))
    return jnp.where(jnp.isnan(input), nn, out)


# ------------------------------------------------------------------ sign-like
@op(variants=FULL, promote=Promotion.NONE, saves=("input", "result"))
def sgn(input):
    """Sign of real numbers; ``x / |x|`` (0 at 0) for complex numbers."""
    if jnp.iscomplexobj(input):
        a = jnp.abs(input)
        safe = jnp.where(a == 0, jnp.ones((), a.dtype), a)
        return jnp.where(a == 0, jnp.zeros((), input.dtype), input / safe)
    if input.dtype == jnp.bool_:
        return input
    if jnp.issubdtype(input.dtype, jnp.floating):
        return jnp.where(jnp.isnan(input), jnp.zeros((), input.dtype), jnp.sign(input))
    return jnp.sign(input)


@op(variants="function method out", promote=Promotion.NONE, grad_fn=None)
def signbit(input):
    """True where the sign bit is set (also for -0.0)."""
    if input.dtype == jnp.bool_ or jnp.issubdtype(input.dtype, jnp.unsignedinteger):
        return jnp.zeros(input.shape, jnp.bool_)
    return jnp.signbit(input)


# ------------------------------------------------------------------ complex parts
@op(variants="", promote=Promotion.NONE, grad_fn="RealBackward0", name="_real")
def _real(input):
    return jnp.real(input)


@op(variants="", promote=Promotion.NONE, grad_fn="ImagBackward0", name="_imag")
def _imag(input):
    return jnp.imag(input)


@composite(variants="function")
def real(input):
    """The real part (the tensor itself for real dtypes)."""
    return _real(input) if input.is_complex() else input


@composite(variants="function")
def imag(input):
    """The imaginary part; torch raises for real dtypes."""
    if not input.is_complex():
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return _imag(input)


Tensor.real = property(real)
Tensor.imag = property(imag)


@op(variants="", promote=Promotion.INT_TO_FLOAT, grad_fn="AngleBackward0", name="_angle_real")
def _angle_real(input):
    pi = jnp.asarray(math.pi, input.dtype)
    out = jnp.where(input < 0, pi, jnp.zeros((), input.dtype))
    # piecewise constant: the gradient is 0 everywhere, NaN included (torch)
    return jax.lax.stop_gradient(jnp.where(jnp.isnan(input), input, out))


@op(variants="", promote=Promotion.COMPLEX_TO_FLOAT, grad_fn="AngleBackward0",
    name="_angle_complex", saves=("input",))
def _angle_complex(input):
    return jnp.angle(input)


@composite()
def angle(input, *, out=None):
    """Argument of each element (0 or pi for real numbers, NaN stays NaN)."""
    res = _angle_complex(input) if input.is_complex() else _angle_real(input)
    return _out(res, out)


@op(variants="", promote=Promotion.NONE, grad_fn="ConjBackward0", name="_conj")
def _conj(input):
    return jnp.conj(input)


@composite()
def conj(input):
    """Complex conjugate (the tensor itself for real dtypes; a copy, not a lazy view)."""
    return _conj(input) if input.is_complex() else input


@op(variants="function method inplace out", promote=Promotion.NONE,
    grad_fn="ConjPhysicalBackward0")
def conj_physical(input):
    """Complex conjugate, materialised."""
    return jnp.conj(input) if jnp.iscomplexobj(input) else input


# Conjugation and negation are never lazy in jtorch: no tensor carries torch's conj/neg bit,
# so resolving one is the tensor itself and asking for one is False.
def _bit_op(name, answer):
    def fn(input):
        if not isinstance(input, Tensor):       # (torch's argument parser)
            raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                            f"{type(input).__name__}")
        return answer(input)
    composite(name=name)(fn)


for _name, _fn in (("resolve_conj", lambda t: t), ("resolve_neg", lambda t: t),
                   ("is_conj", lambda t: False), ("is_neg", lambda t: False)):
    _bit_op(_name, _fn)


@composite()
def positive(input):
    """The input itself (torch raises for bool)."""
    if input.dtype is _dtypes.bool:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


# ------------------------------------------------------------------ aliases torch documents
for _name, _target in [("arcsin", "asin"), ("arccos", "acos"), ("arctan", "atan"),
                       ("arcsinh", "asinh"), ("arccosh", "acosh"), ("arctanh", "atanh"),
                       ("absolute", "abs"), ("negative", "neg"), ("multiply", "mul"),
                       ("subtract", "sub"), ("divide", "div"), ("fix", "trunc"),
                       ("clip", "clamp"), ("greater", "gt"), ("greater_equal", "ge"),
                       ("less", "lt"), ("less_equal", "le"), ("not_equal", "ne")]:
    alias(_name, _target)
del _name, _target
