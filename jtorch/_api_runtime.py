"""torch.* runtime controls of issue 18: autocast, compile, vmap, threads, determinism,
matmul precision, warnings, anomaly flags, default device, and a few exception classes.

Departures (jtorch runs on JAX's CPU client and has no kernel-level switches):
- ``autocast`` keeps torch's state here; the casting is ``jtorch._autocast`` (torch's op
  lists; ``cache_enabled`` is accepted and recorded, each cast is a fresh ``.to``).
- ``compile`` traces the model or function into XLA programs (``jtorch.compiler``).
- ``vmap`` runs the function once per slice and stacks the results (same values, no
  batching rules; ``randomness`` other than 'error'/'different' is not modelled).
- ``from_dlpack``/``to_dlpack``: see ``jtorch._dlpack`` (zero-copy export; a later
  in-place write on one side is not seen by the other).
- threads, determinism and flush-denormal settings are recorded and reported back but
  change nothing; the matmul-precision settings live in ``backends._precision``.
"""
import functools
import importlib
import warnings

import jtorch
from . import _autocast, _dtypes
from .autograd import anomaly_mode
from .backends import _precision
from ._grad_scaler import GradScaler  # noqa: F401  (torch.GradScaler)

_device_mod = importlib.import_module("jtorch.device")  # (jtorch.device is the class)

__all__ = [
    "autocast", "is_autocast_enabled", "set_autocast_enabled", "get_autocast_dtype",
    "set_autocast_dtype", "get_autocast_cpu_dtype", "get_autocast_gpu_dtype",
    "set_autocast_cpu_dtype", "set_autocast_gpu_dtype", "is_autocast_cpu_enabled",
    "set_autocast_cpu_enabled", "is_autocast_cache_enabled", "set_autocast_cache_enabled",
    "compile", "vmap", "get_num_threads", "set_num_threads", "get_num_interop_threads",
    "set_num_interop_threads", "init_num_threads", "use_deterministic_algorithms",
    "are_deterministic_algorithms_enabled", "is_deterministic_algorithms_warn_only_enabled",
    "get_deterministic_debug_mode", "set_deterministic_debug_mode",
    "get_float32_matmul_precision", "set_float32_matmul_precision", "set_flush_denormal",
    "set_warn_always", "is_warn_always_enabled", "is_anomaly_enabled", "set_anomaly_enabled",
    "is_anomaly_check_nan_enabled", "get_default_device", "set_default_device", "get_device",
    "compiled_with_cxx11_abi", "typename", "set_default_tensor_type", "AcceleratorError",
    "FatalError", "OutOfMemoryError", "GradScaler", "from_dlpack", "to_dlpack", "get_device_module",
]

_STATE = {
    "autocast": {"cpu": False, "cuda": False}, "autocast_dtype": {},
    "autocast_cache": True, "threads": 2, "interop_threads": 2, "deterministic": False,
    "warn_only": False, "warn_always": False,
    "default_device": "cpu",
}


def _default_autocast_dtype(device_type):
    return jtorch.bfloat16 if device_type == "cpu" else jtorch.float16


# ------------------------------------------------------------------ autocast
def is_autocast_enabled(device_type=None):
    return _STATE["autocast"].get("cuda" if device_type is None else device_type, False)


def set_autocast_enabled(device_type, enabled=None):
    if enabled is None:                   # the deprecated one-argument (CUDA) form
        device_type, enabled = "cuda", device_type
    _STATE["autocast"][device_type] = bool(enabled)
    _sync_autocast()


def _sync_autocast():
    """Hand the enabled device types and their dtypes to the casting hook."""
    _autocast.sync({d: get_autocast_dtype(d) for d, on in _STATE["autocast"].items() if on})


def get_autocast_dtype(device_type):
    return _STATE["autocast_dtype"].get(device_type, _default_autocast_dtype(device_type))


def set_autocast_dtype(device_type, dtype):
    _STATE["autocast_dtype"][device_type] = dtype
    _sync_autocast()


def get_autocast_cpu_dtype():
    return get_autocast_dtype("cpu")


def get_autocast_gpu_dtype():
    return get_autocast_dtype("cuda")


def set_autocast_cpu_dtype(dtype):
    set_autocast_dtype("cpu", dtype)


def set_autocast_gpu_dtype(dtype):
    set_autocast_dtype("cuda", dtype)


def is_autocast_cpu_enabled():
    return is_autocast_enabled("cpu")


def set_autocast_cpu_enabled(enabled):
    set_autocast_enabled("cpu", enabled)


def is_autocast_cache_enabled():
    return _STATE["autocast_cache"]


def set_autocast_cache_enabled(enabled):
    _STATE["autocast_cache"] = bool(enabled)


