"""torch.distributed.device_mesh: the names only (jtorch builds no DeviceMesh; JAX's
``Mesh`` is what jtorch.distributed's collectives run over)."""
from .tensor import _no_dtensor

__all__ = ["init_device_mesh", "DeviceMesh"]


class DeviceMesh:
    def __init__(self, *args, **kwargs):
        _no_dtensor()


init_device_mesh = _no_dtensor
