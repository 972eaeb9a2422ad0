"""optax inside torch.optim (jtorch extensions): ``Optax`` over raw transforms and the named
optimizers (Lion, LAMB, ...) against optax run on the same MLP in plain JAX; state_dict round
trips through jtorch.save/load; param groups with their own transforms; lr schedulers driving an
injected learning rate; skipped parameters; errors. ``to_optax`` (jtorch's torch-exact rules
as optax transforms) against jtorch.optim and torch.

Each step both sides get the same gradient (the plain-JAX MLP's, at the current parameters), so
the optimizers alone are compared; the reference runs optax's update under ``jax.jit`` as the
wrapper does (XLA may contract multiply-adds differently in eager mode)."""
import io

import jax
import jax.numpy as jnp
import numpy as np
import optax
import optax.contrib
import pytest

import jtorch
import jtorch.optim
from jtorch.optim import lr_scheduler

SHAPES = ((5, 1), (5,), (5, 5), (5,), (1, 5), (1,))
STEPS = 50


def _init(seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s).astype(np.float32) for s in SHAPES]


def _data():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((16, 1)).astype(np.float32)
    return jnp.asarray(x), jnp.sin(3 * jnp.asarray(x))


def _loss(params, x, y):
    w1, b1, w2, b2, w3, b3 = params
    h = jnp.tanh(x @ w1.T + b1)
    h = jnp.tanh(h @ w2.T + b2)
    return jnp.mean((h @ w3.T + b3 - y) ** 2)


_GRAD = jax.jit(jax.grad(_loss))


def _jit_step(tx):
    """A plain-JAX training step's optimizer part: update and apply in one jitted call."""
    def step(grads, state, params):
        updates, state = tx.update(grads, state, params)
        return optax.apply_updates(params, updates), state
    return jax.jit(step)


def _reference(tx, steps=STEPS, lr_at=None):
    """optax on the plain-JAX MLP: the parameters after ``steps`` updates. ``lr_at(i)``
    sets the injected learning rate before step ``i``."""
    x, y = _data()
    params = [jnp.asarray(a) for a in _init()]
    state = tx.init(params)
    step = _jit_step(tx)
    for i in range(steps):
        if lr_at is not None:
            hp = state.hyperparams
            hp["learning_rate"] = jnp.asarray(lr_at(i), hp["learning_rate"].dtype)
        params, state = step(_GRAD(params, x, y), state, params)
    return [np.asarray(p) for p in params]


def _jtorch_params():
    return [jtorch.tensor(a, requires_grad=True) for a in _init()]


def _set_grads(params):
    x, y = _data()
    grads = _GRAD([jnp.asarray(p.detach().numpy()) for p in params], x, y)
    for p, g in zip(params, grads):
        p.grad = jtorch.tensor(np.asarray(g))


def _run(opt, params, steps=STEPS, before=None, after=None):
    for i in range(steps):
        if before is not None:
            before(i)
        _set_grads(params)
        opt.step()
        if after is not None:
            after(i)
    return [p.detach().numpy().copy() for p in params]      # snapshots: .numpy() shares


def _assert_equal(got, want):
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)


# ------------------------------------------------------------------ named optimizers
NAMED = [
    ("Lion", dict(lr=1e-3, betas=(0.9, 0.99), weight_decay=0.01),
     lambda: optax.lion(1e-3, b1=0.9, b2=0.99, weight_decay=0.01)),
    ("LAMB", dict(lr=1e-2, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01),
     lambda: optax.lamb(1e-2, b1=0.8, b2=0.99, eps=1e-6, weight_decay=0.01)),
    ("LARS", dict(lr=0.5, momentum=0.9, weight_decay=1e-4, trust_coefficient=1e-3),
     lambda: optax.lars(0.5, weight_decay=1e-4, trust_coefficient=1e-3, momentum=0.9)),
    ("LARS", dict(lr=0.5, nesterov=True),
     lambda: optax.lars(0.5, nesterov=True)),
    ("Yogi", dict(lr=1e-2, betas=(0.9, 0.999), eps=1e-3),
     lambda: optax.yogi(1e-2, b1=0.9, b2=0.999, eps=1e-3)),
    ("Novograd", dict(lr=1e-2, betas=(0.9, 0.25), weight_decay=0.01),
     lambda: optax.novograd(1e-2, b1=0.9, b2=0.25, weight_decay=0.01)),
    ("ScheduleFreeAdamW", dict(lr=1e-2, betas=(0.9, 0.999), weight_decay=1e-3, warmup_steps=5),
     lambda: optax.contrib.schedule_free_adamw(1e-2, warmup_steps=5, b1=0.9, b2=0.999,
                                               weight_decay=1e-3)),
    ("ScheduleFreeSGD", dict(lr=0.1, momentum=0.9),
     lambda: optax.contrib.schedule_free_sgd(0.1, b1=0.9)),
]


