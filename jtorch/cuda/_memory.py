"""torch.cuda's memory figures, from XLA's allocator statistics (``memory_stats()`` of the
JAX device: ``bytes_in_use``, ``peak_bytes_in_use``, ``bytes_reserved``, ``bytes_limit``).
Without a GPU they answer as torch's CPU build: zeros, an empty dict, its errors."""
import collections

import importlib

_device_mod = importlib.import_module("jtorch.device")  # (jtorch.device is the class)
from . import _state

_PEAK_BASE = {}         # device index -> peak_bytes_in_use at the last reset


def _stats(device):
    if not _device_mod._gpus():
        return None
    d = _state.jax_gpu(device)
    return d.memory_stats() or {}


def memory_allocated(device=None):
    s = _stats(device)
    return 0 if s is None else int(s.get("bytes_in_use", 0))


def max_memory_allocated(device=None):
    """The peak since the last ``reset_peak_memory_stats``: XLA's peak cannot be reset, so
    after a reset this reports the current use until the peak rises above it."""
    s = _stats(device)
    if s is None:
        return 0
    peak = int(s.get("peak_bytes_in_use", 0))
    base = _PEAK_BASE.get(_state.index_of(device))
    if base is not None and peak <= base[0]:
        return max(base[1], int(s.get("bytes_in_use", 0)))
    return peak


def memory_reserved(device=None):
    """What the allocator holds, at least what is in use (as torch's): XLA reports 0
    reserved bytes when it does not preallocate (seen on the H200)."""
    s = _stats(device)
    return 0 if s is None else max(int(s.get("bytes_reserved", 0)),
                                   int(s.get("bytes_in_use", 0)))


def max_memory_reserved(device=None):
    s = _stats(device)
    return 0 if s is None else max(int(s.get("peak_bytes_reserved", 0)),
                                   int(s.get("peak_bytes_in_use", 0)))


def reset_peak_memory_stats(device=None):
    s = _stats(device)
    if s is None:       # torch's CPU build fails reaching its CUDA binding
        raise AttributeError("module 'torch._C' has no attribute '_cuda_resetPeakMemoryStats'")
    _PEAK_BASE[_state.index_of(device)] = (int(s.get("peak_bytes_in_use", 0)),
                                           int(s.get("bytes_in_use", 0)))


reset_max_memory_allocated = reset_peak_memory_stats


def memory_stats(device=None):
    s = _stats(device)
    if s is None:
        return collections.OrderedDict()
    return collections.OrderedDict(sorted({
        "allocated_bytes.all.current": memory_allocated(device),
        "allocated_bytes.all.peak": max_memory_allocated(device),
        "reserved_bytes.all.current": memory_reserved(device),
        "reserved_bytes.all.peak": max_memory_reserved(device),
        "num_alloc_retries": 0, "num_ooms": 0}.items()))


def mem_get_info(device=None):
    """(free, total) bytes of the device."""
    s = _stats(device)
    if s is None:
        raise AssertionError("Torch not compiled with CUDA enabled")
    total = int(s.get("bytes_limit", 0))
    return total - int(s.get("bytes_in_use", 0)), total


def empty_cache():
    """XLA's allocator keeps its pool; nothing to hand back (torch's CPU build: a no-op)."""
    return None
