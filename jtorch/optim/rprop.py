"""torch.optim.Rprop: resilient backpropagation (per-element step sizes grown or shrunk by
the sign agreement of successive gradients), one jitted call per group."""
from __future__ import annotations

import jtorch
from . import _functional_extra as rules
from . import _args
from . import _hyper as hyper
from .optimizer import _FusedOptimizer, _scalar_dtype

__all__ = ["Rprop"]


class Rprop(_FusedOptimizer):
    _rule = staticmethod(rules.rprop)
    _keys = ("step", "prev", "step_size")
    # step += 1; prev.copy_(); step_size.mul_().clamp_()
    _writes = {"step": 1, "prev": 1, "step_size": 2}

    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        _args.check_lr(lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        super().__init__(params, {"lr": lr, "etas": etas, "step_sizes": step_sizes,
                                  "foreach": foreach, "maximize": maximize,
                                  "differentiable": differentiable, "capturable": capturable})

    def __setstate__(self, state):
        super().__setstate__(state)
        _args.fill_group_defaults(self, foreach=None, maximize=False, differentiable=False,
                                  capturable=False)
        _args.counters_to_tensors(self)

    def _init_state(self, p, group, state):
        state["step"] = jtorch.zeros((), dtype=_scalar_dtype())
        state["prev"] = jtorch.zeros_like(p)
        lr = float(group["lr"])
        fill = complex(lr, lr) if p.is_complex() else lr
        state["step_size"] = jtorch.full_like(p, fill)

    def _state_keys(self, group):
        return self._keys

    def _check_group(self, group):
        super()._check_group(group)
        _args.check_not_capturable(group, "params and state_steps")
        # torch's foreach path writes prev twice (copy_, then the masked copy_), three times
        # under maximize (a neg_ between)
        prev = (3 if group["maximize"] else 2) if group["foreach"] else 1
        self._writes = {**Rprop._writes, "prev": prev}

    def _flags(self, group):
        return (("maximize", bool(group["maximize"])),)

    def _hyper(self, group):
        etaminus, etaplus = group["etas"]
        smin, smax = group["step_sizes"]
        return hyper.fill(hyper.Rprop, group, etaminus=etaminus, etaplus=etaplus,
                          step_size_min=smin, step_size_max=smax)
