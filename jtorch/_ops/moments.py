"""One-pass summaries: count_nonzero, aminmax (min and max), var_mean and std_mean (moments
accumulated in torch's CPU accumulation type, float32 -> double)."""
import math

import jax
import jax.numpy as jnp

from .. import return_types
from .._out_arg import results_into as _out_tuple
from .reduce_common import _check_nonempty_dim
from .reduction import _axes, _check_moments, _sqrt0, var_value
from .registry import Promotion, composite, op


@op(variants="function method", promote=Promotion.NONE, grad_fn=None)
def count_nonzero(input, dim=None):
    """Number of non-zero elements (over ``dim``: an int or a tuple of ints)."""
    return jnp.sum(input != 0, axis=_axes(dim, input.ndim)).astype(jnp.int64)


def _check_aminmax(input, dim=None):
    if dim is None:
        if input.numel() == 0:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as "
                               "the operation has no identity.")
        return
    if not isinstance(dim, int):
        raise TypeError(f"aminmax(): argument 'dim' must be int, not {type(dim).__name__}")
    _check_nonempty_dim("aminmax:", input, dim)


@op(variants="", promote=Promotion.NONE, grad_fn="AminmaxBackward0", name="_aminmax",
    saves=("input", "result"))
def _aminmax(input, dim=None, keepdim=False):
    axis = None if dim is None else _axes(dim, input.ndim)
    if axis is None and keepdim:
        return (jnp.min(input, keepdims=True).reshape((1,) * input.ndim),
                jnp.max(input, keepdims=True).reshape((1,) * input.ndim))
    return jnp.min(input, axis=axis, keepdims=keepdim), jnp.max(input, axis=axis,
                                                                 keepdims=keepdim)


_aminmax.returns = return_types.aminmax


@composite()
def aminmax(input, *, dim=None, keepdim=False, out=None):
    """``(min, max)`` over everything or along ``dim``; ties share the gradient evenly."""
    _check_aminmax(input, dim)
    return _out_tuple(_aminmax(input, dim, keepdim), out)


def _moment_args(dim, unbiased, keepdim, correction):
    if isinstance(dim, bool):       # std_mean(x, False): the old positional ``unbiased``
        dim, unbiased = None, dim
    if correction is None:
        correction = 1 if unbiased in (None, True) else 0
    if isinstance(dim, list):
        dim = tuple(dim)
    return dim, keepdim, correction


def _make_var(axis, keepdim, correction):
    """var with torch's var_backward: (2 / (N - correction)) * grad * (x - mean) (no term
    through the mean, which would spread NaN from infinite inputs)."""
    f = jax.custom_vjp(lambda x: var_value(x, axis, keepdim, correction))

    def bwd(x, g):
        n = x.size if axis is None else math.prod(x.shape[a] for a in axis)
        if not keepdim:
            g = g.reshape((1,) * x.ndim) if axis is None else jnp.expand_dims(g, axis)
        dev = x - jnp.mean(x, axis=axis, keepdims=True)
        return (((2.0 / (n - correction)) * g * dev).astype(x.dtype),)
    f.defvjp(lambda x: (var_value(x, axis, keepdim, correction), x), bwd)
    return f


def _var_mean(input, dim, keepdim, correction):
    axis = _axes(dim, input.ndim)
    var = _make_var(axis, keepdim, correction)(input)      # (wide: see var_value)
    mean = jnp.mean(input, axis=axis, keepdims=keepdim)
    return var, mean


def _real(x, like):
    return x.astype(jnp.finfo(like.dtype).dtype)


@op(variants="", promote=Promotion.NONE, grad_fn="VarMeanBackward0", name="_var_mean",
    saves=("input",))
def _var_mean_op(input, dim=None, keepdim=False, correction=1):
    var, mean = _var_mean(input, dim, keepdim, correction)
    return _real(var, input), mean


@op(variants="", promote=Promotion.NONE, grad_fn="StdMeanBackward0", name="_std_mean",
    saves=("input", "result"))
def _std_mean_op(input, dim=None, keepdim=False, correction=1):
    var, mean = _var_mean(input, dim, keepdim, correction)
    return _real(_sqrt0(var), input), mean


@composite(variants="function")
def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """``(var, mean)`` in one pass (``correction=1``, Bessel's, by default)."""
    _check_moments("var_mean", input)
    return _var_mean_op(input, *_moment_args(dim, unbiased, keepdim, correction))


@composite(variants="function")
def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """``(std, mean)``; the std's gradient is 0 where the std is 0 (torch)."""
    _check_moments("std_mean", input)
    return _std_mean_op(input, *_moment_args(dim, unbiased, keepdim, correction))
