"""torch.distributions.cauchy: the module path torch code imports from."""
from .simple import Cauchy  # noqa: F401

__all__ = ["Cauchy"]
