"""torch.nn.parallel: DataParallel (one process, several local devices) and
DistributedDataParallel (one process per rank, jtorch.distributed)."""
from .data_parallel import (  # noqa: F401
    DataParallel, data_parallel, gather, parallel_apply, scatter)
from .distributed import DistributedDataParallel  # noqa: F401

__all__ = ["DataParallel", "DistributedDataParallel", "data_parallel", "gather",
           "parallel_apply", "scatter"]
