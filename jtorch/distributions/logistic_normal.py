"""torch.distributions.logistic_normal: the module path torch code imports from."""
from .more_continuous import LogisticNormal  # noqa: F401

__all__ = ["LogisticNormal"]
