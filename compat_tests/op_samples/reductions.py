"""Records of the reductions and scans."""
import numpy as np

from .base import (B, C64, C128, F32, F64, FLOAT, FLOAT_H, I32, I64, INF, NAN, NUM, NUM_B, S,
                   U8, binary, rec, red, reduce_samples)


# ---- reductions (existing)
red("sum", lambda m, x: m.sum(x), lambda m, x, d, k=False: m.sum(x, d, k), NUM_B)
red("sum.dims", lambda m, x: x.sum((0, -1)) if x.dim() >= 2 else x.sum(0),
    lambda m, x, d, k=False: x.sum((d, (d + 1) % x.dim()) if x.dim() >= 2 else d, keepdim=k),
    FLOAT, covers=("sum",))
red("sum.dtype", lambda m, x: m.sum(x, dtype=m.float64),
    lambda m, x, d, k=False: m.sum(x, d, k, dtype=m.float64), (F32, I32), covers=("sum",))
red("nansum", lambda m, x: m.nansum(x), lambda m, x, d, k=False: m.nansum(x, d, k), NUM)
red("prod", lambda m, x: m.prod(x), lambda m, x, d, k=False: m.prod(x, d, k), NUM_B)
rec("prod.zeros", lambda m, x: (m.prod(x), m.prod(x, 1)),
    lambda g: [S("z", np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 2.0], [1.0, 2.0, 3.0]]))],
    (F64,), covers=("prod",))
red("mean", lambda m, x: m.mean(x), lambda m, x, d, k=False: m.mean(x, d, k), FLOAT_H)
rec("mean.int", lambda m, x: m.mean(x), lambda g: [S("i", g.v(3), raises=True)], (I64,),
    grad=False)
red("nanmean", lambda m, x: m.nanmean(x), lambda m, x, d, k=False: m.nanmean(x, d, k), FLOAT)
red("var", lambda m, x: m.var(x), lambda m, x, d, k=False: m.var(x, d, keepdim=k), FLOAT,
    samples=reduce_samples(empty=False))
red("var.correction", lambda m, x: m.var(x, correction=0),
    lambda m, x, d, k=False: x.var(d, unbiased=False, keepdim=k), FLOAT,
    samples=reduce_samples(empty=False), covers=("var",))
red("std", lambda m, x: m.std(x), lambda m, x, d, k=False: m.std(x, d, keepdim=k), FLOAT,
    samples=reduce_samples(empty=False))
rec("std.constant", lambda m, x: m.std(x, 1),
    lambda g: [S("const", np.array([[1.0, 1.0, 1.0], [1.0, 2.0, 3.0]]))], (F64,),
    covers=("std",))
rec("var_std.int", lambda m, x: (m.var(x), m.std(x, 0)),
    lambda g: [S("ints", g.v(3), raises=True)], (I64,), grad=False, covers=("var", "std"))
rec("var_std.complex", lambda m, x: (m.var(x, 1), m.std(x, 1), m.std(x)),
    lambda g: [S("c", g.v(3, 4))], (C64, C128), grad_dtypes=(C128,), covers=("var", "std"))
for _n in ("amax", "amin"):
    red(_n, (lambda n: lambda m, x: getattr(m, n)(x))(_n),
        (lambda n: lambda m, x, d, k=False: getattr(m, n)(x, d, k))(_n), NUM,
        samples=reduce_samples(empty=False))
    rec(_n + ".ties", (lambda n: lambda m, x: (getattr(m, n)(x), getattr(m, n)(x, 1)))(_n),
        lambda g: [S("ties", g.ties(3, 4))], (F64,), covers=(_n,))
for _n in ("max", "min"):
    red(_n, (lambda n: lambda m, x: getattr(m, n)(x))(_n),
        (lambda n: lambda m, x, d, k=False: getattr(m, n)(x, d, k))(_n), NUM_B,
        samples=reduce_samples(empty=False))
    rec(_n + ".ties", (lambda n: lambda m, x: (getattr(m, n)(x), getattr(m, n)(x, 1)))(_n),
        lambda g: [S("ties", g.ties(3, 4))], (F64,), covers=(_n,))
    rec(_n + ".binary", (lambda n: lambda m, a, b: getattr(m, n)(a, b))(_n),
        binary("ties", scalar=None), FLOAT, covers=(_n,))
for _n in ("argmax", "argmin"):
    red(_n, (lambda n: lambda m, x: getattr(m, n)(x))(_n),
        (lambda n: lambda m, x, d, k=False: getattr(m, n)(x, d, k))(_n), NUM, grad=False,
        samples=reduce_samples(empty=False))
    rec(_n + ".ties", (lambda n: lambda m, x: (getattr(m, n)(x), getattr(m, n)(x, 0)))(_n),
        lambda g: [S("ties", g.ties(3, 4))], NUM, grad=False, covers=(_n,))
for _n in ("all", "any"):
    red(_n, (lambda n: lambda m, x: getattr(m, n)(x))(_n),
        (lambda n: lambda m, x, d, k=False: getattr(m, n)(x, d, k))(_n), (F32, I64, B, U8),
        grad=False)
