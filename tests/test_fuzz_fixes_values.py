"""Fuzz classes fixed in values, signed zeros, NaN signs, layouts and grad_fn names (issue
#27): each test runs the same code on torch and jtorch and compares what a user sees.

Some of torch's bits come from its CPU vector kernels: an element-wise loop runs 64 bytes a
step with vector instructions (two AVX2 vectors; the same width with AVX-512) and the rest
with scalar code, and the two disagree on ties between 0. and -0. (maximum) and on fmod's
NaNs. jtorch models that x86 rule; on another CPU only the scalar-loop cases are compared.
"""
import numpy as np
import pytest

import jtorch

torch = pytest.importorskip("torch")

X86 = torch.backends.cpu.get_cpu_capability() in ("AVX2", "AVX512")
NAN = float("nan")
INF = float("inf")


def _bits(t, nan_sign=True):
    """Values with their sign bits (-0. and, with ``nan_sign``, NaN's), comparable."""
    a = t.detach().numpy()
    sign = np.signbit(a) & (nan_sign | ~np.isnan(a))
    return list(zip(np.nan_to_num(a, nan=7.5).ravel().tolist(), sign.ravel().tolist()))


def _both(fn):
    return fn(torch), fn(jtorch)


# ------------------------------------------------------------------ maximum / minimum ties
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shapes", [((3,), (3,)), ((24,), (24,)), ((37,), ()), ((), (20,)),
                                    ((3, 20), (20,)), ((4, 1), (1, 20)), ((2, 3, 4), (2, 3, 4)),
                                    ((3, 40), (3, 1))])
@pytest.mark.parametrize("name", ["maximum", "minimum"])
def test_minmax_signed_zero_ties(dtype, shapes, name):
    """torch's scalar loop returns the first operand at a tie, its vector loop the second."""
    xs, ys = shapes
    x86_only = max(int(np.prod(xs)), int(np.prod(ys))) >= 8
    t, j = _both(lambda m: getattr(m, name)(m.zeros(xs, dtype=getattr(m, dtype)),
                                            -m.zeros(ys, dtype=getattr(m, dtype))))
    if X86 or not x86_only:
        assert _bits(j) == _bits(t)


def test_maximum_tie_gradient_is_split():
    def run(m):
        a = m.zeros(24, requires_grad=True)
        b = m.zeros(24, dtype=m.float64, requires_grad=True)
        m.maximum(a, -b).sum().backward()
        return a.grad.tolist(), b.grad.tolist()
    assert run(jtorch) == run(torch)


# ------------------------------------------------------------------ amax / amin ties
@pytest.mark.parametrize("dim", [None, 0, -1, (0, 1)])
@pytest.mark.parametrize("name", ["amax", "amin"])
def test_amax_amin_first_zero_wins(dim, name):
    data = [[0.0, -0.0, -1e-30], [-0.0, 0.0, 1e-30], [-0.0, -0.0, 0.0]]

    def run(m):
        x = m.tensor(data)
        return getattr(x, name)() if dim is None else getattr(x, name)(dim, keepdim=True)
    t, j = _both(run)
    assert _bits(j) == _bits(t)


def test_amax_ties_share_gradient():
    def run(m):
        x = m.tensor([[0.0, -0.0, 0.0], [-0.0, -0.0, 0.0]], requires_grad=True)
        x.amax(1).sum().backward()
        return x.grad.tolist()
    assert run(jtorch) == run(torch)


# ------------------------------------------------------------------ var / std over no freedom
def test_var_over_zero_degrees_of_freedom():
    def run(m):
        a, b = m.tensor([1.0, 2.0]), m.tensor([3.0])
        return [a.var(correction=3), a.var(correction=2), b.var(), b.std(),
                a.double().var(correction=2), m.var_mean(b)[0], m.tensor([[1.0, 2.0]]).var(0)]
    with pytest.warns(UserWarning):
        t = run(torch)
    j = run(jtorch)
    for a, b in zip(j, t):
        assert _bits(a) == _bits(b)


# ------------------------------------------------------------------ pow
def test_pow_tensor_exponent_is_std_pow():
    """A tensor exponent takes std::pow (pow(-0., .5) = 0., pow(-inf, .5) = inf); a Python
    number exponent takes torch's special cases (sqrt: -0. and NaN)."""
    def run(m):
        x = m.tensor([-0.0, -INF, 4.0])
        return [m.pow(x, m.tensor([0.5, 0.5, 0.5])), m.pow(x, 0.5), m.pow(x, -0.5),
                -0.0 ** m.tensor([0.5]), m.pow(-0.0, m.tensor([0.5, 2.0])),
                m.pow(x.double(), m.tensor([0.5, -0.5, -1.0], dtype=m.float64))]
    for a, b in zip(run(jtorch), run(torch)):
        assert _bits(a, nan_sign=False) == _bits(b, nan_sign=False)


# ------------------------------------------------------------------ fmod / remainder
_VALS = [1e10, -1e10, 3e38, 1.0, -1.0, 1e-30, -1e-30, 0.5, 2.0, -0.0, 0.0, INF, -INF, 7.0]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("n", [5, 20])
@pytest.mark.parametrize("name", ["fmod", "remainder"])
def test_fmod_remainder_vector_nans(dtype, n, name):
    """torch's vector fmod gives NaN for an overflowing quotient and its own NaN signs."""
    rng = np.random.default_rng(n)
    a = rng.choice(_VALS, size=(12, n)).astype(dtype)
    b = rng.choice(_VALS, size=(12, n)).astype(dtype)
    for row in range(12):
        def run(m):
            fn = getattr(m, name)
            x, y = m.tensor(a[row]), m.tensor(b[row])
            return [fn(x, y), fn(x, float(b[row, 0]))]
        t, j = _both(run)
        if X86 or n < 8:
            for p, q in zip(j, t):
                assert _bits(p) == _bits(q), (a[row], b[row])


