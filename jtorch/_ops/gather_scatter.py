"""Gather and scatter along a dim: gather, take, take_along_dim; scatter (src or value,
and its legacy reduce), scatter_add, scatter_reduce.

Argument checks are torch's, in its order (``index_common.check_gather_scatter``); gradients
follow torch's formulas, including scatter_reduce's (mean divides by the count, amax/amin
split ties evenly, prod handles zeros).
"""
import jax
import jax.numpy as jnp

from .. import _dtypes, _errors
from .._tensor import Tensor
from .index_common import (at_add, at_mul, call_inplace_op, cast_value, check_flat_bounds,
                           check_gather_scatter, check_long_index, first_out_of_bounds,
                           index_write, norm_dim, positions, prefix, tname,
                           wrap_dim)
from .._out_arg import result_into as write_out
from .registry import OPS, Promotion, composite, op


# ------------------------------------------------------------------ gather
def _check_gather(input, dim, index, *, sparse_grad=False):
    check_gather_scatter("gather", input, dim, index)


@op(variants="function method out", tensors=("input", "index"), promote=Promotion.NONE,
    grad_fn="GatherBackward0", saves=("index",), check=_check_gather)
def gather(input, dim, index, *, sparse_grad=False):
    """``out[i][j] = input[index[i][j]][j]`` (for ``dim=0``): values picked along ``dim``."""
    dim = norm_dim(dim, input.ndim)
    if index.size == 0:     # (torch reads no shapes then: any index rank and sizes)
        return jnp.zeros(index.shape, input.dtype)
    if input.ndim == 0 or index.ndim == 0:     # (0-d and 1-d count as one dim alike)
        return jnp.take(input.reshape(-1), index)
    shape = list(input.shape)
    for a in range(index.ndim):
        if a != dim:
            shape[a] = index.shape[a]
    return jnp.take_along_axis(prefix(input, shape), index, axis=dim)


# ------------------------------------------------------------------ scatter
def _scatter_set(input, index, src, dim):
    if index.size == 0:     # (torch reads no shapes then: any index rank and sizes)
        return input
    if input.ndim == 0:
        return jnp.reshape(src, (-1,))[0].astype(input.dtype) if index.size else input
    src = jnp.broadcast_to(src, index.shape) if jnp.ndim(src) == 0 else prefix(src,
                                                                                index.shape)
    return input.at[positions(index, dim)].set(src.astype(input.dtype))


@op(variants="", tensors=("input", "index", "src"), promote=Promotion.NONE,
    grad_fn="ScatterBackward0", name="_scatter_src", saves=("index",))
def _scatter_src(input, index, src, dim):
    return _scatter_set(input, index, src, dim)


@op(variants="", tensors=("input", "index", "value"), promote=Promotion.NONE,
    grad_fn="ScatterBackward1", name="_scatter_value", saves=("index",))
def _scatter_value(input, index, value, dim):
    v = cast_value(value, input.dtype)
    return _scatter_set(input, index, jnp.broadcast_to(v, index.shape), dim)


@op(variants="", tensors=("input", "index", "src"), promote=Promotion.NONE,
    grad_fn="torch::autograd::NotImplemented", name="_scatter_legacy_reduce")
def _scatter_legacy_reduce(input, index, src, dim, reduce):
    if index.size == 0:
        return input
    src = jnp.asarray(src)
    if src.ndim == 0:
        src = jnp.broadcast_to(cast_value(src, input.dtype), index.shape)
    src = prefix(src, index.shape).astype(input.dtype)
    pos = positions(index, dim)
    out = at_add(input.at[pos], src) if reduce == "add" else at_mul(input.at[pos], src)
    return out


_scatter_legacy_reduce.aten_name = "scatter"   # named in its backward's error


def _check_legacy_reduce(reduce):
    def validate():
        if reduce not in ("add", "multiply"):
            raise RuntimeError("reduce argument must be either add or multiply.")
    return validate if reduce is not None else None


_REDUCE_WARNED = []