class autocast:
    """torch.autocast: a context manager and decorator; see the module doc (no casting)."""

    def __init__(self, device_type, dtype=None, enabled=True, cache_enabled=None):
        if not isinstance(device_type, str):
            raise ValueError(f"Expected `device_type` of type `str`, got: "
                             f"`{type(device_type)}`")
        self.device = device_type
        self.fast_dtype = get_autocast_dtype(device_type) if dtype is None else dtype
        self._enabled = enabled
        self._cache_enabled = is_autocast_cache_enabled() if cache_enabled is None \
            else cache_enabled
        if enabled and device_type == "cuda" and not jtorch.cuda.is_available():
            warnings.warn("CUDA is not available or torch_xla is imported. Disabling "
                          "autocast.")
            self._enabled = False
        if enabled and device_type == "cpu" and self.fast_dtype not in (
                jtorch.bfloat16, jtorch.float16):
            warnings.warn("In CPU autocast, but the target dtype is not supported. Disabling "
                          "autocast.\nCPU Autocast only supports dtypes of torch.bfloat16, "
                          "torch.float16 currently.")
            self._enabled = False

    def __enter__(self):
        self._prev = (is_autocast_enabled(self.device), get_autocast_dtype(self.device),
                      is_autocast_cache_enabled())
        set_autocast_enabled(self.device, self._enabled)
        set_autocast_dtype(self.device, self.fast_dtype)
        set_autocast_cache_enabled(self._cache_enabled)
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        enabled, dtype, cache = self._prev
        set_autocast_enabled(self.device, enabled)
        set_autocast_dtype(self.device, dtype)
        set_autocast_cache_enabled(cache)
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self:
                return func(*args, **kwargs)
        return wrapper


# ------------------------------------------------------------------ compile, vmap
def compile(model=None, *, fullgraph=False, dynamic=None, backend=None, mode=None,
            options=None, name=None, disable=False, recompile_limit=None,
            isolate_recompiles=False, shapes_spec=None):
    """torch.compile: ``model`` traced into XLA programs (``jtorch.compiler``)."""
    from .compiler import compile as _compile   # compiler imports nn (after this module)
    return _compile(model, fullgraph=fullgraph, dynamic=dynamic,
                    backend="inductor" if backend is None else backend, mode=mode,
                    options=options, disable=disable)


def _slices(args, in_dims, n=None):
    dims = in_dims if isinstance(in_dims, (tuple, list)) else (in_dims,) * len(args)
    if len(dims) != len(args):
        raise ValueError(f"vmap(f, in_dims={in_dims}, ...)(<inputs>): in_dims is not "
                         f"compatible with the structure of `inputs`. in_dims has structure "
                         f"{len(dims)} but inputs has structure {len(args)}.")
    sizes = {a.shape[d] for a, d in zip(args, dims)
             if d is not None and isinstance(a, jtorch.Tensor)}
    if len(sizes) != 1:
        raise ValueError("vmap: Expected all tensors to have the same size in the mapped "
                         f"dimension, got sizes {sorted(sizes)} for the mapped dimension")
    n = sizes.pop()
    return n, [[a.select(d, i) if d is not None and isinstance(a, jtorch.Tensor) else a
                for a, d in zip(args, dims)] for i in range(n)]


def _stack(results, out_dims):
    first = results[0]
    if isinstance(first, tuple):
        dims = out_dims if isinstance(out_dims, tuple) else (out_dims,) * len(first)
        return tuple(_stack([r[k] for r in results], dims[k]) for k in range(len(first)))
    return jtorch.stack(results, out_dims)


def check_vmap_randomness(randomness):
    """torch's check of vmap's ``randomness`` (torch.vmap's and torch.func.vmap's)."""
    if randomness not in ("error", "different", "same"):
        raise RuntimeError(f"Only allowed values for randomness are 'error', 'different', or "
                           f"'same'. Got {randomness}")


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """Map ``func`` over a dimension of its inputs (slice by slice, then stacked)."""
    check_vmap_randomness(randomness)

    @functools.wraps(func)
    def mapped(*args, **kwargs):
        _, per = _slices(args, in_dims)
        return _stack([func(*a, **kwargs) for a in per], out_dims)
    return mapped


# ------------------------------------------------------------------ settings
def get_num_threads():
    return _STATE["threads"]


def set_num_threads(int):
    _STATE["threads"] = int


def get_num_interop_threads():
    return _STATE["interop_threads"]


def set_num_interop_threads(int):
    _STATE["interop_threads"] = int


def init_num_threads():
    return None


def use_deterministic_algorithms(mode, *, warn_only=False):
    _STATE["deterministic"], _STATE["warn_only"] = bool(mode), bool(warn_only)


def are_deterministic_algorithms_enabled():
    return _STATE["deterministic"]


def is_deterministic_algorithms_warn_only_enabled():
    return _STATE["warn_only"]


