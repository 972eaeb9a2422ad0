"""torchvision.transforms (v1) on jtorch tensors and PIL images."""
from . import functional
from .transforms import *  # noqa: F401,F403
from .transforms import __all__
