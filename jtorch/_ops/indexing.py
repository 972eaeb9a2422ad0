"""``t[key]`` and ``t[key] = value`` with torch's rules.

A key is first normalised as torch's Python binding does (``index_keys.py``): a non-tuple
sequence holding a tensor, sequence, slice, None or Ellipsis (and shorter than 32) counts as
a tuple (with torch's deprecation warning); each item becomes an int, slice, None, Ellipsis,
a Python-bool marker or an index tensor (lists, ranges and arrays go through
``indexing_tensor``: bool/uint8 stay masks, everything else becomes int64).

Basic items are then applied left to right as views (select/slice/unsqueeze), exactly as
torch does, a full slice inside a tuple being skipped; a Python bool is an unsqueeze plus a
one-element (True) or empty (False) int64 index, torch's own encoding. The remaining tensor
indices form one advanced-indexing gather (``IndexBackward0``) or scatter (``index_put_``).
Bool masks become integer indices on the host (their result shape depends on the data,
which jit can't express). Bad keys raise torch's exception type and message.
"""
import numpy as np

from .. import _caches, _dtypes, _views
from .._dispatch import call_inplace, check_inplace, make_view
from .._grad_mode import is_grad_enabled
from .._tensor import Tensor
from .._write_checks import check_copy_overlap
from .index_keys import (_INT64_MAX, _INT64_MIN, _Bool, _convert_item, _convert_slice,
                         _key_items, _type_name, _warn)
from .masked_ops import check_number_fits, fill_number
from .registry import OPS, Promotion, op

_EMPTY_DIM = "index is out of bounds for dimension with size 0"
_UINT8_WARNING = ("indexing with dtype torch.uint8 is now deprecated, please use a dtype "
                  "torch.bool instead. (Triggered internally at "
                  "/__w/pytorch/pytorch/aten/src/ATen/native/IndexingUtils.h:37.)")


def _consumed(k):
    """Dims of the indexed tensor a raw key item uses up (torch counts before converting:
    a list counts 1 whatever it holds)."""
    if isinstance(k, Tensor):
        return k.dim() if _is_mask(k) else 1
    return 0 if k is None or k is Ellipsis or isinstance(k, bool) else 1


def _split_key(self, key):
    """Apply the basic part of ``key``; return (view, advanced index list or None, the
    first out-of-range advanced index error or None, the dtypes of the masks). Items are
    converted as they are applied, so errors come in torch's order."""
    raw = _key_items(key)
    consumed = sum(_consumed(k) for k in raw)
    if consumed > self.dim():
        raise IndexError(f"too many indices for tensor of dimension {self.dim()}")
    v, dim, adv, has_adv, bounds, masks = self, 0, [], False, None, set()
    for pos, k in enumerate(raw):
        k = _convert_item(k)
        if k is Ellipsis:
            # every Ellipsis skips the unindexed dims (a second one is allowed by torch)
            skip = self.dim() - consumed
            adv.extend([None] * skip)
            dim += skip
        elif k is None or isinstance(k, _Bool):
            v = make_view(v, _views.meta_unsqueeze, (dim,), "UnsqueezeBackward0")
            if k is None:
                adv.append(None)
            else:
                has_adv = True
                adv.append(_bool_index(k.value))
            dim += 1
        elif isinstance(k, int):
            n = v.shape[dim]
            if not -n <= k < n:
                raise IndexError(f"index {k} is out of bounds for dimension {pos} with size {n}")
            v = make_view(v, _views.meta_select, (dim, k), "SelectBackward0")
        elif isinstance(k, slice):
            if not _is_full_slice(k, v.shape[dim]):
                v = make_view(v, _views.meta_slice, (dim, k.start, k.stop, k.step or 1),
                              "SliceBackward0")
            adv.append(None)
            dim += 1
        else:
            has_adv = True
            if _is_mask(k):
                masks.add(k.dtype)
            dim, err = _add_tensor_index(v, dim, k, adv)
            if err is not None and (bounds is None or str(err) == _EMPTY_DIM):
                bounds = err
    return v, (adv[:v.dim()] if has_adv else None), bounds, masks


def _advanced_shape(v, adv, bounds):
    """The result shape of the advanced part; an out-of-range index is an error only when
    there is something to read or write (torch's kernel checks elements as it visits them)."""
    shape = _index_shape(v.shape, adv)
    # (an index into an empty dim is an error even when nothing is read)
    if bounds is not None and (0 not in shape or str(bounds) == _EMPTY_DIM):
        raise bounds
    return shape


def _is_full_slice(k, n):
    # torch skips a slice of a tuple key that starts at 0 with step 1 and reaches the end
    return (k.start is None or k.start == 0) and (k.step is None or k.step == 1) and \
        (k.stop is None or k.stop >= n)


def _bool_index(value):
    import jax.numpy as jnp
    return Tensor._make(jnp.zeros((1 if value else 0,), dtype=jnp.int64))


