"""torch.distributions (issue 23), tiers 1-2: every method of each distribution on torch and
jtorch after the same seed (values, shapes, dtypes, gradients, reprs) and validation errors."""
import re
import warnings

import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same

torch = pytest.importorskip("torch")

# (name, parameters as nested lists or floats, is float param requiring grad)
CASES = [
    ("Normal", (0.5, 2.0)),
    ("Normal", ([0.0, 1.0], [1.0, 2.0])),
    ("Normal", ([[0.0], [1.0]], [1.0, 2.0, 3.0])),
    ("Uniform", ([0.0, 1.0], 3.0)),
    ("Exponential", ([[1.0, 2.0]],)),
    ("Laplace", ([0.0, 1.0], [2.0])),
    ("Cauchy", (1.0, [1.0, 0.5])),
    ("Bernoulli", ([0.3, 0.5, 0.9],)),
    ("Bernoulli", (None, [-1.0, 0.0, 2.0])),
    ("Geometric", ([0.3, 0.5],)),
    ("Categorical", ([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]],)),
    ("Categorical", (None, [0.2, -1.0, 0.5, 3.0])),
    ("OneHotCategorical", ([0.2, 0.3, 0.5],)),
    ("OneHotCategoricalStraightThrough", ([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]],)),
    ("LogNormal", ([0.0, 1.0], [1.0, 0.5])),
    ("HalfNormal", ([1.0, 2.0],)),
    ("HalfCauchy", (2.0,)),
    ("Gumbel", ([0.0, 1.0], 2.0)),
    ("Weibull", ([1.0, 2.0], [1.5, 0.7])),
    ("Pareto", ([1.0, 2.0], 3.0)),
    ("Poisson", ([0.5, 3.0, 40.0],)),
    ("Binomial", (10, [0.2, 0.7])),
    ("Multinomial", (7, [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])),
    ("RelaxedBernoulli", ([0.5, 2.0], [0.2, 0.7])),
    ("RelaxedOneHotCategorical", ([0.7], None, [[0.2, 0.7, 0.1], [1.0, 2.0, 3.0]])),
    ("LogisticNormal", ([[0.0, 1.0, -1.0], [1.0, 1.0, 0.0]], [1.0, 0.5, 2.0])),
    ("Kumaraswamy", ([0.5, 2.0], [1.5, 3.0])),
    ("ContinuousBernoulli", ([0.2, 0.5, 0.9],)),
    ("ContinuousBernoulli", (None, [-1.0, 2.0])),
    ("VonMises", ([0.0, 1.0, -2.0], [0.5, 4.0, 1e-6])),
    ("GeneralizedPareto", ([0.0, 1.0], 2.0, [0.3, -0.2])),
]
METHODS = ("mean", "mode", "variance", "stddev")
CALLS = ("entropy", "enumerate_support")


def _params(m, spec, dtype):
    return [None if p is None else m.tensor(p, dtype=dtype).requires_grad_()
            if isinstance(p, list) else p for p in spec]