def test_rremainder_by_zero_nan_sign():
    def run(m):
        return 2 % m.tensor([123.456, 0.0, 0.5] + [0.0] * 21, dtype=m.float64)
    t, j = _both(run)
    if X86:
        assert _bits(j) == _bits(t)


# ------------------------------------------------------------------ preserve_format layouts
def _views(x):
    yield x.t() if x.dim() == 2 else x
    yield x.permute(*reversed(range(x.dim())))
    yield x[..., ::2]
    yield x.narrow(-1, 1, 1) if x.shape[-1] > 1 else x
    yield x.unsqueeze(0).expand(2, *x.shape)
    yield x[None, ..., ::2]


@pytest.mark.parametrize("shape", [(2, 3), (1, 1), (1, 3), (2, 0), (0, 2), (2, 3, 4), (4, 1, 3),
                                   (5,), (2, 1, 1, 3)])
def test_copies_keep_torch_layout(shape):
    """clone, to(dtype) and contiguous: preserve_format keeps a dense input's strides (size-0
    and size-1 dims' too), else dense strides in the input's dim order."""
    ops = [lambda v: v.clone(), lambda v: v.float(), lambda v: v.long(), lambda v: v.bool(),
           lambda v: v.to(v.dtype, copy=True), lambda v: v.contiguous(),
           lambda v: v.clone(memory_format=jtorch.contiguous_format if "jtorch" in
                             type(v).__module__ else torch.contiguous_format)]

    def run(m):
        x = m.arange(int(np.prod(shape)), dtype=m.float64).reshape(shape)
        return [(f(v).stride(), f(v).tolist()) for v in _views(x) for f in ops]
    assert run(jtorch) == run(torch)


def test_copy_layout_keeps_autograd():
    def run(m):
        x = m.ones(2, 3, requires_grad=True)
        y, z = x.t().clone(), x.t().double()
        (y * 2 + z).sum().backward()
        return y.grad_fn.name(), z.grad_fn.name(), y.stride(), z.stride(), x.grad.tolist()
    assert run(jtorch) == run(torch)


# ------------------------------------------------------------------ reshape's node names
def test_reshape_node_names():
    """torch views a contiguous input (ViewBackward0), _reshape_alias'es a strided one it
    can alias (ReshapeAliasBackward0) and copies otherwise (UnsafeViewBackward0)."""
    def run(m):
        x = m.zeros(2, 3, 4, requires_grad=True)
        views = [x.narrow(1, 0, 1), x.narrow(-1, 1, 1), x[:, :, ::2], x.narrow(0, 0, 1),
                 x.transpose(0, 1), x[:, 0], x[:1].expand(3, 3, 4), x.unsqueeze(1)]
        out = []
        for v in views:
            for shape in [(-1,), (v.shape[0], -1), (-1, v.shape[-1])]:
                r = v.reshape(shape)
                out.append((r.grad_fn.name(), r.stride()))
            out.append(v.flatten().grad_fn.name())
        return out
    assert run(jtorch) == run(torch)


# ------------------------------------------------------------------ max() / min() of all
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("n", [2, 3, 5, 8, 9, 12, 16, 17, 40])
def test_whole_max_min_signed_zero(dtype, n):
    """Up to one vector torch folds element by element (a later zero wins a tie); past it,
    by 32-byte lanes and then across the lanes (x86)."""
    rng = np.random.default_rng(n)
    for _ in range(8):
        data = rng.choice([0.0, -0.0, -0.0, 1.0, -1.0], size=n).astype(dtype)
        for name in ("max", "min"):
            t, j = _both(lambda m: getattr(m.tensor(data), name)())
            if X86 or n * data.itemsize < 32:
                assert _bits(j) == _bits(t), (name, data)


# ------------------------------------------------------------------ element-wise layouts
def test_elementwise_layout_edge_cases():
    """pow(number, t) is contiguous whatever t's layout; an empty result takes
    TensorIterator's strides (a 0 size multiplies into the outer ones); isinf/isfinite of an
    integral tensor is zeros_like/ones_like (preserve_format)."""
    def run(m):
        x = m.tensor([[1.0, 2.0, 3.0]], dtype=m.float64).t()
        e = m.zeros(0, 1, dtype=m.float64)
        i = m.arange(6).reshape(2, 3).t()
        ie = m.zeros(0, 2, dtype=m.int64).t()
        return [(0.5 ** x).stride(), (e - 1).stride(), (e - m.tensor([1])).stride(),
                m.isinf(i).stride(), m.isfinite(ie).stride(), m.isinf(i.double()).stride(),
                m.isnan(ie).stride()]
    assert run(jtorch) == run(torch)


# ------------------------------------------------------------------ NaN signs of sqrt and log
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", ["sqrt", "log", "log2", "log10"])
def test_sqrt_log_nan_sign(dtype, name):
    """torch's sqrt and log give +NaN below zero (copysign shows it); a NaN passes through."""
    data = np.array([-1.0, -3.0, 5.0, INF, -INF, 0.0, -0.0, NAN, -NAN] * 3, dtype=dtype)
    t, j = (r.numpy() for r in _both(lambda m: getattr(m, name)(m.tensor(data))))
    np.testing.assert_allclose(j, t, rtol=1e-6)         # (an ulp apart at most)
    signed = np.isnan(t) | (t == 0)
    assert np.signbit(j[signed]).tolist() == np.signbit(t[signed]).tolist()
    t, j = _both(lambda m: m.copysign(m.tensor([2.0, -2.0]), getattr(m, name)(m.tensor([-1.0, -4.0]))))
    assert _bits(j) == _bits(t)
