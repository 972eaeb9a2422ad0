"""The fused backward (autograd/fused.py) against torch and against jtorch's own engine: the
same gradients bit for bit as the engine, torch's values, accumulation and version counters,
torch's errors, and the fall-backs (hooks, retain_grad, inputs=) behaving as torch."""
import numpy as np
import pytest

import jtorch
from jtorch.autograd import engine, fused

torch = pytest.importorskip("torch")


@pytest.fixture
def always_fused(monkeypatch):
    """Fuse from a structure's first occurrence, and count the fused runs."""
    monkeypatch.setattr(fused._programs, "threshold", 1)
    runs = []
    orig = fused.try_run

    def counting(*args):
        ok = orig(*args)
        runs.append(ok)
        return ok
    monkeypatch.setattr(engine.fused, "try_run", counting)
    return runs


def _mlp(m):
    m.manual_seed(0)
    return m.nn.Sequential(m.nn.Linear(3, 4), m.nn.Tanh(), m.nn.Linear(4, 4), m.nn.ReLU(),
                           m.nn.Linear(4, 1))


def _steps(m, x, y, n=4, zero=True):
    model = _mlp(m)
    out = []
    for _ in range(n):
        if zero:
            model.zero_grad()
        loss = m.nn.functional.mse_loss(model(m.tensor(x)), m.tensor(y))
        loss.backward()
        out.append([(p.grad.numpy().copy(), p.grad._version) for p in model.parameters()])
    return out


@pytest.mark.parametrize("zero", [True, False], ids=["zero_grad", "accumulate"])
def test_training_steps_match_engine_and_torch(always_fused, monkeypatch, zero):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 3)).astype(np.float32)
    y = rng.standard_normal((8, 1)).astype(np.float32)
    got = _steps(jtorch, x, y, zero=zero)
    assert any(always_fused)
    monkeypatch.setattr(engine.fused, "try_run", lambda *a: False)
    eager = _steps(jtorch, x, y, zero=zero)
    ref = _steps(torch, x, y, zero=zero)
    for g, e, r in zip(got, eager, ref):
        for (gv, gver), (ev, ever), (rv, rver) in zip(g, e, r):
            np.testing.assert_array_equal(gv, ev)
            assert gver == ever == rver          # in-place accumulation bumps the version
            np.testing.assert_allclose(gv, rv, rtol=1e-5, atol=1e-6)


def _graph(m, x):
    """Views, a multi-output op with an unused output and integer indices, a broadcast."""
    w = m.tensor(x, requires_grad=True)
    a, b = w.t().chunk(2, dim=0)
    vals, idx = (a * 2).max(dim=1)
    out = (vals.unsqueeze(1) * b.sum(0) + w[1:2].exp()).sum() + idx.sum() * 0
    return w, out


def test_views_and_multi_output_nodes(always_fused):
    x = np.random.default_rng(1).standard_normal((4, 4)).astype(np.float32)
    grads = []
    for m in (jtorch, torch):
        w, out = _graph(m, x)
        out.backward()
        grads.append(w.grad.numpy())
    assert always_fused[-1] is True
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-6, atol=1e-6)


def test_second_backward_and_inplace_errors(always_fused):
    x = np.ones((2, 2), np.float32)
    msgs = []
    for m in (jtorch, torch):
        w = m.tensor(x, requires_grad=True)
        y = (w * w).sum()
        y.backward()
        with pytest.raises(RuntimeError) as e:
            y.backward()
        msgs.append(str(e.value))
        w2 = m.tensor(x, requires_grad=True)
        h = w2 * 2
        z = (h * h).sum()
        h.add_(1)
        with pytest.raises(RuntimeError) as e2:
            z.backward()
        msgs.append(str(e2.value).split(" Hint")[0])
    assert msgs[0] == msgs[2] and msgs[1] == msgs[3]


def test_retain_graph_runs_twice(always_fused):
    x = np.arange(4, dtype=np.float32).reshape(2, 2)
    grads = []
    for m in (jtorch, torch):
        w = m.tensor(x, requires_grad=True)
        y = (w.sin() * w).sum()
        y.backward(retain_graph=True)
        y.backward()
        grads.append(w.grad.numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-6)


def test_hooks_and_retain_grad_fall_back(always_fused):
    x = np.arange(1, 5, dtype=np.float32)
    res = []
    for m in (jtorch, torch):
        w = m.tensor(x, requires_grad=True)
        h = w * 3
        h.retain_grad()
        w.register_hook(lambda g: g * 10)
        (h * h).sum().backward()
        res.append((w.grad.numpy(), h.grad.numpy()))
    assert always_fused[-1] is False           # the engine ran it
    for a, b in zip(*res):
        np.testing.assert_allclose(a, b)


def test_structure_must_repeat_before_compiling(monkeypatch):
    """By default the first occurrences run in the engine, so one-off graphs never compile."""
    fused._programs.clear()
    repeats = fused._programs.threshold
    w = jtorch.ones(3, requires_grad=True)
    for i in range(repeats + 1):
        w.grad = None
        (w * w).sum().backward()
        assert len(fused._programs.programs) == (1 if i >= repeats - 1 else 0)
        np.testing.assert_array_equal(w.grad.numpy(), np.full(3, 2.0))
