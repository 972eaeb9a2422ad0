"""Pooling by index tables: max_unpool (the inverse of max_pool with indices) and fractional
max pooling (windows at random starts); the modules are ``nn/modules/unpool_fractional.py``.

max_unpool scatters each value to the flat position its index names inside its (N, C) plane
of the output; positions no index names stay zero. The VJP is a gather at the same indices,
torch's MaxUnpool{2,3}DBackward0 formula.
"""
import functools

import jax
import jax.numpy as jnp
import numpy as np

from .nn_ops import float_kernel
from .registry import Promotion, op


def _unpool_name(targs, sargs, skw):
    n = len(sargs[0] if sargs else skw["output_size"])
    return f"MaxUnpool{n}DBackward0"


@op(variants="", tensors=("input", "indices"), grad_fn=_unpool_name, promote=Promotion.NONE,
    check=lambda input, indices, output_size: float_kernel(
        "max_unpool3d" if len(output_size) == 3 else "max_unpool2d")(input))
def _max_unpool(input, indices, output_size):
    """``input``/``indices``: (N, C, *in) or (C, *in); ``output_size``: the spatial size."""
    lead = input.shape[:input.ndim - len(output_size)]
    plane = 1
    for s in output_size:
        plane *= s
    vals = input.reshape(lead + (-1,))
    idx = indices.reshape(lead + (-1,)).astype(jnp.int64)
    flat = vals.reshape(-1, vals.shape[-1])
    fidx = idx.reshape(-1, idx.shape[-1])
    out = _scatter_rows(flat, fidx, plane)
    return out.reshape(lead + tuple(output_size))


@functools.partial(jax.custom_vjp, nondiff_argnums=(2,))
def _scatter_rows(flat, fidx, plane):
    rows = jnp.arange(flat.shape[0])[:, None]
    return jnp.zeros((flat.shape[0], plane), flat.dtype).at[rows, fidx].set(flat)


def _scatter_rows_fwd(flat, fidx, plane):
    return _scatter_rows(flat, fidx, plane), fidx


def _scatter_rows_bwd(plane, fidx, ct):
    # torch's backward gathers at every index, also where a repeated index's value was
    # overwritten (a scatter's own VJP would give those inputs zero)
    rows = jnp.arange(ct.shape[0])[:, None]
    return ct[rows, fidx], None


_scatter_rows.defvjp(_scatter_rows_fwd, _scatter_rows_bwd)


def _frac_name(targs, sargs, skw):
    n = len(sargs[1] if len(sargs) > 1 else skw["kernel_size"])
    return f"FractionalMaxPool{n}DBackward0"


def _window_table(plane, kernel_size, spatial):
    """(*out, K) flat positions of every window of one plane, from its per-dim starts."""
    n = len(kernel_size)
    strides = np.cumprod((1,) + tuple(spatial[::-1]))[:-1][::-1]
    pos = 0
    for d in range(n):
        coord = np.asarray(plane[d])[:, None] + np.arange(kernel_size[d])[None, :]
        shape = [1] * (2 * n)
        shape[d], shape[n + d] = coord.shape
        pos = pos + coord.reshape(shape) * strides[d]
    return pos.reshape(pos.shape[:n] + (-1,))


@op(variants="", promote=Promotion.NONE, grad_fn=_frac_name, saves=("input",),
    nondiff_outputs=(1,))
def _fractional_max_pool(input, starts, kernel_size):
    """``starts``: per (N*C) plane, per spatial dim, the window starts (static: torch derives
    them from the random samples). Returns (values, flat indices within each plane)."""
    n = len(kernel_size)
    spatial = input.shape[input.ndim - n:]
    planes = input.reshape((-1,) + tuple(spatial))
    flat = planes.reshape(planes.shape[0], -1)
    idx = jnp.asarray(np.stack([_window_table(plane, kernel_size, spatial)
                                for plane in starts]))              # (P, *out, K)
    win = jnp.take_along_axis(flat, idx.reshape(idx.shape[0], -1), axis=1).reshape(idx.shape)
    # torch's scan keeps the first maximum, but a NaN wins (the last NaN seen)
    nan = jnp.isnan(win)
    k = win.shape[-1]
    last_nan = k - 1 - jnp.argmax(nan[..., ::-1], axis=-1)
    first_max = jnp.argmax(jnp.where(nan, -jnp.inf, win), axis=-1)
    pick = jnp.where(nan.any(-1), last_nan, first_max)[..., None]
    vals = jnp.take_along_axis(win, pick, axis=-1)[..., 0]
    where = jnp.take_along_axis(idx, pick, axis=-1)[..., 0]
    lead = input.shape[:input.ndim - n]
    out_shape = lead + vals.shape[1:]
    return vals.reshape(out_shape), where.reshape(out_shape).astype(jnp.int64)
