"""Sorting and selection: sort/argsort/topk/median/mode/kthvalue, and the data-dependent
shape ops (nonzero, unique), which run on the host because jit can't express their shapes."""
import jax
import jax.numpy as jnp
import numpy as np

from .. import _errors, return_types
from .._tensor import Tensor
from .registry import Promotion, composite, op
from .reduce_common import _check_nonempty_dim, empty_median


def _dim(dim, ndim):
    return dim % max(ndim, 1)



@op(variants="", promote=Promotion.NONE, grad_fn="SortBackward0", name="_sort")
def _sort(input, dim=-1, descending=False):
    if input.ndim == 0:
        return input, jnp.zeros((), jnp.int64)
    d = _dim(dim, input.ndim)
    # torch's CPU sort is stable: equal elements keep their order (also when descending)
    idx = jnp.argsort(input, axis=d, stable=True, descending=descending)
    return jnp.take_along_axis(input, idx, axis=d), idx.astype(jnp.int64)


_sort.returns = return_types.sort


@composite()
def sort(input, dim=-1, descending=False, stable=False, *, out=None):
    """Sorted values and their original indices along ``dim`` (stable)."""
    return _sort(input, dim, descending)


@composite()
def argsort(input, dim=-1, descending=False, stable=False):
    """Indices that sort ``input`` along ``dim``."""
    return _sort(input, dim, descending).indices


@op(variants="", promote=Promotion.NONE, grad_fn="TopkBackward0", name="_topk")
def _topk(input, k, dim=-1, largest=True, sorted=True):
    d = _dim(dim, input.ndim)
    idx = jnp.argsort(input, axis=d, stable=True, descending=largest)
    idx = jax.lax.slice_in_dim(idx, 0, k, axis=d)
    return jnp.take_along_axis(input, idx, axis=d), idx.astype(jnp.int64)


_topk.returns = return_types.topk


@composite()
def topk(input, k, dim=-1, largest=True, sorted=True, *, out=None):
    """The ``k`` largest (or smallest) elements along ``dim`` and their indices."""
    k = _errors.check_int("topk", "k", 2, k)
    dim = _errors.check_int("topk", "dim", 3, dim)
    n = input.shape[dim] if input.dim() else 1
    if not 0 <= k <= n:
        raise RuntimeError("selected index k out of range")
    return _topk(input, k, dim, largest, sorted)


