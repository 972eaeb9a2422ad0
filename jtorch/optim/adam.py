"""torch.optim.Adam (and the decoupled weight decay that AdamW turns on)."""
from __future__ import annotations

import jtorch
from . import _args
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
        if isinstance(lr, jtorch.Tensor) and foreach and not capturable:
            raise ValueError("lr as a Tensor is not supported for capturable=False and "
                             "foreach=True")
        _args.check_lr(lr)
        _args.check_non_negative(epsilon=eps)
        _args.check_betas(betas)
        _args.check_non_negative(weight_decay=weight_decay)
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
        _args.check_fused(fused, foreach, differentiable)

    def __setstate__(self, state):
        super().__setstate__(state)
        _args.fill_group_defaults(self, amsgrad=False, maximize=False, foreach=None,
                                  capturable=False, differentiable=False,
                                  decoupled_weight_decay=False, fused=None)
        # torch picks the fused dtype only when capturable or fused; _scalar_dtype(falsy)
        # is the default scalar dtype, so the group's fused flag alone decides
        _args.counters_to_tensors(self, dtype_of=lambda group: _scalar_dtype(group["fused"]))

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
