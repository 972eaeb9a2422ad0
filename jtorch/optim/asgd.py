"""torch.optim.ASGD: averaged SGD, each group's update one jitted call of
``_functional_extra.asgd`` (state: step, eta, mu as float32 scalar tensors, and ax)."""
from __future__ import annotations

import jtorch
from . import _functional_extra as rules
from . import _args
from . import _hyper as hyper
from .optimizer import _FusedOptimizer, _scalar_dtype

__all__ = ["ASGD"]


class ASGD(_FusedOptimizer):
    _rule = staticmethod(rules.asgd)
    _keys = ("step", "eta", "mu", "ax")
    # step += 1; eta.copy_(); mu.copy_(); ax.add_() or ax.copy_()
    _writes = {"step": 1, "eta": 1, "mu": 1, "ax": 1}

    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0,
                 foreach=None, maximize=False, differentiable=False, capturable=False):
        _args.check_lr(lr)
        _args.check_non_negative(weight_decay=weight_decay)
        super().__init__(params, {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0,
                                  "weight_decay": weight_decay, "foreach": foreach,
                                  "maximize": maximize, "differentiable": differentiable,
                                  "capturable": capturable})

    def __setstate__(self, state):
        super().__setstate__(state)
        _args.fill_group_defaults(self, foreach=None, maximize=False, differentiable=False,
                                  capturable=False)
        _args.counters_to_tensors(self, ("step", "eta", "mu"))

    def _init_state(self, p, group, state):
        dt = _scalar_dtype()
        lr = group["lr"]
        state["step"] = jtorch.zeros((), dtype=dt)
        state["eta"] = jtorch.tensor(float(lr), dtype=dt)
        state["mu"] = jtorch.ones((), dtype=dt)
        state["ax"] = jtorch.zeros_like(p)

    def _state_keys(self, group):
        return self._keys

    def _check_group(self, group):
        super()._check_group(group)
        _args.check_not_capturable(group, "params, mus, etas, and state_steps")

    def _flags(self, group):
        return (("weight_decay", group["weight_decay"] != 0),
                ("maximize", bool(group["maximize"])),
                ("foreach", bool(group["foreach"])))

    def _hyper(self, group):
        return hyper.fill(hyper.ASGD, group)

    def _param_writes(self, group):
        return 1 if group["foreach"] else 2      # mul_ then add_, or one addcmul_
