"""torch.storage: the public storage objects (UntypedStorage, TypedStorage, torch.FloatStorage...).

A public storage is a window onto jtorch's internal ``_tensor.Storage`` (the one mutable cell
holding a jax array): ``UntypedStorage`` sees its bytes (little-endian, as torch's on x86),
``TypedStorage`` the same bytes as elements of one dtype. Reads copy the jax array to the host
and reinterpret it with NumPy; writes rebuild the storage's array from modified host bytes and
bump its version, so every tensor over the storage sees them, as in torch.

Departures from torch (jax arrays are immutable buffers owned by XLA):
- ``data_ptr()`` is the real address of the storage's current jax buffer, so code that reads
  memory through it (safetensors) works; an in-place write replaces the buffer, so the address
  changes after one, where torch's stays put.
- Memory is never shared with a Python buffer or a file: ``frombuffer`` copies the buffer,
  ``from_file(shared=True)`` reads the file but does not write changes back (a UserWarning says
  so).
- A storage viewed as another dtype than its own (``asarray(untyped, dtype=...)``,
  ``Tensor.view(dtype)``, ``set_`` onto a storage of another dtype) is a copy; the copy of
  ``view(dtype)`` holds just the bytes the view spans, so its ``storage_offset()`` is 0.
"""
import os
import warnings
import weakref

import jax
import numpy as np

from ._tensor import Storage
from .device import CPU, as_device, jax_device

__all__ = ["UntypedStorage", "TypedStorage"]

_DEPRECATION = (
    "TypedStorage is deprecated. It will be removed in the future and UntypedStorage will be "
    "the only storage class. This should only matter to you if you are using storages "
    "directly.  To access UntypedStorage directly, use tensor.untyped_storage() instead of "
    "tensor.storage()")
_warned = [False]


def _warn_typed_storage_removal(stacklevel=2):
    """torch warns about TypedStorage once per process."""
    if not _warned[0]:
        warnings.warn(_DEPRECATION, UserWarning, stacklevel=stacklevel + 1)
        _warned[0] = True


def _reset_warn_typed_storage_removal():
    _warned[0] = False


# ------------------------------------------------------------------ internal storage access
# Storages whose every tensor carries explicit view metadata (made here, never the whole-array
# fast form), so their flat array can change length (resize_) without desynchronising a tensor.
_flat = weakref.WeakSet()
# buffer address -> the Storage that reported it (see buffer_ptr)
_owners = {}


def new_flat_storage(host, device=CPU):
    """An internal Storage over the host array ``host`` (flattened), which the caller must not
    modify afterwards (on the CPU jax may keep using its memory)."""
    st = Storage(jax.device_put(np.ascontiguousarray(host).reshape(-1), jax_device(device)),
                 device)
    _flat.add(st)
    return st


def host_bytes(st):
    """The storage's bytes as a read-only 1-D uint8 host array (on the CPU, jax's own cached
    host view of the buffer: no copy)."""
    return np.asarray(st.array).reshape(-1).view(np.uint8)


def set_host(st, host):
    """Replace the storage's array by ``host`` (same dtype and element count), bump version."""
    arr = st.array
    st.array = jax.device_put(host.reshape(arr.shape), jax_device(st.device))
    st.version += 1


def storage_nbytes(st):
    arr = st.array
    return arr.size * arr.dtype.itemsize


def buffer_ptr(st):
    """The address of the storage's current buffer (0 when empty).

    Two internal storages could hold one jax array (jax arrays are immutable, so nothing stops
    an op from handing the same one to two storages); torch's pointer identity means "same
    storage", so the second storage to ask gets its own copy of the buffer.
    """
    arr = st.array
    if arr.size == 0:
        return 0
    ptr = arr.unsafe_buffer_pointer()
    ref = _owners.get(ptr)
    other = ref() if ref is not None else None
    if other is not None and other is not st and \
            other.array.size and other.array.unsafe_buffer_pointer() == ptr:
        st.array = arr = arr.copy()
        ptr = arr.unsafe_buffer_pointer()
    elif other is st:
        return ptr
    _owners[ptr] = weakref.ref(st, lambda r, p=ptr: _owners.get(p) is r and _owners.pop(p))
    return ptr


