"""torch.optim.RMSprop (plain, centered, with momentum)."""
from __future__ import annotations

import jtorch
from . import _args
from . import _functional
from . import _hyper as hyper
from .optimizer import _FusedOptimizer, _scalar_dtype

__all__ = ["RMSprop"]


class RMSprop(_FusedOptimizer):
    """Divides the gradient by a running RMS ``sqrt(v) + eps`` with
    ``v = alpha * v + (1 - alpha) * g**2`` (minus the squared running mean if centered)."""

    _rule = staticmethod(_functional.rmsprop)
    _writes = {"step": 1, "square_avg": 2, "momentum_buffer": 2, "grad_avg": 1}

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        _args.check_lr(lr)
        _args.check_non_negative(epsilon=eps, momentum=momentum, weight_decay=weight_decay,
                                 alpha=alpha)
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps,
                    "centered": centered, "weight_decay": weight_decay,
                    "capturable": capturable, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def __setstate__(self, state):
        super().__setstate__(state)
        _args.fill_group_defaults(self, momentum=0, centered=False, foreach=None,
                                  maximize=False, differentiable=False, capturable=False)
        _args.counters_to_tensors(self)

    def _init_state(self, p, group, state):
        state["step"] = jtorch.zeros((), dtype=_scalar_dtype(), device=p.device) \
            if group["capturable"] else jtorch.zeros((), dtype=_scalar_dtype())
        state["square_avg"] = jtorch.zeros_like(p)
        if group["momentum"] > 0:
            state["momentum_buffer"] = jtorch.zeros_like(p)
        if group["centered"]:
            state["grad_avg"] = jtorch.zeros_like(p)

    def _state_keys(self, group):
        return ("step", "square_avg") + (("momentum_buffer",) if group["momentum"] > 0
                                         else ()) + (("grad_avg",) if group["centered"] else ())

    def _flags(self, group):
        return (("weight_decay", group["weight_decay"] != 0),
                ("momentum", group["momentum"] > 0), ("centered", bool(group["centered"])),
                ("maximize", bool(group["maximize"])))

    def _hyper(self, group):
        return hyper.fill(hyper.RMSprop, group)
