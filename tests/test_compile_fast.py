"""The warm compiled call (issue 19, speed): the fast guard (``compiler/_fast.py``) and the
shared step counter of the Adam family. Every change the full guard keys on still retraces
(each shortcut of the fast guard has a test here), results stay eager's, and seed 004's
loop follows eager jtorch within 1e-6 over 50 steps."""
import numpy as np
import pytest

import jtorch


def _close(a, b, rtol=1e-6, atol=1e-7):
    # (through a clone: numpy() would make the compared tensor's own storage host-backed)
    a = np.asarray(a.detach().clone().numpy() if hasattr(a, "detach") else a, np.float64)
    b = np.asarray(b.detach().clone().numpy() if hasattr(b, "detach") else b, np.float64)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


class Twins:
    """The same model, optimizer and step run eagerly and compiled, side by side."""

    def __init__(self, make_model, make_opt=lambda ps: jtorch.optim.Adam(ps, lr=1e-2)):
        self.sides = []
        for compiled in (False, True):
            model = make_model()
            opt = make_opt(model.parameters())
            step = _step(model, opt)
            self.sides.append((model, opt, jtorch.compile(step) if compiled else step))
        self.run = self.sides[1][2]

    def __call__(self, x, *args):
        eager, compiled = (s[2](x, *args) for s in self.sides)
        _close(compiled, eager)
        self.check()

    def check(self):
        (m1, o1, _), (m2, o2, _) = self.sides
        for p1, p2 in zip(m1.parameters(), m2.parameters()):
            # Adam moves a parameter by about lr a step, so a float32 rounding difference in
            # its update (XLA fuses the update unlike eager's op-by-op kernels, and which
            # contractions it makes depends on the CPU's vector ISA) is ~lr * 2**-23: at
            # lr=0.5 that is 1.5e-7 absolute on an AVX2 machine
            _close(p2, p1, atol=1e-6)
            assert p2._version == p1._version
            if p1.grad is not None:
                _close(p2.grad, p1.grad, atol=1e-6)
            for k, v in o1.state[p1].items():
                _close(o2.state[p2][k], v, atol=1e-6)

    def both(self, fn):
        """Apply the same change to both sides: ``fn(model, opt)``."""
        for model, opt, _ in self.sides:
            fn(model, opt)


def _step(model, opt):
    def step(x, scale=1.0):
        opt.zero_grad()
        loss = (model(x) ** 2).mean() * scale
        loss.backward()
        opt.step()
        return loss
    return step


def _linear():
    jtorch.manual_seed(0)
    return jtorch.nn.Sequential(jtorch.nn.Linear(3, 4), jtorch.nn.Tanh(),
                                jtorch.nn.Dropout(0.0), jtorch.nn.Linear(4, 1))


def test_warm_calls_take_the_fast_guard_and_stay_eager_equal():
    t = Twins(_linear)
    x = jtorch.randn(5, 3)
    for _ in range(4):
        t(x)
    assert t.run._guard is not None and t.run.compiles == 2


def test_every_guard_change_still_retraces(monkeypatch):
    monkeypatch.setattr(jtorch._dynamo.config, "cache_size_limit", 64)
    t = Twins(_linear)
    x = jtorch.randn(5, 3)
    for _ in range(3):
        t(x)
    n = t.run.compiles

    def changed(fn=None, *args, xs=x):
        nonlocal n
        if fn is not None:
            t.both(fn)
        t(xs, *args)
        t(xs, *args)                # (a second call: the new state is steady again)
        assert t.run.compiles > n
        n = t.run.compiles
    changed(None, xs=jtorch.randn(7, 3))                                # a new shape
    changed(None, 2.0)                                                  # a Python scalar
    changed(lambda m, o: m.train(False))                                # training flag
    changed(lambda m, o: m[0].bias.requires_grad_(False))               # requires_grad
    changed(lambda m, o: o.param_groups[0].update(weight_decay=0.1))    # a static flag
    changed(lambda m, o: o.param_groups[0].update(maximize=True))


def test_a_new_lr_is_an_input_not_a_retrace():
    t = Twins(_linear)
    x = jtorch.randn(5, 3)
    for _ in range(3):
        t(x)
    n = t.run.compiles
    for lr in (0.5, 0.25, 0.125):
        t.both(lambda m, o: o.param_groups[0].update(lr=lr))
        t(x)
    assert t.run.compiles == n


def test_state_replaced_between_calls_is_seen():
    """Writes the guard key does not name (new values, a new .grad, a reassigned
    parameter of the same shape, a reloaded optimizer) reach the next compiled call."""
    t = Twins(_linear)
    x = jtorch.randn(5, 3)
    for _ in range(3):
        t(x)

    def new_weight(m, o):
        w = jtorch.nn.Parameter(jtorch.ones(1, 4))
        o.param_groups[0]["params"][2] = w
        m[3].weight = w
    saved = [o.state_dict() for _, o, _ in t.sides]
    for change in (lambda m, o: m[0].weight.data.mul_(0.5),
                   lambda m, o: setattr(m[0].bias, "grad", jtorch.ones(4)),
                   new_weight):
        t.both(change)
        t(x)
        t(x)
    for (m, o, _), sd in zip(t.sides, saved):
        o.load_state_dict(sd)
    t(x)


