"""Resampling ops of torch.nn.functional.interpolate: nearest, (bi/tri)linear and bicubic
upsampling, and the antialiased bilinear/bicubic resize. The interpolation weights depend on
shapes and arguments only, so they are computed once with NumPy at trace time (in the input's
float type, as torch's kernels do); the jitted program is then gathers and small matrix
products along each resized axis, and its VJP is JAX's.
"""
import jax.numpy as jnp
import numpy as np

from . import nn_checks
from .nn_pool import _HI
from .registry import Promotion, op


def _source_scale(size, out, align_corners, scale):
    """torch's area_pixel_compute_scale."""
    if align_corners:
        return (size - 1) / (out - 1) if out > 1 else 0.0
    return 1.0 / scale if scale is not None and scale > 0 else size / out


def _interp_matrix(size, out, mode, align_corners, scale, dtype):
    """(out, size) matrix of torch's linear or cubic interpolation weights along one axis,
    computed in the input's float type as torch's kernels do."""
    ft = np.float64 if dtype == jnp.float64 else np.float32
    sc = ft(_source_scale(size, out, align_corners, scale))
    dst = np.arange(out, dtype=ft)
    src = sc * dst if align_corners else sc * (dst + ft(0.5)) - ft(0.5)
    mat = np.zeros((out, size), ft)
    rows = np.arange(out)
    if mode == "cubic":
        i0 = np.floor(src).astype(np.int64)
        t = (src - i0).astype(ft)
        a = ft(-0.75)

        def conv1(x):
            return ((a + 2) * x - (a + 3)) * x * x + 1

        def conv2(x):
            return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

        coeffs = (conv2(t + 1), conv1(t), conv1(1 - t), conv2(2 - t))
        for j, c in enumerate(coeffs):
            np.add.at(mat, (rows, np.clip(i0 - 1 + j, 0, size - 1)), c)
        return mat
    if not align_corners:
        src = np.maximum(src, ft(0))
    i0 = np.minimum(np.floor(src).astype(np.int64), size - 1)
    i1 = np.where(i0 < size - 1, i0 + 1, i0)
    lam = (src - i0).astype(ft)
    np.add.at(mat, (rows, i0), ft(1) - lam)
    np.add.at(mat, (rows, i1), lam)
    return mat


def _nearest_index(size, out, scale, exact):
    """torch's nearest_idx / nearest_neighbor_exact_compute_source_index."""
    if not exact and out == size:
        return np.arange(out)
    if not exact and out == 2 * size:
        return np.arange(out) >> 1
    sc = np.float32(1.0 / scale if scale is not None and scale > 0 else size / out)
    dst = np.arange(out, dtype=np.float32) + np.float32(0.5 if exact else 0.0)
    return np.minimum(np.floor(dst * sc).astype(np.int64), size - 1)


_UP_NAMES = {"nearest": "Nearest", "nearest-exact": "NearestExact", "linear": "Linear",
             "bilinear": "Bilinear", "bicubic": "Bicubic", "trilinear": "Trilinear"}


@op(variants="", promote=Promotion.NONE, check=nn_checks.upsample_check(False),
    grad_fn=lambda targs, sargs, skw: "Upsample{}{}DBackward0".format(
        _UP_NAMES[sargs[2] if len(sargs) > 2 else skw["mode"]],
        len(sargs[0] if sargs else skw["output_size"])))
def _upsample(input, output_size, scales, mode, align_corners=False):
    if mode in ("nearest", "nearest-exact") or not _integer(input):
        return _resample(input, output_size, scales, mode, align_corners)
    # an integer image: torch's passes run last dimension first, each rounding to the dtype
    x = input.astype(jnp.float32)
    for i in reversed(range(len(output_size))):
        one = [None] * len(output_size)
        one[i] = output_size[i]
        sizes = tuple(o if o is not None else x.shape[x.ndim - len(output_size) + j]
                      for j, o in enumerate(one))
        only = tuple(sc if j == i else None for j, sc in enumerate(scales))
        x = _rounded(_resample(x, sizes, only, mode, align_corners), input.dtype)
        x = x.astype(jnp.float32)
    return x.astype(input.dtype)


