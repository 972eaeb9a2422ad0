"""Functional max, average, adaptive and power-average pooling (1-3 d) with torch's argument
handling and error messages; the kernels are ops of ``_ops/nn_pool.py``. Re-exported by
``nn.functional`` (the other pooling forms: ``_pool_variants.py``)."""
import math

import jtorch
from .._ops import nn_pool
from ._spatial import _ntuple

__all__ = [
    "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d", "adaptive_max_pool1d",
    "adaptive_max_pool2d", "adaptive_max_pool3d", "avg_pool1d", "avg_pool2d", "avg_pool3d",
    "lp_pool1d", "lp_pool2d", "max_pool1d", "max_pool2d", "max_pool3d",
    "max_pool1d_with_indices", "max_pool2d_with_indices", "max_pool3d_with_indices"]


def _pool_args(n, input, kernel_size, stride, padding, dilation, ceil_mode, name, avg=False):
    k = _ntuple(kernel_size, n)
    s = k if stride is None or (isinstance(stride, (list, tuple)) and not stride) else \
        _ntuple(stride, n)
    p, d = _ntuple(padding, n), _ntuple(dilation, n)
    if input.dim() not in (n + 1, n + 2) or input.numel() == 0 and n > 1:
        raise RuntimeError(f"non-empty {n + 1}D or {n + 2}D (batch mode) tensor expected for "
                           "input")
    if any(v == 0 for v in s):
        raise RuntimeError("stride should not be zero")
    for kk, pp, dd in zip(k, p, d):
        if n == 1 and not avg and pp > kk // 2:
            raise RuntimeError(f"{name}() padding should be at most half of kernel size, but "
                               f"got padding={pp} and kernel_size={kk}")
        if pp > (dd * (kk - 1) + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got "
                               f"pad={pp}, kernel_size={kk} and dilation={dd}")
    out = [nn_pool.pool_out_size(size, kk, ss, pp, dd, ceil_mode)
           for size, kk, ss, pp, dd in zip(input.shape[-n:], k, s, p, d)]
    if any(o <= 0 for o in out):
        if n == 1 and not avg:
            raise RuntimeError(f"{name}() Invalid computed output size: {out[0]}")
        c = input.shape[-n - 1]
        ins, outs = list(input.shape[-n:]), out
        if n == 1:     # torch runs the 1-d pools as 2-d ones of height 1
            ins, outs = [1] + ins, [1] + outs
        raise RuntimeError(f"Given input size: ({'x'.join(map(str, [c] + ins))}). Calculated "
                           f"output size: ({'x'.join(map(str, [c] + outs))}). Output size is "
                           "too small")
    return k, s, p, d


def _max_pool(n, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices):
    k, s, p, d = _pool_args(n, input, kernel_size, stride, padding, dilation, ceil_mode,
                            f"max_pool{n}d")
    if return_indices:
        return nn_pool._max_pool_with_indices(input, k, s, p, d, ceil_mode)
    return nn_pool._max_pool(input, k, s, p, d, ceil_mode)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    return _max_pool(1, input, kernel_size, stride, padding, dilation, ceil_mode,
                     return_indices)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    return _max_pool(2, input, kernel_size, stride, padding, dilation, ceil_mode,
                     return_indices)


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    return _max_pool(3, input, kernel_size, stride, padding, dilation, ceil_mode,
                     return_indices)


max_pool1d_with_indices = max_pool1d
max_pool2d_with_indices = max_pool2d
max_pool3d_with_indices = max_pool3d


def _avg_pool(n, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
              divisor_override):
    k, s, p, _ = _pool_args(n, input, kernel_size, stride, padding, 1, ceil_mode,
                            f"avg_pool{n}d", avg=True)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    return nn_pool._avg_pool(input, k, s, p, ceil_mode, count_include_pad, divisor_override)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    return _avg_pool(1, input, kernel_size, stride, padding, ceil_mode, count_include_pad, None)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    return _avg_pool(2, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override)


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    return _avg_pool(3, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override)


def _adaptive_size(n, input, output_size, name):
    if input.dim() not in (n + 1, n + 2):
        raise RuntimeError(f"{name}(): Expected {n + 1}D or {n + 2}D tensor, but got "
                           f"{list(input.shape)}")
    out = _ntuple(output_size, n)
    return tuple(input.shape[-n + i] if o is None else int(o) for i, o in enumerate(out))


def adaptive_avg_pool1d(input, output_size):
    return nn_pool._adaptive_avg_pool(input, _adaptive_size(1, input, output_size,
                                                            "adaptive_avg_pool1d"))


def adaptive_avg_pool2d(input, output_size):
    return nn_pool._adaptive_avg_pool(input, _adaptive_size(2, input, output_size,
                                                            "adaptive_avg_pool2d"))


def adaptive_avg_pool3d(input, output_size):
    return nn_pool._adaptive_avg_pool(input, _adaptive_size(3, input, output_size,
                                                            "adaptive_avg_pool3d"))


def _adaptive_max(n, input, output_size, return_indices):
    out = nn_pool._adaptive_max_pool(input, _adaptive_size(n, input, output_size,
                                                           f"adaptive_max_pool{n}d"))
    return out if return_indices else out[0]


def adaptive_max_pool1d(input, output_size, return_indices=False):
    return _adaptive_max(1, input, output_size, return_indices)


def adaptive_max_pool2d(input, output_size, return_indices=False):
    return _adaptive_max(2, input, output_size, return_indices)


def adaptive_max_pool3d(input, output_size, return_indices=False):
    return _adaptive_max(3, input, output_size, return_indices)


def _lp_pool(n, input, norm_type, kernel_size, stride, ceil_mode):
    # torch's composition: (sign(avg) * relu(|avg|) * kernel_volume) ** (1 / p)
    k = _ntuple(kernel_size, n)
    out = _avg_pool(n, input.pow(norm_type), k, stride, 0, ceil_mode, True, None)
    return (jtorch.sign(out) * jtorch.relu(jtorch.abs(out))).mul(math.prod(k)) \
        .pow(1.0 / norm_type)


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    return _lp_pool(1, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    return _lp_pool(2, input, norm_type, kernel_size, stride, ceil_mode)
