"""Pooling, padding and patch ops of torch.nn.functional: one op each (resampling:
``nn_resample.py``).

Window geometry is static (it depends on shapes and arguments only), so it is computed once
with NumPy at trace time: index tables for gathers and divisor tables for averages. The
jitted programs are then plain gathers and window reductions, and their VJPs are JAX's.
"""
import jax
import jax.numpy as jnp
import numpy as np

from . import nn_checks
from .nn_ops import float_kernel
from .registry import Promotion, op

# exact sums by one-hot products, whatever torch.set_float32_matmul_precision says
_HI = jax.lax.Precision.HIGHEST


def pool_out_size(size, k, s, p, d, ceil_mode):
    """torch's pooling_output_shape: floor (or ceil) division, and a ceil-mode window must
    start inside the input or the left padding."""
    eff = d * (k - 1) + 1
    out = (size + 2 * p - eff + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


def _batched(input, n):
    return (input, True) if input.ndim == n + 2 else (input[None], False)


def _pool_name(kind):
    # torch runs the 1-d pools through the 2-d kernel between unsqueeze and squeeze
    def name(targs, sargs, skw):
        n = len(sargs[0] if sargs else skw["kernel_size"])
        return "SqueezeBackward1" if n == 1 else f"{kind}{n}D{'WithIndices' * (kind == 'MaxPool')}"\
            f"Backward0"
    return name


def _windows(x, kernel_size, stride, padding, dilation, ceil_mode, fill):
    """Gather every pooling window: (N, C, *out, K) values (padding reads ``fill``) and a
    static (*out, K) table of flat input positions (-1 in the padding)."""
    n = len(kernel_size)
    spatial = x.shape[2:]
    pads, tables = [(0, 0), (0, 0)], []
    for size, k, s, p, d in zip(spatial, kernel_size, stride, padding, dilation):
        out = pool_out_size(size, k, s, p, d, ceil_mode)
        pos = np.arange(out)[:, None] * s - p + np.arange(k)[None, :] * d   # (out, k)
        extra = max(0, int(pos.max()) + 1 - size)
        pads.append((p, extra))
        tables.append(pos)
    xp = jnp.pad(x, pads, constant_values=fill) if any(a or b for a, b in pads) else x
    for i, (pos, (p, _)) in enumerate(zip(tables, pads[2:])):
        axis = 2 + 2 * i
        flat = jnp.take(xp, (pos + p).reshape(-1), axis=axis)
        xp = flat.reshape(flat.shape[:axis] + pos.shape + flat.shape[axis + 1:])
    # (N, C, o1, k1, o2, k2, ...) -> (N, C, o1, o2, ..., k1 * k2 * ...)
    perm = (0, 1) + tuple(2 + 2 * i for i in range(n)) + tuple(3 + 2 * i for i in range(n))
    win = jnp.transpose(xp, perm)
    win = win.reshape(win.shape[:2 + n] + (-1,))
    return win, _flat_positions(tables, spatial)


def _flat_positions(tables, spatial):
    """Combine per-dimension (out, k) position tables into (*out, K) flat positions."""
    flat = np.zeros((), np.int64)
    valid = np.ones((), bool)
    n = len(tables)
    for i, (pos, size) in enumerate(zip(tables, spatial)):
        shape = [1] * (2 * n)
        shape[i], shape[n + i] = pos.shape
        p = pos.reshape(shape)
        flat = flat * size + p
        valid = valid & (p >= 0) & (p < size)
    out_shape = tuple(t.shape[0] for t in tables)
    return np.where(valid, flat, -1).reshape(out_shape + (-1,))


def _argmax_torch(win):
    """Index of torch's pick in each window (last axis): the first maximum, or the last NaN
    (torch's loop replaces the running max on ``val > max || isnan(val)``)."""
    first_max = jnp.argmax(win, axis=-1)
    if not jnp.issubdtype(win.dtype, jnp.floating):
        return first_max
    nan = jnp.isnan(win)
    k = win.shape[-1]
    last_nan = k - 1 - jnp.argmax(nan[..., ::-1], axis=-1)
    return jnp.where(nan.any(-1), last_nan, jnp.argmax(jnp.where(nan, -jnp.inf, win), axis=-1))


def _max_values(x, kernel_size, stride, padding, dilation, ceil_mode):
    pads = [(0, 0), (0, 0)]
    for size, k, s, p, d in zip(x.shape[2:], kernel_size, stride, padding, dilation):
        out = pool_out_size(size, k, s, p, d, ceil_mode)
        pads.append((p, max(0, (out - 1) * s + d * (k - 1) + 1 - size - p)))
    # a Python scalar init lets JAX recognise the max monoid (and differentiate it); its
    # gradient goes to the first maximum of a window, as torch's
    init = -float("inf") if jnp.issubdtype(x.dtype, jnp.floating) else \
        int(jnp.iinfo(x.dtype).min)
    return jax.lax.reduce_window(x, init, jax.lax.max, (1, 1) + tuple(kernel_size),
                                 (1, 1) + tuple(stride), pads,
                                 window_dilation=(1, 1) + tuple(dilation))


def _max_gather(x, kernel_size, stride, padding, dilation, ceil_mode):
    """Max pool by gathering the windows: values and torch's indices; the gradient goes to
    the picked element only (as torch's scatter to the indices)."""
    fill = -jnp.inf if jnp.issubdtype(x.dtype, jnp.floating) else jnp.iinfo(x.dtype).min
    win, flat = _windows(x, kernel_size, stride, padding, dilation, ceil_mode, fill)
    pick = _argmax_torch(jax.lax.stop_gradient(win))[..., None]
    y = jnp.take_along_axis(win, pick, axis=-1)[..., 0]
    idx = jnp.take_along_axis(jnp.broadcast_to(jnp.asarray(flat), win.shape), pick,
                              axis=-1)[..., 0].astype(jnp.int64)
    return y, idx


# torch saves the input and the indices (output 1, never the values): an in-place op on the
# pooled values (MaxPool2d then ReLU(inplace=True)) is legal
# (torch's max_pool2d/3d take integers; max_pool1d's own kernel does not)
@op(variants="", grad_fn=_pool_name("MaxPool"), promote=Promotion.NONE, saves=("input",),
    check=lambda input, kernel_size, *a, **k: float_kernel("max_pool1d_impl")(input)
    if len(kernel_size) == 1 else None)
def _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode=False):
    x, batched = _batched(input, len(kernel_size))
    if any(d != 1 for d in dilation):    # JAX has no VJP for dilated reduce_window max
        y = _max_gather(x, kernel_size, stride, padding, dilation, ceil_mode)[0]
    else:
        y = _max_values(x, kernel_size, stride, padding, dilation, ceil_mode)
    return y if batched else y[0]


