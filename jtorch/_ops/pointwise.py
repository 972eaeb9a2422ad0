"""Pointwise ops. Each function receives jax arrays already cast to the compute dtype.

Gradient conventions follow torch where JAX's differ: kinks and ties are written with
``jnp.where`` (or a ``custom_jvp`` where a ``where`` cannot express it) so that ``jax.vjp``
gives torch's subgradient (relu'(0) = 0, abs'(0) = 0, clamp passes the gradient at the
bounds, maximum splits ties in half, NaN handling as torch's).
"""
import jax
import jax.numpy as jnp

from .. import _dtypes, _errors, _rounding
from .._tensor import Tensor
from .registry import Promotion, composite, op


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
        return jnp.floor(a / b)
    return jnp.floor_divide(a, b)


@op(variants="function method inplace out", tensors=("input", "other"),
    promote=Promotion.INT_TO_FLOAT, grad_fn="DivBackward0", saves=("other", "input:other"))
def true_divide(input, other):
    """Alias of ``div`` without rounding."""
    return input / other


@op(dunder="floordiv", grad_fn="DivBackward2", **BIN)
def floor_divide(input, other):
    """Division rounded towards minus infinity (Python's ``//``)."""
    return _floor_div(input, other)


@op(dunder="mod", grad_fn=_overload("RemainderBackward0", "RemainderBackward1",
                                     "torch::autograd::NotImplemented"), **BIN)
def remainder(input, other):
    """Python-style modulus: the result has the sign of the divisor."""
    return jnp.remainder(input, other)


@op(grad_fn=_overload("FmodBackward0", "FmodBackward1", "FmodBackward1"), **BIN)
def fmod(input, other):
    """C-style modulus: the result has the sign of the dividend."""
    return jnp.fmod(input, other)


def _check_pow(input, exponent):
    if isinstance(input, Tensor) and isinstance(exponent, int) and exponent < 0 \
            and not isinstance(exponent, bool) \
            and not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise RuntimeError("Integers to negative integer powers are not allowed.")


@op(variants="function method inplace out", tensors=("input", "exponent"), dunder="pow",
    saves=("input", "exponent:input", "result:exponent"), check=_check_pow,
    grad_fn=_overload("PowBackward0", "PowBackward1", "PowBackward2"))
def pow(input, exponent):
    """``input ** exponent`` element-wise."""
    if jnp.issubdtype(input.dtype, jnp.integer):
        return _int_pow(input, jnp.asarray(exponent, input.dtype))
    if not jnp.issubdtype(input.dtype, jnp.floating):
        return jnp.power(input, exponent)
    return _pow_float(input, jnp.asarray(exponent, input.dtype))


def _int_pow(base, exp):
    """torch's integer pow: square-and-multiply with wrap-around; a negative exponent gives
    1 for base 1, +-1 for base -1 and 0 otherwise (XLA's int64 pow differs on both)."""
    base, exp = jnp.broadcast_arrays(base, exp)
    neg = exp < 0

    def step(_, carry):
        r, b, e = carry
        return jnp.where(e & 1, r * b, r), b * b, e >> 1

    bits = 8 * base.dtype.itemsize
    r, _, _ = jax.lax.fori_loop(0, bits, step, (jnp.ones_like(base), base,
                                                jnp.where(neg, 0, exp)))
    one = jnp.ones_like(base)
    at_neg = jnp.where(base == 1, one, jnp.where(base == -1, jnp.where(exp & 1, -one, one),
                                                  jnp.zeros_like(base)))
    return jnp.where(neg, at_neg, r)


