"""torch.special's aliases and argument errors against torch (its own kernels are in the op
test's records)."""
import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same

torch = pytest.importorskip("torch")

X = np.array([-2.5, -0.7, 0.0, 0.3, 1.5, 4.0], np.float32)
P = np.array([0.01, 0.2, 0.5, 0.7, 0.9, 0.999], np.float32)

ALIASES = [("expit", X), ("logit", P), ("erf", X), ("erfc", X), ("erfinv", P),
           ("gammaln", X), ("digamma", X), ("psi", X), ("i0", X), ("sinc", X), ("log1p", P),
           ("expm1", X), ("exp2", X), ("round", X * 3.3), ("ndtr", X), ("ndtri", P),
           ("entr", P)]


@pytest.mark.parametrize("name,values", ALIASES, ids=[a[0] for a in ALIASES])
def test_alias(name, values):
    outs = []
    for m in (torch, jtorch):
        x = m.tensor(values, requires_grad=True)
        y = getattr(m.special, name)(x)
        y.sum().backward()
        outs.append((y, x.grad))
    assert_same(outs[1][0], outs[0][0], rtol=1e-5, atol=1e-6)
    assert outs[1][0].grad_fn.name() == outs[0][0].grad_fn.name()
    assert_same(outs[1][1], outs[0][1], rtol=1e-5, atol=1e-6)


def test_functions_with_arguments():
    for fn in (lambda m, x: m.special.softmax(x, 0), lambda m, x: m.special.log_softmax(x, 0),
               lambda m, x: m.special.logsumexp(x, 0), lambda m, x: m.special.polygamma(1, x),
               lambda m, x: m.special.xlogy(x, x.abs()), lambda m, x: m.special.round(x, decimals=1)):
        assert_same(fn(jtorch, jtorch.tensor(X)), fn(torch, torch.tensor(X)), rtol=1e-5)


def test_mvlgamma_below_domain():
    """torch 2.13 returns inf at lgamma's poles instead of raising."""
    assert_same(jtorch.special.multigammaln(jtorch.tensor([0.5, 2.0, 1.0]), 3),
                torch.special.multigammaln(torch.tensor([0.5, 2.0, 1.0]), 3))
