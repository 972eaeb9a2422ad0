"""torch.amp: autocast, GradScaler, custom_fwd/custom_bwd; and the deprecated per-device
spellings ``torch.cpu.amp`` / ``torch.cuda.amp`` (``amp/legacy.py``)."""
import jtorch
from .. import _autocast
from .._api_runtime import autocast  # noqa: F401
from .._ops import composite
from ..nn import functional
from .._grad_scaler import GradScaler  # noqa: F401
from .custom import custom_bwd, custom_fwd  # noqa: F401


def is_autocast_available(device_type):
    """torch's answer for the device types jtorch can run autocast on."""
    return device_type in ("cpu", "cuda")


__all__ = ["autocast", "GradScaler", "custom_fwd", "custom_bwd", "is_autocast_available"]


def _install():
    """Called once at the end of ``jtorch``'s import: the casting wrappers of Python-level
    ops (``_autocast.install``)."""
    _autocast.install(jtorch, functional, composite)
