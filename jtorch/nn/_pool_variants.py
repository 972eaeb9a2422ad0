"""The pooling forms of torch.nn.functional beyond the plain pools of ``_pooling.py``: the
``*_with_indices`` names, lp_pool3d, max_unpool and fractional max pooling. Compositions follow
torch's own op order so values, gradients and grad_fn names match."""
import math

import numpy as np

import jtorch
from .._ops import nn_unpool
from ._pooling import _avg_pool
from ._spatial import _ntuple

__all__ = [
    "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices",
    "adaptive_max_pool3d_with_indices", "lp_pool3d", "max_unpool1d", "max_unpool2d",
    "max_unpool3d", "fractional_max_pool2d", "fractional_max_pool3d",
    "fractional_max_pool2d_with_indices", "fractional_max_pool3d_with_indices"]


def adaptive_max_pool1d_with_indices(input, output_size, return_indices=False):
    from .functional import adaptive_max_pool1d
    return adaptive_max_pool1d(input, output_size, True)


def adaptive_max_pool2d_with_indices(input, output_size, return_indices=False):
    from .functional import adaptive_max_pool2d
    return adaptive_max_pool2d(input, output_size, True)


def adaptive_max_pool3d_with_indices(input, output_size, return_indices=False):
    from .functional import adaptive_max_pool3d
    return adaptive_max_pool3d(input, output_size, True)


def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    # torch's composition: (sign(avg) * relu(|avg|) * kernel_volume) ** (1 / p)
    k = _ntuple(kernel_size, 3)
    out = _avg_pool(3, input.pow(norm_type), k, stride, 0, ceil_mode, True, None)
    return (jtorch.sign(out) * jtorch.relu(jtorch.abs(out))).mul(math.prod(k)) \
        .pow(1.0 / norm_type)


def _unpool_size(n, input, kernel_size, stride, padding, output_size):
    k = _ntuple(kernel_size, n)
    s = k if stride is None else _ntuple(stride, n)
    p = _ntuple(padding, n)
    spatial = input.shape[-n:]
    default = [(spatial[i] - 1) * s[i] + k[i] - 2 * p[i] for i in range(n)]
    if output_size is None:
        return tuple(default)
    out = list(output_size)
    if len(out) == n + 2:
        out = out[2:]
    elif len(out) == n + 1 and len(out) != n:
        out = out[1:]
    if len(out) != n:
        raise ValueError(f"output_size should be a sequence containing {n} or {n + 2} elements, "
                         f"but it has a length of '{len(output_size)}'")
    for d in range(n):
        lo, hi = default[d] - s[d], default[d] + s[d]
        if not lo < out[d] < hi:
            raise ValueError(f'invalid output_size "{tuple(output_size)}" (dim {d} must be '
                             f"between {lo} and {hi})")
    return tuple(int(v) for v in out)


def _max_unpool(n, input, indices, kernel_size, stride, padding, output_size):
    size = _unpool_size(n, input, kernel_size, stride, padding, output_size)
    if indices.dtype != jtorch.int64:
        raise RuntimeError(f"elements in indices should be type int64 but got: "
                           f"{str(indices.dtype)[6:].capitalize()}")
    if tuple(indices.shape) != tuple(input.shape):
        raise RuntimeError("Expected shape of indices to be same as that of the input tensor")
    plane = math.prod(size)
    if indices.numel():
        top = int(indices.max().item())
        low = int(indices.min().item())
        if top >= plane or low < 0:
            bad = top if top >= plane else low
            raise RuntimeError(f"Found an invalid max index: {bad} (output volumes are of size "
                               f"{'x'.join(map(str, size))})")
    if n == 1:      # torch runs the 1-d unpool through the 2-d kernel, then squeezes
        out = nn_unpool._max_unpool(input.unsqueeze(-2), indices.unsqueeze(-2), (1,) + size)
        return out.squeeze(-2)
    return nn_unpool._max_unpool(input, indices, size)


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    return _max_unpool(1, input, indices, kernel_size, stride, padding, output_size)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    return _max_unpool(2, input, indices, kernel_size, stride, padding, output_size)


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    return _max_unpool(3, input, indices, kernel_size, stride, padding, output_size)


# ------------------------------------------------------------------ fractional max pooling
def _intervals(sample, size, out, k, np_dtype):
    """torch's window starts along one dim: from the plane's uniform sample, computed in the
    input's floating type."""
    if out > 1:
        alpha = np_dtype(size - k) / np_dtype(out - 1)
        s = np_dtype(sample)
        seq = [int((np_dtype(i) + s) * alpha) - int(s * alpha) for i in range(out - 1)]
    else:
        seq = []
    return tuple(seq + [size - k])


