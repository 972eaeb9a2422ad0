"""DLPack (torch.utils.dlpack, ``Tensor.__dlpack__``): tensors exchanged with other array libraries through DLPack.

Export is zero-copy: a jtorch tensor's values are a JAX array, whose buffer the consumer
sees (NumPy marks it read-only, as JAX buffers are immutable; a view tensor exports its
values gathered into a new array). Import of a JAX array is zero-copy; other producers
go through ``jax.dlpack.from_dlpack``, which shares their buffer where JAX can (it copies a
NumPy array). Unlike torch, a later in-place write on either side is not seen by the other:
jtorch writes make new arrays (README, "Known differences").
"""
import enum

import jax

from ._tensor import Tensor


class DLDeviceType(enum.IntEnum):
    kDLCPU = 1
    kDLCUDA = 2
    kDLCUDAHost = 3
    kDLOpenCL = 4
    kDLVulkan = 7
    kDLMetal = 8
    kDLVPI = 9
    kDLROCM = 10
    kDLROCMHost = 11
    kDLExtDev = 12
    kDLCUDAManaged = 13
    kDLOneAPI = 14
    kDLWebGPU = 15
    kDLHexagon = 16
    kDLMAIA = 17


def to_dlpack(tensor):
    """A DLPack capsule over the tensor's values (no copy for a non-view tensor)."""
    return tensor.detach()._value().__dlpack__()


def from_dlpack(ext_tensor, *, device=None, copy=None):
    """A tensor over the values of a DLPack producer (a JAX array, a torch tensor, a NumPy
    array, a capsule)."""
    if isinstance(ext_tensor, Tensor):
        out = ext_tensor.detach()
        return out.clone() if copy else out
    if isinstance(ext_tensor, jax.Array):
        array = ext_tensor
    elif type(ext_tensor).__name__ == "PyCapsule":
        array = jax.dlpack.from_dlpack(_Capsule(ext_tensor))
    else:
        array = jax.dlpack.from_dlpack(ext_tensor, copy=copy)
    out = Tensor._make(array)
    return out.to(device) if device is not None else out


class _Capsule:
    """A bare capsule (``to_dlpack``'s result, the legacy protocol) as a producer: JAX only
    takes objects with ``__dlpack__``."""

    def __init__(self, capsule):
        self._capsule = capsule

    def __dlpack__(self, **_):
        capsule, self._capsule = self._capsule, None     # a capsule is consumed once
        if capsule is None:
            raise RuntimeError("a DLPack capsule can be consumed only once")
        return capsule

    def __dlpack_device__(self):
        return DLDeviceType.kDLCPU, 0


def tensor_dlpack(self, *, stream=-1, max_version=None, dl_device=None, copy=None):
    """``Tensor.__dlpack__``: the values' JAX buffer (torch's arguments accepted)."""
    if self._requires_grad:
        raise BufferError("Can't export tensors that require gradient, use tensor.detach()")
    array = self._value()
    if max_version is None:
        return array.__dlpack__()
    return array.__dlpack__(max_version=max_version, copy=copy)


def tensor_dlpack_device(self):
    """``Tensor.__dlpack_device__``: (device type, index)."""
    if self.device.type == "cuda":
        return DLDeviceType.kDLCUDA, self.device.index or 0
    return DLDeviceType.kDLCPU, 0
