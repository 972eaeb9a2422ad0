"""Index-driven ops: gather/scatter (and scatter_add, scatter_reduce), index_select/add/copy/
fill, masked_fill/scatter/select, take/take_along_dim, searchsorted/bucketize, bincount and
histc.

Index checks (dtype, rank, bounds) are torch's, with its messages; bounds are checked on the
host, as torch's CPU kernels do. Data-dependent output shapes (masked_select, bincount, histc
with min == max) are computed on the host. Gradients follow torch's formulas, including
scatter_reduce's (mean divides by the count, amax/amin split ties evenly, prod handles zeros).
"""
import builtins

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtypes, _errors, _views
from .._tensor import Tensor
from .registry import OPS, Promotion, composite, op


def _out(res, out):
    from .math_ops import _out as write
    return write(res, out)


def _call_inplace(opname, self, args, kwargs=None):
    from .._dispatch import call_inplace
    return call_inplace(OPS[opname], self, tuple(args), kwargs or {})


def _host(t):
    return np.asarray(t._value())


def _wrap(dim, t):
    if not isinstance(dim, int):     # torch's argument parser: before any range check
        raise TypeError(f"argument 'dim' (position 2) must be int, not {type(dim).__name__}")
    return _views._wrap_dim(dim, t.dim())


def _tname(t):
    return _dtypes.torch_type_name(t.dtype)


def _cast_value(v, dtype):
    v = jnp.asarray(v)
    return _dtypes.torch_cast(v, dtype) if v.dtype != dtype else v


def _at_add(ref, src):
    """``ref.add(src)`` for an ``x.at[...]`` ref; a bool sum is torch's logical or (XLA's
    scatter-add rejects bool)."""
    return ref.max(src) if src.dtype == jnp.bool_ else ref.add(src)


def _at_mul(ref, src):
    """``ref.multiply(src)``; a bool product is torch's logical and."""
    return ref.min(src) if src.dtype == jnp.bool_ else ref.multiply(src)


def _positions(index, dim):
    """Full index tuple for ``.at[]`` of a scatter along ``dim``: index[i..] on ``dim``,
    the element's own coordinate on every other dim."""
    if index.ndim == 0:
        return (index,)
    return tuple(index if a == dim else jax.lax.broadcasted_iota(jnp.int64, index.shape, a)
                 for a in range(index.ndim))


def _prefix(x, shape):
    """``x[:shape[0], :shape[1], ...]`` (src may be larger than index)."""
    if tuple(x.shape) == tuple(shape):
        return x
    return x[tuple(slice(0, s) for s in shape)]


