"""Scans: cumprod, cummax/cummin, logcumsumexp.

cummax/cummin report the last index of a tie (NaN wins and propagates), as torch's CPU
kernels; cumprod's and logcumsumexp's gradients are torch's formulas (exact at zeros, split by
the cotangent's sign).
"""
import jax
import jax.numpy as jnp

from .. import return_types
from .math_ops import _logaddexp_complex
from .nn_ops import float_kernel
from .._out_arg import results_into as _out_tuple
from .reduce_common import _dim1
from .reduction import cpu_acc_scan, int_dim, scan_check
from .registry import Promotion, composite, op

cummax_t = getattr(return_types, "cummax", None) or return_types._make("cummax",
                                                                       ["values", "indices"])
cummin_t = getattr(return_types, "cummin", None) or return_types._make("cummin",
                                                                       ["values", "indices"])


def _rev_cumsum(x, d):
    return jnp.flip(jnp.cumsum(jnp.flip(x, d), axis=d), d)


def _cumprod_grad(x, out, g, d):
    """torch's cumprod_backward (its O(n) path): sum_{k>=i} out_k g_k / x_i before the first
    zero of a row, the product-rule value at the first zero, 0 after it."""
    if x.shape[d] == 1:
        return g
    w = out * g
    one = jnp.ones((), x.dtype)
    zero = jnp.zeros((), x.dtype)
    is_zero = x == 0
    cs = jnp.cumsum(is_zero.astype(jnp.int32), axis=d)
    before = cs == 0
    part1 = jnp.where(before, _rev_cumsum(jnp.where(before, w, zero), d) /
                      jnp.where(before, x, one), zero)
    ones = cs == 1
    first = is_zero & ones
    between = ones & ~first
    prods = jnp.cumprod(jnp.where(between, x, one), axis=d)
    val = jnp.sum(prods * jnp.where(ones, g, zero), axis=d, keepdims=True)
    shifted = jnp.concatenate([jnp.ones_like(jax.lax.slice_in_dim(out, 0, 1, axis=d)),
                               jax.lax.slice_in_dim(out, 0, x.shape[d] - 1, axis=d)], axis=d)
    prefix = jnp.sum(jnp.where(first, shifted, zero), axis=d, keepdims=True)
    return part1 + jnp.where(first, val * prefix, zero)


def _make_cumprod(d):
    f = jax.custom_vjp(lambda x: cpu_acc_scan(jnp.cumprod, x, d))

    def fwd(x):
        out = cpu_acc_scan(jnp.cumprod, x, d)
        return out, (x, out)

    f.defvjp(fwd, lambda res, g: (_cumprod_grad(res[0], res[1], g, d),))
    return f


@op(variants="function method inplace out", promote=Promotion.BOOL_TO_LONG,
    saves=("input", "result"), check=scan_check("cumprod"))
def cumprod(input, dim, *, dtype=None):
    """Cumulative product along ``dim``; its gradient is torch's (exact at zeros)."""
    d = _dim1(dim, input.ndim)
    if input.ndim == 0:
        return input
    if not jnp.issubdtype(input.dtype, jnp.inexact) or input.size == 0:
        return jnp.cumprod(input, axis=d)
    return _make_cumprod(d)(input)


def _check_cum_extreme(name):
    def check(input, dim):
        int_dim(name)(input, dim)
        if input.dim() == 0 and dim not in (-1, 0):
            raise IndexError(f"{name}(): Expected reduction dim -1 or 0 for scalar but got {dim}")
    return check


def _cum_extreme(input, dim, bigger):
    if input.ndim == 0:
        return input, jnp.zeros((), jnp.int64)
    if input.size == 0:     # torch checks no dim then
        return input, jnp.zeros(input.shape, jnp.int64)
    d = _dim1(dim, input.ndim)
    x = input.astype(jnp.int8) if input.dtype == jnp.bool_ else input
    run = jax.lax.cummax(x, axis=d) if bigger else jax.lax.cummin(x, axis=d)
    mark = (x >= run) if bigger else (x <= run)
    if jnp.issubdtype(x.dtype, jnp.inexact):
        mark = mark | jnp.isnan(x)
    pos = jax.lax.broadcasted_iota(jnp.int64, x.shape, d)
    idx = jax.lax.cummax(jnp.where(mark, pos, 0), axis=d)
    # values gathered at the indices: the gradient goes to the element that produced them
    return jnp.take_along_axis(input, idx, axis=d), idx


@op(variants="", promote=Promotion.NONE, grad_fn="CummaxBackward0", name="_cummax",
    saves=("input",), check=_check_cum_extreme("cummax"))
def _cummax(input, dim):
    return _cum_extreme(input, dim, True)


@op(variants="", promote=Promotion.NONE, grad_fn="CumminBackward0", name="_cummin",
    saves=("input",), check=_check_cum_extreme("cummin"))
def _cummin(input, dim):
    return _cum_extreme(input, dim, False)


_cummax.returns = cummax_t
_cummin.returns = cummin_t


@composite()
def cummax(input, dim, *, out=None):
    """Running maximum along ``dim`` and the index where it was attained (the last index of
    a tie; NaN propagates)."""
    return _out_tuple(_cummax(input, dim), out)


@composite()
def cummin(input, dim, *, out=None):
    """Running minimum along ``dim`` and its index (the last index of a tie)."""
    return _out_tuple(_cummin(input, dim), out)


def _make_logcumsumexp(d):
    def value(x):
        return jax.lax.cumlogsumexp(x, axis=d)

    def rev_lcse(x):
        return jnp.flip(jax.lax.cumlogsumexp(jnp.flip(x, d), axis=d), d)

    def bwd(res, g):
        # torch's logcumsumexp_backward (split by the sign of the cotangent)
        x, out = res
        low = jnp.asarray(jnp.finfo(g.dtype).min, g.dtype)
        log_abs = jnp.log(jnp.abs(g))
        pos = jnp.where(g > 0, log_abs, low)
        neg = jnp.where(g < 0, log_abs, low)
        return (jnp.exp(rev_lcse(pos - out) + x) - jnp.exp(rev_lcse(neg - out) + x),)

    f = jax.custom_vjp(value)
    f.defvjp(lambda x: (value(x), (x, value(x))), bwd)
    return f


def _check_logcumsumexp(input, dim):
    int_dim("logcumsumexp")(input, dim)
    float_kernel("logcumsumexp_out_cpu")(input, dim)


@op(variants="function method out", check=_check_logcumsumexp, saves=("input", "result"))
def logcumsumexp(input, dim):
    """``log(cumsum(exp(x)))`` along ``dim``, computed stably (torch's gradient formula)."""
    d = _dim1(dim, input.ndim)
    if input.ndim == 0 or input.size == 0:
        return input
    if jnp.iscomplexobj(input):
        return _complex_logcumsumexp(input, d)
    return _make_logcumsumexp(d)(input)


def _complex_logcumsumexp(x, d):
    """torch's complex kernel: a sequential scan of its complex logaddexp, whose imaginary
    parts accumulate without wrapping into (-pi, pi] (differentiated by JAX)."""
    moved = jnp.moveaxis(x, d, 0)

    def step(acc, xi):
        out = _logaddexp_complex(acc, xi)
        return out, out
    _, rest = jax.lax.scan(step, moved[0], moved[1:])
    return jnp.moveaxis(jnp.concatenate([moved[:1], rest]), 0, d)
