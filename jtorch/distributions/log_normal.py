"""torch.distributions.log_normal: the module path torch code imports from."""
from .derived import LogNormal  # noqa: F401

__all__ = ["LogNormal"]
