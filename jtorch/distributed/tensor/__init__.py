"""torch.distributed.tensor (DTensor): the names and placements only.

jtorch has no DTensor: a model's tensors are whole on each rank, and sharding runs through
JAX's meshes and torch.distributed's collectives. Libraries import these names at start-up
(and test ``isinstance(x, DTensor)``, which is False for every jtorch tensor); making a
DTensor raises NotImplementedError."""
import jtorch
from .placement_types import Partial, Placement, Replicate, Shard

__all__ = ["DTensor", "distribute_tensor", "distribute_module", "Shard", "Replicate",
           "Partial", "Placement"]


def _no_dtensor(*_, **__):
    raise NotImplementedError("jtorch has no DTensor (torch.distributed.tensor): shard "
                              "with torch.distributed's collectives or JAX's meshes")


class DTensor(jtorch.Tensor):
    """torch's distributed tensor class: never instantiated by jtorch."""
    from_local = staticmethod(_no_dtensor)

    def __new__(cls, *args, **kwargs):
        _no_dtensor()


distribute_tensor = distribute_module = _no_dtensor
