"""Table ops behind Tensor methods of issue 18 that need their own kernel and node:
``put``/``put_`` (``PutBackward0``) and ``index_reduce``/``index_reduce_``
(``IndexReduceBackward0``), with the method entry points (torch's argument order and
checks; ``jtorch/_tensor_methods.py`` attaches them). ``torch.put``/``torch.index_reduce``
are the functions of ``api_views``."""
import jax.numpy as jnp

from .. import _dtypes, _errors
from .._dispatch import call_inplace, check_inplace
from .registry import OPS, Promotion, op
from .index_common import (at_add, check_bounds, check_flat_bounds, check_long_index,
                           first_out_of_bounds)
from .index_slices import check_restrided, index_func_checks


def check_put(name, input, index, source):
    """torch's put_ argument errors, in torch's order."""
    check_long_index(name, index)
    if source.dtype != input.dtype:
        raise RuntimeError(f"{name}(): self and source expected to have the same dtype, but "
                           f"got self.dtype = {_dtypes.torch_type_name(input.dtype)} and "
                           f"source.dtype = {_dtypes.torch_type_name(source.dtype)}")
    if source.numel() != index.numel():
        raise IndexError(f"{name}(): Expected source and index to have the same number of "
                         f"elements, but got source.numel() = {source.numel()}, "
                         f"index.numel() = {index.numel()}")
    if not input.numel() and index.numel():
        raise IndexError(f"{name}(): Tried to put elements into an empty tensor")
    check_flat_bounds(index, input.numel())


@op(variants="", tensors=("input", "index", "source"), promote=Promotion.NONE,
    grad_fn="PutBackward0", name="_put", saves=("index",))
def _put(input, index, source, accumulate=False):
    """``input`` seen as 1-D with ``source`` written (or added) at ``index``."""
    flat = input.reshape(-1)
    n = flat.shape[0]
    idx = index.reshape(-1)
    idx = jnp.where(idx < 0, idx + n, idx)
    src = source.reshape(-1).astype(input.dtype)
    out = at_add(flat.at[idx], src) if accumulate else flat.at[idx].set(src)
    return out.reshape(input.shape)


_REDUCES = ("prod", "mean", "amax", "amin")


def check_index_reduce(name, input, dim, index, source, reduce, include_self=True):
    """torch's index_reduce argument errors; returns the wrapped dim."""
    if reduce not in _REDUCES:
        raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or "
                           f"amin but got {reduce}.")
    nd = max(input.dim(), 1)
    if not -nd <= dim < nd:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-nd}, "
                         f"{nd - 1}], but got {dim})")
    dim %= nd
    index_func_checks(name, input, dim, index, source)
    if include_self and input.dim() and not input.shape[dim] and index.numel():
        raise IndexError(f"select(): index 0 out of range for tensor of size "
                         f"{list(input.shape)} at dimension {dim}")
    if not include_self:
        # torch first fills the indexed slices with the reduction's identity (index_fill_:
        # its bounds check, which takes negative indices, comes first)
        if check_restrided(input, dim, index):
            check_bounds(index, dim, input.shape[dim] if input.dim() else 1,
                         allow_negative=True)
    if first_out_of_bounds(index, 0, input.shape[dim] if input.dim() else 1) is not None:
        raise IndexError("index out of range in self")
    return dim


@op(variants="", tensors=("input", "index", "source"), promote=Promotion.NONE,
    grad_fn="IndexReduceBackward0", name="_index_reduce",
    saves=("input", "index", "source", "result"))
def _index_reduce(input, index, source, dim, reduce, include_self=True):
    """Rows ``index[i]`` of ``input`` along ``dim`` reduced with row ``i`` of ``source``."""
    if input.ndim == 0:
        return _reduce_rows(input.reshape(1), index.reshape(-1), source.reshape(1), 0, reduce,
                            include_self).reshape(())
    return _reduce_rows(input, index, source, dim, reduce, include_self)


def _reduce_rows(input, index, source, dim, reduce, include_self):
    # the scatter_reduce of the index broadcast along source's other dims (same gradients)
    shape = [1] * source.ndim
    shape[dim] = -1
    full = jnp.broadcast_to(index.reshape(shape).astype(jnp.int64), source.shape)
    return OPS["_scatter_reduce"].fn(input, full, source, dim, reduce, include_self)


_BETA_WARNED = []   # torch warns once per process


def _index_reduce_args(self, dim, index, source, reduce, include_self):
    d = check_index_reduce("index_reduce_", self, dim, index, source, reduce, include_self)
    if not _BETA_WARNED:
        _BETA_WARNED.append(True)
        _errors.warn_at_user("index_reduce() is in beta and the API may change at any time. "
                             "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/"
                             "native/TensorAdvancedIndexing.cpp:1523.)")
    return d


# ---------------------------------------------------------------- the methods
def _method(fn):
    """A Tensor method written in Python: torch's name, and torch's TypeError where a str
    (or dict...) is passed for a tensor (it would otherwise fail on an attribute)."""
    name = fn.__name__[len("method_"):]
    fn.__name__ = fn.__qualname__ = name
    return _errors.guard_arguments(fn, name, method=True)


@_method
def method_put(self, index, source, accumulate=False):
    check_put("put_", self, index, source)   # torch's messages say put_ for both
    return _put(self, index, source, accumulate)


@_method
def method_put_(self, index, source, accumulate=False):
    check_inplace(self)     # (torch's autograd check comes before the op's own)
    check_put("put_", self, index, source)
    return call_inplace(OPS["_put"], self, (index, source), {"accumulate": accumulate})


@_method
def method_index_reduce(self, dim, index, source, reduce, *, include_self=True):
    d = _index_reduce_args(self, dim, index, source, reduce, include_self)
    return _index_reduce(self, index, source, d, reduce, include_self)


@_method
def method_index_reduce_(self, dim, index, source, reduce, *, include_self=True):
    check_inplace(self)
    d = _index_reduce_args(self, dim, index, source, reduce, include_self)
    return call_inplace(OPS["_index_reduce"], self, (index, source, d, reduce),
                        {"include_self": include_self})