@pytest.mark.parametrize("name,kw,make", NAMED, ids=[f"{n}-{i}" for i, (n, _, _) in
                                                     enumerate(NAMED)])
def test_named_equals_optax(name, kw, make):
    params = _jtorch_params()
    opt = getattr(jtorch.optim, name)(params, **kw)
    # bit-equal: only lr is injected, and a float32 lr multiplies as optax's Python lr does
    _assert_equal(_run(opt, params), _reference(make()))


def test_named_defaults_and_errors():
    p = _jtorch_params()
    opt = jtorch.optim.Lion(p)
    assert opt.param_groups[0]["lr"] == 1e-4
    assert opt.param_groups[0]["betas"] == (0.9, 0.99)
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        jtorch.optim.LAMB(p, lr=-1)
    with pytest.raises(ValueError, match="Invalid beta parameter at index 1"):
        jtorch.optim.Yogi(p, betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="Invalid weight_decay value"):
        jtorch.optim.Novograd(p, weight_decay=-0.1)


def test_named_static_option_change_keeps_state():
    """Changing a static option (betas) mid-run rebuilds optax's transform, keeps its state."""
    params = _jtorch_params()
    opt = jtorch.optim.Lion(params, lr=1e-3)

    def switch(i):
        if i == 20:
            opt.param_groups[0]["betas"] = (0.8, 0.9)
    got = _run(opt, params, before=switch)

    x, y = _data()
    ps = [jnp.asarray(a) for a in _init()]
    first, second = optax.lion(1e-3), optax.lion(1e-3, b1=0.8, b2=0.9)
    steps = _jit_step(first), _jit_step(second)
    state = first.init(ps)
    for i in range(STEPS):
        ps, state = steps[i >= 20](_GRAD(ps, x, y), state, ps)
    _assert_equal(got, [np.asarray(p) for p in ps])


def test_schedule_free_eval_train():
    params = _jtorch_params()
    opt = jtorch.optim.ScheduleFreeAdamW(params, lr=1e-2)
    y = _run(opt, params, steps=10)
    opt.eval()
    state = jax.tree_util.tree_unflatten(
        opt._plans[0].treedef,
        [jnp.asarray(t.numpy()) for t in opt.state["optax_group_0"]["leaves"]])
    want = optax.contrib.schedule_free_eval_params(state, [jnp.asarray(a) for a in y])
    _assert_equal([p.detach().numpy() for p in params], [np.asarray(w) for w in want])
    opt.train()
    _assert_equal([p.detach().numpy() for p in params], y)


# ------------------------------------------------------------------ raw transforms
RAW = [
    ("chain-clip-adamw",
     lambda: optax.chain(optax.clip_by_global_norm(0.5), optax.adamw(1e-2, weight_decay=0.1))),
    ("multisteps-adam", lambda: optax.MultiSteps(optax.adam(1e-2), every_k_schedule=3)),
    ("multi_transform",
     lambda: optax.multi_transform({"w": optax.adam(1e-2), "b": optax.sgd(0.1, momentum=0.9)},
                                   ["w", "b", "w", "b", "w", "b"])),
    ("injected-adam", lambda: optax.inject_hyperparams(optax.adam)(learning_rate=1e-2)),
]


@pytest.mark.parametrize("make", [m for _, m in RAW], ids=[n for n, _ in RAW])
def test_raw_transform_equals_optax(make):
    params = _jtorch_params()
    opt = jtorch.optim.Optax(params, make())
    _assert_equal(_run(opt, params), _reference(make()))


