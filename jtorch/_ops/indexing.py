"""``t[key]`` and ``t[key] = value`` with torch's rules.

Basic parts of a key (ints, slices, None, Ellipsis, 0-dim integer tensors) are applied first,
left to right, as views (select/slice/unsqueeze), exactly as torch does; the remaining tensor
or list indices form one advanced-indexing gather (``IndexBackward0``) or scatter
(``index_put_``). Bool masks become integer indices on the host (their result shape depends on
the data, which jit can't express). Out-of-range indices raise IndexError, as torch.
"""
import numpy as np

from .. import _dtypes, _views
from .._dispatch import call_inplace, make_view
from .._tensor import Tensor
from .registry import OPS, Promotion, composite, op


def _as_index_tensor(k):
    from .._creation import tensor
    if isinstance(k, Tensor):
        return k
    return tensor(k)


def _split_key(self, key):
    """Apply the basic part of ``key``; return (view, advanced index list or None)."""
    if not isinstance(key, tuple):
        key = (key,)
    # 0-dim integer tensors index like ints; sequences/arrays are advanced indices
    norm = []
    for k in key:
        if isinstance(k, Tensor) and k.dim() == 0 and _dtypes.is_integral(k.dtype):
            norm.append(int(k.item()))
        elif isinstance(k, (list, np.ndarray)) or (isinstance(k, Tensor)):
            norm.append(_as_index_tensor(k))
        elif isinstance(k, bool):
            norm.append(_as_index_tensor(k))
        elif k is None or k is Ellipsis or isinstance(k, (int, slice)) or hasattr(k, "__index__"):
            norm.append(k if isinstance(k, (slice, type(None), type(Ellipsis))) else
                        (int(k) if not isinstance(k, int) else k))
        else:
            raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or "
                             "byte Variables are valid indices (got " + type(k).__name__ + ")")
    consumed = sum(1 if not isinstance(k, Tensor) or not _is_mask(k) else k.dim()
                   for k in norm if k is not None and k is not Ellipsis)
    if sum(k is Ellipsis for k in norm) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if consumed > self.dim():
        raise IndexError(f"too many indices for tensor of dimension {self.dim()}")
    v, dim, adv, has_adv = self, 0, [], False
    for k in norm:
        if k is Ellipsis:
            skip = self.dim() - consumed
            adv.extend([None] * skip)
            dim += skip
        elif k is None:
            v = make_view(v, _views.meta_unsqueeze, (dim,), "UnsqueezeBackward0")
            adv.append(None)
            dim += 1
        elif isinstance(k, int):
            n = v.shape[dim]
            if not -n <= k < n:
                raise IndexError(f"index {k} is out of bounds for dimension {dim} with size {n}")
            v = make_view(v, _views.meta_select, (dim, k), "SelectBackward0")
        elif isinstance(k, slice):
            start, stop, step = k.start, k.stop, 1 if k.step is None else int(k.step)
            if step <= 0:
                raise ValueError("step must be greater than zero")
            v = make_view(v, _views.meta_slice, (dim, None if start is None else int(start),
                                                 None if stop is None else int(stop), step),
                          "SliceBackward0")
            adv.append(None)
            dim += 1
        else:
            has_adv = True
            if _is_mask(k):
                for d in range(k.dim()):
                    if k.shape[d] != v.shape[dim + d]:
                        raise IndexError(f"The shape of the mask {list(k.shape)} at index {d} "
                                         f"does not match the shape of the indexed tensor "
                                         f"{list(v.shape)} at index {dim + d}")
                nz = np.nonzero(np.asarray(k._value()))
                for d, ix in enumerate(nz):
                    adv.append(Tensor._make(_jnp_i64(ix)))
                dim += k.dim()
            else:
                if not _dtypes.is_integral(k.dtype):
                    raise IndexError("tensors used as indices must be long, int, byte or bool "
                                     "tensors")
                n = v.shape[dim]
                host = np.asarray(k._value())
                if host.size and (host.max() >= n or host.min() < -n):
                    bad = host.max() if host.max() >= n else host.min()
                    raise IndexError(f"index {bad} is out of bounds for dimension {dim} with "
                                     f"size {n}")
                adv.append(k)
                dim += 1
    return v, (adv if has_adv else None)


