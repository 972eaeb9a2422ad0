"""Tensor <-> storage: data_ptr, storage(), set_, view(dtype), and the constructors
that start from bytes (frombuffer, from_file, asarray of a storage). See ``storage.py`` for
the departures from torch (copies where torch shares memory)."""
import math
import warnings
import weakref

import jax
import numpy as np

from . import _dtypes, _tensor, _views
from ._tensor import Size, Tensor
from . import _grad_mode as grad_mode
from .device import CPU
from . import storage as _st

_UNSIGNED_NAMES = {"uint16": "UInt16", "uint32": "UInt32", "uint64": "UInt64"}
# C++ element type names torch prints in set_'s storage type error
_CPP = {"float32": "float", "float64": "double", "int64": "long int", "int32": "int",
        "int16": "short int", "int8": "signed char", "uint8": "unsigned char", "bool": "bool",
        "float16": "c10::Half", "bfloat16": "c10::BFloat16",
        "complex64": "c10::complex<float>", "complex128": "c10::complex<double>",
        "uint16": "unsigned short", "uint32": "unsigned int", "uint64": "unsigned long"}


def scalar_name(d):
    """torch's ScalarType name (Float, Long, UInt16...)."""
    return d._legacy or _UNSIGNED_NAMES[d._name]


# ------------------------------------------------------------------ pointers and storages
def data_ptr(t):
    if isinstance(t._storage, HostStorage):    # memory shared with NumPy: its address
        buf = host_buffer(t._storage)
        base = buf.ctypes.data if buf.size else 0
    else:
        base = _st.buffer_ptr(t._storage)
    return base + t.storage_offset() * t._dtype.itemsize if base else 0


def untyped_storage(t):
    return _st.untyped_of(t._storage)


def typed_storage(t):
    _st._warn_typed_storage_removal(stacklevel=3)
    return _st.TypedStorage._over(untyped_storage(t), t._dtype)


def _layout(t):
    if t._view is not None:
        return tuple(t._view[0]), tuple(t._view[1]), t._view[2]
    return tuple(t._shape), _views.contiguous_strides(t._shape), 0


# ------------------------------------------------------------------ tensors over storages
def _span_elems(shape, stride, offset):
    if math.prod(shape) == 0:
        return 0
    return offset + 1 + sum((n - 1) * s for n, s in zip(shape, stride))


def _over(untyped, dtype):
    """(internal Storage, element offset, element count) of ``untyped``'s bytes as ``dtype``:
    the storage itself when its array already has that dtype and the window is aligned,
    otherwise a reinterpreted copy."""
    st, off = untyped._st, untyped._offset
    k = dtype.itemsize
    if np.dtype(st.array.dtype) == dtype._np and off % k == 0:
        return st, off // k, untyped.nbytes() // k
    raw = untyped._bytes()
    n = raw.size // k
    return _st.new_flat_storage(raw[:n * k].view(dtype._np), untyped.device), 0, n


def _make_over(st, dtype, shape, stride, offset):
    t = Tensor._make_storage(st, Size(shape), dtype)
    t._view = (tuple(shape), tuple(stride), offset)
    return t


def from_storage(storage, dtype=None, device=None):
    """torch.asarray(storage): a tensor over the storage's memory (1-D)."""
    if isinstance(storage, _st.TypedStorage):
        dtype = dtype or storage.dtype
        storage = storage.untyped()
    dtype = _dtypes.as_dtype(dtype) if dtype is not None else _dtypes.uint8
    st, off, n = _over(storage, dtype)
    t = _make_over(st, dtype, (n,), (1,), off)
    return t if device is None else t.to(device)


def _check_bounds(t_dtype, shape, stride, offset, st, base):
    need = _span_elems(shape, stride, offset)
    have = st.array.size - base
    if need > have:
        k = t_dtype.itemsize
        raise RuntimeError(
            f"setStorage: sizes {list(shape)}, strides {list(stride)}, storage offset {offset}, "
            f"and itemsize {k} requiring a storage size of {need * k} are out of bounds for "
            f"storage of size {have * k}")


