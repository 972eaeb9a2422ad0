"""Losses torch computes in one kernel (one op each here, torch's node names); the losses
torch writes as compositions live in ``nn/_losses.py`` as the same compositions."""
import jax.numpy as jnp

from .. import _dtypes
from .index_common import first_out_of_bounds
from .nn_ops import _reduce, float_kernel
from .registry import Promotion, op

_LOSS = dict(variants="", tensors=("input", "target"), saves=("input", "target"))


def _loss_dtypes(kernel, into_input=False):
    """torch's dtype errors of a pointwise loss kernel: integer operands only (``kernel``
    not implemented); with ``into_input``, the result is written in input's dtype, so a
    floating result cannot go into an integer input (soft_margin computes in the default
    float type even for integers)."""
    def check(input, target, *a, **k):
        dt = _dtypes.promote_types(input.dtype, target.dtype)
        if into_input and _dtypes.is_integral(input.dtype, include_bool=True):
            if kernel is None and not (dt.is_floating_point or dt.is_complex):
                dt = _dtypes.get_default_dtype()
            if dt.is_floating_point or dt.is_complex:
                raise RuntimeError(f"result type {_dtypes.torch_type_name(dt)} can't be cast to "
                                   f"the desired output type "
                                   f"{_dtypes.torch_type_name(input.dtype)}")
        if kernel is not None and not (dt.is_floating_point or dt.is_complex):
            raise NotImplementedError(f'"{kernel}" not implemented for '
                                      f"'{_dtypes.torch_type_name(dt)}'")
    return check


@op(grad_fn="SmoothL1LossBackward0", check=_loss_dtypes("smooth_l1_cpu"), **_LOSS)
def _smooth_l1_loss(input, target, reduction="mean", beta=1.0):
    d = input - target
    a = jnp.abs(d)
    if beta == 0:
        return _reduce(a, reduction)
    return _reduce(jnp.where(a < beta, 0.5 * d * d / beta, a - 0.5 * beta), reduction)


@op(grad_fn="HuberLossBackward0", check=_loss_dtypes("huber_cpu", True), **_LOSS)
def _huber_loss(input, target, reduction="mean", delta=1.0):
    d = input - target
    a = jnp.abs(d)
    return _reduce(jnp.where(a <= delta, 0.5 * d * d, delta * (a - 0.5 * delta)), reduction)


@op(grad_fn="SoftMarginLossBackward0", check=_loss_dtypes(None, True), **_LOSS)
def _soft_margin_loss(input, target, reduction="mean"):
    return _reduce(jnp.log1p(jnp.exp(-target * input)), reduction)


@op(variants="", tensors=("input", "target", "weight"), grad_fn="MultiMarginLossBackward0",
    saves=("input", "target"), promote=Promotion.NONE,
    check=lambda input, *a, **k: float_kernel("multi_margin_loss_cpu_kernel")(input))
def _multi_margin_loss(input, target, weight=None, p=1, margin=1.0, reduction="mean"):
    x = input if input.ndim == 2 else input.reshape(1, -1)   # 0-dim: one sample, one class
    t = target.reshape(-1)
    c = x.shape[1]
    picked = jnp.take_along_axis(x, t[:, None], axis=1)
    z = jnp.maximum(margin - picked + x, 0)
    z = z ** p if p != 1 else z
    if weight is not None:
        z = z * weight[t][:, None]
    z = jnp.where(jnp.arange(c)[None, :] == t[:, None], 0, z)
    loss = jnp.sum(z, axis=1) / c
    loss = loss if input.ndim == 2 else loss[0]
    return _reduce(loss, reduction)


@op(variants="", tensors=("x1", "x2"), grad_fn="NormBackward1", saves=("x1", "x2"),
    promote=Promotion.COMPLEX_TO_FLOAT)
def _pairwise_distance(x1, x2, p=2.0, eps=1e-06, keepdim=False):
    """``norm(x1 - x2 + eps, p, dim=-1)`` (torch computes it as one norm: NormBackward1)."""
    d = x1 - x2 + eps
    if p == float("inf"):
        return jnp.max(jnp.abs(d), axis=-1, keepdims=keepdim)
    if p == 0:
        return jnp.sum(d != 0, axis=-1, keepdims=keepdim).astype(jnp.abs(d).dtype)
    return jnp.sum(jnp.abs(d) ** p, axis=-1, keepdims=keepdim) ** (1.0 / p)


def _mlm_check(input, target, reduction="mean"):
    ok = (input.dim() <= 1 and target.dim() <= 1 and target.numel() == input.numel()) or \
        (input.dim() == 2 and target.dim() == 2 and tuple(target.shape) == tuple(input.shape))
    if not ok:
        raise RuntimeError(f"inconsistent target size: {list(target.shape)} for input of size: "
                           f"{list(input.shape)}")
    float_kernel("multilabel_margin_loss_forward_out_frame")(input)
    if target.dtype is not _dtypes.int64:
        raise RuntimeError(f"expected scalar type Long but found "
                           f"{_dtypes.torch_type_name(target.dtype)}")
    n_cls = input.shape[-1] if input.dim() else 1
    if first_out_of_bounds(target, -1, n_cls) is not None:
        raise RuntimeError("argument #2 'target' is out of range")


@op(variants="", tensors=("input", "target"), promote=Promotion.NONE, check=_mlm_check,
    grad_fn="MultilabelMarginLossBackward0", saves=("input", "target"))
def _multilabel_margin_loss(input, target, reduction="mean"):
    """Per sample: the labels are ``target``'s leading entries before the first -1; the loss
    sums ``max(0, 1 - (x[label] - x[other]))`` over labels x non-labels, over C."""
    x = input.reshape(-1, input.shape[-1]) if input.ndim else input.reshape(1, 1)
    t = target.reshape(x.shape).astype(jnp.int64)
    c = x.shape[-1]
    valid = jnp.cumprod(t >= 0, axis=-1).astype(bool)                 # before the first -1
    safe = jnp.where(valid, t, 0)
    is_label = jnp.zeros(x.shape, bool).at[jnp.arange(x.shape[0])[:, None], safe].max(valid)
    xl = jnp.take_along_axis(x, safe, axis=-1)                          # (B, C) label scores
    hinge = 1 - (xl[:, :, None] - x[:, None, :])                        # (B, label j, other i)
    mask = valid[:, :, None] & ~is_label[:, None, :]
    per = jnp.where(mask & (hinge > 0), hinge, 0).sum((1, 2)) / c
    per = per.astype(input.dtype)
    if reduction == "mean":
        return per.mean()
    if reduction == "sum":
        return per.sum()
    return per.reshape(input.shape[:-1]) if input.ndim > 1 else per.reshape(())
