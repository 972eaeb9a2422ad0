"""torch.compile on JAX tracing (issue 19): compiled modules and training steps against
eager jtorch and torch, graph breaks, guards and recompiles, random numbers."""
import warnings

import numpy as np
import pytest

import jtorch

try:
    import torch
except ImportError:         # torch is a test-only dependency
    torch = None

RTOL = 1e-6


def _close(a, b, rtol=RTOL, atol=1e-7):
    a = np.asarray(a.detach().numpy() if hasattr(a, "detach") else a, np.float64)
    b = np.asarray(b.detach().numpy() if hasattr(b, "detach") else b, np.float64)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def _mlp(lib):
    lib.manual_seed(0)
    return lib.nn.Sequential(lib.nn.Linear(5, 16), lib.nn.Tanh(), lib.nn.Dropout(0.2),
                             lib.nn.Linear(16, 1))


def _cnn(lib):
    lib.manual_seed(0)
    return lib.nn.Sequential(lib.nn.Conv2d(1, 4, 3, bias=False), lib.nn.BatchNorm2d(4),
                             lib.nn.ReLU(), lib.nn.Flatten(), lib.nn.Linear(4 * 6 * 6, 1))


def _data(n, shape, seed=1):
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal((8,) + shape).astype(np.float32),
             rng.standard_normal((8, 1)).astype(np.float32)) for _ in range(n)]


def _train(lib, model, opt_fn, data, compiled, eval_dropout=True):
    opt = opt_fn(model.parameters())
    sched = lib.optim.lr_scheduler.StepLR(opt, 5, 0.5)
    if eval_dropout:
        for m in model.modules():
            if isinstance(m, lib.nn.Dropout):
                m.eval()

    def step(x, y):
        opt.zero_grad()
        loss = lib.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        return loss
    run = lib.compile(step) if compiled else step
    losses = []
    for x, y in data:
        losses.append(run(lib.from_numpy(x), lib.from_numpy(y)).item())
        sched.step()
    return losses, model, opt, run


def _adam(lib):
    return lambda ps: lib.optim.Adam(ps, lr=1e-2)


def _sgd(lib):
    return lambda ps: lib.optim.SGD(ps, lr=1e-2, momentum=0.9)


@pytest.mark.parametrize("arch,opt", [("mlp", "adam"), ("cnn", "sgd"), ("cnn", "adam")])
def test_compiled_step_matches_eager(arch, opt):
    make, shape = (_mlp, (5,)) if arch == "mlp" else (_cnn, (1, 8, 8))
    opt_fn = (_adam if opt == "adam" else _sgd)(jtorch)
    data = _data(20, shape)
    l1, m1, o1, _ = _train(jtorch, make(jtorch), opt_fn, data, False)
    l2, m2, o2, run = _train(jtorch, make(jtorch), opt_fn, data, True)
    _close(l1, l2)
    for (name, a), b in zip(m1.state_dict().items(), m2.state_dict().values()):
        _close(a, b)
        assert a._version == b._version, name
    for p1, p2 in zip(m1.parameters(), m2.parameters()):
        _close(p1.grad, p2.grad, atol=1e-6)
        assert p1._version == p2._version           # version deltas of the traced writes
        for k, v in o1.state[p1].items():
            _close(v, o2.state[p2][k], atol=1e-6)
    # first step (no .grad, no optimizer state yet), then every later step: two programs,
    # the scheduler's lr changes are run-time inputs
    assert run.compiles == 2
    assert o2.param_groups[0]["lr"] == o1.param_groups[0]["lr"]


@pytest.mark.skipif(torch is None, reason="needs torch")
@pytest.mark.parametrize("arch", ["mlp", "cnn"])
def test_compiled_step_matches_torch(arch):
    make, shape = (_mlp, (5,)) if arch == "mlp" else (_cnn, (1, 8, 8))
    data = _data(20, shape)
    tm = make(torch)
    jm = make(jtorch)
    jm.load_state_dict({k: jtorch.from_numpy(v.numpy().copy())
                        for k, v in tm.state_dict().items()})
    lt, tm, _, _ = _train(torch, tm, _adam(torch), data, False)
    lj, jm, _, _ = _train(jtorch, jm, _adam(jtorch), data, True)
    _close(lt, lj, rtol=1e-4, atol=1e-5)
    for (name, a), b in zip(tm.state_dict().items(), jm.state_dict().values()):
        _close(a, b, rtol=1e-4, atol=1e-5)


