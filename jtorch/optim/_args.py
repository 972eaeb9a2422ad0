"""What the optimizer constructors and ``__setstate__`` methods share: torch's argument checks
(with torch's messages, in the order each constructor calls them) and the upgrade of state
loaded from an older checkpoint."""
from __future__ import annotations

import jtorch
from .optimizer import _scalar_dtype


def check_lr(lr):
    """A tensor lr holds one element; lr >= 0 (written ``not 0.0 <= lr`` so NaN fails too)."""
    if isinstance(lr, jtorch.Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")


def check_non_negative(**values):
    """Each keyword's value >= 0, checked in keyword order: ``Invalid <name> value: <v>``."""
    for name, value in values.items():
        if not 0.0 <= value:
            raise ValueError(f"Invalid {name} value: {value}")


def check_betas(betas):
    """Both decays in [0, 1), as torch checks them (index 0, then 1)."""
    for i in (0, 1):
        if not 0.0 <= betas[i] < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {betas[i]}")


def check_fused(fused, foreach, differentiable):
    """torch's fused kernels exclude differentiable and foreach (checked after the groups)."""
    if fused and differentiable:
        raise RuntimeError("`fused` does not support `differentiable`")
    if fused and foreach:
        raise RuntimeError("`fused` and `foreach` cannot be `True` together.")


def check_not_capturable(group, tensors):
    """torch's capturable path needs an accelerator; on CPU it fails this assertion."""
    if group.get("capturable"):
        raise AssertionError(f"If capturable=True, {tensors} must be on supported devices: "
                             "['cuda', 'xpu', 'hpu', 'privateuseone', 'xla'].")


def fill_group_defaults(optimizer, **defaults):
    """Options added to torch after a checkpoint was saved get their defaults on load."""
    for group in optimizer.param_groups:
        for key, value in defaults.items():
            group.setdefault(key, value)


def counters_to_tensors(optimizer, keys=("step",), dtype_of=None):
    """Older checkpoints kept ``step`` (ASGD also eta and mu) as Python numbers; torch turns
    them into scalar tensors of ``dtype_of(group)`` (default: the scalar dtype)."""
    for group in optimizer.param_groups:
        dtype = _scalar_dtype() if dtype_of is None else dtype_of(group)
        for p in group["params"]:
            state = optimizer.state.get(p, {})
            for key in keys if state else ():
                if not isinstance(state[key], jtorch.Tensor):
                    state[key] = jtorch.tensor(float(state[key]), dtype=dtype)


def check_real_dense(p, optimizer_name):
    """Adafactor and Muon take real parameters with dense gradients (torch's messages)."""
    if p.is_complex():
        raise RuntimeError(f"{optimizer_name} does not support complex parameters")
    if p.grad.is_sparse:
        raise RuntimeError(f"{optimizer_name} does not support sparse gradients")