# ------------------------------------------------------------------ checks shared by scatter
def _check_index_common(name, self, dim, index, src=None):
    if index.dtype not in (_dtypes.int64, _dtypes.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")
    if index.dim() and self.dim() and index.dim() != self.dim():
        raise RuntimeError("Index tensor must have the same number of dimensions as "
                           f"{'input' if name == 'gather' else 'self'} tensor")
    d = _wrap(dim, self)
    if isinstance(src, Tensor) and src.dim() and index.dim() and src.dim() != index.dim():
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    if index.dim() and self.dim():
        for k in range(index.dim()):
            if k != d and index.shape[k] > self.shape[k]:
                raise RuntimeError(f"Size does not match at dimension {k} expected index "
                                   f"{list(index.shape)} to be no larger than self "
                                   f"{list(self.shape)} apart from dimension {d}")
            if isinstance(src, Tensor) and src.dim() and index.shape[k] > src.shape[k]:
                raise RuntimeError(f"Size does not match at dimension {k} expected index "
                                   f"{list(index.shape)} to be no larger than src "
                                   f"{list(src.shape)}")
    if index.numel():
        h = _host(index)
        size = self.shape[d] if self.dim() else 1
        bad = h[(h < 0) | (h >= size)]
        if bad.size:
            raise RuntimeError(f"index {bad.reshape(-1)[0]} is out of bounds for dimension {d} "
                               f"with size {size}")
    return d


def _norm_dim(dim, ndim):
    """A checked dim (``_wrap``) made non-negative inside an op's jax function."""
    return dim + max(ndim, 1) if dim < 0 else dim


# ------------------------------------------------------------------ gather
def _check_gather(input, dim, index, *, sparse_grad=False):
    _check_index_common("gather", input, dim, index)


@op(variants="function method out", tensors=("input", "index"), promote=Promotion.NONE,
    grad_fn="GatherBackward0", saves=("index",), check=_check_gather)
def gather(input, dim, index, *, sparse_grad=False):
    """``out[i][j] = input[index[i][j]][j]`` (for ``dim=0``): values picked along ``dim``."""
    dim = _norm_dim(dim, input.ndim)
    if input.ndim == 0:
        return input.reshape(index.shape) if index.ndim == 0 else \
            jnp.take(input.reshape(1), index)
    shape = list(input.shape)
    for a in range(index.ndim):
        if a != dim:
            shape[a] = index.shape[a]
    return jnp.take_along_axis(_prefix(input, shape), index, axis=dim)


# ------------------------------------------------------------------ scatter
def _scatter_set(input, index, src, dim):
    if input.ndim == 0:
        return jnp.reshape(src, (-1,))[0].astype(input.dtype) if index.size else input
    src = jnp.broadcast_to(src, index.shape) if jnp.ndim(src) == 0 else _prefix(src,
                                                                                 index.shape)
    return input.at[_positions(index, dim)].set(src.astype(input.dtype))


@op(variants="", tensors=("input", "index", "src"), promote=Promotion.NONE,
    grad_fn="ScatterBackward0", name="_scatter_src", saves=("index",))
def _scatter_src(input, index, src, dim):
    return _scatter_set(input, index, src, dim)


@op(variants="", tensors=("input", "index", "value"), promote=Promotion.NONE,
    grad_fn="ScatterBackward1", name="_scatter_value", saves=("index",))
def _scatter_value(input, index, value, dim):
    v = _cast_value(value, input.dtype)
    return _scatter_set(input, index, jnp.broadcast_to(v, index.shape), dim)


@op(variants="", tensors=("input", "index", "src"), promote=Promotion.NONE,
    grad_fn="torch::autograd::NotImplemented", name="_scatter_legacy_reduce")
def _scatter_legacy_reduce(input, index, src, dim, reduce):
    src = jnp.asarray(src)
    if src.ndim == 0:
        src = jnp.broadcast_to(_cast_value(src, input.dtype), index.shape)
    src = _prefix(src, index.shape).astype(input.dtype)
    pos = _positions(index, dim)
    out = _at_add(input.at[pos], src) if reduce == "add" else _at_mul(input.at[pos], src)
    return out


_scatter_legacy_reduce.aten_name = "scatter"   # named in its backward's error


def _scatter_args(input, dim, index, src, value, reduce):
    if src is None:
        src = value
    if src is None:
        raise TypeError("scatter() missing required argument 'src' or 'value'")
    d = _check_index_common("scatter", input, dim, index, src)
    if isinstance(src, Tensor) and src.dtype is not input.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    if reduce is not None and reduce not in ("add", "multiply"):
        raise RuntimeError("reduce argument must be either add or multiply.")
    if reduce is not None and isinstance(src, Tensor):
        import warnings
        warnings.warn("The reduce argument of torch.scatter with Tensor src is deprecated and "
                      "will be removed in a future PyTorch release. Use torch.scatter_reduce "
                      "instead for more reduction options.", UserWarning, stacklevel=3)
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
    return _out(OPS[name](input, *args, **kw), out)


def _scatter_(self, dim, index, src=None, *, value=None, reduce=None):
    name, args, kw = _scatter_args(self, dim, index, src, value, reduce)
    return _call_inplace(name, self, args, kw)


Tensor.scatter_ = _scatter_


def _check_same_dtype_src(name, self, src):
    if src.dtype is not self.dtype:
        raise RuntimeError(f"{name}(): Expected self.dtype to be equal to src.dtype")


def _check_scatter_add(input, dim, index, src):
    _check_index_common("scatter", input, dim, index, src)
    _check_same_dtype_src("scatter", input, src)


@op(variants="function method inplace out", tensors=("input", "index", "src"),
    promote=Promotion.NONE, grad_fn="ScatterAddBackward0", saves=("index",),
    check=_check_scatter_add)
def scatter_add(input, dim, index, src):
    """Add ``src`` into a copy of ``input`` at ``index`` along ``dim`` (duplicates add up)."""
    dim = _norm_dim(dim, input.ndim)
    if input.ndim == 0:
        return input + jnp.sum(jnp.reshape(src, (-1,))[:index.size]).astype(input.dtype)
    return _at_add(input.at[_positions(index, dim)], _prefix(src, index.shape))


# ------------------------------------------------------------------ scatter_reduce
_REDUCES = ("sum", "prod", "mean", "amax", "amin")


def _sr_forward(self, index, src, dim, reduce, include_self):
    """(result, mask of the positions written to)."""
    pos = _positions(index, dim) if self.ndim else (jnp.zeros(index.shape, jnp.int64),)
    base = self if self.ndim else self.reshape(1)
    src = _prefix(src, index.shape) if self.ndim else jnp.reshape(src, (-1,))[:index.size]
    dt = self.dtype
    hit = jnp.zeros(base.shape, bool).at[pos].set(True)
    if reduce in ("sum", "mean"):
        start = base if include_self else jnp.where(hit, jnp.zeros((), dt), base)
        out = _at_add(start.at[pos], src)
        if reduce == "mean":
            cnt = jnp.zeros(base.shape, dt).at[pos].add(jnp.ones(src.shape, dt))
            if include_self:
                cnt = cnt + 1
            cnt = jnp.where(cnt == 0, jnp.ones((), dt), cnt)
            out = jnp.floor_divide(out, cnt) if jnp.issubdtype(dt, jnp.integer) else out / cnt
    elif reduce == "prod":
        start = base if include_self else jnp.where(hit, jnp.ones((), dt), base)
        out = _at_mul(start.at[pos], src)
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
    return jnp.take_along_axis(_prefix(x, shape), index, axis=dim)


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
        srcp = _prefix(src, index.shape) if self.ndim else jnp.reshape(src, (-1,))[:index.size]
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
    if jnp.issubdtype(input.dtype, jnp.inexact):
        return _make_scatter_reduce(dim, reduce, include_self)(input, index, src)
    return _sr_forward(input, index, src, dim, reduce, include_self)[0]


def _sr_args(input, dim, index, src, reduce):
    if reduce not in _REDUCES:
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got "
                           f"{reduce}")
    d = _check_index_common("scatter", input, dim, index, src)
    _check_same_dtype_src("scatter", input, src)
    return d


