"""torch.nn first slice, compared with torch: default init, forward/backward, repr, state."""
import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same

torch = pytest.importorskip("torch")


def build(m):
    nn = m.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(2, 3, 3, padding=1)
            self.pool = nn.MaxPool2d(2, 2)
            self.body = nn.Sequential(nn.Linear(12, 8), nn.ReLU(), nn.Linear(8, 8), nn.Tanh(),
                                      nn.Dropout(0.25), nn.Linear(8, 4))
            self.register_buffer("scale", m.ones(4) * 2)

        def forward(self, x):
            x = self.pool(m.relu(self.conv(x)))
            return self.body(m.flatten(x, 1)) * self.scale
    m.manual_seed(0)
    return Net()


def test_default_init_print_and_state_dict():
    tn, jn = build(torch), build(jtorch)
    assert repr(jn) == repr(tn)
    assert list(jn.state_dict()) == list(tn.state_dict())
    assert [n for n, _ in jn.named_parameters()] == [n for n, _ in tn.named_parameters()]
    assert [n for n, _ in jn.named_modules()] == [n for n, _ in tn.named_modules()]
    for (k, jv), tv in zip(jn.state_dict().items(), tn.state_dict().values()):
        assert_same(jv, tv, rtol=0, atol=0)
    assert repr(jn.body[0].bias) == repr(tn.body[0].bias)  # Parameter containing: ...
    assert str(jn.body[0].bias) == str(tn.body[0].bias)    # print(param) shows it too


@pytest.mark.parametrize("train", [True, False])
def test_forward_backward_equal(train):
    tn, jn = build(torch), build(jtorch)
    tn.train(train)
    jn.train(train)
    outs = []
    for m, net in ((torch, tn), (jtorch, jn)):
        m.manual_seed(1)
        x = m.rand(2, 2, 4, 4, requires_grad=True)
        y = net(x)
        loss = m.nn.functional.cross_entropy(y, m.tensor([1, 3])) + \
            m.nn.MSELoss()(y, m.ones(2, 4))
        loss.backward()
        outs.append((y, loss, x.grad, [p.grad for p in net.parameters()]))
    (ty, tl, tx, tg), (jy, jl, jx, jg) = outs
    assert_same(jy, ty, rtol=1e-5, atol=1e-6)
    assert_same(jl, tl, rtol=1e-5)
    assert jl.grad_fn.name() == tl.grad_fn.name()
    assert_same(jx, tx, rtol=1e-4, atol=1e-6)
    for a, b in zip(jg, tg):
        assert_same(a, b, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("name,args", [
    ("relu", ()), ("leaky_relu", (0.2,)), ("elu", ()), ("gelu", ()), ("silu", ()),
    ("sigmoid", ()), ("tanh", ()), ("softmax", (1,)), ("log_softmax", (0,))])
def test_functional_activations(name, args):
    res = []
    for m in (torch, jtorch):
        x = m.tensor([[-1.5, 0.0, 2.0], [0.5, -0.25, 3.0]], requires_grad=True)
        y = getattr(m.nn.functional, name)(x, *args)
        (y * m.tensor([[1., 2., 3.], [4., 5., 6.]])).sum().backward()
        res.append((y, x.grad, y.grad_fn.name()))
    assert_same(res[0][0], res[1][0], rtol=1e-6)
    assert_same(res[0][1], res[1][1], rtol=1e-5, atol=1e-6)  # tanh'/elu' near saturation
    assert res[0][2] == res[1][2]


@pytest.mark.parametrize("loss,kwargs", [
    ("mse_loss", {}), ("mse_loss", {"reduction": "sum"}), ("l1_loss", {}),
    ("binary_cross_entropy_with_logits", {}), ("cross_entropy", {}),
    ("cross_entropy", {"reduction": "none"}), ("nll_loss", {"ignore_index": 1})])
def test_losses(loss, kwargs):
    res = []
    for m in (torch, jtorch):
        x = m.tensor([[0.2, -1.0, 0.5], [1.5, 0.3, -0.7]], requires_grad=True)
        if loss in ("cross_entropy", "nll_loss"):
            t = m.tensor([2, 1])
        else:
            t = m.tensor([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])
        y = getattr(m.nn.functional, loss)(x, t, **kwargs)
        y.sum().backward()
        res.append((y, x.grad, y.grad_fn.name()))
    assert_same(res[1][0], res[0][0], rtol=1e-6)
    assert_same(res[1][1], res[0][1], rtol=1e-5, atol=1e-7)
    assert res[1][2] == res[0][2]


def test_module_api():
    for m in (torch, jtorch):
        net = m.nn.Sequential(m.nn.Linear(2, 3), m.nn.ReLU())
        assert len(net) == 2 and isinstance(net[0], m.nn.Linear)
        assert isinstance(net[:1], m.nn.Sequential)
        net.eval()
        assert not net.training and not net[0].training
        net.zero_grad()
        sd = net.state_dict()
        res = net.load_state_dict(sd)
        assert list(res.missing_keys) == [] and list(res.unexpected_keys) == []
        with pytest.raises(RuntimeError, match="Missing key"):
            net.load_state_dict({})
        with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied "
                                               r"\(1x3 and 2x3\)"):
            net(m.ones(1, 3))
