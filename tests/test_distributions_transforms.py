"""torch.distributions.transforms and biject_to/transform_to (issue 23) against torch."""
import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same

torch = pytest.importorskip("torch")

X1 = [[0.3, -1.2, 0.8], [1.5, 0.1, -0.4]]
SQ = [[[0.5, 0.2], [-0.3, 0.1]], [[1.0, 0.0], [0.4, -0.2]]]


def _transforms(m):
    T = m.distributions.transforms
    return [
        (T.ExpTransform(), X1), (T.PowerTransform(m.tensor(2.5, dtype=m.float64)), "pos"),
        (T.SigmoidTransform(), X1), (T.SoftplusTransform(), X1), (T.TanhTransform(), X1),
        (T.AbsTransform(), X1), (T.AffineTransform(1.0, -2.0), X1),
        (T.AffineTransform(m.tensor([1.0, 2.0, 3.0], dtype=m.float64), 0.5, event_dim=1), X1),
        (T.ComposeTransform([T.ExpTransform(), T.AffineTransform(0.0, 3.0)]), X1),
        (T.ExpTransform().inv, "pos"), (T.SoftmaxTransform(), X1),
        (T.StickBreakingTransform(), X1), (T.CorrCholeskyTransform(), X1),
        (T.LowerCholeskyTransform(), SQ), (T.PositiveDefiniteTransform(), SQ),
        (T.IndependentTransform(T.ExpTransform(), 1), X1),
        (T.ReshapeTransform((3,), (3, 1)), X1),
        (T.CatTransform([T.ExpTransform(), T.identity_transform], dim=-1, lengths=[1, 2]), X1),
        (T.StackTransform([T.ExpTransform(), T.TanhTransform()], dim=0), X1),
        (T.CumulativeDistributionTransform(m.distributions.Normal(0.0, 1.0)), X1),
    ]


def _run(m, i):
    t, x = _transforms(m)[i]
    x = m.tensor(np.abs(X1) + 0.1 if isinstance(x, str) else x, dtype=m.float64,
                 requires_grad=True)
    y = t(x)
    out = {"repr": repr(t), "dom": repr(t.domain), "cod": repr(t.codomain), "y": y,
           "shape": (tuple(t.forward_shape(x.shape)), tuple(t.inverse_shape(y.shape))),
           "bij": t.bijective}
    out["xinv"] = t.inv(y)
    try:
        ladj = t.log_abs_det_jacobian(x, y)
    except NotImplementedError:
        ladj = None
    out["ladj"] = ladj
    loss = y.sum() + (ladj.sum() if ladj is not None else 0)
    out["grad"] = m.autograd.grad(loss, x)[0]
    return out


@pytest.mark.parametrize("i", range(20))
def test_transform_matches_torch(i):
    t, j = _run(torch, i), _run(jtorch, i)
    for key in t:
        if isinstance(t[key], torch.Tensor):
            assert_same(j[key].detach(), t[key].detach(), rtol=1e-6, atol=1e-9)
        else:
            assert j[key] == t[key], key


def test_cache_and_inverse_identity():
    T = jtorch.distributions.transforms
    t = T.ExpTransform(cache_size=1)
    x = jtorch.tensor([0.5])
    y = t(x)
    assert t.inv(y) is x and t(x) is y
    assert T.ExpTransform().inv.inv == T.ExpTransform()
    assert T.ExpTransform().with_cache(1)._cache_size == 1
    with pytest.raises(ValueError, match="cache_size must be 0 or 1"):
        T.ExpTransform(cache_size=2)


@pytest.mark.parametrize("name,args", [
    ("real", None), ("positive", None), ("nonnegative", None), ("greater_than", (1.5,)),
    ("less_than", (2.0,)), ("interval", (-1.0, 3.0)), ("unit_interval", None),
    ("simplex", None), ("lower_cholesky", None), ("corr_cholesky", None),
    ("positive_definite", None), ("real_vector", None),
])
def test_biject_and_transform_to(name, args):
    for reg in ("biject_to", "transform_to"):
        outs = []
        for m in (torch, jtorch):
            c = getattr(m.distributions.constraints, name)
            c = c(*args) if args else c
            try:
                t = getattr(m.distributions, reg)(c)
            except NotImplementedError as e:
                outs.append(str(e))
                continue
            shape = (2, 3) if "cholesky" not in name and "definite" not in name else (2, 2)
            x = m.tensor(np.linspace(-1, 1, 6)[: int(np.prod(shape)) if name != "corr_cholesky"
                                                else 1].reshape(-1 if name == "corr_cholesky"
                                                                 else shape))
            outs.append((repr(t), t(x)))
        if isinstance(outs[0], str):
            assert outs[1] == outs[0]
        else:
            assert outs[1][0] == outs[0][0]
            assert_same(outs[1][1], outs[0][1], rtol=1e-5)
