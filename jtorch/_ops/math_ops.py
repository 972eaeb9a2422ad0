"""More pointwise math: fused arithmetic (addcmul, lerp), two-argument functions (atan2, hypot,
xlogy, logaddexp, NaN-aware fmax/fmin, copysign, float_power...), and the helpers the
element-wise families share (``_custom2``, ``_out``, ``_inplace``). Unary special functions,
sign and complex parts are in ``math_unary.py``.

Where JAX's derivative differs from torch's at a special point (atan2 at the origin, hypot at
0, xlogy at x == 0, logit outside [0, 1]...), the op carries torch's formula as a
``jax.custom_vjp`` (see ``_custom2``); elsewhere ``jnp.where`` picks torch's subgradient.
"""
import math

import jax
import jax.numpy as jnp

from .. import _dtypes
from .._out_arg import result_into as _out
from .._tensor import Tensor
from .registry import OPS, Promotion, composite, op
from .pointwise import _not_built, refuses

FULL = "function method inplace out"
# element-wise ops: in-place shape errors before dtype errors (``_write_checks.inplace_shapes``)
BROADCASTS = True
# ops whose Python-number arguments torch hands to the kernel, not as operands (they take
# no part in the result's layout: ``_result_layout.result_layout``)
KERNEL_SCALARS = frozenset(("lerp", "float_power"))


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


_short = _dtypes.cpp_type_name      # (lerp's messages name dtypes by their C++ type)


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
arctan2_ = composite(variants="method", name="arctan2_")(lambda self, other: self.atan2_(other))


def _hypot_fwd(a, b):
    return jnp.sqrt(a * a + b * b) if a.dtype in (jnp.float16, jnp.bfloat16) else \
        jnp.hypot(a, b)


_hypot = _custom2(_hypot_fwd, lambda g, a, b, out: (g * a / out, g * b / out))


# torch refuses an integral common dtype (hypot(bool, float) runs in float)
@op(variants=FULL, tensors=("input", "other"), saves=("other:other", "input:input", "result"))
@refuses("bool int", '"hypot_cpu" not implemented for \'{}\'')
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
    saves=("input", "other"))
@_not_built("logaddexp_cpu", "bool int")         # (by the common dtype: long with float runs)
def logaddexp(input, other):
    """``log(exp(input) + exp(other))`` computed stably."""
    return _logaddexp(input, other)


@op(variants="function method out", tensors=("input", "other"),
    saves=("input", "other"))
@_not_built("logaddexp2_cpu", "bool int")         # (by the common dtype: long with float runs)
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
    grad_fn=_copysign_name, saves=("input:input", "result"))
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


# (a method, not variants="inplace": torch checks the base's dtype before autograd's check)
@composite(variants="method", name="float_power_")
def _float_power_(self, exponent):
    """In place: the base must already be float64 (complex128), as torch requires."""
    cplx = self.dtype.is_complex or isinstance(exponent, complex) or \
        (isinstance(exponent, Tensor) and exponent.dtype.is_complex)
    want = _dtypes.complex128 if cplx else _dtypes.float64
    if self.dtype is not want:
        raise RuntimeError(f"the base given to float_power_ has dtype {_tname(self.dtype)} but "
                           f"the operation's result requires dtype {_tname(want)}")
    return _inplace("float_power")(self, exponent)
