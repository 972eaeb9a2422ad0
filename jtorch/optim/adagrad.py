"""torch.optim.Adagrad."""
from __future__ import annotations

import jtorch
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
        if isinstance(lr, jtorch.Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError("Invalid initial_accumulator_value value: "
                             f"{initial_accumulator_value}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value,
                    "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p, group, self.state[p])

    def __setstate__(self, state):
        super().__setstate__(state)
        fused = None
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            fused = group.setdefault("fused", None)
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
