"""The two-way mapping between torch's global names and jtorch's objects.

jtorch cannot import torch, so a checkpoint must name torch's globals (``torch._utils
_rebuild_tensor_v2``, ``torch FloatStorage``, ``torch.nn.modules.linear Linear``) for real
torch to read it, and those names must resolve to jtorch's objects when jtorch reads one.
``torch_name(obj)`` gives the name written for a jtorch object; ``resolve(module, name)``
gives the jtorch object for a torch name (or for any other global, the ordinary import).
"""
import collections
import importlib
import inspect

from .. import _dtypes
from .._tensor import Size, Tensor
from ..device import device
from . import _rebuild
from ._class_paths import TORCH_MODULE_OF


class TorchName:
    """A global to be written as ``module name`` (what torch's pickles contain)."""

    __slots__ = ("module", "name")

    def __init__(self, module, name):
        self.module, self.name = module, name

    def __call__(self, *args):      # pickle requires a reduce function to be callable
        raise TypeError(f"{self.module}.{self.name} is a name for pickling only")


def _dtype_names():
    return {d._name: d for d in vars(_dtypes).values() if isinstance(d, _dtypes.dtype)}


_DTYPES = _dtype_names()


def _fixed_globals():
    """torch name -> jtorch object, for every object a weights-only checkpoint may name."""
    from ..nn.parameter import Parameter
    out = {("torch", "Size"): Size, ("torch", "device"): device, ("torch", "Tensor"): Tensor,
           ("torch.nn.parameter", "Parameter"): Parameter,
           ("torch._tensor", "_rebuild_from_type_v2"): _rebuild._rebuild_from_type_v2,
           ("torch.storage", "UntypedStorage"): _rebuild.UNTYPED,
           ("torch", "UntypedStorage"): _rebuild.UNTYPED,
           ("torch.serialization", "_get_layout"): _get_layout}
    for name, d in _DTYPES.items():
        out[("torch", name)] = d
    for name, st in _rebuild.STORAGE_TYPES.items():
        out[("torch", name)] = st
    for name, fn in _rebuild.REBUILD.items():
        out[("torch._utils", name)] = fn
    return out


def _get_layout(name):
    import jtorch
    if name != "torch.strided":
        raise RuntimeError(f"jtorch supports only torch.strided tensors, not {name}")
    return jtorch.strided


_FIXED = None
_BY_ID = None


def fixed_globals():
    global _FIXED, _BY_ID
    if _FIXED is None:
        _FIXED = _fixed_globals()
        # the canonical torch name of each object (the first listed wins: "torch.storage")
        _BY_ID = {}
        for key, obj in _FIXED.items():
            _BY_ID.setdefault(id(obj), key)
    return _FIXED


def torch_name(obj):
    """The (module, name) torch knows ``obj`` by, or None when it is not a jtorch object."""
    fixed_globals()
    key = _BY_ID.get(id(obj))
    if key is not None:
        return key
    module = getattr(obj, "__module__", None) or ""
    if not (module == "jtorch" or module.startswith("jtorch.")):
        return None
    name = getattr(obj, "__qualname__", None) or obj.__name__
    from ..nn.modules.module import Module
    if inspect.isclass(obj) and issubclass(obj, Module):
        if name == "Module":
            return ("torch.nn.modules.module", "Module")
        if name in TORCH_MODULE_OF:
            return (TORCH_MODULE_OF[name], name)
    return ("torch" + module[len("jtorch"):], name)


def resolve(module, name):
    """The jtorch object for torch's global ``module.name``; any other global is imported."""
    obj = fixed_globals().get((module, name))
    if obj is not None:
        return obj
    if module == "collections" and name == "OrderedDict":
        return collections.OrderedDict
    if module == "torch" or module.startswith("torch."):
        return _resolve_torch(module, name)
    mod = importlib.import_module(module)
    for part in name.split("."):
        mod = getattr(mod, part)
    return mod


def _resolve_torch(module, name):
    from .. import nn
    if module.startswith("torch.nn.modules") or module == "torch.nn":
        cls = getattr(nn, name, None)
        if cls is None and name == "NonDynamicallyQuantizableLinear":
            from ..nn.modules import transformer
            cls = getattr(transformer, name, None)
        if cls is not None:
            return cls
    try:
        obj = importlib.import_module("j" + module)
        for part in name.split("."):
            obj = getattr(obj, part)
        return obj
    except (ImportError, AttributeError):
        pass
    import jtorch
    obj = getattr(jtorch, name, None)
    if obj is None and module.startswith("torch.nn"):
        obj = getattr(jtorch.nn, name, None)
    if obj is None:
        raise AttributeError(f"jtorch has no equivalent of torch's global {module}.{name}")
    return obj


def fix_modules(obj):
    """After unpickling whole modules written by torch: give each jtorch Module the attributes
    jtorch's own constructor sets that torch's pickle lacks."""
    from ..nn.modules.module import Module
    seen = set()
    stack = [obj]
    while stack:
        o = stack.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        if isinstance(o, Module):
            _fill_module(o)
            stack.extend(o.__dict__.get("_modules", {}).values())
        elif isinstance(o, dict):
            stack.extend(o.values())
        elif isinstance(o, (list, tuple)):
            stack.extend(o)


def _fill_module(m):
    from ..nn.modules.module import Module
    fresh = object.__new__(Module)
    Module.__init__(fresh)
    d = m.__dict__
    for k, v in fresh.__dict__.items():
        d.setdefault(k, v)
    if "affine" in d and "_has_bias" not in d:       # jtorch's norm layers record bias=
        d["_has_bias"] = bool(d["affine"]) and d["_parameters"].get("bias") is not None
    # an attribute jtorch keeps for a constructor argument torch's class does not store
    # (AdaptiveAvgPool's return_indices): the argument's default is what it was built with
    try:
        params = inspect.signature(type(m).__init__).parameters.values()
    except (TypeError, ValueError):
        return
    owned = set(d["_parameters"]) | set(d["_buffers"]) | set(d["_modules"])
    for p in params:
        if p.default is not p.empty and p.name not in d and p.name not in owned and \
                p.name not in ("device", "dtype") and not hasattr(type(m), p.name):
            d[p.name] = p.default
