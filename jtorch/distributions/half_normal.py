"""torch.distributions.half_normal: the module path torch code imports from."""
from .derived import HalfNormal  # noqa: F401

__all__ = ["HalfNormal"]
