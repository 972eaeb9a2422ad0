"""torch.distributed.fsdp: the names libraries import; jtorch has no FSDP (sharded
parameters would be DTensors): wrapping a module raises NotImplementedError."""
from ..tensor import _no_dtensor

__all__ = ["FullyShardedDataParallel", "FSDPModule", "fully_shard", "CPUOffloadPolicy",
           "MixedPrecisionPolicy", "OffloadPolicy"]


class FSDPModule:
    """The class fully_shard would mix into a module (never, in jtorch)."""


class FullyShardedDataParallel:
    def __init__(self, *args, **kwargs):
        _no_dtensor()


class OffloadPolicy:
    pass


class CPUOffloadPolicy(OffloadPolicy):
    def __init__(self, pin_memory=True):
        self.pin_memory = pin_memory


class MixedPrecisionPolicy:
    def __init__(self, param_dtype=None, reduce_dtype=None, output_dtype=None,
                 cast_forward_inputs=True):
        self.param_dtype, self.reduce_dtype = param_dtype, reduce_dtype
        self.output_dtype, self.cast_forward_inputs = output_dtype, cast_forward_inputs


fully_shard = _no_dtensor
