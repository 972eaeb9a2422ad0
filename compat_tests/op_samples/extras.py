"""Records of the closeness/membership tests, the new_* constructors, softmax as a torch
function, clamp_min/clamp_max, diff and friends (``jtorch/_ops/closeness.py``), and the
aliases of the table (``registry.alias``)."""
import numpy as np

from .base import (B, F32, F64, FLOAT, I32, I64, INF, NAN, NUM, NUM_B, S, binary, rec, unary)

_CLOSE = lambda g: [S("mixed", np.array([1.0, NAN, INF, 2.0, -INF, 0.0]),  # noqa: E731
                      np.array([1.0 + 1e-9, NAN, INF, 2.1, INF, 1e-9])),
                    S("near", g.v(3, 4), g.v(3, 4)),
                    S("empty", g.v(0, 2), g.v(0, 2))]
rec("isclose", lambda m, a, b: (m.isclose(a, b), m.isclose(a, b, equal_nan=True),
                                a.isclose(b, rtol=0.5, atol=0.1)), _CLOSE, (F64, F32),
    grad=False)
rec("isclose.int", lambda m, a, b: (m.isclose(a, b), m.isclose(a, b, atol=1)),
    lambda g: [S("m", g.v(3, 4), g.v(3, 4))], (I64, B), grad=False, covers=("isclose",))
rec("isclose.errors", lambda m, a, b: m.isclose(a, b.double()),
    lambda g: [S("dtype", g.v(3), g.v(3), raises=True)], (F32,), grad=False,
    covers=("isclose",))
rec("isclose.rtol", lambda m, a, b: m.isclose(a, b, rtol=-1),
    lambda g: [S("neg", g.v(3), g.v(3), raises=True)], (F32,), grad=False,
    covers=("isclose",))
rec("allclose", lambda m, a, b: (m.allclose(a, b), m.allclose(a, a), a.allclose(a + 1e-9),
                                 m.allclose(a, b, equal_nan=True)), _CLOSE, (F64,),
    grad=False)
rec("equal", lambda m, a, b: (m.equal(a, b), m.equal(a, a), a.equal(a.clone()),
                              m.equal(a, a.reshape(1, -1))),
    lambda g: [S("m", g.ties(3, 4), g.ties(3, 4)), S("nan", np.array([NAN, 1.0]),
                                                       np.array([NAN, 1.0]))], (F64, I64),
    grad=False)
rec("isin", lambda m, a, b: (m.isin(a, b), m.isin(a, b, invert=True),
                             m.isin(a, b, assume_unique=True)),
    lambda g: [S("m", g.ties(3, 4), g.ties(2)), S("empty", g.ties(0), g.ties(3)),
               S("scalar", g.ties(3, 4), 1), S("scalar_elem", 1, g.ties(4))],
    (I64, F64), grad=False)
rec("new_ctors", lambda m, a: (a.new_zeros(2, 3), a.new_ones((2,)), a.new_full((2, 2), 3),
                               a.new_tensor([[1, 2]]), a.new_zeros(2, dtype=m.int32),
                               a.new_ones(1, dtype=m.float32, requires_grad=True), a.new_empty(2, 3).shape,
                               a.new_tensor(a)),
    lambda g: [S("m", g.v(3))], (F32, I64), grad=False,
    covers=("new_zeros", "new_ones", "new_full", "new_tensor", "new_empty"))
rec("softmax.torch", lambda m, a: (m.softmax(a, 1), m.log_softmax(a, -1), a.softmax(0),
                                   a.log_softmax(dim=1), m.softmax(a, 1, dtype=m.float64)),
    lambda g: [S("m", g.v(3, 4))], FLOAT, covers=("softmax", "log_softmax"))
rec("clamp_min", lambda m, a: (m.clamp_min(a, 0.5), a.clamp_min(-1)),
    unary(), NUM)
rec("clamp_min.tensor", lambda m, a, b: m.clamp_min(a, b), binary(special=False, scalar=None),
    FLOAT, covers=("clamp_min",))
rec("clamp_min.inplace", lambda m, a: a.clone().clamp_min_(0.0), unary(nc=False), FLOAT,
    covers=("clamp_min",))
rec("clamp_max", lambda m, a: (m.clamp_max(a, 0.5), a.clamp_max(-1)),
    unary(), NUM)
rec("clamp_max.tensor", lambda m, a, b: m.clamp_max(a, b), binary(special=False, scalar=None),
    FLOAT, covers=("clamp_max",))
rec("ravel", lambda m, a: (m.ravel(a), a.ravel()), unary(special=False), NUM)
rec("diff", lambda m, a: (m.diff(a), m.diff(a, n=2, dim=0), a.diff(dim=0)),
    lambda g: [S("m", g.v(4, 5)), S("short", g.v(1, 3))], NUM_B)
rec("diff.pend", lambda m, a, p, q: m.diff(a, dim=1, prepend=p, append=q),
    lambda g: [S("m", g.v(3, 4), g.v(3, 2), g.v(3, 1))], FLOAT, covers=("diff",))
