"""A ``t[key]`` key normalised as torch's Python binding does, before any indexing: a
non-tuple sequence holding a tensor, sequence, slice, None or Ellipsis (and shorter than 32)
counts as a tuple (with torch's deprecation warning), and each item becomes an int, slice,
None, Ellipsis, a Python-bool marker (``_Bool``) or an index tensor (``indexing_tensor``).
Bad items raise torch's exception type and message.
"""
import operator

import numpy as np

from .. import _dtypes, _errors
from .._tensor import Tensor

_INT64_MIN, _INT64_MAX = -2 ** 63, 2 ** 63 - 1
_TUPLE_WARNING = (
    "Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed "
    "in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be "
    "interpreted as tensor index, x[torch.tensor(seq)], which will result either in an error "
    "or a different result (Triggered internally at "
    "/__w/pytorch/pytorch/torch/csrc/autograd/python_variable_indexing.cpp:349.)")


def _warn(message):
    _errors.warn_at_user(message)


class _Bool:
    """A Python bool item of a key: a new dim of size 1 (True) or 0 (False)."""
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = bool(value)


def _type_name(k):
    t = type(k)
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__name__}"


def _invalid(k):
    return IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                      "Variables are valid indices (got " + _type_name(k) + ")")


def _is_sequence(k):
    # Python's sequence protocol as torch checks it (dicts and sets are not sequences)
    return isinstance(k, (list, tuple, range, str, bytes)) or (
        hasattr(k, "__getitem__") and hasattr(k, "__len__") and not isinstance(k, dict))


def _treat_as_tuple(key):
    """NumPy's old heuristic, kept by torch: ``x[[0, [1]]]`` means ``x[0, [1]]``."""
    if isinstance(key, (Tensor, np.ndarray)) or not _is_sequence(key):
        return False
    try:
        n = len(key)
        if n >= 32:
            return False
        items = [key[i] for i in range(n)]
    except Exception:
        return False
    return any(isinstance(k, (Tensor, slice, np.ndarray)) or k is None or k is Ellipsis or
               _is_sequence(k) for k in items)


def _key_items(key):
    """The key as a tuple of raw items."""
    if isinstance(key, tuple):
        return key
    if _treat_as_tuple(key):
        _warn(_TUPLE_WARNING)
        return tuple(key)
    return (key,)


def indexing_tensor(seq):
    """torch's conversion of a list/range/array index: bool and uint8 stay masks, any other
    dtype becomes int64 (``[0.5]`` indexes row 0, as in torch)."""
    from .._creation import tensor
    t = tensor(seq) if not isinstance(seq, range) else tensor(list(seq))
    if t.dtype not in (_dtypes.bool, _dtypes.uint8, _dtypes.int64):
        t = t.to(_dtypes.int64)
    return t


def _convert_item(k):
    """One key item as None, Ellipsis, slice, int, _Bool or an index tensor."""
    if k is None or k is Ellipsis:
        return k
    if type(k) is int:
        if not _INT64_MIN <= k <= _INT64_MAX:
            raise ValueError("Overflow when unpacking long long")
        return k
    if isinstance(k, bool):
        return _Bool(k)
    if isinstance(k, slice):
        return _convert_slice(k)
    if isinstance(k, Tensor):
        if k.dim() == 0 and k.dtype in (_dtypes.bool, _dtypes.uint8):
            return _Bool(k.item())
        if k.dim() == 0 and _dtypes.is_integral(k.dtype):
            return int(k.item())
        return k
    if isinstance(k, np.ndarray):
        if k.ndim == 0:
            return _Bool(k) if k.dtype == np.bool_ else int(k)
        return indexing_tensor(k)
    if isinstance(k, np.bool_):
        raise _invalid(k)
    if isinstance(k, int) or isinstance(k, np.integer):
        return _convert_item(int(k))
    if _is_sequence(k):
        return indexing_tensor(k)
    if hasattr(k, "__index__") and not isinstance(k, (float, complex, np.floating)):
        return _convert_item(operator.index(k))
    raise _invalid(k)


def _convert_slice(k):
    try:
        start, stop, step = (None if p is None else operator.index(p)
                             for p in (k.start, k.stop, k.step))
    except TypeError:
        raise TypeError("slice indices must be integers or None or have an __index__ "
                        "method") from None
    if step == 0:
        raise ValueError("slice step cannot be zero")
    return slice(start, stop, step)    # a negative step: meta_slice raises torch's error
