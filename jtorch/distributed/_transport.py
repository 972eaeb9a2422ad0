"""Cross-process data movement on JAX: each rank contributes one row of a global array sharded
over a mesh of one device per member process; one jitted program reduces or replicates it
(XLA's collectives: gloo on CPU, NCCL on GPU, ICI on TPU)."""
import functools

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from . import _faults

_AXIS = "ranks"


def _rank_devices():
    """Global rank -> the device that rank's process computes on (its first local device)."""
    first = {}
    for d in sorted(jax.devices(), key=lambda d: d.id):
        first.setdefault(d.process_index, d)
    return [first[p] for p in sorted(first)]


def _mesh(group):
    if group._mesh is None:
        devices = _rank_devices()
        group._mesh = Mesh(np.array([devices[r] for r in group._ranks]), (_AXIS,))
    return group._mesh


def _my_device():
    return _rank_devices()[jax.process_index()]


def _stack(group, local):
    """The global (size, *shape) array whose row ``group.rank()`` is this rank's ``local``."""
    mesh = _mesh(group)
    row = jax.device_put(jnp.asarray(local)[None], _my_device())
    sharding = NamedSharding(mesh, PartitionSpec(_AXIS))
    shape = (group.size(),) + row.shape[1:]
    return jax.make_array_from_single_device_arrays(shape, sharding, [row])


_REDUCERS = {
    "sum": lambda a: jnp.sum(a, axis=0, dtype=a.dtype),
    "avg": lambda a: (jnp.sum(a, axis=0, dtype=a.dtype) / a.shape[0]).astype(a.dtype),
    "product": lambda a: jnp.prod(a, axis=0, dtype=a.dtype),
    "max": lambda a: jnp.max(a, axis=0),
    "min": lambda a: jnp.min(a, axis=0),
    "band": lambda a: functools.reduce(jnp.bitwise_and, list(a)),
    "bor": lambda a: functools.reduce(jnp.bitwise_or, list(a)),
    "bxor": lambda a: functools.reduce(jnp.bitwise_xor, list(a)),
}


@functools.lru_cache(maxsize=None)
def _program(mesh, kind):
    """A jitted program over ``mesh`` whose result every member holds whole."""
    body = (lambda a: a) if kind == "gather" else _REDUCERS[kind]
    return jax.jit(body, out_shardings=NamedSharding(mesh, PartitionSpec()))


def _local(global_array):
    """This process's (whole) copy of a replicated result, as a single-device array."""
    return global_array.addressable_shards[0].data


_HEADER = 10      # ndim, 8 dims, dtype: what every rank must agree on before a collective


_DTYPES = {np.dtype(n).num: n for n in ("bool", "int8", "uint8", "int16", "uint16", "int32",
                                          "uint32", "int64", "uint64", "float16", "float32",
                                          "float64", "complex64", "complex128")}


def _header(local):
    shape = tuple(local.shape)
    dims = list(shape[:8]) + [0] * (8 - min(len(shape), 8))
    return np.array([len(shape), *dims, np.dtype(local.dtype).num], np.int64)


def traced(array):
    """Whether ``array`` is a value inside a compiled program's trace: there, every rank
    must trace the same program (``jtorch.compiler._ranks``), so no rank-dependent branch."""
    return isinstance(array, jax.core.Tracer)


def _run(group, local, kind, what):
    """One collective program, waited for at most the group's timeout (``_faults``)."""
    if traced(local):           # inside a torch.compile trace: a part of its program
        from . import _traced
        return _traced.run(group, local, kind, what)
    return _faults.guarded(
        group, what, lambda: _local(_program(_mesh(group), kind)(_stack(group, local))))


def _check_same(group, local, what):
    """Raise a clear error when the ranks' arrays differ in shape or dtype (their programs
    would otherwise disagree and fail or wait forever inside XLA)."""
    if group.size() == 1 or traced(local):
        return      # (a compiled program's shapes are compared when it is compiled: _ranks)
    headers = np.asarray(_run(group, _header(local), "gather", what))
    if (headers != headers[0]).any():
        seen = [f"rank {group._ranks[i]}: shape {[int(d) for d in h[1:1 + h[0]]]} "
                f"dtype {_DTYPES.get(h[-1], '?')}" for i, h in enumerate(headers)]
        raise RuntimeError(f"torch.distributed.{what}: the tensors of the ranks differ in "
                           f"shape or dtype ({'; '.join(seen)})")


def all_gather(group, local, what="all_gather"):
    """(size, *shape): every member's ``local``, on every member."""
    _check_same(group, local, what)
    return _run(group, local, "gather", what)


def all_reduce(group, local, kind, what="all_reduce"):
    """The elementwise reduction (``kind``) of every member's ``local``, on every member."""
    _check_same(group, local, what)
    return _run(group, local, kind, what)


def all_gather_bytes(group, payload):
    """Every member's ``payload`` (bytes), on every member: sizes first, then padded bytes."""
    sizes = np.asarray(all_gather(group, np.array([len(payload)], np.int64)))[:, 0]
    buf = np.zeros(int(sizes.max()) if len(sizes) else 0, np.uint8)
    buf[:len(payload)] = np.frombuffer(payload, np.uint8)
    rows = np.asarray(all_gather(group, buf))
    return [rows[i, :sizes[i]].tobytes() for i in range(len(sizes))]
