"""torch.distributions.one_hot_categorical: the module path torch code imports from."""
from .categorical import OneHotCategorical, OneHotCategoricalStraightThrough  # noqa: F401

__all__ = ["OneHotCategorical", "OneHotCategoricalStraightThrough"]