@op(variants="", grad_fn=_pool_name("MaxPool"), promote=Promotion.NONE, saves=("input",))
def _max_pool_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode=False):
    x, batched = _batched(input, len(kernel_size))
    y, idx = _max_gather(x, kernel_size, stride, padding, dilation, ceil_mode)
    return (y, idx) if batched else (y[0], idx[0])


def _avg_divisors(spatial, kernel_size, stride, padding, ceil_mode, count_include_pad,
                  divisor_override):
    """torch's avg_pool divisor per output position (a static table)."""
    if divisor_override:
        return float(divisor_override)
    div = np.ones((), np.float64)
    for i, (size, k, s, p) in enumerate(zip(spatial, kernel_size, stride, padding)):
        out = pool_out_size(size, k, s, p, 1, ceil_mode)
        start = np.arange(out) * s - p
        end = np.minimum(start + k, size + p)
        full = end - start
        count = np.minimum(end, size) - np.maximum(start, 0)
        shape = [1] * len(spatial)
        shape[i] = out
        div = div * (full if count_include_pad else count).reshape(shape)
    return div


@op(variants="", grad_fn=_pool_name("AvgPool"), promote=Promotion.NONE,
    saves=("input",))      # torch's avg_pool backward reads the input (derivatives.yaml)
def _avg_pool(input, kernel_size, stride, padding, ceil_mode=False, count_include_pad=True,
              divisor_override=None):
    n = len(kernel_size)
    x, batched = _batched(input, n)
    pads = [(0, 0), (0, 0)]
    for size, k, s, p in zip(x.shape[2:], kernel_size, stride, padding):
        out = pool_out_size(size, k, s, p, 1, ceil_mode)
        pads.append((p, max(0, (out - 1) * s + k - size - p)))
    total = jax.lax.reduce_window(x, 0.0 if jnp.issubdtype(x.dtype, jnp.floating) else 0,
                                  jax.lax.add, (1, 1) + tuple(kernel_size),
                                  (1, 1) + tuple(stride), pads)
    div = _avg_divisors(x.shape[2:], kernel_size, stride, padding, ceil_mode,
                        count_include_pad, divisor_override)
    if jnp.issubdtype(x.dtype, jnp.integer):   # torch divides integers truncating
        y = jax.lax.div(total, jnp.broadcast_to(jnp.asarray(div, x.dtype), total.shape))
    else:
        y = total / jnp.asarray(div, x.dtype)
    return y if batched else y[0]


