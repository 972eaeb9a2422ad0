"""Point-to-point: send/recv, isend/irecv, P2POp and batch_isend_irecv.

XLA runs collectives only (every member runs the same program), so a message goes through
the key-value store of JAX's coordination service (served by rank 0's process): ``send``
stores the tensor's bytes under a key naming the channel (group, tag, sender, receiver) and
the message's number on it; ``recv`` waits for that key, at most the group's timeout, and
deletes it. Numbers on each channel count up on both sides, so messages between two ranks
with one tag arrive in order (as torch's). A send returns once stored (gloo's does likewise
for small tensors), so pairs of sends and receives never deadlock. Fine for control data and
small tensors; the coordinator's gRPC is not a bulk data path.
"""
import pickle
import time

import jax.numpy as jnp
import numpy as np

from .. import _internal
from ._collectives import Work
from ._state import _default

_SENT = {}          # channel -> messages sent on it by this process
_RECEIVED = {}      # channel -> messages received on it by this process


def _client():
    from jax._src import distributed as jax_dist
    client = jax_dist.global_state.client
    if client is None:
        raise RuntimeError("torch.distributed point-to-point needs more than one process: "
                           "JAX's distributed runtime is not running")
    return client


def _channel(g, tag, src, dst):
    return f"jtorch/p2p/{'-'.join(map(str, g._ranks))}/{tag}/{src}-{dst}"


def _next(counter, channel):
    n = counter.get(channel, 0)
    counter[channel] = n + 1
    return f"{channel}/{n}"


def _peer(g, rank, group_rank):
    """(group rank, global rank) of the peer, from torch's ``dst``/``group_dst`` pair."""
    if group_rank is not None:
        if rank is not None:
            raise ValueError("Can't specify both group_rank and global_rank")
        return group_rank, g._ranks[group_rank]
    if rank is None:
        raise ValueError("Must specify global_rank or group_rank")
    if rank not in g._ranks:
        raise ValueError(f"Global rank {rank} is not part of group {g}")
    return g._ranks.index(rank), rank


def _not_self(g, group_rank, kind):
    if g.rank() == group_rank:
        raise ValueError(f"Invalid {kind} rank: {kind} rank should not be the same as the rank "
                         "of the current process.")


def _payload(tensor):
    raw = _internal.raw(tensor)
    return pickle.dumps((str(raw.dtype), tuple(raw.shape), np.asarray(raw).tobytes()))


def _store(tensor, payload, src, what):
    """Write a received message into ``tensor`` in place, checking it fits."""
    dtype, shape, data = pickle.loads(payload)
    raw = _internal.raw(tensor)
    if (dtype, tuple(shape)) != (str(raw.dtype), tuple(raw.shape)):
        raise RuntimeError(f"torch.distributed.{what}: rank {src} sent a tensor of shape "
                           f"{list(shape)} and dtype {dtype}, but the receiving tensor has shape "
                           f"{list(raw.shape)} and dtype {raw.dtype}: the sizes must match")
    values = np.frombuffer(data, dtype=jnp.dtype(dtype)).reshape(shape)
    _internal.replace_values_(tensor, jnp.asarray(values))


class _RecvWork:
    """irecv's handle: ``wait()`` receives (blocking at most the group's timeout)."""

    def __init__(self, tensor, g, tag, src):
        self._tensor, self._g, self._tag, self._src = tensor, g, tag, src
        self._done = False
        self._source = None

    def _poll(self, deadline):
        """The (sender global rank, payload) of the next message, or None past ``deadline``."""
        client, me = _client(), self._g._ranks[self._g.rank()]
        sources = [self._src] if self._src is not None else \
            [r for r in self._g._ranks if r != me]
        while True:
            for src in sources:
                channel = _channel(self._g, self._tag, src, me)
                key = f"{channel}/{_RECEIVED.get(channel, 0)}"
                try:
                    payload = client.key_value_try_get_bytes(key)
                except Exception:      # NOT_FOUND: not sent yet (JaxRuntimeError)
                    continue
                _next(_RECEIVED, channel)
                client.key_value_delete(key)
                return src, payload
            if time.monotonic() > deadline:
                return None
            time.sleep(0.002)

    def wait(self, timeout=None):
        if self._done:
            return True
        seconds = self._g._timeout.total_seconds() if timeout is None else \
            timeout.total_seconds()
        got = self._poll(time.monotonic() + seconds)
        if got is None:
            raise RuntimeError(f"torch.distributed.recv: Timed out waiting {int(seconds * 1000)}ms "
                               "for recv operation to complete (no message from rank "
                               f"{'any' if self._src is None else self._src})")
        self._source, payload = got
        _store(self._tensor, payload, self._source, "recv")
        self._done = True
        return True

    def is_completed(self):
        return self._done

    def is_success(self):
        return self._done

    def result(self):
        return [self._tensor]

    def _source_rank(self):
        self.wait()
        return self._g._ranks.index(self._source)


def isend(tensor, dst=None, group=None, tag=0, group_dst=None):
    g = _default(group)
    _, peer = _peer(g, dst, group_dst)
    if g.rank() < 0:
        return None
    me = g._ranks[g.rank()]
    _client().key_value_set_bytes(_next(_SENT, _channel(g, tag, me, peer)), _payload(tensor))
    return Work()     # (the message is already stored)


def irecv(tensor, src=None, group=None, tag=0, group_src=None):
    g = _default(group)
    if g.rank() < 0:
        return None
    peer = None if src is None and group_src is None else \
        _peer(g, src, group_src)[1]
    return _RecvWork(tensor, g, tag, peer)


def send(tensor, dst=None, group=None, tag=0, group_dst=None):
    g = _default(group)
    _not_self(g, _peer(g, dst, group_dst)[0], "destination")
    work = isend(tensor, dst, group, tag, group_dst)
    if work is not None:
        work.wait()


def recv(tensor, src=None, group=None, tag=0, group_src=None):
    """Receive into ``tensor``; returns the sender's global rank (-1 outside ``group``)."""
    g = _default(group)
    if src is not None or group_src is not None:
        _not_self(g, _peer(g, src, group_src)[0], "source")
    work = irecv(tensor, src, group, tag, group_src)
    if work is None:
        return -1
    work.wait()
    return work._source


class P2POp:
    """One isend or irecv for ``batch_isend_irecv``."""

    def __init__(self, op, tensor, peer=None, group=None, tag=0, group_peer=None):
        if op not in (isend, irecv):
            raise ValueError("Invalid ``op``. Expected ``op`` to be of type "
                             "``torch.distributed.isend`` or ``torch.distributed.irecv``.")
        self.op, self.tensor, self.tag = op, tensor, tag
        self.group = _default(group)
        self.group_peer, self.peer = _peer(self.group, peer, group_peer)


def batch_isend_irecv(p2p_op_list):
    """Start every op (sends first: they never block) and return their works in list order."""
    if not p2p_op_list or not all(isinstance(p, P2POp) for p in p2p_op_list):
        raise ValueError("Invalid ``p2p_op_list``. Each op is expected to to be of type "
                         "``torch.distributed.P2POp``.")
    works = [None] * len(p2p_op_list)
    order = sorted(range(len(p2p_op_list)), key=lambda i: p2p_op_list[i].op is not isend)
    for i in order:
        p = p2p_op_list[i]
        works[i] = p.op(p.tensor, group=p.group, tag=p.tag,
                        **{"group_dst" if p.op is isend else "group_src": p.group_peer})
    return works