def _bytes_of_sequence(seq, who):
    values = list(seq)
    for v in values:
        if not isinstance(v, int):
            raise RuntimeError(
                f"{who}: tried to construct a storage from a sequence ({type(seq).__name__}), "
                f"but one of the items was of type {type(v).__name__} instead of int")
    return np.array([v & 0xFF for v in values], np.uint8)


def _device_text(device):
    return str(device)


def _format(items, header):
    return " " + "\n ".join(str(v) for v in items) + f"\n[{header}]"


class _HostOnly:
    """Storage methods that are constants here: a CPU-only build has neither shared nor
    pinned memory (shared by UntypedStorage and TypedStorage)."""

    def is_shared(self):
        return False

    def is_pinned(self, device="cuda"):
        return False

    def share_memory_(self):
        return self


# ------------------------------------------------------------------ UntypedStorage
class UntypedStorage(_HostOnly):
    """Bytes of an internal Storage, from byte ``_offset`` for ``_len`` bytes (None: to the
    end). ``tensor.untyped_storage()`` returns the same object while it lives, as torch."""

    is_sparse = False
    is_cuda = property(lambda self: self._st.device.type == "cuda")

    def __init__(self, *args, device=None):
        device = as_device(device) if device is not None else CPU
        if len(args) > 1:
            raise TypeError("UntypedStorage(): expected at most one positional argument "
                            f"(got {len(args)})")
        arg = args[0] if args else 0
        if isinstance(arg, int) and not isinstance(arg, bool):
            if arg < 0:
                raise RuntimeError(f"Storage size must be non-negative, got {arg}")
            host = np.zeros(arg, np.uint8)
        elif isinstance(arg, (str, bytes)) or not hasattr(arg, "__iter__"):
            raise RuntimeError(
                "torch.UntypedStorage(): tried to construct a storage from a sequence "
                f"({type(arg).__name__}), but one of the items was of type "
                f"{type(arg).__name__} instead of int")
        else:
            host = _bytes_of_sequence(arg, "torch.UntypedStorage()")
        self._init(new_flat_storage(host, device), 0, None)

    def _init(self, st, offset, length):
        self._st = st
        self._offset = offset
        self._len = length

    @classmethod
    def _wrap(cls, st, offset=0, length=None):
        s = object.__new__(cls)
        s._init(st, offset, length)
        return s

    # ------------------------------------------------------------ metadata
    def nbytes(self):
        if self._len is not None:
            return self._len
        return storage_nbytes(self._st) - self._offset

    size = nbytes

    def __len__(self):
        return self.nbytes()

    def element_size(self):
        return 1

    @property
    def device(self):
        return self._st.device

    def data_ptr(self):
        base = buffer_ptr(self._st)
        return base + self._offset if base else 0

    def untyped(self):
        return self

    def type(self, dtype=None, non_blocking=False):
        return "torch.storage.UntypedStorage"

    @property
    def filename(self):
        return getattr(self, "_filename", None)

    # ------------------------------------------------------------ reading
    def _bytes(self):
        """A host copy of this window's bytes."""
        return host_bytes(self._st)[self._offset:self._offset + self.nbytes()].copy()

    def tolist(self):
        return host_bytes(self._st)[self._offset:self._offset + self.nbytes()].tolist()

    def __iter__(self):
        return iter(self.tolist())

    def __getitem__(self, idx):
        n = self.nbytes()
        if isinstance(idx, slice):
            start, stop = self._slice(idx, n)
            return UntypedStorage._wrap(self._st, self._offset + start, max(stop - start, 0))
        i = self._index(idx, n)
        return int(host_bytes(self._st)[self._offset + i])

    @staticmethod
    def _slice(idx, n):
        start, stop, step = idx.indices(n)
        if step != 1:
            raise RuntimeError(f"Trying to slice with a step of {step}, but only a step of "
                               "1 is supported")
        return start, stop

    @staticmethod
    def _index(idx, n):
        if not hasattr(idx, "__index__"):
            raise RuntimeError(f"can't index a torch.storage.UntypedStorage with "
                               f"{type(idx).__name__}")
        i = idx.__index__()
        if i < -n or i >= n:
            raise IndexError(f"index {i} out of range for storage of size {n}")
        return i + n if i < 0 else i

    # ------------------------------------------------------------ writing
    def _write(self, start, values):
        b = host_bytes(self._st).copy()
        b[self._offset + start:self._offset + start + values.size] = values
        set_host(self._st, b.view(np.asarray(self._st.array).dtype))

    def __setitem__(self, idx, value):
        n = self.nbytes()
        if isinstance(idx, slice):
            start, stop = self._slice(idx, n)
            count = max(stop - start, 0)
        else:
            start, count = self._index(idx, n), 1
        self._write(start, np.full(count, int(value) & 0xFF, np.uint8))

    def fill_(self, value):
        self[:] = value
        return self

    def copy_(self, source, non_blocking=None):
        if not is_storage(source):
            raise TypeError(f"copy_(): argument 'src' must be a storage, not "
                            f"{type(source).__name__}")
        src = source.untyped()._bytes()
        if src.size != self.nbytes():
            raise RuntimeError(f"size does not match, self was {self.nbytes()} bytes but src "
                               f"was {src.size} bytes")
        self._write(0, src)
        return self

    def clone(self):
        return UntypedStorage._wrap(new_flat_storage(self._bytes(), self.device))

    def cpu(self):
        if self.device.type == "cpu":
            return self
        return UntypedStorage._wrap(new_flat_storage(self._bytes(), CPU))

    def resize_(self, size):
        """Grow (zero-filled) or shrink. Only storages made here (constructors, from_file,
        clone) can: jtorch's own tensors assume their storage's array keeps its length."""
        if size < 0:
            raise RuntimeError(f"Storage size must be non-negative, got {size}")
        if self._st not in _flat or self._offset or self._len is not None:
            raise RuntimeError("jtorch: resize_ is only supported on a storage created as a "
                               "storage (UntypedStorage(n), from_file, clone), not on one "
                               "that belongs to a tensor")
        b = host_bytes(self._st)
        out = np.zeros(size, np.uint8)
        out[:min(size, b.size)] = b[:size]
        self._st.array = jax.device_put(out, jax_device(self._st.device))
        self._st.version += 1
        return self

    # ------------------------------------------------------------ copies by value
    def __deepcopy__(self, memo):
        out = memo[id(self)] = self.clone()
        return out

    def __reduce__(self):
        return (_rebuild_untyped, (self._bytes().tobytes(), str(self.device)))

    # ------------------------------------------------------------ files
    @classmethod
    def from_file(cls, filename, shared=False, nbytes=0):
        return cls._wrap(new_flat_storage(read_file(filename, shared, nbytes)))

    # ------------------------------------------------------------ printing
    def __repr__(self):
        return _format(self.tolist(), f"torch.storage.UntypedStorage(device="
                                      f"{_device_text(self.device)}) of size {self.nbytes()}")

    __str__ = __repr__


