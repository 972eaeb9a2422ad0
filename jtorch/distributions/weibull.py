"""torch.distributions.weibull: the module path torch code imports from."""
from .derived import Weibull  # noqa: F401

__all__ = ["Weibull"]