def set_(t, source=None, storage_offset=0, size=None, stride=None):
    """Tensor.set_(): re-point ``t`` at another storage (torch's forms: none, a tensor, a
    storage with optional offset, size and stride)."""
    if t._requires_grad and t._grad_fn is None and grad_mode.is_grad_enabled():
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation.")
    if source is None:
        st, base, shape, strd, off = _st.new_flat_storage(np.zeros(0, t._dtype._np),
                                                          t.device), 0, (0,), (1,), 0
    elif isinstance(source, Tensor):
        if source._dtype is not t._dtype:
            raise RuntimeError(f"Could not set tensor of type {_CPP[source._dtype._name]} to "
                               f"a tensor of type {_CPP[t._dtype._name]}")
        shape, strd, off = _layout(source)
        st, base = source._storage, 0
    elif _st.is_storage(source):
        if isinstance(source, _st.TypedStorage):
            if source.dtype is not t._dtype:
                raise RuntimeError(
                    f"Expected a Storage of type {_CPP[t._dtype._name]} or an UntypedStorage, "
                    f"but got type {scalar_name(source.dtype)} for argument 1 'storage'")
            source = source.untyped()
        st, base, n = _over(source, t._dtype)
        off = int(storage_offset)
        if size is None:
            shape, strd, off = (n,), (1,), 0
        else:
            shape = tuple(int(s) for s in size)
            strd = tuple(int(s) for s in stride) if stride is not None else \
                _views.contiguous_strides(shape)
        _check_bounds(t._dtype, shape, strd, off, st, base)
        off += base
    else:
        raise TypeError(f"set_() received an invalid combination of arguments - got "
                        f"({type(source).__name__})")
    t._storage = st
    t._view = (tuple(shape), tuple(strd), off)
    t._shape = Size(shape)
    t._cache = None
    return t


# ------------------------------------------------------------------ view(dtype)
def view_dtype(t, dtype):
    """Tensor.view(dtype): the same bytes read as another dtype, with torch's checks, sizes
    and strides. The result is a copy over a new storage (a jax array has one dtype)."""
    dtype = _dtypes.as_dtype(dtype)
    if dtype is t._dtype:
        return Tensor._alias(t)         # torch: a plain alias, outside autograd
    old, new = t._dtype.itemsize, dtype.itemsize
    shape, stride, off = _layout(t)
    shape, stride = list(shape), list(stride)
    if old != new:          # torch's checks, in torch's order
        what = (f"to view {scalar_name(t._dtype)} as {scalar_name(dtype)} (different element "
                "sizes)")
        if not shape:
            raise RuntimeError(f"self.dim() cannot be 0 {what}")
        if stride[-1] != 1:
            raise RuntimeError(f"self.stride(-1) must be 1 {what}, but got {stride[-1]}")
        if old < new:
            r = new // old
            if shape[-1] % r:
                raise RuntimeError(f"self.size(-1) must be divisible by {r} {what}, but got "
                                   f"{shape[-1]}")
            if off % r:
                raise RuntimeError(f"self.storage_offset() must be divisible by {r} {what}, "
                                   f"but got {off}")
            for i, s in enumerate(stride[:-1]):
                if s % r:
                    raise RuntimeError(f"self.stride({i}) must be divisible by {r} {what}, "
                                       f"but got {s}")
            stride = [s // r for s in stride[:-1]] + [1]
            shape[-1] //= r
            off //= r
        else:
            r = old // new
            stride = [s * r for s in stride[:-1]] + [1]
            shape[-1] *= r
            off *= r
    # only the bytes the view spans are copied (a tensor over a whole file's storage, as
    # safetensors' safe_open makes, must not copy the file per tensor); the copy starts at the
    # view's first element, so its storage offset is 0 where torch's keeps the original's
    first = _layout(t)[2] * old
    span = _span_elems(shape, stride, 0) * new
    raw = _st.host_bytes(t._storage)[first:first + span]
    if raw.size % new:
        raw = np.concatenate([raw, np.zeros((-raw.size) % new, np.uint8)])
    st = _st.new_flat_storage(raw.view(dtype._np), t.device)
    return _make_over(st, dtype, shape, stride, 0)


# ------------------------------------------------------------------ bytes -> tensor
def frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False):
    """torch.frombuffer with torch's checks. The bytes are copied: the tensor does not share
    memory with the buffer (see storage.py)."""
    try:
        mv = memoryview(buffer)
    except TypeError:
        raise ValueError("object does not implement Python buffer protocol.") from None
    dtype = _dtypes.as_dtype(dtype)
    length, k = mv.nbytes, dtype.itemsize
    if length == 0 or count == 0:
        raise ValueError(f"both buffer length ({length}) and count ({count}) must not be 0")
    if offset < 0 or offset >= length:
        raise ValueError(f"offset ({offset} bytes) must be non-negative and no greater than "
                         f"buffer length ({length} bytes) minus 1")
    if count < 0:
        if (length - offset) % k:
            raise ValueError(f"buffer length ({length - offset} bytes) after offset ({offset} "
                             f"bytes) must be a multiple of element size ({k})")
        count = (length - offset) // k
    if offset + count * k > length:
        raise ValueError(f"requested buffer length ({count} * {k} bytes) after offset "
                         f"({offset} bytes) must not be greater than actual buffer length "
                         f"({length} bytes)")
    raw = np.frombuffer(mv, np.uint8, count * k, offset)
    return _host_tensor(raw.view(dtype._np), dtype, requires_grad)


