"""Autocast (issue 21): each op's output dtype under CPU autocast equals torch's (recorded in
tests/golden/autocast_cpu.json by tests/golden/make_autocast.py), the context's API, graphs
and gradients as torch's."""
import json
import os
import warnings

import pytest

import jtorch
from jtorch import _autocast
from tests.golden.autocast_cases import CASES, run

try:
    import torch
except ImportError:     # (the golden records stand in for torch)
    torch = None

GOLDEN = json.load(open(os.path.join(os.path.dirname(__file__), "golden",
                                     "autocast_cpu.json")))
_GAPS = {"nn_layernorm_module": "a LayerNorm module (float32 parameters) on bfloat16/float16 "
         "input: torch's CPU kernel returns the input's dtype, jtorch's layer norm promotes "
         "to float32 (outside autocast too)"}
needs_torch = pytest.mark.skipif(torch is None, reason="compares with torch")


def _case(name):
    if name in _GAPS:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=_GAPS[name]))
    return name


@pytest.mark.parametrize("name", [_case(n) for n in sorted(GOLDEN)])
def test_op_dtypes_equal_torch(name):
    """Every case under autocast(bfloat16/float16), inputs float32 and low precision."""
    got = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for cell in GOLDEN[name]:
            dt, inp = cell.split("/")
            got[cell] = run(jtorch, name, dt, dt if inp == "low" else "float32")
    assert got == GOLDEN[name]


def test_cases_are_recorded():
    assert set(GOLDEN) == set(CASES)


# ------------------------------------------------------------------ the context's API
def _state(T):
    return (T.is_autocast_enabled("cpu"), T.get_autocast_dtype("cpu"),
            T.is_autocast_enabled())


def test_state_nested_disabled_and_restored():
    for T in filter(None, (jtorch, torch)):
        seen = [_state(T)]
        with T.autocast("cpu", dtype=T.float16):
            seen.append(_state(T))
            with T.autocast("cpu", enabled=False):
                seen.append(_state(T))
                assert T.mm(T.ones(2, 2), T.ones(2, 2)).dtype == T.float32
            with T.amp.autocast("cpu", dtype=T.bfloat16):
                seen.append(_state(T))
                assert T.mm(T.ones(2, 2), T.ones(2, 2)).dtype == T.bfloat16
            assert T.mm(T.ones(2, 2), T.ones(2, 2)).dtype == T.float16
        seen.append(_state(T))
        assert T.mm(T.ones(2, 2), T.ones(2, 2)).dtype == T.float32
        if T is jtorch:
            mine = [tuple(str(v) for v in s) for s in seen]
        else:
            assert mine == [tuple(str(v) for v in s) for s in seen]
    assert _autocast.ACTIVE == {} and jtorch._dispatch._autocast is None


def test_decorator_and_exception_restore():
    @jtorch.autocast("cpu")
    def f(a):
        return a @ a

    assert f(jtorch.ones(2, 2)).dtype == jtorch.bfloat16
    with pytest.raises(ValueError):
        with jtorch.autocast("cpu"):
            raise ValueError
    assert not jtorch.is_autocast_enabled("cpu") and jtorch._dispatch._autocast is None


def test_set_autocast_enabled():
    jtorch.set_autocast_enabled("cpu", True)
    try:
        assert jtorch.mm(jtorch.ones(2, 2), jtorch.ones(2, 2)).dtype == jtorch.bfloat16
    finally:
        jtorch.set_autocast_enabled("cpu", False)
    assert jtorch.mm(jtorch.ones(2, 2), jtorch.ones(2, 2)).dtype == jtorch.float32


def test_cache_enabled_accepted():
    with jtorch.autocast("cpu", cache_enabled=False):
        assert not jtorch.is_autocast_cache_enabled()
    assert jtorch.is_autocast_cache_enabled()


def test_unsupported_cpu_dtype_warns_and_disables():
    with pytest.warns(UserWarning, match="CPU Autocast only supports dtypes"):
        with jtorch.autocast("cpu", dtype=jtorch.float32):
            assert not jtorch.is_autocast_enabled("cpu")


def test_legacy_spellings_warn_as_torch():
    with pytest.warns(FutureWarning, match=r"torch.cpu.amp.autocast\(args...\)` is deprecated"):
        ctx = jtorch.cpu.amp.autocast()
    with ctx:
        assert jtorch.mm(jtorch.ones(2, 2), jtorch.ones(2, 2)).dtype == jtorch.bfloat16
    with pytest.warns(FutureWarning, match=r"torch.cuda.amp.autocast\(args...\)` is deprecated"):
        jtorch.cuda.amp.autocast()
    if not jtorch.cuda.is_available():      # torch's CPU build disables a CUDA autocast
        with pytest.warns(UserWarning, match="CUDA is not available"):
            with jtorch.autocast("cuda"):
                assert not jtorch.is_autocast_enabled("cuda")
    assert jtorch.amp.autocast is jtorch.autocast
    assert jtorch.amp.is_autocast_available("cpu")


