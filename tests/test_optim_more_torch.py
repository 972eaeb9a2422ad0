"""ASGD, Rprop, Adafactor, SparseAdam, Muon and torch.optim.swa_utils compared with torch 2.13:
parameters and state step by step, state_dict layouts and round trips (including a torch
state_dict loaded mid-run), repr, version counters and errors."""
import copy
import warnings

import numpy as np
import pytest

import jtorch
import jtorch.optim
from jtorch.optim import swa_utils
from tests.helpers import assert_same_error

torch = pytest.importorskip("torch")

# the tanh MLP of test_optim.py (1 -> 5 -> 5 -> 1); Muon takes 2-D parameters only, so its
# model has no biases (3 -> 8 -> 4 -> 1: tall, wide and single-row matrices)
MLP = ((5, 1), (5,), (5, 5), (5,), (1, 5), (1,))
MATRICES = ((8, 3), (4, 8), (1, 4))


def _loss(tp, x, y):
    if len(tp) == 6:
        h = torch.tanh(x @ tp[0].T + tp[1])
        h = torch.tanh(h @ tp[2].T + tp[3])
        return ((h @ tp[4].T + tp[5] - y) ** 2).mean()
    h = torch.tanh(torch.tanh(x @ tp[0].T) @ tp[1].T)
    return ((h @ tp[2].T - y) ** 2).mean()


def _pair(name, kw, shapes=MLP):
    rng = np.random.default_rng(0)
    init = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    tp = [torch.tensor(a, requires_grad=True) for a in init]
    jp = [jtorch.tensor(a, requires_grad=True) for a in init]
    return tp, jp, getattr(torch.optim, name)(tp, **kw), getattr(jtorch.optim, name)(jp, **kw)


def _data(shapes):
    rng = np.random.default_rng(1)
    x = torch.tensor(rng.standard_normal((16, shapes[0][1])).astype(np.float32))
    return x, torch.sin(3 * x[:, :1])


def _run(name, kw, steps=20, shapes=MLP, check=None, torch_step=None):
    """Both optimizers fed torch's gradient at torch's parameters (the optimizers alone are
    compared); ``check(i, tp, jp)`` after every step."""
    tp, jp, topt, jopt = _pair(name, kw, shapes)
    x, y = _data(shapes)
    for i in range(steps):
        for p in tp:
            p.grad = None
        _loss(tp, x, y).backward()
        for a, b in zip(tp, jp):
            b.grad = jtorch.tensor(a.grad.numpy())
        (torch_step or (lambda o: o.step()))(topt)
        jopt.step()
        if check is not None:
            check(i, tp, jp)
    return tp, jp, topt, jopt


def _exact(i, tp, jp):
    for a, b in zip(tp, jp):
        np.testing.assert_array_equal(b.detach().numpy(), a.detach().numpy(), f"step {i}")


def _same_state(topt, jopt, tp, jp):
    for a, b in zip(tp, jp):
        ts, js = topt.state[a], jopt.state[b]
        assert list(js) == list(ts)
        for k in ts:
            tv, jv = ts[k], js[k]
            assert isinstance(jv, jtorch.Tensor) == isinstance(tv, torch.Tensor), k
            assert str(jv.dtype) == str(tv.dtype) and tuple(jv.shape) == tuple(tv.shape), k
            np.testing.assert_array_equal(jv.numpy(), tv.numpy(), k)


# (name, kwargs); every variant torch's code branches on
EXACT = [
    ("ASGD", dict()),
    ("ASGD", dict(lr=0.05, weight_decay=0.1)),
    ("ASGD", dict(lr=0.01, t0=10, maximize=True)),       # mu leaves 1: the averaging branch
    ("ASGD", dict(lr=0.05, lambd=0.01, alpha=0.6, t0=5, weight_decay=0.1, foreach=True)),
    ("ASGD", dict(lr=0.01, t0=10, foreach=True, maximize=True)),
    ("ASGD", dict(lr=0.05, foreach=False)),
    ("Rprop", dict()),
    ("Rprop", dict(lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-3, 0.2))),
    ("Rprop", dict(lr=0.01, maximize=True)),
    ("Rprop", dict(foreach=True)),
    ("Rprop", dict(lr=0.01, foreach=True, maximize=True)),
]
EXACT_IDS = [f"{n}-{'-'.join(f'{k}={v}' for k, v in kw.items())}" for n, kw in EXACT]


