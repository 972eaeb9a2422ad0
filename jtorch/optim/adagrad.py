"""torch.optim.Adagrad."""
from __future__ import annotations

import jtorch
from . import _args
from . import _functional
from . import _hyper as hyper
from .optimizer import _FusedOptimizer, _scalar_dtype

__all__ = ["Adagrad"]


class Adagrad(_FusedOptimizer):
    """Divides the gradient by the root of the running sum of its squares; the rate decays
    as ``lr / (1 + (step - 1) * lr_decay)``. State is created for every parameter at
    construction, as in torch."""

    _rule = staticmethod(_functional.adagrad)
    _writes = {"step": 1, "sum": 1}

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0,
                 initial_accumulator_value=0, eps=1e-10, foreach=None, *, maximize=False,
                 differentiable=False, fused=None):
        _args.check_lr(lr)
        _args.check_non_negative(lr_decay=lr_decay, weight_decay=weight_decay,
                                 initial_accumulator_value=initial_accumulator_value,
                                 epsilon=eps)
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value,
                    "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        _args.check_fused(fused, foreach, differentiable)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p, group, self.state[p])

    def __setstate__(self, state):
        super().__setstate__(state)
        _args.fill_group_defaults(self, foreach=None, maximize=False, differentiable=False,
                                  fused=None)
        # torch converts every state's step with the last group's fused flag
        fused = self.param_groups[-1]["fused"] if self.param_groups else None
        for st in self.state.values():
            if "step" in st and not isinstance(st["step"], jtorch.Tensor):
                st["step"] = jtorch.tensor(float(st["step"]), dtype=_scalar_dtype(fused))

    def _init_state(self, p, group, state):
        state["step"] = jtorch.zeros((), dtype=_scalar_dtype(True), device=p.device) \
            if group["fused"] else jtorch.tensor(0.0, dtype=_scalar_dtype())
        init = self.defaults["initial_accumulator_value"]
        if p.is_complex():
            init = complex(init, init)
        state["sum"] = jtorch.full_like(p, init)

    def _state_keys(self, group):
        return ("step", "sum")

    def _flags(self, group):
        return (("weight_decay", group["weight_decay"] != 0),
                ("maximize", bool(group["maximize"])))

    def _hyper(self, group):
        return hyper.fill(hyper.Adagrad, group)
