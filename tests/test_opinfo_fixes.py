"""The value fixes of the OpInfo pass (issue 18) against torch: dtypes, values, gradients and
errors of each fixed op, plus the new fft.hfft2/hfftn/ihfft2/ihfftn, native_*_norm and
linalg.ldl_* functions."""
import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same, assert_same_error

torch = pytest.importorskip("torch")
LIBS = (torch, jtorch)
R = np.random.default_rng(7)
A55 = R.standard_normal((5, 5))


def _both(fn, *arrays, grad=False, dtype="float64"):
    """fn(m, *tensors) for torch and jtorch; returns [(outputs, grads)] per library."""
    res = []
    for m in LIBS:
        ts = [m.tensor(a, dtype=getattr(m, dtype)) if isinstance(a, np.ndarray) else a
              for a in arrays]
        if grad:
            for t in ts:
                if isinstance(t, m.Tensor):
                    t.requires_grad_(True)
        out = fn(m, *ts)
        outs = out if isinstance(out, tuple) else (out,)
        grads = ()
        if grad:
            loss = sum(_real((o * m.linspace(0.5, 1.5, o.numel(), dtype=m.float64)
                              .to(o.dtype).reshape(o.shape)).sum())
                       for o in outs if o.requires_grad)
            leaves = [t for t in ts if isinstance(t, m.Tensor)]
            grads = m.autograd.grad(loss, leaves, allow_unused=True)
        res.append((outs, grads))
    return res


def _real(t):
    return t.real if t.is_complex() else t


def _check(fn, *arrays, grad=False, dtype="float64", rtol=1e-7, atol=1e-9):
    (to, tg), (jo, jg) = _both(fn, *arrays, grad=grad, dtype=dtype)
    assert len(to) == len(jo)
    for t, j in zip(to, jo):
        assert_same(j, t, rtol=rtol, atol=atol)
        assert j.requires_grad == t.requires_grad
    for t, j in zip(tg, jg):
        if t is None:
            assert j is None or not j.abs().sum().item()
        else:
            assert_same(j, t.resolve_conj(), rtol=rtol, atol=atol)


def test_square_and_sum_to_size_dtypes():
    b = np.array([True, False, True])
    _check(lambda m, x: (m.square(x), x.sum_to_size(1), x.sum_to_size(3)), b, dtype="bool")
    _check(lambda m, x: x.sum_to_size(()), np.array(True), dtype="bool")
    _check(lambda m, x: m.square(x), np.array([3, -2]), dtype="int8")


def test_cov_corrcoef_integers():
    x = np.array([[1, 2, 4, 7], [3, 5, 9, 2]])
    _check(lambda m, t: (m.cov(t), m.corrcoef(t), m.cov(t[0])), x, dtype="int64", rtol=1e-6)
    assert_same_error(lambda m: m.cov(m.tensor([[True, False]])), LIBS)


def test_gradient_spacing_none():
    _check(lambda m, x: m.gradient(x, spacing=None, dim=None, edge_order=2), A55, grad=True)


def test_vander_zero_dim_and_n():
    _check(lambda m, x: m.linalg.vander(x, N=3), np.array(2.5))
    assert_same_error(lambda m: m.linalg.vander(m.tensor([2.0]), N=1), LIBS)


def test_det_empty():
    _check(lambda m, x: (m.linalg.det(x), m.det(x)), np.zeros((0, 0)), grad=True)
    _check(lambda m, x: m.linalg.det(x), np.zeros((3, 0, 0)))


def test_multi_margin_zero_dim():
    for p in (1, 2):
        _check(lambda m, x: m.nn.functional.multi_margin_loss(x, m.tensor(0), p=p),
               np.array(0.5), grad=True)


def test_replicate_negative_pad():
    x = R.standard_normal((2, 3, 4, 4))
    for pad in ((-4, 5, 0, 0), (0, 0, 2, -4), (5, -4, -4, 3), (-1, -1, 1, 2)):
        _check(lambda m, t: m.nn.functional.pad(t, pad, mode="replicate"), x, grad=True)


def test_tensordot_size_one_broadcast():
    a, b = R.standard_normal((1, 1, 1)), R.standard_normal((2, 1, 2))
    _check(lambda m, x, y: m.tensordot(x, y, dims=([0, 1], [2, 0])), a, b, grad=True)
    _check(lambda m, x, y: m.tensordot(y, x, dims=([2, 0], [0, 1])), a, b, grad=True)
    assert_same_error(lambda m: m.tensordot(m.ones(2, 3), m.ones(3, 3), dims=([0], [0])),
                      LIBS)