@pytest.mark.parametrize("name,kw", EXACT, ids=EXACT_IDS)
def test_asgd_rprop_bit_exact(name, kw):
    """No square root or reduction in either rule: identical bits at every step, state
    (keys, dtypes, values) and version counters included."""
    tp, jp, topt, jopt = _run(name, kw, steps=30, check=_exact)
    _same_state(topt, jopt, tp, jp)
    for a, b in zip(tp, jp):
        assert b._version == a._version
        for k in topt.state[a]:
            assert jopt.state[b][k]._version == topt.state[a][k]._version, k


@pytest.mark.parametrize("name,kw", [("ASGD", dict(lr=0.1, t0=2)), ("Rprop", dict(lr=0.1)),
                                     ("ASGD", dict(lr=0.1, t0=2, foreach=True))])
def test_complex_params_bit_exact(name, kw):
    """torch runs both rules on view_as_real of complex parameters; so does jtorch."""
    rng = np.random.default_rng(0)

    def cplx():
        return (rng.standard_normal((3, 2)) + 1j * rng.standard_normal((3, 2))).astype(
            np.complex64)
    a = cplx()
    tp, jp = torch.tensor(a, requires_grad=True), jtorch.tensor(a, requires_grad=True)
    topt = getattr(torch.optim, name)([tp], **kw)
    jopt = getattr(jtorch.optim, name)([jp], **kw)
    for i in range(10):
        g = cplx()
        tp.grad, jp.grad = torch.tensor(g), jtorch.tensor(g)
        topt.step()
        jopt.step()
        _exact(i, [tp], [jp])
    _same_state(topt, jopt, [tp], [jp])


MUON = [dict(lr=0.02), dict(lr=0.05, nesterov=False, weight_decay=0.0,
                            adjust_lr_fn="match_rms_adamw"),
        dict(lr=0.01, momentum=0.5, ns_steps=3, ns_coefficients=(3.0, -3.2, 1.2), eps=1e-5)]


@pytest.mark.parametrize("kw", MUON, ids=[str(i) for i in range(len(MUON))])
def test_muon_bit_exact(kw):
    """bfloat16 Newton-Schulz with float32-accumulated products rounded once to bfloat16:
    identical bits on these shapes (tall, wide and one-row matrices)."""
    tp, jp, topt, jopt = _run("Muon", kw, shapes=MATRICES, check=_exact)
    _same_state(topt, jopt, tp, jp)


ADAFACTOR = [dict(), dict(lr=0.05, weight_decay=0.1, maximize=True),
             dict(foreach=True), dict(lr=0.05, beta2_decay=-0.5, eps=(1e-20, 1e-2), d=1.5,
                                      weight_decay=0.1, foreach=True, maximize=True)]


@pytest.mark.parametrize("kw", ADAFACTOR, ids=[str(i) for i in range(len(ADAFACTOR))])
def test_adafactor_bit_exact(kw):
    """jtorch reproduces torch's float32 reduction orders (the vector norm's eight lanes and
    fused tail, the column norm's row-by-row sum, the sum's interleaved accumulators), so
    the norms, the mean and every update are torch's bits."""
    tp, jp, topt, jopt = _run("Adafactor", kw, steps=30, check=_exact)
    _same_state(topt, jopt, tp, jp)


