"""Fuzz classes fixed in the values of math ops and their gradients (issue #27): each test
runs the same code on torch and jtorch and compares the values, NaN/inf and zero signs."""
import numpy as np
import pytest

import jtorch

torch = pytest.importorskip("torch")

INF = float("inf")


def _same(a, b):
    x, y = a.detach().numpy(), b.detach().numpy()
    assert x.shape == y.shape and x.dtype == y.dtype
    np.testing.assert_allclose(x, y, rtol=1e-6, equal_nan=True)
    assert (np.signbit(x) == np.signbit(y))[~np.isnan(x)].all()


# ------------------------------------------------------------------ vector norms
@pytest.mark.parametrize("ord", [2, 3, 1, 0.5, 0, INF])
@pytest.mark.parametrize("shape, dim", [((), None), ((1,), None), ((1,), -1), ((1, 1), 0),
                                        ((2, 1), -1), ((1, 2), 0), ((1, 1), (0, 1)),
                                        ((2,), None), ((3, 1), None), ((1, 3), (0, 1))])
@pytest.mark.parametrize("keepdim", [False, True])
def test_norm_over_size_one_dims_is_abs(ord, shape, dim, keepdim):
    """torch takes |x| where every reduced dim has size 1 (no |x|**ord overflow in float32);
    over 2+ elements it accumulates |x|**ord in float32 and overflows to inf."""
    def run(lib):
        x = lib.full(shape, -1e30, requires_grad=True)
        outs = [lib.linalg.vector_norm(x, ord, dim, keepdim), x.norm(ord, dim, keepdim)]
        if ord != 0:   # (ord 0: torch's gradient is undefined, see the next test)
            outs += lib.autograd.grad(outs[0].sum(), x)
        return outs
    for a, b in zip(run(torch), run(jtorch)):
        _same(a, b)


@pytest.mark.parametrize("ord", [2, 3, 1, 0.5])
@pytest.mark.parametrize("dim", [-1, 0, (), None])
def test_norm_of_a_0dim_tensor(ord, dim):
    """A 0-dim input given an explicit dim takes torch's general formula (1e30 squared
    overflows to inf); with no dim it is |x|. dim=() means every dim."""
    a = torch.tensor(1e30).norm(ord, dim)
    b = jtorch.tensor(1e30).norm(ord, dim)
    _same(a, b)


def test_linalg_vector_norm_empty_dim_reduces_everything():
    for lib in (torch, jtorch):
        assert lib.linalg.vector_norm(lib.full((2, 3), 1e30), 2, ()).shape == ()
    _same(torch.linalg.vector_norm(torch.full((2, 3), 1e30), 1, ()),
          jtorch.linalg.vector_norm(jtorch.full((2, 3), 1e30), 1, ()))


# ------------------------------------------------------------------ scans at acc_type
@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16", "complex64"])
@pytest.mark.parametrize("name, values", [
    ("cumsum", [3e38, 3e38, -3e38, 1.0, 1e-8, -1.0]),
    ("cumsum", [60000.0, 60000.0, -60000.0, 1.0]),
    ("cumprod", [1e30, 1e30, 0.0, 2.0]),
    ("cumprod", [1e30, 1e30, 1e-30, 0.5]),
    ("cumprod", [-1.8446744e19, -1.8446744e19, 0.0, -1.8446744e19])])
def test_scans_carry_torch_cpu_acc_type(dtype, name, values):
    """torch's CPU cumsum/cumprod carry the running value in float64 for float32 (float32 for
    the half types) and round each output: inf where it passes the range, finite after."""
    def run(lib):
        x = lib.tensor(values, dtype=getattr(lib, dtype), requires_grad=True)
        y = getattr(x, name)(0)
        if x.is_complex():   # (values only: abs's complex gradient signs its zeros apart)
            return [y]
        return [y] + list(lib.autograd.grad(y.abs().sum(), x))
    for a, b in zip(run(torch), run(jtorch)):
        if a.is_complex():
            a, b = torch.view_as_real(a), jtorch.view_as_real(b)
        if a.dtype == torch.bfloat16:
            a, b = a.float(), b.float()
        _same(a, b)


# ------------------------------------------------------------------ sinh / cosh accuracy
def _ulps(a, b):
    a, b = a.detach().numpy(), b.detach().numpy()
    with np.errstate(all="ignore"):
        u = np.abs(a - b) / np.spacing(np.abs(a).astype(a.dtype))
    assert (np.isnan(a) == np.isnan(b)).all() and (np.signbit(a) == np.signbit(b)).all()
    return np.nanmax(np.where(np.isinf(a) & (a == b), 0, u))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", ["sinh", "cosh"])
def test_hyperbolic_within_an_ulp_or_three(dtype, name):
    """XLA's sinh/cosh were up to 24 (float32) and 495 (float64) ulps from torch's, and
    cos(sinh(123.456)) then came out a different number entirely."""
    x = np.concatenate([np.linspace(-30, 30, 2001), np.linspace(-700, 700, 2001),
                        np.geomspace(1e-12, 1, 201), -np.geomspace(1e-30, 1, 201),
                        [0.0, -0.0, INF, -INF, float("nan"), 123.456]]).astype(dtype)
    limit = 1 if dtype == "float32" else 3
    assert _ulps(getattr(torch, name)(torch.from_numpy(x)),
                 getattr(jtorch, name)(jtorch.tensor(x))) <= limit
    y = torch.tensor([123.456], dtype=torch.float64).sinh()
    assert jtorch.tensor([123.456], dtype=jtorch.float64).sinh().item() == y.item()


