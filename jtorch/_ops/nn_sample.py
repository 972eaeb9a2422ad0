"""grid_sample and affine_grid: torch's grid sampler (bilinear, nearest, bicubic; zeros,
border and reflection padding) and affine grid generator, one op each.

The sampler is written as gathers weighted by interpolation coefficients, so JAX's VJP gives
both gradients (scatter-add into the input, the coefficients' derivative into the grid). The
coordinate transforms copy torch's gradient conventions where they differ from JAX's: clipping
treats the borders themselves as out of range (gradient 0 there, where ``jnp.clip`` would give
1 or 0.5), and reflection's absolute value has gradient +1 at its fold.
"""
import itertools

import jax
import jax.numpy as jnp
import numpy as np

from .registry import Promotion, op

_CUBIC_A = -0.75


def _clip(x, size):
    """torch's clip_coordinates (and the gradient of clip_coordinates_set_grad)."""
    hi = size - 1
    return jnp.where(x <= 0, jnp.zeros_like(x), jnp.where(x >= hi, jnp.full_like(x, hi), x))


def _reflect(x, twice_low, twice_high):
    """torch's reflect_coordinates: fold ``x`` into [low, high] by mirroring."""
    if twice_low == twice_high:
        return jnp.zeros_like(x)
    low = twice_low / 2
    span = (twice_high - twice_low) / 2
    d = x - low
    d = jnp.where(d < 0, -d, d)
    extra = jnp.fmod(d, span)
    flips = jnp.floor(d / span)
    even = jnp.fmod(flips, 2) == 0
    return jnp.where(even, extra + low, span - extra + low)


def _pad_coords(x, size, padding_mode, align_corners):
    if padding_mode == "border":
        return _clip(x, size)
    if padding_mode == "reflection":
        x = (_reflect(x, 0, 2 * (size - 1)) if align_corners else
             _reflect(x, -1, 2 * size - 1))
        return _clip(x, size)
    return x


def _unnormalize(g, size, align_corners):
    """Grid values in [-1, 1] to pixel coordinates (torch's CPU kernel's arithmetic)."""
    if align_corners:
        return (g + 1) * ((size - 1) / 2)
    return (g + 1) * (size / 2) - 0.5


def _gather(flat, index):
    """flat (N, C, P), index (N, Q) -> (N, C, Q)."""
    return jax.vmap(lambda a, i: a[:, i])(flat, index)


def _tap(flat, spatial, idx):
    """Values at integer positions ``idx`` (one (N, Q) array per spatial dim), 0 outside."""
    valid = None
    pos = 0
    for i, size in zip(idx, spatial):
        ok = (i >= 0) & (i < size)
        valid = ok if valid is None else valid & ok
        pos = pos * size + jnp.clip(i, 0, size - 1)
    vals = _gather(flat, pos)
    return jnp.where(valid[:, None, :], vals, jnp.zeros((), flat.dtype))


def _cubic_coeffs(t):
    a = _CUBIC_A

    def near(x):
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    return (far(t + 1), near(t), near(1 - t), far(2 - t))


def _grid_name(targs, sargs, skw):
    return f"GridSampler{targs[0].dim() - 2}DBackward0"


@op(variants="", tensors=("input", "grid"), promote=Promotion.NONE, grad_fn=_grid_name)
def _grid_sample(input, grid, mode, padding_mode, align_corners):
    n = input.ndim - 2
    spatial = input.shape[2:]
    out_shape = grid.shape[1:-1]
    nb, c = input.shape[:2]
    flat = input.reshape(nb, c, -1)
    g = grid.reshape(nb, -1, n)
    # grid's last axis is (x, y[, z]): x indexes the last spatial dimension
    raw = [_unnormalize(g[..., n - 1 - d], spatial[d], align_corners) for d in range(n)]
    if mode == "bicubic":
        base = [jnp.floor(x) for x in raw]
        coeffs = [_cubic_coeffs(x - b) for x, b in zip(raw, base)]
        out = None
        for j in range(4):          # rows (y), each a cubic interpolation along x
            row = None
            for i in range(4):
                ys = _pad_coords(base[0] - 1 + j, spatial[0], padding_mode, align_corners)
                xs = _pad_coords(base[1] - 1 + i, spatial[1], padding_mode, align_corners)
                v = _tap(flat, spatial, [ys.astype(jnp.int32), xs.astype(jnp.int32)])
                term = v * coeffs[1][i][:, None, :]
                row = term if row is None else row + term
            term = row * coeffs[0][j][:, None, :]
            out = term if out is None else out + term
    else:
        coords = [_pad_coords(x, s, padding_mode, align_corners) for x, s in zip(raw, spatial)]
        if mode == "nearest":
            # nearbyint: halves round to even, as jnp.round does
            out = _tap(flat, spatial, [jnp.round(x).astype(jnp.int32) for x in coords])
        else:
            lo = [jnp.floor(x) for x in coords]
            frac = [x - f for x, f in zip(coords, lo)]
            out = None
            for corner in itertools.product((0, 1), repeat=n):
                w = None
                for d, bit in enumerate(corner):
                    wd = frac[d] if bit else 1 - frac[d]
                    w = wd if w is None else w * wd
                idx = [(f + bit).astype(jnp.int32) for f, bit in zip(lo, corner)]
                term = _tap(flat, spatial, idx) * w[:, None, :]
                out = term if out is None else out + term
    return out.reshape((nb, c) + tuple(out_shape))


def _base_axis(steps, align_corners, dtype):
    """torch's linspace_from_neg_one, computed as torch's linspace kernel does."""
    ft = np.float64 if dtype == jnp.float64 else np.float32
    if steps <= 1:
        return np.zeros(steps, ft)
    step = (ft(1) - ft(-1)) / ft(steps - 1)
    i = np.arange(steps)
    half = steps // 2
    r = np.where(i < half, ft(-1) + step * i.astype(ft),
                 ft(1) - step * (steps - i - 1).astype(ft)).astype(ft)
    if not align_corners:
        r = (r * ft(steps - 1) / ft(steps)).astype(ft)
    return r


@op(variants="", tensors=("theta",), promote=Promotion.NONE,
    grad_fn="AffineGridGeneratorBackward0")
def _affine_grid(theta, size, align_corners):
    spatial = tuple(size[2:])
    n = len(spatial)
    axes = [_base_axis(s, align_corners, theta.dtype) for s in spatial]
    # base[..., k] is the k-th coordinate (x first, along the last dimension), then 1
    mesh = np.meshgrid(*axes, indexing="ij")
    cols = [mesh[n - 1 - k] for k in range(n)] + [np.ones(spatial, mesh[0].dtype)]
    base = jnp.asarray(np.stack(cols, -1).reshape(-1, n + 1), theta.dtype)
    out = jnp.einsum("pk,njk->npj", base, theta)
    return out.reshape((theta.shape[0],) + spatial + (n,))
