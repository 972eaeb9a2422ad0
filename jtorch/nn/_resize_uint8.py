"""torch's native uint8 resize (CPU bilinear and bicubic), which torchvision v2 calls on AVX2
machines instead of the float32 round trip: separable passes, width first, each rounding to
uint8; per axis, filter weights computed in float64 (PIL-style normalised windows, or for plain
bicubic the a=-0.75 taps with out-of-range taps merged into the border one), held as int16
fixed point at the largest precision under which the biggest weight fits. Computed on the host
with NumPy (a data-pipeline kernel, integer arithmetic throughout)."""
import math

import numpy as np


def _triangle(x):
    x = abs(x)
    return 1.0 - x if x < 1.0 else 0.0


def _cubic(x, a):
    """The Keys cubic kernel with parameter ``a``, in torch's evaluation order."""
    x = abs(x)
    if x < 1.0:
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0
    if x < 2.0:
        return ((a * x - 5.0 * a) * x + 8.0 * a) * x - 4.0 * a
    return 0.0


def _keys_cubic(x):
    return _cubic(x, -0.5)     # PIL's (the antialiased windows)


def _plain_cubic(x):
    return _cubic(x, -0.75)    # torch's non-antialiased bicubic


def _cubic_weights(in_size, out_size):
    """Plain bicubic taps: 4 around the source point, a tap past the border adding its
    weight to the border pixel's (index clamping, with the weights merged before rounding)."""
    scale = in_size / out_size
    index = np.zeros((out_size, 4), dtype=np.int64)
    weights = np.zeros((out_size, 4), dtype=np.float64)
    for i in range(out_size):
        src = scale * (i + 0.5) - 0.5
        f = math.floor(src)
        t = src - f
        lo = min(max(f - 1, 0), max(in_size - 4, 0))
        index[i] = np.minimum(lo + np.arange(4), in_size - 1)
        for k in range(4):
            pos = min(max(f - 1 + k, 0), in_size - 1)
            weights[i, pos - lo] += _plain_cubic(t - (k - 1))
    return index, weights, float(weights.max())


def _window_weights(in_size, out_size, filt, interp_size, antialias):
    """PIL-style taps: a window of the (stretched when antialiasing) filter, normalised."""
    scale = in_size / out_size
    wide = antialias and scale >= 1.0
    support = (interp_size / 2) * scale if wide else interp_size / 2
    invscale = 1.0 / scale if wide else 1.0
    taps = int(math.ceil(support)) * 2 + 1
    index = np.zeros((out_size, taps), dtype=np.int64)
    weights = np.zeros((out_size, taps), dtype=np.float64)
    wt_max = 0.0
    for i in range(out_size):
        center = scale * (i + 0.5)
        xmin = max(int(center - support + 0.5), 0)
        xsize = min(max(min(int(center + support + 0.5), in_size) - xmin, 0), taps)
        w = [filt((j + xmin - center + 0.5) * invscale) for j in range(xsize)]
        total = 0.0
        for v in w:
            total += v
        if total != 0.0:
            w = [v / total for v in w]
            wt_max = max([wt_max] + w)
        index[i, :xsize] = np.arange(xmin, xmin + xsize)
        weights[i, :xsize] = w
    return index, weights, wt_max


def _axis_weights(in_size, out_size, mode, antialias):
    """(source index [out, taps], int weights [out, taps], precision) for one axis."""
    if mode == "bicubic" and not antialias:
        index, weights, wt_max = _cubic_weights(in_size, out_size)
    elif mode == "bicubic":
        index, weights, wt_max = _window_weights(in_size, out_size, _keys_cubic, 4, True)
    else:
        index, weights, wt_max = _window_weights(in_size, out_size, _triangle, 2, antialias)
    precision = 0
    while precision < 22 and int(0.5 + wt_max * (1 << (precision + 1))) < (1 << 15):
        precision += 1
    scaled = weights * (1 << precision)
    # round half away from zero, as the C casts of (w * 2^p +- 0.5) do
    fixed = np.where(scaled < 0, np.trunc(scaled - 0.5), np.trunc(scaled + 0.5)).astype(np.int64)
    return index, fixed, precision


def _pass(arr, axis, out_size, mode, antialias):
    index, fixed, precision = _axis_weights(arr.shape[axis], out_size, mode, antialias)
    src = np.moveaxis(arr, axis, -1).astype(np.int64)
    acc = np.full(src.shape[:-1] + (out_size,), 1 << (precision - 1), dtype=np.int64)
    for j in range(index.shape[1]):
        acc += src[..., index[:, j]] * fixed[:, j]
    out = np.clip(acc >> precision, 0, 255).astype(np.uint8)
    return np.moveaxis(out, -1, axis)


def supported(mode, antialias):
    return mode in ("bilinear", "bicubic")


def resize(arr, size, mode, antialias):
    """uint8 [..., H, W] -> [..., h, w] as torch.nn.functional.interpolate on uint8."""
    h, w = size
    if arr.shape[-1] != w:
        arr = _pass(arr, arr.ndim - 1, w, mode, antialias)
    if arr.shape[-2] != h:
        arr = _pass(arr, arr.ndim - 2, h, mode, antialias)
    return arr