def test_compiled_module_forward_and_backward():
    m = _mlp(jtorch).eval()
    c = jtorch.compile(m)
    x = jtorch.randn(6, 5, requires_grad=True)
    with jtorch.no_grad():
        _close(c(x), m(x))
    out = c(x)
    assert type(out.grad_fn).__name__ == "CompiledFunctionBackward"
    out.pow(2).sum().backward()
    grads = [p.grad.clone() for p in m.parameters()] + [x.grad.clone()]
    m.zero_grad()
    x.grad = None
    m(x).pow(2).sum().backward()
    for g, p in zip(grads, list(m.parameters()) + [x]):
        _close(g, p.grad)


def test_compiled_module_updates_batchnorm_buffers():
    m1, m2 = _cnn(jtorch), _cnn(jtorch)
    c = jtorch.compile(m2)
    x = jtorch.randn(8, 1, 8, 8)
    for _ in range(3):
        m1(x).sum().backward()
        c(x).sum().backward()
    for (name, a), b in zip(m1.state_dict().items(), m2.state_dict().values()):
        _close(a, b, atol=1e-6)
    for p1, p2 in zip(m1.parameters(), m2.parameters()):
        _close(p1.grad, p2.grad, rtol=1e-5, atol=1e-6)
    assert m2[1].num_batches_tracked.item() == 3


@pytest.mark.skipif(torch is None, reason="needs torch")
def test_optimized_module_wrapper_like_torch():
    tc = torch.compile(torch.nn.Linear(2, 3))
    jc = jtorch.compile(jtorch.nn.Linear(2, 3))
    assert repr(jc) == repr(tc)
    assert list(jc.state_dict()) == list(tc.state_dict()) == ["_orig_mod.weight",
                                                              "_orig_mod.bias"]
    assert type(jc).__name__ == "OptimizedModule"
    assert jc.in_features == 2 and isinstance(jc._orig_mod, jtorch.nn.Linear)


def test_decorator_forms_and_disable():
    @jtorch.compile
    def f(x):
        return x * 2 + 1

    @jtorch.compile(fullgraph=True, mode="reduce-overhead")
    def g(x):
        return x.sin()
    x = jtorch.arange(4.0)
    _close(f(x), x * 2 + 1)
    _close(g(x), x.sin())
    assert jtorch.compile(f, disable=True) is f
    assert jtorch.compiler.disable(lambda x: x + 1)(x).tolist() == [1.0, 2.0, 3.0, 4.0]
    with pytest.raises(RuntimeError, match="Either mode or options"):
        jtorch.compile(f, mode="default", options={})


def test_recompiles_only_on_guard_miss():
    lin = jtorch.nn.Linear(3, 2)

    @jtorch.compile
    def f(x, scale):
        return lin(x) * scale
    x = jtorch.randn(4, 3)
    for _ in range(3):
        f(x, 2.0)
    assert f.compiles == 1
    f(jtorch.randn(4, 3), 2.0)          # new tensor, same guards
    assert f.compiles == 1
    f(jtorch.randn(5, 3), 2.0)          # new shape
    f(x, 3.0)                           # new Python scalar
    with jtorch.no_grad():
        f(x, 2.0)                       # grad mode
    assert f.compiles == 4
    jtorch.compiler.reset()
    f(x, 2.0)
    assert f.compiles == 5


def test_cache_size_limit_then_eager(monkeypatch):
    monkeypatch.setattr(jtorch._dynamo.config, "cache_size_limit", 2)

    @jtorch.compile
    def f(x):
        return x + 1
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        for n in range(1, 5):
            assert f(jtorch.zeros(n)).tolist() == [1.0] * n
    assert f.compiles == 2
    assert len([m for m in w if "cache_size_limit" in str(m.message)]) == 1


