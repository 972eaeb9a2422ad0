"""Find the jtorch callable that corresponds to an OpInfo's torch callable.

torch builtins and library functions resolve by the OpInfo's dotted name under ``jtorch``
(``nn.functional.gelu`` -> ``jtorch.nn.functional.gelu``), then by ``aten_name``; Tensor
methods by the method name; Python functions written in torch's test modules (lambdas such as
``lambda x: x.item()``) are rebuilt with their torch globals replaced by jtorch's, so the same
code runs on jtorch. ``None`` means jtorch has no counterpart (the op counts as missing).
"""
import contextlib
import types

import torch
from torch.testing import _utils as _torch_utils
from torch.testing._internal.common_utils import freeze_rng_state

import jtorch


class Missing(Exception):
    """The op has no jtorch counterpart."""


def _attr_path(root, dotted):
    obj = root
    for part in dotted.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def jtorch_module(mod):
    """The jtorch module named like torch module ``mod`` (``torch.nn.functional`` ->
    ``jtorch.nn.functional``), or None."""
    name = mod.__name__
    if name == "torch":
        return jtorch
    if not name.startswith("torch."):
        return None
    return _attr_path(jtorch, name[len("torch."):])


@contextlib.contextmanager
def _freeze_rng_state():
    """jtorch's stand-in for torch's test helper ``freeze_rng_state`` (CPU generator only)."""
    state = jtorch.get_rng_state()
    try:
        yield
    finally:
        jtorch.set_rng_state(state)


def _wrapper_set_seed(op, *args, **kwargs):
    """jtorch's stand-in for torch's ``wrapper_set_seed``: the op under seed 42."""
    with _freeze_rng_state():
        jtorch.manual_seed(42)
        return op(*args, **kwargs)


_STAND_INS = {id(freeze_rng_state): _freeze_rng_state,
              id(_torch_utils.freeze_rng_state): _freeze_rng_state,
              id(_torch_utils.wrapper_set_seed): _wrapper_set_seed}


def _map_value(v):
    """A global or closure value of a test-module function, mapped to jtorch."""
    if id(v) in _STAND_INS:
        return _STAND_INS[id(v)]
    if _is_test_function(v):  # helpers such as wrapper_set_seed: rebuilt as well
        return rebuild(v)
    if isinstance(v, types.ModuleType):
        mapped = jtorch_module(v)
        return mapped if mapped is not None else v
    if v is torch.Tensor:
        return jtorch.Tensor
    if isinstance(v, torch.dtype):
        return getattr(jtorch, str(v).rsplit(".", 1)[1])
    mod = getattr(v, "__module__", None) or ""
    name = getattr(v, "__name__", None)
    if callable(v) and name and (mod == "torch" or mod.startswith("torch.")) \
            and not mod.startswith("torch.testing"):
        jmod = jtorch_module(__import__(mod, fromlist=["_"])) if mod else None
        found = getattr(jmod, name, None) if jmod is not None else None
        if found is None:
            found = getattr(jtorch, name, None)
        if found is None:
            raise Missing(f"{mod}.{name}")
        return found
    return v


def _names(code):
    """Global names read by ``code`` and the code objects nested in it (lambdas, genexprs)."""
    names = set(code.co_names)
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            names |= _names(c)
    return names


_REBUILT = {}


def rebuild(fn):
    """``fn`` (a Python function from torch's test code) with torch replaced by jtorch."""
    if fn is None or not isinstance(fn, types.FunctionType):
        return fn
    if fn in _REBUILT:
        return _REBUILT[fn]
    _REBUILT[fn] = fn  # a recursive helper sees itself as is until rebuilt
    try:
        return _rebuild(fn)
    except Missing:
        del _REBUILT[fn]
        raise


def _rebuild(fn):
    g = {}
    for name in _names(fn.__code__):
        if name in fn.__globals__:
            g[name] = _map_value(fn.__globals__[name])
    g["__builtins__"] = fn.__globals__.get("__builtins__", __builtins__)
    closure = None
    if fn.__closure__:
        closure = tuple(types.CellType(_map_value(c.cell_contents)) for c in fn.__closure__)
    new = types.FunctionType(fn.__code__, g, fn.__name__, fn.__defaults__, closure)
    new.__kwdefaults__ = fn.__kwdefaults__
    _REBUILT[fn] = new
    return new


def _is_test_function(fn):
    mod = getattr(fn, "__module__", "") or ""
    return isinstance(fn, types.FunctionType) and mod.startswith("torch.testing")


def _method_name(fn):
    qual = getattr(fn, "__qualname__", "") or ""
    if qual.startswith(("TensorBase.", "Tensor.")):
        return qual.split(".", 1)[1]
    return None


def resolve(info):
    """The jtorch callable for OpInfo ``info``; raises Missing with the name tried."""
    fn = info.op
    if _is_test_function(fn):
        return rebuild(fn)
    method = _method_name(fn)
    if method is not None:
        found = getattr(jtorch.Tensor, method, None)
        if found is None:
            raise Missing(f"Tensor.{method}")
        return found
    if isinstance(fn, (torch._ops.OpOverload, torch._ops.OpOverloadPacket)):
        raise Missing(f"torch.ops.aten.{info.name}")
    name = info.name[len("torch."):] if info.name.startswith("torch.") else info.name
    found = _attr_path(jtorch, name)
    if found is None and info.aten_name:
        found = getattr(jtorch, info.aten_name, None)
    if found is None:
        raise Missing(f"torch.{name}")
    return found
