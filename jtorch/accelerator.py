"""torch.accelerator: the current accelerator, which for jtorch is JAX's GPU backend (cuda)."""
from . import cuda as _cuda
from .device import device as _device


def is_available():
    return _cuda.is_available()


def current_accelerator(check_available=False):
    """``device('cuda')`` when JAX has a GPU, else None (torch's CPU build answers None)."""
    return _device("cuda") if _cuda.is_available() else None


def device_count():
    return _cuda.device_count() if _cuda.is_available() else 0


def _require():
    if not is_available():
        raise RuntimeError("Cannot access accelerator device when none is available.")


def current_device_index():
    _require()
    return _cuda.current_device()


current_device_idx = current_device_index


def synchronize(device=None):
    _require()


def empty_cache():
    return None