def test_version_counters_and_jit_cache():
    params = _jtorch_params()
    opt = jtorch.optim.Optax(params, optax.adam(1e-2))
    before = [p._version for p in params]
    _run(opt, params, steps=3)
    assert [p._version for p in params] == [v + 3 for v in before]
    assert len(opt._jitted) == 1          # one jitted update, reused by every step


def test_skipped_parameters():
    """A parameter without a gradient stays as it is, and so does its part of the state."""
    params = _jtorch_params()
    opt = jtorch.optim.Optax(params, optax.adam(1e-2))
    _run(opt, params, steps=2)
    frozen = params[2].detach().numpy().copy()
    mu = opt.state["optax_group_0"]["leaves"][3].numpy().copy()   # mu of params[2]
    _set_grads(params)
    params[2].grad = None
    v = params[2]._version
    opt.step()
    np.testing.assert_array_equal(params[2].detach().numpy(), frozen)
    np.testing.assert_array_equal(opt.state["optax_group_0"]["leaves"][3].numpy(), mu)
    assert params[2]._version == v
    assert not np.array_equal(params[0].detach().numpy(), _init()[0])


def test_no_gradients_no_change():
    params = _jtorch_params()
    opt = jtorch.optim.Optax(params, optax.adam(1e-2))
    count = opt.state["optax_group_0"]["leaves"][0].item()
    opt.step()
    assert opt.state["optax_group_0"]["leaves"][0].item() == count


# ------------------------------------------------------------------ state_dict
@pytest.mark.parametrize("make_opt", [
    lambda p: jtorch.optim.Optax(p, optax.chain(optax.clip_by_global_norm(1.0),
                                                optax.adamw(1e-2))),
    lambda p: jtorch.optim.Lion(p, lr=1e-3),
    lambda p: jtorch.optim.ScheduleFreeAdamW(p, lr=1e-2),
], ids=["chain", "Lion", "ScheduleFreeAdamW"])
def test_state_dict_round_trip(make_opt):
    """Save after 20 steps, load into a fresh optimizer over fresh parameters, continue:
    equal to continuing without the round trip."""
    params = _jtorch_params()
    opt = make_opt(params)
    _run(opt, params, steps=20)
    buf = io.BytesIO()
    jtorch.save({"params": [p.detach() for p in params], "optim": opt.state_dict()}, buf)
    buf.seek(0)
    ckpt = jtorch.load(buf)

    params2 = [jtorch.tensor(a.numpy(), requires_grad=True) for a in ckpt["params"]]
    opt2 = make_opt(params2)
    opt2.load_state_dict(ckpt["optim"])
    _assert_equal(_run(opt2, params2, steps=10), _run(opt, params, steps=10))


def test_state_dict_layout():
    params = _jtorch_params()
    opt = jtorch.optim.Optax(params, optax.adam(1e-2))
    sd = opt.state_dict()
    assert "transform" not in sd["param_groups"][0]
    assert sd["param_groups"][0]["params"] == list(range(6))
    entry = sd["state"]["optax_group_0"]
    assert entry["paths"][0] == "[0].count"
    assert all(isinstance(t, jtorch.Tensor) for t in entry["leaves"])


def test_load_state_dict_of_another_transform_raises():
    params = _jtorch_params()
    sd = jtorch.optim.Optax(params, optax.adam(1e-2)).state_dict()
    other = jtorch.optim.Optax(_jtorch_params(), optax.sgd(0.1, momentum=0.9))
    with pytest.raises(ValueError, match="does not hold the optax state"):
        other.load_state_dict(sd)


# ------------------------------------------------------------------ groups, schedulers
def test_param_groups_with_different_transforms():
    params = _jtorch_params()
    opt = jtorch.optim.Optax([{"params": params[:4], "transform": optax.adam(1e-2)},
                              {"params": params[4:]}], optax.sgd(0.05, momentum=0.9))
    got = _run(opt, params)

    x, y = _data()
    ps = [jnp.asarray(a) for a in _init()]
    txs = [optax.adam(1e-2), optax.sgd(0.05, momentum=0.9)]
    states = [txs[0].init(ps[:4]), txs[1].init(ps[4:])]
    steps = [_jit_step(tx) for tx in txs]
    for _ in range(STEPS):
        g = _GRAD(ps, x, y)
        new = []
        for k, (lo, hi) in enumerate(((0, 4), (4, 6))):
            p, states[k] = steps[k](g[lo:hi], states[k], ps[lo:hi])
            new += p
        ps = new
    _assert_equal(got, [np.asarray(p) for p in ps])


