"""torch.cuda's device queries and selection (``_gpus()``: JAX's GPU devices, cached)."""
import importlib

import jax

from .. import _lazy

_device_mod = importlib.import_module("jtorch.device")  # (jtorch.device is the class)

_CURRENT = [0]          # torch.cuda.current_device()


def require():
    """The GPUs, or torch's CPU-build error."""
    gpus = _device_mod._gpus()
    if not gpus:
        raise AssertionError("Torch not compiled with CUDA enabled")
    return gpus


def index_of(device=None, optional=True):
    """A device argument (None, int, str, torch.device) as a GPU index."""
    if device is None:
        return _CURRENT[0]
    if isinstance(device, int):
        return device
    d = _device_mod.device(device) if isinstance(device, str) else device
    if d.type != "cuda":
        raise ValueError(f"Expected a cuda device, but got: {d}")
    return _CURRENT[0] if d.index is None else d.index


def jax_gpu(device=None):
    gpus = require()
    position = _device_mod._gpu_position(index_of(device))
    if position is None:
        raise RuntimeError("CUDA error: invalid device ordinal")
    return gpus[position]


def current_device():
    require()
    return _CURRENT[0]


def set_device(device):
    idx = index_of(device)
    if idx < 0:
        return
    if not _device_mod._gpus():     # torch's CPU build fails reaching its CUDA binding
        raise AttributeError("module 'torch._C' has no attribute '_cuda_setDevice'")
    jax_gpu(idx)
    _CURRENT[0] = idx


class device:
    """``with torch.cuda.device(i)``: select device i for the block."""

    def __init__(self, device):
        self.idx = index_of(device) if device is not None else -1
        self.prev_idx = -1

    def __enter__(self):
        if self.idx == -1:
            return self
        if not _device_mod._gpus():
            raise RuntimeError("PyTorch was compiled without CUDA support")
        self.prev_idx = _CURRENT[0]
        set_device(self.idx)
        return self

    def __exit__(self, *exc):
        if self.prev_idx != -1:
            _CURRENT[0] = self.prev_idx
        return False


class device_of(device):
    """``with torch.cuda.device_of(tensor)``: the tensor's device for the block."""

    def __init__(self, obj):
        super().__init__(obj.device.index if obj.device.type == "cuda" else -1)


def get_device_name(device=None):
    return jax_gpu(device).device_kind


def get_device_capability(device=None):
    props = get_device_properties(device)
    return props.major, props.minor


class _CudaDeviceProperties:
    """What torch's ``get_device_properties`` reports, from the JAX device's attributes."""

    def __init__(self, d):
        self.name = d.device_kind
        cc = str(getattr(d, "compute_capability", "0.0"))
        major, _, minor = cc.partition(".")
        self.major, self.minor = int(major or 0), int(minor or 0)
        self.multi_processor_count = int(getattr(d, "core_count", 0) or 0)
        stats = d.memory_stats() or {}
        self.total_memory = int(stats.get("bytes_limit", 0))
        self.is_integrated = False
        self.is_multi_gpu_board = False

    def __repr__(self):
        return (f"_CudaDeviceProperties(name='{self.name}', major={self.major}, "
                f"minor={self.minor}, total_memory={self.total_memory // (1024 * 1024)}MB, "
                f"multi_processor_count={self.multi_processor_count})")


def get_device_properties(device=None):
    return _CudaDeviceProperties(jax_gpu(device))


def synchronize(device=None):
    """Wait for the device's work: jtorch's deferred ops run, then every live array on the
    device is blocked on."""
    d = jax_gpu(device)
    _lazy.flush()
    for a in jax.live_arrays():
        try:
            if d in a.devices():
                a.block_until_ready()
        except RuntimeError:    # (a deleted array)
            pass


def is_initialized():
    return bool(_device_mod._gpus())


def init():
    require()


def ipc_collect():
    require()


def is_bf16_supported(including_emulation=True):
    gpus = _device_mod._gpus()
    return bool(gpus) and get_device_capability(0) >= (8, 0)
