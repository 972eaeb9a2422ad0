"""torch.distributed._composable.fsdp (see jtorch.distributed.fsdp)."""
from ...fsdp import CPUOffloadPolicy, FSDPModule, MixedPrecisionPolicy, fully_shard  # noqa: F401
