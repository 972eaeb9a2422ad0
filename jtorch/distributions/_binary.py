"""The probs/logits pair of the binary-probability distributions (Bernoulli, Geometric,
Binomial, NegativeBinomial, LogitRelaxedBernoulli, ContinuousBernoulli): whichever of the
two is given is stored, the other is derived on first use."""
import jtorch as torch
from ._params import one_of
from .distribution import Distribution
from .utils import broadcast_all, lazy_property, logits_to_probs, probs_to_logits


def init_binary(dist, probs, logits, validate_args):
    """Store whichever of probs/logits was given (also as ``_param``); batch shape is ()
    for a Python number, else the tensor's shape."""
    one_of(probs, logits)
    given = probs if probs is not None else logits
    (param,) = broadcast_all(given)
    setattr(dist, "probs" if probs is not None else "logits", param)
    dist._param = param
    batch_shape = torch.Size() if not isinstance(given, torch.Tensor) else param.size()
    Distribution.__init__(dist, batch_shape, validate_args=validate_args)


def expand_binary(dist, cls, batch_shape, _instance, copied=()):
    """``copied`` names the attributes that the new instance shares unchanged."""
    new, batch_shape = dist._start_expand(cls, batch_shape, _instance)
    for name in copied:
        setattr(new, name, getattr(dist, name))
    for name in ("probs", "logits"):
        if name in dist.__dict__:
            setattr(new, name, getattr(dist, name).expand(batch_shape))
            new._param = getattr(new, name)
    return dist._init_expanded(new, batch_shape)


class BinaryProbs:
    """Mixin: ``logits`` and ``probs`` of one binary event, each derived from the other
    when only the other was given."""

    @lazy_property
    def logits(self):
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self):
        return logits_to_probs(self.logits, is_binary=True)


class BinaryParam(BinaryProbs):
    """Mixin: BinaryProbs plus what the stored parameter ``_param`` gives (its shape, and
    new tensors of its dtype and device)."""

    def _new(self, *args, **kwargs):
        return self._param.new(*args, **kwargs)

    @property
    def param_shape(self):
        return self._param.size()