def test_rebinding_a_closure_variable_changes_the_roots():
    lin = jtorch.nn.Linear(3, 2)

    def f(x):
        return lin(x).sum()
    c = jtorch.compile(f)
    x = jtorch.randn(4, 3)
    with jtorch.no_grad():
        for _ in range(3):
            c(x)
        lin = jtorch.nn.Linear(3, 2)            # noqa: F841  (read through the closure)
        _close(c(x), f(x))


def test_grad_mode_retraces():
    lin = jtorch.nn.Linear(3, 2)
    c = jtorch.compile(lambda x: lin(x) * 2)
    x = jtorch.randn(4, 3)
    for _ in range(3):
        assert c(x).requires_grad
    with jtorch.no_grad():
        assert not c(x).requires_grad
    assert c(x).grad_fn is not None


def test_adam_step_counters_share_one_array_and_stay_separate_tensors():
    t = Twins(_linear)
    x = jtorch.randn(5, 3)
    for _ in range(3):
        t(x)
    _, opt, _ = t.sides[1]
    steps = [opt.state[p]["step"] for p in opt.param_groups[0]["params"]]
    assert len({id(s) for s in steps}) == len(steps)            # torch's layout
    assert len({id(s._storage.array) for s in steps}) == 1      # one counter in the program
    assert [s.item() for s in steps] == [3.0] * len(steps)
    # an eager write to one counter: the next program counts it on its own
    t.both(lambda m, o: o.state[m[0].weight]["step"].add_(5))
    t(x)
    t(x)
    assert [s.item() for s in steps] == [10.0] + [5.0] * (len(steps) - 1)


def _seed004(lib):
    lib.manual_seed(0)
    nn = lib.nn
    return nn.Sequential(nn.Linear(1, 5), nn.ReLU(), nn.Linear(5, 5), nn.ReLU(),
                         nn.Linear(5, 5), nn.ReLU(), nn.Linear(5, 1))


def _mse_step(model, opt):
    def step(x, y):
        opt.zero_grad()
        loss = jtorch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        return loss
    return step


@pytest.mark.parametrize("opt", ["adam", "adamw"])
def test_seed004_loop_follows_eager_over_50_steps(opt):
    rng = np.random.default_rng(0)
    xs = (rng.random((50, 32, 1)) * 2 * np.pi).astype(np.float32)
    ys = np.sin(xs).astype(np.float32)
    cls = jtorch.optim.Adam if opt == "adam" else jtorch.optim.AdamW
    out = []
    for compiled in (False, True):
        model = _seed004(jtorch)
        o = cls(model.parameters(), lr=1e-3)
        step = _mse_step(model, o)
        run = jtorch.compile(step) if compiled else step
        losses = [run(jtorch.from_numpy(x), jtorch.from_numpy(y)).item()
                  for x, y in zip(xs, ys)]
        out.append((losses, model, o))
    (l1, m1, o1), (l2, m2, o2) = out
    _close(l2, l1)
    for p1, p2 in zip(m1.parameters(), m2.parameters()):
        _close(p2, p1)
        for k in ("step", "exp_avg", "exp_avg_sq"):       # (test_compile.py's tolerances)
            _close(o2.state[p2][k], o1.state[p1][k], atol=1e-6)


def test_warm_compiled_module_forward_records_its_node_each_call():
    """A compiled forward under grad (one CompiledFunctionBackward node per call) on the
    fast guard: gradients still reach the parameters and the input, as eager's do."""
    m = _linear()
    c = jtorch.compile(m)
    ref = _linear()
    for i in range(4):
        x = jtorch.randn(5, 3, requires_grad=True)
        xr = x.detach().clone().requires_grad_()
        out, expect = c(x), ref(xr)
        assert type(out.grad_fn).__name__ == "CompiledFunctionBackward"
        out.pow(2).sum().backward()
        expect.pow(2).sum().backward()
        _close(x.grad, xr.grad)
        for p, q in zip(m.parameters(), ref.parameters()):
            _close(p.grad, q.grad, atol=1e-6)
    # (two programs: before and after the parameters have a .grad)
    assert c._compiled._guard is not None and c._compiled.compiles == 2


@pytest.mark.parametrize("name", ["Adamax", "NAdam", "RAdam", "AdamW"])
def test_adam_family_compiled_shares_its_counters_and_follows_eager(name):
    make = getattr(jtorch.optim, name)
    t = Twins(_linear, lambda ps: make(ps, lr=1e-2))
    x = jtorch.randn(5, 3)
    for _ in range(8):          # (RAdam's rectified branch starts at step 6)
        t(x)
    _, opt, _ = t.sides[1]
    steps = [opt.state[p]["step"] for p in opt.param_groups[0]["params"]]
    assert len({id(s._storage.array) for s in steps}) == 1
    assert t.run.compiles == 2