def test_solve_left_false_and_lu_solve():
    a, b = A55 + 5 * np.eye(5), R.standard_normal((3, 5))
    _check(lambda m, x, y: m.linalg.solve(x, y, left=False), a, b, grad=True)
    for adjoint in (False, True):
        _check(lambda m, x, y: m.linalg.lu_solve(*m.linalg.lu_factor(x), y, left=False,
                                                 adjoint=adjoint), a, b, grad=True)


def test_pinv_tolerances_and_hermitian():
    a = R.standard_normal((2, 4, 3))
    atol = np.array([0.5, 1.0])
    _check(lambda m, x, t: m.linalg.pinv(x, atol=t), a, atol)
    _check(lambda m, x: m.linalg.pinv(x, rtol=m.tensor(0.3, dtype=m.float64)), a, grad=True)
    _check(lambda m, x: (m.linalg.pinv(x, atol=0.2, rtol=0.1), m.pinverse(x, 0.2)), a,
           grad=True)
    _check(lambda m, x: m.linalg.pinv(x, hermitian=True), A55, grad=True)
    _check(lambda m, x: m.linalg.pinv(x), np.zeros((3, 0)))


def test_index_put_bool_mask():
    mask = np.array([True, True, False, True, False])
    for acc in (False, True):
        _check(lambda m, x, v: x.index_put((m.tensor(mask),), v, accumulate=acc), A55,
               R.standard_normal(5), grad=True)
    _check(lambda m, x: x.index_put((m.tensor([0, 0]),), m.tensor([True, True]),
                                    accumulate=True), np.zeros(3, bool), dtype="bool")
    assert_same_error(lambda m: m.zeros(5, 5).index_put((m.tensor([0, 1]),
                                                         m.tensor([True, False])),
                                                        m.tensor(1.0)), LIBS)


def test_nextafter_gradient():
    _check(lambda m, x, y: m.nextafter(x, y), R.standard_normal((3, 1)),
           R.standard_normal(4), grad=True)


def test_random_draws_require_grad():
    mean, std = R.standard_normal(4), np.abs(R.standard_normal(4))
    res = []
    for m in LIBS:
        m.manual_seed(3)
        mu = m.tensor(mean, requires_grad=True)
        sd = m.tensor(std, requires_grad=True)
        outs = (m.normal(mu, sd), m.normal(mu, 1.0), m.normal(0.0, sd),
                m.bernoulli(mu.sigmoid()))
        res.append((outs, [o.grad_fn.name() for o in outs],
                    m.autograd.grad(sum(o.sum() for o in outs), [mu, sd])))
    (to, tn, tg), (jo, jn, jg) = res
    assert tn == jn
    for t, j in zip(to + tuple(tg), jo + tuple(jg)):
        assert_same(j, t)
    assert not jtorch.normal(jtorch.zeros(2), 1.0).requires_grad


def test_max_unpool_repeated_indices_gradient():
    x = R.standard_normal((1, 1, 4))
    _check(lambda m, t: m.nn.functional.max_unpool1d(t, m.tensor([[[0, 0, 1, 1]]]), 2), x,
           grad=True)
    x2 = R.standard_normal((1, 2, 2, 2))
    idx = [[[[0, 0], [5, 5]], [[1, 2], [2, 3]]]]
    _check(lambda m, t: m.nn.functional.max_unpool2d(t, m.tensor(idx), 2), x2, grad=True)


@pytest.mark.parametrize("ord", [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, float("inf"), float("-inf")])
def test_vector_norm_subgradients(ord):
    x = np.array([[0.0, 1.0, -2.0, 0.0, 2.0], [0.0, 0.0, 0.0, 0.0, 0.0]])
    _check(lambda m, t: (m.linalg.vector_norm(t, ord, 1), m.linalg.vector_norm(t, ord)), x,
           grad=True)
    _check(lambda m, t: m.linalg.vector_norm(t, ord, 0), np.array(-1.5), grad=True)


def test_vector_norm_complex_gradient():
    z = np.array([1 + 1j, 0j, -2 + 0.5j])
    for ord in (1.0, 2.0, 3.0, float("inf")):
        _check(lambda m, t: m.linalg.vector_norm(t, ord), z, grad=True, dtype="complex128")


def test_polygamma_zeta_negative():
    x = np.array([-8.478374, -1.5, -2.0, -0.3, 0.0, 1e-3, 3.5, np.inf, -np.inf, np.nan])
    for n in (0, 1, 2, 3, 5):
        _check(lambda m, t: m.polygamma(n, t), x, rtol=1e-10)
        _check(lambda m, t: m.polygamma(n, t), x, dtype="float32", rtol=1e-5)
    q = np.array([-1.5, -2.0, 0.0, 1.0, 0.3, 100.0, np.inf])
    _check(lambda m, s, t: m.special.zeta(s, t), np.array([[2.0], [3.0], [2.5], [1.0]]), q,
           rtol=1e-10)
    # torch has no derivative in the first argument
    _check(lambda m, s, t: m.special.zeta(s.detach(), t), np.array([2.0, 3.0]),
           np.array([0.5, 2.0]), grad=True)


