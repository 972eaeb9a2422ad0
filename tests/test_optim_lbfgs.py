"""LBFGS compared with torch's: parameters, returned losses, evaluation and iteration counts
and the whole state over several ``step(closure)`` calls, for both line-search settings and
several hyperparameter settings; state_dict round trips; errors.

Both optimizers are fed the same closure: it evaluates the loss and gradients with torch at
the optimizer's current parameter values, so the optimizers alone are compared. LBFGS is
chaotic enough on these problems that one differently rounded reduction changes a line-search
decision a few steps later, and torch's ``dot``/``sum`` (vectorised kernels with their own
summation order) and ``sqrt`` (not correctly rounded on this machine) round differently from
XLA's. The ``same_reductions`` fixture gives both libraries one correctly
rounded ``dot``, ``sum`` and ``sqrt``; with it everything else in torch's arithmetic is
reproduced bit for bit. ``test_end_to_end_*`` runs jtorch's own ops and autograd, within a
tolerance."""
import copy
import math
from fractions import Fraction

import numpy as np
import pytest

import jtorch
import jtorch.optim

torch = pytest.importorskip("torch")


# ------------------------------------------------------------------ problems
# each: (initial arrays, requires_grad flags, loss(lib, params)); a parameter the loss does not
# use keeps grad None, a requires_grad=False one too: LBFGS counts both as zero gradients
def _rosenbrock(lib, ps):
    # a 2-D parameter: row 0 holds the x coordinates, row 1 the y coordinates
    x, y = ps[0][0], ps[0][1]
    return lib.sum((1 - x) ** 2 + 100 * (y - x ** 2) ** 2)


_RNG = np.random.default_rng(0)
_X = _RNG.standard_normal((12, 2))
_Y = np.sin(2 * _X[:, :1]) * np.cos(_X[:, 1:])


def _mlp(lib, ps):
    """Least squares of a 2 -> 6 -> 1 tanh MLP."""
    x, y = (lib.tensor(a.astype(str(ps[0].dtype).split(".")[-1])) for a in (_X, _Y))
    h = lib.tanh(x @ ps[0].T + ps[1])
    return lib.mean((h @ ps[2].T + ps[3] - y) ** 2)


def _multi(lib, ps):
    """Several tensors; ps[2] is unused and ps[3] has requires_grad=False."""
    a, b, _, e = ps
    r = b @ a[:2] - e
    return lib.sum((a - 1) ** 2 * (1 + a ** 2)) + lib.sum(r * r) + 0.1 * lib.sum(b ** 4)


def _problem(name):
    rng = np.random.default_rng(1)
    if name.startswith("rosenbrock"):
        init = [np.array([[-1.5, -1.2, 0.5], [2.0, 1.0, -0.5]])]
        flags, fn = [True], _rosenbrock
    elif name.startswith("mlp"):
        init = [rng.standard_normal(s) for s in ((6, 2), (6,), (1, 6), (1,))]
        flags, fn = [True] * 4, _mlp
    else:
        init = [rng.standard_normal(s) for s in ((3,), (2, 2), (2,), (2,))]
        flags, fn = [True, True, True, False], _multi
    dtype = "float32" if name.endswith("32") else "float64"
    return [a.astype(dtype) for a in init], flags, fn


PROBLEMS = ["rosenbrock64", "rosenbrock32", "mlp64", "mlp32", "multi64"]
CONFIGS = [
    dict(),
    dict(history_size=3, max_iter=7),
    dict(lr=0.5, max_iter=6, max_eval=7),           # the evaluation budget ends iterations
    dict(lr=0.01, max_iter=4, max_eval=3),          # line search: extrapolates, out of budget
    dict(lr=10, history_size=5, max_iter=8),        # line search: zooms into a bracket
    dict(tolerance_grad=1e-3, tolerance_change=1e-4),   # early exits, then no-op steps
    dict(tolerance_grad=1e-12, tolerance_change=1e-2),  # exit on a small change of loss
]
CASES = [(p, dict(c, line_search_fn=ls)) for p in PROBLEMS for c in CONFIGS
         for ls in (None, "strong_wolfe")]
