"""Issue 27, item 5: a KeyboardInterrupt during ``backward()``, during a deferred-queue flush
(``jtorch._lazy``) or during ``optimizer.step()`` leaves tensors, graphs and caches usable.

Each test trains a small model for a few steps with one interrupt injected (a function on
the path is replaced by one that raises KeyboardInterrupt once, before or after doing its
work, as a Ctrl-C would land). After the interrupt the model and optimizer must hold either
the state before the interrupted step (nothing was applied: the step is run again) or the
state after it (it was applied in full), never a mix; the run then ends with the parameters
of an uninterrupted run (to float32 rounding: see ``_same``). Steps 1 and 6 are hit: the first runs op by op, the
later ones in the compiled deferred/fused programs (``_caches.LAZY_HOT``, ``FUSED_HOT``).
"""
import numpy as np
import pytest

import jtorch as torch
import jtorch.nn.functional as F
from jtorch import _caches, _lazy, _internal
from jtorch.autograd import engine, fused
from jtorch.optim import _functional, optimizer as _optimizer

STEPS = 8


class _Interrupt:
    """Replace ``owner.name`` with a wrapper raising KeyboardInterrupt on its ``at``-th call
    (counted while ``armed``), before or after running the original."""

    def __init__(self, monkeypatch, owner, name, when="before", at=1):
        self.orig = getattr(owner, name)
        self.when, self.at, self.calls, self.fired, self.armed = when, at, 0, False, False
        monkeypatch.setattr(owner, name, self._call)

    def _call(self, *args, **kwargs):
        hit = False
        if self.armed and not self.fired:
            self.calls += 1
            hit = self.calls == self.at
        if hit and self.when == "before":
            self.fired = True
            raise KeyboardInterrupt
        out = self.orig(*args, **kwargs)
        if hit:
            self.fired = True
            raise KeyboardInterrupt
        return out


def _model():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 2))


def _data():
    g = np.random.default_rng(0)
    return (torch.tensor(g.standard_normal((16, 4)), dtype=torch.float32),
            torch.tensor(g.standard_normal((16, 2)), dtype=torch.float32))


def _snapshot(model, opt):
    out = [p.detach().numpy().copy() for p in model.parameters()]
    for st in opt.state.values():
        out += [np.asarray(v.detach().numpy() if isinstance(v, torch.Tensor) else v).copy()
                for _, v in sorted(st.items())]
    return out


def _same(a, b):
    """Equal to float32 rounding. The engine's node-by-node path and the fused program
    are bit-equal on some CPUs (AVX-512) and 1 ulp apart on others (AVX2: XLA's CPU
    kernels round by the vector ISA), and an interrupt moves a step between the paths.
    One training step moves the state by far more than this, so before/after still tell."""
    return len(a) == len(b) and all(
        x.shape == y.shape and np.all(np.abs(x - y) <= 1e-6 * np.abs(y).max(initial=0))
        for x, y in zip(a, b))


def _step(model, opt, x, y, log):
    opt.zero_grad()
    loss = F.mse_loss(model(x), y)
    if log:
        loss.item()         # a read: the deferred forward ops run here
    loss.backward()
    opt.step()


def _train(make_opt, log, trap=None, hit_step=None, ref=None):
    """Per-step snapshots of a run; with ``trap``, armed during step ``hit_step`` only. After
    an interrupt the state must be ``ref``'s before or after that step: the step is run
    again, or the run goes on (as a user who checks would)."""
    _caches.clear_all()
    model = _model()
    opt = make_opt(model.parameters())
    x, y = _data()
    snaps = [_snapshot(model, opt)]
    i, interrupted = 0, []
    while i < STEPS:
        if trap is not None:
            trap.armed = i == hit_step
        try:
            _step(model, opt, x, y, log)
        except KeyboardInterrupt:
            interrupted.append(i)
            now = _snapshot(model, opt)
            if _same(now, ref[i + 1]):
                snaps.append(now)
                i += 1
            else:
                assert _same(now, ref[i]), "the interrupted step left a partial update"
            continue
        finally:
            if trap is not None:
                trap.armed = False
        snaps.append(_snapshot(model, opt))
        i += 1
    return snaps, interrupted


_OPTS = {
    "sgd": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9),
    "adam": lambda ps: torch.optim.Adam(ps, lr=0.01),
}
_REF = {}


def _reference(opt_name, log):
    # a test that turns the fused program off has its own reference
    key = (opt_name, log, fused.try_run.__name__)
    if key not in _REF:
        # the second run: the first one in a process takes the colder paths (the fast path
        # has seen no signature yet), whose last bits differ; an interrupted run is warm
        _train(_OPTS[opt_name], log)
        _REF[key] = _train(_OPTS[opt_name], log)[0]
    return _REF[key]