_FRACTIONAL_DIM_MSG = {
    2: "fractional_max_pool2d(): Expected 3D or 4D tensor, but got: {}",
    3: "fractional_max_pool3d_out(): Expected 4D or 5D tensor, but got: {}"}


def _check_samples(input, samples, n):
    """torch's errors for ``_random_samples`` that do not fit the input (one row of ``n``
    draws per batch entry and channel, in the input's dtype)."""
    if samples.dtype != input.dtype:
        raise RuntimeError("Expect _random_samples to have the same dtype as input")
    if samples.dim() != 3:
        raise RuntimeError(f"Expect _random_samples to have 3 dimensions, got {samples.dim()}")
    if input.dim() == n + 2 and samples.shape[0] < input.shape[0]:
        raise RuntimeError("Expect _random_samples.size(0) no less than input batch size.")
    if samples.shape[1] != input.shape[-n - 1]:
        raise RuntimeError("Expect _random_samples.size(1) equals to input channel size.")
    if samples.shape[2] != n:
        raise RuntimeError(f"Expect _random_samples.size(2) equals to {n}; got "
                           f"{samples.shape[2]}.")


def _fractional(n, input, kernel_size, output_size, output_ratio, return_indices, samples):
    name = f"fractional_max_pool{n}d"
    if output_size is None and output_ratio is None:
        raise ValueError(f"{name} requires specifying either an output_size or an output_ratio")
    if output_size is None:
        if n == 2 and len(output_ratio) > 2:
            raise ValueError(f"{name} requires output_ratio to either be a single Int or tuple "
                             "of Ints.")
        ratio = _ntuple(output_ratio, n)
        output_size = [int(input.size(-n + d) * ratio[d]) for d in range(n)]
    k, out = _ntuple(kernel_size, n), _ntuple(output_size, n)
    if samples is None:
        batch = 1 if input.dim() == n + 1 else input.size(0)
        samples = jtorch.rand(batch, input.size(-n - 1), n, dtype=input.dtype)
    if input.dim() not in (n + 1, n + 2):
        raise RuntimeError(_FRACTIONAL_DIM_MSG[n].format(list(input.shape), input.dim()))
    _check_samples(input, samples, n)
    spatial = input.shape[-n:]
    dims = ("time", "height", "width")[3 - n:]
    for d in range(n):
        # torch's 3-d kernel wants a strictly smaller span than the input
        if out[d] + k[d] - 1 > spatial[d] - (n == 3):
            raise RuntimeError(f"{name}{'_out' * (n == 3)}(): pool {dims[d]} {k[d]} too large "
                               f"relative to input {dims[d]} {spatial[d]}")
    np_dtype = np.float64 if input.dtype == jtorch.float64 else np.float32
    # (torch reads the first rows: one per batch entry, one for an unbatched input)
    rows = 1 if input.dim() == n + 1 else input.shape[0]
    draws = np.asarray(samples.detach()[:rows]._value()).reshape(-1, n)
    # a plane's samples go (width, height) in 2-d and (time, height, width) in 3-d
    order = (1, 0) if n == 2 else (0, 1, 2)
    starts = tuple(tuple(_intervals(row[order[d]], spatial[d], out[d], k[d], np_dtype)
                         for d in range(n)) for row in draws)
    values, indices = nn_unpool._fractional_max_pool(input, starts, k)
    return (values, indices) if return_indices else values


def fractional_max_pool2d_with_indices(input, kernel_size, output_size=None, output_ratio=None,
                                       return_indices=False, _random_samples=None):
    return _fractional(2, input, kernel_size, output_size, output_ratio, True, _random_samples)


def fractional_max_pool3d_with_indices(input, kernel_size, output_size=None, output_ratio=None,
                                       return_indices=False, _random_samples=None):
    return _fractional(3, input, kernel_size, output_size, output_ratio, True, _random_samples)


def fractional_max_pool2d(input, kernel_size, output_size=None, output_ratio=None,
                          return_indices=False, _random_samples=None):
    return _fractional(2, input, kernel_size, output_size, output_ratio, return_indices,
                       _random_samples)


def fractional_max_pool3d(input, kernel_size, output_size=None, output_ratio=None,
                          return_indices=False, _random_samples=None):
    return _fractional(3, input, kernel_size, output_size, output_ratio, return_indices,
                       _random_samples)
