"""Samplers (torch.utils.data.sampler): the order in which a DataLoader visits indices.

The random samplers draw exactly what torch's draw, in the same order, from jtorch's
reproduction of torch's generator (``jtorch.Generator``, ``jtorch.randperm``,
``jtorch.randint``, ``jtorch.multinomial``), so a shuffled epoch after ``manual_seed(s)`` visits
the same indices as torch's.
"""
from __future__ import annotations

import itertools
from typing import Generic, TypeVar

import jtorch

__all__ = ["BatchSampler", "RandomSampler", "Sampler", "SequentialSampler",
           "SubsetRandomSampler", "WeightedRandomSampler"]

_T_co = TypeVar("_T_co", covariant=True)


def _draw_seed(generator=None):
    """torch's ``int(torch.empty((), dtype=torch.int64).random_(generator=g).item())``."""
    return int(jtorch.empty((), dtype=jtorch.int64).random_(generator=generator).item())


# RandomSampler without a generator draws each pass from a fresh generator seeded from the
# global one, as torch does. Creating a Generator costs more than a whole pass of batch
# indices (it seeds mt19937 with the default seed first), so a pass takes a spare one,
# reseeds it (manual_seed resets all of a generator's state) and hands it back after its
# last draw. A pass abandoned early keeps its generator; iterators in flight never share one.
_SPARE_GENERATORS = []


def _spare_generator():
    try:
        return _SPARE_GENERATORS.pop()
    except IndexError:
        return jtorch.Generator()


def _return_generator(generator):
    if len(_SPARE_GENERATORS) < 4:
        _SPARE_GENERATORS.append(generator)


class Sampler(Generic[_T_co]):
    """Base class: subclasses yield indices (or lists of indices) from ``__iter__``."""

    def __iter__(self):
        raise NotImplementedError


class SequentialSampler(Sampler[int]):
    """0, 1, ..., len(data_source) - 1."""

    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


class RandomSampler(Sampler[int]):
    """A random permutation (repeated when ``num_samples`` exceeds the dataset), or
    ``num_samples`` draws with replacement. Without a ``generator``, each pass seeds a fresh
    generator from the global one, as torch does."""

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(self.replacement, bool):
            raise TypeError("replacement should be a boolean value, but got replacement="
                            f"{self.replacement}")
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError("num_samples should be a positive integer value, but got "
                             f"num_samples={self.num_samples}")

    @property
    def num_samples(self):
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self):
        # a generator function, like torch's: nothing is drawn before the first index
        n = len(self.data_source)
        own = self.generator is None
        if own:
            seed = _draw_seed()
            generator = _spare_generator()
            generator.manual_seed(seed)
        else:
            generator = self.generator
        if self.replacement:
            for _ in range(self.num_samples // 32):
                yield from jtorch.randint(high=n, size=(32,), dtype=jtorch.int64,
                                          generator=generator).tolist()
            last = jtorch.randint(high=n, size=(self.num_samples % 32,), dtype=jtorch.int64,
                                  generator=generator).tolist()
            if own:
                _return_generator(generator)
            yield from last
        else:
            full, rest = divmod(self.num_samples, n)
            for k in range(full):
                perm = jtorch.randperm(n, generator=generator).tolist()
                if own and not rest and k == full - 1:
                    # torch draws one more permutation for the empty tail, from a generator
                    # nobody else sees: skipping that draw changes nothing observable
                    _return_generator(generator)
                yield from perm
            if rest or not own:
                tail = jtorch.randperm(n, generator=generator).tolist()[:rest]
                if own:
                    _return_generator(generator)
                yield from tail

    def __len__(self):
        return self.num_samples


class SubsetRandomSampler(Sampler[int]):
    """The given indices in random order."""

    def __init__(self, indices, generator=None):
        self.indices = indices
        self.generator = generator

    def __iter__(self):
        for i in jtorch.randperm(len(self.indices), generator=self.generator).tolist():
            yield self.indices[i]

    def __len__(self):
        return len(self.indices)


class WeightedRandomSampler(Sampler[int]):
    """``num_samples`` indices drawn with probabilities proportional to ``weights``."""

    def __init__(self, weights, num_samples, replacement=True, generator=None):
        if not isinstance(num_samples, int) or isinstance(num_samples, bool) or \
                num_samples <= 0:
            raise ValueError("num_samples should be a positive integer value, but got "
                             f"num_samples={num_samples}")
        if not isinstance(replacement, bool):
            raise ValueError("replacement should be a boolean value, but got replacement="
                             f"{replacement}")
        weights_tensor = jtorch.as_tensor(weights, dtype=jtorch.double)
        if len(weights_tensor.shape) != 1:
            raise ValueError("weights should be a 1d sequence but given weights have shape "
                             f"{tuple(weights_tensor.shape)}")
        self.weights = weights_tensor
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self):
        rand_tensor = jtorch.multinomial(self.weights, self.num_samples, self.replacement,
                                         generator=self.generator)
        yield from iter(rand_tensor.tolist())

    def __len__(self):
        return self.num_samples


class BatchSampler(Sampler[list]):
    """Groups the indices of ``sampler`` into lists of ``batch_size`` (the last one shorter
    unless ``drop_last``)."""

    def __init__(self, sampler, batch_size, drop_last):
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError("batch_size should be a positive integer value, but got "
                             f"batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last="
                             f"{drop_last}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self):
        sampler_iter = iter(self.sampler)
        if self.drop_last:
            args = [sampler_iter] * self.batch_size
            for batch in zip(*args):
                yield [*batch]
        else:
            batch = [*itertools.islice(sampler_iter, self.batch_size)]
            while batch:
                yield batch
                batch = [*itertools.islice(sampler_iter, self.batch_size)]

    def __len__(self):
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return (len(self.sampler) + self.batch_size - 1) // self.batch_size
