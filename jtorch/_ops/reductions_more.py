"""More reductions and scans: cumprod, cummax/cummin, logcumsumexp, count_nonzero, aminmax,
std_mean/var_mean, norm/dist, kthvalue, quantile/nanquantile, nanmedian.

Tie and NaN rules follow torch's CPU kernels: cummax/cummin report the last index of a tie
(NaN wins and propagates), kthvalue's index is the one torch's quickselect lands on (computed
on the host, then gathered so that the gradient goes to that element), nanmedian's is the
stable-sort lower median of the non-NaN values (an all-NaN row gives the index libstdc++'s
nth_element leaves there). Norm gradients are torch's norm_backward (0 at a zero norm).
"""
import math

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtypes, return_types
from .._tensor import Tensor
from .math_ops import _logaddexp_complex
from .nn_ops import float_kernel
from .reduction import _axes, _check_moments, _sqrt0
from .registry import Promotion, composite, op

cummax_t = getattr(return_types, "cummax", None) or return_types._make("cummax",
                                                                       ["values", "indices"])
cummin_t = getattr(return_types, "cummin", None) or return_types._make("cummin",
                                                                       ["values", "indices"])
nanmedian_t = getattr(return_types, "nanmedian", None) or return_types._make(
    "nanmedian", ["values", "indices"])


def _dim1(dim, ndim):
    return _axes(dim, ndim)[0] if ndim else 0


def _out(res, out):
    from .math_ops import _out as write
    return write(res, out)


_OUT_TYPES = {}


def _out_tuple(res, out):
    """Write a (values, indices)-style result into ``out=``; torch then returns the
    ``<name>_out`` named tuple of the out tensors."""
    if out is None:
        return res
    from .._dispatch import _write_out
    for o, r in zip(out, res):
        _write_out(o, r)
    fields = getattr(res, "_fields", None)
    if fields is None:
        return tuple(out)
    name = type(res).__name__ + "_out"
    cls = _OUT_TYPES.get(name)
    if cls is None:
        cls = _OUT_TYPES[name] = getattr(return_types, name, None) or \
            return_types._make(name, list(fields))
    return cls(*out)


# ------------------------------------------------------------------ scans
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
    f = jax.custom_vjp(lambda x: jnp.cumprod(x, axis=d))

    def fwd(x):
        out = jnp.cumprod(x, axis=d)
        return out, (x, out)

    f.defvjp(fwd, lambda res, g: (_cumprod_grad(res[0], res[1], g, d),))
    return f


@op(variants="function method inplace out", promote=Promotion.BOOL_TO_LONG,
    saves=("input", "result"))
def cumprod(input, dim, *, dtype=None):
    """Cumulative product along ``dim``; its gradient is torch's (exact at zeros)."""
    if input.ndim == 0:
        return input
    d = _dim1(dim, input.ndim)
    if not jnp.issubdtype(input.dtype, jnp.inexact) or input.size == 0:
        return jnp.cumprod(input, axis=d)
    return _make_cumprod(d)(input)


def _cum_extreme(input, dim, bigger):
    if input.ndim == 0:
        return input, jnp.zeros((), jnp.int64)
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
    saves=("input",))
def _cummax(input, dim):
    return _cum_extreme(input, dim, True)


@op(variants="", promote=Promotion.NONE, grad_fn="CumminBackward0", name="_cummin",
    saves=("input",))
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


@op(variants="function method out", check=float_kernel("logcumsumexp_out_cpu"),
    saves=("input", "result"))
def logcumsumexp(input, dim):
    """``log(cumsum(exp(x)))`` along ``dim``, computed stably (torch's gradient formula)."""
    if input.ndim == 0 or input.size == 0:
        return input
    if jnp.iscomplexobj(input):
        return _complex_logcumsumexp(input, _dim1(dim, input.ndim))
    return _make_logcumsumexp(_dim1(dim, input.ndim))(input)


def _complex_logcumsumexp(x, d):
    """torch's complex kernel: a sequential scan of its complex logaddexp, whose imaginary
    parts accumulate without wrapping into (-pi, pi] (differentiated by JAX)."""
    moved = jnp.moveaxis(x, d, 0)

    def step(acc, xi):
        out = _logaddexp_complex(acc, xi)
        return out, out
    _, rest = jax.lax.scan(step, moved[0], moved[1:])
    return jnp.moveaxis(jnp.concatenate([moved[:1], rest]), 0, d)


# ------------------------------------------------------------------ counting, extremes
@op(variants="function method", promote=Promotion.NONE, grad_fn=None)
def count_nonzero(input, dim=None):
    """Number of non-zero elements (over ``dim``: an int or a tuple of ints)."""
    return jnp.sum(input != 0, axis=_axes(dim, input.ndim)).astype(jnp.int64)