red("cumsum", lambda m, x: m.cumsum(x, 0), lambda m, x, d, k=False: m.cumsum(x, d), NUM_B,
    samples=reduce_samples(keepdim=False))
red("logsumexp", lambda m, x: m.logsumexp(x, (0, 1) if x.dim() == 2 else ()),
    lambda m, x, d, k=False: m.logsumexp(x, d, k), FLOAT, samples=reduce_samples(
        special=False))

# ---- reductions and scans (scans, moments, vector_norms, order_stats)
red("cumprod", lambda m, x: m.cumprod(x, 0), lambda m, x, d, k=False: m.cumprod(x, d), NUM_B,
    samples=reduce_samples(keepdim=False))
rec("cumprod.zeros", lambda m, x: m.cumprod(x, 1),
    lambda g: [S("z", np.array([[0.0, 2.0, 3.0, 2.0], [2.0, 0.0, 0.0, 2.0],
                                [1.0, 2.0, 0.0, 3.0]]))], (F64,), covers=("cumprod",))
rec("cumprod.inplace", lambda m, x: x.clone().cumprod_(0), lambda g: [S("m", g.v(3, 4))],
    FLOAT, covers=("cumprod",))
rec("cumprod.dtype", lambda m, x: m.cumprod(x, 0, dtype=m.float64),
    lambda g: [S("m", g.v(3, 4))], (F32, I32), covers=("cumprod",))
for _n in ("cummax", "cummin"):
    red(_n, (lambda n: lambda m, x: getattr(m, n)(x, 0))(_n),
        (lambda n: lambda m, x, d, k=False: getattr(m, n)(x, d))(_n), NUM_B,
        samples=reduce_samples(keepdim=False))
    rec(_n + ".ties", (lambda n: lambda m, x: getattr(x, n)(-1))(_n),
        lambda g: [S("ties", g.ties(3, 6))] + ([S("nan", np.array([1.0, 3.0, 3.0, 2.0, 3.0, NAN,
                                                                    5.0, NAN]))]
                                               if g.is_float else []), (F64, I64),
        covers=(_n,))
red("logcumsumexp", lambda m, x: m.logcumsumexp(x, 0),
    lambda m, x, d, k=False: m.logcumsumexp(x, d), FLOAT,
    samples=reduce_samples(keepdim=False))
rec("logcumsumexp.inf", lambda m, x: m.logcumsumexp(x, 0),
    lambda g: [S("neginf", np.array([-INF, -INF, 1.0, 2.0]))], (F64,))
rec("logcumsumexp.int", lambda m, x: m.logcumsumexp(x, 0), lambda g: [S("i", g.v(3),
                                                                        raises=True)],
    (I64,), grad=False)
rec("count_nonzero", lambda m, x, *d: m.count_nonzero(x, *d),
    lambda g: [S("all", g.ties(3, 4)), S("dim", g.ties(3, 4), 1), S("dims", g.ties(2, 3, 4),
                                                                    (0, 2)),
               S("neg", g.ties(3, 4), -1), S("empty", g.v(0, 3), 0),
               S("0d", np.asarray(g.ties()))], NUM_B, grad=False)
rec("aminmax", lambda m, x, *a: tuple(m.aminmax(x)) if not a else
    m.aminmax(x, dim=a[0], keepdim=a[1]),
    lambda g: [S("all", g.v(3, 4)), S("dim", g.v(3, 4), 1, False),
               S("keepdim", g.v(2, 3, 4), -1, True), S("ties", g.ties(3, 4), 0, False),
               S("0d", np.asarray(g.v())), S("empty", g.v(0, 3), raises=True)], NUM)
rec("aminmax.named", lambda m, x: m.aminmax(x), lambda g: [S("all", g.v(3, 4))], (F32,),
    covers=("aminmax",))
for _n in ("std_mean", "var_mean"):
    rec(_n, (lambda n: lambda m, x, *a: getattr(m, n)(x, *a))(_n),
        lambda g: [S("all", g.v(3, 4)), S("dim", g.v(3, 4), 1), S("dims", g.v(2, 3, 4),
                                                                   (0, 2)),
                   S("unbiased", g.v(3, 4), 1, False, True), S("bool", g.v(3, 4), False),
                   S("const", np.array([[1.0, 1.0, 1.0], [1.0, 2.0, 4.0]]), 1)], FLOAT)
    rec(_n + ".correction", (lambda n: lambda m, x: getattr(m, n)(x, 0, correction=0,
                                                                  keepdim=True))(_n),
        lambda g: [S("m", g.v(3, 4))], FLOAT, covers=(_n,))
    rec(_n + ".int", (lambda n: lambda m, x: getattr(m, n)(x))(_n),
        lambda g: [S("i", g.v(3), raises=True)], (I64,), grad=False, covers=(_n,))
