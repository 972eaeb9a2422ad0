"""Bucketing and counting: searchsorted, bucketize, bincount, histc.

Argument checks are torch's, in its order. bincount's length (``max(input) + 1`` or
``minlength``) and histc's range when min == max are data-dependent: they are read on the
host, as torch's CPU kernels read them.
"""
import builtins

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtypes
from .._creation import tensor
from .._tensor import Tensor
from .gather_scatter import gather
from .._out_arg import result_into as write_out
from .index_common import host, tname
from .registry import Promotion, composite, op

_NUMBER = (bool, int, float, complex)


def _arg_type(name, param, expected, value):
    """torch's argument-parser TypeError for a keyword-like parameter of the wrong type."""
    return TypeError(f"{name}(): argument '{param}' must be {expected}, not "
                     f"{type(value).__name__}")


def _bisect(seq, x, right):
    """torch's binary search (cus_lower_bound / cus_upper_bound), vectorised: NaN compares
    false, so the result is the same as torch's even for sequences holding NaN."""
    n = seq.shape[-1]
    rows = seq if seq.ndim == 1 else seq[..., None, :]
    rows = jnp.broadcast_to(rows, jnp.shape(x) + (n,))
    start = jnp.zeros(jnp.shape(x), jnp.int64)
    end = jnp.full(jnp.shape(x), n, jnp.int64)
    if n == 0:
        return start
    for _ in range(n.bit_length() + 1):
        active = start < end
        mid = start + ((end - start) >> 1)
        mv = jnp.take_along_axis(rows, jnp.clip(mid, 0, n - 1)[..., None], -1)[..., 0]
        go_right = ~(mv > x) if right else ~(mv >= x)
        start = jnp.where(active & go_right, mid + 1, start)
        end = jnp.where(active & ~go_right, mid, end)
    return start


@op(variants="", tensors=("sorted_sequence", "input"), promote=Promotion.NONE, grad_fn=None,
    name="_searchsorted")
def _searchsorted(sorted_sequence, input, right=False, out_int32=False):
    res = _bisect(sorted_sequence, jnp.asarray(input), right)
    return res.astype(jnp.int32 if out_int32 else jnp.int64)


def _common(name, seq, x, position):
    """The boundaries and the values, cast to torch's common dtype."""
    if not isinstance(x, (Tensor,) + _NUMBER):
        raise TypeError(f"{name}(): argument 'input' (position {position}) must be Tensor, not "
                        f"{type(x).__name__}")
    ops = [(seq.dtype, "dim" if seq.dim() else "zero")]
    if isinstance(x, Tensor):
        ops.append((x.dtype, "dim" if x.dim() else "zero"))
    else:
        ops.append((_dtypes.scalar_dtype(x), "wrapped"))
    dt = _dtypes.result_type_of(ops)
    seq = seq if seq.dtype is dt else seq.to(dt)
    if isinstance(x, Tensor):
        x = x if x.dtype is dt else x.to(dt)
    else:
        x = tensor(x, dtype=dt)
    return seq, x


def _check_side(right, side):
    if side not in ("left", "right"):
        raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got "
                           f"{side}")
    if right and side == "left":
        raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, "
                           "got side of left while right was True")
    return side == "right"


def _check_sorter(seq, sorter):
    if tuple(sorter.shape) != tuple(seq.shape):
        raise RuntimeError(f"torch.searchsorted(): boundary and sorter must have the same size, "
                           f"but got boundary tensor {list(seq.shape)}and got sorter tensor "
                           f"{list(sorter.shape)}")
    if sorter.dtype is not _dtypes.int64:
        raise RuntimeError(f"torch.searchsorted(): sorter must be a tensor of long dtype but "
                           f"got dtype {tname(sorter)}")
    h = host(sorter)
    if h.size and (h.min() < 0 or h.max() >= seq.shape[-1]):
        raise RuntimeError("torch.searchsorted(): sorter index out of range")


def _check_shapes(seq, x):
    xdim = x.dim() if isinstance(x, Tensor) else 0
    xnumel = x.numel() if isinstance(x, Tensor) else 1
    if xdim == 0 and seq.dim() != 1:
        raise RuntimeError(f"torch.searchsorted(): input value can be a scalar only when "
                           f"boundaries tensor dimension is 1, but we got boundaries tensor "
                           f"dim({seq.dim()}) and input value's dim({xdim}) numel({xnumel})")
    if seq.dim() == 0:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive "
                           "dimension, but got 0 dimension")
    if seq.dim() > 1 and tuple(seq.shape[:-1]) != tuple(x.shape[:-1]):
        raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or "
                           "the first N-1 dimensions of boundaries tensor and input value "
                           f"tensor must match, but we got boundaries tensor "
                           f"{list(seq.shape)} and input value tensor {list(x.shape)}")


