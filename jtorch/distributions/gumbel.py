"""torch.distributions.gumbel: the module path torch code imports from."""
from .derived import Gumbel  # noqa: F401

__all__ = ["Gumbel"]
