"""torch.distributions.poisson: the module path torch code imports from."""
from .counts import Poisson  # noqa: F401

__all__ = ["Poisson"]