def _check_aminmax(input, dim=None):
    if dim is None and input.numel() == 0:
        raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                           "operation has no identity.")
    if dim is not None and input.dim() and input.shape[dim] == 0:
        raise IndexError(f"aminmax(): Expected reduction dim {dim} to have non-zero size.")


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


# ------------------------------------------------------------------ moments
def _moment_args(dim, unbiased, keepdim, correction):
    if isinstance(dim, bool):       # std_mean(x, False): the old positional ``unbiased``
        dim, unbiased = None, dim
    if correction is None:
        correction = 1 if unbiased in (None, True) else 0
    if isinstance(dim, list):
        dim = tuple(dim)
    return dim, keepdim, correction


def _var_value(x, axis, keepdim, correction):
    n = x.size if axis is None else math.prod(x.shape[a] for a in axis)
    dev = x - jnp.mean(x, axis=axis, keepdims=True)
    sq = (dev * jnp.conj(dev)).real if jnp.iscomplexobj(dev) else dev * dev
    return jnp.sum(sq, axis=axis, keepdims=keepdim) / max(n - correction, 0)


def _make_var(axis, keepdim, correction):
    """var with torch's var_backward: (2 / (N - correction)) * grad * (x - mean) (no term
    through the mean, which would spread NaN from infinite inputs)."""
    f = jax.custom_vjp(lambda x: _var_value(x, axis, keepdim, correction))

    def bwd(x, g):
        n = x.size if axis is None else math.prod(x.shape[a] for a in axis)
        if not keepdim:
            g = g.reshape((1,) * x.ndim) if axis is None else jnp.expand_dims(g, axis)
        dev = x - jnp.mean(x, axis=axis, keepdims=True)
        return ((2.0 / (n - correction)) * g * dev,)
    f.defvjp(lambda x: (_var_value(x, axis, keepdim, correction), x), bwd)
    return f


def _var_mean(input, dim, keepdim, correction):
    axis = _axes(dim, input.ndim)
    var = _make_var(axis, keepdim, correction)(input)
    mean = jnp.mean(input, axis=axis, keepdims=keepdim)
    return var, mean


@op(variants="", promote=Promotion.NONE, grad_fn="VarMeanBackward0", name="_var_mean",
    saves=("input",))
def _var_mean_op(input, dim=None, keepdim=False, correction=1):
    return _var_mean(input, dim, keepdim, correction)


@op(variants="", promote=Promotion.NONE, grad_fn="StdMeanBackward0", name="_std_mean",
    saves=("input", "result"))
def _std_mean_op(input, dim=None, keepdim=False, correction=1):
    var, mean = _var_mean(input, dim, keepdim, correction)
    return _sqrt0(var), mean


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


# ------------------------------------------------------------------ norms
def _pnorm_value(x, p, axis, keepdim):
    a = jnp.abs(x)
    if p == math.inf:
        return jnp.max(a, axis=axis, keepdims=keepdim)
    if p == -math.inf:
        return jnp.min(a, axis=axis, keepdims=keepdim)
    if p == 0:
        return jnp.sum(a != 0, axis=axis, keepdims=keepdim).astype(a.dtype)
    if p == 1:
        return jnp.sum(a, axis=axis, keepdims=keepdim)
    if p == 2:
        return jnp.sqrt(jnp.sum(a * a, axis=axis, keepdims=keepdim))
    return jnp.sum(a ** p, axis=axis, keepdims=keepdim) ** (1.0 / p)


def _sgn(x):
    if jnp.iscomplexobj(x):
        a = jnp.abs(x)
        return jnp.where(a == 0, 0, x / jnp.where(a == 0, 1, a))
    return jnp.sign(x)


def _pnorm_grad(x, p, axis, keepdim, norm, g):
    """torch's norm_backward."""
    if not keepdim and axis is not None:
        norm = jnp.expand_dims(norm, axis)
        g = jnp.expand_dims(g, axis)
    elif not keepdim:
        norm = norm.reshape((1,) * x.ndim)
        g = g.reshape((1,) * x.ndim)
    zero = jnp.zeros((), x.dtype)
    if p == 0:
        return jnp.zeros_like(x)
    if p == 1:
        return _sgn(x) * g
    if p == 2:
        return g * jnp.where(norm == 0, zero, x / jnp.where(norm == 0, 1, norm))
    if math.isinf(p):
        a = jnp.abs(x)
        mask = (a == norm) | jnp.isnan(a)
        cnt = jnp.sum(mask, axis=axis, keepdims=True).astype(g.dtype)
        return _sgn(x) * ((g / cnt) * mask)
    a = jnp.abs(x)
    if p < 1:
        scaled = _sgn(x) * jnp.where(x == 0, zero, a ** (p - 1))
        return scaled * g * norm ** (1 - p)
    scaled = _sgn(x) * a ** (p - 1) if p < 2 else x * a ** (p - 2)
    scale = jnp.where(norm == 0, jnp.zeros((), g.dtype), g / norm ** (p - 1))
    return scaled * scale