def test_adafactor_state_layout_and_eps_default():
    """Matrices (and higher ranks) keep row and column factors, vectors a full variance."""
    shapes = ((2, 3, 4), (4,))
    params = {m: [m.zeros(s, requires_grad=True) for s in shapes] for m in (torch, jtorch)}
    opts = {m: m.optim.Adafactor(params[m]) for m in (torch, jtorch)}
    for m in (torch, jtorch):
        for p in params[m]:
            p.grad = m.ones(p.shape)
        opts[m].step()
    for a, b in zip(params[torch], params[jtorch]):
        ts, js = opts[torch].state[a], opts[jtorch].state[b]
        assert {k: tuple(v.shape) for k, v in js.items()} == \
            {k: tuple(v.shape) for k, v in ts.items()}
        np.testing.assert_array_equal(b.detach().numpy(), a.detach().numpy())


ALL = [("ASGD", dict(lr=0.05, t0=3)), ("Rprop", dict(lr=0.05)),
       ("Adafactor", dict(lr=0.05)), ("Muon", dict(lr=0.02))]


@pytest.mark.parametrize("name,kw", ALL, ids=[n for n, _ in ALL])
def test_state_dict_and_repr_equal_torch(name, kw):
    shapes = MATRICES if name == "Muon" else MLP
    tp, jp, topt, jopt = _run(name, kw, steps=3, shapes=shapes)
    tsd, jsd = topt.state_dict(), jopt.state_dict()
    assert jsd["param_groups"] == tsd["param_groups"]
    assert list(jsd["state"]) == list(tsd["state"])
    for k, ts in tsd["state"].items():
        js = jsd["state"][k]
        assert list(js) == list(ts)
        for key, v in ts.items():
            assert str(js[key].dtype) == str(v.dtype) and tuple(js[key].shape) == \
                tuple(v.shape), key
    assert repr(jopt) == repr(topt)


@pytest.mark.parametrize("name,kw", ALL, ids=[n for n, _ in ALL])
def test_load_torch_state_dict_continues_as_torch(name, kw):
    """A torch state_dict taken mid-run (tensors converted) loaded into a fresh jtorch
    optimizer continues with torch's numbers, bit for bit."""
    shapes = MATRICES if name == "Muon" else MLP
    tp, jp, topt, jopt = _run(name, kw, steps=10, shapes=shapes)
    tsd = copy.deepcopy(topt.state_dict())
    conv = {"state": {k: {kk: jtorch.tensor(v.numpy()) if hasattr(v, "numpy") else v
                          for kk, v in st.items()} for k, st in tsd["state"].items()},
            "param_groups": tsd["param_groups"]}
    fresh = [jtorch.tensor(p.detach().numpy(), requires_grad=True) for p in tp]
    jopt2 = getattr(jtorch.optim, name)(fresh, lr=0.123)
    jopt2.load_state_dict(conv)
    assert jopt2.param_groups[0]["lr"] == kw["lr"]
    x, y = _data(shapes)
    for _ in range(10):
        for p in tp:
            p.grad = None
        _loss(tp, x, y).backward()
        for a, b in zip(tp, fresh):
            b.grad = jtorch.tensor(a.grad.numpy())
        topt.step()
        jopt2.step()
    _exact("end", tp, fresh)


@pytest.mark.parametrize("name,kw", ALL[:2] + ALL[3:], ids=["ASGD", "Rprop", "Muon"])
def test_jtorch_state_dict_round_trip(name, kw):
    shapes = MATRICES if name == "Muon" else MLP
    tp, jp, topt, jopt = _run(name, kw, steps=5, shapes=shapes)
    fresh = [jtorch.tensor(p.detach().numpy(), requires_grad=True) for p in jp]
    jopt2 = getattr(jtorch.optim, name)(fresh, lr=0.5)
    jopt2.load_state_dict(copy.deepcopy(jopt.state_dict()))
    rng = np.random.default_rng(7)
    for _ in range(5):
        g = [rng.standard_normal(s).astype(np.float32) for s in shapes]
        for ps in (jp, fresh):
            for p, a in zip(ps, g):
                p.grad = jtorch.tensor(a)
        jopt.step()
        jopt2.step()
    for a, b in zip(jp, fresh):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


