"""More activations, each ONE op with torch's grad_fn name and torch's derivative at its
kinks (where JAX's differs, ``custom_jvp`` gives torch's formula)."""
import jax
import jax.numpy as jnp

from .nn_ops import float_kernel
from .registry import Promotion, op

_ACT = dict(variants="", promote=Promotion.DEFAULT, saves=("input",))


def _jvp_rule(fwd, deriv):
    """``fwd(x)`` whose tangent is ``t * deriv(x)`` (torch's backward formula)."""
    f = jax.custom_jvp(fwd)
    f.defjvp(lambda p, t: (fwd(p[0]), t[0] * deriv(p[0])))
    return f


def _zero(x):
    return jnp.zeros((), x.dtype)


@op(grad_fn="HardtanhBackward0", **_ACT)
def _hardtanh(input, min_val=-1.0, max_val=1.0):
    # the gradient passes strictly inside (min_val, max_val): 0 at the bounds, as torch
    inside = (input > min_val) & (input < max_val)
    return jnp.where(inside, input, jax.lax.stop_gradient(jnp.clip(input, min_val, max_val)))


@op(grad_fn="ThresholdBackward0", inplace_grad_fn="ThresholdBackward1", **_ACT)
def _threshold(input, threshold, value):
    return jnp.where(input > threshold, input, jnp.asarray(value, input.dtype))


@op(grad_fn="EluBackward0", inplace_grad_fn="EluBackward1", variants="",
    promote=Promotion.DEFAULT, saves=("result",), check=float_kernel("elu_cpu"))
def _selu(input):
    alpha, scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
    neg = jnp.where(input > 0, _zero(input), input)
    return scale * jnp.where(input > 0, input, alpha * jnp.expm1(neg))


@op(grad_fn="CeluBackward0", inplace_grad_fn="CeluBackward1", variants="",
    promote=Promotion.DEFAULT, saves=("result",), check=float_kernel("elu_cpu"))
def _celu(input, alpha=1.0):
    neg = jnp.where(input > 0, _zero(input), input)
    return jnp.where(input > 0, input, alpha * jnp.expm1(neg / alpha))


@op(grad_fn="SoftplusBackward0", **_ACT, check=float_kernel("softplus_cpu"))
def _softplus(input, beta=1.0, threshold=20.0):
    bx = input * beta
    safe = jnp.where(bx > threshold, _zero(input), bx)
    return jnp.where(bx > threshold, input, jnp.log1p(jnp.exp(safe)) / beta)


@op(grad_fn="MishBackward0", **_ACT, check=float_kernel("mish_cpu"))
def _mish(input):
    return input * jnp.tanh(jax.nn.softplus(input))


def _hardswish_fn(x):
    return x * jnp.clip(x + 3, 0, 6) / 6


@op(grad_fn="HardswishBackward0", **_ACT, check=float_kernel("hardswish_cpu"))
def _hardswish(input):
    # torch 2.13's hardswish_backward: 0 up to -3 (inclusive), x / 3 + 1/2 below 3, then 1
    deriv = lambda x: jnp.where(x <= -3, _zero(x), jnp.where(x < 3, x / 3 + 0.5,  # noqa: E731
                                                             jnp.ones((), x.dtype)))
    return _jvp_rule(_hardswish_fn, deriv)(input)


@op(grad_fn="HardsigmoidBackward0", **_ACT, check=float_kernel("hardsigmoid_cpu"))
def _hardsigmoid(input):
    deriv = lambda x: jnp.where((x > -3) & (x < 3), jnp.asarray(1 / 6, x.dtype),  # noqa: E731
                                _zero(x))
    return _jvp_rule(lambda x: jnp.clip(x + 3, 0, 6) / 6, deriv)(input)


@op(grad_fn="LogSigmoidBackward0", **_ACT, check=float_kernel("log_sigmoid_cpu"))
def _logsigmoid(input):
    return jax.nn.log_sigmoid(input)


@op(grad_fn="SoftshrinkBackward0", **_ACT, check=float_kernel("softshrink_check"))
def _softshrink(input, lambd=0.5):
    return jnp.where(input > lambd, input - lambd,
                     jnp.where(input < -lambd, input + lambd, _zero(input)))


@op(grad_fn="HardshrinkBackward0", **_ACT, check=float_kernel("hardshrink_cpu"))
def _hardshrink(input, lambd=0.5):
    return jnp.where((input > lambd) | (input < -lambd), input, _zero(input))


@op(variants="", tensors=("input", "weight"), grad_fn="PreluKernelBackward0",
    saves=("input", "weight"))
def _prelu(input, weight):
    # one weight per channel (dim 1), or one shared weight
    w = weight if weight.size == 1 or input.ndim < 2 else \
        weight.reshape((1, -1) + (1,) * (input.ndim - 2))
    return jnp.where(input > 0, input, w.reshape(()) * input if weight.size == 1 else w * input)


@op(grad_fn="GluBackward0", **_ACT)
def _glu(input, dim=-1):
    a, b = jnp.split(input, 2, axis=dim)
    return a * jax.nn.sigmoid(b)


# (the kernel torch's eval-mode rrelu, leaky_relu, names for an integer input)
@op(variants="", tensors=("input", "noise"), promote=Promotion.NONE,
    grad_fn="RreluWithNoiseBackward0", saves=("input",),
    check=lambda input, noise: float_kernel("leaky_relu_cpu")(input))
def _rrelu_with_noise(input, noise):
    """rrelu given its noise (the slope of each element; 1 where the input is positive)."""
    return input * noise.astype(input.dtype)
