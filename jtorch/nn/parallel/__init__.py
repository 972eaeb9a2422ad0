"""torch.nn.parallel: DistributedDataParallel (one process per rank, jtorch.distributed)."""
from .distributed import DistributedDataParallel  # noqa: F401

__all__ = ["DistributedDataParallel"]