def _check(monkeypatch, opt_name, log, owner, name, when, hit_step, at=1):
    ref = _reference(opt_name, log)
    trap = _Interrupt(monkeypatch, owner, name, when, at)
    snaps, interrupted = _train(_OPTS[opt_name], log, trap, hit_step, ref)
    assert trap.fired and interrupted == [hit_step], (trap.calls, interrupted)
    assert len(snaps) == len(ref)
    bad = [k for k, (a, b) in enumerate(zip(snaps, ref)) if not _same(a, b)]
    assert not bad, f"the run differs from an uninterrupted one after steps {bad}"


@pytest.mark.parametrize("hit_step", [1, 6])
@pytest.mark.parametrize("when", ["before", "after"])
def test_interrupt_in_engine_node(monkeypatch, hit_step, when):
    """backward() on the engine's node-by-node path (the fused program turned off)."""
    monkeypatch.setattr(fused, "try_run", lambda *a: False)
    _check(monkeypatch, "sgd", False, engine, "apply_node", when, hit_step, at=2)


@pytest.mark.parametrize("hit_step", [1, 6])
def test_interrupt_in_fused_backward_plan(monkeypatch, hit_step):
    _check(monkeypatch, "sgd", False, fused, "_plan", "after", hit_step)


@pytest.mark.parametrize("hit_step", [1, 6])
@pytest.mark.parametrize("when", ["before", "after"])
def test_interrupt_while_backward_completes_queue(monkeypatch, hit_step, when):
    """The deferred forward ops run inside backward (the fused program, or the engine's
    flush): the interrupt lands as their results are handed out."""
    _check(monkeypatch, "sgd", False, _lazy, "complete", when, hit_step)


@pytest.mark.parametrize("hit_step", [1, 6])
@pytest.mark.parametrize("name,when", [("zero", "after"), ("complete", "before"),
                                       ("complete", "after"), ("_patch", "after")])
def test_interrupt_in_flush(monkeypatch, hit_step, name, when):
    """A read (``loss.item()``) runs the queue (``zero``: just before it runs), op by op or
    compiled; the results are handed to the storages and the nodes (``complete``,
    ``_patch``)."""
    _check(monkeypatch, "adam", True, _lazy, name, when, hit_step)


@pytest.mark.parametrize("when", ["before", "after"])
def test_interrupt_in_flush_op_by_op(monkeypatch, when):
    """The first steps run the queue op by op (``evaluate``)."""
    _check(monkeypatch, "adam", True, _lazy, "evaluate", when, 1)


@pytest.mark.parametrize("hit_step", [1, 6])
@pytest.mark.parametrize("name,when,at", [("compiled", "after", 1),
                                          ("replace_values_", "before", 1),
                                          ("replace_values_", "after", 3),
                                          ("replace_values_", "before", 5)])
@pytest.mark.parametrize("opt_name", ["sgd", "adam"])
def test_interrupt_in_optimizer_step(monkeypatch, opt_name, hit_step, name, when, at):
    owner = _functional if name == "compiled" else _optimizer
    _check(monkeypatch, opt_name, False, owner, name, when, hit_step, at)


def test_tensors_usable_after_interrupted_flush(monkeypatch):
    """A queued result read after an interrupted flush has its value (the queue ran again)."""
    a = torch.arange(6.0).reshape(2, 3)
    for _ in range(3):          # a signature seen before: the fast path defers the op
        b = a * 2 + 1
    trap = _Interrupt(monkeypatch, _lazy, "complete", "before")
    trap.armed = True
    b = a * 2 + 1
    with pytest.raises(KeyboardInterrupt):
        b.tolist()
    assert b.tolist() == [[1.0, 3.0, 5.0], [7.0, 9.0, 11.0]]
    assert (a + 1).tolist() == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("warm", [2, 6])
def test_outputs_readable_after_interrupted_backward(monkeypatch, when, warm):
    """The forward's results (queued until backward runs them: by the engine's flush after
    2 steps, inside the fused program after 6) are read after backward() was interrupted
    while handing them out."""
    _caches.clear_all()
    model = _model()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = _data()
    for _ in range(warm):
        _step(model, opt, x, y, False)
    trap = _Interrupt(monkeypatch, _lazy, "complete", when)
    opt.zero_grad()
    out = model(x)
    loss = F.mse_loss(out, y)
    trap.armed = True
    with pytest.raises(KeyboardInterrupt):
        loss.backward()
    trap.armed = False
    assert trap.fired
    with torch.no_grad():
        expected = model(x)
    assert _same([out.detach().numpy()], [expected.numpy()])
    assert _same([np.float32(loss.item())], [np.float32(F.mse_loss(expected, y).item())])
