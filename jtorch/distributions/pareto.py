"""torch.distributions.pareto: the module path torch code imports from."""
from .derived import Pareto  # noqa: F401

__all__ = ["Pareto"]
