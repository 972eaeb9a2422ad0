"""Legacy ``torch.autograd.Variable``: a Tensor (``isinstance(t, Variable)`` holds for every
tensor); ``Variable(t, requires_grad=...)`` is a new leaf sharing ``t``'s data."""
from __future__ import annotations
from .._tensor import Tensor


class _VariableMeta(type):
    def __instancecheck__(cls, other):
        return isinstance(other, Tensor)


class Variable(metaclass=_VariableMeta):
    def __new__(cls, data=None, requires_grad=False, volatile=False):
        if data is None:
            from .. import empty
            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        return data.detach().requires_grad_(requires_grad)


class set_multithreading_enabled:
    """jtorch's engine runs on the calling thread: the setting is accepted and kept."""

    _enabled = True

    def __init__(self, mode):
        self.prev = set_multithreading_enabled._enabled
        set_multithreading_enabled._enabled = bool(mode)

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        set_multithreading_enabled._enabled = self.prev
        return False


def is_multithreading_enabled():
    return set_multithreading_enabled._enabled


class enforce_grad_layout_policy:
    """jtorch's gradients are always contiguous: the policy holds whatever the setting."""

    def __init__(self, enable=True):
        self.enable = enable

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        return False
