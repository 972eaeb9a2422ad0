"""torch.autograd.forward_ad: dual tensors pushed through ops (jax.jvp), compared with torch."""
import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same

torch = pytest.importorskip("torch")

MODULES = (jtorch, torch)


def _data(m):
    x = m.tensor(np.arange(6, dtype=np.float32).reshape(2, 3) / 7)
    w = m.tensor(np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4))
    return x, w


# expressions of a dual ``d`` (2x3) and a plain ``w`` (3x4): elementwise, matmul, reductions,
# views, indexing, lists of tensors, nn.functional
CASES = {
    "chain": lambda m, d, w: (d.sin() * 2 + d.exp()).matmul(w).softmax(-1),
    "views": lambda m, d, w: d.reshape(3, 2).t().sum(0),
    "linear": lambda m, d, w: m.nn.functional.linear(d, w.t(), m.ones(4)),
    "index": lambda m, d, w: d[1] * d[0, 1:].sum(),
    "cat": lambda m, d, w: m.cat([d, d * 3]),
    "reduce": lambda m, d, w: (d ** 2).mean(1, keepdim=True) - d.amax(),
    "loss": lambda m, d, w: m.nn.functional.mse_loss(d, m.zeros(2, 3)),
    "tanh_where": lambda m, d, w: m.where(d > 0.3, d.tanh(), d * d),
    "norm": lambda m, d, w: d / d.norm(),         # jtorch's norm has a hand-written VJP
    "mask_sort": lambda m, d, w: m.sort(d[d > 0.3], descending=True)[0],
    "layer_norm": lambda m, d, w: m.nn.functional.layer_norm(d, (3,)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_tangent_matches_torch(case):
    res = []
    for m in MODULES:
        fwAD = m.autograd.forward_ad
        x, w = _data(m)
        tangent = m.tensor(np.linspace(0.5, 1.5, 6, dtype=np.float32).reshape(2, 3))
        with fwAD.dual_level():
            d = fwAD.make_dual(x, tangent)
            out = CASES[case](m, d, w)
            primal, tan = fwAD.unpack_dual(out)
            res.append((primal, tan))
        assert fwAD.unpack_dual(out).tangent is None     # dropped with the level
    assert_same(res[0][0], res[1][0], rtol=1e-5, atol=1e-6)
    assert_same(res[0][1], res[1][1], rtol=1e-5, atol=1e-6)


def test_dual_tensor_basics():
    def run(m):
        fwAD = m.autograd.forward_ad
        x = m.tensor([1.0, 2.0, 3.0])
        v = m.ones(3)
        with fwAD.dual_level() as level:
            d = fwAD.make_dual(x, v)
            u = fwAD.unpack_dual(d)
            plain = fwAD.unpack_dual(x)
            d2 = fwAD.make_dual(x.clone(), v)
            d2.mul_(3)              # in place: the tangent given to make_dual sees it too
            return (level, type(u).__name__, u.tangent is v, d._base is x, plain.tangent,
                    u.primal.tolist(), v.tolist(), fwAD.unpack_dual(d2).tangent.tolist())
    j, t = [run(m) for m in MODULES]
    assert j == t


def test_dual_errors_as_torch():
    cases = [
        lambda m, fw: fw.make_dual(m.ones(3), m.ones(2)),
        lambda m, fw: fw.make_dual(m.arange(3), m.ones(3)),
        lambda m, fw: fw.enter_dual_level(),
    ]
    for case in cases:
        errors = []
        for m in MODULES:
            fw = m.autograd.forward_ad
            with fw.dual_level():
                with pytest.raises(Exception) as info:
                    case(m, fw)
            errors.append((type(info.value), str(info.value)))
        assert errors[0] == errors[1]
    errors = []
    for m in MODULES:
        with pytest.raises(RuntimeError) as info:
            m.autograd.forward_ad.make_dual(m.ones(2), m.ones(2))
        errors.append(str(info.value))
        with pytest.raises(RuntimeError):
            m.autograd.forward_ad.exit_dual_level()
    assert errors[0] == errors[1]


def test_forward_and_reverse_mode_together():
    """A dual tensor that also requires grad: backward through the primal still works."""
    res = []
    for m in MODULES:
        fwAD = m.autograd.forward_ad
        x = m.tensor([0.5, 1.0], requires_grad=True)
        with fwAD.dual_level():
            d = fwAD.make_dual(x, m.tensor([1.0, -1.0]))
            y = (d * d).sin()
            tan = fwAD.unpack_dual(y).tangent
            y.sum().backward()
        res.append((tan, x.grad, type(d.grad_fn).__name__))
    assert res[0][2] == res[1][2]
    assert_same(res[0][0], res[1][0], rtol=1e-6)
    assert_same(res[0][1], res[1][1], rtol=1e-6)


def test_functional_jvp_matches_forward_ad():
    x = jtorch.tensor([0.3, 0.7])
    v = jtorch.tensor([1.0, 2.0])
    _, jv = jtorch.autograd.functional.jvp(lambda a: a.exp() * a, x, v)
    with jtorch.autograd.forward_ad.dual_level():
        d = jtorch.autograd.forward_ad.make_dual(x, v)
        tan = jtorch.autograd.forward_ad.unpack_dual(d.exp() * d).tangent
    np.testing.assert_allclose(jv.numpy(), tan.numpy(), rtol=1e-6)


def test_warm_fast_paths_still_carry_tangents():
    """Binary operators and int indexing skip the dispatcher once their signature is warm;
    a dual operand must still get its tangent."""
    fwAD = jtorch.autograd.forward_ad
    a, b = jtorch.ones(3), jtorch.ones(3) * 2
    for _ in range(3):
        _ = (a + b, a * b, a[0])
    with fwAD.dual_level():
        d = fwAD.make_dual(a * 1, jtorch.tensor([1.0, 2.0, 3.0]))
        p = d * 1                   # a plain (non-view) dual tensor
        assert fwAD.unpack_dual(p + b).tangent.tolist() == [1.0, 2.0, 3.0]
        assert fwAD.unpack_dual(p * b).tangent.tolist() == [2.0, 4.0, 6.0]
        assert fwAD.unpack_dual(b - p).tangent.tolist() == [-1.0, -2.0, -3.0]
        assert fwAD.unpack_dual(p[1]).tangent.tolist() == 2.0
    assert (a + b).tolist() == [3.0, 3.0, 3.0]     # operators restored
