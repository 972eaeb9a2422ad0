"""jtorch from several Python threads (issue 27, item 4).

Real programs train in one thread while another loads data or evaluates. The deferred-op
queue, the caches and the generator are shared; grad mode is per thread, as torch's. Checked:
4 threads running independent training loops at once get what each loop gets alone (to
float32 rounding: see the test); grad mode set in one thread is not seen by another (compared with torch); concurrent
draws from the global generator are each a whole draw of the sequence (no torn state).
"""
import threading

import numpy as np
import pytest

import jtorch
from jtorch import nn

STEPS = 40


def _loop(seed, steps=STEPS, barrier=None):
    """An independent training loop (its own data, init and optimizer, no global RNG);
    returns every loss and the final parameters as arrays."""
    rng = np.random.RandomState(seed)
    model = nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.Linear(16, 2))
    with jtorch.no_grad():
        for p in model.parameters():
            p.copy_(jtorch.tensor(rng.randn(*p.shape).astype(np.float32) * 0.3))
    opt = jtorch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    x = jtorch.tensor(rng.randn(32, 6).astype(np.float32))
    y = jtorch.tensor(rng.randn(32, 2).astype(np.float32))
    if barrier is not None:
        barrier.wait()          # start together: the loops' ops interleave
    losses = []
    for i in range(steps):
        opt.zero_grad()
        loss = ((model(x[i % 4 * 8:]) - y[i % 4 * 8:]) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.detach().numpy().copy())
        if i % 10 == 0:
            with jtorch.no_grad():          # an evaluation inside the loop
                model(x).sum().item()
    return losses, [p.detach().numpy().copy() for p in model.parameters()]


def _in_threads(fn, n):
    results, errors = [None] * n, []
    barrier = threading.Barrier(n)

    def run(k):
        try:
            results[k] = fn(k, barrier)
        except BaseException as e:  # noqa: BLE001 (re-raised in the main thread)
            errors.append(e)
    threads = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results


def test_four_training_loops_match_their_single_threaded_runs():
    # each loop alone, twice: the first run compiles as it goes (its first steps run op by
    # op, later ones as one fused program, which may round differently in the last bit);
    # the second, warm run is the reference
    # (threads share the deferred queue, so where its fused programs begin and end depends
    # on timing: the last bit may differ, as between a cold and a warm run; open in issue 27)
    alone = [(_loop(100 + k), _loop(100 + k))[1] for k in range(4)]
    together = _in_threads(lambda k, b: _loop(100 + k, barrier=b), 4)
    for k in range(4):
        (la, pa), (lt, pt) = alone[k], together[k]
        for i, (a, t) in enumerate(zip(la, lt)):
            np.testing.assert_allclose(a, t, rtol=1e-5, err_msg=f"loop {k}, step {i}")
        for a, t in zip(pa, pt):
            np.testing.assert_allclose(a, t, rtol=1e-5, atol=1e-7, err_msg=f"loop {k}")


@pytest.mark.parametrize("lib", ["torch", "jtorch"])
def test_grad_mode_is_thread_local(lib):
    m = pytest.importorskip(lib)
    seen = {}

    def worker():
        seen["start"] = m.is_grad_enabled()
        with m.no_grad():
            seen["inside"] = m.is_grad_enabled()
            gate.wait()          # the main thread checks its own mode meanwhile
            gate.wait()
        w = m.ones(2, requires_grad=True)
        seen["graph"] = (w * 2).requires_grad

    gate = threading.Barrier(2)
    with m.no_grad():
        t = threading.Thread(target=worker)
        t.start()
        gate.wait()
        main_inside = m.is_grad_enabled()
        gate.wait()
        t.join()
    assert seen == {"start": True, "inside": False, "graph": True}
    assert main_inside is False and m.is_grad_enabled() is True


def test_grad_mode_matches_torch():
    torch = pytest.importorskip("torch")
    assert _grad_mode_outcome(torch) == _grad_mode_outcome(jtorch)


def _grad_mode_outcome(m):
    """A child thread started inside no_grad records a graph (its mode starts enabled)."""
    out = {}

    def child():
        x = m.ones(2, requires_grad=True)
        out["child"] = (x + 1).grad_fn is not None
    with m.no_grad():
        t = threading.Thread(target=child)
        t.start()
        t.join()
        out["main"] = (m.ones(2, requires_grad=True) + 1).grad_fn is not None
    return out


def test_concurrent_draws_are_whole():
    """Threads drawing from the global generator at once: every draw is one whole draw of
    the single-threaded sequence (the set of draws is the same; only their order differs)."""
    jtorch.manual_seed(7)
    expected = sorted(jtorch.randn(16).numpy().tobytes() for _ in range(40))
    jtorch.manual_seed(7)
    got = _in_threads(lambda k, b: (b.wait(), [jtorch.randn(16).numpy().tobytes()
                                               for _ in range(10)])[1], 4)
    assert sorted(d for ds in got for d in ds) == expected
