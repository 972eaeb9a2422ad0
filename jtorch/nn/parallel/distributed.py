"""nn.parallel.DistributedDataParallel: one model replica per rank, gradients averaged across
ranks during backward.

Construction broadcasts rank 0's parameters and buffers. Parameters are grouped into buckets
(reverse registration order, ``bucket_cap_mb`` each, as torch); each parameter's
post-accumulate-grad hook marks it ready, and a full bucket is averaged with one all-reduce of
its flattened gradients. Buckets left incomplete (unused parameters) are reduced when the
backward pass ends, their missing gradients counting as zeros.
"""
import contextlib

import jax.numpy as jnp
import numpy as np

from ... import _internal
import jtorch
from ... import distributed as dist
from ...autograd import engine
from ..modules.module import Module

_MB = 1024 * 1024


def _sync_from_rank0(group, tensors):
    """Overwrite ``tensors`` with rank 0's values: one collective per dtype."""
    by_dtype = {}
    for t in tensors:
        by_dtype.setdefault(str(_internal.raw(t).dtype), []).append(t)
    for same in by_dtype.values():
        flat = _flat([_internal.raw(t) for t in same], same[0].device)
        dist.broadcast(flat, src=dist.get_global_rank(group, 0), group=group)
        if group.rank() != 0 or jtorch.compiler.is_compiling():
            _scatter_flat(same, _internal.raw(flat))    # (compiled: one program on all ranks)


def _flat(arrays, device):
    """One 1-d tensor holding ``arrays`` back to back (a bucket's collective buffer)."""
    return _internal.from_raw(jnp.concatenate([jnp.ravel(a) for a in arrays]), device)


def _scatter_flat(tensors, flat):
    offset = 0
    for t in tensors:
        n = t.numel()
        _internal.replace_values_(t, flat[offset:offset + n].reshape(tuple(t.shape)))
        offset += n


def _buckets(params, cap_bytes):
    """Parameters (reverse order) grouped by dtype into buckets of at most ``cap_bytes``."""
    buckets, sizes = [], []
    for p in reversed(params):
        nbytes = p.numel() * p.element_size()
        for i, b in enumerate(buckets):
            if b[0].dtype == p.dtype and sizes[i] + nbytes <= cap_bytes:
                b.append(p)
                sizes[i] += nbytes
                break
        else:
            buckets.append([p])
            sizes.append(nbytes)
    return buckets


class DistributedDataParallel(Module):
    def __init__(self, module, device_ids=None, output_device=None, dim=0,
                 broadcast_buffers=True, init_sync=True, process_group=None,
                 bucket_cap_mb=None, find_unused_parameters=False, check_reduction=False,
                 gradient_as_bucket_view=False, static_graph=False,
                 delay_all_reduce_named_params=None,
                 param_to_hook_all_reduce=None, mixed_precision=None, device_mesh=None,
                 skip_all_reduce_unused_params=False):
        super().__init__()
        self.module = module
        dist.get_world_size(process_group)          # torch's error before init_process_group
        self.process_group = process_group or dist.group.WORLD
        self.device_ids = device_ids
        self.output_device = output_device
        self.dim = dim
        self.broadcast_buffers = broadcast_buffers
        self.find_unused_parameters = find_unused_parameters
        self.bucket_bytes_cap = int((25 if bucket_cap_mb is None else bucket_cap_mb) * _MB)
        self.require_backward_grad_sync = True
        params = [p for p in module.parameters() if p.requires_grad]
        if init_sync:
            _sync_from_rank0(self.process_group, list(module.parameters()) + list(module.buffers()))
        self._buckets = _buckets(params, self.bucket_bytes_cap)
        self._bucket_of = {id(p): i for i, b in enumerate(self._buckets) for p in b}
        self._ready = [set() for _ in self._buckets]
        self._callback_queued = False
        self._handles = [p.register_post_accumulate_grad_hook(self._grad_ready) for p in params]

    def forward(self, *inputs, **kwargs):
        # a new iteration (as torch's reducer prepares for backward): nothing is pending,
        # also after a backward that raised (a compiled step's first trace stops at the
        # all-reduce and traces again over the ranks: jtorch.compiler._ranks)
        self._ready = [set() for _ in self._buckets]
        self._callback_queued = False
        if self.broadcast_buffers and self.training:
            buffers = list(self.module.buffers())
            if buffers:
                _sync_from_rank0(self.process_group, buffers)
        return self.module(*inputs, **kwargs)

    @contextlib.contextmanager
    def no_sync(self):
        """Gradients accumulate locally inside; the next synced backward averages the sum."""
        old = self.require_backward_grad_sync
        self.require_backward_grad_sync = False
        try:
            yield
        finally:
            self.require_backward_grad_sync = old

    def _grad_ready(self, param):
        if not self.require_backward_grad_sync:
            return
        i = self._bucket_of[id(param)]
        self._ready[i].add(id(param))
        if not self._callback_queued:
            self._callback_queued = True
            engine.queue_callback(self._finish_backward)
        if len(self._ready[i]) == len(self._buckets[i]):
            self._reduce_bucket(i)

    def _finish_backward(self):
        self._callback_queued = False
        for i, ready in enumerate(self._ready):
            if ready:
                self._reduce_bucket(i)

    def _reduce_bucket(self, i):
        """Average bucket ``i``'s gradients over the group with one all-reduce."""
        bucket = self._buckets[i]
        self._ready[i] = set()
        parts = [_internal.raw(p.grad) if p.grad is not None
                 else jnp.zeros(p.numel(), _internal.raw(p).dtype) for p in bucket]
        flat = _flat(parts, bucket[0].device)
        dist.all_reduce(flat, group=self.process_group)
        mean = _internal.raw(flat) / self.process_group.size()
        offset = 0
        for p in bucket:
            n = p.numel()
            piece = mean[offset:offset + n].reshape(tuple(p.shape))
            offset += n
            if p.grad is not None:
                _internal.replace_values_(p.grad, piece)
            elif bool(np.any(np.asarray(piece))):
                p.grad = _internal.from_raw(piece, p.device)

    def __getstate__(self):
        raise RuntimeError("DistributedDataParallel is not picklable: save ddp.module instead")


DDP = DistributedDataParallel
__all__ = ["DistributedDataParallel"]
