"""torch.distributions.binomial: the module path torch code imports from."""
from .counts import Binomial  # noqa: F401

__all__ = ["Binomial"]