def test_named_parameters_tree():
    """A group built from named_parameters() gives optax a {name: array} tree."""
    model = jtorch.nn.Linear(3, 2)
    seen = {}

    def labels(tree):
        seen.update(tree)
        return {k: "w" if k == "weight" else "b" for k in tree}
    tx = optax.multi_transform({"w": optax.sgd(0.1), "b": optax.set_to_zero()}, labels)
    opt = jtorch.optim.Optax(model.named_parameters(), tx)
    bias = model.bias.detach().numpy().copy()
    model(jtorch.ones(4, 3)).sum().backward()
    opt.step()
    assert set(seen) == {"weight", "bias"}
    np.testing.assert_array_equal(model.bias.detach().numpy(), bias)


def test_step_lr_drives_injected_lr():
    params = _jtorch_params()
    tx = optax.inject_hyperparams(optax.adamw)(learning_rate=0.02, weight_decay=0.1)
    opt = jtorch.optim.Optax(params, tx)
    assert opt.param_groups[0]["lr"] == 0.02
    assert opt.param_groups[0]["weight_decay"] == pytest.approx(0.1)
    sched = lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
    lrs = []
    got = _run(opt, params, before=lambda i: lrs.append(opt.param_groups[0]["lr"]),
               after=lambda i: sched.step())
    assert lrs[0] == 0.02 and lrs[10] == 0.01 and lrs[-1] == 0.02 * 0.5 ** 4
    want = _reference(optax.inject_hyperparams(optax.adamw)(learning_rate=0.02,
                                                            weight_decay=0.1),
                      lr_at=lambda i: lrs[i])
    _assert_equal(got, want)


def test_named_with_scheduler_and_groups():
    """A named optimizer's groups carry their own lr; a scheduler scales each."""
    params = _jtorch_params()
    opt = jtorch.optim.Lion([{"params": params[:4]}, {"params": params[4:], "lr": 1e-2}],
                            lr=1e-3)
    sched = lr_scheduler.StepLR(opt, step_size=5, gamma=0.5)
    _run(opt, params, steps=12, after=lambda i: sched.step())
    assert [g["lr"] for g in opt.param_groups] == [1e-3 * 0.25, 1e-2 * 0.25]
    assert len(opt._jitted) == 2      # one per group structure, none per lr


def test_closure_and_hooks():
    params = _jtorch_params()
    opt = jtorch.optim.Optax(params, optax.sgd(0.1))
    calls = []
    opt.register_step_post_hook(lambda o, a, k: calls.append(1))

    def closure():
        _set_grads(params)
        return jtorch.tensor(1.5)
    assert opt.step(closure).item() == 1.5
    assert calls == [1]


def test_errors():
    params = _jtorch_params()
    with pytest.raises(TypeError, match="expects an optax.GradientTransformation"):
        jtorch.optim.Optax(params, "adam")
    with pytest.raises(ValueError, match="didn't specify a value of required optimization "
                                         "parameter transform"):
        jtorch.optim.Optax([{"params": params}])
    with pytest.raises(ValueError, match="empty parameter list"):
        jtorch.optim.Optax([], optax.adam(1e-3))


# ------------------------------------------------------------------ to_optax
TO_OPTAX = [
    ("Adam", dict(lr=0.01)),
    ("AdamW", dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
    ("SGD", dict(lr=0.05, momentum=0.9)),      # a buffer born on the first step
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01)),
    ("NAdam", dict(lr=0.01)),
]


@pytest.mark.parametrize("name,kw", TO_OPTAX, ids=[f"{n}-{i}" for i, (n, _) in
                                                  enumerate(TO_OPTAX)])
def test_to_optax_equals_jtorch_optim(name, kw):
    """100 steps of the optax transform in a plain-JAX jitted step: bit-equal to
    jtorch.optim's optimizer (itself bit-equal to torch's, tests/test_optim.py)."""
    params = _jtorch_params()
    opt = getattr(jtorch.optim, name)(params, **kw)
    tx = jtorch.optim.to_optax(getattr(jtorch.optim, name), **kw)
    ps = [jnp.asarray(a) for a in _init()]
    state, step = tx.init(ps), _jit_step(tx)
    x, y = _data()
    for _ in range(100):
        grads = _GRAD(ps, x, y)
        for p, g in zip(params, grads):
            p.grad = jtorch.tensor(np.asarray(g))
        opt.step()
        ps, state = step(grads, state, ps)
    _assert_equal([np.asarray(p) for p in ps], [p.detach().numpy() for p in params])