@composite()
def scatter_reduce(input, dim, index, src, reduce, *, include_self=True, out=None):
    """Reduce ``src`` into a copy of ``input`` at ``index`` along ``dim`` with ``reduce`` in
    sum, prod, mean, amax, amin (``include_self=False`` ignores the original values there)."""
    d = _sr_args(input, dim, index, src, reduce)
    return _out(_scatter_reduce(input, index, src, d, reduce, include_self), out)


def _scatter_reduce_(self, dim, index, src, reduce, *, include_self=True):
    d = _sr_args(self, dim, index, src, reduce)
    return _call_inplace("_scatter_reduce", self, (index, src, d, reduce),
                         {"include_self": include_self})


Tensor.scatter_reduce_ = _scatter_reduce_


# ------------------------------------------------------------------ index_*
def _check_bounds(index, size, allow_negative=False):
    if index.numel():
        h = _host(index)
        lo = -size if allow_negative else 0
        if ((h < lo) | (h >= size)).any():
            raise IndexError("index out of range in self")


def _check_index_select(input, dim, index):
    if index.dtype not in (_dtypes.int64, _dtypes.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if index.dim() > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    d = _wrap(dim, input)
    if input.dim() == 0 and index.numel() != 1:
        raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got "
                           f"{index.numel()} value(s)")
    _check_bounds(index, input.shape[d] if input.dim() else 1)