rec("diff.errors", lambda m, a: m.diff(a), lambda g: [S("0d", np.asarray(g.v()), raises=True)],
    (F32,), grad=False, covers=("diff",))
rec("msort", lambda m, a: m.msort(a), lambda g: [S("m", g.v(4, 3)), S("ties", g.ties(5, 2))],
    NUM)
rec("tri_indices", lambda m: (m.tril_indices(3, 4), m.tril_indices(4, 3, -1),
                              m.triu_indices(3, 4, 1), m.triu_indices(0, 2),
                              m.tril_indices(3, 3, dtype=m.int32)),
    lambda g: [S("m")], (I64,), grad=False, covers=("tril_indices", "triu_indices"))
rec("inf_predicates", lambda m, a: (m.isposinf(a), m.isneginf(a), m.isreal(a), a.isposinf()),
    lambda g: [S("special", g.special()), S("int", np.array([1, 2]).astype(np.int64))],
    (F64,), grad=False, covers=("isposinf", "isneginf", "isreal"))
rec("gcd_lcm", lambda m, a, b: (m.gcd(a, b), m.lcm(a, b), a.gcd(b), a.clone().lcm_(b)),
    lambda g: [S("m", np.array([12, -18, 0, 7]), np.array([8, 4, 5, 0]))], (I64, I32),
    grad=False, covers=("gcd", "lcm"))
rec("gcd.float", lambda m, a, b: m.gcd(a, b), lambda g: [S("f", g.v(2), g.v(2), raises=True)],
    (F32,), grad=False, covers=("gcd",))
rec("queries", lambda m, a: (m.is_nonzero(a[:1]), a[:1].is_nonzero(), m.is_same_size(a, a),
                             a.is_same_size(a[:1])),
    lambda g: [S("m", g.pos(3))], (F32, I64), grad=False, covers=("is_nonzero", "is_same_size"))
rec("is_nonzero.errors", lambda m, a: a.is_nonzero(),
    lambda g: [S("many", g.v(3), raises=True), S("none", g.v(0), raises=True)], (F32,),
    grad=False, covers=("is_nonzero",))
rec("aliases", lambda m, a, b: (m.clip(a, -1, 1), a.clip(max=0.5), a.clone().clip_(0, 1),
                                m.greater(a, b), a.less_equal(b), m.not_equal(a, b),
                                a.greater_equal(b), m.less(a, b), m.negative(a),
                                m.arcsin(a.clamp(-1, 1)), m.multiply(a, b)),
    lambda g: [S("m", g.v(3, 4), g.v(3, 4))], FLOAT, covers=())
rec("inplace_views", lambda m, a: (
    (a * 1).t_(), (a * 1).transpose_(0, 1), (a * 1).swapaxes_(1, 0), (a * 1).swapdims_(0, 1),
    (a * 1).unsqueeze_(1), (a * 1).unsqueeze_(-1).squeeze_(), (a * 1).unsqueeze_(0).squeeze_(0),
    (a * 1).unsqueeze_(0).squeeze_((0,))),
    lambda g: [S("m", g.v(3, 4))], FLOAT,
    covers=("t_", "transpose_", "swapaxes_", "swapdims_", "unsqueeze_", "squeeze_"))
rec("special", lambda m, x: (
    m.special.ndtr(x), m.special.log_ndtr(x), m.special.i0e(x), m.special.i1(x),
    m.special.i1e(x), m.special.erfcx(x), m.special.xlog1py(x, x * x),
    m.special.multigammaln(x.abs() + 2, 3), m.mvlgamma(x.abs() + 1, 1)),
    lambda g: [S("m", g.v(3, 4))], FLOAT, tol={F32: (2e-5, 2e-5)},
    covers=("special_ndtr", "special_log_ndtr", "special_i0e", "special_i1", "special_i1e",
            "special_erfcx", "special_xlog1py", "mvlgamma"))
rec("special_unit", lambda m, p: (m.special.ndtri(p), m.special.entr(p), m.special.entr(p - 0.5)),
    lambda g: [S("m", g.unit(3, 4))], FLOAT, tol={F32: (2e-5, 2e-5)},
    covers=("special_ndtri", "special_entr"))
rec("fft", lambda m, x: (
    m.fft.fft(x), m.fft.ifft(x, n=5), m.fft.rfft(x, norm="ortho"), m.fft.irfft(m.fft.rfft(x)),
    m.fft.hfft(x), m.fft.ihfft(x), m.fft.fft2(x), m.fft.rfftn(x), m.fft.irfft2(m.fft.rfft2(x)),
    m.fft.fftn(x, dim=(0,))),
    lambda g: [S("m", g.v(3, 4))], FLOAT, tol={F32: (1e-4, 1e-4)}, covers=("fft.fft",))
rec("unique_consecutive", lambda m, x: (
    m.unique_consecutive(x), m.unique_consecutive(x, return_inverse=True, return_counts=True),
    x.unique_consecutive(dim=0, return_counts=True)),
    lambda g: [S("runs", np.array([[1, 1], [1, 1], [2, 3], [1, 1]])), S("empty", np.zeros((0, 2)))],
    (I64, F32), grad=False, covers=("unique_consecutive",))
