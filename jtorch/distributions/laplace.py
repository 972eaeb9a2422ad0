"""torch.distributions.laplace: the module path torch code imports from."""
from .simple import Laplace  # noqa: F401

__all__ = ["Laplace"]
