"""torch's underscore ops that its OpInfo database tests (``torch._chunk_cat``,
``torch._unsafe_masked_index``, ``torch._unsafe_masked_index_put_accumulate``) and
``torch.hash_tensor``, composed from public ops as torch's own decompositions are, so their
gradients come from those ops."""
import math

import numpy as np

import jtorch


def _clamped(indices, shape):
    """The index tensors clamped into range (the masked positions may hold anything: the
    "unsafe" ops read them, then mask the result)."""
    return tuple(None if i is None else i.clamp(-n, n - 1) for i, n in zip(indices, shape))


def _unsafe_masked_index(input, mask, indices, fill):
    """``input[indices]`` where ``mask`` holds, ``fill`` elsewhere."""
    idx = tuple(slice(None) if i is None else i for i in _clamped(indices, input.shape))
    return input[idx].masked_fill(mask.logical_not(), fill)


def _unsafe_masked_index_put_accumulate(input, mask, indices, values):
    """``input`` with ``values`` added at ``indices`` where ``mask`` holds (repeats add up)."""
    return input.index_put(_clamped(indices, input.shape),
                           values.masked_fill(mask.logical_not(), 0), accumulate=True)


def _chunk_cat(tensors, dim, num_chunks, *, out=None):
    """Each tensor cut into ``num_chunks`` chunks along ``dim`` (zero-padded to equal
    chunks), chunk ``k`` of every tensor flattened and concatenated into row ``k``: the
    result has the leading dims, then ``num_chunks``, then the concatenated chunks."""
    ndim = tensors[0].dim()
    d = dim + ndim if dim < 0 else dim
    parts = []
    for t in tensors:
        size = t.shape[d]
        padded = math.ceil(size / num_chunks) * num_chunks
        if padded != size:
            pad = list(t.shape)
            pad[d] = padded - size
            t = jtorch.cat([t, t.new_zeros(pad)], d)
        parts.append(t.reshape(tuple(t.shape[:d]) + (num_chunks, -1)))
    res = jtorch.cat(parts, d + 1)
    if out is not None:
        return out.resize_(res.shape).copy_(res)
    return res


def hash_tensor(input, dim=None, *, keepdim=False, mode=0, out=None):
    """The XOR of the elements' 64-bit patterns (floats as float64, integers and bools as
    int64), a uint64 tensor reduced over ``dim`` (all dims by default)."""
    host = np.asarray(input._host())
    wide = host.astype(np.float64 if input.dtype.is_floating_point else np.int64)
    bits = np.require(wide, requirements="C").view(np.uint64)  # (0-d stays 0-d)
    axis = None if dim is None or dim == () else \
        tuple(dim) if isinstance(dim, (tuple, list)) else dim
    res = np.bitwise_xor.reduce(bits, axis=axis, keepdims=keepdim) if bits.ndim else \
        np.asarray(bits)
    res = jtorch.tensor(np.asarray(res, np.uint64), dtype=jtorch.uint64)
    if out is not None:
        return out.resize_(res.shape).copy_(res)
    return res


_SEGMENT_IDENTITY = {"sum": 0.0, "mean": 0.0, "prod": 1.0, "max": -math.inf, "min": math.inf}
_SCATTER = {"sum": "sum", "mean": "sum", "prod": "prod", "max": "amax", "min": "amin"}


def segment_reduce(data, reduce, *, lengths=None, indices=None, offsets=None, axis=0,
                   unsafe=False, initial=None):
    """Reductions of consecutive segments along ``axis`` (sizes from ``lengths``, or
    boundaries from ``offsets``); ``initial`` joins every segment (an empty one is
    ``initial``, else the reduction's identity, NaN for mean)."""
    if reduce not in _SCATTER:
        raise RuntimeError(f"reduction {reduce} not supported")
    axis = axis + data.dim() if axis < 0 else axis
    if offsets is None:
        if lengths is None:
            raise RuntimeError("segment_reduce(): Either lengths or offsets must be defined")
        lens = np.asarray(lengths._host(), np.int64)
        offs = np.concatenate([np.zeros(lens.shape[:-1] + (1,), np.int64),
                               np.cumsum(lens, -1)], -1)
    else:
        offs = np.asarray(offsets._host(), np.int64)
    n = data.shape[axis]
    # the segment of each position along ``axis``, per leading index
    seg = (np.arange(n)[..., None] >= offs[..., None, 1:]).sum(-1)
    seg = seg.reshape(seg.shape + (1,) * (data.dim() - axis - 1))
    index = jtorch.tensor(np.broadcast_to(seg, tuple(data.shape)).copy())
    out_shape = tuple(data.shape[:axis]) + (offs.shape[-1] - 1,) + tuple(data.shape[axis + 1:])
    start = _SEGMENT_IDENTITY[reduce] if initial is None else initial
    base = jtorch.full(out_shape, start, dtype=data.dtype)
    res = base.scatter_reduce(axis, index, data, _SCATTER[reduce], include_self=True)
    if reduce == "mean":
        counts = np.diff(offs, axis=-1).reshape(offs.shape[:-1] + (-1,) +
                                                (1,) * (data.dim() - axis - 1))
        counts = jtorch.tensor(np.broadcast_to(counts, out_shape).copy(), dtype=data.dtype)
        empty_value = math.nan if initial is None else initial
        res = jtorch.where(counts == 0, jtorch.full_like(res, empty_value), res / counts)
    return res


_segment_reduce = segment_reduce
