"""torch.optim.Adadelta, Adamax, NAdam and RAdam: state created on the first step (torch's
lazy init), each group's update one jitted call of a rule in ``_functional_adaptive``."""
from __future__ import annotations

import jtorch
from . import _args
from . import _functional_adaptive as rules
from . import _hyper as hyper
from .optimizer import _FusedOptimizer, _scalar_dtype

__all__ = ["Adadelta", "Adamax", "NAdam", "RAdam"]


def _check(lr, eps, weight_decay, betas=None):
    _args.check_lr(lr)
    _args.check_non_negative(epsilon=eps)
    if betas is not None:
        _args.check_betas(betas)
    _args.check_non_negative(weight_decay=weight_decay)


class _LazyState(_FusedOptimizer):
    _keys = ()
    _decoupled_option = False      # NAdam and RAdam: decoupled_weight_decay changes the rule
    # what torch's __setstate__ adds to an older checkpoint's groups (in its order), and the
    # state counters it turns from numbers into tensors
    _added_options = ("foreach", "maximize", "differentiable", "capturable")
    _counters = ("step",)

    def __setstate__(self, state):
        super().__setstate__(state)
        options = dict(foreach=None, maximize=False, differentiable=False, capturable=False,
                       decoupled_weight_decay=False)
        _args.fill_group_defaults(self, **{k: options[k] for k in self._added_options})
        _args.counters_to_tensors(self, self._counters)

    def _step_tensor(self):
        return jtorch.tensor(0.0, dtype=_scalar_dtype())

    def _init_state(self, p, group, state):
        state["step"] = self._step_tensor()
        for key in self._keys[1:]:
            state[key] = jtorch.zeros_like(p)

    def _state_keys(self, group):
        return self._keys

    def _check_group(self, group):
        super()._check_group(group)
        if group.get("capturable"):
            raise NotImplementedError("jtorch optimizers do not support capturable=True")

    def _flags(self, group):
        flags = (("weight_decay", group["weight_decay"] != 0),
                 ("maximize", bool(group["maximize"])))
        if self._decoupled_option:
            flags += (("decoupled", bool(group["decoupled_weight_decay"])),)
        return flags


class Adadelta(_LazyState):
    _rule = staticmethod(rules.adadelta)
    _keys = ("step", "square_avg", "acc_delta")
    _writes = {"step": 1, "square_avg": 2, "acc_delta": 2}

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):
        _check(lr, eps, weight_decay)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        super().__init__(params, {"lr": lr, "rho": rho, "eps": eps,
                                  "weight_decay": weight_decay, "maximize": maximize,
                                  "capturable": capturable, "foreach": foreach,
                                  "differentiable": differentiable})

    def _hyper(self, group):
        return hyper.fill(hyper.Adadelta, group)


class Adamax(_LazyState):
    _rule = staticmethod(rules.adamax)
    _keys = ("step", "exp_avg", "exp_inf")
    # exp_inf.mul_() then torch.maximum(out=exp_inf)
    _writes = {"step": 1, "exp_avg": 1, "exp_inf": 2}

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 foreach=None, *, maximize=False, differentiable=False, capturable=False):
        _check(lr, eps, weight_decay, betas)
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps,
                                  "weight_decay": weight_decay, "foreach": foreach,
                                  "maximize": maximize, "differentiable": differentiable,
                                  "capturable": capturable})

    def _hyper(self, group):
        return hyper.with_betas(hyper.Adamax, group)


class NAdam(_LazyState):
    _rule = staticmethod(rules.nadam)
    _decoupled_option = True
    _added_options = ("maximize", "foreach", "capturable", "differentiable",
                      "decoupled_weight_decay")
    _counters = ("step", "mu_product")
    _keys = ("step", "mu_product", "exp_avg", "exp_avg_sq")
    _writes = {"step": 1, "mu_product": 1, "exp_avg": 1, "exp_avg_sq": 2}

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None,
                 maximize=False, capturable=False, differentiable=False):
        _check(lr, eps, weight_decay, betas)
        if not 0.0 <= momentum_decay:
            raise ValueError(f"Invalid momentum_decay value: {momentum_decay}")
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps,
                                  "weight_decay": weight_decay,
                                  "momentum_decay": momentum_decay,
                                  "decoupled_weight_decay": decoupled_weight_decay,
                                  "maximize": maximize, "foreach": foreach,
                                  "capturable": capturable, "differentiable": differentiable})

    def _init_state(self, p, group, state):
        state["step"] = self._step_tensor()
        state["mu_product"] = jtorch.tensor(1.0, dtype=_scalar_dtype())
        state["exp_avg"] = jtorch.zeros_like(p)
        state["exp_avg_sq"] = jtorch.zeros_like(p)

    def _hyper(self, group):
        return hyper.with_betas(hyper.NAdam, group,
                                decay=1 - float(group["lr"]) * float(group["weight_decay"]))

    def _param_writes(self, group):
        decoupled = group["decoupled_weight_decay"] and group["weight_decay"] != 0
        return 3 if decoupled else 2      # two addcdiv_ (after mul_ when decoupled)


class RAdam(_LazyState):
    _rule = staticmethod(rules.radam)
    _decoupled_option = True
    _added_options = ("foreach", "maximize", "differentiable", "decoupled_weight_decay",
                      "capturable")
    _keys = ("step", "exp_avg", "exp_avg_sq")
    _writes = {"step": 1, "exp_avg": 1, "exp_avg_sq": 2}

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False,
                 capturable=False, differentiable=False):
        _check(lr, eps, weight_decay, betas)
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps,
                                  "weight_decay": weight_decay, "foreach": foreach,
                                  "maximize": maximize, "capturable": capturable,
                                  "decoupled_weight_decay": decoupled_weight_decay,
                                  "differentiable": differentiable})

    def _hyper(self, group):
        return hyper.with_betas(hyper.RAdam, group,
                                decay=1 - float(group["lr"]) * float(group["weight_decay"]))

    def _param_writes(self, group):
        decoupled = group["decoupled_weight_decay"] and group["weight_decay"] != 0
        return 2 if decoupled else 1