def _host_tensor(host, dtype, requires_grad=False, device=CPU):
    from ._creation import _from_array
    return _from_array(np.array(host), dtype, device, requires_grad)   # a copy of the bytes


def from_file(filename, shared=None, size=0, *, dtype=None, layout=None, device=None,
              pin_memory=False):
    """torch.from_file: ``size`` elements of ``dtype`` read from the file (copied, see
    storage.py; with ``shared=True`` writes do not reach the file)."""
    dtype = _dtypes.as_dtype(dtype) if dtype is not None else _dtypes.get_default_dtype()
    raw = _st.read_file(filename, bool(shared), size * dtype.itemsize)
    st = _st.new_flat_storage(raw.view(dtype._np))
    t = _make_over(st, dtype, (size,), (1,), 0)
    return t if device is None else t.to(device)


# ------------------------------------------------------------------ memory shared with NumPy
class HostStorage(_tensor.Storage):
    """A storage whose memory is a NumPy array shared with the user: the array of
    ``torch.from_numpy(a)`` (``a`` itself) or the one ``Tensor.numpy()`` handed out.

    jax arrays are immutable and NumPy writes bump no version counter: an ``array`` read
    compares the buffer's bytes with the jax copy the previous read made and returns that
    copy if they are equal, else a new one (a private copy, so a later NumPy write cannot
    reach a value an op already took); assigning ``array`` writes into the buffer. Only these storages pay that; others are untouched.
    The buffer lives in the inherited ``array`` slot (so a plain ``Storage`` can become one in
    place, as ``numpy()`` needs: every alias shares the storage object).
    """

    __slots__ = ()

    @property
    def array(self):
        traced = _TRACED.get(self)
        if traced is not None:      # inside a compiled program's trace (_trace.swap)
            return traced
        buf = host_buffer(self)
        copy = _COPIES.get(self)
        if copy is not None and _same_bits(copy, buf):
            return copy         # unchanged since the last read: that copy is still exact
        with jax.ensure_compile_time_eval():    # a constant, also when read in a trace
            copy = jax.device_put(np.array(buf))
        _COPIES[self] = copy
        return copy

    @array.setter
    def array(self, value):
        if isinstance(value, jax.core.Tracer):
            _TRACED[self] = value
            return
        _TRACED.pop(self, None)
        buf = host_buffer(self)
        if value.size != buf.size:
            raise RuntimeError("Trying to resize storage that is not resizable")
        np.copyto(buf, np.asarray(value).reshape(buf.shape), casting="unsafe")


