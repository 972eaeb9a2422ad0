"""torch.distributions.relaxed_categorical: the module path torch code imports from."""
from .relaxed import ExpRelaxedCategorical, RelaxedOneHotCategorical  # noqa: F401

__all__ = ["ExpRelaxedCategorical", "RelaxedOneHotCategorical"]
