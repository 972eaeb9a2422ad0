"""index_put / index_put_ (``x.index_put(indices, values)``), with torch's argument checks in
its order: argument types, the indices, the value's shape against the indexed shape, the
dtypes, then indices out of range (setitem's machinery, ``indexing``, does the work)."""
from .. import _dtypes
from .._dispatch import call_inplace, check_inplace
from .._tensor import Tensor
from .indexing import (_EMPTY_DIM, _add_tensor_index, _advanced_shape, _broadcasts,
                       _index_put, _index_shape, _strip_leading_ones, _type_name)
from .registry import OPS, composite


@composite(variants="function method")
def index_put(self, indices, values, accumulate=False):
    indices = _check_index_put(self, indices, values, "index_put")
    return _index_put(self, indices, values, accumulate)


@composite(variants="method")
def index_put_(self, indices, values, accumulate=False):
    indices = _check_index_put(self, indices, values, "index_put_")
    return call_inplace(OPS["_index_put"], self, (indices, values), {"accumulate": accumulate})


def _check_index_put(self, indices, values, name):
    """index_put's errors in torch's order: argument types, the indices, the value's shape
    against the indexed shape, dtypes, then indices out of range; returns the indices with
    masks as long indices."""
    for j, i in enumerate(indices):
        # (None, a skipped dim, stays accepted: jtorch's own callers pass it, as torch's
        # C++ callers do, though torch's Python binding refuses it)
        if i is not None and not isinstance(i, Tensor):
            raise TypeError(f"expected Tensor as element {j} in argument "
                            f"{1 if name == 'index_put' else 0}, but got {_type_name(i)}")
    if not isinstance(values, Tensor):
        raise TypeError(f"{name}(): argument 'values' (position "
                        f"{3 if name == 'index_put' else 2}) must be Tensor, not "
                        f"{_type_name(values)}")
    if name == "index_put_":
        check_inplace(self, (values,))
    indices = _bool_indices_as_long(self, indices)
    if len(indices) > self.dim():
        raise IndexError(f"too many indices for tensor of dimension {self.dim()} (got "
                         f"{len(indices)})")
    adv, bounds, dim = [], None, 0
    for i in indices:
        if i is None:
            adv.append(None)
            dim += 1
            continue
        dim, err = _add_tensor_index(self, dim, i, adv)
        if err is not None and (bounds is None or str(err) == _EMPTY_DIM):
            bounds = err
    indexed = any(a is not None for a in adv)
    if indexed:
        shape = _index_shape(self.shape, adv)
        if not _broadcasts(tuple(_strip_leading_ones(values).shape), shape):
            raise RuntimeError(f"shape mismatch: value tensor of shape {list(values.shape)} "
                               f"cannot be broadcast to indexing result of shape {list(shape)}")
    if values.dtype != self.dtype:
        raise RuntimeError(
            "Index put requires the source and destination dtypes match, got "
            f"{_dtypes.torch_type_name(self.dtype)} for the destination and "
            f"{_dtypes.torch_type_name(values.dtype)} for the source.")
    if indexed:
        _advanced_shape(self, adv, bounds)
    return indices


def _bool_indices_as_long(self, indices):
    """A bool mask index becomes its nonzero coordinates (one long index per mask dim), as
    torch expands it: compiled code cannot take an index of data-dependent length."""
    out = []
    for i in indices:
        if isinstance(i, Tensor) and (i.dtype.is_floating_point or i.dtype.is_complex):
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        if isinstance(i, Tensor) and i.dtype in (_dtypes.bool, _dtypes.uint8):
            _check_mask(self, i, len(out))
            out.extend(i.nonzero().unbind(1))
        else:
            out.append(i)
    return tuple(out)


def _check_mask(self, mask, at):
    for j, n in enumerate(mask.shape):
        if at + j >= self.dim() or self.shape[at + j] != n:
            raise IndexError(f"The shape of the mask {list(mask.shape)} at index {j} does not "
                             f"match the shape of the indexed tensor {list(self.shape)} at "
                             f"index {at + j}")
