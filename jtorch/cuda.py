"""torch.cuda: answered from JAX's GPU backend (``cuda:N`` is JAX's N-th GPU)."""
from .device import device_count, is_available  # noqa: F401


def current_device():
    if not is_available():
        raise AssertionError("Torch not compiled with CUDA enabled")
    return 0


def get_device_name(device=None):
    from .device import _gpus
    if not is_available():
        raise AssertionError("Torch not compiled with CUDA enabled")
    return _gpus()[0].device_kind


def synchronize(device=None):
    return None


def manual_seed(seed):
    return None


def manual_seed_all(seed):
    return None


def empty_cache():
    return None


def is_initialized():
    return is_available()
