"""torch.distributed's collectives with torch's signatures and in-place semantics, over
``_transport`` (every call is synchronous; ``async_op=True`` returns a completed Work).
Point-to-point (send/recv) is in ``_p2p``."""
import enum
import io
import pickle

import jax.numpy as jnp
import numpy as np

from .. import _internal
from . import _transport
from ._state import _default


class ReduceOp:
    """torch.distributed.ReduceOp: the members are ``ReduceOp.RedOpType`` values."""

    class RedOpType(enum.Enum):
        SUM = 0
        AVG = 1
        PRODUCT = 2
        MIN = 3
        MAX = 4
        BAND = 5
        BOR = 6
        BXOR = 7
        PREMUL_SUM = 8
        UNUSED = 9

        def __repr__(self):
            return f"<RedOpType.{self.name}: {self.value}>"

        def __str__(self):
            return f"RedOpType.{self.name}"

    SUM, AVG, PRODUCT, MIN, MAX = (RedOpType.SUM, RedOpType.AVG, RedOpType.PRODUCT,
                                   RedOpType.MIN, RedOpType.MAX)
    BAND, BOR, BXOR, PREMUL_SUM = (RedOpType.BAND, RedOpType.BOR, RedOpType.BXOR,
                                   RedOpType.PREMUL_SUM)


class Work:
    """A finished collective's handle (the transfer already happened)."""

    def __init__(self, result=None):
        self._result = result

    def wait(self, timeout=None):
        return True

    def is_completed(self):
        return True

    def is_success(self):
        return True

    def result(self):
        return self._result if self._result is not None else []

    def get_future(self):
        from concurrent.futures import Future
        f = Future()
        f.set_result(self.result())
        return f


def _done(async_op, result=None):
    return Work(result) if async_op else None


def _kind(op):
    if op not in ReduceOp.RedOpType or op in (ReduceOp.PREMUL_SUM, ReduceOp.RedOpType.UNUSED):
        raise ValueError(f"jtorch.distributed does not support reduce op {op}")
    return op.name.lower()


def _member(group):
    """(group, True) when this rank takes part in ``group``'s collectives."""
    g = _default(group)
    return g, g.rank() >= 0


def _write(tensor, array):
    """Store ``array`` into ``tensor`` in place (as c10d writes into its buffers)."""
    values = jnp.asarray(array, _internal.raw(tensor).dtype).reshape(tuple(tensor.shape))
    _internal.replace_values_(tensor, values)


def _group_rank(g, rank, group_rank, what):
    if group_rank is not None:
        return group_rank
    if rank is None:
        raise ValueError(f"Either {what} or group_{what} must be specified")
    return g._ranks.index(rank)


def all_reduce(tensor, op=ReduceOp.SUM, group=None, async_op=False):
    g, member = _member(group)
    if member:
        total = _transport.all_reduce(g, _internal.raw(tensor), _kind(op), what="all_reduce")
        _write(tensor, total)
    return _done(async_op, [tensor])


def broadcast(tensor, src=None, group=None, async_op=False, group_src=None):
    g, member = _member(group)
    if member:
        src = _group_rank(g, src, group_src, "src")
        rows = _transport.all_gather(g, _internal.raw(tensor), what="broadcast")
        if g.rank() != src or _transport.traced(rows):  # (every rank traces one program)
            _write(tensor, rows[src])
    return _done(async_op, [tensor])


def all_gather(tensor_list, tensor, group=None, async_op=False):
    g, member = _member(group)
    if member:
        if len(tensor_list) != g.size():
            raise ValueError("all_gather: tensor_list must hold one tensor per rank of the group")
        rows = _transport.all_gather(g, _internal.raw(tensor), what="all_gather")
        for out, row in zip(tensor_list, rows):
            _write(out, row)
    return _done(async_op, tensor_list)


def all_gather_into_tensor(output_tensor, input_tensor, group=None, async_op=False):
    g, member = _member(group)
    if member:
        if output_tensor.numel() != input_tensor.numel() * g.size():
            raise ValueError("output tensor size must be equal to world_size times input "
                             "tensor size")
        rows = _transport.all_gather(g, _internal.raw(input_tensor), what="all_gather_into_tensor")
        _write(output_tensor, rows)
    return _done(async_op, [output_tensor])