@op(variants="function method out", tensors=("input", "index"), promote=Promotion.NONE,
    grad_fn="IndexSelectBackward0", saves=("index",), check=_check_index_select)
def index_select(input, dim, index):
    """The slices of ``input`` along ``dim`` at the (1-D) ``index``."""
    if input.ndim == 0:
        return input   # torch: a 0-d result for a 0-d input (the index holds one 0)
    return jnp.take(input, index.reshape(-1), axis=_norm_dim(dim, input.ndim))


def _slot(dim, index):
    return (slice(None),) * dim + (index.reshape(-1),)


def _check_index_add(self, dim, index, source, *, alpha=1):
    _index_add_args(self, dim, index, source)


@op(variants="function method inplace out", tensors=("input", "index", "source"),
    promote=Promotion.NONE, grad_fn="IndexAddBackward0", saves=("index",),
    check=_check_index_add)
def index_add(input, dim, index, source, *, alpha=1):
    """Add ``alpha * source`` into a copy of ``input`` at ``index`` along ``dim``."""
    dim = _norm_dim(dim, input.ndim)
    src = source if alpha == 1 else source * jnp.asarray(alpha).astype(source.dtype)
    if input.ndim == 0:
        return input + jnp.sum(src).astype(input.dtype)
    src = jnp.reshape(src, input.shape[:dim] + (index.size,) + input.shape[dim + 1:])
    return _at_add(input.at[_slot(dim, index)], src)


def _index_add_args(self, dim, index, source):
    if index.dtype not in (_dtypes.int64, _dtypes.int32):
        raise RuntimeError(f"index_add_(): Expected dtype int32/int64 for index but got: "
                           f"{_tname(index)}")
    if index.dim() > 1:
        raise IndexError("index_add_(): Index is supposed to be a vector")
    if source.dtype is not self.dtype:
        raise RuntimeError(f"index_add_(): self ({_tname(self)}) and source ({_tname(source)}) "
                           "must have the same scalar type")
    d = _wrap(dim, self)
    index_func_shapes(self, d, index, source)
    _check_bounds(index, self.shape[d] if self.dim() else 1)
    return d


def index_func_shapes(self, d, index, source, name="index_add_"):
    """torch's index_add/index_reduce shape checks (a wrong source would otherwise fail in a
    reshape, or be read silently)."""
    n = source.shape[d] if source.dim() else 1
    if index.numel() != n:
        raise RuntimeError(f"{name}(): Number of indices ({index.numel()}) should be equal "
                           f"to source.size(dim): ({n}), for dim: {d}")
    ss, os_ = list(self.shape), list(source.shape)
    if self.dim() and source.dim():
        del ss[d], os_[d]
    if ss != os_:
        raise RuntimeError("source tensor shape must match self tensor shape, excluding the "
                           f"specified dimension. Got self.shape = {list(self.shape)} "
                           f"source.shape = {list(source.shape)}")


def _index_copy_shapes(self, d, index, source):
    """torch's index_copy shape checks, in its order."""
    if not self.dim() or not source.dim():
        return
    if self.dim() != source.dim():
        raise IndexError("index_copy_(): When source and destination are not scalars, their "
                         f"dimensionality must match. Source dimensionality ({source.dim()}), "
                         f"destination dimensionality ({self.dim()})")
    ss = [n for i, n in enumerate(self.shape) if i != d]
    os_ = [n for i, n in enumerate(source.shape) if i != d]
    if ss != os_:   # (torch names dimension 0 for the source's slice, whatever the dim)
        raise RuntimeError("index_copy_(): Source/destination tensor must have same slice "
                           f"shapes. Destination slice shape: {' '.join(map(str, ss))} at "
                           f"dimension {d} and source slice shape: {' '.join(map(str, os_))} "
                           "at dimension 0.")
    if index.numel() != source.shape[d]:
        raise IndexError(f"index_copy_(): Number of indices ({index.numel()}) should be equal "
                         f"to source.size(dim) ({source.shape[d]})")


