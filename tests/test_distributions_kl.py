"""kl_divergence and register_kl (issue 23) against torch: every registered pair we provide."""
import pytest

import jtorch
from tests.helpers import assert_same

torch = pytest.importorskip("torch")

P = {
    "Normal": ([0.0, 1.0], [1.0, 2.0]),
    "Laplace": ([0.5, 1.0], [1.0, 0.5]),
    "Exponential": ([1.0, 2.5],),
    "Uniform": ([-1.0, 0.5], [1.0, 2.0]),
    "Gumbel": ([0.0, 1.0], [1.0, 2.0]),
    "Pareto": ([1.0, 2.0], [3.0, 1.5]),
    "Cauchy": ([0.0, 1.0], [1.0, 2.0]),
    "Bernoulli": ([0.2, 0.7],),
    "Geometric": ([0.2, 0.7],),
    "HalfNormal": ([1.0, 3.0],),
    "LogNormal": ([0.0, 1.0], [1.0, 2.0]),
    "Categorical": ([[0.2, 0.8], [0.5, 0.5]],),
    "OneHotCategorical": ([[0.2, 0.8], [0.5, 0.5]],),
    "ContinuousBernoulli": ([0.2, 0.7],),
}
Q = dict(P)  # q's parameters differ from p's for every family below
Q.update({"Normal": ([0.5, -1.0], [2.0, 0.5]), "Exponential": ([0.5, 1.0],),
          "Uniform": ([-2.0, 0.0], [2.0, 3.0]), "Bernoulli": ([0.5, 0.1],),
          "Gumbel": ([1.0, -1.0], [2.0, 0.5]), "Pareto": ([0.5, 1.0], [2.0, 2.5]),
          "Categorical": ([[0.6, 0.4], [0.1, 0.9]],), "OneHotCategorical": ([[0.6, 0.4], [0.1, 0.9]],),
          "Geometric": ([0.5, 0.4],), "HalfNormal": ([2.0, 1.0],), "Laplace": ([0.0, 2.0], [2.0, 1.0]),
          "Cauchy": ([1.0, -1.0], [0.5, 1.0]), "ContinuousBernoulli": ([0.4, 0.9],), "LogNormal": ([1.0, 0.0], [0.5, 1.0])})
PAIRS = [(n, n) for n in P] + [
    ("Exponential", "Normal"), ("Exponential", "Gumbel"), ("Exponential", "Uniform"),
    ("Gumbel", "Normal"), ("Laplace", "Normal"), ("Normal", "Laplace"), ("Normal", "Gumbel"),
    ("Normal", "Uniform"), ("Pareto", "Exponential"), ("Pareto", "Normal"),
    ("Uniform", "Exponential"), ("Uniform", "Gumbel"), ("Uniform", "Normal"),
    ("Uniform", "Pareto"), ("Laplace", "Exponential"), ("Pareto", "Uniform"),
    ("ContinuousBernoulli", "Normal"), ("ContinuousBernoulli", "Exponential"),
    ("ContinuousBernoulli", "Uniform"), ("Normal", "ContinuousBernoulli"),
    ("Uniform", "ContinuousBernoulli"),
]


def _make(m, name, spec):
    params = [m.tensor(p, dtype=m.float64, requires_grad=True) for p in spec]
    return getattr(m.distributions, name)(*params), params


def _kl(m, pn, qn):
    p, pp = _make(m, pn, P[pn])
    q, qp = _make(m, qn, Q[qn])
    kl = m.distributions.kl_divergence(p, q)
    grads = m.autograd.grad(kl.sum(), pp + qp, allow_unused=True) if kl.requires_grad else ()
    return kl, grads


@pytest.mark.parametrize("pn,qn", PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_kl_matches_torch(pn, qn):
    kt, gt = _kl(torch, pn, qn)
    kj, gj = _kl(jtorch, pn, qn)
    assert_same(kj.detach(), kt.detach(), rtol=1e-6, atol=1e-9)
    assert len(gj) == len(gt)
    for a, b in zip(gj, gt):
        if a is None or b is None:
            assert a is None and b is None
        else:
            assert_same(a, b, rtol=1e-5, atol=1e-9)


def test_kl_independent_and_errors():
    out = []
    for m in (torch, jtorch):
        D = m.distributions
        p = D.Independent(D.Normal(m.zeros(2, 3), m.ones(2, 3)), 1)
        q = D.Independent(D.Normal(m.ones(2, 3), 2 * m.ones(2, 3)), 1)
        errs = []
        for a, b in [(D.Normal(0.0, 1.0), D.Bernoulli(0.5)),
                     (D.Bernoulli(0.5), D.Geometric(0.5))]:
            with pytest.raises(NotImplementedError) as info:
                D.kl_divergence(a, b)
            errs.append(str(info.value))
        out.append((D.kl_divergence(p, q), errs))
    assert_same(out[1][0], out[0][0])
    assert out[1][1] == out[0][1]


def _mvn_pairs(m):
    D = m.distributions
    f64 = dict(dtype=m.float64)
    mvn_p = D.MultivariateNormal(m.tensor([0.0, 1.0, 0.5], **f64), scale_tril=m.tensor(
        [[1.0, 0.0, 0.0], [0.3, 2.0, 0.0], [0.1, -0.2, 0.5]], **f64))
    mvn_q = D.MultivariateNormal(m.tensor([[1.0, 0.0, 0.0], [0.5, 0.5, 0.5]], **f64),
                                 covariance_matrix=m.eye(3, **f64) * 2 + 0.3)
    lr_p = D.LowRankMultivariateNormal(m.zeros(3, **f64), m.tensor(
        [[1.0, 0.5], [0.2, -0.3], [0.1, 0.7]], **f64), m.tensor([0.5, 1.0, 2.0], **f64))
    lr_q = D.LowRankMultivariateNormal(m.ones(2, 3, **f64), m.tensor(
        [[0.4], [0.2], [-0.3]], **f64), m.tensor([1.0, 1.5, 0.7], **f64))
    return [D.kl_divergence(a, b) for a, b in [(mvn_p, mvn_q), (lr_p, lr_q), (mvn_p, lr_q),
                                               (lr_p, mvn_q), (mvn_q, mvn_p)]]


def test_kl_multivariate_normals():
    for j, t in zip(_mvn_pairs(jtorch), _mvn_pairs(torch)):
        assert_same(j, t, rtol=1e-7, atol=1e-10)


def test_register_kl_most_specific_wins():
    D = jtorch.distributions

    class MyNormal(D.Normal):
        pass

    @D.register_kl(MyNormal, D.Normal)
    def _mine(p, q):
        return jtorch.tensor(42.0)

    try:
        assert D.kl_divergence(MyNormal(0.0, 1.0), D.Normal(0.0, 1.0)).item() == 42.0
        assert D.kl_divergence(D.Normal(0.0, 1.0), MyNormal(0.0, 2.0)).item() != 42.0
    finally:
        del D.kl._KL_REGISTRY[MyNormal, D.Normal]
        D.kl._KL_MEMOIZE.clear()


def test_registered_pairs_match_torch():
    """Every pair torch registers between classes jtorch has is registered here too."""
    import torch.distributions.kl as tk
    names = lambda reg: {(a.__name__, b.__name__) for a, b in reg}  # noqa: E731
    theirs, ours = names(tk._KL_REGISTRY), names(jtorch.distributions.kl._KL_REGISTRY)
    have = set(jtorch.distributions.__all__) | {"ExponentialFamily"}
    assert {p for p in theirs if set(p) <= have} == ours