def test_sub_bool_errors():
    for make in (lambda m: m.tensor([True]) - 0.5, lambda m: 0.5 - m.tensor([True]),
                 lambda m: m.tensor([1.0]) - True, lambda m: m.tensor([True]) - True,
                 lambda m: m.tensor([True]) - m.tensor([False])):
        assert_same_error(make, LIBS)


@pytest.mark.parametrize("name", ["hfft2", "hfftn", "ihfft2", "ihfftn"])
def test_hermitian_fft_nd(name):
    real = name.startswith("i")
    x = R.standard_normal((3, 4, 5)) + (0 if real else 1j * R.standard_normal((3, 4, 5)))
    dtype = "float64" if real else "complex128"
    for kw in ({}, {"s": (4, 6)}, {"dim": (0, 2), "norm": "ortho"},
               {"s": (2, 3, 4), "norm": "forward"}):
        if name.endswith("2") and len(kw.get("s", ())) == 3:
            continue   # the 2-D transforms take two sizes
        _check(lambda m, t: getattr(m.fft, name)(t, **kw), x, grad=True, dtype=dtype)
    if real:
        assert_same_error(lambda m: getattr(m.fft, name)(m.ones(2, 2, dtype=m.complex64)),
                          LIBS)


def test_native_norms():
    x = R.standard_normal((3, 4, 5))
    w, b = R.standard_normal(4), R.standard_normal(4)
    _check(lambda m, t, g, h: m.native_batch_norm(t, g, h, m.zeros(4, dtype=m.float64),
                                                  m.ones(4, dtype=m.float64), True, 0.1,
                                                  1e-5), x, w, b, grad=True)
    _check(lambda m, t: m.native_batch_norm(t, None, None, m.zeros(4, dtype=m.float64),
                                            m.ones(4, dtype=m.float64), False, 0.1, 1e-5),
           x, grad=True)
    _check(lambda m, t: m.native_layer_norm(t, [4, 5], None, None, 1e-5), x, grad=True)
    _check(lambda m, t, g, h: m.native_group_norm(t, g, h, 3, 4, 5, 2, 1e-5), x, w, b,
           grad=True)
    stats = []
    for m in LIBS:
        rm, rv = m.zeros(4, dtype=m.float64), m.ones(4, dtype=m.float64)
        m.native_batch_norm(m.tensor(x), None, None, rm, rv, True, 0.3, 1e-5)
        stats.append((rm, rv))
    assert_same(stats[1][0], stats[0][0])
    assert_same(stats[1][1], stats[0][1])


@pytest.mark.parametrize("dtype", ["float64", "complex128"])
def test_ldl(dtype):
    a = R.standard_normal((2, 6, 6)) + (1j * R.standard_normal((2, 6, 6)) if "c" in dtype
                                         else 0)
    a = a + np.swapaxes(a, -1, -2)
    a[1, 0, :] = a[1, :, 0] = 0.0          # a zero pivot column
    b = R.standard_normal((6, 3))
    hermitians = (False, True) if "c" in dtype else (False,)
    for herm in hermitians:
        _check(lambda m, t: tuple(m.linalg.ldl_factor_ex(t, hermitian=herm)), a, dtype=dtype)
        _check(lambda m, t, y: m.linalg.ldl_solve(*m.linalg.ldl_factor(t[0], hermitian=herm),
                                                  y.to(t.dtype), hermitian=herm), a, b,
               dtype=dtype)
    _check(lambda m, t: tuple(m.linalg.ldl_factor(t)), np.zeros((0, 0)))
    for make in (lambda m: m.linalg.ldl_factor(m.ones(3, 4)),
                 lambda m: m.linalg.ldl_factor(m.ones(3)),
                 lambda m: m.linalg.ldl_factor(m.ones(3, 3, dtype=m.int64)),
                 lambda m: m.linalg.ldl_solve(m.eye(3), m.ones(3, dtype=m.int32), m.ones(3))):
        assert_same_error(make, LIBS)
    assert type(jtorch.linalg.ldl_factor(jtorch.eye(2))).__name__ == "linalg_ldl_factor"


