"""torch.distributions on jtorch: the same classes, draws and validation as torch's.

Each sampler uses the same jtorch random ops in the same order as torch's, so after
``manual_seed`` the samples equal torch's.
"""
from . import constraints, transforms  # noqa: F401  (torch.distributions.constraints)
from .bernoulli import Bernoulli, Geometric
from .categorical import Categorical, OneHotCategorical, OneHotCategoricalStraightThrough
from .constraint_registry import biject_to, transform_to
from .continuous_bernoulli import ContinuousBernoulli
from .counts import Binomial, Multinomial, Poisson
from .derived import Gumbel, HalfCauchy, HalfNormal, LogNormal, Pareto, Weibull
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .independent import Independent
from .kl import kl_divergence, register_kl
from .more_continuous import GeneralizedPareto, Kumaraswamy, LogisticNormal
from .lowrank_multivariate_normal import LowRankMultivariateNormal
from .mixture_same_family import MixtureSameFamily
from .multivariate_normal import MultivariateNormal
from .normal import Normal
from .relaxed import RelaxedBernoulli, RelaxedOneHotCategorical
from .simple import Cauchy, Exponential, Laplace, Uniform
from .transformed_distribution import TransformedDistribution
from .von_mises import VonMises
from .beta import Beta
from .dirichlet import Dirichlet
from .fishersnedecor import FisherSnedecor
from .gamma import Chi2, Gamma
from .inverse_gamma import InverseGamma
from .lkj_cholesky import LKJCholesky
from .negative_binomial import NegativeBinomial
from .studentT import StudentT
from .wishart import Wishart
from .transforms import *  # noqa: F401,F403  (torch re-exports every transform here)

__all__ = [
    "Bernoulli", "Binomial", "Categorical", "Cauchy", "ContinuousBernoulli", "Distribution", "Exponential",
    "ExponentialFamily", "Geometric", "Gumbel", "HalfCauchy", "HalfNormal", "Independent",
    "Laplace", "LogNormal", "LowRankMultivariateNormal", "MixtureSameFamily", "Multinomial", "MultivariateNormal",
    "Normal", "OneHotCategorical", "OneHotCategoricalStraightThrough", "Pareto", "Poisson",
    "RelaxedBernoulli", "RelaxedOneHotCategorical", "TransformedDistribution", "Uniform",
    "Weibull", "VonMises", "GeneralizedPareto", "Kumaraswamy", "LogisticNormal", "biject_to", "kl_divergence", "register_kl", "transform_to",
    "Beta", "Chi2", "Dirichlet", "FisherSnedecor", "Gamma", "InverseGamma", "LKJCholesky",
    "NegativeBinomial", "StudentT", "Wishart",
] + transforms.__all__

# torch's package imports each distribution's module, so ``distributions.binomial`` and the
# like are attributes as soon as the package is imported
import importlib as _importlib  # noqa: E402
for _name in ("binomial", "cauchy", "chi2", "exponential", "generalized_pareto", "geometric",
              "gumbel", "half_cauchy", "half_normal", "kumaraswamy", "laplace", "log_normal",
              "logistic_normal", "multinomial", "one_hot_categorical", "pareto", "poisson",
              "relaxed_bernoulli", "relaxed_categorical", "uniform", "weibull"):
    _importlib.import_module(f"{__name__}.{_name}")
del _importlib, _name