def test_sparse_adam():
    """jtorch has no sparse tensors: every gradient is dense, so ``step`` raises torch's
    dense-gradient error; construction, checks, repr and state_dict are torch's."""
    for m in (torch, jtorch):
        p = m.zeros(2, 2, requires_grad=True)
        opt = m.optim.SparseAdam([p], lr=0.01, betas=(0.8, 0.9), maximize=True)
        if m is torch:
            t_repr, t_sd = repr(opt), opt.state_dict()
        else:
            assert repr(opt) == t_repr and opt.state_dict() == t_sd
    assert_same_error(lambda m: _sparse_step(m), (torch, jtorch))
    assert_same_error(lambda m: m.optim.SparseAdam(
        [m.zeros(2, dtype=m.complex64, requires_grad=True)]), (torch, jtorch))


def _sparse_step(m):
    p = m.zeros(2, requires_grad=True)
    p.grad = m.ones(2)
    m.optim.SparseAdam([p]).step()


def _p(m, shape=(2, 2)):
    return [m.zeros(shape, requires_grad=True)]


ERRORS = [
    lambda m: m.optim.ASGD(_p(m), lr=-1.0),
    lambda m: m.optim.ASGD(_p(m), weight_decay=-0.1),
    lambda m: m.optim.Rprop(_p(m), lr=-0.5),
    lambda m: m.optim.Rprop(_p(m), etas=(1.5, 1.2)),
    lambda m: m.optim.Rprop(_p(m), etas=(0.5, 0.9)),
    lambda m: m.optim.Adafactor(_p(m), lr=-1.0),
    lambda m: m.optim.Adafactor(_p(m), beta2_decay=0.5),
    lambda m: m.optim.Adafactor(_p(m), eps=(-1.0, 1e-3)),
    lambda m: m.optim.Adafactor(_p(m), eps=(None, -1e-3)),
    lambda m: m.optim.Adafactor(_p(m), d=0.5),
    lambda m: m.optim.Adafactor(_p(m), weight_decay=-1.0),
    lambda m: m.optim.SparseAdam(_p(m), lr=0.0),
    lambda m: m.optim.SparseAdam(_p(m), eps=0.0),
    lambda m: m.optim.SparseAdam(_p(m), betas=(1.0, 0.9)),
    lambda m: m.optim.SparseAdam(_p(m), betas=(0.9, -0.1)),
    lambda m: m.optim.Muon(_p(m), lr=-1.0),
    lambda m: m.optim.Muon(_p(m), momentum=-1.0),
    lambda m: m.optim.Muon(_p(m), weight_decay=-1.0),
    lambda m: m.optim.Muon(_p(m), adjust_lr_fn="nope"),
    lambda m: m.optim.Muon(_p(m, (3,))),
    lambda m: m.optim.ASGD([], lr=0.1),
    lambda m: m.optim.ASGD(_p(m), lr=m.tensor([0.1, 0.2])),
]


def _stepped(m, cls, kw):
    p = m.zeros(2, 2, requires_grad=True)
    p.grad = m.ones(2, 2)
    cls(m)([p], **kw).step()


ERRORS += [
    lambda m: _stepped(m, lambda m: m.optim.ASGD, dict(capturable=True)),
    lambda m: _stepped(m, lambda m: m.optim.Rprop, dict(capturable=True)),
    lambda m: _stepped(m, lambda m: m.optim.Muon, dict(ns_steps=100)),
    lambda m: _stepped(m, lambda m: m.optim.Muon, dict(ns_coefficients=(1.0, 2.0))),
]


@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_errors_equal_torch(case):
    assert_same_error(ERRORS[case], (torch, jtorch))


def test_defaults_signatures_equal_torch():
    import inspect
    for name in ("ASGD", "Rprop", "Adafactor", "SparseAdam", "Muon"):
        ts = inspect.signature(getattr(torch.optim, name))
        js = inspect.signature(getattr(jtorch.optim, name))
        assert [(p.name, p.kind, p.default) for p in js.parameters.values()] == \
            [(p.name, p.kind, p.default) for p in ts.parameters.values()], name


