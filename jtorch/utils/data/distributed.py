"""torch.utils.data.distributed.DistributedSampler: each rank's share of a dataset, in torch's
index order (a randperm drawn from a Generator seeded ``seed + epoch``, padded by wrapping
around or truncated, then every ``num_replicas``-th index from ``rank``)."""
import math

import jtorch

from .sampler import Sampler

__all__ = ["DistributedSampler"]


def _group_default(num_replicas, rank):
    """Fill unset ``num_replicas``/``rank`` from the default process group (raising torch's
    error when there is none)."""
    dist = jtorch.distributed
    if num_replicas is None or rank is None:
        if not dist.is_available():
            raise RuntimeError("Requires distributed package to be available")
    if num_replicas is None:
        num_replicas = dist.get_world_size()
    if rank is None:
        rank = dist.get_rank()
    return num_replicas, rank


class DistributedSampler(Sampler):
    def __init__(self, dataset, num_replicas=None, rank=None, shuffle=True, seed=0,
                 drop_last=False):
        num_replicas, rank = _group_default(num_replicas, rank)
        if rank >= num_replicas or rank < 0:
            raise ValueError(f"Invalid rank {rank}, rank should be in the interval "
                             f"[0, {num_replicas - 1}]")
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.drop_last = drop_last
        n = len(dataset)
        if drop_last and n % num_replicas != 0:
            # drop the tail so every rank gets the same count without padding
            self.num_samples = math.ceil((n - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas
        self.shuffle = shuffle
        self.seed = seed

    def _all_indices(self):
        n = len(self.dataset)
        if not self.shuffle:
            return list(range(n))
        g = jtorch.Generator()
        g.manual_seed(self.seed + self.epoch)
        return jtorch.randperm(n, generator=g).tolist()

    def __iter__(self):
        indices = self._all_indices()
        if not self.drop_last:
            pad = self.total_size - len(indices)
            if pad <= len(indices):
                indices += indices[:pad]
            else:
                indices += (indices * math.ceil(pad / len(indices)))[:pad]
        else:
            indices = indices[:self.total_size]
        if len(indices) != self.total_size:
            raise AssertionError(f"{len(indices)} != {self.total_size}")
        mine = indices[self.rank:self.total_size:self.num_replicas]
        if len(mine) != self.num_samples:
            raise AssertionError(f"{len(mine)} != {self.num_samples}")
        return iter(mine)

    def __len__(self):
        return self.num_samples

    def set_epoch(self, epoch):
        self.epoch = epoch
