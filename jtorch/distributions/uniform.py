"""torch.distributions.uniform: the module path torch code imports from."""
from .simple import Uniform  # noqa: F401

__all__ = ["Uniform"]
