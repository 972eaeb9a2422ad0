"""The two patterns most distributions share: broadcast the parameters in __init__, and
expand them (without re-validating) in expand()."""
import numbers

import jtorch as torch
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
    event = dist._event_shape if event_shape is None else event_shape
    Distribution.__init__(new, batch_shape, event, validate_args=False)
    new._validate_args = dist._validate_args
    return new


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


def one_of(probs, logits):
    if (probs is None) == (logits is None):
        raise ValueError("Either `probs` or `logits` must be specified, but not both.")