# ------------------------------------------------------------------ adaptive pools
def _adaptive_bounds(size, out):
    i = np.arange(out)
    return (i * size) // out, -((-(i + 1) * size) // out)


def _adaptive_avg_name(targs, sargs, skw):
    out = sargs[0] if sargs else skw["output_size"]
    if len(out) == 1:
        return "SqueezeBackward1"
    return "MeanBackward1" if all(o == 1 for o in out) else \
        f"AdaptiveAvgPool{len(out)}DBackward0"


@op(variants="", grad_fn=_adaptive_avg_name, promote=Promotion.NONE,
    check=nn_checks.adaptive_check("avg"))
def _adaptive_avg_pool(input, output_size):
    """Averages over torch's adaptive windows [floor(i*in/out), ceil((i+1)*in/out)): separable,
    so one averaging matrix per spatial dimension."""
    n = len(output_size)
    x = input
    for i, out in enumerate(output_size):
        axis = x.ndim - n + i
        size = x.shape[axis]
        start, end = _adaptive_bounds(size, out)
        cols = np.arange(size)
        mat = ((cols >= start[:, None]) & (cols < end[:, None])) / (end - start)[:, None]
        x = jnp.moveaxis(jnp.tensordot(x, jnp.asarray(mat, x.dtype), axes=([axis], [1]),
                                       precision=_HI), -1, axis)
    return x


@op(variants="", promote=Promotion.NONE, saves=("input",), check=nn_checks.adaptive_check("max"),
    grad_fn=lambda targs, sargs, skw: "SqueezeBackward1" if len(
        sargs[0] if sargs else skw["output_size"]) == 1 else
    f"AdaptiveMaxPool{len(sargs[0] if sargs else skw['output_size'])}DBackward0")
def _adaptive_max_pool(input, output_size):
    n = len(output_size)
    x, batched = _batched(input, n)
    spatial = x.shape[2:]
    tables = []
    for size, out in zip(spatial, output_size):
        start, end = _adaptive_bounds(size, out)
        k = int((end - start).max())
        # short windows repeat their last element: harmless for a max, and the first
        # maximum keeps the lowest position
        tables.append(start[:, None] + np.minimum(np.arange(k)[None, :],
                                                  (end - start - 1)[:, None]))
    xp = x
    for i, pos in enumerate(tables):
        axis = 2 + 2 * i
        flat = jnp.take(xp, pos.reshape(-1), axis=axis)
        xp = flat.reshape(flat.shape[:axis] + pos.shape + flat.shape[axis + 1:])
    perm = (0, 1) + tuple(2 + 2 * i for i in range(n)) + tuple(3 + 2 * i for i in range(n))
    win = jnp.transpose(xp, perm)
    win = win.reshape(win.shape[:2 + n] + (-1,))
    pick = _argmax_torch(jax.lax.stop_gradient(win))[..., None]
    y = jnp.take_along_axis(win, pick, axis=-1)[..., 0]
    flat = jnp.broadcast_to(jnp.asarray(_flat_positions(tables, spatial)), win.shape)
    idx = jnp.take_along_axis(flat, pick, axis=-1)[..., 0].astype(jnp.int64)
    return (y, idx) if batched else (y[0], idx[0])


# ------------------------------------------------------------------ padding
_PAD_NAMES = {"reflect": "ReflectionPad{}DBackward0", "replicate": "ReplicationPad{}DBackward0",
              "circular": "torch::autograd::CopySlices"}