def _median_values(input, d, keepdim):
    # torch returns the lower median (no averaging), at its position in a stable sort
    n = input.shape[d]
    idx = jnp.argsort(input, axis=d, stable=True)
    pos = jax.lax.slice_in_dim(idx, (n - 1) // 2, (n - 1) // 2 + 1, axis=d)
    vals = jnp.take_along_axis(input, pos, axis=d)
    if not keepdim:
        vals, pos = jnp.squeeze(vals, d), jnp.squeeze(pos, d)
    return vals, pos.astype(jnp.int64)


@op(variants="", promote=Promotion.NONE, grad_fn="MedianBackward1", name="_median_dim")
def _median_dim(input, dim, keepdim=False):
    if input.ndim == 0:
        return input, jnp.zeros((), jnp.int64)
    return _median_values(input, _dim(dim, input.ndim), keepdim)


_median_dim.returns = return_types.median


@op(variants="", promote=Promotion.NONE, grad_fn="MedianBackward0", name="_median_all")
def _median_all(input):
    if input.size == 0:
        return empty_median(input)
    return _median_values(input.reshape(-1), 0, False)[0]


@composite()
def median(input, dim=None, keepdim=False, *, out=None):
    """Lower median of all elements, or ``(values, indices)`` along ``dim``."""
    if dim is None:
        return _median_all(input)
    _check_nonempty_dim("median():", input, dim)
    return _median_dim(input, dim, keepdim)


@op(variants="", promote=Promotion.NONE, grad_fn="ModeBackward0", name="_mode")
def _mode(input, dim=-1, keepdim=False):
    if input.ndim == 0:
        return input, jnp.zeros((), jnp.int64)
    d = _dim(dim, input.ndim)
    x = jnp.moveaxis(input, d, -1)
    n = x.shape[-1]
    counts = (x[..., :, None] == x[..., None, :]).sum(-1)
    best = counts.max(-1, keepdims=True)
    # the smallest of the most frequent values, at its last occurrence (torch's CPU rule)
    cand = jnp.where(counts == best, x, jnp.max(x, -1, keepdims=True))
    val = cand.min(-1, keepdims=True)
    pos = jnp.where(x == val, jnp.arange(n), -1).max(-1, keepdims=True)
    vals = jnp.take_along_axis(x, pos, -1)
    vals, pos = jnp.moveaxis(vals, -1, d), jnp.moveaxis(pos, -1, d)
    if not keepdim:
        vals, pos = jnp.squeeze(vals, d), jnp.squeeze(pos, d)
    return vals, pos.astype(jnp.int64)


_mode.returns = return_types.mode


@composite()
def mode(input, dim=-1, keepdim=False, *, out=None):
    """Most frequent value along ``dim`` (the smallest among ties) and its index."""
    _check_nonempty_dim("mode():", input, dim)
    return _mode(input, dim, keepdim)


@composite()
def nonzero(input, *, out=None, as_tuple=False):
    """Indices of the non-zero elements (one row per element, or one tensor per dim)."""
    host = np.asarray(input._value())
    idx = np.nonzero(host) if host.ndim else np.nonzero(host.reshape(1))
    if as_tuple:
        return tuple(Tensor._make(jnp.asarray(i.astype(np.int64))) for i in idx)
    stacked = np.stack(idx, axis=1).astype(np.int64) if host.ndim else \
        np.zeros((len(idx[0]), 0), np.int64)
    return Tensor._make(jnp.asarray(stacked))


@composite()
def argwhere(input):
    return nonzero(input)


def _unique_result(input, vals, inv, counts, return_inverse, return_counts):
    """The host results of a unique op as tensors: the values, then the int64 inverse and
    counts when asked for (a lone tensor when neither is)."""
    out = [Tensor._make(jnp.asarray(vals), input.dtype)]
    if return_inverse:
        out.append(Tensor._make(jnp.asarray(inv.astype(np.int64))))
    if return_counts:
        out.append(Tensor._make(jnp.asarray(counts.astype(np.int64))))
    return out[0] if len(out) == 1 else tuple(out)


@composite()
def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """Sorted unique elements (host computation: the output size depends on the data)."""
    host = np.asarray(input._value())
    if dim is not None:
        vals, inv, counts = np.unique(host, return_inverse=True, return_counts=True, axis=dim)
    else:
        vals, inv, counts = np.unique(host.reshape(-1), return_inverse=True, return_counts=True)
        inv = inv.reshape(host.shape)
    return _unique_result(input, vals, inv, counts, return_inverse, return_counts)


@composite()
def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """Collapse runs of equal consecutive elements (or slices along ``dim``)."""
    host = np.asarray(input._value())
    if dim is None:
        flat = host.reshape(-1)
        change = np.ones(flat.shape[0], bool)
        change[1:] = flat[1:] != flat[:-1]
        vals = flat[change]
        inv_shape = host.shape
    else:
        d = dim % host.ndim
        rest = int(np.prod(host.shape)) // max(host.shape[d], 1)
        moved = np.moveaxis(host, d, 0).reshape(host.shape[d], rest)
        change = np.ones(moved.shape[0], bool)
        change[1:] = (moved[1:] != moved[:-1]).any(axis=1)
        vals = np.compress(change, host, axis=d)
        inv_shape = (host.shape[d],)
    inv = (np.cumsum(change) - 1).reshape(inv_shape)
    starts = np.flatnonzero(change)
    counts = np.diff(np.append(starts, change.shape[0]))
    return _unique_result(input, vals, inv, counts, return_inverse, return_counts)