def _check_index_copy(self, dim, index, source):
    _index_copy_args(self, dim, index, source)


@op(variants="function method inplace out", tensors=("input", "index", "source"),
    promote=Promotion.NONE, grad_fn="IndexCopyBackward0", saves=("index",),
    check=_check_index_copy)
def index_copy(input, dim, index, source):
    """Copy the slices of ``source`` into a copy of ``input`` at ``index`` along ``dim``."""
    dim = _norm_dim(dim, input.ndim)
    if input.ndim == 0:
        return jnp.reshape(source, ()).astype(input.dtype) if index.size else input
    src = jnp.reshape(source, input.shape[:dim] + (index.size,) + input.shape[dim + 1:])
    return input.at[_slot(dim, index)].set(src)


def _index_copy_args(self, dim, index, source):
    if index.dtype is not _dtypes.int64:
        raise RuntimeError(f"index_copy_(): Expected a long tensor for index, but got "
                           f"{_tname(index)}")
    if index.dim() > 1:
        raise IndexError(f"index_copy_(): Index should have dimension 1 or 0 (got "
                         f"{index.dim()})")
    _index_copy_shapes(self, _wrap(dim, self), index, source)
    if source.dtype is not self.dtype:
        raise RuntimeError(f"index_copy_(): self and source expected to have the same dtype, "
                           f"but got (self) {_tname(self)} and (source) {_tname(source)}")
    d = _wrap(dim, self)
    _check_bounds(index, self.shape[d] if self.dim() else 1)
    return d




def _fill_name(base):
    def pick(targs, sargs, skw):
        return f"{base}Backward1" if isinstance(targs[-1], Tensor) else f"{base}Backward0"
    return pick


@op(variants="", tensors=("input", "index", "value"), promote=Promotion.NONE,
    grad_fn=_fill_name("IndexFill"), name="_index_fill", saves=("index",))
def _index_fill(input, index, value, dim):
    v = _cast_value(value, input.dtype)
    if input.ndim == 0:
        return v.reshape(()) if index.size else input
    idx = jnp.where(index < 0, index + input.shape[dim], index).reshape(-1)
    return input.at[(slice(None),) * dim + (idx,)].set(v)


def _index_fill_args(self, dim, index, value):
    if index.dtype is not _dtypes.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    if index.dim() > 1:
        raise IndexError("index_fill_(): Index is supposed to be a vector")
    if isinstance(value, Tensor) and value.dim() != 0:
        raise RuntimeError(f"index_fill_ only supports a 0-dimensional value tensor, but got "
                           f"tensor with {value.dim()} dimension(s).")
    d = _wrap(dim, self)
    _check_bounds(index, self.shape[d] if self.dim() else 1, allow_negative=True)
    return d


@composite()
def index_fill(input, dim, index, value):
    """A copy of ``input`` with the slices at ``index`` along ``dim`` set to ``value``."""
    d = _index_fill_args(input, dim, index, value)
    return _index_fill(input, index, value, d)


def _index_fill_(self, dim, index, value):
    d = _index_fill_args(self, dim, index, value)
    return _call_inplace("_index_fill", self, (index, value, d))


Tensor.index_fill_ = _index_fill_


# ------------------------------------------------------------------ masked_*
def _mask_name(dt):
    return {"int64": "long int", "int32": "int", "uint8": "unsigned char", "int16": "short int",
            "int8": "signed char", "float32": "float", "float64": "double"}.get(dt._name,
                                                                              dt._name)


def _check_masked_fill(input, mask, value):
    if mask.dtype is not _dtypes.bool:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{_mask_name(mask.dtype)}")
    if isinstance(value, Tensor) and value.dim() != 0:
        raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got "
                           f"tensor with {value.dim()} dimension(s).")
    # torch broadcasts the mask against input in that order (its message names them so; the
    # in-place form, input then mask, is a known departure: the check cannot tell them apart)
    _errors.infer_size(tuple(mask.shape), tuple(input.shape))