# no tolerances: past convergence, the line search's bracket shrinks below its tolerance
CASES += [(p, dict(lr=3, max_iter=40, max_eval=80, tolerance_grad=0, tolerance_change=0,
                   line_search_fn="strong_wolfe")) for p in ("mlp32", "multi64")]
IDS = [f"{p}-{'-'.join(f'{k}={v}' for k, v in kw.items())}" for p, kw in CASES]


def _torch_closure(lib, params, fn, returned):
    """The loss and gradients at ``params``' values, computed by torch on fresh leaves with
    the same requires_grad flags; the loss tensor is recorded in ``returned``."""
    def closure():
        leaves = [torch.tensor(p.detach().numpy(), requires_grad=p.requires_grad)
                  for p in params]
        with torch.enable_grad():
            loss = fn(torch, leaves)
            loss.backward()
        for p, q in zip(params, leaves):
            p.grad = None if q.grad is None else lib.tensor(q.grad.numpy())
        out = lib.tensor(loss.detach().numpy())
        returned.append(out)
        return out
    return closure


def _run(lib, problem, kw, steps, start=None, sd=None):
    """``steps`` LBFGS steps; returns per-step records, the optimizer and the parameters."""
    init, flags, fn = _problem(problem)
    init = init if start is None else start
    params = [lib.tensor(a, requires_grad=f) for a, f in zip(init, flags)]
    kw = dict(kw)
    if isinstance(kw.get("lr"), str):     # "tensor:<value>" or "tensor1:<value>" (shape (1,))
        kind, value = kw["lr"].split(":")
        kw["lr"] = lib.tensor(float(value) if kind == "tensor" else [float(value)])
    opt = lib.optim.LBFGS(params, **kw)
    if sd is not None:
        opt.load_state_dict(sd)
    returned, records = [], []
    closure = _torch_closure(lib, params, fn, returned)
    for _ in range(steps):
        n = len(returned)
        loss = opt.step(closure)
        st = opt.state[params[0]]
        records.append(dict(loss=float(loss), first=loss is returned[n],
                            func_evals=st["func_evals"], n_iter=st["n_iter"],
                            params=[p.detach().numpy().copy() for p in params],
                            versions=[p._version for p in params]))
    return records, opt, params


def _scale(t):
    if isinstance(t, list):
        return max((_scale(x) for x in t), default=0.0)
    return float(np.max(np.abs(t.numpy()), initial=0)) if isinstance(t, torch.Tensor) else 0.0


def _assert_value(j, t, rtol, where, scale=None):
    """``j`` has ``t``'s type, dtype, shape and values; tensors are compared relative to
    their own scale (or their list's): entries near zero (of `d`, `al`) magnify noise."""
    if isinstance(t, torch.Tensor):
        assert isinstance(j, jtorch.Tensor), where
        assert repr(j.dtype) == repr(t.dtype) and tuple(j.shape) == tuple(t.shape), where
        atol = rtol * (_scale(t) if scale is None else scale) if rtol else 0.0
        np.testing.assert_allclose(j.numpy(), t.numpy(), rtol=rtol, atol=atol, err_msg=where)
    elif isinstance(t, list):
        assert isinstance(j, list) and len(j) == len(t), where
        for i, (a, b) in enumerate(zip(j, t)):
            _assert_value(a, b, rtol, f"{where}[{i}]", _scale(t))
    else:
        assert type(j) is type(t), (where, j, t)
        if isinstance(t, float):
            np.testing.assert_allclose(j, t, rtol=rtol, atol=0, err_msg=where)
        else:
            assert j == t, where


