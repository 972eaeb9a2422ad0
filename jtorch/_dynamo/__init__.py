"""torch._dynamo's public corner in jtorch: ``reset``, ``config``, ``exc`` (the compiler
itself is ``jtorch.compiler``: JAX tracing, not bytecode analysis)."""
from . import config, exc


def reset():
    """Forget every compiled program (torch._dynamo.reset)."""
    from ..compiler import reset as _reset
    _reset()


def disable(fn=None, recursive=True, *, reason=None):
    from ..compiler import disable as _disable
    return _disable(fn, recursive, reason=reason)


__all__ = ["reset", "config", "exc", "disable"]