@pytest.mark.parametrize("name, other", [("sinh", "cosh"), ("cosh", "sinh")])
def test_hyperbolic_gradients(name, other):
    def run(lib):
        x = lib.tensor([-30.0, -1.0, -0.0, 0.0, 0.25, 5.0, 80.0], dtype=lib.float64,
                       requires_grad=True)
        return lib.autograd.grad(getattr(x, name)().sum(), x)[0]
    a, b = run(torch), run(jtorch)
    assert _ulps(a, b) <= 3


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_rsqrt_is_one_over_sqrt(dtype):
    """torch's rsqrt rounds sqrt then the division; XLA's rsqrt was an ulp off on a third of
    the inputs (sin(rsqrt(1e-5)) then differed in the 5th digit)."""
    x = np.concatenate([np.geomspace(1e-30, 1e30, 4001), [0.0, -0.0, -1.0, INF, 1e-5]])
    x = x.astype(dtype)
    a, b = torch.rsqrt(torch.from_numpy(x)), jtorch.rsqrt(jtorch.tensor(x))
    assert _ulps(a, b) == 0
    _same(a.sin(), b.sin())



def _outcome(fn):
    try:
        r = fn()
    except Exception as e:      # noqa: BLE001 (the outcome compared is the exception)
        return type(e).__name__, str(e)
    return (r.tolist(), str(r.dtype).split(".")[-1]) if hasattr(r, "dtype") else r


@pytest.mark.parametrize("case", [
    lambda m: m.logaddexp(m.tensor([1, 2]), m.tensor([1., 2.])),       # promotes: accepted
    lambda m: m.logaddexp(m.tensor([1, 2]), m.tensor([3, 1])),         # Long: refused
    lambda m: m.logaddexp2(m.tensor([True]), m.tensor([1.5])),
    lambda m: m.logaddexp(m.tensor([1], dtype=m.int8), m.tensor([2], dtype=m.int8)),
    lambda m: m.round(m.tensor([1, 2])),                                # integers: unchanged
    lambda m: m.round(m.tensor([1, 2]), decimals=2),                    # round_cpu
    lambda m: m.round(m.tensor([1, 2]), decimals=0),                    # round_vml_cpu
    lambda m: m.tensor([True]).round(decimals=1),
    lambda m: m.round(m.tensor([1.25, 2.5]), decimals=1),
    lambda m: m.nextafter(m.tensor([1, 2]), m.tensor([3, 1])),
    lambda m: m.nextafter(m.tensor([1], dtype=m.int8), m.tensor([2.])),
    lambda m: m.nextafter(m.tensor([1.]), 2.0),
])
def test_float_only_kernels_judge_the_common_dtype(case):
    """logaddexp/nextafter refuse integer and bool work as torch's kernels do: by the
    operands' common dtype; round refuses integers only once ``decimals`` is given."""
    assert _outcome(lambda: case(jtorch)) == _outcome(lambda: case(torch))


@pytest.mark.parametrize("case", [
    lambda m: m.resolve_neg("abc"), lambda m: m.resolve_conj(3), lambda m: m.is_conj("a"),
    lambda m: m.is_neg(m.tensor([1.])),
    lambda m: m.nn.utils.rnn.pack_padded_sequence("abc", [1]),
    lambda m: m.nn.utils.rnn.pack_padded_sequence(m.ones(3, 2), (3, 2)).batch_sizes,
    lambda m: m.frobenius_norm(m.ones(2, 2, dtype=m.long), (0, 1)),
    lambda m: m.ldexp_(m.ones(2, dtype=m.long), m.tensor([1, 2])),
    lambda m: m.ones(2, dtype=m.long).ldexp_(m.tensor([1, 2])),
    lambda m: m.ldexp_(m.ones(2), m.tensor([1, 2])),
])
def test_argument_types_as_torch_parses_them(case):
    assert _outcome(lambda: case(jtorch)) == _outcome(lambda: case(torch))


@pytest.mark.parametrize("case", [
    lambda m: (m.ones(1, 1, 3, 3, dtype=m.long), m.zeros(1, 2, 2, 2)),
    lambda m: (m.ones(1, 1, 3, 3, 3, dtype=m.long), m.zeros(1, 2, 2, 2, 3)),
    lambda m: (m.ones(1, 1, 3, 3), m.zeros(2, 2, 2, 2, dtype=m.double)),
    lambda m: (m.ones(1, 1, 3, 3, dtype=m.float64), m.zeros(1, 2, 2, 2)),
])
def test_grid_sample_checks_in_torch_order(case):
    """Shapes first, then the kernel's dtype dispatch, then the grid's dtype."""
    def run(m):
        return m.nn.functional.grid_sample(*case(m), align_corners=False)
    assert _outcome(lambda: run(jtorch)) == _outcome(lambda: run(torch))