def test_swa_utils_names():
    assert sorted(swa_utils.__all__) == sorted(torch.optim.swa_utils.__all__)
    assert all(hasattr(swa_utils, n) for n in torch.optim.swa_utils.__all__)


def test_optim_all_names_present():
    assert [n for n in torch.optim.__all__ if not hasattr(jtorch.optim, n)] == []


def _swap_in_run(lib):
    """Adam stepped on swapped-in parameters and state: what the block and its exit leave."""
    lib.manual_seed(0)
    m = lib.nn.Linear(3, 2)
    opt = lib.optim.Adam([{"params": [m.weight]}, {"params": [m.bias], "lr": 0.01}], lr=0.1)
    m(lib.ones(4, 3)).sum().backward()
    opt.step()
    osd = opt.state_dict()
    fake = {n: p.detach().clone().requires_grad_() for n, p in m.named_parameters()}
    for p in fake.values():
        p.grad = lib.full_like(p, 0.5)
    swap = {"state": {k: {n: v.clone() for n, v in st.items()} for k, st in osd["state"].items()},
            "param_groups": [dict(g, lr=g["lr"] * 2) for g in osd["param_groups"]]}
    live = [g["params"] for g in opt.param_groups]
    out = []
    with lib.optim.swap_in_optimizer_params_and_state(opt, fake, swap):
        out.append([g["lr"] for g in opt.param_groups])
        opt.step()
        out.append(sorted(map(len, opt.state.values())))
    out.append([g["lr"] for g in opt.param_groups])
    out.append(all(g["params"] is ps for g, ps in zip(opt.param_groups, live)))
    out.append([p.detach().numpy().round(6).tolist() for p in fake.values()])
    out.append([[v.numpy().round(6).tolist() for v in st.values()]
                for st in swap["state"].values()])     # (edited in place by the step)
    out.append(m.weight.detach().numpy().round(6).tolist())
    return out


def test_swap_in_optimizer_params_and_state():
    assert _swap_in_run(jtorch) == _swap_in_run(torch)


@pytest.mark.parametrize("bad", [{"state": [], "param_groups": []},
                                 {"state": {}, "param_groups": [{}]},
                                 {"state": {}, "param_groups": [{"params": [0]}, {"params": [1]}]},
                                 {"state": {5: {}}}, 3])
def test_swap_in_optimizer_params_and_state_errors(bad):
    def make(m):
        model = m.nn.Linear(3, 2)
        opt = m.optim.Adam([{"params": [model.weight]}, {"params": [model.bias]}])
        model(m.ones(1, 3)).sum().backward()
        opt.step()
        swap = dict(bad, param_groups=opt.state_dict()["param_groups"]) \
            if isinstance(bad, dict) and "param_groups" not in bad else bad
        with m.optim.swap_in_optimizer_params_and_state(opt, dict(model.named_parameters()),
                                                        swap):
            pass
    assert_same_error(make, (torch, jtorch))
    fresh = (lambda m: m.optim.SGD(m.nn.Linear(2, 1).parameters(), lr=0.1))
    assert_same_error(lambda m: m.optim.swap_in_optimizer_params_and_state(
        fresh(m), {}, {}).__enter__(), (torch, jtorch))


# ------------------------------------------------------------------ swa_utils
def _models(seed=0):
    """The same Linear-BatchNorm-Linear model in torch and jtorch."""
    def make(m):
        return m.nn.Sequential(m.nn.Linear(3, 4), m.nn.BatchNorm1d(4), m.nn.ReLU(),
                               m.nn.Linear(4, 2))
    tm, jm = make(torch), make(jtorch)
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for (tn, tp), (jn, jp) in zip(tm.named_parameters(), jm.named_parameters()):
            a = rng.standard_normal(tuple(tp.shape)).astype(np.float32)
            tp.copy_(torch.tensor(a))
            jp.data = jtorch.tensor(a)
    return tm, jm