def _rebuild_untyped(data, device):
    st = new_flat_storage(np.frombuffer(data, np.uint8), as_device(device))
    return UntypedStorage._wrap(st)


def read_file(filename, shared, nbytes):
    """The first ``nbytes`` bytes of the file as a host uint8 array (torch's mmap checks and
    messages; the bytes are copied, see the module docstring)."""
    filename = os.fspath(filename)
    mode = "read-write" if shared else "read-only"
    try:
        fsize = os.path.getsize(filename)
        with open(filename, "rb") as fh:
            data = np.frombuffer(fh.read(nbytes), np.uint8) if nbytes else np.zeros(0, np.uint8)
    except OSError as e:
        raise RuntimeError(f"unable to open file <{filename}> in {mode} mode: "
                           f"{os.strerror(e.errno)} ({e.errno})") from None
    if fsize < nbytes:
        raise RuntimeError(f"file <{filename}> size <{fsize}> is smaller than the required "
                           f"mapping size <{nbytes}>")
    if shared:
        warnings.warn("jtorch: from_file(shared=True) reads the file, but changes to the "
                      "storage are not written back to it (jax buffers cannot map a file)",
                      UserWarning, stacklevel=3)
    return data


def untyped_of(st):
    """The public UntypedStorage of an internal Storage; the same object while it lives."""
    s = _public.get(id(st))
    if s is None or s._st is not st:
        s = UntypedStorage._wrap(st)
        _public[id(st)] = s
    return s


_public = weakref.WeakValueDictionary()   # id(internal Storage) -> its UntypedStorage


# TypedStorage and the legacy classes live in _storage_typed (they build on the above)
from ._storage_typed import TypedStorage, LEGACY  # noqa: E402,F401  (LEGACY: jtorch.FloatStorage...)


def is_storage(obj, /):
    return isinstance(obj, (UntypedStorage, TypedStorage))
