"""torch.cpu: the CPU device module (jtorch's host device is always available)."""
from . import amp  # noqa: F401


def is_available():
    return True


def device_count():
    return 1


def current_device():
    return "cpu"


def set_device(device):
    pass


def synchronize(device=None):
    pass


def is_initialized():
    return True
