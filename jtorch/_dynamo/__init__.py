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


# Markers and queries library code calls outside compiled code (see jtorch.compiler for
# why each changes nothing under JAX tracing); shapes are always static in jtorch's traces.
def is_compiling():
    from ..compiler import is_compiling as _is_compiling
    return _is_compiling()


def allow_in_graph(fn):
    return fn


def assume_constant_result(fn):
    return fn


def mark_static_address(t, guard=False):
    return None


def mark_dynamic(t, index, *, min=None, max=None, specialize_on=None):
    return None


def maybe_mark_dynamic(t, index):
    return None


def mark_static(t, index=None):
    return None


__all__ += ["is_compiling", "allow_in_graph", "assume_constant_result", "mark_static_address",
            "mark_dynamic", "maybe_mark_dynamic", "mark_static"]
