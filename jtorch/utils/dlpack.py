"""torch.utils.dlpack (the implementation, also behind ``Tensor.__dlpack__`` and
``torch.from_dlpack``, is ``jtorch/_dlpack.py``)."""
from .._dlpack import DLDeviceType, from_dlpack, to_dlpack  # noqa: F401

__all__ = ["DLDeviceType", "from_dlpack", "to_dlpack"]