def _make_pnorm(p, axis, keepdim):
    @jax.custom_vjp
    def f(x):
        return _pnorm_value(x, p, axis, keepdim)

    def fwd(x):
        out = _pnorm_value(x, p, axis, keepdim)
        return out, (x, out)

    def bwd(res, g):
        x, out = res
        return (_pnorm_grad(x, p, axis, keepdim, out, g).astype(x.dtype),)
    f.defvjp(fwd, bwd)
    return f


def _vector_norm(x, p, dim, keepdim):
    axis = None if dim is None or dim == () else _axes(dim, x.ndim)
    if x.ndim == 0:
        axis = None
    return _make_pnorm(float(p), axis, keepdim)(x)


@op(variants="", promote=Promotion.COMPLEX_TO_FLOAT, grad_fn="LinalgVectorNormBackward0",
    name="_vector_norm", saves=("input", "result"))
def _vector_norm_op(input, ord=2.0, dim=None, keepdim=False):
    return _vector_norm(input, ord, dim, keepdim)


def _check_float_norm(input, name="linalg.vector_norm"):
    dt = input.dtype
    if not (dt.is_floating_point or dt.is_complex):
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. "
                           f"Got {_dtypes.torch_type_name(dt)}")


@composite()
def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """torch.norm: a vector norm over ``dim`` (every element by default); ``'fro'`` is the
    2-norm, ``'nuc'`` the nuclear norm."""
    if isinstance(dim, int):
        dim = (dim,)
    elif isinstance(dim, list):
        dim = tuple(dim)
    x = input if dtype is None else input.to(dtype)
    if isinstance(p, str):
        if p == "fro" and (dim is None or len(dim) <= 2):
            _check_float_norm(x)
            return _out(_vector_norm_op(x, 2.0, dim, keepdim), out)
        if p == "nuc":
            from .. import linalg as _linalg
            d = dim if dim is not None else tuple(range(x.dim()))
            m = x.movedim(d, (-2, -1))
            res = _linalg.svdvals(m).sum(-1)
            if keepdim:
                for k in sorted(a % x.dim() for a in d):
                    res = res.unsqueeze(k)
            return _out(res, out)
        raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")
    _check_float_norm(x)
    return _out(_vector_norm_op(x, 2.0 if p is None else float(p), dim, keepdim), out)


def _check_dist(input, other, p=2):
    for t in (input, other):
        if isinstance(t, Tensor) and not (t.dtype.is_floating_point or t.dtype.is_complex):
            raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex "
                               f"tensor as input. Got {_dtypes.torch_type_name(t.dtype)}")


@op(variants="function method", tensors=("input", "other"), check=_check_dist,
    promote=Promotion.COMPLEX_TO_FLOAT,
    saves=("input", "other", "result"))
def dist(input, other, p=2):
    """``norm(input - other, p)`` over every element."""
    return _vector_norm(input - other, float(p), None, False)


# ------------------------------------------------------------------ selection
def _quickselect(vals, k):
    """torch's CPU quick_select_template (median of three, NaN sorted last) on a host row:
    the original index of the element that lands at position ``k``."""
    arr = list(vals)
    idx = list(range(len(arr)))

    def gt(x, y):
        return (x != x and y == y) or x > y

    def swap(i, j):
        arr[i], arr[j] = arr[j], arr[i]
        idx[i], idx[j] = idx[j], idx[i]
    lo, hi = 0, len(arr) - 1
    while True:
        if hi <= lo:
            return idx[k]
        if hi == lo + 1:
            if gt(arr[lo], arr[hi]):
                swap(lo, hi)
            return idx[k]
        p = lo + (hi - lo) // 2
        swap(p, lo + 1)
        if gt(arr[lo + 1], arr[hi]):
            swap(lo + 1, hi)
        if gt(arr[lo], arr[hi]):
            swap(lo, hi)
        if gt(arr[lo + 1], arr[lo]):
            swap(lo + 1, lo)
        i, j = lo + 1, hi
        piv = arr[lo]
        while True:
            i += 1
            while gt(piv, arr[i]):
                i += 1
            j -= 1
            while gt(arr[j], piv):
                j -= 1
            if j < i:
                break
            swap(i, j)
        swap(lo, j)
        if j <= k:
            lo = i
        if j >= k:
            hi = j - 1


