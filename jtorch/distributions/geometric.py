"""torch.distributions.geometric: the module path torch code imports from."""
from .bernoulli import Geometric  # noqa: F401

__all__ = ["Geometric"]
