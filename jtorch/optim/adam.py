"""torch.optim.Adam (and the decoupled weight decay that AdamW turns on)."""
from __future__ import annotations

import jtorch
from . import _functional
from . import _hyper as hyper
from .optimizer import _FusedOptimizer, _scalar_dtype

__all__ = ["Adam"]


def _to_scalar(x):
    return x.item() if isinstance(x, jtorch.Tensor) else x


class Adam(_FusedOptimizer):
    """Adam: moments ``m``, ``v`` of the gradient with bias corrections; the step is
    ``lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)`` (torch's arithmetic,
    ``eps`` added after the square root). ``state['step']`` is a float tensor."""

    _rule = staticmethod(_functional.adam)
    # torch: exp_avg.lerp_, exp_avg_sq.mul_().addcmul_(), step += 1, maximum(out=)
    _writes = {"step": 1, "exp_avg": 1, "exp_avg_sq": 2, "max_exp_avg_sq": 1}

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        if isinstance(lr, jtorch.Tensor):
            if foreach and not capturable:
                raise ValueError("lr as a Tensor is not supported for capturable=False and "
                                 "foreach=True")
            if lr.numel() != 1:
                raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not ((isinstance(betas[0], float) and isinstance(betas[1], float))
                or (isinstance(betas[0], jtorch.Tensor)
                    and isinstance(betas[1], jtorch.Tensor))):
            raise ValueError("betas must be either both floats or both Tensors")
        betas = tuple(map(_to_scalar, betas))
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach,
                    "capturable": capturable, "differentiable": differentiable,
                    "fused": fused, "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("amsgrad", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("capturable", False)
            group.setdefault("differentiable", False)
            group.setdefault("decoupled_weight_decay", False)
            fused = group.setdefault("fused", None)
            for p in group["params"]:
                st = self.state.get(p, [])
                if len(st) != 0 and not isinstance(st["step"], jtorch.Tensor):
                    value = float(st["step"])
                    st["step"] = jtorch.tensor(value, dtype=_scalar_dtype(fused)) \
                        if group["capturable"] or group["fused"] else \
                        jtorch.tensor(value, dtype=_scalar_dtype())

    def _init_state(self, p, group, state):
        fused_or_capturable = group["capturable"] or group["fused"]
        state["step"] = jtorch.zeros((), dtype=_scalar_dtype(group["fused"]),
                                     device=p.device) if fused_or_capturable else \
            jtorch.tensor(0.0, dtype=_scalar_dtype())
        state["exp_avg"] = jtorch.zeros_like(p)
        state["exp_avg_sq"] = jtorch.zeros_like(p)
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = jtorch.zeros_like(p)

    def _state_keys(self, group):
        keys = ("step", "exp_avg", "exp_avg_sq")
        return keys + ("max_exp_avg_sq",) if group["amsgrad"] else keys

    def _flags(self, group):
        return (("weight_decay", group["weight_decay"] != 0),
                ("amsgrad", bool(group["amsgrad"])), ("maximize", bool(group["maximize"])),
                ("decoupled", bool(group["decoupled_weight_decay"])))

    def _hyper(self, group):
        return hyper.with_betas(hyper.Adam, group,
                                decay=1 - float(group["lr"]) * float(group["weight_decay"]))

    def _param_writes(self, group):
        # AdamW: param.mul_(1 - lr * wd) before param.addcdiv_()
        return 2 if group["decoupled_weight_decay"] and group["weight_decay"] != 0 else 1
