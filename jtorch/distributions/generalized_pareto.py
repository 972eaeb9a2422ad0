"""torch.distributions.generalized_pareto: the module path torch code imports from."""
from .more_continuous import GeneralizedPareto  # noqa: F401

__all__ = ["GeneralizedPareto"]