def _add_tensor_index(v, dim, k, adv):
    """Append the advanced index (or a mask's nonzero indices) for ``k`` at ``dim``; return
    the next dim."""
    if _is_mask(k):
        if k.dtype is _dtypes.uint8:
            _warn(_UINT8_WARNING)
        for d in range(k.dim()):
            if k.shape[d] != v.shape[dim + d]:
                raise IndexError(f"The shape of the mask {list(k.shape)} at index {d} "
                                 f"does not match the shape of the indexed tensor "
                                 f"{list(v.shape)} at index {dim + d}")
        nz = np.nonzero(np.asarray(k._value()))
        for ix in nz:
            adv.append(Tensor._make(_jnp_i64(ix)))
        return dim + k.dim(), None
    if k.dtype not in (_dtypes.int64, _dtypes.int32):
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    n = v.shape[dim]
    host = np.asarray(k._value())
    err = None
    if host.size and not n:
        err = IndexError(_EMPTY_DIM)
    elif host.size and (host.max() >= n or host.min() < -n):
        bad = host.max() if host.max() >= n else host.min()
        # torch numbers the dim among the advanced indices only
        err = IndexError(f"index {bad} is out of bounds for dimension "
                         f"{sum(a is not None for a in adv)} with size {n}")
    adv.append(k)
    return dim + 1, err


def _jnp_i64(ix):
    import jax.numpy as jnp
    return jnp.asarray(ix.astype(np.int64))


def _is_mask(k):
    return isinstance(k, Tensor) and k.dtype in (_dtypes.bool, _dtypes.uint8)


def _full_key(indices):
    return tuple(slice(None) if i is None else i for i in indices)


def _index_shape(shape, adv):
    """The shape of ``v[adv]`` (NumPy's rule: adjacent advanced indices stay in place, split
    ones go first); IndexError with torch's message when the indices don't broadcast."""
    dims = [d for d, t in enumerate(adv) if t is not None]
    shapes = [tuple(adv[d].shape) for d in dims]
    try:
        b = np.broadcast_shapes(*shapes)
    except ValueError:
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together "
                         "with shapes " + ", ".join(str(list(s)) for s in shapes)) from None
    if dims == list(range(dims[0], dims[-1] + 1)):
        return tuple(shape[:dims[0]]) + b + tuple(shape[dims[-1] + 1:])
    return b + tuple(n for d, n in enumerate(shape) if d >= len(adv) or adv[d] is None)


@op(variants="", tensors=("input", "indices"), promote=Promotion.NONE, grad_fn="IndexBackward0",
    saves=("indices",))
def _index(input, indices):
    # trailing unindexed dims are implicit
    return input[_full_key(indices)]


@op(variants="", tensors=("input", "indices", "values"), promote=Promotion.NONE,
    grad_fn="IndexPutBackward0", saves=("indices",))
def _index_put(input, indices, values, accumulate=False):
    key = _full_key(indices)
    values = values.astype(input.dtype)
    if accumulate and input.dtype == np.bool_:   # a bool sum is an "or": add as integers
        return input.astype(np.int32).at[key].add(values.astype(np.int32)) != 0
    return input.at[key].add(values) if accumulate else input.at[key].set(values)


# the select fast path runs once per dataset sample: a plain tensor's metadata (its shape
# as a plain tuple, as make_view takes it, and its contiguous strides) is computed once per
# shape (bounded: only a few shapes are ever indexed in a loop)
_PLAIN_META = _caches.bounded("index metadata", _caches.INDEX_META)


def _plain_meta(size):
    meta = _PLAIN_META.get(size)
    if meta is None:
        shape = tuple(size)
        meta = _PLAIN_META.put(shape, (shape, _views.contiguous_strides(shape)))
    return meta


def getitem(self, key):
    if type(key) is int:
        # the per-sample path of every Dataset (``x[i]``). Without a gradient to record, the
        # view is meta_select's metadata built inline (~0.5 us instead of ~1.2 us through
        # make_view); the metadata, _base and _view_version are exactly make_view's. An
        # index out of range, a 0-dim tensor and a recorded SelectBackward0 take the
        # general paths below, which raise torch's errors; so does a view that must carry
        # torch's creation record (made in no-grad mode, or of a view that has one).
        if not self._requires_grad and is_grad_enabled() and \
                "_creation_meta" not in self.__dict__:
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
        if not _INT64_MIN <= key <= _INT64_MAX:
            raise ValueError("Overflow when unpacking long long")
        if self._shape:
            return make_view(self, _views.meta_select, (0, key), "SelectBackward0")
    _check_0dim_key(self, key)
    if isinstance(key, slice):
        # a bare slice is always a slice op (only a tuple key skips a full slice)
        k = _convert_slice(key)
        return make_view(self, _views.meta_slice, (0, k.start, k.stop, k.step or 1),
                         "SliceBackward0")
    v, adv, bounds, _ = _split_key(self, key)
    if adv is None:
        return v if v is not self else make_view(self, _views.meta_alias, (), "AliasBackward0")
    _advanced_shape(v, adv, bounds)
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


_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half",
            "bfloat16": "c10::BFloat16", "int64": "int64_t", "int32": "int", "int16": "int16_t",
            "int8": "int8_t", "uint8": "uint8_t", "bool": "bool"}


