"""torch.distributions.exponential: the module path torch code imports from."""
from .simple import Exponential  # noqa: F401

__all__ = ["Exponential"]
