"""Whole slices along a dim at a 1-D index: index_select, index_add, index_copy, index_fill.

Checks are torch's, in its order. Their bounds messages differ as torch's kernels do:
index_select and the general index_add kernel say "index out of range in self"; index_add's
scatter_add path (a 2-D or wider input, dim first or last, an int64 index, alpha 1),
index_copy and index_fill name the index, the dim and its size. index_copy and index_fill
first view ``self`` with ``dim`` resized to the index's length at stride 0
(``check_restrided``): over an empty dim that view needs memory the storage lacks, and torch
fails there.
"""
import jax.numpy as jnp

from .. import _dtypes
from .._tensor import Tensor
from .index_common import (at_add, call_inplace_op, cast_value, check_bounds, check_long_index,
                           first_out_of_bounds, index_write, norm_dim, tname,
                           wrap_dim)
from .registry import Promotion, composite, op


def _dim_size(t, d):
    return t.shape[d] if t.dim() else 1


def _legacy_bounds(index, size):
    """The general kernels' bounds check (index_select, index_add; index_reduce's too)."""
    if first_out_of_bounds(index, 0, size) is not None:
        raise IndexError("index out of range in self")


def check_restrided(self, d, index):
    """torch's view of ``self`` with dim ``d`` of the index's length at stride 0 (index_fill,
    index_copy): whether the storage holds it; returns whether the kernel then iterates
    (every other dim non-empty), i.e. whether it checks bounds."""
    if not index.numel() or not self.dim():
        return bool(index.numel())
    sizes = list(self.shape)
    sizes[d] = index.numel()
    if 0 in sizes:
        return False
    if self.shape[d]:
        return True     # (the view stays inside self's own memory)
    strides = list(self.stride())
    strides[d] = 0
    item = self.element_size()
    need = item * (self.storage_offset() + 1 + sum((n - 1) * s for n, s in zip(sizes, strides)))
    have = self.untyped_storage().nbytes()
    if need > have:
        raise RuntimeError(f"setStorage: sizes {sizes}, strides {strides}, storage offset "
                           f"{self.storage_offset()}, and itemsize {item} requiring a storage "
                           f"size of {need} are out of bounds for storage of size {have}")
    return True


# ------------------------------------------------------------------ index_select
def _check_index_select(input, dim, index):
    d = wrap_dim(dim, input)
    if index.dim() > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if input.dim() == 0 and index.numel() != 1:
        raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got "
                           f"{index.numel()} value(s)")
    if index.dtype not in (_dtypes.int64, _dtypes.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if input.dim() > 1 and (not index.numel() or not input.numel() or d == 1):
        _select_bounds(input, d, index)
        return
    _legacy_bounds(index, _dim_size(input, d))


def _select_bounds(input, d, index):
    """torch's checks where its kernel is not the general one: an input of 2+ dims with no
    elements (an empty dim to index is refused), or indexed along dim 1."""
    if not index.numel():
        return
    size = input.shape[d]
    if not input.numel() and not size:
        raise RuntimeError("index_select(): self indexing axis dim should be positive")
    bad = first_out_of_bounds(index, 0, size)
    if bad is not None:
        raise RuntimeError(f"INDICES element is out of DATA bounds, id={bad} axis_dim={size}")


@op(variants="function method out", tensors=("input", "index"), promote=Promotion.NONE,
    grad_fn="IndexSelectBackward0", saves=("index",), check=_check_index_select)
def index_select(input, dim, index):
    """The slices of ``input`` along ``dim`` at the (1-D) ``index``."""
    if input.ndim == 0:
        return input   # torch: a 0-d result for a 0-d input (the index holds one 0)
    return jnp.take(input, index.reshape(-1), axis=norm_dim(dim, input.ndim))


# ------------------------------------------------------------------ index_add
def _slot(dim, index):
    return (slice(None),) * dim + (index.reshape(-1),)


def _slices_of(source, input, dim, index):
    """``source`` shaped as the slices it writes (a 0-d source is one slice)."""
    return jnp.reshape(source, input.shape[:dim] + (index.size,) + input.shape[dim + 1:])


def _check_index_add(self, dim, index, source, *, alpha=1):
    if not isinstance(alpha, (bool, int, float, complex, Tensor)):
        raise TypeError(f"index_add(): argument 'alpha' must be Number, not "
                        f"{type(alpha).__name__}")
    d = wrap_dim(dim, self)
    index_func_checks("index_add_", self, d, index, source)
    if self.dim() > 1 and (not index.numel() or not self.numel()):
        return              # torch's kernel returns before reading the index
    if self.dim() > 1 and index.dtype is _dtypes.int64 and alpha == 1 and \
            d in (0, self.dim() - 1):
        # torch runs this case as a scatter_add of the expanded index: scatter's message
        bad = first_out_of_bounds(index, 0, self.shape[d])
        if bad is not None:
            raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size "
                               f"{self.shape[d]}")
        return
    _legacy_bounds(index, _dim_size(self, d))


