"""Records of the torch.* functions added for issue 18 (``jtorch/_ops/api_math.py``,
``api_views.py``, ``api_linalg.py``, ``api_signal.py``, ``api_special.py``)."""
import numpy as np

from .base import (C128, F32, F64, FLOAT, I64, INF, NAN, In, S, Idx, binary, rec, unary)

_NO = dict(grad=False)


def _mat(g):
    return [S("mat", g.v(3, 5)), S("row", g.v(5)), S("ties", g.ties(2, 6))]


# ------------------------------------------------------------------ element-wise kernels
rec("frexp", lambda m, a: m.frexp(a), unary(), FLOAT + ("float16",), covers=("frexp",
                                                                              "api_frexp"))
rec("frexp.int", lambda m, a: m.frexp(a), lambda g: [S("int", g.v(3), raises=True)], (I64,),
    **_NO, covers=("frexp",))
rec("ldexp", lambda m, a, e: (m.ldexp(a, e), m.ldexp(a, e.neg())),
    lambda g: [S("m", g.v(3, 4), Idx(np.arange(12).reshape(3, 4) - 6)),
               S("b", g.v(3, 1), Idx(np.array([1, 2, 3, 4])))], FLOAT,
    covers=("ldexp", "api_ldexp"))
rec("ldexp_", lambda m, a, e: m.ldexp_(a.clone(), e),
    lambda g: [S("m", g.v(3, 4), Idx(np.arange(12).reshape(3, 4) - 6))], FLOAT,
    covers=("ldexp_",))
rec("complex", lambda m, a, b: m.complex(a, b), binary(scalar=None, special=False),
    FLOAT, covers=("complex", "api_complex"))
rec("complex.err", lambda m, a, b: m.complex(a, b.double()),
    lambda g: [S("dtype", g.v(3), g.v(3), raises=True)], (F32,), **_NO, covers=("complex",))
rec("polar", lambda m, a, b: m.polar(a, b),
    lambda g: [S("same", g.pos(3, 4), g.v(3, 4)), S("bcast", g.pos(3, 1), g.v(4))], FLOAT,
    covers=("polar", "api_polar"))
rec("nextafter", lambda m, a, b: (m.nextafter(a, b), m.nextafter(a, a)),
    binary(scalar=None), FLOAT, **_NO, covers=("nextafter", "api_nextafter"))
rec("igamma", lambda m, a, b: (m.igamma(a, b), m.igammac(a, b), m.special.gammainc(a, b),
                               m.special.gammaincc(a, b)),
    lambda g: [S("m", In(g.pos(3, 4), grad=False), g.pos(3, 4)),
               S("b", In(g.pos(3, 1), grad=False), g.pos(4))], FLOAT,
    covers=("igamma", "igammac", "special_gammainc", "special_gammaincc"))
rec("special.zeta", lambda m, a, b: m.special.zeta(a, b),
    lambda g: [S("m", In(g.pos(3, 4) + 1.1, grad=False), In(g.pos(3, 4), grad=False))],
    FLOAT, **_NO, covers=("special_zeta",))

# ------------------------------------------------------------------ statistics, integration
rec("cov", lambda m, a: (m.cov(a), m.cov(a, correction=0)), _mat, FLOAT,
    covers=("cov",), grad_fn=False)
rec("cov.weights", lambda m, a, f, w: m.cov(a, fweights=f, aweights=w),
    lambda g: [S("w", g.v(3, 5), Idx([1, 2, 1, 3, 1]), In(g.pos(5), grad=False))], FLOAT,
    covers=("cov",), grad_fn=False)
rec("corrcoef", lambda m, a: m.corrcoef(a), lambda g: [S("mat", g.v(3, 5))], FLOAT,
    grad_fn=False)
rec("trapezoid", lambda m, y, x: (m.trapezoid(y), m.trapezoid(y, dx=0.5, dim=0),
                                  m.trapezoid(y, x), m.trapz(y, x), m.trapz(y, dx=2.0),
                                  m.cumulative_trapezoid(y), m.cumulative_trapezoid(y, x),
                                  m.cumulative_trapezoid(y, dx=0.25, dim=0)),
    lambda g: [S("m", g.v(3, 5), np.cumsum(g.pos(5)))], FLOAT,
    covers=("trapezoid", "trapz", "cumulative_trapezoid"), grad_fn=False)
