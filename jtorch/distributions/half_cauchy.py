"""torch.distributions.half_cauchy: the module path torch code imports from."""
from .derived import HalfCauchy  # noqa: F401

__all__ = ["HalfCauchy"]
