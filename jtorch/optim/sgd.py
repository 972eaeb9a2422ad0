"""torch.optim.SGD: stochastic gradient descent with momentum, dampening, Nesterov momentum,
L2 weight decay and maximize."""
from __future__ import annotations

from . import _args
from . import _functional
from . import _hyper as hyper
from .optimizer import _FusedOptimizer

__all__ = ["SGD"]


class SGD(_FusedOptimizer):
    """``p -= lr * g`` where ``g`` is the gradient (plus ``weight_decay * p``), optionally
    through a momentum buffer ``b = momentum * b + (1 - dampening) * g``."""

    _rule = staticmethod(_functional.sgd)
    _writes = {"momentum_buffer": 2}   # torch: buf.mul_(momentum).add_(grad)
    _lazy_keys = ("momentum_buffer",)  # the first step's buffer is a copy of the gradient

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0,
                 nesterov=False, *, maximize=False, foreach=None, differentiable=False,
                 fused=None):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening,
                    "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
                    "foreach": foreach, "differentiable": differentiable, "fused": fused}
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        _args.check_fused(fused, foreach, differentiable)

    def __setstate__(self, state):
        super().__setstate__(state)
        _args.fill_group_defaults(self, nesterov=False, maximize=False, foreach=None,
                                  differentiable=False, fused=False)

    def _flags(self, group):
        return (("weight_decay", group["weight_decay"] != 0),
                ("momentum", group["momentum"] != 0),
                ("nesterov", bool(group["nesterov"])), ("maximize", bool(group["maximize"])))

    def _hyper(self, group):
        return hyper.fill(hyper.SGD, group)

    def _state_keys(self, group):
        # torch keeps no state at all without momentum (state_dict()['state'] == {})
        return ("momentum_buffer",) if group["momentum"] != 0 else ()