rec("gradient", lambda m, a, c: (m.gradient(a), m.gradient(a, spacing=2.0, dim=1, edge_order=2),
                                 m.gradient(a, spacing=(c,), dim=1),
                                 m.gradient(a, spacing=(c,), dim=-1, edge_order=2),
                                 m.gradient(a, spacing=[0.5, 2.0], dim=(0, 1))),
    lambda g: [S("m", g.v(3, 5), In(np.cumsum(g.pos(5)), grad=False))], FLOAT, grad_fn=False)
rec("vander", lambda m, x: (m.vander(x), m.vander(x, N=3, increasing=True),
                            m.linalg.vander(x)),
    lambda g: [S("m", g.v(4))], FLOAT + (I64,), grad_fn=False, covers=("vander",),
    xfail={(F64, "m"): "torch's own torch.vander backward raises an in-place modification "
                       "error; jtorch computes the gradient"})
rec("renorm", lambda m, a: (m.renorm(a, 2, 0, 1.5), m.renorm(a, 1, 1, 2.0)),
    lambda g: [S("m", g.v(3, 4))], FLOAT, grad_fn=False)
rec("matrix_norms", lambda m, a: (m.frobenius_norm(a, (0, 1)), m.nuclear_norm(a),
                                  m.nuclear_norm(a, True)),
    lambda g: [S("m", g.v(3, 4))], FLOAT, grad_fn=False,
    covers=("frobenius_norm", "nuclear_norm"))
rec("chain_matmul", lambda m, a, b: m.chain_matmul(a, b, a.t()),
    lambda g: [S("m", g.v(3, 4), g.v(4, 4))], FLOAT, grad_fn=False)
rec("unravel_index", lambda m, i: m.unravel_index(i, (3, 4)),
    lambda g: [S("m", Idx([0, 5, 11, -1]))], (I64,), **_NO)
rec("adjoint", lambda m, a: m.adjoint(a), lambda g: [S("m", g.v(2, 3, 4))], FLOAT + (C128,))

# ------------------------------------------------------------------ views, copies, scatters
rec("view_as_real", lambda m, a: (m.view_as_real(a), m.view_as_real_copy(a)),
    lambda g: [S("m", g.v(3, 4))], (C128,), covers=("view_as_real", "api_view_as_real",
                                                    "view_as_real_copy"))
rec("view_as_complex", lambda m, a: m.view_as_complex(a),
    lambda g: [S("m", g.v(3, 2)), S("bad", g.v(3, 3), raises=True)], FLOAT,
    covers=("view_as_complex", "api_view_as_complex"))
rec("view_as_complex_copy", lambda m, a: m.view_as_complex_copy(a),
    lambda g: [S("m", g.v(3, 2))], FLOAT, **_NO)
rec("copies", lambda m, a: (m.alias_copy(a), m.as_strided_copy(a, (2, 2), (1, 2)),
                            m.diagonal_copy(a), m.expand_copy(a[:1], (2, 4)),
                            m.narrow_copy(a, 1, 1, 2), m.permute_copy(a, (1, 0)),
                            m.select_copy(a, 0, 1), m.slice_copy(a, 1, 1, 4, 2),
                            m.split_copy(a, 2, 1), m.split_with_sizes_copy(a, [1, 3], 1),
                            m.squeeze_copy(a[:1]), m.t_copy(a), m.transpose_copy(a, 0, 1),
                            m.unbind_copy(a), m.unfold_copy(a, 1, 2, 1),
                            m.unsqueeze_copy(a, 0), m.view_copy(a, (4, 3))),
    lambda g: [S("m", g.v(3, 4))], FLOAT, grad_fn=False,
    covers=tuple(n + "_copy" for n in (
        "alias", "as_strided", "diagonal", "expand", "narrow", "permute", "select", "slice",
        "split", "split_with_sizes", "squeeze", "t", "transpose", "unbind", "unfold",
        "unsqueeze", "view")))
