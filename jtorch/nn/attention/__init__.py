"""torch.nn.attention: the SDPA backend selector.

jtorch has one attention implementation (the math one, compiled by XLA), so the selection
is recorded and restored but changes nothing. The flash-attention implementation registry
(a CUDA feature) lists torch's names and keeps none active."""
from __future__ import annotations

import contextlib
import enum
from typing import Iterable, Union  # noqa: F401  (torch's module exposes these names)

WARN_FOR_UNFUSED_KERNELS = False


class SDPBackend(enum.IntEnum):
    ERROR = -1
    MATH = 0
    FLASH_ATTENTION = 1
    EFFICIENT_ATTENTION = 2
    CUDNN_ATTENTION = 3
    OVERRIDEABLE = 4

    def __str__(self):
        return f"SDPBackend.{self.name}"


_ALL = [SDPBackend.FLASH_ATTENTION, SDPBackend.EFFICIENT_ATTENTION, SDPBackend.MATH,
        SDPBackend.CUDNN_ATTENTION, SDPBackend.OVERRIDEABLE]
_enabled = list(_ALL)


def _cur_sdpa_kernel_backends(with_priority=False):
    return list(_enabled)


def _sdpa_kernel(backends, set_priority=False):
    _enabled[:] = list(backends)


@contextlib.contextmanager
def sdpa_kernel(backends, set_priority=False):
    if not isinstance(backends, (list, SDPBackend)):
        raise AssertionError(f"Backend must be an instance of SDPBackend or a list of "
                             f"SDPBackend instances, got {type(backends).__name__}")
    if isinstance(backends, SDPBackend):
        backends = [backends]
    backends = list(dict.fromkeys(backends))
    previous = _cur_sdpa_kernel_backends(set_priority)
    try:
        _sdpa_kernel(backends, set_priority)
        yield {}
    finally:
        _sdpa_kernel(previous, set_priority)


_FLASH_IMPLS = ["FA3", "FA4"]
_registered = {}
_active = [None]


def list_flash_attention_impls():
    return sorted(set(_FLASH_IMPLS) | set(_registered))


def current_flash_attention_impl():
    return _active[0]


def register_flash_attention_impl(impl, *, register_fn):
    _registered[impl] = register_fn


def activate_flash_attention_impl(impl):
    if impl not in list_flash_attention_impls():
        raise ValueError(f"Unknown flash attention impl '{impl}'. Available implementations: "
                         f"{list_flash_attention_impls()}")
    raise RuntimeError(f"Flash attention implementation '{impl}' needs a CUDA device; jtorch "
                       "runs attention with its math kernel")


def restore_flash_attention_impl(_raise_warn=True):
    _active[0] = None


__all__ = ["SDPBackend", "sdpa_kernel", "WARN_FOR_UNFUSED_KERNELS",
           "register_flash_attention_impl", "activate_flash_attention_impl",
           "list_flash_attention_impls", "current_flash_attention_impl",
           "restore_flash_attention_impl"]
