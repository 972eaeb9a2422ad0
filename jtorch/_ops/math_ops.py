"""More pointwise math: fused arithmetic (addcmul, lerp), two-argument functions (atan2, hypot,
xlogy, logaddexp...), special functions (digamma, lgamma, polygamma, i0), complex parts and
NaN-aware maximum/minimum.

Where JAX's derivative differs from torch's at a special point (atan2 at the origin, hypot at
0, xlogy at x == 0, logit outside [0, 1]...), the op carries torch's formula as a
``jax.custom_vjp`` (see ``_custom2``); elsewhere ``jnp.where`` picks torch's subgradient.
"""
import math

import jax
import jax.numpy as jnp
import jax.scipy.special as jss

from .. import _cpu_capability, _dtypes
from .._tensor import Tensor
from .registry import OPS, Promotion, alias, composite, op
from . import _cephes_zeta

FULL = "function method inplace out"


# ------------------------------------------------------------------ helpers
def _sum_to(g, shape):
    """Reduce a broadcast gradient back to an input's shape."""
    shape = tuple(shape)
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape)
                                      if s == 1 and g.shape[lead + i] != 1)
    if axes:
        g = g.sum(axes, keepdims=True)
    return g.reshape(shape)


def _custom2(fwd, bwd):
    """A binary jax function with an explicit gradient ``bwd(g, a, b, out) -> (ga, gb)``
    (torch's formula), reduced to each input's shape and dtype."""
    f = jax.custom_vjp(fwd)

    def f_fwd(a, b):
        out = fwd(a, b)
        return out, (a, b, out)

    def f_bwd(res, g):
        a, b, out = res
        ga, gb = bwd(g, a, b, out)
        return (_sum_to(jnp.broadcast_to(ga, out.shape), jnp.shape(a)).astype(jnp.result_type(a)),
                _sum_to(jnp.broadcast_to(gb, out.shape), jnp.shape(b)).astype(jnp.result_type(b)))
    f.defvjp(f_fwd, f_bwd)
    return f


def _custom1(fwd, bwd):
    """A unary jax function with an explicit gradient ``bwd(g, x, out)``."""
    f = jax.custom_vjp(fwd)

    def f_fwd(x):
        out = fwd(x)
        return out, (x, out)

    def f_bwd(res, g):
        x, out = res
        return (bwd(g, x, out).astype(x.dtype),)
    f.defvjp(f_fwd, f_bwd)
    return f


def _is_int(x):
    return jnp.issubdtype(jnp.result_type(x), jnp.integer) or jnp.result_type(x) == jnp.bool_


def _not_implemented_for(kernel):
    """torch's NotImplementedError for integer and bool tensors of a float-only kernel."""
    def check(*args, **kwargs):
        for a in args:
            if isinstance(a, Tensor):
                dt = a.dtype
                if _dtypes.is_integral(dt, include_bool=True):
                    raise NotImplementedError(f'"{kernel}" not implemented for '
                                              f"'{_dtypes.torch_type_name(dt)}'")
                return
    return check


def _out(res, out):
    """Write a composite's result into ``out=`` (torch's resize/cast rules)."""
    from .._dispatch import _write_out
    if out is None:
        return res
    from .. import _grad_mode as grad_mode
    if grad_mode.is_grad_enabled() and isinstance(res, Tensor) and res.requires_grad:
        raise RuntimeError("functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    _write_out(out, res)
    return out


def _inplace(opname):
    """``Tensor.<name>_`` for a table op declared without the inplace variant."""
    def inplace(self, *args, **kwargs):
        from .._dispatch import call_inplace
        return call_inplace(OPS[opname], self, args, kwargs)
    inplace.__name__ = opname.lstrip("_") + "_"
    return inplace


# ------------------------------------------------------------------ fused arithmetic
def _check_addcmul(input, tensor1, tensor2, value=1):
    for t in (input, tensor1, tensor2):
        if isinstance(t, Tensor) and t.dtype is _dtypes.bool:
            raise NotImplementedError('"addcmul_cpu_out" not implemented for \'Bool\'')


@op(variants=FULL, tensors=("input", "tensor1", "tensor2"), check=_check_addcmul,
    saves=("tensor2:tensor1", "tensor1:tensor2"))
def addcmul(input, tensor1, tensor2, *, value=1):
    """``input + value * tensor1 * tensor2`` (value cast to the result dtype first)."""
    if value == 1:
        return input + tensor1 * tensor2
    v = value if isinstance(value, complex) and not jnp.iscomplexobj(input) else \
        _dtypes.torch_cast(jnp.asarray(value), input.dtype)
    return input + v * tensor1 * tensor2


def _check_addcdiv(input, tensor1, tensor2, value=1):
    def integral(t):
        return (isinstance(t, Tensor) and _dtypes.is_integral(t.dtype, include_bool=True)) or \
            isinstance(t, (bool, int))
    if integral(tensor1) and integral(tensor2):
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future  release "
            "addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv "
            "behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2))"
            ".to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for "
            "float inputs. The future addcdiv behavior is just the latter implementation: "
            "(input + value * tensor1 / tensor2), for all dtypes.")


