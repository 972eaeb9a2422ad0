"""torch.compile on JAX tracing (torch.compiler in jtorch).

A compiled callable runs as one XLA program per *guard key*: the structure of the state it
reaches (module parameters and buffers, ``.grad``, optimizer state: see ``_state``), input
shapes/dtypes/``requires_grad``, Python scalar arguments, grad mode and ``module.training``.
A new key traces again (up to ``torch._dynamo.config.cache_size_limit`` programs, then the
calls run eagerly); a warm call of a program whose run leaves its own key checks a cheaper
record of that state instead (``_fast``). A tensor value read in Python inside the trace is
a graph break: the call runs eagerly (one warning) or, with ``fullgraph=True``, raises
``torch._dynamo.exc.Unsupported``. The static flags of an optimizer's groups (``amsgrad``,
``weight_decay != 0``, ...) are part of the key as well.
"""
from __future__ import annotations

import functools

from .. import _trace
from ..nn.modules.module import Module
from . import _sharding, _wrapper
from ._module import DiffCompiled, FunctionCompiled, OptimizedModule
from ._scan import scan_steps  # noqa: F401  (a jtorch extension: an epoch as one program)

__all__ = ["compile", "reset", "disable", "is_compiling", "is_dynamo_compiling",
           "OptimizedModule"]


def compile(model=None, *, fullgraph=False, dynamic=None, backend="inductor", mode=None,
            options=None, disable=False, **_ignored):
    """torch.compile: ``model`` (a Module or function) traced into XLA programs."""
    if mode is not None and options is not None:
        raise RuntimeError("Either mode or options can be specified, but both can't be "
                           "specified at the same time.")
    if model is None:
        return functools.partial(compile, fullgraph=fullgraph, dynamic=dynamic,
                                 backend=backend, mode=mode, options=options, disable=disable)
    if not callable(model):
        raise RuntimeError("model must be a callable")
    if disable:
        return model
    if _sharding.wanted(options):       # a jtorch extension: one SPMD program over a Mesh
        return _sharding.compile_sharded(model, fullgraph, options)
    if isinstance(model, Module):
        return OptimizedModule(model, fullgraph)
    return FunctionCompiled(model, fullgraph)


_SUBCLASSES = {}


def compile_in_place(module, fullgraph=False, dynamic=None, backend="inductor", mode=None,
                     options=None, disable=False, **_ignored):
    """``Module.compile()``: the instance moves to a same-named subclass whose ``__call__``
    runs the compiled call (the eager ``Module.__call__`` is untouched, so other modules pay
    nothing)."""
    if disable:
        return
    cls = type(module)
    if cls not in _SUBCLASSES.values():
        sub = _SUBCLASSES.get(cls)
        if sub is None:
            sub = _SUBCLASSES[cls] = type(cls.__name__, (cls,), {
                "__call__": lambda self, *a, **k: self.__dict__["_compiled_call"](*a, **k),
                "__module__": cls.__module__, "__qualname__": cls.__qualname__})
        module.__class__ = sub
    eager = cls.__call__ if cls not in _SUBCLASSES.values() else cls.__mro__[1].__call__
    object.__setattr__(module, "_compiled_call", DiffCompiled(
        lambda *a, **k: eager(module, *a, **k), fullgraph, roots=[module]))
    if _sharding.wanted(options):
        _sharding.sharded(module._compiled_call, options)


def reset():
    """Forget every compiled program (torch.compiler.reset)."""
    for c in list(_wrapper._ALL):
        c.reset()


def disable(fn=None, recursive=True, *, reason=None):
    """``fn`` always runs eagerly, also when called from compiled code... here: it runs
    as plain jtorch code (inside a trace it is traced with its caller)."""
    if fn is None:
        return functools.partial(disable, recursive=recursive, reason=reason)

    @functools.wraps(fn)
    def run(*args, **kwargs):
        _wrapper.DISABLED[0] += 1
        try:
            return fn(*args, **kwargs)
        finally:
            _wrapper.DISABLED[0] -= 1
    return run


def is_compiling():
    return _trace.ACTIVE


is_dynamo_compiling = is_compiling


def is_exporting():
    """jtorch has no torch.export: never exporting."""
    return False


def allow_in_graph(fn):
    """Marks ``fn`` to be traced as one call; jtorch's tracing runs every Python function
    through, so the mark changes nothing and ``fn`` comes back as it is (as torch returns it)."""
    return fn


def assume_constant_result(fn):
    """Marks ``fn``'s result a constant of the compiled program; under jtorch's tracing a
    Python function's result is evaluated at trace time already, so ``fn`` is returned as is."""
    return fn
