"""The two patterns most distributions share: broadcast the parameters in __init__, and
expand them (without re-validating) in expand()."""
import numbers

import jtorch as torch
from . import constraints
from .distribution import Distribution
from .utils import broadcast_all


def init_params(dist, names, values, validate_args, event_shape=torch.Size()):
    """Broadcast ``values`` together, store them as ``names``; batch shape is () when every
    value is a Python number (torch's rule), else the broadcast shape."""
    tensors = broadcast_all(*values)
    for name, t in zip(names, tensors):
        setattr(dist, name, t)
    if all(isinstance(v, numbers.Number) for v in values):
        batch_shape = torch.Size()
    else:
        batch_shape = tensors[0].size()
    Distribution.__init__(dist, batch_shape, event_shape, validate_args=validate_args)


def expand_params(dist, cls, batch_shape, names, _instance=None, event_shape=None):
    """A new ``cls`` instance whose parameters present in ``dist`` are expanded views."""
    new = dist._get_checked_instance(cls, _instance)
    batch_shape = torch.Size(batch_shape)
    for name in names:
        if name in dist.__dict__:
            setattr(new, name, getattr(dist, name).expand(batch_shape))
    return dist._init_expanded(new, batch_shape, event_shape)


def init_count_params(dist, total_count, probs, logits, validate_args):
    """``total_count`` with ``probs`` or ``logits`` (Binomial, NegativeBinomial): the one
    given is stored under its name and as ``_param``."""
    one_of(probs, logits)
    name = "probs" if probs is not None else "logits"
    count, param = broadcast_all(total_count, probs if probs is not None else logits)
    setattr(dist, name, param)
    dist.total_count = count.type_as(param)
    dist._param = param
    Distribution.__init__(dist, param.size(), validate_args=validate_args)


def expand_count_params(dist, cls, batch_shape, _instance=None):
    new = expand_params(dist, cls, batch_shape, ("total_count", "probs", "logits"), _instance)
    new._param = new.logits if "logits" in new.__dict__ else new.probs
    return new


class CenteredAtLoc:
    """Mixin for distributions symmetric and unimodal about ``loc`` (Normal, Laplace, the
    multivariate normals): their mean and mode are both ``loc``."""

    @property
    def mean(self):
        return self.loc

    mode = mean  # the very same property: for these distributions the two coincide


class LocScale(CenteredAtLoc):
    """Mixin for the real-valued location-scale families (Normal, Laplace, Cauchy): their
    parameters, support and construction. Each family still writes ``expand``, which names
    the family class (torch's check on subclasses with their own __init__)."""
    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None):
        init_params(self, ("loc", "scale"), (loc, scale), validate_args)


def one_of(probs, logits):
    if (probs is None) == (logits is None):
        raise ValueError("Either `probs` or `logits` must be specified, but not both.")