def _jnp_i64(ix):
    import jax.numpy as jnp
    return jnp.asarray(ix.astype(np.int64))


def _is_mask(k):
    return isinstance(k, Tensor) and k.dtype in (_dtypes.bool, _dtypes.uint8)


def _full_key(indices):
    return tuple(slice(None) if i is None else i for i in indices)


@op(variants="", tensors=("input", "indices"), promote=Promotion.NONE, grad_fn="IndexBackward0")
def _index(input, indices):
    # trailing unindexed dims are implicit
    return input[_full_key(indices)]


@op(variants="", tensors=("input", "indices", "values"), promote=Promotion.NONE,
    grad_fn="IndexPutBackward0")
def _index_put(input, indices, values, accumulate=False):
    key = _full_key(indices)
    values = values.astype(input.dtype)
    return input.at[key].add(values) if accumulate else input.at[key].set(values)


# the select fast path runs once per dataset sample: a plain tensor's metadata (its shape
# as a plain tuple, as make_view takes it, and its contiguous strides) is computed once per
# shape (bounded: only a few shapes are ever indexed in a loop)
_PLAIN_META = {}


def _plain_meta(size):
    meta = _PLAIN_META.get(size)
    if meta is None:
        if len(_PLAIN_META) > 256:
            _PLAIN_META.clear()
        shape = tuple(size)
        meta = _PLAIN_META[shape] = (shape, _views.contiguous_strides(shape))
    return meta


def getitem(self, key):
    if type(key) is int:
        # the per-sample path of every Dataset (``x[i]``). Without a gradient to record, the
        # view is meta_select's metadata built inline (~0.5 us instead of ~1.2 us through
        # make_view); the metadata, _base and _view_version are exactly make_view's. An
        # index out of range, a 0-dim tensor and a recorded SelectBackward0 take the
        # general paths below, which raise torch's errors.
        if not self._requires_grad:
            view = self._view
            if view is None:
                shape, stride = _plain_meta(self._shape)
                offset = 0
            else:
                shape, stride, offset = view
            if shape:
                n = shape[0]
                if -n <= key < n:
                    if key < 0:
                        key += n
                    base = self._base
                    return Tensor._alias(self, (shape[1:], stride[1:], offset + key * stride[0]),
                                         self if base is None else base)
        if self._shape:
            return make_view(self, _views.meta_select, (0, key), "SelectBackward0")
    _check_0dim_key(self, key)
    v, adv = _split_key(self, key)
    if adv is None:
        return v if v is not self else make_view(self, _views.meta_alias, (), "AliasBackward0")
    return _index(v, tuple(adv))


def _check_0dim_key(self, key):
    """torch's own messages for a bare int or slice on a 0-dim tensor (inside a tuple they
    are "too many indices", from _split_key)."""
    if self._shape:
        return
    if isinstance(key, (int, np.integer)) and not isinstance(key, (bool, np.bool_)):
        if key != 0:    # torch's select on a 0-dim tensor: size 0
            raise IndexError(f"index {key} is out of bounds for dimension 0 with size 0")
        raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                         "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
    if isinstance(key, slice):
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")


def setitem(self, key, value):
    _check_0dim_key(self, key)
    v, adv = _split_key(self, key)
    if adv is None:
        call_inplace(OPS["copy"], v, (value,), {})
    else:
        call_inplace(OPS["_index_put"], v, (tuple(adv), value), {})


Tensor.__getitem__ = getitem
Tensor.__setitem__ = setitem


@composite(variants="function method")
def index_put(self, indices, values, accumulate=False):
    return _index_put(self, tuple(indices), values, accumulate)


@composite(variants="method")
def index_put_(self, indices, values, accumulate=False):
    return call_inplace(OPS["_index_put"], self, (tuple(indices), values),
                        {"accumulate": accumulate})
