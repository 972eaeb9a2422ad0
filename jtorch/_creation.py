"""Tensor creation: tensor/as_tensor/from_numpy, constant fills, eye, *_like and the legacy
typed constructors (torch.FloatTensor(2, 3), torch.LongTensor([1, 2]), ...).

Data is converted on the host with NumPy in the dtype torch would infer, then placed on the
device once. ``from_numpy``/``as_tensor`` copy: jax buffers are immutable, so memory cannot be
shared with a NumPy array (documented in CONTRIBUTING.md). Ranges (arange, linspace,
logspace): ``_ranges.py``.
"""
from __future__ import annotations

import builtins
import numbers

import jax
import jax.numpy as jnp
import numpy as np

from . import _dtypes, _errors, _views
from ._tensor import Tensor
from .device import CPU, as_device, default as default_device, jax_device


# Host to device: a jitted identity copies a NumPy argument in ~5 us; jnp.asarray takes ~13 us
# (both compile once per shape), and jax.device_put (~20 us) can alias a small NumPy array's
# memory on the CPU, so that mutating the array afterwards would change the tensor.
_to_device = jax.jit(lambda a: a)


def _from_array(array, dtype, device=CPU, requires_grad=False):
    """Wrap a host or jax array (already of ``dtype``) as a new leaf tensor on ``device``."""
    if device.type != "cpu":
        array = jax.device_put(array, jax_device(device))
    elif not isinstance(array, jax.Array):
        array = _to_device(array)
    t = Tensor._make(array, dtype, device)
    if requires_grad:
        if not (dtype.is_floating_point or dtype.is_complex):
            raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                               "gradients")
        t._requires_grad = True
    return t


# ------------------------------------------------------------------ dtype inference
def _infer_scalar_dtype(data):
    """torch's dtype for nested Python data: complex > float > int > bool."""
    kind = 0  # 0 bool, 1 int, 2 float, 3 complex
    seen = False
    dtype_from_tensor = None
    stack = [data]
    while stack:
        x = stack.pop()
        if isinstance(x, Tensor):
            dtype_from_tensor = x.dtype if dtype_from_tensor is None else \
                _dtypes.promote_types(dtype_from_tensor, x.dtype)
            seen = True
        elif isinstance(x, np.ndarray):
            dtype_from_tensor = _dtypes.from_numpy_dtype(x.dtype) if dtype_from_tensor is None \
                else _dtypes.promote_types(dtype_from_tensor, _dtypes.from_numpy_dtype(x.dtype))
            seen = True
        elif isinstance(x, (list, tuple, range)):
            stack.extend(x)
        elif isinstance(x, np.generic):
            d = _dtypes.from_numpy_dtype(x.dtype)
            dtype_from_tensor = d if dtype_from_tensor is None else \
                _dtypes.promote_types(dtype_from_tensor, d)
            seen = True
        elif isinstance(x, bool):
            seen = True
        elif isinstance(x, numbers.Integral):
            kind = builtins.max(kind, 1)
            seen = True
        elif isinstance(x, numbers.Real):
            kind = builtins.max(kind, 2)
            seen = True
        elif isinstance(x, numbers.Complex):
            kind = 3
            seen = True
        else:
            raise TypeError(f"new(): invalid data type '{type(x).__name__}'")
    py = [_dtypes.bool, _dtypes.int64, _dtypes.get_default_dtype(),
          _dtypes.default_complex_dtype()][kind]
    if dtype_from_tensor is None:
        return py if seen else _dtypes.get_default_dtype()  # torch.tensor([]) is float
    if not seen or kind == 0:
        return dtype_from_tensor
    return _dtypes.promote_types(dtype_from_tensor, py) if kind > 0 else dtype_from_tensor


def _to_host(data, np_dtype):
    """Nested data -> NumPy array of np_dtype, with torch's ragged-sequence error."""
    if isinstance(data, Tensor):
        return np.asarray(data._value()).astype(np_dtype)
    if isinstance(data, np.ndarray):
        return data.astype(np_dtype)
    if isinstance(data, (list, tuple, range)):
        _check_rect(data)
        flat = [_to_host(x, np_dtype) if isinstance(x, (Tensor, np.ndarray, list, tuple, range))
                else x for x in data]
        if any(isinstance(x, np.ndarray) for x in flat):
            if not flat:
                return np.zeros((0,), np_dtype)
            return np.stack([np.asarray(x, dtype=np_dtype) for x in flat])
        return np.array(flat, dtype=np_dtype) if flat else np.zeros((0,), np_dtype)
    return np.array(data, dtype=np_dtype)


