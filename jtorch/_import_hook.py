"""Make ``import torch`` and every ``torch.x.y`` resolve to ``jtorch`` / ``jtorch.x.y``.

A meta-path finder aliases the module objects themselves (``sys.modules['torch.nn'] is
jtorch.nn``), so isinstance checks and module attributes agree however a script imports.
A torch submodule jtorch lacks raises ModuleNotFoundError naming it.
"""
import importlib
import importlib.abc
import importlib.util
import sys


def _real_name(fullname):
    """The jtorch module serving ``fullname``: torch.x -> jtorch.x, torchvision.x ->
    jtorch.vision.x (the real torchvision needs the real torch); None for other names."""
    if fullname == "torch" or fullname.startswith("torch."):
        return "j" + fullname
    if fullname == "torchvision" or fullname.startswith("torchvision."):
        return "jtorch.vision" + fullname[len("torchvision"):]
    return None


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        real = _real_name(fullname)
        if real is None:
            return None
        try:
            found = importlib.util.find_spec(real)
        except ModuleNotFoundError:
            found = None
        if found is None:
            raise ModuleNotFoundError(f"jtorch does not provide '{fullname}' yet "
                                      f"(no module named '{real}')", name=fullname)
        return importlib.util.spec_from_loader(fullname, self, is_package=found.submodule_search_locations is not None)

    def create_module(self, spec):
        module = importlib.import_module(_real_name(spec.name))
        return module

    def exec_module(self, module):
        pass


def install():
    if not any(isinstance(f, _Alias) for f in sys.meta_path):
        sys.meta_path.insert(0, _Alias())
    import jtorch
    sys.modules["torch"] = jtorch


def install_alias():
    """Opt in, from a script that did ``import jtorch as torch``, to ``import torch`` meaning
    jtorch from now on, so that libraries importing torch themselves (safetensors.torch, ...)
    see jtorch's tensors. Raises if the real torch is already imported: two torches in one
    process would not recognise each other's tensors."""
    mod = sys.modules.get("torch")
    if mod is not None and getattr(mod, "__name__", None) != "jtorch":
        raise RuntimeError("jtorch.install_alias(): the real torch is already imported in this "
                           "process; call install_alias() before anything imports torch")
    install()