def _pow_special(x, e):
    """torch's pow for the exponents its CPU kernel special-cases (x*x for 2, x*x*x for 3,
    sqrt for 0.5, 1/sqrt for -0.5, 1/x for -1, 1/(x*x) for -2), std::pow otherwise. XLA's
    general pow is off by an ulp on many inputs (17% for 0.5, 25% for 3 in float32), so the
    special cases are selected in the compiled program from the exponent's value."""
    one = jnp.ones((), x.dtype)
    return jnp.select([e == 2, e == 3, e == 0.5, e == -0.5, e == -1, e == -2, e == 1],
                      [x * x, x * x * x, jnp.sqrt(x), one / jnp.sqrt(x), one / x,
                       one / (x * x), x], jnp.power(x, e))


@jax.custom_jvp
def _pow_float(x, e):
    return _pow_special(x, e)


@_pow_float.defjvp
def _pow_float_jvp(primals, tangents):
    # torch's pow_backward: no gradient to x where e == 0 (JAX: 0 * 0**-1 = NaN at x == 0),
    # none to e where x == 0 and e >= 0 (JAX: out * log(0) = NaN)
    (x, e), (tx, te) = primals, tangents
    out = _pow_special(x, e)
    zero = jnp.zeros((), out.dtype)
    dx = jnp.where(e == 0, zero, e * _pow_special(x, e - 1))
    de = jnp.where((x == 0) & (e >= 0), zero, out * jnp.log(x))
    return out, tx * dx + te * de


@op(variants="function method inplace out", dunder="neg")
def neg(input):
    """Negation: ``-x``."""
    return -input


@op(variants="function method inplace out", dunder="abs", saves=("input",),
    promote=Promotion.COMPLEX_TO_FLOAT)
def abs(input):
    """Absolute value; its gradient at 0 is 0, as torch's."""
    if jnp.issubdtype(input.dtype, jnp.complexfloating):
        return jnp.abs(input)
    if not jnp.issubdtype(input.dtype, jnp.floating):
        return jnp.where(input >= 0, input, -input)
    # torch's derivative is sgn(x): 0 at 0 and at NaN
    return _abs_float(input)


_abs_float = _with_derivative(jnp.abs, lambda x, out: _torch_sign(x))


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


@op(dunder="and", check=_int_only("bitwise_and"), **BIT)
def bitwise_and(input, other):
    """Element-wise AND of integers or bools (``&``)."""
    return input & other


@op(dunder="or", check=_int_only("bitwise_or"), **BIT)
def bitwise_or(input, other):
    """Element-wise OR of integers or bools (``|``)."""
    return input | other


@op(dunder="xor", check=_int_only("bitwise_xor"), **BIT)
def bitwise_xor(input, other):
    """Element-wise XOR of integers or bools (``^``)."""
    return input ^ other


@op(variants="function method inplace out", dunder="invert", grad_fn=None,
    check=_int_only("bitwise_not"))
def bitwise_not(input):
    """Element-wise NOT of integers or bools (``~``)."""
    return ~input


@op(dunder="lshift", check=_int_only("lshift"), **BIT)
def bitwise_left_shift(input, other):
    """``input << other``."""
    return jnp.left_shift(input, other)


@op(dunder="rshift", check=_int_only("rshift"), **BIT)
def bitwise_right_shift(input, other):
    """``input >> other`` (arithmetic for signed integers)."""
    return jnp.right_shift(input, other)


# ------------------------------------------------------------------ unary float functions
def _unary(name, jfn, saves=("input",), doc=None, **kw):
    def f(input):
        return jfn(input)
    f.__name__ = name
    f.__doc__ = doc or f"Element-wise ``{name}``."
    return op(saves=saves, **{**UNARY_FLOAT, **kw})(f)


exp = _unary("exp", jnp.exp, saves=("result",))
exp2 = _unary("exp2", jnp.exp2, saves=("result",))
expm1 = _unary("expm1", jnp.expm1, saves=("result",))
log = _unary("log", jnp.log)
log2 = _unary("log2", jnp.log2)
log10 = _unary("log10", jnp.log10)
log1p = _unary("log1p", jnp.log1p, grad_fn="Log1PBackward0")
sqrt = _unary("sqrt", jnp.sqrt, saves=("result",))
# torch's derivative -0.5 * out**3 is +inf at -0 (out = -inf); JAX's is -inf
rsqrt = _unary("rsqrt", _with_derivative(jax.lax.rsqrt, lambda x, out: -0.5 * out ** 3),
               saves=("result",))