def _perturb(tm, jm, seed):
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for tp, jp in zip(tm.parameters(), jm.parameters()):
            a = rng.standard_normal(tuple(tp.shape)).astype(np.float32) * 0.1
            tp.add_(torch.tensor(a))
            jp.data = jp.data + jtorch.tensor(a)
    x = rng.standard_normal((8, 3)).astype(np.float32)
    tm(torch.tensor(x))
    jm(jtorch.tensor(x))      # training mode: updates the BatchNorm running statistics


def _same_module(tmod, jmod, exact=True):
    ts, js = tmod.state_dict(), jmod.state_dict()
    assert list(js) == list(ts)
    for k in ts:
        assert str(js[k].dtype) == str(ts[k].dtype), k
        if exact:
            np.testing.assert_array_equal(js[k].detach().numpy(), ts[k].detach().numpy(), k)
        else:
            np.testing.assert_allclose(js[k].detach().numpy(), ts[k].detach().numpy(),
                                       rtol=1e-6, atol=1e-7, err_msg=k)


AVERAGING = [
    ("swa", lambda m: dict()),
    ("ema", lambda m: dict(avg_fn=m.optim.swa_utils.get_ema_avg_fn(0.9))),
    ("ema_multi", lambda m: dict(multi_avg_fn=m.optim.swa_utils.get_ema_multi_avg_fn(0.8))),
    ("swa_multi", lambda m: dict(multi_avg_fn=m.optim.swa_utils.get_swa_multi_avg_fn())),
    ("swa_buffers", lambda m: dict(use_buffers=True)),
    ("ema_buffers", lambda m: dict(multi_avg_fn=m.optim.swa_utils.get_ema_multi_avg_fn(0.9),
                                   use_buffers=True)),
]


def _averaged(make_kw):
    tm, jm = _models()
    ta = torch.optim.swa_utils.AveragedModel(tm, **make_kw(torch))
    ja = swa_utils.AveragedModel(jm, **make_kw(jtorch))
    for i in range(4):
        _perturb(tm, jm, i)
        ta.update_parameters(tm)
        ja.update_parameters(jm)
    return ta, ja


@pytest.mark.parametrize("kind,make_kw", AVERAGING, ids=[a for a, _ in AVERAGING])
def test_averaged_model_equals_torch(kind, make_kw):
    ta, ja = _averaged(make_kw)
    assert int(ja.n_averaged) == int(ta.n_averaged) == 4
    assert ja.n_averaged.dtype is jtorch.int64
    _same_module(ta, ja, exact=False)
    x = np.random.default_rng(9).standard_normal((5, 3)).astype(np.float32)
    ta.eval()
    ja.eval()
    np.testing.assert_allclose(ja(jtorch.tensor(x)).detach().numpy(),
                               ta(torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kind,make_kw", AVERAGING, ids=[a for a, _ in AVERAGING])
def test_averaged_model_bit_exact(kind, make_kw):
    """Averaged parameters are torch's bits (BatchNorm running statistics come from forward
    passes: compared within 1e-6 above)."""
    ta, ja = _averaged(make_kw)
    ts, js = ta.state_dict(), ja.state_dict()
    for k in ts:
        if "running" not in k and "num_batches" not in k:
            np.testing.assert_array_equal(js[k].detach().numpy(), ts[k].detach().numpy(), k)


def test_averaged_model_errors_and_decay_checks():
    assert_same_error(lambda m: m.optim.swa_utils.AveragedModel(
        m.nn.Linear(2, 2), avg_fn=lambda *a: None, multi_avg_fn=lambda *a: None),
        (torch, jtorch))
    for fn in ("get_ema_avg_fn", "get_ema_multi_avg_fn"):
        assert_same_error(lambda m: getattr(m.optim.swa_utils, fn)(1.5), (torch, jtorch))


def test_update_bn_equals_torch():
    tm, jm = _models()
    rng = np.random.default_rng(3)
    batches = [rng.standard_normal((6, 3)).astype(np.float32) for _ in range(3)]
    tm.eval()
    jm.eval()
    torch.optim.swa_utils.update_bn([(torch.tensor(b), 0) for b in batches], tm)
    swa_utils.update_bn([(jtorch.tensor(b), 0) for b in batches], jm)
    assert not jm.training and jm[1].momentum == tm[1].momentum == 0.1
    _same_module(tm, jm, exact=False)
    swa_utils.update_bn([], jtorch.nn.Linear(2, 2))      # no BatchNorm: nothing to do


SWALR = [dict(swa_lr=0.05), dict(swa_lr=[0.05, 0.01], anneal_epochs=3,
                                 anneal_strategy="linear"),
         dict(swa_lr=0.2, anneal_epochs=0)]


@pytest.mark.parametrize("kw", SWALR, ids=[str(i) for i in range(len(SWALR))])
def test_swalr_equals_torch(kw):
    lrs = {}
    for m in (torch, jtorch):
        a, b = m.zeros(2, requires_grad=True), m.zeros(2, requires_grad=True)
        opt = m.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.3}], lr=0.5)
        sched = m.optim.swa_utils.SWALR(opt, **kw)
        out = [sched.get_last_lr()]
        for _ in range(6):
            opt.step()
            sched.step()
            out.append(sched.get_last_lr())
        lrs[m] = out, sched.state_dict()
    assert lrs[jtorch][0] == lrs[torch][0]
    assert set(lrs[jtorch][1]) >= {"anneal_epochs", "_anneal_strategy", "base_lrs",
                                   "last_epoch"}
    for k in ("anneal_epochs", "_anneal_strategy", "base_lrs", "last_epoch", "_last_lr"):
        assert lrs[jtorch][1][k] == lrs[torch][1][k], k


