"""torch.distributions.kumaraswamy: the module path torch code imports from."""
from .more_continuous import Kumaraswamy  # noqa: F401

__all__ = ["Kumaraswamy"]