def test_complex_logaddexp_and_logcumsumexp():
    a = R.standard_normal((4, 3)) * 5 + 1j * R.standard_normal((4, 3)) * 4
    b = R.standard_normal((4, 3)) * 5 + 1j * R.standard_normal((4, 3)) * 4
    edges = np.array([complex(-np.inf, 1), complex(np.inf, 1), complex(np.nan, 0), 2 + 3j])
    _check(lambda m, x, y: m.logaddexp(x, y), a, b, grad=True, dtype="complex128")
    _check(lambda m, x, y: m.logaddexp(x, y), edges, edges[::-1].copy(), dtype="complex128")
    for d in (0, 1):
        _check(lambda m, x: m.logcumsumexp(x, d), a, grad=True, dtype="complex128")
    _check(lambda m, x: m.logcumsumexp(x, 0), a, dtype="complex64", rtol=1e-5, atol=1e-5)


# ------------------------------------------------------------------ second pass (issue 18)
def test_complex_random_draws_fill_the_real_view():
    """torch draws a complex tensor as its real view: (re, im) pairs in memory order, the
    normal's std divided by sqrt(2) per part."""
    def draws(m):
        out = []
        for dt in (m.complex64, m.complex128):
            m.manual_seed(3)
            out += [m.randn(5, dtype=dt), m.rand(2, 3, dtype=dt), m.randn(20, dtype=dt)]
            like = m.zeros(4, 2, dtype=dt)
            out += [m.rand_like(like), m.randn_like(like)]
            out += [m.empty(7, dtype=dt).uniform_(-2, 3), m.empty(9, dtype=dt).normal_(1, 4),
                    m.empty(18, dtype=dt).normal_(-1, 0.5)]
        return out
    for j, t in zip(draws(jtorch), draws(torch)):
        # complex64 bit-exact; float64 draws with a scale (complex128's parts, as real
        # float64 tensors) may differ from torch's in the last bit: not a complex matter
        tol = 0 if j.dtype == jtorch.complex64 else 1e-15
        assert_same(j, t, rtol=tol, atol=tol)


def test_unsafe_masked_index_and_put():
    x = R.standard_normal((5, 5))
    mask = np.array([[True, False, True, True, False]] * 3)
    rows = np.array([[1], [7], [0]])           # 7: out of range, read clamped then masked
    cols = np.array([[4, 2, 5, 0, 9]])
    vals = R.standard_normal((3, 5))

    def index(m, t, v):
        idx = [m.tensor(rows), m.tensor(cols)]
        mk = m.tensor(mask)
        return (m._unsafe_masked_index(t, mk, idx, -2.5),
                m._unsafe_masked_index_put_accumulate(t, mk, idx, v))
    _check(index, x, vals, grad=True)


def test_chunk_cat():
    a, b = R.standard_normal((2, 3, 5)), R.standard_normal((2, 3, 2))
    for dim, chunks in ((-1, 2), (2, 3), (1, 2), (0, 3)):
        fn = (lambda m, s, t: m._chunk_cat([s, t], dim, chunks)) if dim == 2 or dim == -1 \
            else (lambda m, s, t: m._chunk_cat([s, s * 2], dim, chunks))
        _check(fn, a, b)


def test_segment_reduce():
    data = R.standard_normal((2, 6, 3))
    lengths = np.array([[2, 0, 3, 1], [0, 6, 0, 0]])
    for reduce in ("sum", "mean", "max", "min", "prod"):
        for initial in (None, 0.5):
            _check(lambda m, d: m.segment_reduce(d, reduce, lengths=m.tensor(lengths),
                                                 axis=1, initial=initial), data, grad=True)
            offsets = np.concatenate([[0], np.cumsum(lengths[0])])
            _check(lambda m, d: m._segment_reduce(d[0], reduce, offsets=m.tensor(offsets),
                                                  initial=initial), data, grad=True)


def test_hash_tensor():
    x = R.standard_normal((3, 4))
    for dtype in ("float32", "float64", "int64", "int8", "bool"):
        for kw in ({}, {"dim": 1}, {"dim": (0,), "keepdim": True}, {"dim": ()}):
            _check(lambda m, t: m.hash_tensor(t, **kw), x * 3, dtype=dtype)
    _check(lambda m, t: m.hash_tensor(t, dim=0), np.array(-1.5), dtype="float16")


def test_linalg_eig_gradient():
    a = R.standard_normal((2, 4, 4))

    def eig(m, t):
        w, v = m.linalg.eig(t)
        # the eigenvectors' phase is free: compare a gauge-invariant function of them
        return w, (v * v[..., :1, :].conj()).abs()
    _check(eig, a, grad=True, rtol=1e-6, atol=1e-8)
    _check(lambda m, t: tuple(m.linalg.eig(t)), np.zeros((0, 0)))
