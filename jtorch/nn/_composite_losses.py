"""Losses of torch.nn.functional that torch composes in Python from other ops:
multilabel_margin_loss, triplet_margin_with_distance_loss, cross_entropy's label smoothing and
probability targets (its body, called by ``functional.cross_entropy``), l1_loss's weights and
linear_cross_entropy. Compositions follow torch's own op order so values, gradients and
grad_fn names match."""
import math

import jtorch
from .._ops import nn_loss
from ._losses import _legacy, _reduce

__all__ = ["multilabel_margin_loss", "triplet_margin_with_distance_loss",
           "linear_cross_entropy"]


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    return nn_loss._multilabel_margin_loss(input, target,
                                               _legacy(size_average, reduce, reduction))


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None,
                                      margin=1.0, swap=False, reduction="mean"):
    from ._losses import pairwise_distance
    if margin <= 0:
        raise ValueError(f"TripletMarginWithDistanceLoss: expected margin to be greater than 0, "
                         f"got {margin} instead")
    a, p, n = anchor.dim(), positive.dim(), negative.dim()
    if not (a == p == n):
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the "
                           f"same number of dimensions, but got: anchor {a}D, positive {p}D, "
                           f"and negative {n}D inputs")
    dist = distance_function if distance_function is not None else pairwise_distance
    d_pos = dist(anchor, positive)
    d_neg = dist(anchor, negative)
    if swap:
        d_neg = jtorch.minimum(d_neg, dist(positive, negative))
    loss = jtorch.clamp_min(margin + d_pos - d_neg, 0)
    return _reduce(loss, reduction)


def _ce_smoothed(logp, target, weight, ignore_index, reduction, label_smoothing, nll):
    """torch's class-index cross entropy with label smoothing: a mix of the NLL term and the
    mean negative log-probability over classes."""
    class_dim = 0 if logp.dim() == 1 else 1
    n_classes = logp.shape[class_dim]
    loss = nll(logp, target, weight, None, ignore_index, None, reduction)
    ignore = target == ignore_index
    if weight is not None:
        shape = [1] * logp.dim()
        shape[class_dim] = weight.shape[0]
        smooth = -(logp * weight.view(shape)).sum(class_dim)
    else:
        smooth = -logp.sum(class_dim)
    smooth = smooth.masked_fill(ignore, 0.0)
    if reduction == "mean":
        if weight is not None:
            ret = smooth.sum() / weight.gather(0, target.masked_select(~ignore).flatten()).sum()
        else:
            ret = smooth.sum() / (~ignore).sum()
    elif reduction == "sum":
        ret = smooth.sum()
    else:
        ret = smooth
    return (1 - label_smoothing) * loss + ret * (label_smoothing / n_classes)


def _ce_probs(logp, target, weight, reduction, label_smoothing):
    """torch's cross entropy with class-probability targets."""
    class_dim = 0 if logp.dim() == 1 else 1
    n_classes = logp.shape[class_dim]
    if label_smoothing > 0:
        target = target * (1 - label_smoothing) + (label_smoothing / n_classes)
    prod = logp * target
    if weight is not None:
        if logp.dim() > 1:
            shape = [1] * logp.dim()
            shape[class_dim] = n_classes
            weight = weight.view(shape)
        prod = prod * weight
    if reduction == "mean":
        if logp.numel() == 0:
            return -prod.sum().fill_(float("nan"))
        return -prod.sum() / (logp.numel() / n_classes)
    if reduction == "sum":
        return -prod.sum()
    return -prod.sum(class_dim)


def cross_entropy_impl(input, target, weight, ignore_index, reduction, label_smoothing,
                       log_softmax, nll):
    """The body of ``F.cross_entropy`` (called by functional.py) after the legacy
    ``size_average``/``reduce`` arguments are folded into ``reduction``."""
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: "
                           f"{label_smoothing}")
    if input.dim() > 1 and target.dim() and target.shape[0] != input.shape[0]:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target "
                         f"batch_size ({target.shape[0]}).")
    class_dim = 0 if input.dim() == 1 else 1
    logp = log_softmax(input, class_dim)
    if target.is_floating_point() and tuple(target.shape) == tuple(input.shape):
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        return _ce_probs(logp, target, weight, reduction, label_smoothing)
    if label_smoothing > 0:
        return _ce_smoothed(logp, target, weight, ignore_index, reduction, label_smoothing, nll)
    return nll(logp, target, weight, None, ignore_index, None, reduction)


def weighted_l1_loss(input, target, reduction, weight):
    """``F.l1_loss(weight=)``: torch composes it in Python (abs error times weight)."""
    i, t = jtorch.broadcast_tensors(input, target)
    if weight.size() != input.size():
        raise ValueError("Weights and input must have the same size.")
    loss = jtorch.abs(i - t) * weight
    if reduction == "none":
        return loss
    if reduction == "sum":
        return jtorch.sum(loss)
    if reduction == "mean":
        return jtorch.sum(loss) / jtorch.sum(weight)
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', "
                     "'sum'.")


def linear_cross_entropy(input, linear_weight, target, *, linear_bias=None, weight=None,
                         reduction="mean", ignore_index=None, label_smoothing=0.0,
                         options=None):
    """cross_entropy(linear(input)) with torch's checks. torch's ``options`` select a
    memory-saving chunked kernel on the same values; jtorch computes it in one piece (XLA
    keeps only what the gradient needs), so ``options`` changes nothing here."""
    from .functional import cross_entropy, linear
    if input.dim() < 1 or input.dim() > 2:
        raise RuntimeError(f"expected input with dimensionality 1 or 2, got {input.dim()}")
    if linear_weight.dim() < 2:
        raise RuntimeError(f"expected linear_weight with dimensionality at least 2, got "
                           f"{linear_weight.dim()}")
    batches, in_features = tuple(input.shape[:-1]), input.shape[-1]
    if in_features != linear_weight.shape[-1]:
        raise RuntimeError(f"expected equal input and linear_weight last dimensions "
                           f"(in_features), got {input.shape[-1]} and "
                           f"{linear_weight.shape[-1]}, respectively")
    n_classes, out_features = linear_weight.shape[0], tuple(linear_weight.shape[1:-1])
    if linear_bias is not None and tuple(linear_bias.shape) != (n_classes, *out_features):
        raise RuntimeError(f"expected linear_bias shape {(n_classes, *out_features)}, got "
                           f"{tuple(linear_bias.shape)}")
    if out_features and not batches:
        raise RuntimeError(f"K-dimensional loss defined by linear_weight shape "
                           f"{tuple(linear_weight.shape)} requires batched input, (N, "
                           f"{in_features}), got unbatched input with shape "
                           f"{tuple(input.shape)}")
    logits_shape = (*batches, n_classes, *out_features)
    if tuple(target.shape) == logits_shape and ignore_index is not None:
        raise RuntimeError("ignore_index cannot be specified when target contains "
                           "probabilities")
    ignore_index = -100 if ignore_index is None else ignore_index
    if out_features:
        rows = math.prod(out_features) * n_classes
        linear_weight = linear_weight.reshape((rows, in_features))
        if linear_bias is not None:
            linear_bias = linear_bias.reshape(rows)
    logits = linear(input, linear_weight, linear_bias).reshape(logits_shape)
    return cross_entropy(logits, target, weight=weight, reduction=reduction,
                         ignore_index=ignore_index, label_smoothing=label_smoothing)