def _scatter_args(input, dim, index, src, value, reduce):
    if src is None:
        src = value
    if src is None:
        raise TypeError("scatter() missing required argument 'src' or 'value'")
    if reduce is not None and isinstance(src, Tensor) and not _REDUCE_WARNED:
        _REDUCE_WARNED.append(True)     # torch warns once per process
        _errors.warn_at_user("The reduce argument of torch.scatter with Tensor src is "
                             "deprecated and will be removed in a future PyTorch release. Use "
                             "torch.scatter_reduce instead for more reduction options.")
    d = check_gather_scatter("scatter", input, dim, index, src, _check_legacy_reduce(reduce))
    if reduce is not None:
        return "_scatter_legacy_reduce", (index, src, d), {"reduce": reduce}
    if isinstance(src, Tensor):
        return "_scatter_src", (index, src, d), {}
    return "_scatter_value", (index, src, d), {}


@composite()
def scatter(input, dim, index, src=None, *, value=None, reduce=None, out=None):
    """Write ``src`` (or the scalar ``value``) into a copy of ``input`` at ``index`` along
    ``dim``: ``out[index[i][j]][j] = src[i][j]`` for ``dim=0``."""
    name, args, kw = _scatter_args(input, dim, index, src, value, reduce)
    return write_out(OPS[name](input, *args, **kw), out)


@composite(variants="inplace", name="scatter_")
def _scatter_(self, dim, index, src=None, *, value=None, reduce=None):
    name, args, kw = _scatter_args(self, dim, index, src, value, reduce)
    return call_inplace_op(name, self, args, kw)


def _check_scatter_add(input, dim, index, src):
    check_gather_scatter("scatter", input, dim, index, src)


@index_write("ScatterAddBackward0", _check_scatter_add)
def scatter_add(input, dim, index, src):
    """Add ``src`` into a copy of ``input`` at ``index`` along ``dim`` (duplicates add up)."""
    dim = norm_dim(dim, input.ndim)
    if index.size == 0:
        return input
    if input.ndim == 0:
        return input + jnp.sum(jnp.reshape(src, (-1,))[:index.size]).astype(input.dtype)
    return at_add(input.at[positions(index, dim)], prefix(src, index.shape))


# ------------------------------------------------------------------ scatter_reduce
_REDUCES = ("sum", "prod", "mean", "amax", "amin")


def _sr_forward(self, index, src, dim, reduce, include_self):
    """(result, mask of the positions written to)."""
    pos = positions(index, dim) if self.ndim else (jnp.zeros(index.shape, jnp.int64),)
    base = self if self.ndim else self.reshape(1)
    src = prefix(src, index.shape) if self.ndim else jnp.reshape(src, (-1,))[:index.size]
    dt = self.dtype
    hit = jnp.zeros(base.shape, bool).at[pos].set(True)
    if reduce in ("sum", "mean"):
        start = base if include_self else jnp.where(hit, jnp.zeros((), dt), base)
        out = at_add(start.at[pos], src)
        if reduce == "mean":
            cnt = jnp.zeros(base.shape, dt).at[pos].add(jnp.ones(src.shape, dt))
            if include_self:
                cnt = cnt + 1
            cnt = jnp.where(cnt == 0, jnp.ones((), dt), cnt)
            out = jnp.floor_divide(out, cnt) if jnp.issubdtype(dt, jnp.integer) else out / cnt
    elif reduce == "prod":
        start = base if include_self else jnp.where(hit, jnp.ones((), dt), base)
        out = at_mul(start.at[pos], src)
    else:
        if jnp.issubdtype(dt, jnp.inexact):
            ident = jnp.asarray(-jnp.inf if reduce == "amax" else jnp.inf, dt)
        elif dt == jnp.bool_:
            ident = jnp.asarray(reduce != "amax")
        else:
            info = jnp.iinfo(dt)
            ident = jnp.asarray(info.min if reduce == "amax" else info.max, dt)
        start = base if include_self else jnp.where(hit, ident, base)
        out = start.at[pos].max(src) if reduce == "amax" else start.at[pos].min(src)
        if jnp.issubdtype(dt, jnp.inexact):
            # NaN propagates, as torch's kernel
            nan_hit = jnp.zeros(base.shape, bool).at[pos].max(jnp.isnan(src))
            out = jnp.where(nan_hit | jnp.isnan(start), jnp.full((), jnp.nan, dt), out)
    return out.reshape(self.shape), hit.reshape(self.shape)