def _assert_runs_equal(jrec, trec, jopt, topt, jp, tp, rtol):
    for i, (a, b) in enumerate(zip(jrec, trec)):
        where = f"step {i}"
        assert (a["func_evals"], a["n_iter"], a["first"]) == \
            (b["func_evals"], b["n_iter"], b["first"]), where
        np.testing.assert_allclose(a["loss"], b["loss"], rtol=rtol, atol=0, err_msg=where)
        for x, y in zip(a["params"], b["params"]):
            assert x.dtype == y.dtype, where
            np.testing.assert_allclose(x, y, rtol=rtol, atol=0, err_msg=where)
    # the whole state, in torch's key order and types, kept under the first parameter
    assert [id(k) for k in jopt.state] == [id(jp[0])] * bool(topt.state)
    tst, jst = topt.state[tp[0]], jopt.state[jp[0]]
    assert list(jst) == list(tst)
    for k in tst:
        _assert_value(jst[k], tst[k], rtol, k)


def _exact_dot(a, b):
    """The correctly rounded dot product (a diverging run may reach inf or NaN)."""
    with np.errstate(all="ignore"):
        if not (np.isfinite(a).all() and np.isfinite(b).all()):
            return np.asarray(np.dot(a, b), dtype=a.dtype)
        total = sum((Fraction(float(x)) * Fraction(float(y)) for x, y in zip(a, b)),
                    Fraction(0))
        try:
            value = float(total)
        except OverflowError:
            value = math.inf if total > 0 else -math.inf
        return np.asarray(value, dtype=a.dtype)


@pytest.fixture
def same_reductions(monkeypatch):
    """One correctly rounded ``Tensor.dot``, ``Tensor.sum`` (of a whole tensor) and
    ``Tensor.sqrt`` for both libraries (the losses use ``lib.sum``, untouched)."""
    for lib in (torch, jtorch):
        def dot(self, other, lib=lib):
            return lib.tensor(_exact_dot(self.numpy(), other.numpy()))

        def total(self, *args, lib=lib, plain=lib.Tensor.sum, **kwargs):
            if args or kwargs:
                return plain(self, *args, **kwargs)
            a = self.numpy().ravel()
            return lib.tensor(_exact_dot(a, np.ones_like(a)))

        def sqrt(self, lib=lib):
            return lib.tensor(np.sqrt(self.numpy()))
        monkeypatch.setattr(lib.Tensor, "dot", dot)
        monkeypatch.setattr(lib.Tensor, "sum", total)
        monkeypatch.setattr(lib.Tensor, "sqrt", sqrt)


@pytest.mark.parametrize("problem,kw", CASES, ids=IDS)
def test_steps_bit_exact(problem, kw, same_reductions):
    """Five steps: identical parameters, losses, counts, state and version counters."""
    trec, topt, tp = _run(torch, problem, kw, 5)
    jrec, jopt, jp = _run(jtorch, problem, kw, 5)
    _assert_runs_equal(jrec, trec, jopt, topt, jp, tp, rtol=0)
    assert [r["versions"] for r in jrec] == [r["versions"] for r in trec]


@pytest.mark.parametrize("ls", [None, "strong_wolfe"])
@pytest.mark.parametrize("lr", ["tensor:0.5", "tensor1:0.5"])
def test_tensor_lr(lr, ls, same_reductions):
    """A tensor lr (one element; torch squeezes it to 0-dim): the step sizes are tensors."""
    kw = dict(lr=lr, max_iter=5, line_search_fn=ls)
    trec, topt, tp = _run(torch, "mlp32", kw, 3)
    jrec, jopt, jp = _run(jtorch, "mlp32", kw, 3)
    _assert_runs_equal(jrec, trec, jopt, topt, jp, tp, rtol=0)