def reduce_scatter_tensor(output, input, op=ReduceOp.SUM, group=None, async_op=False):
    g, member = _member(group)
    if member:
        if input.numel() != output.numel() * g.size():
            raise ValueError("input tensor must be the same size as output size times world size")
        total = _transport.all_reduce(g, _internal.raw(input), _kind(op),
                                      what="reduce_scatter_tensor").reshape(g.size(), -1)
        _write(output, total[g.rank()])
    return _done(async_op, [output])


def reduce(tensor, dst=None, op=ReduceOp.SUM, group=None, async_op=False, group_dst=None):
    g, member = _member(group)
    if member:
        dst = _group_rank(g, dst, group_dst, "dst")
        total = _transport.all_reduce(g, _internal.raw(tensor), _kind(op), what="reduce")
        if g.rank() == dst:
            _write(tensor, total)
    return _done(async_op, [tensor])


def gather(tensor, gather_list=None, dst=None, group=None, async_op=False, group_dst=None):
    g, member = _member(group)
    if member:
        dst = _group_rank(g, 0 if dst is None and group_dst is None else dst, group_dst, "dst")
        rows = _transport.all_gather(g, _internal.raw(tensor), what="gather")
        if g.rank() == dst:
            if gather_list is None or len(gather_list) != g.size():
                raise ValueError("gather: the destination needs a gather_list of one tensor "
                                 "per rank")
            for out, row in zip(gather_list, rows):
                _write(out, row)
        elif gather_list:
            raise ValueError("Argument ``gather_list`` must NOT be specified on "
                             "non-destination ranks.")
    return _done(async_op, [tensor])


def scatter(tensor, scatter_list=None, src=None, group=None, async_op=False, group_src=None):
    g, member = _member(group)
    if member:
        src = _group_rank(g, 0 if src is None and group_src is None else src, group_src, "src")
        if g.rank() == src:
            if scatter_list is None or len(scatter_list) != g.size():
                raise ValueError("scatter: the source needs a scatter_list of one tensor per rank")
            mine = jnp.stack([_internal.raw(t) for t in scatter_list])
        else:
            if scatter_list:
                raise ValueError("Argument ``scatter_list`` must NOT be specified on "
                                 "non-source ranks.")
            raw = _internal.raw(tensor)
            mine = jnp.zeros((g.size(),) + raw.shape, raw.dtype)
        _write(tensor, _transport.all_gather(g, mine, what="scatter")[src][g.rank()])
    return _done(async_op, [tensor])


def all_to_all_single(output, input, output_split_sizes=None, input_split_sizes=None,
                      group=None, async_op=False):
    g, member = _member(group)
    if member:
        n = g.size()
        x = np.asarray(_internal.raw(input))
        splits = list(input_split_sizes) if input_split_sizes else [x.shape[0] // n] * n
        plan = np.asarray(_transport.all_gather(g, np.array(splits, np.int64),
                                                what="all_to_all_single"))
        pad = np.zeros((int(plan.sum(axis=1).max()),) + x.shape[1:], x.dtype)
        pad[:x.shape[0]] = x
        rows = np.asarray(_transport.all_gather(g, pad, what="all_to_all_single"))
        me = g.rank()
        parts = [rows[j, plan[j, :me].sum():plan[j, :me + 1].sum()] for j in range(n)]
        _write(output, np.concatenate(parts))
    return _done(async_op, [output])


def barrier(group=None, async_op=False, device_ids=None, timeout=None):
    g, member = _member(group)
    if member:
        _transport.all_reduce(g, np.zeros(1, np.int32), "sum", what="barrier").block_until_ready()
    return _done(async_op)


def _dumps(obj):
    buf = io.BytesIO()
    pickle.Pickler(buf).dump(obj)
    return buf.getvalue()


def all_gather_object(object_list, obj, group=None):
    g, member = _member(group)
    if member:
        for i, payload in enumerate(_transport.all_gather_bytes(g, _dumps(obj))):
            object_list[i] = pickle.loads(payload)


def broadcast_object_list(object_list, src=None, group=None, device=None, group_src=None):
    g, member = _member(group)
    if member:
        src = _group_rank(g, 0 if src is None and group_src is None else src, group_src, "src")
        payload = _dumps(list(object_list)) if g.rank() == src else b""
        objects = pickle.loads(_transport.all_gather_bytes(g, payload)[src])
        object_list[:] = objects
