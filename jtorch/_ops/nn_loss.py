"""Losses torch computes in one kernel (one op each here, torch's node names); the losses
torch writes as compositions live in ``nn/_losses.py`` as the same compositions."""
import jax.numpy as jnp

from .. import _dtypes
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