SW = "strong_wolfe"
H3 = dict(history_size=3, max_iter=7)
# (mlp64's 3 steps run ~60 inner iterations of float64 dot products and sums, ending near
# the optimum where the gradient is a small difference of large terms: against torch's scalar
# DEFAULT kernels (a CPU without AVX2) the drift reaches 3e-7 of the gradient's scale)
NATIVE = [("mlp64", dict(), 3, 1e-6), ("mlp64", dict(line_search_fn=SW), 3, 1e-6),
          ("multi64", H3, 3, 1e-8), ("multi64", dict(line_search_fn=SW), 3, 1e-8),
          ("rosenbrock64", dict(line_search_fn=SW), 2, 1e-8),
          ("rosenbrock64", dict(H3, line_search_fn=SW), 3, 1e-8),
          ("rosenbrock32", H3, 1, 1e-5), ("rosenbrock32", dict(H3, line_search_fn=SW), 1, 1e-5),
          ("mlp32", H3, 1, 1e-5), ("mlp32", dict(H3, line_search_fn=SW), 1, 1e-5)]


@pytest.mark.parametrize("problem,kw,steps,rtol", NATIVE)
def test_end_to_end_native_ops(problem, kw, steps, rtol):
    """jtorch's own dot/sum/sqrt (same closure values): close to torch's. Their last-bit
    differences grow with every iteration (float32: ~1e-2 after 20 iterations), so only a
    few iterations are compared; the bit-exact tests above pin the arithmetic itself."""
    trec, topt, tp = _run(torch, problem, kw, steps)
    jrec, jopt, jp = _run(jtorch, problem, kw, steps)
    _assert_runs_equal(jrec, trec, jopt, topt, jp, tp, rtol=rtol)


@pytest.mark.parametrize("problem,kw,steps,rtol", [
    ("mlp64", dict(line_search_fn=SW), 3, 1e-8), ("multi64", dict(line_search_fn=SW), 3, 1e-8),
    ("rosenbrock64", dict(H3, line_search_fn=SW), 3, 1e-8), ("mlp32", H3, 1, 1e-5)])
def test_end_to_end_jtorch_autograd(problem, kw, steps, rtol):
    """User code: each library's closure runs its own forward and backward."""
    init, flags, fn = _problem(problem)
    res = {}
    for lib in (torch, jtorch):
        params = [lib.tensor(a, requires_grad=f) for a, f in zip(init, flags)]
        opt = lib.optim.LBFGS(params, **kw)

        def closure():
            opt.zero_grad()
            loss = fn(lib, params)
            loss.backward()
            return loss
        losses = [opt.step(closure) for _ in range(steps)]
        st = opt.state[params[0]]
        res[lib] = ([float(x.detach()) for x in losses], [x.grad_fn is not None for x in losses],
                    st["func_evals"], st["n_iter"], [p.detach().numpy() for p in params])
    (tl, tg, tfe, tni, tpar), (jl, jg, jfe, jni, jpar) = res[torch], res[jtorch]
    assert (jg, jfe, jni) == (tg, tfe, tni)
    np.testing.assert_allclose(jl, tl, rtol=rtol)
    for a, b in zip(jpar, tpar):
        np.testing.assert_allclose(a, b, rtol=rtol)


