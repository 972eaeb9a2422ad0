"""Normalisation and embedding ops: each forward is ONE op with one VJP and torch's grad_fn
name (NativeBatchNormBackward0, NativeLayerNormBackward0, NativeGroupNormBackward0,
EmbeddingBackward0). Running statistics are updated by the callers, under no_grad, as
torch's kernels do in place."""
import jax
import jax.numpy as jnp

from .. import _dtypes
from .nn_ops import float_kernel
from .registry import Promotion, op


def _affine(y, weight, bias, shape):
    if weight is not None:
        y = y * weight.reshape(shape)
    if bias is not None:
        y = y + bias.reshape(shape)
    return y


def check_norm_dtypes(kernel, input, params, input_first=False):
    """torch's CPU normalisation dtype checks: the first given parameter decides whether the
    call is "mixed" (only a half-precision input with float32 parameters may be); then the
    input must be floating (batch_norm checks that first); then every other parameter must
    have the input's dtype."""
    if input_first:
        float_kernel(kernel)(input)
    given = [p for p in params if p is not None]
    if given and given[0].dtype is not input.dtype:
        if input.dtype in (_dtypes.bfloat16, _dtypes.float16) and all(
                p.dtype is _dtypes.float32 for p in given):
            return
        raise RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float")
    float_kernel(kernel)(input)
    for p in given[1:]:
        if p.dtype is not input.dtype:
            raise RuntimeError(f"expected scalar type {_dtypes.torch_type_name(input.dtype)} "
                               f"but found {_dtypes.torch_type_name(p.dtype)}")


@op(variants="", tensors=("input", "weight", "bias", "running_mean", "running_var"),
    grad_fn="NativeBatchNormBackward0", saves=("input", "weight"),
    check=lambda input, *params_etc: check_norm_dtypes("batch_norm", input, params_etc[:4], True))
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
    check_norm_dtypes("LayerNormKernelImpl", input, (weight, bias))


@op(variants="", tensors=("input", "weight", "bias"), grad_fn="NativeLayerNormBackward0",
    saves=("input", "weight"), check=_check_layer_norm)
def _layer_norm(input, weight, bias, normalized_shape, eps):
    axes = tuple(range(input.ndim - len(normalized_shape), input.ndim))
    mean = jnp.mean(input, axis=axes, keepdims=True)
    var = jnp.mean(jnp.square(input - mean), axis=axes, keepdims=True)
    y = (input - mean) * jax.lax.rsqrt(var + eps)
    return _affine(y, weight, bias, normalized_shape)


@op(variants="", tensors=("input", "weight", "bias"), grad_fn="NativeGroupNormBackward0",
    saves=("input", "weight"),
    check=lambda input, weight, bias, *a: check_norm_dtypes("GroupNormKernelImpl", input,
                                                             (weight, bias)))
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


def _check_weight_norm(v, g, dim):
    float_kernel("weight_norm_kernel")(v)
    if g.dtype is not v.dtype:
        raise RuntimeError(f"expected scalar type {_dtypes.torch_type_name(v.dtype)} but found "
                           f"{_dtypes.torch_type_name(g.dtype)}")


@op(variants="", tensors=("v", "g"), grad_fn="WeightNormInterfaceBackward0",
    check=_check_weight_norm)
def _weight_norm_interface(v, g, dim):
    """torch's fused weight norm (``dim`` 0 or the last): ``v * (g / ||v||)`` with the norm
    over every other dim."""
    axes = tuple(i for i in range(v.ndim) if i != dim)
    norm = jnp.sqrt(jnp.sum(v * v, axis=axes, keepdims=True))
    if g.shape != norm.shape and g.size >= norm.size:
        # torch's kernel reads g as a flat buffer of v.size(dim) values, whatever its shape
        g = g.reshape(-1)[:norm.size].reshape(norm.shape)
    return v * (g / norm)
