"""The two patterns most distributions share: broadcast the parameters in __init__, and
expand them (without re-validating) in expand().

A family whose expand() only expands its attributes of batch shape lists them in
``_batch_params`` and inherits ``expand`` (ExpandsParams, or TransformedDistribution's)."""
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
    new, batch_shape = dist._start_expand(cls, batch_shape, _instance)
    for name in names:
        if name in dist.__dict__:
            setattr(new, name, getattr(dist, name).expand(batch_shape))
    return dist._init_expanded(new, batch_shape, event_shape)


def family_of(dist):
    """The nearest class of ``dist`` defined in this package. Each torch family writes its
    own expand(), which names that family in the check on subclasses with a custom
    __init__; an inherited expand() names the same class through this."""
    return next(c for c in type(dist).__mro__ if c.__module__.startswith(__package__ + "."))


class ExpandsParams:
    """Mixin: ``expand`` for a family whose ``_batch_params`` (tensors, or distributions
    such as FisherSnedecor's Gammas) are all of batch shape."""

    def expand(self, batch_shape, _instance=None):
        return expand_params(self, family_of(self), batch_shape, self._batch_params, _instance)


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


class LocScale(CenteredAtLoc, ExpandsParams):
    """Mixin for the real-valued location-scale families (Normal, Laplace, Cauchy): their
    parameters, support, construction and expand."""
    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True
    _batch_params = ("loc", "scale")

    def __init__(self, loc, scale, validate_args=None):
        init_params(self, self._batch_params, (loc, scale), validate_args)


def one_of(probs, logits):
    if (probs is None) == (logits is None):
        raise ValueError("Either `probs` or `logits` must be specified, but not both.")