# torch's detach_copy of a tensor that requires grad returns one that requires grad (with a
# NotImplemented node); compared here on a tensor that does not
rec("detach_copy", lambda m, a: m.detach_copy(a), lambda g: [S("m", In(g.v(3, 4), grad=False))],
    FLOAT, **_NO)
rec("scatters", lambda m, a, s: (m.slice_scatter(a, s[:, :2], 1, 1, 4, 2),
                                 m.select_scatter(a, s[0], 0, 1),
                                 m.diagonal_scatter(a, s[0, :3])),
    lambda g: [S("m", g.v(3, 4), g.v(3, 4))], FLOAT, grad_fn=False,
    covers=("slice_scatter", "select_scatter", "diagonal_scatter"))
rec("as_strided_scatter", lambda m, a, s: m.as_strided_scatter(a, s[:2, :2], (2, 2), (1, 2)),
    lambda g: [S("m", g.v(3, 4), g.v(3, 4))], FLOAT, grad_fn=False,
    xfail={(F64, "m"): "the input's gradient through a.clone().as_strided(...).copy_(src) "
                       "is wrong (jtorch's CopySlices over an as_strided view, "
                       "_dispatch/_views; not in this file)"})
rec("as_strided_", lambda m, a: m.as_strided_(a.clone(), (2, 2), (1, 2)),
    lambda g: [S("m", g.v(3, 4))], FLOAT)
rec("splits", lambda m, a: (m.split_with_sizes(a, [1, 3], 1), m.unsafe_split(a, 2, 1),
                            m.unsafe_split_with_sizes(a, [2, 2], 1), m.unsafe_chunk(a, 2, 0)),
    lambda g: [S("m", g.v(3, 4))], FLOAT, grad_fn=False,
    covers=("split_with_sizes", "unsafe_split", "unsafe_split_with_sizes", "unsafe_chunk"))
rec("detach_fns", lambda m, a: (m.detach(a), m.detach_(a.detach().clone()), m.is_signed(a),
                                m.is_inference(a), m.is_distributed(a)),
    lambda g: [S("m", g.v(3, 4))], FLOAT + (I64, "uint8"), **_NO,
    covers=("detach", "detach_", "is_signed", "is_inference", "is_distributed"))
rec("put", lambda m, a, s: (m.put(a, m.tensor([0, -1, 3]), s),
                            m.put(a, m.tensor([1, 1, 2]), s, accumulate=True)),
    lambda g: [S("m", g.v(3, 4), g.v(3))], FLOAT, grad_fn=False)
rec("index_reduce", lambda m, a, s: tuple(
        m.index_reduce(a, 0, m.tensor([0, 0, 2]), s, r, include_self=inc)
        for r in ("prod", "mean", "amax", "amin") for inc in (True, False)),
    lambda g: [S("m", g.v(3, 4), g.v(3, 4))], FLOAT, grad=False)
rec("nonzero_static", lambda m, a: (m.nonzero_static(a, size=2),
                                    m.nonzero_static(a, size=9, fill_value=7)),
    lambda g: [S("m", g.ties(3, 2))], FLOAT + (I64,), **_NO)
rec("constructors", lambda m: (m.scalar_tensor(3), m.scalar_tensor(2, dtype=m.int64),
                               m.empty_strided((2, 3), (1, 2)).stride(),
                               m.empty_permuted((2, 3, 4), (2, 0, 1)).stride(),
                               m.range(1, 4, 0.5), m.range(0, 3, dtype=m.int64),
                               m.frombuffer(bytearray(b"\x01\x00\x00\x00\x02\x00\x00\x00"),
                                            dtype=m.int32),
                               m.frombuffer(bytearray(8), dtype=m.uint8, count=3, offset=2)),
    lambda g: [S("m")], (F64,), **_NO,
    covers=("scalar_tensor", "empty_strided", "empty_permuted", "range", "frombuffer"))

# ------------------------------------------------------------------ linear algebra
def _square(g):
    return g.v(4, 4) + 6 * np.eye(4)


