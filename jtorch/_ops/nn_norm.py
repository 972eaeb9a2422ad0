"""Normalisation and embedding ops: each forward is ONE op with one VJP and torch's grad_fn
name (NativeBatchNormBackward0, NativeLayerNormBackward0, NativeGroupNormBackward0,
EmbeddingBackward0). Running statistics are updated by the callers, under no_grad, as
torch's kernels do in place."""
import jax
import jax.numpy as jnp

from .registry import Promotion, op


def _affine(y, weight, bias, shape):
    if weight is not None:
        y = y * weight.reshape(shape)
    if bias is not None:
        y = y + bias.reshape(shape)
    return y


@op(variants="", tensors=("input", "weight", "bias", "running_mean", "running_var"),
    grad_fn="NativeBatchNormBackward0", saves=("input", "weight"))
def _batch_norm(input, weight, bias, running_mean, running_var, use_batch_stats, eps):
    """Normalise over every dim but 1 with the batch's (biased) statistics, or with the
    running ones."""
    axes = (0,) + tuple(range(2, input.ndim))
    shape = (1, -1) + (1,) * (input.ndim - 2)
    if use_batch_stats:
        mean = jnp.mean(input, axis=axes, keepdims=True)
        var = jnp.mean(jnp.square(input - mean), axis=axes, keepdims=True)
    else:
        mean, var = running_mean.reshape(shape), running_var.reshape(shape)
    y = (input - mean) * jax.lax.rsqrt(var + eps)
    return _affine(y, weight, bias, shape)


@op(variants="", grad_fn=None, promote=Promotion.NONE)
def _batch_stats(input):
    """(mean, unbiased variance) over every dim but 1: what the running statistics track."""
    axes = (0,) + tuple(range(2, input.ndim))
    n = input.size // input.shape[1]
    mean = jnp.mean(input, axis=axes)
    var = jnp.sum(jnp.square(input - jnp.mean(input, axis=axes, keepdims=True)), axis=axes)
    return mean, (var / (n - 1) if n > 1 else var * jnp.nan)


def _check_layer_norm(input, weight, bias, normalized_shape, eps):
    """torch's weight/bias shape checks (the input's shape is checked by the caller)."""
    ns = list(normalized_shape)
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and list(t.shape) != ns:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but "
                               f"got {name} of shape {list(t.shape)} and normalized_shape = {ns}")


@op(variants="", tensors=("input", "weight", "bias"), grad_fn="NativeLayerNormBackward0",
    saves=("input", "weight"), check=_check_layer_norm)
def _layer_norm(input, weight, bias, normalized_shape, eps):
    axes = tuple(range(input.ndim - len(normalized_shape), input.ndim))
    mean = jnp.mean(input, axis=axes, keepdims=True)
    var = jnp.mean(jnp.square(input - mean), axis=axes, keepdims=True)
    y = (input - mean) * jax.lax.rsqrt(var + eps)
    return _affine(y, weight, bias, normalized_shape)


@op(variants="", tensors=("input", "weight", "bias"), grad_fn="NativeGroupNormBackward0",
    saves=("input", "weight"))
def _group_norm(input, weight, bias, num_groups, eps):
    n, c = input.shape[0], input.shape[1]
    g = input.reshape((n, num_groups, -1))
    mean = jnp.mean(g, axis=2, keepdims=True)
    var = jnp.mean(jnp.square(g - mean), axis=2, keepdims=True)
    y = ((g - mean) * jax.lax.rsqrt(var + eps)).reshape(input.shape)
    return _affine(y, weight, bias, (1, c) + (1,) * (input.ndim - 2))


@op(variants="", tensors=("weight", "indices"), grad_fn="EmbeddingBackward0",
    promote=Promotion.NONE, saves=("indices",))
def _embedding(weight, indices, padding_idx=None):
    rows = jnp.take(weight, indices, axis=0)
    if padding_idx is not None:
        # the padding row receives no gradient
        pad = (indices == padding_idx)[..., None]
        rows = jnp.where(pad, jax.lax.stop_gradient(rows), rows)
    return rows


@op(variants="", tensors=("weight", "indices", "bags", "per_sample_weights"),
    grad_fn="EmbeddingBagBackward0", promote=Promotion.NONE, saves=("indices",))
def _embedding_bag(weight, indices, bags, per_sample_weights=None, num_bags=1, mode="mean",
                   padding_idx=None):
    """Rows of ``weight`` reduced per bag; ``bags`` holds each index's bag number. Padding
    entries are left out of every bag (and of the mean's count); empty bags give zeros."""
    rows = jnp.take(weight, indices, axis=0)
    keep = jnp.ones(indices.shape, bool) if padding_idx is None else indices != padding_idx
    if per_sample_weights is not None:
        rows = rows * per_sample_weights[:, None].astype(rows.dtype)
    if mode == "max":
        masked = jnp.where(keep[:, None], rows, -jnp.inf)
        out = jax.ops.segment_max(masked, bags, num_segments=num_bags)
        return jnp.where(jnp.isneginf(out), jnp.zeros((), out.dtype), out)
    total = jax.ops.segment_sum(jnp.where(keep[:, None], rows, 0), bags, num_segments=num_bags)
    if mode == "sum":
        return total
    count = jax.ops.segment_sum(keep.astype(rows.dtype), bags, num_segments=num_bags)
    return total / jnp.maximum(count, 1)[:, None]


@op(variants="", tensors=("v", "g"), grad_fn="WeightNormInterfaceBackward0")
def _weight_norm_interface(v, g, dim):
    """torch's fused weight norm (``dim`` 0 or the last): ``v * (g / ||v||)`` with the norm
    over every other dim."""
    axes = tuple(i for i in range(v.ndim) if i != dim)
    norm = jnp.sqrt(jnp.sum(v * v, axis=axes, keepdims=True))
    return v * (g / norm)
