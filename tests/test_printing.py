"""repr/str identical to torch's, character for character (hand cases + 1000+ generated)."""
import math

import ml_dtypes
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jtorch
from jtorch import _tensor_str

torch = pytest.importorskip("torch")

HAND = [
    "tensor([1., 2., 3.])", "tensor([[1., 2., 3.], [4., 5., 6]])", "tensor(5.)", "tensor(42)",
    "tensor([True, False])", "tensor([1e-5, 1.])", "tensor([1e9, 1.])",
    "tensor([float('nan'), float('inf'), -float('inf'), -0.0, 1.0])", "tensor(float('nan'))",
    "tensor([], dtype=M.int64)", "zeros(0, 3)", "zeros(2, 0, dtype=M.int32)", "tensor([])",
    "arange(2000.)", "arange(2000).view(40, 50)", "arange(3000.).view(10, 10, 30)",
    "linspace(-5, 5, 10)", "tensor([1+2j, -3.5-1j])", "tensor([1j, 0])",
    "tensor([1., 2.], dtype=M.float16)", "tensor([0.1, 2.], dtype=M.bfloat16)",
    "tensor([1, 2], dtype=M.uint8)", "tensor([[1.5, 2.]], requires_grad=True)",
    "tensor(3.5, requires_grad=True) * 2", "arange(100.).view(4, 25) / 7",
    "tensor([-1.0, 1000.5])", "tensor([123456789.0, 1.0])", "tensor([[1., -1.], [0., 2.]]).t()",
    "tensor([[1., 2.]], requires_grad=True).sum(1)", "tensor([1, 2]) * 2.5",
    "ones(3, dtype=M.float64, requires_grad=True)", "tensor([0.0001, 0.001])",
    "tensor([1e-4, 1.0])", "tensor([100000000.0])", "tensor([1e8 + 1])",
    "tensor([-5, 10**12])", "arange(30).view(2, 15) * 1000000", "tensor([[True], [False]])",
]


@pytest.mark.parametrize("expr", HAND)
def test_hand_cases(expr):
    t = eval("torch." + expr.replace("M.", "torch."))
    j = eval("jtorch." + expr.replace("M.", "jtorch."))
    assert repr(j) == repr(t)
    assert str(j) == str(t)


@pytest.mark.parametrize("opts", [dict(precision=2), dict(sci_mode=True), dict(sci_mode=False),
                                  dict(threshold=5, edgeitems=1), dict(linewidth=40),
                                  dict(profile="short"), dict(profile="full"),
                                  dict(edgeitems=0, threshold=3)])
def test_set_printoptions(opts):
    exprs = ["arange(12.).view(3, 4) / 3", "tensor([1e-6, 5.])", "arange(2000.)",
             "tensor([1, 2, 3, 4, 5, 6, 7])", "arange(20.).view(2, 10) * 123.456"]
    try:
        torch.set_printoptions(**opts)
        jtorch.set_printoptions(**opts)
        for e in exprs:
            assert repr(eval("jtorch." + e)) == repr(eval("torch." + e)), (opts, e)
    finally:
        torch.set_printoptions(profile="default")
        jtorch.set_printoptions(profile="default")


def test_default_dtype_changes_suffixes():
    try:
        torch.set_default_dtype(torch.float64)
        jtorch.set_default_dtype(jtorch.float64)
        for e in ["tensor([1.5])", "tensor([1.5], dtype=M.float32)", "tensor([1+1j])",
                  "zeros(0)"]:
            assert repr(eval("jtorch." + e.replace("M.", "jtorch."))) == \
                repr(eval("torch." + e.replace("M.", "torch.")))
    finally:
        torch.set_default_dtype(torch.float32)
        jtorch.set_default_dtype(jtorch.float32)


DTYPES = ["float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8",
          "uint8", "bool", "complex64", "complex128"]


@st.composite
def arrays(draw):
    dtype = draw(st.sampled_from(DTYPES))
    ndim = draw(st.integers(0, 4))
    big = draw(st.booleans()) and ndim > 0
    shape = tuple(draw(st.integers(0 if not big else 1, 12 if big else 4)) for _ in range(ndim))
    if big:
        shape = shape[:-1] + (draw(st.integers(200, 1500)),)
    n = int(np.prod(shape))
    rng = np.random.RandomState(draw(st.integers(0, 2 ** 31 - 1)))
    kind = draw(st.sampled_from(["normal", "ints", "tiny", "huge", "mixed", "special"]))
    scale = {"normal": 1.0, "ints": 1.0, "tiny": 1e-6, "huge": 1e9, "mixed": 1.0,
             "special": 1.0}[kind]
    vals = rng.randn(n) * scale
    if kind == "ints":
        vals = np.round(vals * 100)
    if kind == "mixed":
        vals = vals * 10.0 ** rng.randint(-6, 9, n)
    if kind == "special" and n:
        vals[rng.randint(0, n, max(1, n // 3))] = rng.choice(
            [np.nan, np.inf, -np.inf, -0.0, 0.0], max(1, n // 3))
    if dtype.startswith("complex"):
        vals = vals + 1j * rng.randn(n) * scale
    elif dtype == "bool":
        vals = vals > 0
    elif dtype.startswith(("int", "uint")):
        info = np.iinfo(dtype)
        vals = np.clip(np.nan_to_num(vals * (1 if kind != "tiny" else 1e6)), info.min,
                       info.max).astype(np.int64)
    grad = draw(st.sampled_from([None, "requires_grad", "grad_fn"]))
    return dtype, vals.reshape(shape), grad


@settings(max_examples=1200, derandomize=True, deadline=None,
          suppress_health_check=list(HealthCheck))
@given(case=arrays())
def test_generated_reprs_equal_torch(case):
    dtype, vals, grad = case
    if dtype == "bfloat16":
        t = torch.from_numpy(vals.astype(np.float32)).to(torch.bfloat16)
        host = vals.astype(np.float32).astype(ml_dtypes.bfloat16)
    else:
        t = torch.from_numpy(vals.astype(dtype))
        host = vals.astype(dtype)
    jd = getattr(jtorch, dtype)
    floating = jd.is_floating_point or jd.is_complex
    requires = grad is not None and floating
    grad_fn = "CloneBackward0" if grad == "grad_fn" and floating else None
    if requires:
        t = t.requires_grad_()
        if grad_fn:
            t = t.clone()  # keeps every value (t + 0 loses -0., complex inf * 1 makes nan)
    got = _tensor_str.format_tensor(host, jd, requires_grad=requires, grad_fn=grad_fn)
    assert got == repr(t)


def test_parameter_repr_helper():
    p = torch.nn.Parameter(torch.ones(2))
    assert _tensor_str.parameter_repr(repr(jtorch.ones(2, requires_grad=True))) == repr(p)