def _check_value(self, value):
    """The assigned value as a tensor or Python number; torch's errors for other types."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (np.number, np.bool_)):
        value = value.item()
    if not isinstance(value, (int, float, complex)):
        raise TypeError(f"can't assign a {_type_name(value)} to a {self.type()}")
    if isinstance(value, complex) and not self.dtype.is_complex:
        if value.imag != 0:
            raise RuntimeError(f"value cannot be converted to type "
                               f"{_C_NAMES.get(self.dtype._name, self.dtype._name)} without "
                               f"overflow")
        value = value.real
    check_number_fits(self.dtype, value)    # (torch converts the number to the dtype first)
    return value


def setitem(self, key, value):
    value = _check_value(self, value)
    _check_0dim_key(self, key)
    # torch's shortcuts for a bare key: False writes nothing (not even a version bump),
    # True and None write through a size-1 view, Ellipsis writes the whole tensor
    if key is False:
        return
    if key is True or key is None:
        return _copy_to(make_view(self, _views.meta_unsqueeze, (0,), "UnsqueezeBackward0"),
                        value)
    v, adv, bounds, masks = _split_key(self, key)
    if adv is None:
        return _copy_to(v, value)
    check_inplace(v)        # (index_put_'s own checks come after, as torch's)
    out_shape = _advanced_shape(v, adv, bounds)
    single = not isinstance(value, Tensor) or value.numel() == 1
    if masks and single:
        # one value into a mask is torch's masked_fill: it casts, and refuses uint8 masks
        if _dtypes.uint8 in masks:
            raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with "
                               "dtype unsigned char")
        check_number_fits(self.dtype, fill_number(self.dtype, value))
    if isinstance(value, Tensor):
        value = _strip_leading_ones(value)
        if not _broadcasts(tuple(value.shape), out_shape):
            raise RuntimeError(f"shape mismatch: value tensor of shape {list(value.shape)} "
                               f"cannot be broadcast to indexing result of shape "
                               f"{list(out_shape)}")
        if value.dtype != self.dtype and not (masks and single):
            raise RuntimeError(
                "Index put requires the source and destination dtypes match, got "
                f"{_dtypes.torch_type_name(self.dtype)} for the destination and "
                f"{_dtypes.torch_type_name(value.dtype)} for the source.")
    call_inplace(OPS["_index_put"], v, (tuple(adv), value), {})


def _broadcasts(shape, target):
    """``shape`` broadcasts to ``target`` (as expand: no new size-1 dims in the target)."""
    if len(shape) > len(target):
        return False
    return all(s == 1 or s == t for s, t in zip(shape[::-1], target[::-1]))


def _strip_leading_ones(value):
    shape = tuple(value.shape)
    n = 0
    while n < len(shape) and shape[n] == 1:
        n += 1
    return value.view(shape[n:])     # (always: torch views it, which can raise)


def _copy_to(dst, value):
    """torch's copy_to: equal shapes copy, a 0-dim value or a number fills (FillBackward3),
    anything else is stripped of leading 1s and must expand to ``dst``."""
    if isinstance(value, Tensor):
        if value.shape == dst.shape:
            _check_copy(dst, value)
            return dst.copy_(value)
        if value.dim() == 0:
            check_copy_overlap(dst, value)
            return dst.fill_(value)
        value = _strip_leading_ones(value)
        _check_expand(list(value.shape), list(dst.shape), value)     # (before the overlap)
        value = value.expand(dst.shape)     # (as torch's expand_inplace: its strides count)
        _check_copy(dst, value)
        return dst.copy_(value)
    if dst.dim() == 0:
        return dst.copy_(value)
    import jax.numpy as jnp
    # a number becomes a 0-dim tensor of dst's dtype first, as torch's valueToTensor
    return dst.fill_(Tensor._make(jnp.asarray(value, dtype=dst.dtype._np), dst.dtype))


def _check_copy(dst, value):
    """copy_'s own order: autograd's check of the destination (a view of a leaf that
    requires grad) before the kernel's overlap check."""
    if value._storage is not dst._storage:
        return
    if dst._dtype.is_floating_point or dst._dtype.is_complex:   # (copy_ into int skips it)
        check_inplace(dst)
    check_copy_overlap(dst, value)


def _check_expand(src, tgt, value):
    if len(src) > len(tgt):
        raise RuntimeError(
            f"expand({_dtypes.type_label(value.dtype)}{{{src}}}, size={tgt}): the number of sizes provided "
            f"({len(tgt)}) must be greater or equal to the number of dimensions in the "
            f"tensor ({len(src)})")
    for i in range(1, len(src) + 1):
        if src[-i] != 1 and src[-i] != tgt[-i]:
            raise RuntimeError(
                f"The expanded size of the tensor ({tgt[-i]}) must match the existing size "
                f"({src[-i]}) at non-singleton dimension {len(tgt) - i}.  Target sizes: "
                f"{tgt}.  Tensor sizes: {src}")


Tensor.__getitem__ = getitem
Tensor.__setitem__ = setitem