sin = _unary("sin", jnp.sin)
cos = _unary("cos", jnp.cos)
tan = _unary("tan", jnp.tan, saves=("result",))
asin = _unary("asin", jnp.arcsin)
acos = _unary("acos", jnp.arccos)
atan = _unary("atan", jnp.arctan)
sinh = _unary("sinh", jnp.sinh)
cosh = _unary("cosh", jnp.cosh)
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


@op(variants="function method inplace out", saves=("result",))
def relu(input):
    """max(x, 0); NaN stays NaN and the gradient at 0 is 0, as torch's."""
    return jnp.where(input <= 0, jnp.zeros((), input.dtype), input)


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
def round(input, *, decimals=0):
    """Round half to even, optionally to ``decimals`` places."""
    if not jnp.issubdtype(input.dtype, jnp.floating):
        return input
    return jnp.round(input, decimals)


def _clamp_name(targs, sargs, skw):
    tensor_bounds = any(isinstance(b, Tensor) for b in targs[1:])
    return "ClampBackward0" if tensor_bounds else "ClampBackward1"


@op(variants="function method inplace out", tensors=("input", "min", "max"),
    saves=("input",), grad_fn=_clamp_name)
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




@op(variants="function method inplace out", tensors=("input", "other"),
    saves=("input", "other"))
def maximum(input, other):
    """Element-wise maximum; at ties the gradient is split in half (torch's rule)."""
    return _minmax(jnp.maximum, jnp.less, input, other)


@op(variants="function method inplace out", tensors=("input", "other"),
    saves=("input", "other"))
def minimum(input, other):
    """Element-wise minimum; at ties the gradient is split in half (torch's rule)."""
    return _minmax(jnp.minimum, jnp.greater, input, other)


def _minmax(fn, loses, x, y):
    """``fn(x, y)`` with torch's gradient: half each at ties, none to the operand that
    ``loses``, and all of it to both where either is NaN (no comparison holds there)."""
    if not jnp.issubdtype(jnp.result_type(x, y), jnp.floating):
        return fn(x, y)
    x, y = jnp.broadcast_arrays(x, y)
    return _minmax_jvp(fn, loses, x, y)


def _minmax_rule(fn, loses, primals, tangents):
    x, y = primals
    tx, ty = tangents

    def share(a, b, t):
        return jnp.where(a == b, t / 2, jnp.where(loses(a, b), jnp.zeros_like(t), t))
    return fn(x, y), share(x, y, tx) + share(y, x, ty)


_minmax_jvp = jax.custom_jvp(lambda fn, loses, x, y: fn(x, y), nondiff_argnums=(0, 1))
_minmax_jvp.defjvp(lambda fn, loses, primals, tangents:
                   _minmax_rule(fn, loses, primals, tangents))


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

@op(variants="function method inplace", tensors=("input", "value"), promote=Promotion.NONE,
    grad_fn="FillBackward0", inplace_grad_fn=_overload("FillBackward2", "FillBackward3"))
def fill(input, value):
    """Every element set to ``value`` (in place: ``t.fill_(v)``)."""
    return jnp.full(input.shape, value, input.dtype) if not hasattr(value, "shape") else \
        jnp.broadcast_to(jnp.asarray(value).astype(input.dtype), input.shape)


@op(variants="function method inplace", promote=Promotion.NONE, grad_fn="ZeroBackward0")
def zero(input):
    """Every element set to zero (``t.zero_()``, ``torch.zero_(t)``)."""
    return jnp.zeros_like(input)


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


@op(variants="function method inplace out", promote=Promotion.INT_TO_FLOAT)
def frac(input):
    """Fractional part, with the sign of the input."""
    return input - jnp.trunc(input)
