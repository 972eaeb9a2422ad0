"""jtorch.vision: the torchvision 0.28 surface tutorials use, on jtorch (served as
``torchvision`` under ``python -m jtorch run``). Depends on jtorch and NumPy; Pillow is
optional (PIL images, image files)."""
from . import datasets, io, models, ops, transforms, utils

__version__ = "0.28.0"
