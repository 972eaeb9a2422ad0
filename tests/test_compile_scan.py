"""An epoch as one program (issue 19 item 5): ``jtorch.compiler.scan_steps`` runs a training
step over stacked batches as one ``lax.scan``; its results and the state it leaves equal
calling the compiled step batch by batch, and those follow torch's eager run."""
import numpy as np
import pytest

import jtorch
from jtorch.compiler import _wrapper

try:
    import torch
except ImportError:         # torch is a test-only dependency
    torch = None

STEPS = 9


def _data(seed=0, feat=3):
    rng = np.random.default_rng(seed)
    xs = rng.standard_normal((STEPS, 8, feat)).astype(np.float32)
    return xs, np.sin(xs.sum(-1, keepdims=True)).astype(np.float32)


def _setup(lib, kind):
    lib.manual_seed(0)
    nn = lib.nn
    if kind == "bn":
        model = nn.Sequential(nn.Linear(3, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 1))
    elif kind == "dropout":
        model = nn.Sequential(nn.Linear(3, 6), nn.ReLU(), nn.Dropout(0.3), nn.Linear(6, 1))
    else:
        model = nn.Sequential(nn.Linear(3, 6), nn.Tanh(), nn.Linear(6, 1))
    if kind == "sgd":
        opt = lib.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    else:
        opt = lib.optim.Adam(model.parameters(), lr=1e-2)
    set_to_none = kind != "sgd"        # SGD: .grad zeroed in place, a persistent storage

    def step(x, y):
        opt.zero_grad(set_to_none=set_to_none)
        loss = lib.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        return loss
    return model, opt, step


def _state(model, opt):
    out = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
    for i, st in opt.state_dict()["state"].items():
        for k, v in st.items():
            out[f"opt.{i}.{k}"] = np.asarray(v.numpy() if hasattr(v, "numpy") else v)
    for i, p in enumerate(model.parameters()):
        out[f"grad.{i}"] = p.grad.numpy().copy()
    return out


def _versions(model):
    return [p._version for p in model.parameters()]


def _step_by_step(kind, epochs=2):
    model, opt, step = _setup(jtorch, kind)
    run = jtorch.compile(step)
    xs, ys = _data()
    losses = [[run(jtorch.from_numpy(x.copy()), jtorch.from_numpy(y.copy())).item()
               for x, y in zip(xs, ys)] for _ in range(epochs)]
    return np.array(losses, np.float32), _state(model, opt), _versions(model)


def _scanned(kind, epochs=2):
    model, opt, step = _setup(jtorch, kind)
    run = jtorch.compiler.scan_steps(step)
    xs, ys = _data()
    out = [run(jtorch.from_numpy(xs), jtorch.from_numpy(ys)) for _ in range(epochs)]
    assert all(o.shape == (STEPS,) and o.dtype == jtorch.float32 for o in out)
    return np.stack([o.numpy() for o in out]), _state(model, opt), _versions(model)


@pytest.mark.parametrize("kind", ["adam", "sgd", "bn", "dropout"])
def test_scan_equals_the_compiled_step_batch_by_batch(kind):
    # equal to float precision: inside a compiled program the optimizer's update is fused
    # by XLA (as torch.compile fuses it), and the step's program and the scan's body are
    # two compilations, which may round an element 1 ulp apart
    losses, state, versions = _step_by_step(kind)
    s_losses, s_state, s_versions = _scanned(kind)
    np.testing.assert_allclose(s_losses, losses, rtol=1e-6, atol=1e-7)
    assert s_state.keys() == state.keys()
    for k in state:
        np.testing.assert_allclose(s_state[k], state[k], rtol=1e-6, atol=1e-7, err_msg=k)
    assert s_versions == versions


@pytest.mark.skipif(torch is None, reason="torch is not installed")
@pytest.mark.parametrize("kind", ["adam", "sgd"])   # (with BN before it, a Linear's bias
def test_scan_follows_torch_eager(kind):               # gets ~0 gradients: Adam amplifies noise)
    s_losses, s_state, _ = _scanned(kind)
    model, opt, step = _setup(torch, kind)
    xs, ys = _data()
    losses = [[step(torch.from_numpy(x), torch.from_numpy(y)).item() for x, y in zip(xs, ys)]
              for _ in range(2)]
    np.testing.assert_allclose(s_losses, np.array(losses), rtol=1e-5, atol=1e-6)
    for k, v in _state(model, opt).items():
        np.testing.assert_allclose(s_state[k], v, rtol=1e-5, atol=1e-6, err_msg=k)


def test_a_later_epoch_is_one_program(monkeypatch):
    """Once the flow is known, an epoch runs no step-by-step call."""
    model, opt, step = _setup(jtorch, "adam")
    run = jtorch.compiler.scan_steps(step)
    xs, ys = (jtorch.from_numpy(a) for a in _data())
    run(xs, ys)
    calls = []
    orig = _wrapper.Compiled._run
    monkeypatch.setattr(_wrapper.Compiled, "_run",
                        lambda self, *a: calls.append(1) or orig(self, *a))
    run(xs, ys)
    assert calls == [] and run.step.compiles == 2      # first step (no .grad yet), steady


def test_scan_rejects_unstacked_arguments():
    _, _, step = _setup(jtorch, "adam")
    run = jtorch.compiler.scan_steps(step)
    with pytest.raises(ValueError, match="same size along dim 0"):
        run(jtorch.zeros(3, 8, 3), jtorch.zeros(4, 8, 1))
    with pytest.raises(ValueError, match="stacked along dim 0"):
        run(jtorch.zeros(()), jtorch.zeros(()))
