"""Each optimizer's hyperparameters as one named record.

The optimizer fills its record by name from a param group (``Optimizer._hyper``); the
jitted update rule (``_functional*.py``) receives the record's values as one float64 array
(a run-time input, so a scheduler's new ``lr`` compiles nothing: ``optimizer._hyper_array``)
and reads them back by name: ``h = Adam(*h)``. The field order is defined here only.
Derived values are computed on the host where torch computes them in Python doubles
(``decay = 1 - lr * weight_decay``: inside jitted code XLA would fuse it into one rounding).
"""
from typing import Any, NamedTuple


class SGD(NamedTuple):
    lr: Any
    momentum: Any
    dampening: Any
    weight_decay: Any


class Adam(NamedTuple):           # Adam and AdamW
    lr: Any
    beta1: Any
    beta2: Any
    eps: Any
    weight_decay: Any
    decay: Any                    # 1 - lr * weight_decay (AdamW's param.mul_)


class RMSprop(NamedTuple):
    lr: Any
    alpha: Any
    eps: Any
    weight_decay: Any
    momentum: Any


class Adagrad(NamedTuple):
    lr: Any
    lr_decay: Any
    weight_decay: Any
    eps: Any


class Adadelta(NamedTuple):
    lr: Any
    rho: Any
    eps: Any
    weight_decay: Any


class Adamax(NamedTuple):
    lr: Any
    beta1: Any
    beta2: Any
    eps: Any
    weight_decay: Any


class NAdam(NamedTuple):
    lr: Any
    beta1: Any
    beta2: Any
    eps: Any
    weight_decay: Any
    momentum_decay: Any
    decay: Any                    # 1 - lr * weight_decay


class RAdam(NamedTuple):
    lr: Any
    beta1: Any
    beta2: Any
    eps: Any
    weight_decay: Any
    decay: Any                    # 1 - lr * weight_decay


class ASGD(NamedTuple):
    lr: Any
    lambd: Any
    alpha: Any
    t0: Any
    weight_decay: Any


class Rprop(NamedTuple):
    lr: Any
    etaminus: Any
    etaplus: Any
    step_size_min: Any
    step_size_max: Any


def with_betas(record, group, **extra):
    """``record`` filled from a group whose ``betas`` pair is split into beta1/beta2."""
    beta1, beta2 = group["betas"]
    return fill(record, group, beta1=beta1, beta2=beta2, **extra)


def fill(record, group, **given):
    """``record`` with each field from ``given`` or else the group's entry of that name, as
    Python floats."""
    return record(*(float(given[f] if f in given else group[f]) for f in record._fields))
