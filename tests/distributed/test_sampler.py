"""DistributedSampler: torch's exact per-rank index order for many argument combinations."""
import itertools

import pytest

import jtorch
from jtorch.utils.data import DistributedSampler
from jtorch.utils.data.distributed import DistributedSampler as FromModule

torch = pytest.importorskip("torch")
from torch.utils.data.distributed import DistributedSampler as TorchSampler  # noqa: E402

CASES = list(itertools.product([0, 1, 7, 10, 13], [1, 2, 3, 4], [True, False], [False, True],
                               [0, 5]))


@pytest.mark.parametrize("n,replicas,shuffle,drop_last,seed", CASES)
def test_indices_equal_torch(n, replicas, shuffle, drop_last, seed):
    data = list(range(n))
    for rank in range(replicas):
        ours = DistributedSampler(data, replicas, rank, shuffle=shuffle, seed=seed,
                                  drop_last=drop_last)
        ref = TorchSampler(data, replicas, rank, shuffle=shuffle, seed=seed,
                           drop_last=drop_last)
        for epoch in (0, 3):
            ours.set_epoch(epoch)
            ref.set_epoch(epoch)
            assert list(ours) == list(ref)
            assert len(ours) == len(ref)
            assert (ours.num_samples, ours.total_size) == (ref.num_samples, ref.total_size)


def test_exported_from_utils_data():
    assert DistributedSampler is FromModule is jtorch.utils.data.DistributedSampler


@pytest.mark.parametrize("rank", [-1, 2])
def test_invalid_rank(rank):
    with pytest.raises(ValueError, match="Invalid rank") as ours:
        DistributedSampler(range(4), 2, rank)
    with pytest.raises(ValueError) as ref:
        TorchSampler(range(4), 2, rank)
    assert str(ours.value) == str(ref.value)


def test_without_a_process_group_raises_torchs_error():
    with pytest.raises(ValueError) as ref:
        TorchSampler(range(4))
    with pytest.raises(ValueError) as ours:
        DistributedSampler(range(4))
    assert str(ours.value) == str(ref.value)


def test_with_a_dataloader():
    data = jtorch.arange(10.)
    sampler = DistributedSampler(data, num_replicas=2, rank=1, seed=3)
    ref = TorchSampler(range(10), num_replicas=2, rank=1, seed=3)
    loader = jtorch.utils.data.DataLoader(data, batch_size=2, sampler=sampler)
    assert [v for b in loader for v in b.tolist()] == [float(i) for i in ref]