@op(variants=FULL, tensors=("input", "tensor1", "tensor2"), check=_check_addcdiv,
    saves=("tensor2", "tensor1:tensor2"))
def addcdiv(input, tensor1, tensor2, *, value=1):
    """``input + value * tensor1 / tensor2``."""
    if value == 1:
        return input + tensor1 / tensor2
    return input + jnp.asarray(value).astype(input.dtype) * tensor1 / tensor2


def _short(dt):
    return {"float32": "float", "float64": "double", "float16": "c10::Half",
            "bfloat16": "c10::BFloat16", "complex64": "c10::complex<float>",
            "complex128": "c10::complex<double>"}.get(dt._name, dt._name)


def _check_lerp(input, end, weight):
    scalar_w = not isinstance(weight, Tensor)
    kernel = "lerp_kernel_scalar" if scalar_w else "lerp_kernel_tensor"
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise NotImplementedError(f'"{kernel}" not implemented for '
                                  f"'{_dtypes.torch_type_name(input.dtype)}'")
    if isinstance(end, Tensor) and end.dtype is not input.dtype:
        raise RuntimeError(f"expected dtype {_short(input.dtype)} for `end` but got dtype "
                           f"{_short(end.dtype)}")
    if not scalar_w and weight.dtype is not input.dtype:
        raise RuntimeError(f"expected dtype {_short(input.dtype)} for `weight` but got dtype "
                           f"{_short(weight.dtype)}")


def _lerp_name(targs, sargs, skw):
    return "LerpBackward1" if isinstance(targs[2], Tensor) else "LerpBackward0"


def _lerp_formula(a, b, w):
    small = jnp.abs(w) < 0.5
    return jnp.where(small, a + w * (b - a), b - (b - a) * (1 - w))


@op(variants=FULL, tensors=("input", "end", "weight"), check=_check_lerp, grad_fn=_lerp_name,
    promote=Promotion.NONE, saves=("weight", "input:weight", "end:weight"))
def lerp(input, end, weight):
    """``input + weight * (end - input)``, evaluated as torch does (from the nearer end; in
    float32 for half-precision inputs, rounded once)."""
    dt = input.dtype
    cdt = jnp.float32 if dt in (jnp.float16, jnp.bfloat16) else dt
    a = input.astype(cdt)
    end = jnp.asarray(end).astype(dt).astype(cdt)
    w = jnp.asarray(weight)
    w = (w.astype(dt) if w.dtype != dt and hasattr(weight, "shape") and weight.shape
         else w).astype(cdt)
    return _lerp_formula(a, end, w).astype(dt)


# ------------------------------------------------------------------ two-argument functions
def _atan2_bwd(g, a, b, out):
    den = a * a + b * b
    recip = jnp.where(den == 0, jnp.zeros((), den.dtype), 1 / jnp.where(den == 0, 1, den))
    return g * b * recip, g * -a * recip


_atan2 = _custom2(jnp.arctan2, _atan2_bwd)


@op(variants=FULL, tensors=("input", "other"), promote=Promotion.INT_TO_FLOAT,
    saves=("input", "other"))
def atan2(input, other):
    """Element-wise arctangent of ``input / other`` with the quadrant from both signs (its
    gradient is 0 at the origin, as torch's)."""
    return _atan2(input, other)


arctan2 = composite(variants="function method", name="arctan2")(
    lambda input, other, *, out=None: _out(atan2(input, other), out))
Tensor.arctan2_ = lambda self, other: self.atan2_(other)