def test_graph_break_runs_eagerly_with_one_warning():
    lin = jtorch.nn.Linear(3, 2)

    def f(x):
        y = lin(x)
        if y.sum() > 0:
            return y * 2
        return y - 1
    c = jtorch.compile(f)
    x = jtorch.randn(4, 3)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        r1, r2 = c(x), c(-x)
    assert len([m for m in w if "graph break" in str(m.message)]) == 1
    _close(r1, f(x))
    _close(r2, f(-x))
    with pytest.raises(jtorch._dynamo.exc.Unsupported):
        jtorch.compile(f, fullgraph=True)(x)
    assert issubclass(jtorch._dynamo.exc.Unsupported, RuntimeError)


def test_graph_break_leaves_state_as_eager():
    model = _mlp(jtorch).eval()
    opt = jtorch.optim.Adam(model.parameters(), lr=1e-2)

    def step(x):
        opt.zero_grad()
        loss = model(x).sum()
        loss.backward()
        opt.step()
        return loss.item()          # a host read: the whole call runs eagerly
    ref = _mlp(jtorch).eval()
    ropt = jtorch.optim.Adam(ref.parameters(), lr=1e-2)
    x = jtorch.randn(3, 5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(2):
            got = jtorch.compile(step)(x)
            ropt.zero_grad()
            loss = ref(x).sum()
            loss.backward()
            ropt.step()
            assert got == loss.item()
    for a, b in zip(ref.parameters(), model.parameters()):
        _close(a, b)
    assert opt.state[next(model.parameters())]["step"].item() == 2


def test_random_inside_compiled_code():
    def f(x):
        return jtorch.nn.functional.dropout(x, 0.5, True) + jtorch.randn_like(x)
    c = jtorch.compile(f)
    x = jtorch.ones(4, 5)
    jtorch.manual_seed(0)
    a, b = c(x), c(x)
    jtorch.manual_seed(0)
    a2 = c(x)
    assert not np.allclose(a.numpy(), b.numpy())       # a fresh key per call
    _close(a, a2)                                       # reproducible under manual_seed


def test_module_compile_in_place():
    m = _mlp(jtorch).eval()
    x = jtorch.randn(4, 5)
    ref = m(x)
    keys = list(m.state_dict())
    assert m.compile() is None
    out = m(x)
    _close(out, ref)
    assert type(out.grad_fn).__name__ == "CompiledFunctionBackward"
    assert type(m).__name__ == "Sequential" and list(m.state_dict()) == keys


def test_compiled_function_result_has_history():
    lin = jtorch.nn.Linear(3, 2)
    out = jtorch.compile(lambda x: lin(x))(jtorch.randn(4, 3))
    assert out.requires_grad and out.grad_fn is not None


def test_scheduler_inside_compiled_step():
    p = jtorch.nn.Parameter(jtorch.ones(2))
    opt = jtorch.optim.SGD([p], lr=1.0)
    sched = jtorch.optim.lr_scheduler.StepLR(opt, 1, 0.5)

    @jtorch.compile
    def step():
        opt.zero_grad()
        p.sum().backward()
        opt.step()
        sched.step()
    with pytest.warns(UserWarning, match="changes optimizer hyperparameters"):
        for _ in range(3):
            step()
    # torch.compile recompiles per lr value; here the calls run eagerly: eager's results
    assert opt.param_groups[0]["lr"] == 0.125 and sched.last_epoch == 3
    assert p.tolist() == [-0.75, -0.75]         # 1 - (1 + 0.5 + 0.25)
    with pytest.raises(jtorch._dynamo.exc.Unsupported, match="hyperparameters"):
        jtorch.compile(step.fn, fullgraph=True)()


def test_donated_buffers_never_reach_a_holder():
    """A compiled step donates the arrays it overwrites only when nothing but their storage
    holds them: a clone or a ``to_jax()`` array taken before the step keeps its values."""
    model = jtorch.nn.Linear(3, 2)
    opt = jtorch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

    @jtorch.compile
    def step(x):
        opt.zero_grad()
        model(x).sum().backward()
        opt.step()
    x = jtorch.ones(4, 3)
    step(x)
    step(x)                                  # steady: every later call may donate
    w = model.weight
    held = w.detach().clone(), w.to_jax()
    before = [held[0].numpy().copy(), np.array(held[1])]
    for _ in range(3):
        step(x)
    after = [held[0].numpy().copy(), np.array(held[1])]
    for b, a in zip(before, after):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(w.detach().numpy(), before[0])


def test_a_compiled_function_records_one_node_and_differentiates_as_eager():
    """torch.compile of a plain differentiable function: its result carries torch's
    ``CompiledFunctionBackward`` node, and backward gives eager's gradients (a training
    step, which runs ``backward()`` inside, stays a program with no node)."""
    jtorch.manual_seed(0)
    x = jtorch.randn(3, 4, requires_grad=True)
    w = jtorch.randn(4, requires_grad=True)

    def f(a, scale):
        return ((a.tanh() * w).sum(1) * scale).exp().mean()
    y = jtorch.compile(f)(x, 2.0)
    assert type(y.grad_fn).__name__ == "CompiledFunctionBackward"
    assert repr(y).endswith("grad_fn=<CompiledFunctionBackward>)")
    y.backward()
    xe, we = x.detach().clone().requires_grad_(), w.detach().clone().requires_grad_()
    ye = ((xe.tanh() * we).sum(1) * 2.0).exp().mean()
    ye.backward()
    _close(y, ye)
    _close(x.grad, xe.grad)
    _close(w.grad, we.grad)
    with jtorch.no_grad():
        assert jtorch.compile(f)(x, 2.0).grad_fn is None


def _seq_model(lib, kind):
    lib.manual_seed(0)
    nn = lib.nn
    if kind == "lstm":
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.rnn = nn.LSTM(4, 8, num_layers=2, batch_first=True)
                self.fc = nn.Linear(8, 1)

            def forward(self, x):
                return self.fc(self.rnn(x)[0][:, -1])
        return Net(), (5, 6, 4)
    layer = nn.TransformerEncoderLayer(16, 2, 32, dropout=0.0, batch_first=True)
    return nn.TransformerEncoder(layer, 2, enable_nested_tensor=False), (3, 7, 16)


def _seq_train(lib, kind, compiled, steps=3):
    model, shape = _seq_model(lib, kind)
    opt = lib.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)  # (Adam would amplify the
    rng = np.random.default_rng(0)                                   # ~0 key-bias gradients)
    x = lib.from_numpy(rng.standard_normal(shape).astype(np.float32))
    w = lib.from_numpy(rng.standard_normal(model(x).shape).astype(np.float32))

    def step(x):
        opt.zero_grad()
        loss = (model(x) * w).sum() / 10
        loss.backward()
        opt.step()
        return loss
    run = lib.compile(step) if compiled else step
    losses = [run(x).item() for _ in range(steps)]
    return np.array(losses), [p.detach().numpy().copy() for p in model.parameters()]


