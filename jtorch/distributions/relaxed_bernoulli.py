"""torch.distributions.relaxed_bernoulli: the module path torch code imports from."""
from .relaxed import LogitRelaxedBernoulli, RelaxedBernoulli  # noqa: F401

__all__ = ["LogitRelaxedBernoulli", "RelaxedBernoulli"]