def get_deterministic_debug_mode():
    if not _STATE["deterministic"]:
        return 0
    return 1 if _STATE["warn_only"] else 2


def set_deterministic_debug_mode(debug_mode):
    modes = {"default": 0, "warn": 1, "error": 2}
    if isinstance(debug_mode, str):
        if debug_mode not in modes:
            raise RuntimeError("invalid value of debug_mode, expected one of `default`, "
                               f"`warn`, `error`, but got {debug_mode}")
        debug_mode = modes[debug_mode]
    if debug_mode not in (0, 1, 2):
        raise RuntimeError("invalid value of debug_mode, expected 0, 1, or 2, but got "
                           f"{debug_mode}")
    use_deterministic_algorithms(debug_mode != 0, warn_only=debug_mode == 1)


def get_float32_matmul_precision():
    return _precision.get_matmul()


def set_float32_matmul_precision(precision):
    """torch's: an unknown name warns and changes nothing (``backends._precision``)."""
    _precision.set_matmul(precision)


def set_flush_denormal(mode):
    return True


def set_warn_always(b, /):
    _STATE["warn_always"] = bool(b)


def is_warn_always_enabled():
    return _STATE["warn_always"]


def is_anomaly_enabled():
    return anomaly_mode.state[0]


def set_anomaly_enabled(enabled, check_nan=True):
    # the engine reads autograd.anomaly_mode.state: one switch for both spellings
    anomaly_mode.state[0], anomaly_mode.state[1] = bool(enabled), bool(check_nan)


def is_anomaly_check_nan_enabled():
    return anomaly_mode.state[1]


def get_default_device():
    d = jtorch.device(_STATE["default_device"])
    return _device_mod.default() if d.type == "cuda" else d      # (cuda: with its index)


def set_default_device(device):
    _STATE["default_device"] = "cpu" if device is None else str(jtorch.device(device))
    _device_mod.set_default(_STATE["default_device"])


# ``with torch.device(d):`` makes d the default device inside the block (torch's
# DeviceContext); a "meta" one builds CPU tensors (``device.set_default``).
def _device_enter(self):
    _STATE.setdefault("device_stack", []).append(_STATE["default_device"])
    set_default_device(self)
    return self


def _device_exit(self, *exc):
    _STATE["default_device"] = _STATE["device_stack"].pop()
    return False


jtorch.device.__enter__, jtorch.device.__exit__ = _device_enter, _device_exit


def get_device(input):
    """-1 for a CPU tensor, the CUDA index otherwise."""
    dev = input.device
    return -1 if dev.type == "cpu" else (dev.index or 0)


def compiled_with_cxx11_abi():
    return True


def typename(obj, /):
    if isinstance(obj, jtorch.Tensor):
        return obj.type()
    module = getattr(obj, "__module__", "") or ""
    qualname = getattr(obj, "__qualname__", None) or type(obj).__qualname__
    if not hasattr(obj, "__qualname__"):
        module = type(obj).__module__
    if module in ("builtins", "__builtin__", ""):
        return qualname
    return module.replace("jtorch", "torch", 1) + "." + qualname


def set_default_tensor_type(t, /):
    name = t if isinstance(t, str) else t.__name__
    by_name = {"FloatTensor": jtorch.float32, "DoubleTensor": jtorch.float64,
               "HalfTensor": jtorch.float16, "BFloat16Tensor": jtorch.bfloat16}
    short = name.rsplit(".", 1)[-1]
    if short not in by_name:
        raise TypeError(f"only floating-point types are supported as the default type")
    _dtypes.set_default_dtype(by_name[short])


class AcceleratorError(RuntimeError):
    """An error reported by an accelerator runtime (never raised on jtorch's CPU)."""


class FatalError(Exception):
    pass


from ._errors import OutOfMemoryError  # noqa: E402,F401  (torch.OutOfMemoryError)


# ------------------------------------------------------------------ interchange, devices
from ._dlpack import from_dlpack, to_dlpack  # noqa: E402  (zero-copy export)


def get_device_module(device=None):
    """The device module of torch's API for ``device`` (jtorch.cuda for CUDA)."""
    kind = jtorch.device(device).type if device is not None else "cpu"
    if kind == "cuda":
        return jtorch.cuda
    if kind == "cpu":
        import sys
        import types
        mod = sys.modules.get("jtorch.cpu")
        if mod is None:
            mod = types.ModuleType("jtorch.cpu", "torch.cpu: the CPU device module")
            mod.is_available = lambda: True
            mod.device_count = lambda: 1
            mod.current_device = lambda: "cpu"
            mod.synchronize = lambda device=None: None
            sys.modules["jtorch.cpu"] = mod
        return mod
    raise RuntimeError(f"Device '{kind}' does not have a corresponding module registered as "
                       f"'torch.{kind}'.")
