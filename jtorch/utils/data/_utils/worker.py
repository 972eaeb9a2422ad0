"""Worker information for ``get_worker_info()``.

jtorch's DataLoader runs its ``num_workers`` "workers" in the main process, one after another
(round-robin, in torch's order): while a worker's part runs, ``get_worker_info()`` describes it,
as in a torch worker process; otherwise it returns ``None``.
"""
from __future__ import annotations

from dataclasses import dataclass

_worker_info = None


@dataclass(frozen=True)
class WorkerInfo:
    """Which worker is running: ``id``, ``num_workers``, ``seed`` (base seed + id) and the
    ``dataset`` it reads."""

    id: int
    num_workers: int
    seed: int
    dataset: object
    rng: object = None
    worker_method: str = "multiprocessing"


def get_worker_info():
    """The running worker's WorkerInfo, or None outside a worker."""
    return _worker_info


class _as_worker:
    """Context manager: run a block as worker ``info``."""

    def __init__(self, info):
        self.info = info

    def __enter__(self):
        global _worker_info
        self.prev = _worker_info
        _worker_info = self.info
        return self.info

    def __exit__(self, *exc):
        global _worker_info
        _worker_info = self.prev
