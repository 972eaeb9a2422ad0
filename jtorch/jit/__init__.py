"""torch.jit's markers and queries, as library code calls them in eager code.

jtorch has no TorchScript: ``is_scripting()``/``is_tracing()`` are False (torch answers the
same outside script/trace), the decorators (``ignore``, ``unused``, ``export``) return the
function unchanged, ``Final`` is ``typing.Final`` (as in torch), ``annotate`` returns its
value. ``script``/``trace`` compile to TorchScript in torch; jtorch cannot, so they raise.
"""
from typing import Final  # noqa: F401  (torch.jit.Final is typing.Final)


def is_scripting():
    return False


def is_tracing():
    return False


def _marker(fn=None, **kwargs):
    """A decorator usable bare (``@ignore``) or called (``@ignore(drop=True)``)."""
    if callable(fn):
        return fn
    return lambda f: f


def ignore(drop=False, **kwargs):
    return _marker(drop, **kwargs)


def unused(fn):
    return fn


def export(fn):
    return fn


def annotate(the_type, the_value):
    return the_value


def _no_torchscript(what):
    raise NotImplementedError(f"jtorch has no TorchScript: torch.jit.{what} is not supported "
                              "(torch.compile is jtorch's compiler)")


def script(obj, optimize=None, _frames_up=0, _rcb=None, example_inputs=None):
    _no_torchscript("script")


def trace(func, example_inputs=None, *args, **kwargs):
    _no_torchscript("trace")


class ScriptModule:
    """Marker class: no jtorch object is a ScriptModule (isinstance checks answer False)."""


class ScriptFunction:
    """Marker class: no jtorch object is a ScriptFunction."""