@op(variants="function method inplace", tensors=("input", "mask", "value"),
    promote=Promotion.NONE, grad_fn=_fill_name("MaskedFill"), check=_check_masked_fill,
    saves=("mask",))
def masked_fill(input, mask, value):
    """``input`` with ``value`` where ``mask`` (broadcast) is True."""
    return jnp.where(mask, _cast_value(value, input.dtype), input)


def _check_masked_scatter(input, mask, source):
    if mask.dtype is not _dtypes.bool:
        raise RuntimeError(f"masked_scatter_ only supports boolean masks, but got mask with "
                           f"dtype {_mask_name(mask.dtype)}")
    if source.dtype is not input.dtype:
        raise RuntimeError(f"masked_scatter: expected self and source to have same dtypes but "
                           f"got{_tname(input)} and {_tname(source)}")
    shape = _errors.infer_size(tuple(input.shape), tuple(mask.shape))   # torch's error
    if int(np.broadcast_to(_host(mask), shape).sum()) > source.numel():
        raise RuntimeError("Number of elements of source < number of ones in mask")


@op(variants="function method inplace", tensors=("input", "mask", "source"),
    promote=Promotion.NONE, check=_check_masked_scatter, saves=("mask",))
def masked_scatter(input, mask, source):
    """``input`` with the elements where ``mask`` is True replaced, in order, by consecutive
    elements of ``source``."""
    shape = jnp.broadcast_shapes(input.shape, mask.shape)
    m = jnp.broadcast_to(mask, shape).reshape(-1)
    x = jnp.broadcast_to(input, shape).reshape(-1)
    src = source.reshape(-1)
    if src.size == 0:
        return x.reshape(shape)
    k = jnp.clip(jnp.cumsum(m) - 1, 0, src.size - 1)
    return jnp.where(m, src[k], x).reshape(shape)


@op(variants="", tensors=("input", "index"), promote=Promotion.NONE,
    grad_fn="MaskedSelectBackward0", name="_masked_select", saves=("index",))
def _masked_select(input, index, shape):
    return jnp.broadcast_to(input, shape).reshape(-1)[index]


@composite()
def masked_select(input, mask, *, out=None):
    """The elements of ``input`` where ``mask`` (broadcast) is True, as a 1-D tensor (the
    mask is read on the host: the length depends on it)."""
    if mask.dtype is not _dtypes.bool:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = _errors.infer_size(tuple(input.shape), tuple(mask.shape))   # torch's error
    flat = np.flatnonzero(np.broadcast_to(_host(mask), shape)).astype(np.int64)
    return _out(_masked_select(input, Tensor._make(jax.device_put(flat)), shape), out)


# ------------------------------------------------------------------ take
@op(variants="", tensors=("input", "index"), promote=Promotion.NONE, grad_fn="TakeBackward0",
    name="_take", saves=("index",))
def _take(input, index):
    flat = input.reshape(-1)
    return flat[jnp.where(index < 0, index + flat.size, index)]


@composite()
def take(input, index, *, out=None):
    """Elements of the flattened ``input`` at ``index`` (negative indices count from the
    end); the result has ``index``'s shape."""
    if index.dtype is not _dtypes.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {_tname(index)}")
    n = input.numel()
    if index.numel():
        h = _host(index)
        bad = h[(h < -n) | (h >= n)]
        if bad.size:
            raise IndexError(f"out of range: tried to access index {bad.reshape(-1)[0]} on a "
                             f"tensor of {n} elements.")
    return _out(_take(input, index), out)


@op(variants="", tensors=("input", "indices"), promote=Promotion.NONE,
    grad_fn="GatherBackward0", name="_take_along", saves=("indices",))