def _hypot_fwd(a, b):
    return jnp.sqrt(a * a + b * b) if a.dtype in (jnp.float16, jnp.bfloat16) else \
        jnp.hypot(a, b)


_hypot = _custom2(_hypot_fwd, lambda g, a, b, out: (g * a / out, g * b / out))


@op(variants=FULL, tensors=("input", "other"), check=_not_implemented_for("hypot_cpu"),
    saves=("input", "other", "result"))
def hypot(input, other):
    """``sqrt(input**2 + other**2)`` without intermediate overflow."""
    return _hypot(input, other)


def _xlogy_fwd(x, y):
    safe = jnp.where(x == 0, jnp.ones((), x.dtype), x)
    out = jnp.where(x == 0, jnp.zeros((), x.dtype), safe * jnp.log(y))
    return jnp.where(jnp.isnan(y), jnp.full((), jnp.nan, x.dtype), out)


def _xlogy_bwd(g, x, y, out):
    gx = _xlogy_fwd(g, y)
    gx = jnp.where((x == 0) & (y <= 0), jnp.zeros((), gx.dtype), gx)
    return gx, g * x / y


_xlogy = _custom2(_xlogy_fwd, _xlogy_bwd)


def _xlogy_name(targs, sargs, skw):
    if not isinstance(targs[0], Tensor):
        return "XlogyBackward1"
    if not isinstance(targs[1], Tensor):
        return "XlogyBackward2"
    return "XlogyBackward0"


@op(variants=FULL, tensors=("input", "other"), promote=Promotion.INT_TO_FLOAT,
    grad_fn=_xlogy_name, saves=("input", "other"))
def xlogy(input, other):
    """``input * log(other)``, 0 where ``input == 0`` (NaN when ``other`` is NaN)."""
    return _xlogy(input, other)


def _logaddexp_fwd(a, b):
    if jnp.iscomplexobj(a):
        return _logaddexp_complex(a, b)
    m = jnp.maximum(a, b)
    return jnp.where(jnp.isinf(a) & (a == b), a, m + jnp.log1p(jnp.exp(-jnp.abs(a - b))))


def _logaddexp_complex(a, b):
    """torch's complex kernel: max + log1p(exp(min - max)) with min/max by real part; NaN
    when min has a NaN part; equal infinite real parts give min (-inf) or log(e^a + e^b)."""
    swap = jnp.real(b) > jnp.real(a)
    hi, lo = jnp.where(swap, b, a), jnp.where(swap, a, b)
    lo_re, hi_re = jnp.real(lo), jnp.real(hi)
    out = jnp.log1p(jnp.exp(lo - hi)) + hi
    both_inf = ~jnp.isfinite(lo_re) & (lo_re == hi_re)
    out = jnp.where(both_inf, jnp.where(lo_re < 0, lo, jnp.log(jnp.exp(lo) + jnp.exp(hi))), out)
    nan = jnp.isnan(lo_re) | jnp.isnan(jnp.imag(lo))
    return jnp.where(nan, jnp.asarray(complex(jnp.nan, jnp.nan), a.dtype), out)


def _logaddexp2_fwd(a, b):
    m = jnp.maximum(a, b)
    return jnp.where(jnp.isinf(a) & (a == b), a,
                     m + jnp.log1p(jnp.exp2(-jnp.abs(a - b))) / math.log(2))


_logaddexp = _custom2(_logaddexp_fwd, lambda g, a, b, out: (g / (1 + jnp.exp(b - a)),
                                                            g / (1 + jnp.exp(a - b))))
_logaddexp2 = _custom2(_logaddexp2_fwd, lambda g, a, b, out: (g / (1 + jnp.exp2(b - a)),
                                                              g / (1 + jnp.exp2(a - b))))


@op(variants="function method out", tensors=("input", "other"),
    check=_not_implemented_for("logaddexp_cpu"), saves=("input", "other"))
def logaddexp(input, other):
    """``log(exp(input) + exp(other))`` computed stably."""
    return _logaddexp(input, other)


@op(variants="function method out", tensors=("input", "other"),
    check=_not_implemented_for("logaddexp2_cpu"), saves=("input", "other"))
def logaddexp2(input, other):
    """``log2(2**input + 2**other)`` computed stably."""
    return _logaddexp2(input, other)


