"""TypedStorage (elements of one dtype over an UntypedStorage) and torch's legacy storage
classes (torch.FloatStorage, ...). Public through ``jtorch.storage``."""
import numpy as np

from . import _dtypes
from .device import CPU, as_device
from .storage import (UntypedStorage, _HostOnly, _device_text, _format,
                      _warn_typed_storage_removal, new_flat_storage, read_file)


class TypedStorage(_HostOnly):
    """Elements of one dtype over an UntypedStorage (deprecated in torch, still used by
    checkpoint code)."""

    is_sparse = False

    def __init__(self, *args, wrap_storage=None, dtype=None, device=None, _internal=False):
        if not _internal:
            _warn_typed_storage_removal()
        self.dtype = _dtypes.as_dtype(dtype) if dtype is not None else \
            _dtypes.get_default_dtype()
        if wrap_storage is not None:
            if args:
                raise RuntimeError("TypedStorage(): No positional arguments should be given "
                                   "when using `wrap_storage`")
            if not isinstance(wrap_storage, UntypedStorage):
                raise TypeError("expected a torch.storage.UntypedStorage for argument "
                                f"'wrap_storage', but got {type(wrap_storage).__name__}")
            self._untyped_storage = wrap_storage
            return
        device = as_device(device) if device is not None else CPU
        arg = args[0] if args else 0
        if isinstance(arg, int) and not isinstance(arg, bool):
            host = np.zeros(arg, self.dtype._np)
        else:
            host = np.asarray(list(arg)).astype(self.dtype._np)
        self._untyped_storage = UntypedStorage._wrap(new_flat_storage(host, device))

    @classmethod
    def _over(cls, untyped, dtype):
        return cls(wrap_storage=untyped, dtype=dtype, _internal=True)

    def untyped(self):
        return self._untyped_storage

    _untyped = untyped

    @property
    def device(self):
        return self._untyped_storage.device

    @property
    def is_cuda(self):
        return self.device.type == "cuda"

    def element_size(self):
        return self.dtype.itemsize

    def nbytes(self):
        return self._untyped_storage.nbytes()

    def size(self):
        return self.nbytes() // self.dtype.itemsize

    def __len__(self):
        return self.size()

    def data_ptr(self):
        return self._untyped_storage.data_ptr()

    def pickle_storage_type(self):
        return f"{self.dtype._legacy}Storage"

    def type(self):
        return f"torch.{self.pickle_storage_type()}"

    def _values(self):
        raw = self._untyped_storage._bytes()
        n = self.size() * self.dtype.itemsize
        return raw[:n].view(self.dtype._np)

    def tolist(self):
        v = self._values()
        return (v.astype(np.float32) if self.dtype is _dtypes.bfloat16 else v).tolist()

    def __iter__(self):
        return iter(self.tolist())

    def __getitem__(self, idx):
        n = self.size()
        if isinstance(idx, slice):
            raise RuntimeError("slices are only supported in UntypedStorage.__getitem__")
        i = UntypedStorage._index(idx, n)
        v = self._values()[i]
        return float(v) if self.dtype is _dtypes.bfloat16 else v.item()

    def __setitem__(self, idx, value):
        n = self.size()
        if isinstance(idx, slice):
            start, stop, step = idx.indices(n)
            count = max(stop - start, 0)
        else:
            start, count = UntypedStorage._index(idx, n), 1
        vals = np.full(count, value, self.dtype._np).view(np.uint8)
        self._untyped_storage._write(start * self.dtype.itemsize, vals)

    def fill_(self, value):
        self[:] = value
        return self

    def copy_(self, source, non_blocking=None):
        if isinstance(source, TypedStorage) and source.dtype is not self.dtype:
            vals = source._values().astype(self.dtype._np)
            if vals.size != self.size():
                raise RuntimeError(f"size does not match, self was {self.nbytes()} bytes but "
                                   f"src was {source.nbytes()} bytes")
            self._untyped_storage._write(0, vals.view(np.uint8))
        else:
            self._untyped_storage.copy_(source)
        return self

    def clone(self):
        return TypedStorage._over(self._untyped_storage.clone(), self.dtype)

    def __deepcopy__(self, memo):
        out = memo[id(self)] = self.clone()
        return out

    def __reduce__(self):
        return (TypedStorage._over, (self._untyped_storage, self.dtype))

    def cpu(self):
        u = self._untyped_storage.cpu()
        return self if u is self._untyped_storage else TypedStorage._over(u, self.dtype)

    def resize_(self, size):
        self._untyped_storage.resize_(size * self.dtype.itemsize)
        return self

    @classmethod
    def from_file(cls, filename, shared=False, size=0):
        dtype = cls.__dict__.get("dtype") or _dtypes.get_default_dtype()  # legacy: its own
        raw = read_file(filename, shared, size * dtype.itemsize)
        return TypedStorage._over(UntypedStorage._wrap(new_flat_storage(raw)), dtype)

    def __repr__(self):
        return _format(self.tolist(), f"torch.storage.TypedStorage(dtype={self.dtype}, device="
                                      f"{_device_text(self.device)}) of size {self.size()}")

    __str__ = __repr__


# ------------------------------------------------------------------ legacy classes
class _LegacyStorageMeta(type):
    """torch.FloatStorage(...) makes a TypedStorage of float32, and isinstance checks the
    dtype (as torch's legacy storage classes do)."""

    def __instancecheck__(cls, instance):
        if type(instance) is TypedStorage:
            return instance.dtype is cls.dtype and instance.device.type == "cpu"
        return type.__instancecheck__(cls, instance)


class _LegacyStorage(TypedStorage, metaclass=_LegacyStorageMeta):
    def __new__(cls, *args, **kwargs):
        if "dtype" in kwargs:
            raise RuntimeError("__new__ got an unexpected keyword argument 'dtype'")
        return TypedStorage(*args, dtype=cls.dtype, **kwargs)


def _legacy(name, dtype):
    return _LegacyStorageMeta(name, (_LegacyStorage,), {"dtype": dtype, "__module__": "torch"})


LEGACY = {f"{d._legacy}Storage": _legacy(f"{d._legacy}Storage", d)
          for d in _dtypes.ALL_DTYPES if d._legacy is not None}