@composite(variants="function")
def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None,
                 sorter=None, out=None):
    """Indices where ``input`` values would be inserted to keep ``sorted_sequence`` sorted
    (per row for an N-D sequence)."""
    if side is not None:
        right = _check_side(right, side)
    if sorter is not None:
        _check_sorter(sorted_sequence, sorter)
    if isinstance(input, (Tensor,) + _NUMBER):
        _check_shapes(sorted_sequence, input)
    if sorter is not None:
        sorted_sequence = gather(sorted_sequence, sorted_sequence.dim() - 1, sorter)
    seq, x = _common("searchsorted", sorted_sequence, input, 2)
    return write_out(_searchsorted(seq, x, right, out_int32), out)


@composite(variants="function")
def bucketize(input, boundaries, *, out_int32=False, right=False, out=None):
    """The bucket of each element of ``input`` among the 1-D ``boundaries``."""
    if boundaries.dim() != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim("
                           f"{boundaries.dim()})")
    seq, x = _common("bucketize", boundaries, input, 1)
    return write_out(_searchsorted(seq, x, right, out_int32), out)


@composite()
def bincount(input, weights=None, minlength=0):
    """Count of each non-negative integer in a 1-D tensor (summed ``weights`` if given); the
    length, ``max(input) + 1`` or ``minlength``, is read on the host."""
    if not isinstance(minlength, int):
        raise _arg_type("bincount", "minlength", "int", minlength)
    if not _dtypes.is_integral(input.dtype, include_bool=True):
        raise NotImplementedError(f'"bincount_cpu" not implemented for \'{tname(input)}\'')
    h = host(input)
    if input.dim() != 1 or (h.size and h.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    n = builtins.max(int(h.max()) + 1 if h.size else 0, minlength)
    if weights is None:
        return Tensor._make(jax.device_put(np.bincount(h.astype(np.int64), minlength=n)
                                        .astype(np.int64)))
    if weights.dim() != 1 or weights.shape[0] != input.shape[0]:
        raise RuntimeError("weights should be 1-d and have the same length as input")
    # float32 and float64 weights keep their dtype, everything else sums in float64
    wdt = weights.dtype if weights.dtype in (_dtypes.float32, _dtypes.float64) else \
        _dtypes.float64
    w = np.asarray(weights._value()).astype(np.float64)
    res = np.bincount(h.astype(np.int64), weights=w, minlength=n).astype(wdt._np)
    return Tensor._make(jax.device_put(res), wdt)


@op(variants="", promote=Promotion.NONE, grad_fn=None, name="_histc")
def _histc(input, bins, lo, hi):
    x = input.reshape(-1)
    dt = x.dtype
    lo_t = jnp.asarray(lo, dt)
    hi_t = jnp.asarray(hi, dt)
    inside = (x >= lo_t) & (x <= hi_t)
    # torch's LINEAR_INTERPOLATION: (elt - lo) * bins / (hi - lo), truncated
    pos = (x - lo_t) * jnp.asarray(bins, dt) / (hi_t - lo_t)
    pos = jnp.where(inside, pos, 0).astype(jnp.int64)
    pos = jnp.where(pos == bins, bins - 1, pos)
    return jnp.zeros((bins,), dt).at[pos].add(inside.astype(dt))


def _fmt(v):
    if v != v:
        return "-nan"
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:g}"


@composite()
def histc(input, bins=100, min=0, max=0, *, out=None):
    """Histogram with ``bins`` equal bins over [min, max] (the data's range when both are
    equal); elements outside are ignored."""
    if not isinstance(bins, int):
        raise _arg_type("histc", "bins", "int", bins)
    for param, v in (("min", min), ("max", max)):
        if not isinstance(v, _NUMBER):
            raise _arg_type("histc", param, "Number", v)
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"histogram_cpu" not implemented for \'{tname(input)}\'')
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    lo, hi = float(min), float(max)
    if lo == hi and input.numel():
        h = host(input).astype(np.float64)
        lo, hi = float(h.min()), float(h.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{_fmt(lo)}, {_fmt(hi)}] is not finite")
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    # the edges are linspace(lo, hi) in the input's dtype: its first and last elements
    dt = input.dtype._np
    lo_c, hi_c = float(np.asarray(lo).astype(dt)), float(np.asarray(hi).astype(dt))
    return write_out(_histc(input, int(bins), lo_c, hi_c), out)
