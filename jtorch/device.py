"""torch.device objects and their mapping onto JAX devices; torch.cuda queries.

'cuda:N' maps to JAX's N-th GPU. Without a GPU backend, asking for a cuda tensor raises what
torch's CPU build raises (AssertionError: Torch not compiled with CUDA enabled).
"""
from __future__ import annotations

import functools
import os

import jax


class device:
    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        elif isinstance(type, int):
            # torch.device(0) means the first accelerator
            type, index = "cuda", type
        elif isinstance(type, str) and ":" in type:
            if index is not None:
                raise RuntimeError(f"type (string) must not include an index because index was "
                                   f"passed explicitly: {type}")
            type, _, idx = type.partition(":")
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}:{idx}'")
            index = int(idx)
        if type not in ("cpu", "cuda", "meta", "mps", "xla"):
            raise RuntimeError(
                "Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, "
                f"maia, xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at "
                f"start of device string: {type}")
        if index is not None and index < 0:
            raise RuntimeError(f"Device index must not be negative")
        self.type = type
        self.index = index

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (self.type, self.index))


CPU = device("cpu")

# CPU tensors live on JAX's CPU device even where a GPU backend is JAX's default: arrays and
# computations without a committed device go to the CPU (issue 21); cuda tensors are
# device_put onto their GPU explicitly. (This process's CPU: under torch.distributed each
# rank's process has its own, and jax.devices("cpu")[0] is rank 0's.)
jax.config.update("jax_default_device", jax.local_devices(backend="cpu")[0])


@functools.lru_cache(maxsize=None)
def _gpus():
    try:
        return tuple(jax.local_devices(backend="gpu"))   # this process's (torch.distributed)
    except RuntimeError:
        return ()


def _gpu_position(idx):
    """Where torch's ``cuda:idx`` is in ``_gpus()``, or None. A launcher worker that owns one
    GPU (``_bootstrap.local_device_ids``) sees only that one, numbered 0 by JAX, yet torchrun
    scripts name it ``cuda:LOCAL_RANK``: that ordinal maps to it as well."""
    gpus = _gpus()
    if 0 <= idx < len(gpus):
        return idx
    if len(gpus) == 1 and str(idx) == os.environ.get("LOCAL_RANK") and jax.process_count() > 1:
        return 0
    return None


def is_available() -> bool:
    return bool(_gpus())


def device_count() -> int:
    return len(_gpus())


# Where factories put a tensor when no device is named (torch.set_default_device, or a
# ``with torch.device(...)`` block). A "meta" default leaves it the CPU: jtorch has no meta
# tensors, and Hugging Face builds real ones that the weights then overwrite.
_DEFAULT = [CPU]


def set_default(d):
    _DEFAULT[0] = CPU if d is None or device(d).type not in ("cpu", "cuda") else as_device(d)


def default() -> device:
    return _DEFAULT[0]


def as_device(d) -> device:
    """Normalise a device argument (None: the default device; str, int, device) to a
    concrete tensor device."""
    if d is None:
        return _DEFAULT[0]
    if not isinstance(d, device):
        d = device(d)
    if d.type == "cpu":
        return CPU if d.index in (None, 0) else device("cpu")
    if d.type == "cuda":
        gpus = _gpus()
        if not gpus:
            raise AssertionError("Torch not compiled with CUDA enabled")
        idx = 0 if d.index is None else d.index
        if _gpu_position(idx) is None:
            raise RuntimeError("CUDA error: invalid device ordinal")
        return device("cuda", idx)
    if d.type == "meta":
        raise NotImplementedError("jtorch has no meta tensors")
    raise RuntimeError(f"jtorch supports cpu and cuda devices, not {d.type}")


def jax_device(d: device):
    if d.type == "cuda":
        return _gpus()[_gpu_position(d.index or 0)]
    return jax.local_devices(backend="cpu")[0]
