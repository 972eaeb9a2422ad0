"""A floating product in the order torch's CPU kernel multiplies (``binary_kernel_reduce_vec``
on x86 with 32-byte vectors): per output, blocks of 4 vectors are multiplied lane-wise into 4
accumulators, which are combined ((a0 * a1) * (a2 * a3)), then their lanes left to right;
the elements after the last whole block follow one by one. An overflow to inf meeting a
zero makes the order visible (NaN in one order, 0 in another), as do last-bit roundings.
The kernel walks the reduced elements in memory order; here they are taken in index order
(the same for a contiguous input)."""
import jax
import jax.numpy as jnp


def ordered_prod(x, axes, keepdim):
    """``jnp.prod(x, axis=axes, keepdims=keepdim)`` in torch's multiplication order."""
    nd = x.ndim
    red = tuple(range(nd)) if axes is None else tuple(a % max(nd, 1) for a in axes)
    keep = [d for d in range(nd) if d not in red]
    moved = jnp.transpose(x, keep + list(red))
    out_shape = tuple(x.shape[d] for d in keep)
    n = 1
    for d in red:
        n *= x.shape[d]
    flat = moved.reshape(out_shape + (n,))
    # the last dim reduced: each output's elements are contiguous (the vector pattern);
    # otherwise torch vectorizes across outputs and multiplies each one's elements in turn
    res = _rows(flat) if not keep or keep[-1] < red[-1] else _in_turn(flat)
    if keepdim:
        res = res.reshape(tuple(1 if d in red else x.shape[d] for d in range(nd)))
    return res


def _rows(x):
    """The product of each row (last dim) of ``x``."""
    n = x.shape[-1]
    lanes = 32 // x.dtype.itemsize
    block = 4 * lanes
    count = n // block
    acc = jnp.ones(x.shape[:-1], x.dtype)
    if count:
        blocks = x[..., :count * block].reshape(x.shape[:-1] + (count, 4, lanes))
        vec = jax.lax.fori_loop(1, count, lambda i, a: a * blocks[..., i, :, :],
                                blocks[..., 0, :, :]) if count > 1 else blocks[..., 0, :, :]
        v = (vec[..., 0, :] * vec[..., 1, :]) * (vec[..., 2, :] * vec[..., 3, :])
        b = v[..., 0]
        for j in range(1, lanes):
            b = b * v[..., j]
        acc = acc * b
    for j in range(count * block, n):       # (fewer than one block: unrolled)
        acc = acc * x[..., j]
    return acc


def _in_turn(x):
    """The product of each row of ``x``, one element after another."""
    n = x.shape[-1]
    if n <= 32:
        acc = jnp.ones(x.shape[:-1], x.dtype)
        for j in range(n):
            acc = acc * x[..., j]
        return acc
    return jax.lax.fori_loop(0, n, lambda j, a: a * x[..., j], jnp.ones(x.shape[:-1], x.dtype))
