"""Process groups: the default (WORLD) group and ``new_group`` subgroups, as torch names them.

A group is a list of global ranks; its collectives run over a JAX mesh of one device per
member process (``_transport``). Everything here is per-process state, as in torch.
"""
import datetime
import os
from urllib.parse import urlparse

import jax

from . import _bootstrap

_NOT_INIT = ("Default process group has not been initialized, please make sure to call "
             "init_process_group.")


class Backend(str):
    """torch's backend name: a lower-case str ('gloo', 'nccl')."""
    GLOO = "gloo"
    NCCL = "nccl"
    UNDEFINED = "undefined"

    def __new__(cls, name):
        if not isinstance(name, str):
            raise ValueError("Backend constructor parameter must be string-ish, but got: "
                             f"{type(name)}")
        value = name.lower()
        if value not in ("gloo", "nccl", "undefined"):
            raise ValueError(f"Invalid backend: '{name}' (jtorch maps 'gloo' and 'nccl' onto "
                             "JAX's runtime)")
        return str.__new__(cls, value)


class ProcessGroup:
    """A set of ranks that run collectives together (torch.distributed.ProcessGroup)."""

    def __init__(self, ranks, backend, timeout):
        self._ranks = list(ranks)
        self._backend = backend
        self._timeout = timeout
        self._mesh = None

    def size(self):
        return len(self._ranks)

    def rank(self):
        me = _WORLD.rank
        return self._ranks.index(me) if me in self._ranks else -1

    def name(self):
        return self._backend

    def __repr__(self):
        return f"<jtorch.distributed.ProcessGroup ranks={self._ranks} backend={self._backend}>"


class _World:
    """The default group and this process's global rank."""
    group = None
    rank = -1


_WORLD = _World()


class GroupMember:
    """torch's ``GroupMember``/``group``: WORLD is the default group (None before init)."""
    NON_GROUP_MEMBER = -100

    class _WorldDescriptor:
        def __get__(self, obj, owner):
            return _WORLD.group

    WORLD = _WorldDescriptor()


group = GroupMember


def is_available():
    return True


def is_initialized():
    return _WORLD.group is not None


def _default(group=None):
    """``group`` or the default group; raises torch's error before init_process_group."""
    if group is None or group is GroupMember.WORLD:
        if _WORLD.group is None:
            raise ValueError(_NOT_INIT)
        return _WORLD.group
    return group


def _env(name):
    value = os.environ.get(name)
    if value is None:
        raise ValueError("Error initializing torch.distributed using env:// rendezvous: "
                         f"environment variable {name} expected, but not set")
    return value


def _rendezvous(init_method, world_size, rank):
    """(coordinator host:port, world size, rank) from torch's init_method conventions."""
    if init_method is None or init_method.startswith("env://"):
        if rank == -1:
            rank = int(_env("RANK"))
        if world_size == -1:
            world_size = int(_env("WORLD_SIZE"))
        coordinator = f"{_env('MASTER_ADDR')}:{_env('MASTER_PORT')}"
        return coordinator, world_size, rank
    url = urlparse(init_method)
    if url.scheme != "tcp" or not url.hostname or not url.port:
        raise ValueError(f"jtorch.distributed supports init_method 'env://' and "
                         f"'tcp://host:port', got '{init_method}'")
    if world_size == -1 or rank == -1:
        raise ValueError("world_size and rank must be given with a tcp:// init_method")
    return f"{url.hostname}:{url.port}", world_size, rank


def _join_runtime(coordinator, world_size, rank, timeout):
    """Make JAX's process runtime match (world_size, rank), starting it if still possible."""
    if world_size == 1 and not _bootstrap.runtime_started():
        return
    if not _bootstrap.runtime_started():
        if _bootstrap.backends_created():
            raise RuntimeError(
                "init_process_group: JAX's backends already exist in this process, so JAX's "
                "distributed runtime can no longer start. Launch the script with "
                "'python -m jtorch.distributed.run --nproc_per_node N script.py', which starts "
                "the runtime in each worker before jtorch is imported.")
        _bootstrap.start(coordinator, world_size, rank, timeout.total_seconds())
    if (jax.process_count(), jax.process_index()) != (world_size, rank):
        raise RuntimeError(f"init_process_group(world_size={world_size}, rank={rank}) does not "
                           f"match JAX's runtime (process {jax.process_index()} of "
                           f"{jax.process_count()})")


def init_process_group(backend=None, init_method=None, timeout=None, world_size=-1, rank=-1,
                       store=None, group_name="", pg_options=None, device_id=None, _ranks=None):
    if _WORLD.group is not None:
        raise ValueError("trying to initialize the default process group twice!")
    if store is not None:
        raise ValueError("jtorch.distributed has no Store: use init_method 'env://' or 'tcp://'")
    timeout = timeout or datetime.timedelta(minutes=30)
    coordinator, world_size, rank = _rendezvous(init_method, world_size, rank)
    _join_runtime(coordinator, world_size, rank, timeout)
    if backend is None:
        backend = "nccl" if jax.default_backend() == "gpu" else "gloo"
    backend = Backend(backend.split(",")[0].split(":")[-1])
    _WORLD.rank = rank
    _WORLD.group = ProcessGroup(range(world_size), backend, timeout)


def destroy_process_group(group=None):
    if _WORLD.group is None:
        raise AssertionError("Process group cannot be None")
    if group is None or group is _WORLD.group:
        # JAX's runtime stays up: it cannot restart once backends exist
        _WORLD.group = None
        _WORLD.rank = -1


def new_group(ranks=None, timeout=None, backend=None, pg_options=None,
              use_local_synchronization=False, group_desc=None, device_id=None,
              sort_ranks=True):
    world = _default()
    ranks = list(range(world.size())) if ranks is None else list(ranks)
    if sort_ranks:
        ranks = sorted(ranks)
    for r in ranks:
        if not 0 <= r < world.size():
            raise ValueError(f"Invalid rank {r} for new_group: the world size is {world.size()}")
    return ProcessGroup(ranks, Backend(backend) if backend else world._backend,
                        timeout or world._timeout)


def get_rank(group=None):
    g = _default(group)
    return _WORLD.rank if g is _WORLD.group else g.rank()


def get_world_size(group=None):
    g = _default(group)
    return g.size() if g.rank() >= 0 else -1


def get_backend(group=None):
    return _default(group)._backend


def get_global_rank(group, group_rank):
    return _default(group)._ranks[group_rank]


def get_process_group_ranks(group):
    return list(_default(group)._ranks)
