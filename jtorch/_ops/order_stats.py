"""Order statistics: kthvalue, nanmedian, quantile/nanquantile.

kthvalue's index is the one torch's quickselect lands on (computed on the host, then gathered
so that the gradient goes to that element); nanmedian's is the stable-sort lower median of the
non-NaN values (an all-NaN row gives the index libstdc++'s nth_element leaves there);
quantiles sort with NaN last, as torch's sort.
"""
import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtypes, return_types
from .._tensor import Tensor
from .._out_arg import result_into as _out, results_into as _out_tuple
from .reduce_common import _check_nonempty_dim, _dim1, empty_median
from .reduction import _axes
from .registry import Promotion, composite, op

nanmedian_t = getattr(return_types, "nanmedian", None) or return_types._make(
    "nanmedian", ["values", "indices"])


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
    if not isinstance(k, int):      # torch's argument parser
        raise TypeError(f"kthvalue(): argument 'k' (position 2) must be int, not "
                        f"{type(k).__name__}")
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
    if input.size == 0:
        return empty_median(input)
    return _nanmedian_rows(input.reshape(-1), 0, False)[0]


@composite()
def nanmedian(input, dim=None, keepdim=False, *, out=None):
    """Lower median ignoring NaN (NaN only when every element is NaN, or for an empty
    input); ``(values, indices)`` along ``dim``."""
    if dim is None:
        return _out(_nanmedian_all(input), out)
    if not isinstance(dim, int):
        raise TypeError(f"nanmedian(): argument 'dim' (position 1) must be int, not "
                        f"{type(dim).__name__}")
    _check_nonempty_dim("median():", input, dim)    # (torch's message says median)
    return _out_tuple(_nanmedian_dim(input, dim, keepdim), out)


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


def _check_q_type(name, q, interpolation):
    """torch's argument parser: q is a Tensor or a float."""
    if isinstance(q, Tensor) or isinstance(q, (int, float)) and not isinstance(q, bool):
        return
    # (the parser lists the keywords given; a non-default interpolation surely was)
    given = ", interpolation=str" if interpolation != "linear" else ""
    raise TypeError(
        f"{name}() received an invalid combination of arguments - got (Tensor, "
        f"{type(q).__name__}{given}), but expected one of:\n"
        f" * (Tensor input, Tensor q, int dim = None, bool keepdim = False, *, str "
        f"interpolation = \"linear\", Tensor out = None)\n"
        f" * (Tensor input, float q, int dim = None, bool keepdim = False, *, str "
        f"interpolation = \"linear\", Tensor out = None)\n")


def _quantile(input, q, dim, keepdim, interpolation, ignore_nan):
    _check_q_type("nanquantile" if ignore_nan else "quantile", q, interpolation)
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
