"""DataLoader (torch.utils.data.dataloader): batches of a dataset in a sampler's order.

The argument rules, default samplers, collation and random draws are torch's: each new
iterator draws a base seed from ``generator`` (the global generator by default) before the
sampler draws its own, exactly as torch, so shuffled batches after the same ``manual_seed``
are torch's batches.

``num_workers > 0`` runs in this process (documented departure): the "workers" take turns
in torch's round-robin order, ``worker_init_fn(i)`` runs once per worker when iteration
starts, and ``get_worker_info()`` describes the current worker while its part runs. Map-style
datasets give exactly torch's batches; an ``IterableDataset`` gives each worker its own
iterator and interleaves their batches as torch's in-order loader does. Not reproduced: the
per-worker reseeding of the global generators (worker code draws from the main process's
generators) and process isolation (workers share the dataset object).
"""
from __future__ import annotations

import itertools
import math
import multiprocessing
import os
import warnings

import jtorch
from ._utils.collate import default_collate, default_convert
from ._utils.worker import WorkerInfo, _as_worker, get_worker_info
from .dataset import IterableDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler, _draw_seed

__all__ = ["DataLoader", "default_collate", "default_convert", "get_worker_info"]


class _DatasetKind:
    Map = 0
    Iterable = 1

    @staticmethod
    def create_fetcher(kind, dataset, auto_collation, collate_fn, drop_last):
        cls = _MapDatasetFetcher if kind == _DatasetKind.Map else _IterableDatasetFetcher
        return cls(dataset, auto_collation, collate_fn, drop_last)


class _InfiniteConstantSampler(Sampler):
    """``None`` forever: the index sampler of an IterableDataset."""

    def __iter__(self):
        while True:
            yield None


class _MapDatasetFetcher:
    def __init__(self, dataset, auto_collation, collate_fn, drop_last):
        self.dataset = dataset
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self.drop_last = drop_last

    def fetch(self, index):
        if self.auto_collation:
            getitems = getattr(self.dataset, "__getitems__", None)
            if getitems:
                data = getitems(index)
            else:
                data = [self.dataset[i] for i in index]
        else:
            data = self.dataset[index]
        return self.collate_fn(data)


class _IterableDatasetFetcher(_MapDatasetFetcher):
    def __init__(self, dataset, auto_collation, collate_fn, drop_last):
        super().__init__(dataset, auto_collation, collate_fn, drop_last)
        self.dataset_iter = iter(dataset)
        self.ended = False

    def fetch(self, index):
        if self.ended:
            raise StopIteration
        if self.auto_collation:
            data = []
            for _ in index:
                try:
                    data.append(next(self.dataset_iter))
                except StopIteration:
                    self.ended = True
                    break
            if len(data) == 0 or (self.drop_last and len(data) < len(index)):
                raise StopIteration
        else:
            data = next(self.dataset_iter)
        return self.collate_fn(data)


def _base_seed(generator):
    """The seed torch draws for each new iterator (workers get base_seed + id). Without
    jtorch's torch-identical generator (not landed yet) there is nothing to draw from, and
    nothing in a sequential, in-process loader depends on the value."""
    if not hasattr(jtorch.Tensor, "random_"):
        return 0
    return _draw_seed(generator)


def _checked_worker_options(num_workers, timeout, prefetch_factor, persistent_workers):
    """torch's checks of the worker options; returns prefetch_factor (2 by default with
    workers)."""
    if num_workers < 0:
        raise ValueError("num_workers option should be non-negative; use num_workers=0 to "
                         "disable multiprocessing.")
    if timeout < 0:
        raise ValueError("timeout option should be non-negative")
    if num_workers == 0 and prefetch_factor is not None:
        raise ValueError("prefetch_factor option could only be specified in "
                         "multiprocessing.let num_workers > 0 to enable multiprocessing, "
                         "otherwise set prefetch_factor to None.")
    if num_workers > 0 and prefetch_factor is None:
        prefetch_factor = 2
    elif prefetch_factor is not None and prefetch_factor < 0:
        raise ValueError("prefetch_factor option should be non-negative")
    if persistent_workers and num_workers == 0:
        raise ValueError("persistent_workers option needs num_workers > 0")
    return prefetch_factor


def _checked_batching(batch_size, shuffle, sampler, batch_sampler, drop_last):
    """torch's checks of the batching options; a batch_sampler takes over batch_size and
    drop_last. Returns (batch_size, drop_last)."""
    if sampler is not None and shuffle:
        raise ValueError("sampler option is mutually exclusive with shuffle")
    if batch_sampler is not None:
        if batch_size != 1 or shuffle or sampler is not None or drop_last:
            raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                             "shuffle, sampler, and drop_last")
        return None, False
    if batch_size is None and drop_last:
        raise ValueError("batch_size=None option disables auto-batching and is mutually "
                         "exclusive with drop_last")
    return batch_size, drop_last


