"""Losses and distances torch writes as compositions of ops, written as the same
compositions (so values, gradients and grad_fn names follow), and the functional forms of
the one-kernel losses of ``_ops/nn_loss.py``. Re-exported by ``nn.functional``."""
import math
import warnings

import jtorch
from .._ops import nn_ctc, nn_loss
from .. import _errors


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{reduction} is not a valid value for reduction")


def _legacy(size_average, reduce, reduction):
    from .functional import _reduction
    return _reduction(size_average, reduce, reduction)


def _same_size(input, target, name):
    if target.shape != input.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input "
                      f"size ({input.shape}). This will likely lead to incorrect results due "
                      "to broadcasting. Please ensure they have the same size.", stacklevel=3)


def _broadcast(a, b):
    """``broadcast_tensors`` with torch's message for shapes that do not broadcast."""
    _errors.infer_size(tuple(a.shape), tuple(b.shape))
    return jtorch.broadcast_tensors(a, b)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    _same_size(input, target, "smooth_l1_loss")
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    reduction = _legacy(size_average, reduce, reduction)
    i, t = _broadcast(input, target)
    return nn_loss._smooth_l1_loss(i, t, reduction, beta)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    _same_size(input, target, "huber_loss")
    i, t = _broadcast(input, target)
    return nn_loss._huber_loss(i, t, reduction, delta)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    return nn_loss._soft_margin_loss(input, target, _legacy(size_average, reduce, reduction))


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None,
                      reduce=None, reduction="mean"):
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    return nn_loss._multi_margin_loss(input, target, weight, p, margin,
                                      _legacy(size_average, reduce, reduction))


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    reduction = _legacy(size_average, reduce, reduction)
    if reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the "
                      "support size.'batchmean' divides only by the batch size, and aligns "
                      "with the KL div math definition.'mean' will be changed to behave the "
                      "same as 'batchmean' in the next major release.", stacklevel=2)
    if log_target:
        loss = jtorch.exp(target) * (target - input)
    else:
        loss = jtorch.xlogy(target, target) - target * input
    if reduction == "batchmean":
        return loss.sum() / input.shape[0] if input.dim() else loss.sum()
    return _reduce(loss, reduction)


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                        reduction="mean"):
    if not (input1.dim() == input2.dim() == target.dim()):
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same "
                           f"dimension but got sizes: input1: {input1.shape}, input2: "
                           f"{input2.shape}, target: {target.shape} ")
    loss = (-target * (input1 - input2) + margin).clamp_min(0)
    return _reduce(loss, _legacy(size_average, reduce, reduction))


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None,
                         reduction="mean"):
    zeros = jtorch.zeros_like(input)
    margin_clamp = (margin - input).clamp_min(0)
    loss = jtorch.where(target != 1, margin_clamp, zeros) + \
        jtorch.where(target != -1, input, zeros)
    return _reduce(loss, _legacy(size_average, reduce, reduction))


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                          reduction="mean"):
    eps = 1e-12
    prod = (input1 * input2).sum(-1)
    mag1 = (input1 * input1).sum(-1) + eps
    mag2 = (input2 * input2).sum(-1) + eps
    cos = prod / (mag1 * mag2).sqrt()
    zeros = jtorch.zeros_like(cos)
    loss = jtorch.where(target == 1, 1 - cos, zeros) + \
        jtorch.where(target == -1, (cos - margin).clamp_min(0), zeros)
    return _reduce(loss, _legacy(size_average, reduce, reduction))


def pairwise_distance(x1, x2, p=2.0, eps=1e-06, keepdim=False):
    # integer inputs give a default-dtype distance, as torch's (it computes in float)
    if isinstance(x1, jtorch.Tensor) and isinstance(x2, jtorch.Tensor) and not (
            x1.is_floating_point() or x1.is_complex() or x2.is_floating_point() or
            x2.is_complex()):
        x1, x2 = x1.to(jtorch.get_default_dtype()), x2.to(jtorch.get_default_dtype())
    return nn_loss._pairwise_distance(x1, x2, float(p), eps, keepdim)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-06, swap=False,
                        size_average=None, reduce=None, reduction="mean"):
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = jtorch.min(d_neg, pairwise_distance(positive, negative, p, eps))
    loss = (margin + d_pos - d_neg).clamp_min(0)
    return _reduce(loss, _legacy(size_average, reduce, reduction))


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-08,
                     reduce=None, reduction="mean"):
    if log_input:
        loss = jtorch.exp(input) - target * input
    else:
        loss = input - target * jtorch.log(input + eps)
    if full:
        stirling = target * jtorch.log(target) - target + 0.5 * jtorch.log(2 * math.pi * target)
        loss = loss + stirling.masked_fill(target <= 1, 0)
    return _reduce(loss, _legacy(size_average, reduce, reduction))