def _check_rect(data, dim=0):
    if not data or not isinstance(data[0], (list, tuple)):
        return
    n = len(data[0])
    for x in data:
        if not isinstance(x, (list, tuple)):
            raise TypeError("not a sequence")
        if len(x) != n:
            raise ValueError(f"expected sequence of length {n} at dim {dim + 1} (got {len(x)})")


# ------------------------------------------------------------------ tensor / as_tensor
def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new leaf tensor holding a copy of ``data`` (nested lists, scalars, arrays, tensors)."""
    if isinstance(data, Tensor):
        import warnings
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or sourceTensor.detach().clone()."
                      "requires_grad_(True), rather than torch.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
    dt = _dtypes.as_dtype(dtype) if dtype is not None else _infer_scalar_dtype(data)
    # (torch's default-device mode names the device for every factory call: a tensor's
    # data then moves there too)
    dev = as_device(device) if device is not None or not isinstance(data, Tensor) or \
        default_device() is not CPU else data.device
    host = _to_host(data, dt._np)
    return _from_array(host, dt, dev, requires_grad)


def as_tensor(data, dtype=None, device=None):
    if isinstance(data, Tensor):
        if (dtype is None or _dtypes.as_dtype(dtype) is data.dtype) and \
                (device is None or as_device(device) == data.device):
            return data
        return data.to(device=device, dtype=dtype)
    from . import storage
    if storage.is_storage(data):        # torch.asarray(storage): a tensor over its bytes
        from ._storage_tensor import from_storage
        return from_storage(data, dtype, device)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(ndarray):
    """A tensor over the array's memory (writes are seen both ways, as torch's; see
    _storage_tensor.HostStorage); a read-only array is copied, with torch's warning."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    dt = _dtypes.from_numpy_dtype(ndarray.dtype)
    from ._storage_tensor import from_numpy_shared
    shared = from_numpy_shared(ndarray)
    if shared is not None:
        return shared
    # np.ascontiguousarray would turn a 0-d array into shape (1,)
    return _from_array(np.require(ndarray, requirements="C"), dt)


asarray = as_tensor


# ------------------------------------------------------------------ fills
def _size_args(size, name="empty"):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    out = []
    for s in size:
        if isinstance(s, Tensor):
            s = int(s)
        if not isinstance(s, numbers.Integral):
            raise TypeError(f"empty(): argument 'size' must be tuple of ints, but found element "
                            f"of type {type(s).__name__} at pos {len(out)}")
        out.append(int(s))
    for s in out:
        if s < 0:     # torch's zeros checks its sizes itself; the others at allocation
            raise RuntimeError(f"{name}: Dimension size must be non-negative." if name ==
                               "zeros" else f"Trying to create tensor with negative dimension "
                               f"{s}: {out}")
    return tuple(out)


def _fill(size, value, dtype, device, requires_grad, out=None):
    dt = _dtypes.as_dtype(dtype) if dtype is not None else _dtypes.get_default_dtype()
    dev = as_device(device)
    t = _from_array(np.full(size, value, dtype=dt._np) if dev.type == "cpu" else
                    _device_full(size, value, dt, dev), dt, dev, requires_grad)
    return _fill_out(t, out)


def _device_full(size, value, dt, dev):
    """A constant array made on the accelerator itself (no host buffer, no transfer); a
    failed allocation raises torch's OutOfMemoryError."""
    try:
        with jax.default_device(jax_device(dev)):
            return jnp.full(size, value, dt._np)
    except jax.errors.JaxRuntimeError as e:
        oom = _errors.out_of_memory(e)
        if oom is None:
            raise
        raise oom from None


def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False):
    return _fill(_size_args(size, "zeros"), 0, dtype, device, requires_grad, out)


