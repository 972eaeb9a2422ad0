"""Tensor's Python conversions: ``item``, ``tolist``, ``numpy``, ``__array__`` and the
protocols ``len``, ``iter``, ``bool``, ``int``, ``float``, ``complex``, ``index``, ``format``.
``_tensor`` attaches them to ``Tensor`` as its own members (see ``_tensor_autograd``).
"""
from __future__ import annotations

import numpy as np

from . import _dtypes


def _host(self):
    """NumPy copy of the values (host transfer)."""
    return np.asarray(self._value())


def item(self):
    n = self.numel()
    if n != 1:
        raise RuntimeError(f"a Tensor with {n} elements cannot be converted to Scalar")
    return self._host().reshape(()).item() if self._dtype is not _dtypes.bfloat16 \
        else float(self._host().reshape(()))


def tolist(self):
    a = self._host()
    if self._dtype in (_dtypes.bfloat16,):
        a = a.astype(np.float32)
    return a.tolist()


def numpy(self, *, force=False):
    if self._requires_grad and not force:
        raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                           "tensor.detach().numpy() instead.")
    if self.device.type != "cpu" and not force:
        raise TypeError(f"can't convert {self.device} device type tensor to numpy. Use "
                        "Tensor.cpu() to copy the tensor to host memory first.")
    if self._dtype is _dtypes.bfloat16:
        raise TypeError("Got unsupported ScalarType BFloat16")
    if self._storage.device.type != "cpu":      # numpy(force=True) of another device
        return self._host()
    # memory shared with the tensor both ways, as torch's (the storage becomes
    # host-backed: see _storage_tensor.HostStorage for the cost)
    from ._storage_tensor import shared_numpy
    return shared_numpy(self)


def __array__(self, dtype=None, copy=None):
    # a read-only snapshot (np.asarray inside libraries must not turn a tensor
    # host-backed); a tensor already sharing memory with NumPy gives that memory
    from ._storage_tensor import HostStorage
    a = self.numpy(force=True) if isinstance(self._storage, HostStorage) else self._host()
    return a.astype(dtype) if dtype is not None else a


def __len__(self):
    if not self._shape:
        raise TypeError("len() of a 0-d tensor")
    return self._shape[0]


def __iter__(self):
    if not self._shape:
        raise TypeError("iteration over a 0-d tensor")
    return iter(self.unbind(0))


def __bool__(self):
    if self.numel() != 1:
        raise RuntimeError(f"Boolean value of Tensor with more than one value is ambiguous")
    return bool(self.item())


def __int__(self):
    return int(self.item())


def __float__(self):
    return float(self.item())


def __complex__(self):
    return complex(self.item())


def __index__(self):
    if not _dtypes.is_integral(self._dtype, include_bool=True) or self.numel() != 1:
        raise TypeError("only integer tensors of a single element can be converted to an "
                        "index")
    return int(self.item())


def __format__(self, spec):
    if not self._shape:
        return self.item().__format__(spec)
    return object.__format__(self, spec)


MEMBERS = {name: globals()[name] for name in (
    "_host", "item", "tolist", "numpy", "__array__", "__len__", "__iter__", "__bool__",
    "__int__", "__float__", "__complex__", "__index__", "__format__")}
