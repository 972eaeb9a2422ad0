"""What an op saves for backward is torch's (issue 27, item 6): an in-place change of an
input or of the output after the op raises "modified by an inplace operation" at backward
exactly where torch's does (torch saves what its derivatives.yaml names; jtorch declares it
per op with ``saves=``).
"""
import numpy as np
import pytest

import jtorch

torch = pytest.importorskip("torch")


def _cnn(m):
    return m.nn.Sequential(m.nn.Conv2d(1, 4, 3, padding=1), m.nn.MaxPool2d(2),
                           m.nn.ReLU(inplace=True), m.nn.Flatten(), m.nn.Linear(64, 1))


def test_maxpool_then_inplace_relu_trains_as_torch():
    """The common CNN pattern: torch's max pool saves its input and indices, not the pooled
    values, so ReLU(inplace=True) after it is legal."""
    torch.manual_seed(0)
    tnet, jnet = _cnn(torch), _cnn(jtorch)
    with jtorch.no_grad():
        for tp, jp in zip(tnet.parameters(), jnet.parameters()):
            jp.copy_(jtorch.tensor(tp.detach().numpy()))
    rng = np.random.RandomState(0)
    xs = [rng.randn(4, 1, 8, 8).astype(np.float32) for _ in range(3)]
    topt = torch.optim.SGD(tnet.parameters(), lr=0.1)
    jopt = jtorch.optim.SGD(jnet.parameters(), lr=0.1)
    for x in xs:
        losses = []
        for m, net, opt in ((torch, tnet, topt), (jtorch, jnet, jopt)):
            opt.zero_grad()
            loss = (net(m.tensor(x)) ** 2).mean()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        np.testing.assert_allclose(losses[1], losses[0], rtol=1e-5)
    for tp, jp in zip(tnet.parameters(), jnet.parameters()):
        np.testing.assert_allclose(jp.detach().numpy(), tp.detach().numpy(), rtol=1e-5,
                                   atol=1e-6)


# (name, op(m, *inputs), input shapes): ops of the table whose saved tensors differ in kind
OPS = [
    ("relu", lambda m, a: a.relu(), [(3, 4)]),
    ("sigmoid", lambda m, a: a.sigmoid(), [(3, 4)]),
    ("tanh", lambda m, a: a.tanh(), [(3, 4)]),
    ("exp", lambda m, a: a.exp(), [(3, 4)]),
    ("sin", lambda m, a: a.sin(), [(3, 4)]),
    ("sqrt", lambda m, a: a.abs().sqrt(), [(3, 4)]),
    ("abs", lambda m, a: a.abs(), [(3, 4)]),
    ("mul", lambda m, a, b: a * b, [(3, 4), (3, 4)]),
    ("add", lambda m, a, b: a + b, [(3, 4), (3, 4)]),
    ("div", lambda m, a, b: a / b, [(3, 4), (3, 4)]),
    ("pow", lambda m, a: a ** 2, [(3, 4)]),
    ("mm", lambda m, a, b: a @ b, [(3, 4), (4, 2)]),
    ("sum", lambda m, a: a.sum(), [(3, 4)]),
    ("mean", lambda m, a: a.mean(1), [(3, 4)]),
    ("softmax", lambda m, a: a.softmax(1), [(3, 4)]),
    ("log_softmax", lambda m, a: a.log_softmax(1), [(3, 4)]),
    ("max_pool2d", lambda m, a: m.nn.functional.max_pool2d(a, 2), [(1, 2, 4, 4)]),
    ("avg_pool2d", lambda m, a: m.nn.functional.avg_pool2d(a, 2), [(1, 2, 4, 4)]),
    ("leaky_relu", lambda m, a: m.nn.functional.leaky_relu(a, 0.1), [(3, 4)]),
    ("gelu", lambda m, a: m.nn.functional.gelu(a), [(3, 4)]),
    ("linear", lambda m, a, w: m.nn.functional.linear(a, w), [(3, 4), (2, 4)]),
    ("clamp", lambda m, a: a.clamp(-0.5, 0.5), [(3, 4)]),
    ("amax", lambda m, a: a.amax(1), [(3, 4)]),
]


def _outcome(m, op, shapes, target):
    """Run ``op`` on non-leaf inputs, bump the version of input ``target`` (or of the
    output: ``target == -1``) in place, backward; the exception type or None."""
    rng = np.random.RandomState(1)
    leaves = [m.tensor(rng.uniform(0.5, 1.5, s) * rng.choice([-1, 1], s),
                       requires_grad=True) for s in shapes]
    ins = [x * 1 for x in leaves]
    out = op(m, *ins)
    try:
        with m.no_grad():
            (out if target == -1 else ins[target]).mul_(1)
        out.sum().backward()
    except RuntimeError as e:
        return "modified by an inplace operation" in str(e)
    return False


CASES = [(name, op, shapes, t) for name, op, shapes in OPS
         for t in [-1] + list(range(len(shapes)))]


@pytest.mark.parametrize("name,op,shapes,target", CASES,
                         ids=[f"{c[0]}-{'out' if c[3] < 0 else f'in{c[3]}'}" for c in CASES])
def test_inplace_after_op_raises_where_torch_does(name, op, shapes, target):
    assert _outcome(jtorch, op, shapes, target) == _outcome(torch, op, shapes, target)
