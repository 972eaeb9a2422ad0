"""torch.distributions.chi2: the module path torch code imports from."""
from .gamma import Chi2  # noqa: F401

__all__ = ["Chi2"]
