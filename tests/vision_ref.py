"""Import the real torchvision 0.28.0 (a test-only reference) beside CPU torch.

The pinned wheel is a CUDA build: its compiled extension cannot load beside the CPU torch, and
importing it fails in `torchvision._meta_registrations` (which registers fake kernels for the
compiled ops). Its pure-Python parts (transforms, models, utils) do not need that module, so an
empty stand-in is put in `sys.modules` first. Tests call `load()`, which skips cleanly when
torch or torchvision is absent."""
import sys
import types

import pytest


def load():
    """(torch, torchvision) or a pytest skip."""
    torch = pytest.importorskip("torch")
    name = "torchvision._meta_registrations"
    if "torchvision" not in sys.modules:
        sys.modules.setdefault(name, types.ModuleType(name))
    tv = pytest.importorskip("torchvision")
    return torch, tv
