"""torch's exceptions for errors JAX raises while tracing an op.

An op's shape checks mostly run before its compiled call (``OpDef.check``, with torch's
texts). What JAX finds first while tracing, it reports in its own words and types; the ones
a user meets by ordinary mistakes are translated here, so ``except RuntimeError:`` works as
in torch. The dispatcher calls ``translate`` only when a compiled call raised (a try block
costs nothing otherwise).
"""
from __future__ import annotations

import os
import re
import sys
import warnings

from jax.errors import JaxRuntimeError

# What an op's compiled call raises that ``translate`` may turn into torch's exception.
JAX_ERRORS = (TypeError, ValueError, JaxRuntimeError)
_PACKAGE = os.path.dirname(os.path.abspath(__file__))

_BROADCAST = re.compile(r"[Ii]ncompatible shapes for broadcasting|[Ii]ncompatible types for "
                        r"broadcasting|objects cannot be broadcast to a single shape")
# jnp.broadcast_to's errors: an operand broadcast to the first operand's shape (copy_)
_BROADCAST_TO = re.compile(r"Cannot broadcast to shape with fewer dimensions|Incompatible types "
                           r"for broadcasting: input type=.* and requested type=")
_SHAPE = re.compile(r"\(([0-9, ]*)\)")


def infer_size(a, b):
    """torch's broadcast of two shapes, with its error (scanning from the last dim)."""
    ndim = max(len(a), len(b))
    out = [0] * ndim
    for i in range(ndim - 1, -1, -1):
        off = ndim - 1 - i
        sa = a[len(a) - 1 - off] if off < len(a) else 1
        sb = b[len(b) - 1 - off] if off < len(b) else 1
        if sa != sb and sa != 1 and sb != 1:
            raise RuntimeError(f"The size of tensor a ({sa}) must match the size of tensor b "
                               f"({sb}) at non-singleton dimension {i}")
        out[i] = sa if sb == 1 else sb
    return tuple(out)


def _shapes_in(message):
    tail = message[_BROADCAST.search(message).end():]
    return [tuple(int(s) for s in m.split(",") if s.strip()) for m in _SHAPE.findall(tail)]


def translate(exc, shapes):
    """torch's exception for a JAX error raised by an op's compiled call on operands of these
    ``shapes`` (in argument order; a number's is ``()``), or None: then the original
    propagates. The operands are folded in order, as torch's TensorIterator does (JAX's
    message names them in the order its implementation combined them)."""
    if isinstance(exc, JaxRuntimeError):
        return out_of_memory(exc)
    if isinstance(exc, ValueError) and _BROADCAST_TO.search(str(exc)) and shapes:
        return _onto_first(shapes)
    if isinstance(exc, (TypeError, ValueError)) and _BROADCAST.search(str(exc)):
        for candidates in (shapes, _shapes_in(str(exc))):
            torch_error = _broadcast_of(candidates)[1]
            if torch_error is not None:
                return torch_error
    return None


def _broadcast_of(shapes):
    """(the shapes' broadcast, None), or (None, torch's error when they do not broadcast)."""
    shape = ()
    try:
        for s in shapes:
            shape = infer_size(shape, tuple(s))
    except RuntimeError as torch_error:
        return None, torch_error
    return shape, None


def _onto_first(shapes):
    """torch's error for operands that do not broadcast to the first one's shape (the
    in-place target's): their sizes differ, or their broadcast is larger."""
    shape, torch_error = _broadcast_of(shapes)
    return torch_error or RuntimeError(f"output with shape {list(shapes[0])} doesn't match "
                                       f"the broadcast shape {list(shape)}")


class OutOfMemoryError(RuntimeError):
    """Raised when a device allocation fails (torch.OutOfMemoryError, torch.cuda's too)."""


def out_of_memory(exc):
    """torch's OutOfMemoryError for XLA's RESOURCE_EXHAUSTED (a device allocation failed),
    or None for any other runtime error."""
    text = str(exc)
    if "RESOURCE_EXHAUSTED" not in text:
        return None
    detail = text.split("RESOURCE_EXHAUSTED:", 1)[-1].strip()
    return OutOfMemoryError(f"CUDA out of memory. {detail}")


def warn_at_user(message, category=UserWarning):
    """A warning attributed to the user's line (the first frame outside jtorch), as torch's
    C++ warnings are, whatever path through jtorch raised it."""
    level, frame = 2, sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        level, frame = level + 1, frame.f_back
    warnings.warn(message, category, stacklevel=level)


# ------------------------------------------------------------------ argument types
# The objects a user passes by mistake where a tensor belongs (a column name, a dict of
# options); torch's argument parser rejects them before any kernel runs.
_NOT_OPERANDS = (str, bytes, dict, set)
_MISSING_ATTR = re.compile(r"^'(\w+)' object has no attribute")


