"""The warm compiled call's runner (compiler/_runner.py) and the scan's warm guard
(compiler/_scan.py): pruned inputs, donation, NumPy-backed batches read anew after a NumPy
write, and a scanned epoch taken by the warm guard equal to the step-by-step run."""
import numpy as np
import pytest

import jtorch
from jtorch.compiler import _wrapper


def _model_opt(lr=1e-2):
    jtorch.manual_seed(0)
    nn = jtorch.nn
    model = nn.Sequential(nn.Linear(3, 6), nn.ReLU(), nn.Linear(6, 1))
    return model, jtorch.optim.Adam(model.parameters(), lr=lr)


def _step(model, opt):
    def step(x, y):
        opt.zero_grad()
        loss = jtorch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        return loss
    return step


def _params(model):
    return [p.detach().clone().numpy() for p in model.parameters()]


def _data(steps=5, seed=0):
    rng = np.random.default_rng(seed)
    xs = rng.standard_normal((steps, 8, 3)).astype(np.float32)
    return xs, np.sin(xs.sum(-1, keepdims=True)).astype(np.float32)


def test_unused_inputs_are_pruned_and_state_is_donated():
    model, opt = _model_opt()
    run = jtorch.compile(_step(model, opt))
    xs, ys = _data()
    for x, y in zip(xs, ys):
        run(jtorch.from_numpy(x), jtorch.from_numpy(y))
    plan = run._guard.plan
    n = len(plan.jaxpr.jaxpr.invars)
    kept = len(plan.runner.keep_arrays) + plan.runner.keep_key + len(plan.runner.keep_hyper)
    assert kept < n                     # the dropped .grad inputs, the shared counters, key
    assert list(plan.runner._exes) == [True]         # every call donated


def test_a_held_array_is_not_donated():
    model, opt = _model_opt()
    run = jtorch.compile(_step(model, opt))
    xs, ys = _data()
    run(jtorch.from_numpy(xs[0]), jtorch.from_numpy(ys[0]))
    run(jtorch.from_numpy(xs[1]), jtorch.from_numpy(ys[1]))
    w = next(model.parameters())
    held = w.detach().to_jax()
    before = np.asarray(held).copy()
    run(jtorch.from_numpy(xs[2]), jtorch.from_numpy(ys[2]))
    np.testing.assert_array_equal(np.asarray(held), before)     # still readable, unchanged
    assert not np.array_equal(w.detach().numpy(), before)


@pytest.mark.parametrize("scan", [False, True])
def test_a_numpy_write_to_the_batch_is_seen(scan):
    """The same from_numpy tensors every epoch; NumPy rewrites their buffers in between."""
    sides = []
    for compiled in (False, True):
        model, opt = _model_opt()
        step = _step(model, opt)
        if compiled:
            step = jtorch.compiler.scan_steps(step) if scan else jtorch.compile(step)
        sides.append((model, step))
    xs, ys = _data()
    tx, ty = jtorch.from_numpy(xs), jtorch.from_numpy(ys)
    pairs = [(x, y) for x, y in zip(xs.copy(), ys.copy())]     # one buffer per batch
    tensors = [(jtorch.from_numpy(x), jtorch.from_numpy(y)) for x, y in pairs]
    for epoch in range(3):
        losses = []
        for model, step in sides:
            if scan and step is sides[1][1]:
                losses.append(step(tx, ty).numpy().copy())
            else:
                losses.append(np.array([step(x, y).item() for x, y in tensors], np.float32))
        np.testing.assert_allclose(losses[1], losses[0], rtol=1e-6, atol=1e-7)
        for a, b in zip(_params(sides[1][0]), _params(sides[0][0])):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
        for a in (xs, *(x for x, _ in pairs)):
            a *= 0.5                    # in place: the tensors' own memory
        for a in (ys, *(y for _, y in pairs)):
            a += 1.0
    if not scan:
        assert sides[1][1]._guard is not None   # the warm path read the rewritten batches


def test_scan_warm_guard_follows_changes(monkeypatch):
    """The scan's warm guard: taken on a repeat, left when the state or the arguments
    change (a new lr stays an input; a frozen parameter or another shape retraces)."""
    model, opt = _model_opt()
    run = jtorch.compiler.scan_steps(_step(model, opt))
    ref_model, ref_opt = _model_opt()
    ref = jtorch.compile(_step(ref_model, ref_opt))
    xs, ys = _data()
    fast = []
    orig = type(run)._scan_fast
    monkeypatch.setattr(type(run), "_scan_fast",
                        lambda self, *a: fast.append(1) or orig(self, *a))

    def epoch(xs, ys):
        got = run(jtorch.from_numpy(xs), jtorch.from_numpy(ys)).numpy()
        want = [ref(jtorch.from_numpy(x), jtorch.from_numpy(y)).item() for x, y in zip(xs, ys)]
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
        for a, b in zip(_params(model), _params(ref_model)):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
        assert [p._version for p in model.parameters()] == \
            [p._version for p in ref_model.parameters()]
    epoch(xs, ys)
    epoch(xs, ys)
    assert len(fast) == 1
    for o in (opt, ref_opt):
        o.param_groups[0]["lr"] = 1e-3
    epoch(xs, ys)
    assert len(fast) == 2 and run.step.compiles == 2
    for m in (model, ref_model):
        next(m.parameters()).requires_grad_(False)
    epoch(xs, ys)
    assert len(fast) == 2 and run.step.compiles > 2
    epoch(xs[:3], ys[:3])               # fewer steps: the guard records the stacked shape
    epoch(xs[:3], ys[:3])
    assert len(fast) == 3


def test_reset_forgets_the_scan_guard():
    model, opt = _model_opt()
    run = jtorch.compiler.scan_steps(_step(model, opt))
    xs, ys = (jtorch.from_numpy(a) for a in _data())
    run(xs, ys)
    assert run.step._scan_guard is not None
    jtorch.compiler.reset()
    assert run.step._scan_guard is None and not run.step.cache
    run(xs, ys)