@index_write("IndexAddBackward0", _check_index_add, source="source")
def index_add(input, dim, index, source, *, alpha=1):
    """Add ``alpha * source`` into a copy of ``input`` at ``index`` along ``dim``."""
    dim = norm_dim(dim, input.ndim)
    src = source if alpha == 1 else source * jnp.asarray(alpha).astype(source.dtype)
    if input.ndim == 0:
        return input + jnp.sum(src).astype(input.dtype)
    return at_add(input.at[_slot(dim, index)], _slices_of(src, input, dim, index))


def index_func_checks(name, self, d, index, source):
    """The checks torch's index_add and index_reduce share, in its order: the index (a
    vector of int32/int64), the source's dtype, then the shapes (``d``: the wrapped dim)."""
    if index.dim() > 1:
        raise IndexError(f"{name}(): Index is supposed to be a vector, but got dim: "
                         f"{index.dim()} with type: {tname(index)} and size: "
                         f"{list(index.shape)}")
    if index.dtype not in (_dtypes.int64, _dtypes.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index but got: "
                           f"{tname(index)}")
    if source.dtype is not self.dtype:
        raise RuntimeError(f"{name}(): self ({tname(self)}) and source ({tname(source)}) "
                           "must have the same scalar type")
    _index_func_shapes(name, self, d, index, source)


def _index_func_shapes(name, self, d, index, source):
    """The shapes (a wrong source would otherwise fail in a reshape, or be read silently)."""
    if d != 0 and d >= source.dim():
        raise RuntimeError(f"{name}(): Indexing dim {d} is out of bounds of the source tensor "
                           f"with dim {source.dim()}")
    n = source.shape[d] if source.dim() else 1
    if index.numel() != n:
        if not source.dim():    # (torch's message reads source.size(dim) of a 0-d source)
            raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
        raise RuntimeError(f"{name}(): Number of indices ({index.numel()}) should be equal "
                           f"to source.size(dim): ({n}), for dim: {d}")
    ss, os_ = list(self.shape), list(source.shape)
    if self.dim() and source.dim():
        del ss[d], os_[d]
    if ss != os_:
        raise RuntimeError("source tensor shape must match self tensor shape, excluding the "
                           f"specified dimension. Got self.shape = {list(self.shape)} "
                           f"source.shape = {list(source.shape)}")


# ------------------------------------------------------------------ index_copy
def _index_copy_counts(self, index, source):
    """torch's first index_copy shape checks: a 0-d source takes one index; otherwise ranks
    match (unless self is 0-d)."""
    if not source.dim() and index.numel() != 1:
        raise IndexError(f"index_copy_(): When source is scalar, index should have one element "
                         f"(got {index.numel()})")
    if source.dim() and self.dim() and source.dim() != self.dim():
        raise IndexError("index_copy_(): When source and destination are not scalars, their "
                         f"dimensionality must match. Source dimensionality ({source.dim()}), "
                         f"destination dimensionality ({self.dim()})")


