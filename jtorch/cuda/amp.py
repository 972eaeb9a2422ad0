"""torch.cuda.amp: the deprecated spellings of ``torch.amp`` for CUDA (FutureWarnings)."""
from ..amp.legacy import module as _module

_m = _module("cuda")
autocast = _m.autocast
GradScaler = _m.GradScaler
custom_fwd = _m.custom_fwd
custom_bwd = _m.custom_bwd
del _m
