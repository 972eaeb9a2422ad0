"""nn.Buffer: a tensor marked to be registered as a buffer when assigned to a Module."""
from __future__ import annotations

from ..._tensor import Tensor


class _BufferMeta(type):
    # torch's Buffer(...) returns a plain Tensor carrying a marker; isinstance follows it
    def __instancecheck__(cls, instance):
        if cls is Buffer:
            return isinstance(instance, Tensor) and getattr(instance, "_is_buffer", False)
        return super().__instancecheck__(instance)


class Buffer(Tensor, metaclass=_BufferMeta):
    def __new__(cls, data=None, *, persistent=True):
        if data is None:
            from ... import empty
            data = empty(0)
        t = data.detach()
        t._is_buffer = True
        t.persistent = persistent
        return t


__all__ = ["Buffer"]