_TRACED = weakref.WeakKeyDictionary()    # HostStorage -> its traced array while tracing
# HostStorage -> the jax copy its last read made. A read compares the buffer's bytes with it
# (a memory pass, far cheaper than a new device array: a NumPy write since then shows as a
# difference; bytes, so -0.0/0.0 and NaNs compare exactly)
_COPIES = weakref.WeakKeyDictionary()


def _same_bits(copy, buf):
    if copy.is_deleted():                   # donated to a compiled program (it overwrote us)
        return False
    held = np.asarray(copy)                 # the jax CPU buffer itself, no copy
    if held.shape != buf.shape or held.dtype != buf.dtype or not buf.flags.c_contiguous:
        return False
    return np.array_equal(held.reshape(-1).view(np.uint8), buf.reshape(-1).view(np.uint8))
_BUFFER = _tensor.Storage.array          # the slot itself, past HostStorage's property


def host_buffer(st):
    """The NumPy array a HostStorage's memory is."""
    return _BUFFER.__get__(st)


def _new_host_storage(buf):
    st = HostStorage.__new__(HostStorage)
    _BUFFER.__set__(st, buf)
    st.version = 0
    st.device = CPU
    return st


def from_numpy_shared(a):
    """torch.from_numpy: a tensor over ``a``'s memory (writes go both ways), or None for a
    read-only array (the caller copies: jax could not write into it; torch warns, once)."""
    k = a.itemsize
    if any(s < 0 for s in a.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and "
                         "tensors with negative strides are not currently supported. (You "
                         "can probably work around this by making a copy of your array  "
                         "with array.copy().) ")
    if any(s % k for s in a.strides):
        raise ValueError("given numpy array strides not a multiple of the element byte "
                         "size. Copy the numpy array to reallocate the memory.")
    if not a.flags.writeable:
        _warn_read_only()
        return None
    dtype = _dtypes.from_numpy_dtype(a.dtype)
    if a.flags.c_contiguous:
        return Tensor._make_storage(_new_host_storage(a), Size(a.shape), dtype)
    shape, stride = a.shape, tuple(s // k for s in a.strides)
    span = _span_elems(shape, stride, 0)
    flat = np.lib.stride_tricks.as_strided(a, (span,), (k,)) if span else a.reshape(-1)[:0]
    return _make_over(_new_host_storage(flat), dtype, shape, stride, 0)


_warned = []


def _warn_read_only():
    if not _warned:     # torch warns once per process
        _warned.append(True)
        warnings.warn(
            "The given NumPy array is not writable, and PyTorch does not support non-writable "
            "tensors. This means writing to this tensor will result in undefined behavior. You "
            "may want to copy the array to protect its data or make it writable before "
            "converting it to a tensor. This type of warning will be suppressed for the rest "
            "of this program.", UserWarning, stacklevel=4)


def shared_numpy(t):
    """Tensor.numpy(): an ndarray over the tensor's memory. A storage that is not yet
    host-backed becomes so (its values copied once into a new NumPy buffer), so the tensor,
    its views and the array share memory from then on."""
    st = t._storage
    if not isinstance(st, HostStorage):
        host = np.array(st.array)       # (a queued result runs first: see _lazy)
        st.__class__ = HostStorage
        _BUFFER.__set__(st, host)
    buf = host_buffer(st)
    if t._view is None:
        return buf.view()
    shape, stride, offset = t._view
    k = buf.itemsize
    flat = buf.reshape(-1)
    return np.lib.stride_tricks.as_strided(flat[offset:], shape, tuple(s * k for s in stride))