def _gather_at(x, index, dim):
    if x.ndim == 0:
        return jnp.broadcast_to(x, index.shape)
    shape = tuple(index.shape[a] if a != dim else x.shape[a] for a in range(x.ndim))
    return jnp.take_along_axis(prefix(x, shape), index, axis=dim)


def _make_scatter_reduce(dim, reduce, include_self):
    """scatter_reduce with torch's backward formulas (scatter_reduce_backward)."""
    def value(self, index, src):
        return _sr_forward(self, index, src, dim, reduce, include_self)[0]

    f = jax.custom_vjp(value)

    def fwd(self, index, src):
        out, hit = _sr_forward(self, index, src, dim, reduce, include_self)
        return out, (self, index, src, out, hit)

    def bwd(res, g):
        self, index, src, result, hit = res
        srcp = prefix(src, index.shape) if self.ndim else jnp.reshape(src, (-1,))[:index.size]
        dt = g.dtype
        one = jnp.ones((), dt)
        if reduce == "sum":
            gs, gsrc = g, _gather_at(g, index, dim)
        elif reduce == "mean":
            n0 = jnp.ones_like(g) if include_self else jnp.zeros_like(g)
            n = _sr_forward(n0, index, jnp.ones(srcp.shape, dt), dim, "sum", True)[0]
            n = jnp.where(n == 0, one, n)
            gs = g / n
            gsrc = _gather_at(g, index, dim) / _gather_at(n, index, dim)
        elif reduce == "prod":
            masked_self = jnp.where(self == 0, one, self)
            masked_res = _sr_forward(masked_self, index, srcp, dim, "prod", include_self)[0]
            gs = g * masked_res / masked_self
            src_zero = srcp == 0
            zeros_cnt = _sr_forward(jnp.zeros_like(self), index, src_zero.astype(dt), dim,
                                    "sum", True)[0]
            single = src_zero & (_gather_at(zeros_cnt, index, dim) == 1)
            masked_src = jnp.where(single, one, srcp)
            masked_src_res = _sr_forward(self, index, masked_src, dim, "prod", include_self)[0]
            gsrc = jnp.where(single, _gather_at(g * masked_src_res, index, dim),
                             _gather_at(g * result, index, dim) /
                             jnp.where(src_zero, one, srcp))
        else:
            val = _gather_at(result, index, dim)
            self_is = (self == result).astype(dt)
            src_is = (srcp == val).astype(dt)
            n = _sr_forward(self_is, index, src_is, dim, "sum", True)[0]
            dist = g / n
            gs = (self == result) * dist
            gsrc = (srcp == val) * _gather_at(dist, index, dim)
        if not include_self:
            gs = jnp.where(hit, jnp.zeros((), dt), gs)
        full_src = jnp.zeros(src.shape, dt)
        if self.ndim:
            full_src = full_src.at[tuple(slice(0, s) for s in index.shape)].set(gsrc)
        else:
            full_src = full_src.reshape(-1).at[:index.size].set(gsrc).reshape(src.shape)
        return gs.astype(self.dtype), None, full_src.astype(src.dtype)

    f.defvjp(fwd, bwd)
    return f


@op(variants="", tensors=("input", "index", "src"), promote=Promotion.NONE,
    grad_fn="ScatterReduceBackward0", name="_scatter_reduce",
    saves=("input", "index", "src", "result"))
def _scatter_reduce(input, index, src, dim, reduce, include_self=True):
    if index.size == 0:
        return input
    if jnp.issubdtype(input.dtype, jnp.inexact):
        return _make_scatter_reduce(dim, reduce, include_self)(input, index, src)
    return _sr_forward(input, index, src, dim, reduce, include_self)[0]


def _sr_args(input, dim, index, src, reduce):
    def validate():
        if reduce not in _REDUCES:
            raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or "
                               f"amin, got {reduce}")
    return check_gather_scatter("scatter", input, dim, index, src, validate)