@op(variants="", tensors=("input", "index"), promote=Promotion.NONE,
    grad_fn="KthvalueBackward0", name="_kthvalue")
def _kthvalue_op(input, index, dim, keepdim):
    if input.ndim == 0:
        return input, index
    vals = jnp.take_along_axis(input, index, axis=dim)
    if not keepdim:
        vals, index = jnp.squeeze(vals, dim), jnp.squeeze(index, dim)
    return vals, index


_kthvalue_op.returns = return_types.kthvalue


@composite()
def kthvalue(input, k, dim=-1, keepdim=False, *, out=None):
    """The ``k``-th smallest element along ``dim`` and its index (torch's quickselect
    decides which index among equal values)."""
    nd = input.dim()
    d = _axes(dim, nd)[0] if nd else 0
    n = input.shape[d] if nd else 1
    if not 1 <= k <= n:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    if nd == 0:
        index = Tensor._make(jax.device_put(np.zeros((), np.int64)))
        return _out_tuple(_kthvalue_op(input, index, 0, keepdim), out)
    host = np.asarray(input.detach()._value())
    rows = np.moveaxis(host, d, -1)
    flat = rows.reshape(-1, n)
    flat = flat.astype(np.int64) if flat.dtype == np.bool_ or flat.dtype.kind in "iu" else \
        flat.astype(np.float64)
    picked = np.array([_quickselect(r.tolist(), k - 1) for r in flat], np.int64)
    picked = np.moveaxis(picked.reshape(rows.shape[:-1] + (1,)), -1, d)
    index = Tensor._make(jax.device_put(picked))
    return _out_tuple(_kthvalue_op(input, index, d, keepdim), out)


def _all_nan_index(n):
    """Where libstdc++'s nth_element(first, first, last) leaves the first index when every
    comparison is false (an all-NaN row in torch.nanmedian)."""
    a = list(range(n))
    first, last = 0, n
    while last - first > 3:
        mid = first + (last - first) // 2
        a[first], a[mid] = a[mid], a[first]
        lo, hi = first + 1, last
        while True:
            hi -= 1
            if not lo < hi:
                break
            a[lo], a[hi] = a[hi], a[lo]
            lo += 1
        if lo <= 0:
            first = lo
        else:
            last = lo
    return a[0] if n else 0