def _take_along(input, indices, dim):
    if dim is None:
        flat = input.reshape(-1)
        idx = indices.reshape(-1)
        return flat[jnp.where(idx < 0, idx + flat.size, idx)]
    # broadcast everything but ``dim``
    ishape = list(input.shape)
    jshape = list(indices.shape)
    ishape[dim] = jshape[dim] = 1
    b = jnp.broadcast_shapes(tuple(ishape), tuple(jshape))
    x = jnp.broadcast_to(input, b[:dim] + (input.shape[dim],) + b[dim + 1:])
    i = jnp.broadcast_to(indices, b[:dim] + (indices.shape[dim],) + b[dim + 1:])
    i = jnp.where(i < 0, i + input.shape[dim], i)
    return jnp.take_along_axis(x, i, axis=dim)


@composite()
def take_along_dim(input, indices, dim=None, *, out=None):
    """``gather`` with broadcasting (of the flattened input when ``dim`` is None)."""
    if not _dtypes.is_integral(indices.dtype):
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{_tname(indices)}")
    if dim is None:
        return _out(_take_along(input, indices, None), out)
    if input.dim() != indices.dim():
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same "
                           f"number of dimensions, but got {input.dim()} dimensions for input, "
                           f"and {indices.dim()} dimensions for indices")
    d = _wrap(dim, input)
    for k in range(input.dim()):
        a, b = input.shape[k], indices.shape[k]
        if k != d and a != b and a != 1 and b != 1:
            raise RuntimeError(f"The size of tensor a ({a}) must match the size of tensor b "
                               f"({b}) at non-singleton dimension {k}")
    return _out(_take_along(input, indices, d), out)


# ------------------------------------------------------------------ searching and counting
def _bisect(seq, x, right):
    """torch's binary search (cus_lower_bound / cus_upper_bound), vectorised: NaN compares
    false, so the result is the same as torch's even for sequences holding NaN."""
    n = seq.shape[-1]
    rows = seq if seq.ndim == 1 else seq[..., None, :]
    rows = jnp.broadcast_to(rows, jnp.shape(x) + (n,))
    start = jnp.zeros(jnp.shape(x), jnp.int64)
    end = jnp.full(jnp.shape(x), n, jnp.int64)
    if n == 0:
        return start
    for _ in range(n.bit_length() + 1):
        active = start < end
        mid = start + ((end - start) >> 1)
        mv = jnp.take_along_axis(rows, jnp.clip(mid, 0, n - 1)[..., None], -1)[..., 0]
        go_right = ~(mv > x) if right else ~(mv >= x)
        start = jnp.where(active & go_right, mid + 1, start)
        end = jnp.where(active & ~go_right, mid, end)
    return start


@op(variants="", tensors=("sorted_sequence", "input"), promote=Promotion.NONE, grad_fn=None,
    name="_searchsorted")
def _searchsorted(sorted_sequence, input, right=False, out_int32=False):
    res = _bisect(sorted_sequence, jnp.asarray(input), right)
    return res.astype(jnp.int32 if out_int32 else jnp.int64)


def _common(seq, x):
    """The boundaries and the values, cast to torch's common dtype."""
    ops = [(seq.dtype, "dim" if seq.dim() else "zero")]
    if isinstance(x, Tensor):
        ops.append((x.dtype, "dim" if x.dim() else "zero"))
    else:
        ops.append((_dtypes.scalar_dtype(x), "wrapped"))
    dt = _dtypes.result_type_of(ops)
    seq = seq if seq.dtype is dt else seq.to(dt)
    if isinstance(x, Tensor):
        x = x if x.dtype is dt else x.to(dt)
    else:
        from .._creation import tensor
        x = tensor(x, dtype=dt)
    return seq, x