def _index_copy_slices(self, d, index, source):
    """The slices' shapes (each without dim ``d``), then the index's length."""
    ss = [n for i, n in enumerate(self.shape) if i != d]
    os_ = [n for i, n in enumerate(source.shape) if i != d]
    if ss != os_:   # (torch names dimension 0 for the source's slice, whatever the dim)
        raise RuntimeError("index_copy_(): Source/destination tensor must have same slice "
                           f"shapes. Destination slice shape: {' '.join(map(str, ss))} at "
                           f"dimension {d} and source slice shape: {' '.join(map(str, os_))} "
                           "at dimension 0.")
    if source.dim() and index.numel() != source.shape[d]:
        raise IndexError(f"index_copy_(): Number of indices ({index.numel()}) should be equal "
                         f"to source.size(dim) ({source.shape[d]})")


def _check_index_copy(self, dim, index, source):
    d = wrap_dim(dim, self)
    if index.dim() > 1:
        raise IndexError(f"index_copy_(): Index should have dimension 1 or 0 (got "
                         f"{index.dim()})")
    _index_copy_counts(self, index, source)
    check_long_index("index_copy_", index)
    if source.dtype is not self.dtype:
        raise RuntimeError(f"index_copy_(): self and source expected to have the same dtype, "
                           f"but got (self) {tname(self)} and (source) {tname(source)}")
    _index_copy_slices(self, d, index, source)
    if check_restrided(self, d, index):
        check_bounds(index, d, _dim_size(self, d), prefix_name="index_copy_(): ")


@index_write("IndexCopyBackward0", _check_index_copy, source="source")
def index_copy(input, dim, index, source):
    """Copy the slices of ``source`` into a copy of ``input`` at ``index`` along ``dim``."""
    dim = norm_dim(dim, input.ndim)
    if input.ndim == 0:
        return jnp.reshape(source, ()).astype(input.dtype) if index.size else input
    return input.at[_slot(dim, index)].set(_slices_of(source, input, dim, index))


# ------------------------------------------------------------------ index_fill
def fill_name(base):
    """The grad_fn name of a fill by a number (Backward0) or a 0-d tensor (Backward1)."""
    def pick(targs, sargs, skw):
        return f"{base}Backward1" if isinstance(targs[-1], Tensor) else f"{base}Backward0"
    return pick


@op(variants="", tensors=("input", "index", "value"), promote=Promotion.NONE,
    grad_fn=fill_name("IndexFill"), name="_index_fill", saves=("index",))
def _index_fill(input, index, value, dim):
    v = cast_value(value, input.dtype)
    if input.ndim == 0:
        return v.reshape(()) if index.size else input
    idx = jnp.where(index < 0, index + input.shape[dim], index).reshape(-1)
    return input.at[(slice(None),) * dim + (idx,)].set(v)


def index_fill_args(self, dim, index, value, name="index_fill_"):
    """torch's index_fill_ checks, in its order; returns the wrapped dim."""
    if isinstance(value, Tensor) and value.dim() != 0:
        raise RuntimeError(f"index_fill_ only supports a 0-dimensional value tensor, but got "
                           f"tensor with {value.dim()} dimension(s).")
    if index.dtype is not _dtypes.int64:
        raise IndexError(f"{name}(): Expected dtype int64 for index.")
    if isinstance(value, complex) and not self.is_complex():
        raise RuntimeError(f"{name}(): Converting complex Scalar to non-complex type is not "
                           "supported")
    d = wrap_dim(dim, self)
    if index.dim() > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    if check_restrided(self, d, index):
        check_bounds(index, d, _dim_size(self, d), allow_negative=True)
    return d


@composite()
def index_fill(input, dim, index, value):
    """A copy of ``input`` with the slices at ``index`` along ``dim`` set to ``value``."""
    d = index_fill_args(input, dim, index, value)
    return _index_fill(input, index, value, d)


@composite(variants="inplace")
def index_fill_(self, dim, index, value):
    d = index_fill_args(self, dim, index, value)
    return call_inplace_op("_index_fill", self, (index, value, d))