def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False):
    return _fill(_size_args(size, "ones"), 1, dtype, device, requires_grad, out)


def empty(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False, memory_format=None):
    """Unlike torch, the memory is zero-filled (jax has no uninitialised buffers)."""
    return _fill(_size_args(size), 0, dtype, device, requires_grad, out)


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None,
         requires_grad=False):
    if dtype is None:
        if isinstance(fill_value, Tensor):
            fill_value = fill_value.item()
        dtype = _dtypes.scalar_dtype(fill_value) if not isinstance(fill_value, np.generic) \
            else _dtypes.from_numpy_dtype(fill_value.dtype)
    return _fill(_size_args((size,), "full"), fill_value, dtype, device, requires_grad, out)


def _like(fill):
    def like(input, *args, dtype=None, layout=None, device=None, requires_grad=False,
             memory_format=None):
        dt = dtype if dtype is not None else input.dtype
        dev = device if device is not None else input.device
        perm = memory_order(input) if not requires_grad and memory_format is None else None
        if perm is not None:
            # torch's preserve_format: a transposed input gives a transposed result
            out = fill(tuple(input.shape[d] for d in perm), *args, dtype=dt, device=dev)
            return out.permute(tuple(perm.index(d) for d in range(len(perm))))
        return fill(tuple(input.shape), *args, dtype=dt, device=dev, requires_grad=requires_grad)
    return like


def memory_order(t):
    """The dim order of a dense permuted tensor's memory (see _views.dense_permutation)."""
    view = t._view
    return None if view is None else _views.dense_permutation(tuple(view[0]), tuple(view[1]))


zeros_like = _like(zeros)
ones_like = _like(ones)
empty_like = _like(empty)
full_like = _like(lambda size, value, **kw: full(size, value, **kw))


def _fill_out(t, out):
    if out is not None:
        out.data = t
        return out
    return t


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    dt = _dtypes.as_dtype(dtype) if dtype is not None else _dtypes.get_default_dtype()
    host = np.eye(n, n if m is None else m, dtype=dt._np)
    return _fill_out(_from_array(host, dt, as_device(device), requires_grad), out)


# ------------------------------------------------------------------ legacy constructors
def legacy_new(cls, dtype, args, kwargs, device=None):
    """torch.FloatTensor(2, 3) / torch.FloatTensor([[1, 2]]) / torch.Tensor(np_array)."""
    device = kwargs.pop("device", device)
    if kwargs:
        raise TypeError(f"new() received an invalid combination of arguments - got "
                        f"({', '.join(kwargs)})")
    if len(args) == 1 and isinstance(args[0], Tensor):
        return args[0].to(dtype)
    if args and all(isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in args):
        t = zeros(*args, dtype=dtype, device=device)
    elif len(args) == 1 and isinstance(args[0], (tuple, list, np.ndarray, range)):
        t = tensor(args[0], dtype=dtype, device=device)
    elif not args:
        t = zeros(0, dtype=dtype, device=device)
    else:
        raise TypeError("new(): data must be a sequence (got " + type(args[0]).__name__ + ")")
    if cls is not Tensor:
        t.__class__ = cls
    return t


class _LegacyTypeMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype is cls._dtype and \
            (obj.device.type == "cuda") == cls._cuda


def _legacy_type(name, dtype, cuda=False):
    def __new__(cls, *args, **kwargs):
        if cuda:
            from .device import is_available
            if not is_available():
                raise TypeError(f"type torch.cuda.{name} not available. Torch not compiled "
                                "with CUDA enabled.")
        return legacy_new(Tensor, dtype, args, dict(kwargs), device="cuda" if cuda else None)
    return _LegacyTypeMeta(name, (), {"__new__": __new__, "_dtype": dtype, "_cuda": cuda,
                                      "__module__": "torch.cuda" if cuda else "torch"})


LEGACY_TYPES = {}
for _d in _dtypes.ALL_DTYPES:
    if _d._legacy and not _d.is_complex:
        LEGACY_TYPES[_d._legacy + "Tensor"] = (_legacy_type(_d._legacy + "Tensor", _d),
                                               _legacy_type(_d._legacy + "Tensor", _d, True))