def _outcome(fn):
    """The value, or the exception type and text, of ``fn()``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn()
    except (NotImplementedError, ValueError) as e:
        # the class path in "<class '...'> does not implement" names torch's module layout
        return (type(e).__name__, re.sub(r"<class '[\w.]+\.(\w+)'>", r"\1", str(e)))


def _compare(j, t, rtol=1e-5):
    # 1e-5: float32 erf/log1p may differ from torch's by an ulp
    if isinstance(t, tuple):
        assert j == t
    elif isinstance(t, torch.Tensor):
        assert_same(j.detach(), t.detach(), rtol=rtol, atol=1e-9)
    else:
        assert j == t


def _run(m, name, spec, seed=0):
    m.manual_seed(seed)
    # float32 for GeneralizedPareto: torch's log_prob compares with a float32 zero
    params = _params(m, spec, m.float32 if name == "GeneralizedPareto" else m.float64)
    d = getattr(m.distributions, name)(*params)
    out = {"repr": repr(d), "batch": tuple(d.batch_shape), "event": tuple(d.event_shape),
           "rs": d.has_rsample, "enum": d.has_enumerate_support}
    s = d.sample((3,))
    out["sample"] = s
    out["sample_n"] = _outcome(lambda: d.sample_n(2))
    r = d.rsample((2,)) if d.has_rsample else None
    out["rsample"] = r
    for k in METHODS:
        out[k] = _outcome(lambda: getattr(d, k))
    for k in CALLS:
        out[k] = _outcome(getattr(d, k))
    lp = d.log_prob(s)
    out["log_prob"] = lp
    out["cdf"] = _outcome(lambda: d.cdf(s))
    out["icdf"] = _outcome(lambda: d.icdf(m.full(s.shape, 0.3, dtype=s.dtype)))
    e = d.expand((4,) + tuple(d.batch_shape))
    out["expand"] = (repr(e), tuple(e.batch_shape), e.sample().shape)
    loss = lp.sum() + (r.sum() if r is not None else 0)
    leaves = [p for p in params if isinstance(p, m.Tensor)]
    out["grads"] = m.autograd.grad(loss, leaves, allow_unused=True) if leaves else ()
    return out


@pytest.mark.parametrize("name,spec", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_distribution_matches_torch(name, spec):
    t = _run(torch, name, spec)
    j = _run(jtorch, name, spec)
    for key in t:
        if key == "grads":
            for gj, gt in zip(j[key], t[key]):
                _compare(gj, gt, rtol=1e-5)
        elif key == "expand":
            assert j[key][:2] == t[key][:2] and tuple(j[key][2]) == tuple(t[key][2])
        else:
            _compare(j[key], t[key])


def _mvn(m, kind):
    m.manual_seed(2)
    loc = m.tensor([[0.0, 1.0, 2.0], [1.0, 1.0, 1.0]], dtype=m.float64, requires_grad=True)
    A = m.tensor([[2.0, 0.3, 0.1], [0.3, 1.5, 0.2], [0.1, 0.2, 1.0]], dtype=m.float64,
                 requires_grad=True)
    kw = {"covariance_matrix": A, "precision_matrix": A, "scale_tril": A.tril()}
    d = m.distributions.MultivariateNormal(loc, **{kind: kw[kind]})
    x = d.rsample((4,))
    lp = d.log_prob(x)
    grads = m.autograd.grad(lp.sum() + x.sum(), [loc, A])
    return (x, lp, d.entropy(), d.variance, d.covariance_matrix, d.precision_matrix,
            d.scale_tril) + grads, (repr(d), tuple(d.expand((5, 2)).sample().shape))


@pytest.mark.parametrize("kind", ["covariance_matrix", "precision_matrix", "scale_tril"])
def test_multivariate_normal(kind):
    (tv, tm), (jv, jm) = _mvn(torch, kind), _mvn(jtorch, kind)
    assert jm == tm
    for a, b in zip(jv, tv):
        assert_same(a.detach(), b.detach(), rtol=1e-7, atol=1e-10)


def _lowrank(m):
    m.manual_seed(6)
    loc = m.tensor([[0.0, 1.0, 2.0], [1.0, 1.0, 1.0]], dtype=m.float64, requires_grad=True)
    W = m.tensor([[1.0, 0.5], [0.2, -0.3], [0.1, 0.7]], dtype=m.float64, requires_grad=True)
    D = m.tensor([0.5, 1.0, 2.0], dtype=m.float64, requires_grad=True)
    d = m.distributions.LowRankMultivariateNormal(loc, W, D)
    x = d.rsample((4,))
    lp = d.log_prob(x)
    grads = m.autograd.grad(lp.sum() + x.sum(), [loc, W, D])
    return (x, lp, d.entropy(), d.variance, d.covariance_matrix, d.precision_matrix,
            d.scale_tril) + grads, (repr(d), tuple(d.expand((5, 2)).sample().shape))


def test_lowrank_multivariate_normal():
    (tv, tm), (jv, jm) = _lowrank(torch), _lowrank(jtorch)
    assert jm == tm
    for a, b in zip(jv, tv):
        assert_same(a.detach(), b.detach(), rtol=1e-7, atol=1e-10)


def test_mixture_same_family():
    outs = []
    for m in (torch, jtorch):
        m.manual_seed(4)
        D = m.distributions
        mix = D.Categorical(m.tensor([0.3, 0.7]))
        for comp in (D.Normal(m.tensor([0.0, 3.0]), m.tensor([1.0, 2.0])),
                     D.Independent(D.Normal(m.zeros(2, 3), m.ones(2, 3)), 1)):
            d = D.MixtureSameFamily(mix, comp)
            s = d.sample((3,))
            outs.append((repr(d), s, d.log_prob(s), d.mean, d.variance))
    for j, t in zip(outs[2:], outs[:2]):
        assert j[0] == t[0]
        for a, b in zip(j[1:], t[1:]):
            assert_same(a, b, rtol=1e-5)


def test_repr_float32_and_import_alias():
    import importlib
    for m in (torch, jtorch):
        m.manual_seed(3)
    t = torch.distributions.Normal(torch.zeros(2), torch.ones(2))
    j = jtorch.distributions.Normal(jtorch.zeros(2), jtorch.ones(2))
    assert repr(j) == repr(t) == "Normal(loc: torch.Size([2]), scale: torch.Size([2]))"
    assert_same(j.rsample((5,)), t.rsample((5,)))
    assert importlib.import_module("jtorch.distributions.constraints").real is \
        jtorch.distributions.constraints.real


@pytest.mark.parametrize("make", [
    lambda m: m.distributions.Normal(m.tensor([0.0, 1.0]), m.tensor([1.0, -1.0])),
    lambda m: m.distributions.Bernoulli(m.tensor([1.5])),
    lambda m: m.distributions.Bernoulli(),
    lambda m: m.distributions.Uniform(m.tensor(2.0), m.tensor(1.0)),
    lambda m: m.distributions.Categorical(m.tensor(0.5)),
    lambda m: m.distributions.Categorical(m.tensor([0.5, -0.5])),
    lambda m: m.distributions.Geometric(m.tensor([0.0, 0.5])),
    lambda m: m.distributions.Normal(0.0, 1.0).log_prob(1.0),
    lambda m: m.distributions.Normal(m.zeros(2), 1.0).log_prob(m.zeros(3)),
    lambda m: m.distributions.Exponential(m.ones(2)).log_prob(m.tensor([1.0, -1.0])),
    lambda m: m.distributions.Bernoulli(m.tensor(0.3)).log_prob(m.tensor(0.5)),
    lambda m: m.distributions.Independent(m.distributions.Normal(0.0, 1.0), 1),
    lambda m: m.distributions.Distribution.set_default_validate_args(3),
])
def test_validation_errors(make):
    raised = []
    for m in (torch, jtorch):
        with pytest.raises(Exception) as info:
            make(m)
        raised.append((type(info.value).__name__, str(info.value)))
    assert raised[0] == raised[1]


def test_validate_args_off():
    for m in (torch, jtorch):
        d = m.distributions.Normal(m.tensor([0.0]), m.tensor([-1.0]), validate_args=False)
        assert d.log_prob(m.tensor([0.0])).isnan().all()
    m = jtorch
    m.distributions.Distribution.set_default_validate_args(False)
    try:
        m.distributions.Normal(m.tensor([0.0]), m.tensor([-1.0]))
    finally:
        m.distributions.Distribution.set_default_validate_args(True)
    with pytest.raises(ValueError, match="to satisfy the constraint GreaterThan"):
        m.distributions.Normal(m.tensor([0.0]), m.tensor([-1.0]))


def test_independent_matches_torch():
    outs = []
    for m in (torch, jtorch):
        m.manual_seed(5)
        loc = m.tensor([[0.0, 1.0], [2.0, 3.0]], requires_grad=True)
        d = m.distributions.Independent(m.distributions.Normal(loc, 1.0), 1)
        x = d.rsample((3,))
        lp = d.log_prob(x)
        g = m.autograd.grad(lp.sum() + x.sum(), loc)[0]
        outs.append((repr(d), repr(d.support), d.batch_shape, d.event_shape, x, lp, d.entropy(), g,
                     d.expand((4, 2)).batch_shape))
    for j, t in zip(outs[1], outs[0]):
        _compare(j, t) if isinstance(t, torch.Tensor) else None
        if not isinstance(t, torch.Tensor):
            assert str(j) == str(t)


def test_constraints_repr_and_check():
    tc, jc = torch.distributions.constraints, jtorch.distributions.constraints
    assert sorted(tc.__all__) == sorted(jc.__all__)
    objs = ["boolean", "corr_cholesky", "lower_cholesky", "lower_triangular", "nonnegative",
            "nonnegative_integer", "one_hot", "positive", "positive_definite",
            "positive_integer", "positive_semidefinite", "real", "real_vector", "simplex",
            "square", "symmetric", "unit_interval"]
    x = np.array([[1.0, 0.0], [0.5, 2.0]])
    for name in objs:
        t, j = getattr(tc, name), getattr(jc, name)
        assert repr(j) == repr(t)
        assert (j.event_dim, j.is_discrete) == (t.event_dim, t.is_discrete)
        assert_same(j.check(jtorch.tensor(x)), t.check(torch.tensor(x)))
    made = [("interval", (0.0, 1.0)), ("greater_than", (1,)), ("less_than", (2.0,)),
            ("integer_interval", (0, 3)), ("half_open_interval", (0.0, 1.0)),
            ("greater_than_eq", (0.5,)), ("multinomial", (3,))]
    for name, args in made:
        t, j = getattr(tc, name)(*args), getattr(jc, name)(*args)
        if name != "multinomial":
            assert repr(j) == repr(t)
        assert_same(j.check(jtorch.tensor(x)), t.check(torch.tensor(x)))
    t, j = tc.independent(tc.real, 1), jc.independent(jc.real, 1)
    assert repr(j) == repr(t) == "IndependentConstraint(Real(), 1)"
    assert jc.is_dependent(jc.dependent) and not jc.is_dependent(jc.real)


def test_utils_match_torch():
    tu, ju = torch.distributions.utils, jtorch.distributions.utils
    p = [[0.1, 0.9], [0.0, 1.0]]
    for binary in (False, True):
        assert_same(ju.probs_to_logits(jtorch.tensor(p), binary),
                    tu.probs_to_logits(torch.tensor(p), binary))
        assert_same(ju.logits_to_probs(jtorch.tensor(p), binary),
                    tu.logits_to_probs(torch.tensor(p), binary))
    a, b = ju.broadcast_all(jtorch.ones(2, dtype=jtorch.float64), 3)
    assert b.dtype == jtorch.float64 and tuple(b.shape) == (2,)
    with pytest.raises(ValueError, match="Input arguments must all be instances of Number"):
        ju.broadcast_all("x")
    v = np.arange(6.0)
    assert_same(ju.vec_to_tril_matrix(jtorch.tensor(v)), tu.vec_to_tril_matrix(torch.tensor(v)))
    mtx = np.arange(9.0).reshape(3, 3)
    assert_same(ju.tril_matrix_to_vec(jtorch.tensor(mtx), -1),
                tu.tril_matrix_to_vec(torch.tensor(mtx), -1))


def test_torch_module_paths_import():
    """Scripts import from torch's module layout (torch.distributions.uniform, ...)."""
    import importlib
    for mod in ("uniform", "exponential", "laplace", "cauchy", "geometric", "one_hot_categorical",
                "log_normal", "half_normal", "half_cauchy", "gumbel", "weibull", "pareto",
                "poisson", "binomial", "multinomial", "relaxed_bernoulli", "relaxed_categorical",
                "logistic_normal", "kumaraswamy", "generalized_pareto", "continuous_bernoulli",
                "von_mises", "normal", "bernoulli",
                "categorical", "independent", "multivariate_normal", "lowrank_multivariate_normal", "mixture_same_family",
                "transformed_distribution", "exp_family", "distribution", "kl", "utils",
                "constraints", "constraint_registry", "transforms"):
        t = importlib.import_module(f"torch.distributions.{mod}")
        j = importlib.import_module(f"jtorch.distributions.{mod}")
        names = getattr(t, "__all__", [])
        assert all(hasattr(j, n) for n in names), (mod, [n for n in names if not hasattr(j, n)])