# ------------------------------------------------------------------ graphs and gradients
def _linear_graph(T):
    g = T.Generator().manual_seed(0)
    x = T.rand(2, 3, generator=g, requires_grad=True)
    w = T.rand(4, 3, generator=g, requires_grad=True)
    b = T.rand(4, generator=g, requires_grad=True)
    with T.autocast("cpu"):
        y = T.nn.functional.linear(x, w, b)
    names = [type(y.grad_fn).__name__] + [type(n).__name__ for n, _ in
                                          y.grad_fn.next_functions]
    names += [type(n).__name__ for n, _ in y.grad_fn.next_functions[2][0].next_functions]
    y.float().pow(2).sum().backward()
    return y.dtype, names, [t.grad.dtype for t in (x, w, b)], y.float().tolist()


@needs_torch
def test_linear_graph_and_grad_dtypes_as_torch():
    d, names, grads, vals = _linear_graph(jtorch)
    td, tnames, tgrads, tvals = _linear_graph(torch)
    assert (str(d), names, [str(g) for g in grads]) == (str(td), tnames, list(map(str, tgrads)))
    assert sum(vals, []) == pytest.approx(sum(tvals, []), rel=1e-2)


def test_mlp_training_step_grads_float32():
    model = jtorch.nn.Sequential(jtorch.nn.Linear(4, 8), jtorch.nn.ReLU(),
                                 jtorch.nn.Linear(8, 2))
    x, t = jtorch.rand(5, 4), jtorch.tensor([0, 1, 0, 1, 1])
    with jtorch.autocast("cpu"):
        out = model(x)
        loss = jtorch.nn.functional.cross_entropy(out, t)
    assert out.dtype == jtorch.bfloat16 and loss.dtype == jtorch.float32
    loss.backward()
    assert all(p.grad.dtype == jtorch.float32 for p in model.parameters())


def test_inside_compiled_function():
    model = jtorch.nn.Linear(3, 2)

    def f(x):
        with jtorch.autocast("cpu"):
            return model(x)

    x = jtorch.rand(4, 3)
    eager = f(x)
    compiled = jtorch.compile(f)(x)
    assert eager.dtype == compiled.dtype == jtorch.bfloat16
    assert compiled.float().reshape(-1).tolist() == \
        pytest.approx(eager.float().reshape(-1).tolist())


# ------------------------------------------------------------------ custom_fwd / custom_bwd
class _MyMM(jtorch.autograd.Function):
    @staticmethod
    @jtorch.amp.custom_fwd(device_type="cpu", cast_inputs=jtorch.float32)
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        ctx.inside = jtorch.is_autocast_enabled("cpu")
        return a.mm(b)

    @staticmethod
    @jtorch.amp.custom_bwd(device_type="cpu")
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        ctx.backward_autocast = jtorch.is_autocast_enabled("cpu")
        return g.mm(b.t()), a.t().mm(g)


def test_custom_fwd_casts_inputs_and_disables_autocast():
    a = jtorch.rand(2, 2, requires_grad=True)
    with jtorch.autocast("cpu"):
        out = _MyMM.apply(a.bfloat16(), jtorch.rand(2, 2))
    assert out.dtype == jtorch.float32
    out.sum().backward()
    assert a.grad.dtype == jtorch.float32


def test_custom_fwd_requires_device_type():
    with pytest.raises(TypeError):
        jtorch.amp.custom_fwd(lambda ctx: None)


# ------------------------------------------------------------------ the CUDA table
def test_cuda_policy_table():
    """Written from torch's documented CUDA autocast lists (no CUDA build to measure): a few
    ops from each list, by jtorch's op names."""
    p = _autocast.policy
    for name in ("mm", "bmm", "addmm", "_conv", "linear", "matmul", "mv", "dot", "_sdpa"):
        assert p("cuda", name) == "lower", name
    for name in ("exp", "log", "pow", "_softmax", "_log_softmax", "_layer_norm", "sum",
                 "cumsum", "_mse_loss", "cross_entropy", "_nll_loss"):
        assert p("cuda", name) == "fp32", name
    for name in ("cat", "stack", "index_copy", "addcmul", "atan2", "_bilinear"):
        assert p("cuda", name) == "promote", name
    for name in ("relu", "add", "tanh", "gelu"):
        assert p("cuda", name) is None, name
    # the CPU table leaves exp/softmax alone and runs mv/dot in their inputs' dtypes
    assert p("cpu", "exp") is None and p("cpu", "mv") is None and p("cpu", "_softmax") is None


def test_outside_autocast_hook_is_off():
    assert jtorch._dispatch._autocast is None
