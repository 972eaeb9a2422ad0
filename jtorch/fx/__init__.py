"""torch.fx's markers that library code applies at import.

jtorch has no FX symbolic tracer (torch.compile traces with JAX instead), so ``wrap`` only
returns its argument (torch returns it too, after noting it as a leaf for its tracer), and
``Proxy`` is the class an FX-traced value would have: nothing in jtorch is one, so
``isinstance(x, torch.fx.Proxy)`` answers False, as it does in eager torch.
"""

import sys


def wrap(fn_or_name):
    if not callable(fn_or_name) and not isinstance(fn_or_name, str):
        raise AssertionError(f"fn_or_name must be a global function or string name, got "
                             f"{type(fn_or_name)}")
    if sys._getframe(1).f_code.co_name != "<module>":  # torch enforces module-level use
        raise NotImplementedError("wrap must be called at the top level of a module")
    return fn_or_name


class Proxy:
    """An FX-traced value (never created by jtorch)."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError("jtorch has no torch.fx symbolic tracer")


class GraphModule:
    """An FX graph module (never created by jtorch)."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError("jtorch has no torch.fx symbolic tracer")