def _nanmedian_rows(x, d, keepdim):
    n = x.shape[d]
    flt = jnp.issubdtype(x.dtype, jnp.inexact)
    isn = jnp.isnan(x) if flt else jnp.zeros(x.shape, bool)
    cnt = jnp.sum(~isn, axis=d, keepdims=True)
    order = jnp.argsort(x, axis=d, stable=True)
    if flt:
        # NaN last (after +inf), keeping the stable order of the rest
        key = jnp.take_along_axis(isn, order, axis=d).astype(jnp.int8)
        order = jnp.take_along_axis(order, jnp.argsort(key, axis=d, stable=True), axis=d)
    k = jnp.maximum((cnt - 1) // 2, 0)
    pos = jnp.take_along_axis(order, k, axis=d)
    pos = jnp.where(cnt == 0, _all_nan_index(n), pos).astype(jnp.int64)
    vals = jnp.take_along_axis(x, pos, axis=d)
    if not keepdim:
        vals, pos = jnp.squeeze(vals, d), jnp.squeeze(pos, d)
    return vals, pos


@op(variants="", promote=Promotion.NONE, grad_fn="NanmedianBackward1", name="_nanmedian_dim",
    saves=("input",))
def _nanmedian_dim(input, dim, keepdim=False):
    if input.ndim == 0:
        return input, jnp.zeros((), jnp.int64)
    return _nanmedian_rows(input, _dim1(dim, input.ndim), keepdim)


_nanmedian_dim.returns = nanmedian_t


@op(variants="", promote=Promotion.NONE, grad_fn="NanmedianBackward0", name="_nanmedian_all",
    saves=("input", "result"))
def _nanmedian_all(input):
    return _nanmedian_rows(input.reshape(-1), 0, False)[0]


@composite()
def nanmedian(input, dim=None, keepdim=False, *, out=None):
    """Lower median ignoring NaN (NaN only when every element is NaN); ``(values,
    indices)`` along ``dim``."""
    if dim is None:
        if input.numel() == 0:
            raise RuntimeError("nanmedian() input tensor cannot be empty")
        return _out(_nanmedian_all(input), out)
    return _out_tuple(_nanmedian_dim(input, dim, keepdim), out)


# ------------------------------------------------------------------ quantiles
_MODES = ("linear", "lower", "higher", "midpoint", "nearest")


@op(variants="", tensors=("input", "q"), promote=Promotion.NONE, grad_fn="SqueezeBackward4",
    name="_quantile")
def _quantile_op(input, q, dim, keepdim, interpolation, ignore_nan, q_scalar):
    x = input.reshape(-1) if dim is None else jnp.moveaxis(input, dim, -1)
    q = jnp.asarray(q).astype(input.dtype)
    isn = jnp.isnan(x)
    order = jnp.argsort(x, axis=-1, stable=True)
    key = jnp.take_along_axis(isn, order, axis=-1).astype(jnp.int8)
    order = jnp.take_along_axis(order, jnp.argsort(key, axis=-1, stable=True), axis=-1)
    srt = jnp.take_along_axis(x, order, axis=-1)            # NaN last, as torch's sort
    n = x.shape[-1]
    qf = q.reshape(-1)
    if ignore_nan:
        cnt = jnp.sum(~isn, axis=-1, keepdims=True).astype(input.dtype)
        ranks = qf * (cnt - 1)
        ranks = jnp.where(ranks < 0, jnp.zeros((), ranks.dtype), ranks)
    else:
        ranks = jnp.broadcast_to(qf * (n - 1), srt.shape[:-1] + qf.shape).astype(input.dtype)
        anynan = jnp.any(isn, axis=-1, keepdims=True)
        ranks = jnp.where(anynan, jnp.asarray(n - 1, ranks.dtype), ranks)
    if interpolation == "lower":
        ranks = jnp.floor(ranks)
    elif interpolation == "higher":
        ranks = jnp.ceil(ranks)
    elif interpolation == "nearest":
        ranks = jnp.round(ranks)
    below = ranks.astype(jnp.int64)
    vals = jnp.take_along_axis(srt, below, axis=-1)
    if interpolation in ("linear", "midpoint"):
        w = jnp.full_like(ranks, 0.5) if interpolation == "midpoint" else ranks - below
        above = jnp.ceil(ranks).astype(jnp.int64)
        va = jnp.take_along_axis(srt, above, axis=-1)
        small = jnp.abs(w) < 0.5
        vals = jnp.where(small, vals + w * (va - vals), va - (va - vals) * (1 - w))
    # vals: batch + (nq,) -> (nq,) + batch (torch puts q's dim first)
    vals = jnp.moveaxis(vals, -1, 0)
    if dim is None:
        vals = vals.reshape(qf.shape + ((1,) * input.ndim if keepdim else ()))
    else:
        vals = vals.reshape(qf.shape + x.shape[:-1])
        if keepdim:
            vals = jnp.expand_dims(vals, 1 + dim)
    if q_scalar:
        return vals.reshape(vals.shape[1:])
    return vals.reshape(q.shape + vals.shape[1:])


def _quantile(input, q, dim, keepdim, interpolation, ignore_nan):
    name = "quantile"   # torch's messages say quantile() for nanquantile too
    if input.dtype not in (_dtypes.float32, _dtypes.float64):
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    if interpolation not in _MODES:
        raise ValueError(f"{name}() interpolation must be one of linear, lower, higher, "
                         f"midpoint or nearest. Got {interpolation}")
    if input.numel() == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    q_scalar = not isinstance(q, Tensor)
    if q_scalar:
        if not 0 <= q <= 1:
            raise RuntimeError(f"{name}() q must be in the range [0, 1] but got {q}")
        q = float(q)
    else:
        if q.dim() > 1:
            raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
        if q.dtype is not input.dtype:
            raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
        hq = np.asarray(q._value())
        if hq.size and not ((hq >= 0).all() and (hq <= 1).all()):
            raise RuntimeError(f"{name}() q values must be in the range [0, 1]")
        q_scalar = q.dim() == 0
        if interpolation != "linear":
            q = q.detach()    # only the linear weights depend on q differentiably (torch)
    d = None if dim is None else (_axes(dim, input.dim())[0] if input.dim() else None)
    return _quantile_op(input, q, d, keepdim, interpolation, ignore_nan, q_scalar)


@composite()
def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """The ``q``-th quantiles along ``dim`` (of every element by default); NaN in a row gives
    NaN."""
    return _out(_quantile(input, q, dim, keepdim, interpolation, False), out)


@composite()
def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """``quantile`` ignoring NaN (NaN only for an all-NaN row)."""
    return _out(_quantile(input, q, dim, keepdim, interpolation, True), out)
