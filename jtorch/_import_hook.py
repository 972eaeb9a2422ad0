"""Make ``import torch`` and every ``torch.x.y`` resolve to ``jtorch`` / ``jtorch.x.y``.

A meta-path finder aliases the module objects themselves (``sys.modules['torch.nn'] is
jtorch.nn``), so isinstance checks and module attributes agree however a script imports.
A torch submodule jtorch lacks raises ModuleNotFoundError naming it.
"""
import importlib
import importlib.abc
import importlib.util
import sys


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if fullname != "torch" and not fullname.startswith("torch."):
            return None
        real = "j" + fullname
        try:
            found = importlib.util.find_spec(real)
        except ModuleNotFoundError:
            found = None
        if found is None:
            raise ModuleNotFoundError(f"jtorch does not provide '{fullname}' yet "
                                      f"(no module named '{real}')", name=fullname)
        return importlib.util.spec_from_loader(fullname, self, is_package=found.submodule_search_locations is not None)

    def create_module(self, spec):
        module = importlib.import_module("j" + spec.name)
        return module

    def exec_module(self, module):
        pass


def install():
    if not any(isinstance(f, _Alias) for f in sys.meta_path):
        sys.meta_path.insert(0, _Alias())
    import jtorch
    sys.modules["torch"] = jtorch