@composite(variants="function")
def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None,
                 sorter=None, out=None):
    """Indices where ``input`` values would be inserted to keep ``sorted_sequence`` sorted
    (per row for an N-D sequence)."""
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but "
                               f"got {side}")
        if right and side == "left":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites,"
                               " got side of left while right was True")
        right = side == "right"
    if sorter is not None:
        sorted_sequence = gather(sorted_sequence, sorted_sequence.dim() - 1, sorter)
    if isinstance(input, Tensor) and sorted_sequence.dim() > 1 and \
            sorted_sequence.shape[:-1] != input.shape[:-1]:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or "
                           "the first N-1 dimensions of boundaries tensor and input value "
                           f"tensor must match, but we got boundaries tensor "
                           f"{list(sorted_sequence.shape)} and input value tensor "
                           f"{list(input.shape)}")
    seq, x = _common(sorted_sequence, input)
    return _out(_searchsorted(seq, x, right, out_int32), out)


@composite(variants="function")
def bucketize(input, boundaries, *, out_int32=False, right=False, out=None):
    """The bucket of each element of ``input`` among the 1-D ``boundaries``."""
    if boundaries.dim() != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim("
                           f"{boundaries.dim()})")
    seq, x = _common(boundaries, input)
    return _out(_searchsorted(seq, x, right, out_int32), out)


@composite()
def bincount(input, weights=None, minlength=0):
    """Count of each non-negative integer in a 1-D tensor (summed ``weights`` if given); the
    length, ``max(input) + 1`` or ``minlength``, is read on the host."""
    if not _dtypes.is_integral(input.dtype, include_bool=True):
        raise NotImplementedError(f'"bincount_cpu" not implemented for \'{_tname(input)}\'')
    h = _host(input)
    if input.dim() != 1 or (h.size and h.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    n = builtins.max(int(h.max()) + 1 if h.size else 0, minlength)
    if weights is None:
        return Tensor._make(jax.device_put(np.bincount(h.astype(np.int64), minlength=n)
                                        .astype(np.int64)))
    if weights.dim() != 1 or weights.shape[0] != input.shape[0]:
        raise RuntimeError("weights should be 1-d and have the same length as input")
    # float32 and float64 weights keep their dtype, everything else sums in float64
    wdt = weights.dtype if weights.dtype in (_dtypes.float32, _dtypes.float64) else \
        _dtypes.float64
    w = np.asarray(weights._value()).astype(np.float64)
    res = np.bincount(h.astype(np.int64), weights=w, minlength=n).astype(wdt._np)
    return Tensor._make(jax.device_put(res), wdt)


@op(variants="", promote=Promotion.NONE, grad_fn=None, name="_histc")
def _histc(input, bins, lo, hi):
    x = input.reshape(-1)
    dt = x.dtype
    lo_t = jnp.asarray(lo, dt)
    hi_t = jnp.asarray(hi, dt)
    inside = (x >= lo_t) & (x <= hi_t)
    # torch's LINEAR_INTERPOLATION: (elt - lo) * bins / (hi - lo), truncated
    pos = (x - lo_t) * jnp.asarray(bins, dt) / (hi_t - lo_t)
    pos = jnp.where(inside, pos, 0).astype(jnp.int64)
    pos = jnp.where(pos == bins, bins - 1, pos)
    return jnp.zeros((bins,), dt).at[pos].add(inside.astype(dt))


def _fmt(v):
    if v != v:
        return "-nan"
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:g}"


@composite()
def histc(input, bins=100, min=0, max=0, *, out=None):
    """Histogram with ``bins`` equal bins over [min, max] (the data's range when both are
    equal); elements outside are ignored."""
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"histogram_cpu" not implemented for \'{_tname(input)}\'')
    if bins <= 0:
        raise RuntimeError(f"torch.histc(): bins must be > 0, but got {bins} for dimension 0")
    lo, hi = float(min), float(max)
    if lo == hi and input.numel():
        h = _host(input).astype(np.float64)
        lo, hi = float(h.min()), float(h.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{_fmt(lo)}, {_fmt(hi)}] is not finite")
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    # the edges are linspace(lo, hi) in the input's dtype: its first and last elements
    dt = input.dtype._np
    lo_c, hi_c = float(np.asarray(lo).astype(dt)), float(np.asarray(hi).astype(dt))
    return _out(_histc(input, int(bins), lo_c, hi_c), out)