rec("lu", lambda m, a, b: (m.linalg.lu_factor(a), m.lu(a), m.lu(a, get_infos=True),
                           m.lu_unpack(*m.linalg.lu_factor(a)), m.linalg.lu(a),
                           m.lu_solve(b, *m.linalg.lu_factor(a)),
                           m.linalg.lu_solve(*m.linalg.lu_factor(a), b),
                           m.linalg.lu_factor_ex(a)),
    lambda g: [S("m", _square(g), g.v(4, 2))], FLOAT, grad=False,
    covers=("lu", "lu_unpack", "lu_solve", "api_lu_factor"))
rec("triangular", lambda m, a, b: (m.triangular_solve(b, a.triu()),
                                   m.triangular_solve(b, a.tril(), upper=False,
                                                      transpose=True),
                                   m.cholesky_solve(b, m.linalg.cholesky(a @ a.mT)),
                                   m.cholesky_solve(b, m.linalg.cholesky(a @ a.mT).mT,
                                                    upper=True),
                                   m.cholesky_inverse(m.linalg.cholesky(a @ a.mT))),
    lambda g: [S("m", _square(g), g.v(4, 2))], FLOAT, grad_fn=False,
    covers=("triangular_solve", "cholesky_solve", "cholesky_inverse"))
rec("householder", lambda m, a, t: (m.linalg.householder_product(a, t), m.orgqr(a, t)),
    lambda g: [S("m", g.v(4, 3), g.unit(3))], FLOAT,
    covers=("api_householder_product", "orgqr"))
rec("geqrf", lambda m, a, b: (m.geqrf(a), m.ormqr(*m.geqrf(a), b),
                              m.ormqr(*m.geqrf(a), b, transpose=True),
                              m.ormqr(*m.geqrf(a[:, :3]), b.mT, left=False)),
    lambda g: [S("m", _square(g), g.v(4, 2))], FLOAT, grad=False,
    covers=("geqrf", "api_geqrf", "ormqr"))
def _lowrank(m, fn, *args, **kwargs):
    # singular vectors are compared up to their sign (the SVD's choice), as U diag(S) V^H
    m.manual_seed(5)
    U, S, V = fn(*args, **kwargs)
    return S, (U * S.unsqueeze(-2)) @ V.mH, U.abs(), V.abs()


rec("lowrank", lambda m, a: (_lowrank(m, m.svd_lowrank, a, q=3),
                             _lowrank(m, m.svd_lowrank, a.mT, q=4, niter=1),
                             _lowrank(m, m.svd_lowrank, a, M=a.mean(0)),
                             _lowrank(m, m.pca_lowrank, a),
                             _lowrank(m, m.pca_lowrank, a, q=2, center=False)),
    lambda g: [S("m", g.v(8, 5))], FLOAT, grad=False, tol={F32: (1e-4, 1e-5)},
    covers=("svd_lowrank", "pca_lowrank"))
for _name in ("eig", "lstsq", "solve", "symeig", "matrix_rank"):
    rec(f"removed.{_name}", (lambda n: lambda m, a: getattr(m, n)(a, a) if n in (
        "lstsq", "solve") else getattr(m, n)(a))(_name),
        lambda g: [S("m", g.v(2, 2), raises=True)], (F64,), **_NO, covers=(_name,))
del _name

# ------------------------------------------------------------------ signal
rec("windows", lambda m: tuple(
        f(n, p, dtype=d) for f in (m.hann_window, m.hamming_window, m.blackman_window,
                                   m.bartlett_window, m.kaiser_window)
        for n in (0, 1, 5, 8) for p in (True, False) for d in (m.float32, m.float64)),
    lambda g: [S("m")], (F64,), **_NO,
    covers=("hann_window", "hamming_window", "blackman_window", "bartlett_window",
            "kaiser_window"))
rec("windows.err", lambda m: m.hann_window(4, dtype=m.int64), lambda g: [S("m", raises=True)],
    (F64,), **_NO, covers=("hann_window",))
rec("stft", lambda m, x, w: (m.stft(x, 16, 4, window=w, return_complex=True),
                             m.stft(x, 16, window=w, center=False, return_complex=True,
                                    normalized=True),
                             m.stft(x[0], 16, 8, window=w[4:12], win_length=8,
                                    return_complex=False, onesided=False)),
    lambda g: [S("m", g.v(2, 64), g.unit(16))], FLOAT, grad_fn=False)