def _type_error(name, param, position, value):
    return TypeError(f"{name}(): argument '{param}' (position {position}) must be Tensor, "
                     f"not {type(value).__name__}")


def wrong_type(name, param, position, value, expected):
    """torch's argument parser's TypeError for ``value`` given where ``expected`` belongs."""
    return TypeError(f"{name}(): argument '{param}' (position {position}) must be {expected}, "
                     f"not {type(value).__name__}")


def check_int(name, param, position, value):
    """``value`` as an int, or the parser's TypeError (an int-like tensor passes, a float
    or str does not)."""
    import operator
    try:
        return operator.index(value)
    except TypeError:
        raise wrong_type(name, param, position, value, "int") from None


def check_operands(d, targs):
    """torch's TypeError when a tensor argument of op ``d`` is a str, bytes, dict or set
    (the dispatcher's full path calls this before the op's checks read the argument)."""
    for i, a in enumerate(targs):
        if isinstance(a, _NOT_OPERANDS):
            param = d.params[i]
            declared = getattr(d, "declared", None) or d.params
            position = declared.index(param) + 1 if param in declared else i + 1
            raise _type_error(d.name, param, position, a)


def _bad_argument(fn, args, kwargs, method):
    """(parameter name, position, value) of the first argument that cannot be a tensor."""
    import inspect
    try:
        sig = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        sig = {}
    params = list(sig)
    # a parameter whose default is a str takes one by design (reduction="mean", mode=...)
    textual = {k for k, p in sig.items() if isinstance(p.default, str)}
    for i, a in enumerate(args):
        if isinstance(a, _NOT_OPERANDS) and (i >= len(params) or params[i] not in textual):
            pname = params[i] if i < len(params) else "input"
            return pname, i if method else i + 1, a
    for k, a in kwargs.items():
        if isinstance(a, _NOT_OPERANDS) and k not in textual:
            pos = params.index(k) if k in params else len(args)
            return k, pos if method else pos + 1, a
    return None


def _caused_by(exc, value):
    """Whether ``exc`` is what using ``value`` as a tensor raises inside jtorch."""
    tname = type(value).__name__
    if isinstance(exc, AttributeError):
        m = _MISSING_ATTR.match(str(exc))
        return m is not None and m.group(1) == tname
    msg = str(exc)
    return msg == f"expected Tensor or number, but got {tname}" or \
        msg.endswith(f"must be Tensor, not {tname}")


class OutNeedsGrad(RuntimeError):
    """``out=`` refused because a result requires grad, raised by the ``out=`` writer
    without the op's name; the composite's ``guard_arguments`` prefixes ``<name>(): `` as
    torch's message has it."""


def guard_arguments(fn, name, method=False, attributes=None):
    """``fn`` (a Python-level op) raising torch's TypeError where a str/dict/... argument made
    it fail on an attribute or an operand check (nothing is checked on success).
    ``attributes``: {parameter: attribute} where torch's own function is Python code that
    reads that attribute of the argument first (torch's AttributeError then); an attribute
    may be a function of (args, kwargs); an op module may declare the table as
    ``fn._python_attributes`` instead."""
    import functools
    attributes = attributes or getattr(fn, "_python_attributes", None)

    @functools.wraps(fn)
    def guarded(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except OutNeedsGrad as e:
            raise RuntimeError(f"{name}(): {e}") from None
        except (AttributeError, TypeError) as e:
            if isinstance(e, TypeError) and str(e).startswith(f"{name}(): argument"):
                raise     # the op raised the parser's message itself (keyword-only wording)
            bad = _bad_argument(fn, args, kwargs, method)
            if bad is None or not _caused_by(e, bad[2]):
                raise
            if attributes and bad[0] in attributes:
                attr = attributes[bad[0]]
                if callable(attr):     # the attribute torch reads depends on the arguments
                    attr = attr(args, kwargs)
                raise AttributeError(f"'{type(bad[2]).__name__}' object has no attribute "
                                     f"'{attr}'") from None
            raise _type_error(name, *bad) from None
    return guarded


# ------------------------------------------------------------------ interrupts
def run_all(steps):
    """Call each of ``steps`` (no-argument callables) in order, all of them even when a
    KeyboardInterrupt arrives in one: that step runs again and the rest follow, then the
    interrupt is raised. For the write-back of values already computed (an optimizer's new
    parameters and state, a deferred queue's results): stopping half-way would leave some
    tensors updated and others not, which no later step can repair. A second interrupt
    during the same write-back is let through (the user insists)."""
    pending = None
    i, n = 0, len(steps)
    while i < n:
        try:
            steps[i]()
        except KeyboardInterrupt as e:
            if pending is not None:
                raise
            pending = e
            continue
        i += 1
    if pending is not None:
        raise pending