@pytest.mark.parametrize("kind", ["lstm", "transformer"])
def test_compiled_sequence_models_train_as_eager(kind):
    losses, params = _seq_train(jtorch, kind, True)
    e_losses, e_params = _seq_train(jtorch, kind, False)
    _close(losses, e_losses, rtol=1e-5, atol=1e-6)
    for a, b in zip(params, e_params):
        _close(a, b, rtol=1e-5, atol=1e-6)
    if torch is not None:
        t_losses, t_params = _seq_train(torch, kind, False)
        _close(losses, t_losses, rtol=1e-4, atol=1e-5)
        for a, b in zip(params, t_params):
            _close(a, b, rtol=1e-4, atol=1e-5)


def test_slices_of_one_batch_tensor_share_a_program():
    """``x[i*b:(i+1)*b]`` in a loop: the view's offset is not part of the guard (torch's
    dynamo does not recompile per offset either); a write into the input reaches the view."""
    lin = jtorch.nn.Linear(3, 1)
    f = jtorch.compile(lambda xb: lin(xb).sum())
    x = jtorch.randn(40, 3)
    with jtorch.no_grad():
        got = [f(x[i * 4:(i + 1) * 4]) for i in range(10)]
        want = [lin(x[i * 4:(i + 1) * 4]).sum() for i in range(10)]
    assert f.compiles == 1
    for a, b in zip(got, want):
        _close(a, b)

    @jtorch.compile
    def bump(xb):
        xb.add_(1)
        return xb.sum()
    y = jtorch.zeros(6, 2)
    bump(y[2:4])
    assert y.sum().item() == 4.0 and y[2:4].eq(1).all()
