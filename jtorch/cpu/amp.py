"""torch.cpu.amp: the deprecated spelling of ``torch.amp`` for the CPU (FutureWarnings)."""
from ..amp.legacy import module as _module

_m = _module("cpu")
autocast = _m.autocast
GradScaler = _m.GradScaler
del _m
