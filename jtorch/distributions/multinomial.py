"""torch.distributions.multinomial: the module path torch code imports from."""
from .counts import Multinomial  # noqa: F401

__all__ = ["Multinomial"]
