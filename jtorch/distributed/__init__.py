"""torch.distributed on JAX's multi-process runtime: one JAX process per torch rank.

``init_process_group`` joins (or, before JAX's backends exist, starts) JAX's distributed
runtime; collectives run as XLA programs over a mesh of one device per rank (gloo on CPU, NCCL
on GPU). Launch scripts with ``python -m jtorch.distributed.run --nproc_per_node N script.py``.
"""
from ._state import (  # noqa: F401
    Backend, GroupMember, ProcessGroup, destroy_process_group, get_backend, get_global_rank,
    get_process_group_ranks, get_rank, get_world_size, group, init_process_group, is_available,
    is_initialized, new_group)
from ._collectives import (  # noqa: F401
    ReduceOp, Work, all_gather, all_gather_into_tensor, all_gather_object, all_reduce,
    all_to_all_single, barrier, broadcast, broadcast_object_list, gather, reduce,
    reduce_scatter_tensor, scatter)
from ._p2p import P2POp, batch_isend_irecv, irecv, isend, recv, send  # noqa: F401
from ._faults import DistBackendError, DistError, DistNetworkError, DistStoreError  # noqa: F401


def is_gloo_available():
    return True


def is_nccl_available():
    import jax
    return any(d.platform == "gpu" for d in jax.devices())


def is_mpi_available():
    return False


def is_torchelastic_launched():
    import os
    return os.environ.get("TORCHELASTIC_RUN_ID") is not None