def test_exported_names_match_torch():
    assert not set(torch.distributions.__all__) - set(jtorch.distributions.__all__)
    assert not set(jtorch.distributions.__all__) - set(torch.distributions.__all__)
    assert jtorch.distributions.Normal(0.0, 1.0).perplexity().item() == pytest.approx(
        torch.distributions.Normal(0.0, 1.0).perplexity().item())


def test_submodules_as_torch():
    """torch's package imports every distribution's module (``distributions.binomial``...)."""
    def modules(pkg):
        return {n for n in dir(pkg) if type(getattr(pkg, n)).__name__ == "module"}
    assert modules(torch.distributions) <= modules(jtorch.distributions)


@pytest.mark.parametrize("make", [
    lambda m: m.distributions.constraints.independent(3, 1),
    lambda m: m.distributions.constraints.independent(m.distributions.constraints.real, -1),
    lambda m: m.distributions.constraints.independent(m.distributions.constraints.real, 1.5),
    lambda m: m.distributions.constraints.cat([m.distributions.constraints.real], 0, [1, 2]),
    lambda m: m.distributions.constraints.cat([3], 0),
    lambda m: m.distributions.constraints.stack([m.distributions.constraints.real], 3).check(
        m.zeros(2)),
])
def test_constraint_argument_errors_as_torch(make):
    got = []
    for m in (jtorch, torch):
        with pytest.raises(AssertionError) as info:
            make(m)
        got.append(str(info.value))
    assert got[0] == got[1]