@pytest.fixture
def exact_torch_sqrt(monkeypatch):
    """torch with a correctly rounded sqrt (NumPy's): torch's float32 sqrt (MKL's vsSqrt) is
    off by 1 ulp on some inputs on this machine (see tests/test_optim.py)."""
    torch = pytest.importorskip("torch")

    def sqrt(self):
        return torch.from_numpy(np.sqrt(self.detach().numpy()))
    monkeypatch.setattr(torch.Tensor, "sqrt", sqrt)
    monkeypatch.setattr(torch.Tensor, "sqrt_", lambda self: self.copy_(sqrt(self)))
    return torch


@pytest.mark.parametrize("name,kw", [("Adam", dict(lr=0.01, weight_decay=0.1)),
                                     ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True))])
def test_to_optax_equals_torch(name, kw, exact_torch_sqrt):
    torch = exact_torch_sqrt
    tp = [torch.tensor(a, requires_grad=True) for a in _init()]
    topt = getattr(torch.optim, name)(tp, **kw)
    tx = jtorch.optim.to_optax(getattr(jtorch.optim, name), **kw)
    ps = [jnp.asarray(a) for a in _init()]
    state, step = tx.init(ps), _jit_step(tx)
    x, y = _data()
    for _ in range(30):
        grads = _GRAD(ps, x, y)
        for p, g in zip(tp, grads):
            p.grad = torch.tensor(np.asarray(g))
        topt.step()
        ps, state = step(grads, state, ps)
    _assert_equal([np.asarray(p) for p in ps], [p.detach().numpy() for p in tp])


def test_to_optax_errors():
    with pytest.raises(TypeError, match="to_optax expects one of jtorch.optim's"):
        jtorch.optim.to_optax(jtorch.optim.LBFGS)
    with pytest.raises(ValueError, match="Invalid learning rate"):
        jtorch.optim.to_optax(jtorch.optim.Adam, lr=-1.0)
    tx = jtorch.optim.to_optax(jtorch.optim.SGD, lr=0.1)
    ps = [jnp.ones(2)]
    with pytest.raises(ValueError, match="needs the params argument"):
        tx.update(ps, tx.init(ps))


def test_deepcopy_continues_equal():
    import copy
    params = _jtorch_params()
    opt = jtorch.optim.LAMB(params, lr=1e-2)
    _run(opt, params, steps=5)
    params2 = [p.detach().clone().requires_grad_() for p in params]
    opt2 = copy.deepcopy(opt)
    opt2.param_groups[0]["params"] = params2
    _assert_equal(_run(opt2, params2, steps=5), _run(opt, params, steps=5))


def test_training_loop_with_jtorch_autograd():
    """The usual loop (nn.Module, loss.backward(), zero_grad, step): jtorch's gradients are
    not bit-equal to jax.grad's (other summation order), so within 1e-6 of plain JAX."""
    init = _init()
    model = jtorch.nn.Sequential(jtorch.nn.Linear(1, 5), jtorch.nn.Tanh(),
                                 jtorch.nn.Linear(5, 5), jtorch.nn.Tanh(), jtorch.nn.Linear(5, 1))
    with jtorch.no_grad():
        for p, a in zip(model.parameters(), init):
            p.copy_(jtorch.tensor(a))
    opt = jtorch.optim.Optax(model.parameters(), optax.adamw(1e-2))
    x, y = _data()
    tx, ty = jtorch.tensor(np.asarray(x)), jtorch.tensor(np.asarray(y))
    for _ in range(20):
        opt.zero_grad()
        ((model(tx) - ty) ** 2).mean().backward()
        opt.step()
    want = _reference(optax.adamw(1e-2), steps=20)
    for p, w in zip(model.parameters(), want):
        np.testing.assert_allclose(p.detach().numpy(), w, rtol=0, atol=1e-6)