rec("istft", lambda m, x, w: m.istft(m.stft(x, 16, 4, window=w, return_complex=True), 16, 4,
                                     window=w, length=60),
    lambda g: [S("m", g.v(2, 64), In(g.unit(16) + 0.5, grad=False))], FLOAT, grad_fn=False)
rec("histogram", lambda m, a, w: (m.histogram(a, 4), m.histogram(a, 3, range=(-1.0, 1.0)),
                                  m.histogram(a, m.tensor([-2.0, 0.0, 0.5, 3.0],
                                                          dtype=a.dtype),
                                              weight=w, density=True),
                                  m.histogramdd(a.reshape(-1, 2), [3, 2]),
                                  m.histogramdd(a.reshape(-1, 2), 2, weight=w[:6],
                                                density=True)),
    lambda g: [S("m", g.v(12), g.pos(12)), S("const", np.full(12, 2.0), g.pos(12))], FLOAT,
    **_NO, covers=("histogram", "histogramdd"))

# ------------------------------------------------------------------ torch.special
_X = np.concatenate([np.linspace(-12, 12, 49), [0.0, 1e-6, 2.0, 5.0, -2.09, 2.09, 8.5, 110.0,
                                                INF, -INF, NAN]])
for _name in ("airy_ai", "bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1",
              "modified_bessel_i0", "modified_bessel_i1", "modified_bessel_k0",
              "modified_bessel_k1", "scaled_modified_bessel_k0", "scaled_modified_bessel_k1",
              "spherical_bessel_j0"):
    rec(f"special.{_name}", (lambda n: lambda m, a: getattr(m.special, n)(a))(_name),
        lambda g: [S("grid", _X), S("mat", g.v(3, 4)), S("int", Idx([0, 1, 2, 7]))],
        FLOAT, tol={F32: (2e-6, 2e-6)}, covers=("special_" + _name,))
_PX = np.array([-1.0, -0.7, -0.3, 0.0, 0.2, 0.5, 0.9, 1.0, 1.5, 3.0])
for _name in ("chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v",
              "chebyshev_polynomial_w", "shifted_chebyshev_polynomial_t",
              "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
              "shifted_chebyshev_polynomial_w", "hermite_polynomial_h",
              "hermite_polynomial_he", "laguerre_polynomial_l", "legendre_polynomial_p"):
    rec(f"special.{_name}", (lambda n: lambda m, x, k: (getattr(m.special, n)(x, k),
                                                        getattr(m.special, n)(x, 3),
                                                        getattr(m.special, n)(0.5, k)))(_name),
        lambda g: [S("grid", _PX.reshape(-1, 1), Idx(np.arange(-1, 12)))], FLOAT,
        tol={F32: (1e-4, 1e-4)}, covers=("special_" + _name,))
del _name


# ------------------------------------------------------------------ random
def _poisson(m, rates):
    m.manual_seed(11)
    return m.poisson(rates), m.rand(2)


rec("poisson", _poisson,
    lambda g: [S("m", np.array([[0.0, 0.5, 3.0, 9.9], [10.0, 25.5, 300.0, 2e4]])),
               S("pos", g.pos(3, 4)), S("empty", g.pos(0, 2)),
               S("neg", np.array([1.0, -1.0]), raises=True)], FLOAT,
    covers=("poisson", "api_poisson"))


def _binomial(m, count, prob):
    m.manual_seed(12)
    return m.binomial(count, prob), m.rand(2)


rec("binomial", _binomial,
    lambda g: [S("m", np.array([[0.0, 5.0, 40.0, 100.0], [1000.0, 3.0, 20.0, 500.0]]),
                 np.array([0.3, 0.5, 0.05, 0.97])),
               S("edges", np.array([5.0, 5.0, 5.0, 0.0]), np.array([0.0, 1.0, 1.5, 0.5])),
               S("int", Idx([5, 3]), np.array([0.5, 0.5]), raises=True)], FLOAT,
    covers=("binomial", "api_binomial"))