@op(variants="", promote=Promotion.NONE,
    grad_fn=lambda targs, sargs, skw: _PAD_NAMES.get(
        sargs[1] if len(sargs) > 1 else skw.get("mode", "constant"),
        "ConstantPadNdBackward0").format(len(sargs[0] if sargs else skw["pad"]) // 2))
def _pad(input, pad, mode="constant", value=0.0):
    """``pad`` in torch's order: (left, right) of the last dimension first."""
    n = len(pad) // 2
    widths = [(0, 0)] * (input.ndim - n) + [(pad[2 * i], pad[2 * i + 1])
                                            for i in reversed(range(n))]
    if mode == "constant":
        fill = jnp.asarray(value).astype(input.dtype)
        return jax.lax.pad(input, fill, [(lo, hi, 0) for lo, hi in widths])
    x = input
    if mode == "replicate":
        return _replicate_pad(x, widths)
    # negative widths crop (torch allows them for every mode)
    crop = tuple(slice(max(0, -lo), x.shape[i] - max(0, -hi)) for i, (lo, hi) in
                 enumerate(widths))
    x = x[crop]
    widths = [(max(0, lo), max(0, hi)) for lo, hi in widths]
    return jnp.pad(x, widths, mode={"reflect": "reflect", "replicate": "edge",
                                    "circular": "wrap"}[mode])


def _replicate_pad(x, widths):
    """Output index o of an axis reads input index clip(o - lo, 0, size - 1): one gather per
    axis, so a crop on one side and a pad on the other (torch's negative widths) compose."""
    for axis, (lo, hi) in enumerate(widths):
        size = x.shape[axis]
        if (lo, hi) == (0, 0) or size == 0:
            continue
        idx = np.clip(np.arange(size + lo + hi) - lo, 0, size - 1)
        x = jnp.take(x, jnp.asarray(idx), axis=axis)
    return x


# ------------------------------------------------------------------ patches
def _patch_tables(spatial, kernel_size, dilation, padding, stride):
    tables = []
    for size, k, d, p, s in zip(spatial, kernel_size, dilation, padding, stride):
        out = (size + 2 * p - d * (k - 1) - 1) // s + 1
        tables.append(np.arange(k)[:, None] * d + np.arange(out)[None, :] * s)   # padded coords
    return tables


@op(variants="", grad_fn="Im2ColBackward0", promote=Promotion.NONE,
    check=lambda input, *a, **k: float_kernel("im2col_out_cpu")(input))
def _unfold(input, kernel_size, dilation, padding, stride):
    x, batched = _batched(input, 2)
    (p0, p1) = padding
    xp = jnp.pad(x, [(0, 0), (0, 0), (p0, p0), (p1, p1)])
    th, tw = _patch_tables(x.shape[2:], kernel_size, dilation, padding, stride)
    cols = xp[:, :, th[:, None, :, None], tw[None, :, None, :]]    # N, C, kh, kw, oh, ow
    n, c = x.shape[:2]
    y = cols.reshape(n, c * th.shape[0] * tw.shape[0], th.shape[1] * tw.shape[1])
    return y if batched else y[0]


@op(variants="", grad_fn="Col2ImBackward0", promote=Promotion.NONE)
def _fold(input, output_size, kernel_size, dilation, padding, stride):
    cols, batched = (input, True) if input.ndim == 3 else (input[None], False)
    th, tw = _patch_tables(output_size, kernel_size, dilation, padding, stride)
    kh, oh = th.shape
    kw, ow = tw.shape
    n = cols.shape[0]
    c = cols.shape[1] // (kh * kw)
    blocks = cols.reshape(n, c, kh, kw, oh, ow)
    (p0, p1) = padding
    out = jnp.zeros((n, c, output_size[0] + 2 * p0, output_size[1] + 2 * p1), cols.dtype)
    out = out.at[:, :, th[:, None, :, None], tw[None, :, None, :]].add(blocks)
    out = out[:, :, p0:p0 + output_size[0], p1:p1 + output_size[1]]
    return out if batched else out[0]


@op(variants="", grad_fn="PixelShuffleBackward0", promote=Promotion.NONE)
def _pixel_shuffle(input, upscale_factor):
    r = upscale_factor
    *lead, c, h, w = input.shape
    x = input.reshape(*lead, c // (r * r), r, r, h, w)
    k = len(lead)
    x = jnp.transpose(x, tuple(range(k)) + (k, k + 3, k + 1, k + 4, k + 2))
    return x.reshape(*lead, c // (r * r), h * r, w * r)


@op(variants="", grad_fn="PixelUnshuffleBackward0", promote=Promotion.NONE)
def _pixel_unshuffle(input, downscale_factor):
    r = downscale_factor
    *lead, c, h, w = input.shape
    x = input.reshape(*lead, c, h // r, r, w // r, r)
    k = len(lead)
    x = jnp.transpose(x, tuple(range(k)) + (k, k + 2, k + 4, k + 1, k + 3))
    return x.reshape(*lead, c * r * r, h // r, w // r)


@op(variants="", grad_fn="ChannelShuffleBackward0", promote=Promotion.NONE)
def _channel_shuffle(input, groups):
    n, c = input.shape[:2]
    x = input.reshape((n, groups, c // groups) + input.shape[2:])
    return jnp.swapaxes(x, 1, 2).reshape(input.shape)
