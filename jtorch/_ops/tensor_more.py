"""Table ops behind Tensor methods of issue 18 that need their own kernel and node:
``put``/``put_`` (``PutBackward0``) and ``index_reduce``/``index_reduce_``
(``IndexReduceBackward0``), with the method entry points (torch's argument order and
checks; ``jtorch/_tensor_methods.py`` attaches them). ``torch.put``/``torch.index_reduce``
are the functions of ``api_views``."""
import jax.numpy as jnp
import numpy as np

from .. import _dtypes
from .._dispatch import call_inplace
from .registry import OPS, Promotion, op
from .gather_scatter import _at_add, index_func_shapes


def _host(t):
    return np.asarray(t._value())


def check_put(name, input, index, source):
    """torch's put_ argument errors, in torch's order."""
    if index.dtype is not _dtypes.int64:
        raise RuntimeError(f"{name}(): Expected a long tensor for index, but got "
                           f"{_dtypes.torch_type_name(index.dtype)}")
    if source.dtype != input.dtype:
        raise RuntimeError(f"{name}(): self and source expected to have the same dtype, but "
                           f"got self.dtype = {_dtypes.torch_type_name(input.dtype)} and "
                           f"source.dtype = {_dtypes.torch_type_name(source.dtype)}")
    if source.numel() != index.numel():
        raise IndexError(f"{name}(): Expected source and index to have the same number of "
                         f"elements, but got source.numel() = {source.numel()}, "
                         f"index.numel() = {index.numel()}")
    n = input.numel()
    if index.numel():
        h = _host(index).reshape(-1)
        bad = h[(h >= n) | (h < -n)]
        if bad.size:
            raise IndexError(f"out of range: tried to access index {int(bad[0])} on a tensor "
                             f"of {n} elements.")


@op(variants="", tensors=("input", "index", "source"), promote=Promotion.NONE,
    grad_fn="PutBackward0", name="_put", saves=("index",))
def _put(input, index, source, accumulate=False):
    """``input`` seen as 1-D with ``source`` written (or added) at ``index``."""
    flat = input.reshape(-1)
    n = flat.shape[0]
    idx = index.reshape(-1)
    idx = jnp.where(idx < 0, idx + n, idx)
    src = source.reshape(-1).astype(input.dtype)
    out = _at_add(flat.at[idx], src) if accumulate else flat.at[idx].set(src)
    return out.reshape(input.shape)


_REDUCES = ("prod", "mean", "amax", "amin")


def check_index_reduce(name, input, dim, index, source, reduce):
    """torch's index_reduce argument errors; returns the wrapped dim."""
    if reduce not in _REDUCES:
        raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or "
                           f"amin but got {reduce}.")
    nd = max(input.dim(), 1)
    if not -nd <= dim < nd:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-nd}, "
                         f"{nd - 1}], but got {dim})")
    dim %= nd
    if index.dim() > 1:
        raise IndexError(f"{name}(): Index is supposed to be a vector, but got dim: "
                         f"{index.dim()} with type: {_dtypes.torch_type_name(index.dtype)} and "
                         f"size: {list(index.shape)}")
    if index.dtype not in (_dtypes.int64, _dtypes.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index but got: "
                           f"{_dtypes.torch_type_name(index.dtype)}")
    if source.dtype != input.dtype:
        raise RuntimeError(f"{name}(): self ({_dtypes.torch_type_name(input.dtype)}) and source "
                           f"({_dtypes.torch_type_name(source.dtype)}) must have the same "
                           f"scalar type")
    index_func_shapes(input, dim, index, source, name)
    size = input.shape[dim] if input.dim() else 1
    if index.numel():
        h = _host(index)
        if ((h < 0) | (h >= size)).any():
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


def _index_reduce_args(self, dim, index, source, reduce):
    d = check_index_reduce("index_reduce_", self, dim, index, source, reduce)
    if not _BETA_WARNED:
        import warnings
        _BETA_WARNED.append(True)
        warnings.warn("index_reduce() is in beta and the API may change at any time. "
                      "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/"
                      "TensorAdvancedIndexing.cpp:1523.)", UserWarning, stacklevel=3)
    return d


# ---------------------------------------------------------------- the methods
def method_put(self, index, source, accumulate=False):
    check_put("put_", self, index, source)   # torch's messages say put_ for both
    return _put(self, index, source, accumulate)


def method_put_(self, index, source, accumulate=False):
    check_put("put_", self, index, source)
    return call_inplace(OPS["_put"], self, (index, source), {"accumulate": accumulate})


def method_index_reduce(self, dim, index, source, reduce, *, include_self=True):
    d = _index_reduce_args(self, dim, index, source, reduce)
    return _index_reduce(self, index, source, d, reduce, include_self)


def method_index_reduce_(self, dim, index, source, reduce, *, include_self=True):
    d = _index_reduce_args(self, dim, index, source, reduce)
    return call_inplace(OPS["_index_reduce"], self, (index, source, d, reduce),
                        {"include_self": include_self})


for _f in (method_put, method_put_, method_index_reduce, method_index_reduce_):
    _f.__name__ = _f.__qualname__ = _f.__name__[len("method_"):]
