"""The deprecated spellings ``torch.cpu.amp.autocast`` / ``torch.cuda.amp.autocast`` and
``torch.cuda.amp.GradScaler``: FutureWarnings as torch's, then the ``torch.amp`` objects."""
import types
import warnings

from .. import _dtypes
from .._api_runtime import autocast as _autocast
from .._grad_scaler import GradScaler as _GradScaler
from .custom import custom_bwd as _custom_bwd, custom_fwd as _custom_fwd


def _make_autocast(device_type):
    class autocast(_autocast):
        def __init__(self, enabled=True, dtype=None, cache_enabled=True):
            warnings.warn(f"`torch.{device_type}.amp.autocast(args...)` is deprecated. Please "
                          f"use `torch.amp.autocast('{device_type}', args...)` instead.",
                          FutureWarning, stacklevel=2)
            if dtype is None:
                dtype = _dtypes.bfloat16 if device_type == "cpu" else _dtypes.float16
            super().__init__(device_type, dtype=dtype, enabled=enabled,
                             cache_enabled=cache_enabled)
    autocast.__qualname__ = "autocast"
    return autocast


class _CudaGradScaler(_GradScaler):
    def __init__(self, init_scale=2.0 ** 16, growth_factor=2.0, backoff_factor=0.5,
                 growth_interval=2000, enabled=True):
        warnings.warn("`torch.cuda.amp.GradScaler(args...)` is deprecated. Please use "
                      "`torch.amp.GradScaler('cuda', args...)` instead.", FutureWarning,
                      stacklevel=2)
        super().__init__("cuda", init_scale=init_scale, growth_factor=growth_factor,
                         backoff_factor=backoff_factor, growth_interval=growth_interval,
                         enabled=enabled)


def _deprecated(fn, name):
    def wrapper(*args, **kwargs):
        warnings.warn(f"`torch.cuda.amp.{name}(args...)` is deprecated. Please use "
                      f"`torch.amp.{name}(args..., device_type='cuda')` instead.",
                      FutureWarning, stacklevel=2)
        return fn(*args, device_type="cuda", **kwargs)
    return wrapper


def module(device_type):
    """The ``torch.<device_type>.amp`` module object."""
    m = types.ModuleType(f"jtorch.{device_type}.amp")
    m.autocast = _make_autocast(device_type)
    m.GradScaler = _CudaGradScaler if device_type == "cuda" else _GradScaler
    if device_type == "cuda":
        m.custom_fwd = _deprecated(_custom_fwd, "custom_fwd")
        m.custom_bwd = _deprecated(_custom_bwd, "custom_bwd")
    return m