@composite()
def scatter_reduce(input, dim, index, src, reduce, *, include_self=True, out=None):
    """Reduce ``src`` into a copy of ``input`` at ``index`` along ``dim`` with ``reduce`` in
    sum, prod, mean, amax, amin (``include_self=False`` ignores the original values there)."""
    d = _sr_args(input, dim, index, src, reduce)
    return write_out(_scatter_reduce(input, index, src, d, reduce, include_self), out)


@composite(variants="inplace", name="scatter_reduce_")
def _scatter_reduce_(self, dim, index, src, reduce, *, include_self=True):
    d = _sr_args(self, dim, index, src, reduce)
    return call_inplace_op("_scatter_reduce", self, (index, src, d, reduce),
                           {"include_self": include_self})



# ------------------------------------------------------------------ take, take_along_dim
@op(variants="", tensors=("input", "index"), promote=Promotion.NONE, grad_fn="TakeBackward0",
    name="_take", saves=("index",))
def _take(input, index):
    flat = input.reshape(-1)
    return flat[jnp.where(index < 0, index + flat.size, index)]


@composite()
def take(input, index, *, out=None):
    """Elements of the flattened ``input`` at ``index`` (negative indices count from the
    end); the result has ``index``'s shape."""
    check_long_index("take", index)
    if out is not None and out.dtype is not input.dtype:
        raise RuntimeError(f"take(): self and out expected to have the same dtype, but got "
                           f"self.dtype = {tname(input)} and out.dtype = {tname(out)}")
    if not input.numel() and index.numel():
        raise IndexError("take(): tried to take from an empty tensor")
    check_flat_bounds(index, input.numel())
    return write_out(_take(input, index), out)


@op(variants="", tensors=("input", "indices"), promote=Promotion.NONE,
    grad_fn="GatherBackward0", name="_take_along", saves=("indices",))
def _take_along(input, indices, dim):
    if dim is None:
        # (checked: in bounds; an empty index may be of any dtype)
        return input.reshape(-1)[indices.reshape(-1).astype(jnp.int64)]
    # broadcast everything but ``dim``
    ishape = list(input.shape)
    jshape = list(indices.shape)
    ishape[dim] = jshape[dim] = 1
    b = jnp.broadcast_shapes(tuple(ishape), tuple(jshape))
    x = jnp.broadcast_to(input, b[:dim] + (input.shape[dim],) + b[dim + 1:])
    i = jnp.broadcast_to(indices, b[:dim] + (indices.shape[dim],) + b[dim + 1:])
    # torch wraps every index modulo the size (99 reads 99 % n, -1 the last)
    return jnp.take_along_axis(x, jnp.remainder(i, input.shape[dim]), axis=dim)


def _take_along_args(input, indices, dim):
    """torch's checks for a given dim, in its order; returns the wrapped dim."""
    if input.dim() != indices.dim():
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same "
                           f"number of dimensions, but got {input.dim()} dimensions for input, "
                           f"and {indices.dim()} dimensions for indices")
    if indices.dtype is not _dtypes.int64:
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{tname(indices)}")
    if input.dim() == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    d = wrap_dim(dim, input)
    for k in range(input.dim()):
        a, b = input.shape[k], indices.shape[k]
        if k != d and a != b and a != 1 and b != 1:
            raise RuntimeError(f"The size of tensor a ({a}) must match the size of tensor b "
                               f"({b}) at non-singleton dimension {k}")
    if input.shape[d] == 0 and indices.numel():
        raise RuntimeError("ZeroDivisionError")     # (torch's modulo by the empty size)
    return d


@composite()
def take_along_dim(input, indices, dim=None, *, out=None):
    """``gather`` with broadcasting (of the flattened input when ``dim`` is None)."""
    if dim is None:     # torch: gather(0) of the flattened input, with gather's checks
        if indices.numel() and indices.dtype not in (_dtypes.int64, _dtypes.int32):
            raise RuntimeError("gather(): Expected dtype int32/int64 for index")
        n = input.numel()
        bad = first_out_of_bounds(indices, 0, n)
        if bad is not None:
            raise RuntimeError(f"index {bad} is out of bounds for dimension 0 with size {n}")
        return write_out(_take_along(input, indices, None), out)
    d = _take_along_args(input, indices, dim)
    return write_out(_take_along(input, indices, d), out)