def _resample(input, output_size, scales, mode, align_corners):
    n = len(output_size)
    x = input
    for i, (out, sc) in enumerate(zip(output_size, scales)):
        axis = x.ndim - n + i
        size = x.shape[axis]
        if size == out and mode not in ("nearest", "nearest-exact") and sc is None:
            continue
        if mode in ("nearest", "nearest-exact"):
            x = jnp.take(x, _nearest_index(size, out, sc, mode == "nearest-exact"), axis=axis)
            continue
        mat = _interp_matrix(size, out, "cubic" if mode == "bicubic" else "linear",
                             align_corners, sc, x.dtype)
        x = jnp.moveaxis(jnp.tensordot(x, jnp.asarray(mat, x.dtype), axes=([axis], [1]),
                                       precision=_HI), -1, axis)
    return x


def _aa_filter(mode, ft):
    """torch's anti-aliasing filters: triangle, Keys cubic with a = -0.5 (PIL's, not the
    -0.75 of plain bicubic) and Lanczos-3; with their support in input pixels."""
    if mode == "bilinear":
        return 1.0, lambda x: np.maximum(ft(1) - np.abs(x), ft(0))
    if mode == "bicubic":
        a = ft(-0.5)

        def cubic(x):
            x = np.abs(x)
            near = ((a + 2) * x - (a + 3)) * x * x + 1
            far = (((x - 5) * x + 8) * x - 4) * a
            return np.where(x < 1, near, np.where(x < 2, far, ft(0))).astype(ft)
        return 2.0, cubic

    def lanczos(x):
        px = (np.pi * x).astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            v = 3 * np.sin(px) * np.sin(px / 3) / (px * px)
        return np.where(x == 0, 1.0, np.where(np.abs(x) < 3, v, 0.0)).astype(ft)
    return 3.0, lanczos


def _aa_matrix(size, out, mode, align_corners, scale, dtype):
    """(out, size) matrix of torch's separable anti-aliased resampling along one axis: the
    filter is stretched by the downscale factor and its weights renormalised to sum to 1
    over the taps inside the input (no clamping)."""
    ft = np.float64 if dtype == jnp.float64 else np.float32
    sc = ft(_source_scale(size, out, align_corners, scale))
    half, fn = _aa_filter(mode, ft)
    support = ft(half) * sc if sc >= 1 else ft(half)
    inv = ft(1) / sc if sc >= 1 else ft(1)
    mat = np.zeros((out, size), ft)
    for i in range(out):
        center = sc * (ft(i) + ft(0.5))
        lo = max(int(center - support + ft(0.5)), 0)
        hi = min(int(center + support + ft(0.5)), size)
        w = fn((np.arange(lo, hi).astype(ft) - center + ft(0.5)) * inv).astype(ft)
        total = w.sum(dtype=ft)
        mat[i, lo:hi] = w / total if total != 0 else w
    return mat


_AA_NAMES = {"bilinear": "Bilinear", "bicubic": "Bicubic", "lanczos": "Lanczos"}


def _integer(x):
    return jnp.issubdtype(x.dtype, jnp.integer)


def _rounded(x, dtype):
    """An integer image's interpolation: computed in float32, rounded and clamped (torch's
    own uint8 kernels work in fixed point: within a few units of this)."""
    info = jnp.iinfo(dtype)
    return jnp.clip(jnp.round(x), info.min, info.max).astype(dtype)


@op(variants="", promote=Promotion.NONE, check=nn_checks.upsample_check(True),
    grad_fn=lambda targs, sargs, skw: "Upsample{}2DAaBackward0".format(
        _AA_NAMES[sargs[2] if len(sargs) > 2 else skw["mode"]]))
def _upsample_aa(input, output_size, scales, mode, align_corners=False):
    return _resample_aa(input, output_size, scales, mode, align_corners)


def _resample_aa(input, output_size, scales, mode, align_corners):
    # an integer image: each pass rounds to the dtype, as torch's fixed-point passes do
    post = (lambda y: _rounded(y, input.dtype).astype(jnp.float32)) if _integer(input) \
        else (lambda y: y)
    x = input.astype(jnp.float32) if _integer(input) else input
    # torch resizes the last dimension first and skips dimensions whose size is unchanged
    for i in reversed(range(len(output_size))):
        axis = x.ndim - len(output_size) + i
        size, out = x.shape[axis], output_size[i]
        if size == out:
            continue
        mat = _aa_matrix(size, out, mode, align_corners, scales[i], x.dtype)
        x = post(jnp.moveaxis(jnp.tensordot(x, jnp.asarray(mat, x.dtype), axes=([axis], [1]),
                                            precision=_HI), -1, axis))
    return x.astype(input.dtype)