rec("norm", lambda m, x, *a: m.norm(x, *a),
    lambda g: [S("all", g.v(3, 4)), S("p1", g.v(3, 4), 1), S("pinf", g.v(3, 4), INF),
               S("p3", g.v(3, 4), 3), S("pneginf", g.v(3, 4), -INF), S("p0", g.v(3, 4), 0),
               S("p05", g.pos(3, 4), 0.5), S("p15", g.v(3, 4), 1.5),
               S("fro_dim", g.v(3, 4), "fro", 1), S("dim_keep", g.v(2, 3, 4), 2, (0, 2), True),
               S("zero", np.zeros((2, 3))), S("zero_p3", np.zeros((2, 3)), 3, 1),
               S("ties_inf", g.ties(3, 4), INF, 1), S("0d", np.asarray(g.v()))], FLOAT)
rec("norm.method", lambda m, x: (x.norm(), x.norm(p=1, dim=0)), lambda g: [
    S("m", g.v(3, 4))], FLOAT, covers=("norm",))
rec("norm.nuc", lambda m, x: m.norm(x, "nuc"), lambda g: [S("m", g.v(3, 4))], FLOAT,
    covers=("norm",), tol={F32: (1e-5, 1e-5)})
rec("norm.int", lambda m, x: m.norm(x), lambda g: [S("i", g.v(3), raises=True)], (I64,),
    grad=False, covers=("norm",))
rec("dist", lambda m, a, b, *p: m.dist(a, b, *p),
    lambda g: [S("p2", g.v(3, 4), g.v(3, 4)), S("p1", g.v(3, 4), g.v(4), 1),
               S("pinf", g.v(3, 4), g.v(3, 4), INF), S("p3", g.v(3, 4), g.v(3, 1), 3),
               S("same", np.ones((2, 2)), np.ones((2, 2)))], FLOAT)
rec("kthvalue", lambda m, x, *a: m.kthvalue(x, *a),
    lambda g: [S("k2", g.v(3, 5), 2), S("dim0", g.v(4, 3), 3, 0), S("keep", g.v(2, 3, 4), 1, 1,
                                                                  True),
               S("ties", np.array([2.0, 1.0, 2.0, 1.0, 2.0]), 3),
               S("ties2", np.array([2.0, 1.0, 2.0, 1.0, 2.0]), 2),
               S("tiesmat", g.ties(4, 7), 4), S("nan", np.array([2.0, NAN, 1.0, 3.0]), 4),
               S("0d", np.asarray(g.v()), 1), S("bad_k", g.v(3), 4, raises=True)], NUM)
rec("kthvalue.method", lambda m, x: x.kthvalue(2, 0), lambda g: [S("ties", g.ties(5, 3))],
    (F64,), covers=("kthvalue",))
rec("nanmedian", lambda m, x, *a: m.nanmedian(x, *a),
    lambda g: [S("all", g.v(3, 4)), S("dim", g.v(3, 5), 1), S("keep", g.v(2, 3, 4), 0, True),
               S("ties", g.ties(4, 6), 1),
               S("0d", np.asarray(g.v()), 0)] + ([
               S("nan", np.array([[1.0, NAN, 3.0, 0.0], [NAN, NAN, NAN, NAN],
                                  [NAN, 2.0, NAN, 2.0]]), 1),
               S("nan_all", np.array([[1.0, NAN, 3.0, 0.0], [NAN, NAN, NAN, NAN]]))]
                                               if g.is_float else []), NUM)
rec("nanmedian.allnan", lambda m, x: m.nanmedian(x, 0),
    lambda g: [S(f"n{n}", np.full(n, NAN)) for n in (1, 2, 4, 7, 13)], (F64,),
    covers=("nanmedian",))
for _n in ("quantile", "nanquantile"):
    rec(_n, (lambda n: lambda m, x, q, *a, **k: getattr(m, n)(x, q, *a))(_n),
        lambda g: [S("scalar_q", g.v(3, 4), 0.3), S("q_tensor", g.v(3, 4), g.unit(3)),
                   S("dim", g.v(3, 5), 0.25, 1), S("dim_keep", g.v(2, 3, 4), g.unit(2), 0, True),
                   S("all_keep", g.v(2, 3), 0.5, None, True),
                   S("q_0d", g.v(5), np.asarray(0.6)),
                   S("ties", g.ties(3, 6), 0.5, 1), S("edges", g.v(7), g.unit(2) * 0 + 1.0),
                   S("nan", np.array([[1.0, NAN, 4.0, 2.0], [1.0, 2.0, 4.0, 8.0],
                                      [NAN, NAN, NAN, NAN]]), 0.4, 1),
                   S("bad_q", g.v(4), 1.5, raises=True)], FLOAT)
    for _mode in ("lower", "higher", "midpoint", "nearest"):
        rec(f"{_n}.{_mode}", (lambda n, mo: lambda m, x, q: getattr(m, n)(
            x, q, dim=-1, interpolation=mo))(_n, _mode),
            lambda g: [S("m", g.v(3, 5), g.unit(4)), S("ties", g.ties(2, 6), 0.5)], FLOAT,
            covers=(_n,))
rec("quantile.int", lambda m, x: m.quantile(x, 0.5), lambda g: [S("i", g.v(3), raises=True)],
    (I64,), grad=False)
