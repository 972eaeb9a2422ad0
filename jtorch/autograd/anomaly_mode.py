"""Anomaly detection: ``detect_anomaly`` / ``set_detect_anomaly``.

With it on (and ``check_nan``), the engine checks every node's computed gradients and raises
torch's "Function 'XBackward0' returned nan values in its 0th output." (backward then runs on
the engine's node-by-node path, not the fused program). Nodes recorded while it is on keep
the stack of their forward call (``grad_fn.metadata["traceback_"]``, as torch's), and the
warning that precedes the error prints it; jtorch's own frames are left out (torch's ops are
C++ and show none).
"""
from __future__ import annotations

import functools
import os
import traceback
import warnings
from .._tensor import Tensor

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# [enabled, check_nan]: read by engine.py on every node while enabled
state = [False, True]

_WARNING = ("Anomaly Detection has been enabled. This mode will increase the runtime and "
            "should only be enabled for debugging.")


def is_anomaly_enabled():
    return state[0]


def is_anomaly_check_nan_enabled():
    return state[1]


class detect_anomaly:
    def __init__(self, check_nan=True):
        self.prev = state[0]
        self.prev_check_nan = state[1]
        self.check_nan = check_nan
        warnings.warn(_WARNING, stacklevel=2)

    def __enter__(self):
        state[0], state[1] = True, self.check_nan

    def __exit__(self, *exc):
        state[0], state[1] = self.prev, self.prev_check_nan
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__(self.check_nan):
                return fn(*args, **kwargs)
        return wrapper


class set_detect_anomaly:
    """Takes effect on construction (function form), restores on ``__exit__`` (context)."""

    def __init__(self, mode, check_nan=True):
        self.prev = state[0]
        self.prev_check_nan = state[1]
        state[0], state[1] = bool(mode), bool(check_nan)

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        state[0], state[1] = self.prev, self.prev_check_nan
        return False


def check_nan(node, grads):
    """torch's error for a node whose gradients hold a NaN (a warning names it first)."""
    import jax.numpy as jnp
    for i, g in enumerate(grads):
        if g is None:
            continue
        v = g._value() if isinstance(g, Tensor) else g
        if bool(jnp.isnan(v).any()):
            name = node.name().rsplit("::", 1)[-1]
            warnings.warn(_error_detected(name, node.metadata.get("traceback_")),
                          stacklevel=4)
            raise RuntimeError(f"Function '{name}' returned nan values in its {i}th output.")


def forward_stack():
    """The formatted frames of the current Python stack outside jtorch (a node's forward
    call), outermost first, as ``traceback.format_stack`` writes them."""
    frames = [f for f in traceback.extract_stack()[:-1]
              if not os.path.abspath(f.filename).startswith(_PACKAGE + os.sep)]
    return traceback.format_list(frames)


def _error_detected(name, stack):
    if not stack:
        return (f"Error detected in {name}. No forward pass information available. Enable "
                "detect anomaly during forward pass for more information.")
    return (f"Error detected in {name}. Traceback of forward call that caused the error:\n"
            + "".join(stack))