def test_swalr_errors_and_state_dict_round_trip():
    def bad(m, **kw):
        opt = m.optim.SGD([m.zeros(2, requires_grad=True)], lr=0.1)
        return m.optim.swa_utils.SWALR(opt, swa_lr=0.01, **kw)
    assert_same_error(lambda m: bad(m, anneal_strategy="exp"), (torch, jtorch))
    assert_same_error(lambda m: bad(m, anneal_epochs=-1), (torch, jtorch))
    assert_same_error(lambda m: bad(m, anneal_epochs=2.0), (torch, jtorch))
    opt = jtorch.optim.SGD([jtorch.zeros(2, requires_grad=True)], lr=0.1)
    sched = swa_utils.SWALR(opt, swa_lr=0.01, anneal_strategy="linear")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sched.step()
    sd = sched.state_dict()
    assert "anneal_func" not in sd and "optimizer" not in sd
    other = swa_utils.SWALR(opt, swa_lr=0.5)
    other.load_state_dict(sd)
    assert other.anneal_func(0.25) == 0.25 and other.last_epoch == sched.last_epoch


@pytest.mark.parametrize("cls, counters", [("Adadelta", ()), ("Adamax", ()),
                                           ("NAdam", ("mu_product",)), ("RAdam", ())])
def test_old_checkpoint_state_upgraded_as_torch(cls, counters):
    """An older pickled optimizer (options missing, counters as numbers) gets torch's
    __setstate__ upgrades: the options' defaults in torch's order, counters as tensors."""
    def load(lib):
        lib.manual_seed(0)
        p = lib.nn.Parameter(lib.randn(3))
        opt = getattr(lib.optim, cls)([p], lr=0.01)
        p.grad = lib.ones(3)
        opt.step()
        st = opt.__getstate__()
        groups = [{k: v for k, v in g.items() if k not in (
            "foreach", "maximize", "differentiable", "capturable", "decoupled_weight_decay")}
            for g in st["param_groups"]]
        state = {q: {k: float(v) if k in ("step",) + counters else v for k, v in s.items()}
                 for q, s in st["state"].items()}
        new = getattr(lib.optim, cls).__new__(getattr(lib.optim, cls))
        new.__setstate__({"defaults": st["defaults"], "state": state, "param_groups": groups})
        s = next(iter(new.state.values()))
        return list(new.param_groups[0]), [(str(s[k].dtype), float(s[k]))
                                           for k in ("step",) + counters]
    assert load(jtorch) == load(torch)
