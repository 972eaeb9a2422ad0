"""What a checkpoint's pickle calls to rebuild objects: torch's storage classes (as dtype
markers), its ``torch._utils._rebuild_*`` functions, and the storage records they refer to.

A loaded storage (``LoadedStorage``) holds the record's bytes as a NumPy array; the first
tensor built over it turns it into one jtorch ``Storage`` (a flat jax array), and every
tensor over the same record is a view of that one Storage, so views saved by torch still
share memory after loading.
"""
import functools
import math

import jax
import numpy as np

from .. import _dtypes
from .. import _views
from .._tensor import Storage, Tensor, Size
from ..device import CPU, device as _device


class StorageType:
    """Stands for ``torch.FloatStorage`` & co. (and ``torch.UntypedStorage``: bytes)."""

    def __init__(self, name, dtype):
        self.__name__ = self.__qualname__ = name
        self.dtype = dtype

    def __repr__(self):
        return f"<class 'torch.{self.__name__}'>"


def _storage_types():
    out = {}
    for d in (_dtypes.bool, _dtypes.uint8, _dtypes.int8, _dtypes.int16, _dtypes.int32,
              _dtypes.int64, _dtypes.float16, _dtypes.bfloat16, _dtypes.float32,
              _dtypes.float64, _dtypes.complex64, _dtypes.complex128):
        name = d._legacy + "Storage"
        out[name] = StorageType(name, d)
    return out


STORAGE_TYPES = _storage_types()                      # "FloatStorage" -> marker
UNTYPED = StorageType("UntypedStorage", _dtypes.uint8)
BY_DTYPE = {t.dtype: t for t in STORAGE_TYPES.values()}


class LoadedStorage:
    """One storage record: ``data`` (a NumPy array of ``dtype``; None until a legacy file's
    bytes are read), its saved ``location`` and the device it is mapped to. ``map_location``
    callables receive it and may return it moved (``.cpu()``, ``.to(device)``)."""

    def __init__(self, data, dtype, location, numel=None, device=CPU):
        self.data = data
        self.dtype = dtype
        self.location = location
        self.numel = data.size if numel is None else numel
        self.device = device
        self._storage = None      # the jtorch Storage, made by the first tensor over it
        self._storage_dtype = None
        self._shaped = False      # the Storage's array shape is fixed (a tensor uses it)

    def nbytes(self):
        return self.numel * self.dtype.itemsize

    def size(self):
        return self.numel

    def to(self, device=None, **kwargs):
        dev = _device(device) if device is not None else self.device
        return LoadedStorage(self.data, self.dtype, self.location, self.numel, dev)

    def cpu(self):
        return self.to(CPU)

    def cuda(self, device=None):
        return self.to(_device("cuda", device if isinstance(device, int) else 0))

    def storage_for(self, dtype):
        """The jtorch Storage of this record seen as ``dtype`` (an untyped record is
        reinterpreted, as torch's UntypedStorage is)."""
        if self._storage is None:
            data = self.data
            if data is None:
                data = np.zeros(self.nbytes() // dtype.itemsize, dtype._np)
            elif data.dtype != dtype._np:
                data = data.view(dtype._np)
            self._storage = Storage(_to_device(data, self.device), self.device)
            self._storage_dtype = dtype
        elif self._storage_dtype != dtype:
            raise RuntimeError("Cannot load multiple tensors that view the same storage as "
                               "different types")
        return self._storage


def _to_device(data, dev):
    from ..device import as_device, jax_device
    # an aligned CPU buffer is adopted by jax without a copy
    return jax.device_put(data, _jax_cpu() if dev is CPU else jax_device(as_device(dev)))


@functools.lru_cache(maxsize=None)
def _jax_cpu():
    return jax.local_devices(backend="cpu")[0]   # this process's (one per rank)


def _tensor_over(storage, offset, size, stride, dtype):
    """A jtorch tensor over one loaded record with torch's (size, stride, offset). The first
    tensor covering the whole record in order owns the Storage's array shape (no view
    metadata: the common state_dict case); every other one is a strided view of it."""
    size, stride, offset = tuple(int(s) for s in size), tuple(int(s) for s in stride), \
        int(offset)
    st = storage.storage_for(dtype)
    numel = st.array.size
    span = offset + sum((n - 1) * s for n, s in zip(size, stride)) + 1 if all(size) else 0
    if len(size) != len(stride) or any(s < 0 for s in stride) or offset < 0 or span > numel:
        raise RuntimeError(f"setStorage: sizes {list(size)}, strides {list(stride)}, storage "
                           f"offset {offset}, and itemsize {dtype.itemsize} requiring a storage "
                           f"size of {span * dtype.itemsize} are out of bounds for storage of "
                           f"size {numel * dtype.itemsize}")
    whole = offset == 0 and math.prod(size) == numel and _views.is_contiguous(size, stride)
    if whole and not storage._shaped:
        st.array = st.array.reshape(size)
    storage._shaped = True
    t = Tensor._make_storage(st, Size(size), dtype)
    if not (whole and st.array.shape == size):
        t._view = (size, stride, offset)
        t._view_version = st.version
    return t


def _rebuild_tensor(storage, storage_offset, size, stride):
    return _tensor_over(storage, storage_offset, size, stride, storage.dtype)


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
                       backward_hooks, metadata=None):
    t = _rebuild_tensor(storage, storage_offset, size, stride)
    t._requires_grad = bool(requires_grad)
    return t


def _rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad,
                       backward_hooks, dtype, metadata=None):
    t = _tensor_over(storage, storage_offset, size, stride, dtype)
    t._requires_grad = bool(requires_grad)
    return t


def _rebuild_parameter(data, requires_grad, backward_hooks):
    from ..nn.parameter import Parameter
    return Parameter(data, requires_grad)


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    p = _rebuild_parameter(data, requires_grad, backward_hooks)
    if state:
        p.__dict__.update(state)
    return p


def _rebuild_from_type_v2(func, new_type, args, state):
    out = func(*args)
    if type(out) is not new_type and isinstance(new_type, type) and \
            issubclass(new_type, Tensor):
        out.__class__ = new_type
    if state:
        out.__dict__.update(state if isinstance(state, dict) else state[0] or {})
    return out


def _rebuild_device_tensor_from_cpu_tensor(data, dtype, device, requires_grad):
    t = data.to(dtype=dtype, device=device)
    t._requires_grad = bool(requires_grad)
    return t


def _rebuild_device_tensor_from_numpy(data, dtype, device, requires_grad):
    from .._creation import tensor
    return tensor(np.asarray(data), dtype=dtype, device=device, requires_grad=requires_grad)


def _unsupported(kind):
    def rebuild(*args, **kwargs):
        raise RuntimeError(f"jtorch cannot load {kind} tensors")
    rebuild.__name__ = rebuild.__qualname__ = "_rebuild_" + kind.replace(" ", "_")
    return rebuild


# torch._utils.<name> -> the function that rebuilds it here
REBUILD = {f.__name__: f for f in (
    _rebuild_tensor, _rebuild_tensor_v2, _rebuild_tensor_v3, _rebuild_parameter,
    _rebuild_parameter_with_state, _rebuild_device_tensor_from_cpu_tensor,
    _rebuild_device_tensor_from_numpy)}
for _kind, _name in (("quantized", "_rebuild_qtensor"), ("sparse", "_rebuild_sparse_tensor"),
                     ("meta", "_rebuild_meta_tensor_no_storage"),
                     ("nested", "_rebuild_nested_tensor"),
                     ("wrapper subclass", "_rebuild_wrapper_subclass")):
    REBUILD[_name] = _unsupported(_kind)