def gaussian_nll_loss(input, target, var, full=False, eps=1e-06, reduction="mean"):
    if isinstance(var, (int, float)):
        var = jtorch.full_like(input, var)
    if var.shape != input.shape:
        if input.shape[:-1] == var.shape:
            var = var.unsqueeze(-1)
        elif not (input.shape[:-1] == var.shape[:-1] and var.shape[-1] == 1):
            raise ValueError("var is of incorrect size")
    if (var < 0).any():
        raise ValueError("var has negative entry/entries")
    var = var.clone()
    with jtorch.no_grad():
        var.clamp_(min=eps)
    loss = 0.5 * (jtorch.log(var) + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None,
                                reduction="mean"):
    from .functional import logsigmoid
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    loss = loss.sum(dim=input.dim() - 1) / input.shape[-1]
    return _reduce(loss, _legacy(size_average, reduce, reduction))


def cosine_similarity(x1, x2, dim=1, eps=1e-08):
    x1, x2 = jtorch.broadcast_tensors(x1, x2)
    n1 = jtorch.linalg.vector_norm(x1, 2, dim=dim, keepdim=True)
    n2 = jtorch.linalg.vector_norm(x2, 2, dim=dim, keepdim=True)
    with jtorch.no_grad():   # torch clamps the norms in place, outside autograd
        n1.clamp_(min=eps)
        n2.clamp_(min=eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    res = input / denom
    if out is not None:
        out.copy_(res)
        return out
    return res



def _lengths(lengths, name, batch):
    """CTC lengths (a tensor, list or tuple) as host integers, checked as torch checks them."""
    if isinstance(lengths, jtorch.Tensor):
        if lengths.is_floating_point() or lengths.is_complex():
            raise RuntimeError(f"{name} must be integral")
        values = [int(v) for v in lengths.reshape(-1).tolist()]
    else:
        values = [int(v) for v in (lengths if isinstance(lengths, (list, tuple)) else
                                   [lengths])]
    if len(values) != batch:
        raise RuntimeError(f"{name} must be of size batch_size")
    return values


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean",
             zero_infinity=False):
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if not log_probs.is_floating_point():
        raise NotImplementedError(f'"ctc_loss_cpu" not implemented for '
                                  f"'{log_probs.type()[6:-6]}'")    # torch.LongTensor
    batched = log_probs.dim() == 3
    lp = log_probs if batched else log_probs.unsqueeze(1)
    tg = targets if batched else targets.unsqueeze(0)
    steps, batch, classes = lp.shape
    if not 0 <= blank < classes:
        raise RuntimeError("blank must be in label range")
    il = _lengths(input_lengths, "input_lengths", batch)
    tl = _lengths(target_lengths, "target_lengths", batch)
    where = " (while checking arguments for ctc_loss_allocate_outputs)"
    for v in il:
        if v > steps:
            raise RuntimeError(f"Expected input_lengths to have value at most {steps}, but got "
                               f"value {v}{where}")
    if tg.dim() == 1:
        # concatenated targets: lay them out padded, one row per sample
        if tg.shape[0] != sum(tl):
            raise RuntimeError(f"Expected tensor to have size {sum(tl)} at dimension 0, but "
                               f"got size {tg.shape[0]} for argument #2 'targets'{where}")
        flat = tg.tolist()
        width = max(tl, default=0)
        rows, start = [], 0
        for n in tl:
            rows.append(flat[start:start + n] + [0] * (width - n))
            start += n
        tg = jtorch.tensor(rows, dtype=jtorch.int64).reshape(batch, width)
    elif tl and tg.shape[1] < max(tl):
        raise RuntimeError(f"Expected tensor to have size at least {max(tl)} at dimension 1, "
                           f"but got size {tg.shape[1]} for argument #2 'targets'{where}")
    if tg.is_floating_point():
        tg = tg.long()
    il_t = jtorch.tensor(il, dtype=jtorch.int64)
    tl_t = jtorch.tensor(tl, dtype=jtorch.int64)
    loss = nn_ctc._ctc_loss(lp, tg, il_t, tl_t, int(blank), bool(zero_infinity))
    if zero_infinity:
        loss = jtorch.where(loss == math.inf, jtorch.zeros((), dtype=loss.dtype), loss)
    if reduction == "mean":
        return (loss / tl_t.clamp_min(1)).mean()
    if reduction == "sum":
        return loss.sum()
    return loss if batched else loss.squeeze(0)


__all__ = ["ctc_loss", "smooth_l1_loss", "huber_loss", "soft_margin_loss", "multi_margin_loss",
           "kl_div",
           "margin_ranking_loss", "hinge_embedding_loss", "cosine_embedding_loss",
           "pairwise_distance", "triplet_margin_loss", "poisson_nll_loss", "gaussian_nll_loss",
           "multilabel_soft_margin_loss", "cosine_similarity", "normalize"]