# ------------------------------------------------------------------ state_dict
def _to_jtorch(obj):
    if isinstance(obj, torch.Tensor):
        return jtorch.tensor(obj.numpy())
    if isinstance(obj, dict):
        return {k: _to_jtorch(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_to_jtorch(v) for v in obj]
    return obj


@pytest.mark.parametrize("ls", [None, "strong_wolfe"])
def test_state_dict_round_trip(ls, same_reductions):
    """state_dict after two steps equals torch's; loaded (a copy of it, or torch's own
    converted) into a fresh optimizer over fresh parameters, two more steps equal torch's."""
    kw = dict(history_size=4, max_iter=5, line_search_fn=ls)
    trec, topt, tp = _run(torch, "multi64", kw, 2)
    jrec, jopt, jp = _run(jtorch, "multi64", kw, 2)
    tsd, jsd = topt.state_dict(), jopt.state_dict()
    assert jsd["param_groups"] == tsd["param_groups"]
    assert list(jsd["state"]) == list(tsd["state"]) == [0]
    _assert_value(list(jsd["state"][0].values()), list(tsd["state"][0].values()), 0, "sd")
    assert list(jsd["state"][0]) == list(tsd["state"][0])
    start = [p.detach().numpy().copy() for p in tp]
    trec2, topt2, tp2 = _run(torch, "multi64", kw, 2, start, copy.deepcopy(tsd))
    for sd in (copy.deepcopy(jsd), _to_jtorch(tsd)):
        jrec2, jopt2, jp2 = _run(jtorch, "multi64", kw, 2, start, sd)
        _assert_runs_equal(jrec2, trec2, jopt2, topt2, jp2, tp2, rtol=0)


# ------------------------------------------------------------------ errors and repr
def _outcome(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the exception itself is compared
        return type(e).__name__, str(e)
    return None


def _closure(lib, opt, p):
    def closure():
        opt.zero_grad()
        loss = lib.sum((p - 1) ** 2)
        loss.backward()
        return loss
    return closure


ERRORS = {
    "param_groups": lambda lib, p: lib.optim.LBFGS(
        [{"params": [p]}, {"params": [lib.zeros(1, requires_grad=True)], "lr": 0.1}]),
    "no_closure": lambda lib, p: lib.optim.LBFGS([p]).step(),
    "unknown_line_search": lambda lib, p: (lambda o: o.step(_closure(lib, o, p)))(
        lib.optim.LBFGS([p], line_search_fn="bogus")),
    "negative_lr": lambda lib, p: lib.optim.LBFGS([p], lr=-1.0),
    "lr_tensor_two_elements": lambda lib, p: lib.optim.LBFGS([p], lr=lib.tensor([1.0, 2.0])),
    "tensor_params": lambda lib, p: lib.optim.LBFGS(p),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_errors_equal_torch(case):
    out = {}
    for lib in (torch, jtorch):
        p = lib.tensor([1.5, -0.5], requires_grad=True)
        out[lib] = _outcome(lambda: ERRORS[case](lib, p))
    assert out[torch] is not None
    assert out[jtorch] == out[torch]


def test_repr_defaults_and_converged_start():
    """repr and param_groups as torch's (max_eval defaults to max_iter * 5 // 4); at a
    stationary point step evaluates once and returns that loss with no other state."""
    res = {}
    for lib in (torch, jtorch):
        p = lib.tensor([1.0, 1.0], requires_grad=True)
        opt = lib.optim.LBFGS([p], max_iter=7)
        loss = opt.step(_closure(lib, opt, p))
        res[lib] = (repr(opt), opt.param_groups[0]["max_eval"], float(loss.detach()),
                    {k: v for k, v in opt.state_dict()["state"][0].items()})
    assert res[jtorch] == res[torch]


@pytest.mark.parametrize("kw", [dict(max_iter=5), dict(max_iter=5, line_search_fn=SW)])
def test_complex_params(kw):
    """A complex parameter is optimised as its (real, imaginary) pairs, next to a real one."""
    out = {}
    for lib in (torch, jtorch):
        p = lib.tensor([1.5 - 0.5j, -1.0 + 2.0j], requires_grad=True)
        q = lib.tensor([0.3, -0.2], requires_grad=True)
        opt = lib.optim.LBFGS([p, q], **kw)

        def closure():
            opt.zero_grad()
            loss = lib.sum(lib.abs(p - (1 + 2j) * q[0]) ** 2) + ((q - 0.5) ** 2).sum()
            loss.backward()
            return loss
        opt.step(closure)
        st = opt.state[p]
        out[lib] = (p.detach().numpy(), q.detach().numpy(), st["func_evals"], st["n_iter"],
                    tuple(st["d"].shape), str(st["d"].dtype).split(".")[-1])
    for a, b in zip(out[jtorch], out[torch]):
        if isinstance(b, np.ndarray):
            np.testing.assert_allclose(a, b, rtol=1e-5)
        else:
            assert a == b
