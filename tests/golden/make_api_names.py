"""Record torch 2.13's public API names (and signatures where introspectable) into
``api_names.json``, the reference of ``tests/test_api_coverage.py``.

Run from the repository root with torch installed::

    .venv/bin/python -m tests.golden.make_api_names

What "public" means here:
- ``torch``: the callables of ``dir(torch)`` without a leading underscore (functions,
  builtins, classes), modules excluded;
- ``Tensor``: every attribute of ``dir(torch.Tensor)`` without a leading underscore
  (methods and properties);
- a module with ``__all__``: the entries of ``__all__`` that the module actually has,
  submodules excluded;
- a module without ``__all__``: the callables without a leading underscore whose
  ``__module__`` is a torch module (this drops what is only imported, such as typing names).
Signatures are ``inspect.signature`` without annotations; catch-all wrappers
(``(*args, **kwargs)``) and what cannot be introspected are recorded as null.
"""
import importlib
import inspect
import json
import os
import re
import types

NAMESPACES = [
    "torch", "Tensor", "nn", "nn.functional", "nn.init", "nn.utils", "nn.utils.rnn",
    "nn.utils.parametrize", "linalg", "fft", "special", "autograd", "autograd.graph",
    "autograd.forward_ad", "autograd.functional", "optim", "optim.lr_scheduler",
    "utils.data", "utils.checkpoint", "testing",
]

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def signature_string(obj):
    """The normalized signature text shared with the test: no annotations, no addresses,
    None for what has no useful signature. Shared by the recorder and the test."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    params = [p.replace(annotation=inspect.Parameter.empty) for p in sig.parameters.values()]
    kinds = [p.kind for p in params if p.name != "self"]
    if kinds and all(k in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD,
                           inspect.Parameter.KEYWORD_ONLY) for k in kinds) and \
            inspect.Parameter.VAR_POSITIONAL in kinds and \
            inspect.Parameter.VAR_KEYWORD in kinds:
        return None   # a generic wrapper: (*args, **kwargs), (*args, out=None, **kwargs)
    text = str(sig.replace(parameters=params, return_annotation=inspect.Signature.empty))
    return _ADDRESS.sub("", text)


def kind_of(obj):
    if isinstance(obj, (property, types.GetSetDescriptorType, types.MemberDescriptorType)):
        return "property"
    if inspect.isclass(obj):
        return "class"
    if callable(obj):
        return "function"
    return "other"


def resolve(root, namespace):
    """The object a namespace names under ``root`` (torch or jtorch); None if absent."""
    if namespace == "torch":
        return root
    if namespace == "Tensor":
        return root.Tensor
    try:
        return importlib.import_module(root.__name__ + "." + namespace)
    except ImportError:
        return None


def _public(mod, namespace):
    if namespace == "Tensor":
        return [n for n in dir(mod) if not n.startswith("_")]
    if namespace == "torch":
        return [n for n in dir(mod) if not n.startswith("_") and callable(getattr(mod, n))
                and not isinstance(getattr(mod, n), types.ModuleType)]
    if hasattr(mod, "__all__"):
        return [n for n in mod.__all__ if hasattr(mod, n)
                and not isinstance(getattr(mod, n), types.ModuleType)]
    names = []
    for n in dir(mod):
        obj = getattr(mod, n)
        if n.startswith("_") or not callable(obj) or isinstance(obj, types.ModuleType):
            continue
        if (getattr(obj, "__module__", None) or "").startswith("torch"):
            names.append(n)
    return names


def record():
    import torch
    out = {"torch_version": torch.__version__, "namespaces": {}}
    for ns in NAMESPACES:
        mod = resolve(torch, ns)
        entries = {}
        for name in sorted(_public(mod, ns)):
            obj = inspect.getattr_static(mod, name) if ns == "Tensor" else getattr(mod, name)
            kind = kind_of(obj)
            sig = None
            if kind in ("function", "class"):
                sig = signature_string(getattr(mod, name))
            entries[name] = {"kind": kind, "signature": sig}
        out["namespaces"][ns] = entries
    return out


def main():
    path = os.path.join(os.path.dirname(__file__), "api_names.json")
    with open(path, "w") as f:
        json.dump(record(), f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