@op(variants="function method out", tensors=("input", "other"), saves=("input", "other"))
def fmax(input, other):
    """Element-wise maximum ignoring NaN; at ties the gradient goes to ``input`` (torch)."""
    if _is_int(input):
        return jnp.maximum(input, other)
    take = (input >= other) | jnp.isnan(other)
    return jnp.where(take, input, other)


@op(variants="function method out", tensors=("input", "other"), saves=("input", "other"))
def fmin(input, other):
    """Element-wise minimum ignoring NaN; at ties the gradient goes to ``input`` (torch)."""
    if _is_int(input):
        return jnp.minimum(input, other)
    take = (input <= other) | jnp.isnan(other)
    return jnp.where(take, input, other)


def _copysign_name(targs, sargs, skw):
    return "CopysignBackward0" if isinstance(targs[1], Tensor) else "CopysignBackward1"


def _copysign_fwd(a, b):
    return jnp.where(jnp.signbit(a) != jnp.signbit(b), -a, a)


def _copysign_bwd(g, a, b, out):
    # torch: grad * (result / self), 0 where self == 0 (NaN at +-inf and NaN)
    ratio = jnp.where(a == 0, jnp.zeros((), out.dtype), out / jnp.where(a == 0, 1, a))
    return g * ratio, jnp.zeros_like(g)


_copysign = _custom2(_copysign_fwd, _copysign_bwd)


@op(variants=FULL, tensors=("input", "other"), promote=Promotion.INT_TO_FLOAT,
    grad_fn=_copysign_name, saves=("input", "result"))
def copysign(input, other):
    """``|input|`` with the sign (bit) of ``other``; gradient 0 where ``input == 0``."""
    return _copysign(input, other)


def _check_heaviside(input, values):
    if isinstance(values, Tensor) and values.dtype is not input.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    if input.dtype.is_complex:
        raise RuntimeError("heaviside is not yet implemented for complex tensors.")


@op(variants=FULL, tensors=("input", "values"), check=_check_heaviside,
    grad_fn="torch::autograd::NotImplemented")
def heaviside(input, values):
    """Step function: 0 below zero, 1 above, ``values`` at zero (not differentiable: backward
    raises, as torch's)."""
    one = jnp.ones((), input.dtype)
    zero = jnp.zeros((), input.dtype)
    out = jnp.where(input == 0, values, jnp.where(input > 0, one, zero))
    return out


def _float_power_name(targs, sargs, skw):
    if not isinstance(targs[0], Tensor):
        return "PowBackward2"
    return "PowBackward1" if isinstance(targs[1], Tensor) else "PowBackward0"


@op(variants="function method out", tensors=("input", "exponent"), promote=Promotion.NONE,
    grad_fn=_float_power_name, saves=("input", "exponent:input", "result:exponent"))
def float_power(input, exponent):
    """``input ** exponent`` computed in double precision (complex128 for complex inputs)."""
    cplx = jnp.iscomplexobj(input) or jnp.iscomplexobj(exponent)
    dt = jnp.complex128 if cplx else jnp.float64
    return jnp.power(jnp.asarray(input).astype(dt), jnp.asarray(exponent).astype(dt))


def _tname(dt):
    return {"float32": "Float", "float64": "Double", "complex64": "ComplexFloat",
            "complex128": "ComplexDouble"}.get(dt._name, _dtypes.torch_type_name(dt))


def _float_power_(self, exponent):
    """In place: the base must already be float64 (complex128), as torch requires."""
    cplx = self.dtype.is_complex or isinstance(exponent, complex) or \
        (isinstance(exponent, Tensor) and exponent.dtype.is_complex)
    want = _dtypes.complex128 if cplx else _dtypes.float64
    if self.dtype is not want:
        raise RuntimeError(f"the base given to float_power_ has dtype {_tname(self.dtype)} but "
                           f"the operation's result requires dtype {_tname(want)}")
    return _inplace("float_power")(self, exponent)


Tensor.float_power_ = _float_power_


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


def _polygamma_(self, n):
    _check_n(n)
    return _inplace("_polygamma_inplace")(self, n)


Tensor.polygamma = _polygamma_method
Tensor.polygamma_ = _polygamma_


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


@composite()
def resolve_conj(input):
    """Conjugation is never lazy in jtorch: the tensor itself."""
    return input


@composite()
def resolve_neg(input):
    """Negation is never lazy in jtorch: the tensor itself."""
    return input


@composite()
def is_conj(input):
    return False


@composite()
def is_neg(input):
    return False


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
