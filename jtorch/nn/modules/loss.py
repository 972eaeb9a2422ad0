"""Loss modules beyond the first slice, and the distance modules; each forwards to the
functional form with its constructor arguments."""
from __future__ import annotations

from .. import functional as F
from .layers import NLLLoss, _Loss
from .module import Module


def _loss(name, fn, params=(), weighted=False):
    """A loss class: ``params`` are (name, default) constructor arguments after the legacy
    size_average/reduce ones; ``fn(self, *inputs)`` computes it."""
    def __init__(self, *args, size_average=None, reduce=None, reduction="mean", **kwargs):
        _Loss.__init__(self, size_average, reduce, reduction)
        names = [p for p, _ in params]
        values = dict(params)
        values.update(zip(names, args))
        values.update({k: v for k, v in kwargs.items() if k in values})
        for k, v in values.items():
            if k == "weight":
                self.register_buffer("weight", v)
            else:
                setattr(self, k, v)

    def forward(self, *inputs):
        return fn(self, *inputs)
    return type(name, (_Loss,), {"__init__": __init__, "forward": forward,
                                 "__module__": __name__})


SmoothL1Loss = _loss("SmoothL1Loss", lambda s, i, t: F.smooth_l1_loss(
    i, t, reduction=s.reduction, beta=s.beta), (("beta", 1.0),))
HuberLoss = _loss("HuberLoss", lambda s, i, t: F.huber_loss(
    i, t, reduction=s.reduction, delta=s.delta), (("delta", 1.0),))
KLDivLoss = _loss("KLDivLoss", lambda s, i, t: F.kl_div(
    i, t, reduction=s.reduction, log_target=s.log_target), (("log_target", False),))
SoftMarginLoss = _loss("SoftMarginLoss", lambda s, i, t: F.soft_margin_loss(
    i, t, reduction=s.reduction))
MarginRankingLoss = _loss("MarginRankingLoss", lambda s, a, b, t: F.margin_ranking_loss(
    a, b, t, margin=s.margin, reduction=s.reduction), (("margin", 0.0),))
HingeEmbeddingLoss = _loss("HingeEmbeddingLoss", lambda s, i, t: F.hinge_embedding_loss(
    i, t, margin=s.margin, reduction=s.reduction), (("margin", 1.0),))
CosineEmbeddingLoss = _loss("CosineEmbeddingLoss", lambda s, a, b, t: F.cosine_embedding_loss(
    a, b, t, margin=s.margin, reduction=s.reduction), (("margin", 0.0),))
TripletMarginLoss = _loss("TripletMarginLoss", lambda s, a, p, n: F.triplet_margin_loss(
    a, p, n, margin=s.margin, p=s.p, eps=s.eps, swap=s.swap, reduction=s.reduction),
    (("margin", 1.0), ("p", 2.0), ("eps", 1e-06), ("swap", False)))
PoissonNLLLoss = _loss("PoissonNLLLoss", lambda s, i, t: F.poisson_nll_loss(
    i, t, log_input=s.log_input, full=s.full, eps=s.eps, reduction=s.reduction),
    (("log_input", True), ("full", False), ("eps", 1e-08)))
GaussianNLLLoss = _loss("GaussianNLLLoss", lambda s, i, t, v: F.gaussian_nll_loss(
    i, t, v, full=s.full, eps=s.eps, reduction=s.reduction), (("full", False), ("eps", 1e-06)))
MultiLabelSoftMarginLoss = _loss("MultiLabelSoftMarginLoss", lambda s, i, t:
                                 F.multilabel_soft_margin_loss(i, t, s.weight,
                                                               reduction=s.reduction),
                                 (("weight", None),))
MultiMarginLoss = _loss("MultiMarginLoss", lambda s, i, t: F.multi_margin_loss(
    i, t, s.p, s.margin, s.weight, reduction=s.reduction),
    (("p", 1), ("margin", 1.0), ("weight", None)))


class CTCLoss(_Loss):
    def __init__(self, blank=0, reduction="mean", zero_infinity=False):
        super().__init__(reduction=reduction)
        self.blank, self.zero_infinity = blank, zero_infinity

    def forward(self, log_probs, targets, input_lengths, target_lengths):
        return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, self.blank,
                          self.reduction, self.zero_infinity)


class CosineSimilarity(Module):
    def __init__(self, dim=1, eps=1e-08):
        super().__init__()
        self.dim, self.eps = dim, eps

    def forward(self, x1, x2):
        return F.cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    def __init__(self, p=2.0, eps=1e-06, keepdim=False):
        super().__init__()
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1, x2):
        return F.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)


class MultiLabelMarginLoss(_Loss):
    def __init__(self, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)

    def forward(self, input, target):
        return F.multilabel_margin_loss(input, target, reduction=self.reduction)


class TripletMarginWithDistanceLoss(_Loss):
    def __init__(self, *, distance_function=None, margin=1.0, swap=False, reduction="mean"):
        super().__init__(size_average=None, reduce=None, reduction=reduction)
        if margin <= 0:
            raise ValueError(f"TripletMarginWithDistanceLoss: expected margin to be greater "
                             f"than 0, got {margin} instead")
        self.distance_function = distance_function if distance_function is not None else \
            PairwiseDistance()
        self.margin, self.swap = margin, swap

    def forward(self, anchor, positive, negative):
        return F.triplet_margin_with_distance_loss(
            anchor, positive, negative, distance_function=self.distance_function,
            margin=self.margin, swap=self.swap, reduction=self.reduction)


class NLLLoss2d(NLLLoss):
    pass


__all__ = ["CTCLoss", "SmoothL1Loss", "HuberLoss", "KLDivLoss", "SoftMarginLoss",
           "MarginRankingLoss",
           "HingeEmbeddingLoss", "CosineEmbeddingLoss", "TripletMarginLoss", "PoissonNLLLoss",
           "GaussianNLLLoss", "MultiLabelSoftMarginLoss", "MultiMarginLoss",
           "CosineSimilarity", "PairwiseDistance", "MultiLabelMarginLoss",
           "TripletMarginWithDistanceLoss", "NLLLoss2d"]