class DataLoader:
    """Iterate over ``dataset`` in batches of ``batch_size`` (``None``: no batching), in the
    order of ``sampler`` / ``batch_sampler`` / ``shuffle``, collated by ``collate_fn``."""

    __initialized = False

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device="",
                 in_order=True):
        prefetch_factor = _checked_worker_options(num_workers, timeout, prefetch_factor,
                                                  persistent_workers)
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order
        shuffle = self._set_dataset_kind(shuffle, sampler, batch_sampler)
        batch_size, drop_last = _checked_batching(batch_size, shuffle, sampler, batch_sampler,
                                                  drop_last)
        sampler, batch_sampler = self._samplers(sampler, batch_sampler, shuffle, batch_size,
                                                drop_last, generator)

        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self.__initialized = True
        self._IterableDataset_len_called = None
        self._iterator = None
        self.check_worker_number_rationality()

    def _set_dataset_kind(self, shuffle, sampler, batch_sampler):
        """Map or iterable (an iterable dataset decides its own order: no shuffle or
        sampler). Returns ``shuffle`` as a bool for a map-style dataset."""
        if not isinstance(self.dataset, IterableDataset):
            self._dataset_kind = _DatasetKind.Map
            return bool(shuffle)
        self._dataset_kind = _DatasetKind.Iterable
        if shuffle not in {False, None}:
            raise ValueError("DataLoader with IterableDataset: expected unspecified shuffle "
                             f"option, but got shuffle={shuffle}")
        if sampler is not None:
            raise ValueError("DataLoader with IterableDataset: expected unspecified sampler "
                             f"option, but got sampler={sampler}")
        if batch_sampler is not None:
            raise ValueError("DataLoader with IterableDataset: expected unspecified "
                             f"batch_sampler option, but got batch_sampler={batch_sampler}")
        return shuffle

    def _samplers(self, sampler, batch_sampler, shuffle, batch_size, drop_last, generator):
        """The samplers given, or torch's defaults for the dataset kind and options."""
        if sampler is None:
            if self._dataset_kind == _DatasetKind.Iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(self.dataset, generator=generator)
            else:
                sampler = SequentialSampler(self.dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        return sampler, batch_sampler

    @property
    def multiprocessing_context(self):
        return self.__multiprocessing_context

    @multiprocessing_context.setter
    def multiprocessing_context(self, context):
        if context is not None:
            if self.num_workers == 0:
                raise ValueError("multiprocessing_context can only be used with multi-process "
                                 "loading (num_workers > 0), but got num_workers="
                                 f"{self.num_workers}")
            if isinstance(context, str):
                valid = multiprocessing.get_all_start_methods()
                if context not in valid:
                    raise ValueError("multiprocessing_context option should specify a valid "
                                     f"start method in {valid!r}, but got "
                                     f"multiprocessing_context={context!r}")
                context = multiprocessing.get_context(context)
            if not isinstance(context, multiprocessing.context.BaseContext):
                raise TypeError("multiprocessing_context option should be a valid context "
                                "object or a string specifying the start method, but got "
                                f"multiprocessing_context={context}")
        self.__multiprocessing_context = context

    def __setattr__(self, attr, val):
        if self.__initialized and attr in ("batch_size", "batch_sampler", "sampler",
                                           "drop_last", "dataset", "persistent_workers"):
            raise ValueError(f"{attr} attribute should not be set after "
                             f"{self.__class__.__name__} is initialized")
        super().__setattr__(attr, val)

    def _get_iterator(self):
        if self.num_workers == 0:
            return _SingleProcessDataLoaderIter(self)
        return _InProcessWorkersDataLoaderIter(self)

    def __iter__(self):
        if self.persistent_workers and self.num_workers > 0:
            if self._iterator is None:
                self._iterator = self._get_iterator()
            else:
                self._iterator._reset(self)
            return self._iterator
        return self._get_iterator()

    @property
    def _auto_collation(self):
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    def __len__(self):
        if self._dataset_kind == _DatasetKind.Iterable:
            length = self._IterableDataset_len_called = len(self.dataset)
            if self.batch_size is not None:
                length = length // self.batch_size if self.drop_last else \
                    math.ceil(length / self.batch_size)
            return length
        return len(self._index_sampler)

    def check_worker_number_rationality(self):
        """torch's warning when more workers are asked for than CPUs are usable."""
        if not self.num_workers:
            return
        try:
            max_workers = len(os.sched_getaffinity(0))
            cpuset_checked = True
        except AttributeError:
            max_workers = os.cpu_count()
            cpuset_checked = False
        if max_workers is None or self.num_workers > max_workers:
            suggest = (f"Our suggested max number of worker in current system is {max_workers}"
                       f"{'' if cpuset_checked else ' (`cpuset` is not taken into account)'}, "
                       "which is smaller than what this DataLoader is going to create."
                       if max_workers is not None else
                       "DataLoader is not able to compute a suggested max number of worker in "
                       "current system.")
            warnings.warn(f"This DataLoader will create {self.num_workers} worker processes in "
                          f"total. {suggest} Please be aware that excessive worker creation "
                          "might get DataLoader running slow or even freeze, lower the worker "
                          "number to avoid potential slowness/freeze if necessary.",
                          stacklevel=2)


class _BaseDataLoaderIter:
    def __init__(self, loader):
        self._dataset = loader.dataset
        self._dataset_kind = loader._dataset_kind
        self._IterableDataset_len_called = loader._IterableDataset_len_called
        self._auto_collation = loader._auto_collation
        self._drop_last = loader.drop_last
        self._index_sampler = loader._index_sampler
        self._num_workers = loader.num_workers
        if loader.pin_memory and loader.pin_memory_device:
            warnings.warn("pin_memory_device is deprecated, the current accelerator will be "
                          f"used as the device,ignore pin_memory_device="
                          f"'{loader.pin_memory_device}'.", stacklevel=3)
        if loader.pin_memory and not jtorch.cuda.is_available():
            warnings.warn("'pin_memory' argument is set as true but no accelerator is found, "
                          "then device pinned memory won't be used.", stacklevel=3)
        self._pin_memory = False  # jax manages host/device transfers itself
        self._timeout = loader.timeout
        self._collate_fn = loader.collate_fn
        self._sampler_iter = iter(self._index_sampler)
        self._base_seed = _base_seed(loader.generator)
        self._persistent_workers = loader.persistent_workers
        self._num_yielded = 0

    def __iter__(self):
        return self

    def _reset(self, loader, first_iter=False):
        self._sampler_iter = iter(self._index_sampler)
        self._num_yielded = 0
        self._IterableDataset_len_called = loader._IterableDataset_len_called

    def _next_index(self):
        return next(self._sampler_iter)

    def _next_data(self):
        raise NotImplementedError

    def __next__(self):
        data = self._next_data()
        self._num_yielded += 1
        if self._dataset_kind == _DatasetKind.Iterable and \
                self._IterableDataset_len_called is not None and \
                self._num_yielded > self._IterableDataset_len_called:
            msg = (f"Length of IterableDataset {self._dataset} was reported to be "
                   f"{self._IterableDataset_len_called}(when accessing len(dataloader)), but "
                   f"{self._num_yielded} samples have been fetched. ")
            if self._num_workers > 0:
                msg += ("For multiprocessing data-loading, this could be caused by not properly "
                        "configuring the IterableDataset replica at each worker. Please see "
                        "https://pytorch.org/docs/stable/data.html#torch.utils.data."
                        "IterableDataset for examples.")
            warnings.warn(msg, stacklevel=2)
        return data

    def __len__(self):
        return len(self._index_sampler)

    def __getstate__(self):
        raise NotImplementedError("{} cannot be pickled", self.__class__.__name__)


class _SingleProcessDataLoaderIter(_BaseDataLoaderIter):
    def __init__(self, loader):
        super().__init__(loader)
        self._dataset_fetcher = _DatasetKind.create_fetcher(
            self._dataset_kind, self._dataset, self._auto_collation, self._collate_fn,
            self._drop_last)

    def _next_data(self):
        index = self._next_index()
        return self._dataset_fetcher.fetch(index)


class _InProcessWorkersDataLoaderIter(_BaseDataLoaderIter):
    """``num_workers`` workers run in this process, taking batches in torch's round-robin
    order (skipping workers whose iterable dataset is exhausted)."""

    def __init__(self, loader):
        super().__init__(loader)
        self._worker_init_fn = loader.worker_init_fn
        self._infos = [WorkerInfo(id=i, num_workers=self._num_workers,
                                  seed=self._base_seed + i, dataset=self._dataset)
                       for i in range(self._num_workers)]
        for info in self._infos:
            if self._worker_init_fn is not None:
                with _as_worker(info):
                    self._worker_init_fn(info.id)
        self._start_workers()

    def _start_workers(self):
        self._fetchers = []
        for info in self._infos:
            with _as_worker(info):  # an iterable dataset's __iter__ may ask who it runs in
                self._fetchers.append(_DatasetKind.create_fetcher(
                    self._dataset_kind, self._dataset, self._auto_collation,
                    self._collate_fn, self._drop_last))
        self._active = [True] * self._num_workers
        self._cycle = itertools.cycle(range(self._num_workers))

    def _reset(self, loader, first_iter=False):
        super()._reset(loader, first_iter)
        self._start_workers()

    def _next_data(self):
        while any(self._active):
            for _ in range(self._num_workers):
                worker = next(self._cycle)
                if self._active[worker]:
                    break
            index = self._next_index()
            with _as_worker(self._infos[worker]):
                try:
                    return self._fetchers[worker].fetch(index)
                except StopIteration:
                    if self._dataset_kind != _DatasetKind.Iterable:
                        raise
                    self._active[worker] = False  # this worker's stream ended
        raise StopIteration
