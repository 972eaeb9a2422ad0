"""A compiled step over a JAX Mesh runs as one SPMD program (jtorch.compile's ``mesh``
option, ``compiler/_sharding.py``): 4 simulated CPU devices in a subprocess (the device count
is fixed when JAX starts). The program is partitioned (an all-reduce in its HLO, results on
4 devices), and its losses, parameters and BatchNorm statistics equal the one-device
compiled run and torch's eager run on the same full batch."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

STEPS = 4
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _data():
    rng = np.random.default_rng(0)
    init = {"0.weight": rng.standard_normal((16, 6)) * 0.4, "1.weight": 1 + rng.random(16),
            "1.bias": rng.standard_normal(16) * 0.1, "3.weight": rng.standard_normal((3, 16)) * 0.3,
            "3.bias": rng.standard_normal(3) * 0.1}
    init = {k: v.astype(np.float32) for k, v in init.items()}
    xs = rng.standard_normal((STEPS, 32, 6)).astype(np.float32)
    ys = rng.integers(0, 3, (STEPS, 32))
    return init, xs, ys


def _model(torch, init):
    nn = torch.nn
    m = nn.Sequential(nn.Linear(6, 16, bias=False), nn.BatchNorm1d(16), nn.ReLU(),
                      nn.Linear(16, 3))
    m.load_state_dict({k: torch.tensor(v) for k, v in init.items()}, strict=False)
    return m


def _state(m):
    return {k: v.detach().double().tolist() for k, v in m.state_dict().items()}


def _adam_run(torch, compile_options=None, eager=False):
    """STEPS Adam steps of the whole step (forward, backward, update) on the full batches."""
    init, xs, ys = _data()
    m = _model(torch, init)
    opt = torch.optim.Adam(m.parameters(), lr=1e-2)

    def step(x, y):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(m(x), y)
        loss.backward()
        opt.step()
        return loss
    f = step if eager else torch.compile(step, options=compile_options)
    losses = []
    for x, y in zip(xs, ys):
        loss = f(torch.tensor(x), torch.tensor(y))
        losses.append(loss.item())
    return m, f, loss, losses


def _dp_run(torch, compile_options=None, eager=False, whole_step=False):
    """SGD with momentum through ``nn.DataParallel``: the wrapper compiled (eager backward and
    update), or a compiled step that calls the wrapper."""
    init, xs, ys = _data()
    m = _model(torch, init)
    dp = torch.nn.DataParallel(m)
    opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
    fwd = dp if eager or whole_step else torch.compile(dp, options=compile_options)

    def step(x, y):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(fwd(x), y)
        loss.backward()
        opt.step()
        return loss
    f = torch.compile(step, options=compile_options) if whole_step and not eager else step
    losses = [f(torch.tensor(x), torch.tensor(y)).item() for x, y in zip(xs, ys)]
    return m, fwd, losses


def _worker():
    """Runs under 4 forced CPU devices; prints one RESULT line of JSON."""
    import jax
    import jtorch as torch
    from jtorch.compiler import _sharding
    assert jax.device_count() == 4
    out = {}
    m1, _, _, l1 = _adam_run(torch, None)
    m4, f4, loss4, l4 = _adam_run(torch, {"mesh": 4})
    out["adam_one"] = {"losses": l1, "state": _state(m1)}
    out["adam_mesh"] = {"losses": l4, "state": _state(m4)}
    _, xs, ys = _data()
    text = _sharding.program_text(f4, torch.tensor(xs[0]), torch.tensor(ys[0]))
    w = m4[0].weight._value()
    out["partitioned"] = {
        "all_reduce": "all-reduce" in text, "loss_devices": len(loss4._value().devices()),
        "param_devices": len(w.devices()), "param_replicated": w.sharding.is_fully_replicated,
        "compiles": f4.compiles}
    # eager work on the replicated state, after the SPMD steps
    m4.eval()
    probe = torch.tensor(xs[0][:5])
    out["eager_after"] = {"eval": m4(probe).tolist(), "item": m4[3].bias[0].item(),
                          "repr_ok": "Parameter containing" in repr(m4[3].bias)}
    _sharding.unshard(m4)
    out["unshard_devices"] = len(m4[0].weight._value().devices())
    # DataParallel under compile: the wrapper compiled, and inside a compiled step
    for name, whole in (("dp_module", False), ("dp_step", True)):
        m, fwd, losses = _dp_run(torch, {"mesh": 4}, whole_step=whole)
        out[name] = {"losses": losses, "state": _state(m)}
    m, fwd, _ = _dp_run(torch, {"mesh": 4})
    y = fwd(torch.tensor(xs[0]))._value()
    out["dp_out"] = {"devices": len(y.devices()), "spec": list(y.sharding.spec)}
    m = _model(torch, _data()[0])           # Module.compile(options=...) in place
    want = m(torch.tensor(xs[0])).tolist()
    m.compile(options={"mesh": 4})
    got = m(torch.tensor(xs[0]))
    out["module_compile"] = {"got": got.tolist(), "want": want,
                             "devices": len(got._value().devices()),
                             "type": type(m).__name__}
    m, fwd, losses = _dp_run(torch, None)     # no mesh: an ordinary one-device program
    out["dp_plain"] = {"losses": losses, "devices": len(fwd(torch.tensor(xs[0]))._value()
                                                        .devices())}
    # a batch the device count does not divide runs whole (replicated), still correct
    f = torch.compile(lambda x: (x * 2).sum(0), options={"mesh": 4})
    out["uneven"] = f(torch.arange(30.).reshape(10, 3)).tolist()
    g = torch.compile(lambda x: x.mean(1), options={"mesh": True, "batch_dim": 1})
    r = g(torch.arange(24.).reshape(3, 8))
    out["batch_dim1"] = {"value": r.tolist(), "devices": len(r._value().devices())}
    try:
        torch.compile(lambda x: x, options={"mesh": 9})
        out["too_many"] = None
    except ValueError as e:
        out["too_many"] = str(e)
    print("RESULT " + json.dumps(out))


@pytest.fixture(scope="module")
def result():
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=4",
               JAX_PLATFORMS="cpu", PYTHONPATH=ROOT)
    done = subprocess.run([sys.executable, os.path.abspath(__file__)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    line = [s for s in done.stdout.splitlines() if s.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT "):])


def _rel(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-30)


def _close(got, want, rel):
    assert _rel(got["losses"], want["losses"]) <= rel
    assert got["state"].keys() == want["state"].keys()
    for k in want["state"]:
        assert _rel(got["state"][k], want["state"][k]) <= rel, k


def _torch_reference(run, **kw):
    torch = pytest.importorskip("torch")
    out = run(torch, eager=True, **kw)
    return {"losses": out[-1] if run is _dp_run else out[3], "state": _state(out[0])}


def test_program_is_partitioned(result):
    p = result["partitioned"]
    assert p["all_reduce"]                  # XLA inserted the gradient reduction
    assert p["loss_devices"] == 4 and p["param_devices"] == 4 and p["param_replicated"]
    assert p["compiles"] == 2               # first step, then with Adam's state (as 1-device)


def test_adam_steps_equal_one_device_and_torch(result):
    _close(result["adam_mesh"], result["adam_one"], 1e-6)
    _close(result["adam_mesh"], _torch_reference(_adam_run), 1e-5)


def test_eager_ops_on_replicated_state(result):
    torch = pytest.importorskip("torch")
    m, _, _, _ = _adam_run(torch, eager=True)
    m.eval()
    _, xs, _ = _data()
    with torch.no_grad():
        want = m(torch.tensor(xs[0][:5])).tolist()
    e = result["eager_after"]
    assert _rel(e["eval"], want) <= 1e-5
    assert abs(e["item"] - m[3].bias[0].item()) <= 1e-5 * abs(m[3].bias[0].item()) + 1e-7
    assert e["repr_ok"]
    assert result["unshard_devices"] == 1


@pytest.mark.parametrize("name", ["dp_module", "dp_step"])
def test_data_parallel_under_compile(result, name):
    want = _torch_reference(_dp_run)        # torch's CPU DataParallel calls the module
    _close(result[name], want, 1e-5)
    assert result["dp_out"] == {"devices": 4, "spec": ["batch"]}
    assert _rel(result["dp_plain"]["losses"], want["losses"]) <= 1e-5
    assert result["dp_plain"]["devices"] == 1


def test_module_compile_in_place(result):
    r = result["module_compile"]
    assert _rel(r["got"], r["want"]) <= 1e-6
    assert r["devices"] == 4 and r["type"] == "Sequential"


def test_uneven_batch_and_batch_dim(result):
    assert result["uneven"] == (np.arange(30.).reshape(10, 3) * 2).sum(0).tolist()
    b = result["batch_dim1"]
    assert b["value"] == np.arange(24.).reshape(3, 8).mean(1).tolist()
    assert b["devices"] == 4
    assert "asks for 9 devices" in result["too_many"]


if __name__ == "__main__":
    sys.path.insert(0, ROOT)
    _worker()
