"""Records of the matmul family and linalg, sorting and selection, indexing, gather/scatter."""
import numpy as np

from .base import (F16, F32, F64, FLOAT, I32, I64, INF, Idx, In, Mask, NAN, NUM, NUM_B, S,
                   U8, rec)


# ---- matmul family, linalg (existing)
rec("matmul", lambda m, a, b: m.matmul(a, b),
    lambda g: [S("mm", g.v(3, 4), g.v(4, 2)), S("mv", g.v(3, 4), g.v(4)), S("vm", g.v(4),
                                                                         g.v(4, 2)),
               S("dot", g.v(4), g.v(4)), S("batched", g.v(2, 3, 4), g.v(4, 2)),
               S("bcast", g.v(2, 1, 3, 4), g.v(3, 4, 2))], NUM, covers=("matmul",))
rec("matmul.dunder", lambda m, a, b: a @ b, lambda g: [S("mm", g.v(3, 4), g.v(4, 2))], FLOAT,
    covers=("matmul",))
rec("mm", lambda m, a, b: m.mm(a, b), lambda g: [S("m", g.v(3, 4), g.v(4, 2)),
                                                 S("empty", g.v(0, 4), g.v(4, 2))], NUM)
rec("bmm", lambda m, a, b: m.bmm(a, b), lambda g: [S("m", g.v(2, 3, 4), g.v(2, 4, 2))], NUM)
rec("dot", lambda m, a, b: m.dot(a, b), lambda g: [S("m", g.v(4), g.v(4))], NUM)
rec("mv", lambda m, a, b: m.mv(a, b), lambda g: [S("m", g.v(3, 4), g.v(4))], NUM)
rec("addmm", lambda m, a, b, c: m.addmm(a, b, c, beta=0.5, alpha=2),
    lambda g: [S("m", g.v(3, 2), g.v(3, 4), g.v(4, 2)), S("bcast", g.v(2), g.v(3, 4),
                                                         g.v(4, 2))], FLOAT)


def _spd(g, n):
    a = g.v(n, n)
    return a @ a.T + n * np.eye(n)


rec("linalg.det_inv", lambda m, a: (m.linalg.det(a), m.linalg.inv(a)),
    lambda g: [S("m", _spd(g, 3)), S("batch", np.stack([_spd(g, 3), _spd(g, 3)]))], FLOAT,
    covers=("linalg_det", "linalg_inv"), tol={F32: (1e-4, 1e-5)})
rec("linalg.solve", lambda m, a, b: m.linalg.solve(a, b),
    lambda g: [S("vec", _spd(g, 3), g.v(3)), S("mat", _spd(g, 3), g.v(3, 2))], FLOAT,
    covers=("linalg_solve",), tol={F32: (1e-4, 1e-5)})
rec("linalg.eigh", lambda m, a: m.linalg.eigh(a).eigenvalues, lambda g: [S("m", _spd(g, 3))],
    FLOAT, covers=("linalg_eigh",), tol={F32: (1e-4, 1e-5)})
rec("linalg.eig", lambda m, a: (m.linalg.eigvals(a).real.sort().values,
                                m.linalg.eig(a).eigenvalues.abs().sort().values),
    lambda g: [S("m", _spd(g, 3))], FLOAT, covers=("linalg_eig", "linalg_eigvals"),
    grad=False, tol={F32: (1e-4, 1e-5)})
rec("linalg.svdvals", lambda m, a: m.linalg.svdvals(a), lambda g: [S("m", g.v(3, 4))], FLOAT,
    covers=("linalg_svd",), tol={F32: (1e-4, 1e-5)})
rec("linalg.qr", lambda m, a: m.linalg.qr(a).R.abs(), lambda g: [S("m", _spd(g, 3))], FLOAT,
    covers=("linalg_qr",), grad=False, tol={F32: (1e-4, 1e-5)})
rec("linalg.cholesky", lambda m, a: m.linalg.cholesky(a), lambda g: [S("m", _spd(g, 3))],
    FLOAT, covers=("linalg_cholesky",), tol={F32: (1e-4, 1e-5)})
rec("linalg.vector_norm", lambda m, a, *o: m.linalg.vector_norm(a, *o),
    lambda g: [S("p2", g.v(3, 4)), S("p1", g.v(3, 4), 1), S("pinf", g.v(3, 4), INF),
               S("p3", g.v(3, 4), 3)], FLOAT, covers=("linalg_vector_norm",))

# ---- sorting and selection (existing)
rec("sort", lambda m, a, *k: m.sort(a, *k),
    lambda g: [S("m", g.v(3, 5)), S("dim0", g.v(3, 5), 0), S("desc", g.ties(3, 5), -1, True),
               S("ties", g.ties(4, 6)), S("0d", np.asarray(g.v())), S("empty", g.v(0, 3))],
    NUM_B)
rec("argsort", lambda m, a: (m.argsort(a), a.argsort(0, descending=True)),
    lambda g: [S("ties", g.ties(4, 5))], NUM)
rec("topk", lambda m, a, k, *o: m.topk(a, k, *o),
    lambda g: [S("m", g.v(3, 5), 2), S("small", g.v(3, 5), 3, -1, False),
               S("dim0", g.ties(4, 3), 2, 0), S("bad_k", g.v(3), 4, raises=True)], NUM)
rec("median", lambda m, a, *d: m.median(a, *d),
    lambda g: [S("all", g.v(3, 5)), S("dim", g.v(3, 5), 1), S("ties", g.ties(4, 6), 1),
               S("keep", g.v(2, 3, 4), 0, True)], NUM)
rec("mode", lambda m, a, *d: m.mode(a, *d),
    lambda g: [S("ties", g.ties(3, 7)), S("dim0", g.ties(5, 3), 0)], NUM)
rec("nonzero", lambda m, a: (m.nonzero(a), m.nonzero(a, as_tuple=True), m.argwhere(a)),
    lambda g: [S("m", g.ties(3, 4)), S("0d", np.asarray(g.ties())), S("empty", g.v(0, 3))],
    NUM_B, grad=False, covers=("nonzero", "argwhere"))
rec("unique", lambda m, a: (m.unique(a), m.unique(a, return_inverse=True, return_counts=True)),
    lambda g: [S("m", g.ties(3, 4))], NUM_B, grad=False)

# ---- indexing (existing)
rec("getitem", lambda m, a, i: (a[1], a[:, 1:3], a[..., None], a[i], a[a > 0], a[[0, 2]]),
    lambda g: [S("m", g.v(3, 4), Idx([2, 0]))], (F32, F64, I64), covers=("index",))
rec("index_put", lambda m, a, i, v: (m.index_put(a, (i,), v), a.clone().index_put_((i,), v,
                                                                                 True)),
    lambda g: [S("m", g.v(3, 4), Idx([2, 0]), g.v(4))], FLOAT, covers=("index_put",
                                                                        "index_put_"))
rec("setitem", lambda m, a, v: _setitem(a, v),
    lambda g: [S("m", g.v(3, 4), g.v(4))], FLOAT, covers=("index",))


def _setitem(a, v):
    b = a.clone()
    b[1] = v
    b[:, 0] = 0
    return b


# ---- gather/scatter and the index_* and masked_* families (gather_scatter.py, index_slices.py, masked_ops.py)
def _idx_along(g, shape, dim, high):
    return g.rng.randint(0, high, shape).astype(np.int64)


def _perm_index(g, n_src, shape_src, dim, size):
    """Index without duplicates along ``dim`` (scatter's writes are then well defined)."""
    out = np.zeros(shape_src, np.int64)
    moved = np.moveaxis(out, dim, -1)
    for pos in np.ndindex(moved.shape[:-1]):
        moved[pos] = g.rng.permutation(size)[:moved.shape[-1]]
    return np.moveaxis(moved, -1, dim).copy()


rec("gather", lambda m, a, d, i: m.gather(a, d, i),
    lambda g: [S("d0", g.v(3, 4), 0, Idx(_idx_along(g, (2, 4), 0, 3))),
               S("d1", g.v(3, 4), 1, Idx(_idx_along(g, (3, 6), 1, 4))),
               S("smaller", g.v(3, 4), 1, Idx(_idx_along(g, (2, 2), 1, 4))),
               S("neg", g.v(2, 3, 4), -1, Idx(_idx_along(g, (2, 3, 2), 2, 4))),
               S("dups", g.v(5), 0, Idx([1, 1, 4, 1])),
               S("empty", g.v(3, 4), 1, Idx(np.zeros((3, 0), np.int64))),
               S("0d", np.asarray(g.v()), 0, Idx(0)),
               S("oob", g.v(4), 0, Idx([5]), raises=True),
               S("negidx", g.v(4), 0, Idx([-1]), raises=True),
               S("int32", g.v(4), 0, In(np.array([1]), I32, grad=False)),
               S("float_idx", g.v(4), 0, In(np.array([1.0]), F32, grad=False), raises=True)],
    NUM_B)
rec("gather.method", lambda m, a, i: a.gather(1, i),
    lambda g: [S("m", g.v(3, 4), Idx(_idx_along(g, (3, 2), 1, 4)))], FLOAT, covers=("gather",))
rec("scatter", lambda m, a, d, i, s: m.scatter(a, d, i, s),
    lambda g: [S("d0", g.v(3, 4), 0, Idx(_perm_index(g, 0, (2, 4), 0, 3)), g.v(2, 4)),
               S("d1", g.v(3, 4), 1, Idx(_perm_index(g, 0, (3, 2), 1, 4)), g.v(3, 2)),
               S("neg", g.v(2, 3, 4), -1, Idx(_perm_index(g, 0, (2, 2, 3), 2, 4)),
                 g.v(2, 2, 3))] + ([] if g.dtype == F64 else [
               S("bigsrc", g.v(3, 4), 1, Idx(_perm_index(g, 0, (3, 2), 1, 4)), g.v(3, 3))]) + [
               S("empty", g.v(3, 4), 1, Idx(np.zeros((3, 0), np.int64)), g.v(3, 0)),
               S("mixed", g.v(3, 4), 0, Idx([[0, 1, 2, 0]]), In(g.v(1, 4), F64
                                                                 if g.dtype != F64 else F32),
                 raises=True)], NUM_B)
rec("scatter.value", lambda m, a, i: (m.scatter(a, 1, i, 2.5), m.scatter(a, 1, i, 7),
                                      a.scatter(1, i, value=-1)),
    lambda g: [S("m", g.v(3, 4), Idx(_idx_along(g, (3, 2), 1, 4)))], NUM, covers=("scatter",))
rec("scatter.inplace", lambda m, a, i, s: (a.clone().scatter_(0, i, s),
                                           a.clone().scatter_(0, i, 1.5)),
    lambda g: [S("m", g.v(3, 4), Idx(_perm_index(g, 0, (2, 4), 0, 3)), g.v(2, 4))], FLOAT,
    covers=("scatter", "scatter_"))
rec("scatter.reduce", lambda m, a, i, s: (m.scatter(a, 0, i, s, reduce="add"),
                                          m.scatter(a, 0, i, s, reduce="multiply"),
                                          a.clone().scatter_(0, i, 2.0, reduce="add")),
    lambda g: [S("dups", g.v(3, 4), Idx(_idx_along(g, (3, 4), 0, 3)), g.v(3, 4)),
               S("dups1d", g.v(4), Idx([1, 1, 3]), g.v(3))], NUM, grad=False,
    covers=("scatter",))
rec("scatter_add", lambda m, a, d, i, s: m.scatter_add(a, d, i, s),
    lambda g: [S("dups", g.v(3, 4), 0, Idx(_idx_along(g, (3, 4), 0, 3)), g.v(3, 4)),
               S("d1", g.v(3, 4), 1, Idx(_idx_along(g, (2, 5), 1, 4)), g.v(2, 5)),
               S("empty", g.v(3), 0, Idx(np.zeros(0, np.int64)), g.v(0)),
               S("0d", np.asarray(g.v()), 0, Idx(0), np.asarray(g.v()))] +
    ([] if g.dtype == F64 else [
        S("bigsrc", g.v(3, 4), 1, Idx(_idx_along(g, (2, 5), 1, 4)), g.v(3, 6))]), NUM)
rec("scatter_add.inplace", lambda m, a, i, s: a.clone().scatter_add_(1, i, s),
    lambda g: [S("m", g.v(3, 4), Idx(_idx_along(g, (3, 5), 1, 4)), g.v(3, 5))], FLOAT,
    covers=("scatter_add",))
for _red in ("sum", "prod", "mean", "amax", "amin"):
    for _inc in (True, False):
        rec(f"scatter_reduce.{_red}.{'self' if _inc else 'noself'}",
            (lambda r, inc: lambda m, a, d, i, s: m.scatter_reduce(a, d, i, s, r,
                                                                   include_self=inc))(_red,
                                                                                      _inc),
            lambda g: [S("dups", g.v(3, 4), 0, Idx(_idx_along(g, (4, 4), 0, 3)), g.v(4, 4)),
                       S("ties", g.ties(3, 4), 1, Idx(_idx_along(g, (3, 5), 1, 2)),
                         g.ties(3, 5)),
                       S("zeros", np.array([0.0, 2.0, 0.0, 3.0]), 0, Idx([0, 0, 2, 1, 1]),
                         np.array([0.0, 2.0, 5.0, 0.0, 4.0])) if g.is_float else
                       S("zeros", np.array([0, 2, 0, 3]), 0, Idx([0, 0, 2, 1, 1]),
                         np.array([0, 2, 5, 0, 4]))],
            (F32, F64, I64), covers=("scatter_reduce",))
rec("scatter_reduce.inplace", lambda m, a, i, s: a.clone().scatter_reduce_(0, i, s, "amax"),
    lambda g: [S("m", g.v(3, 4), Idx(_idx_along(g, (2, 4), 0, 3)), g.v(2, 4))], FLOAT,
    covers=("scatter_reduce", "scatter_reduce_"))
rec("scatter_reduce.bad", lambda m, a, i, s: m.scatter_reduce(a, 0, i, s, "median"),
    lambda g: [S("m", g.v(3), Idx([0]), g.v(1), raises=True)], (F32,), grad=False,
    covers=("scatter_reduce",))
rec("index_select", lambda m, a, d, i: m.index_select(a, d, i),
    lambda g: [S("d0", g.v(3, 4), 0, Idx([2, 0, 2])), S("d1", g.v(3, 4), -1, Idx([3, 1])),
               S("empty", g.v(3, 4), 0, Idx(np.zeros(0, np.int64))),
               S("0d_idx", g.v(3, 4), 1, Idx(2)), S("0d", np.asarray(g.v()), 0, Idx([0])),
               S("int32", g.v(3), 0, In(np.array([1, 2]), I32, grad=False)),
               S("oob", g.v(3), 0, Idx([3]), raises=True),
               S("2d_idx", g.v(3), 0, Idx([[1]]), raises=True)], NUM_B)
rec("index_select.method", lambda m, a, i: a.index_select(0, i),
    lambda g: [S("m", g.v(3, 4), Idx([1, 1]))], FLOAT, covers=("index_select",))
rec("index_add", lambda m, a, d, i, s, *al: m.index_add(a, d, i, s, alpha=al[0] if al else 1),
    lambda g: [S("d0", g.v(3, 4), 0, Idx([2, 0, 2]), g.v(3, 4)),
               S("d1", g.v(3, 4), 1, Idx([1]), g.v(3, 1), 2),
               S("0d", np.asarray(g.v()), 0, Idx([0]), np.asarray(g.v())),
               S("int32", g.v(3), 0, In(np.array([1, 1]), I32, grad=False), g.v(2)),
               S("mixed", g.v(3), 0, Idx([1]), In(g.v(1), F64 if g.dtype != F64 else F32),
                 raises=True)], NUM)
rec("index_add.inplace", lambda m, a, i, s: a.clone().index_add_(0, i, s, alpha=-1),
    lambda g: [S("m", g.v(3, 4), Idx([1, 1]), g.v(2, 4))], FLOAT, covers=("index_add",))
rec("index_copy", lambda m, a, d, i, s: m.index_copy(a, d, i, s),
    lambda g: [S("d0", g.v(3, 4), 0, Idx([2, 0]), g.v(2, 4)),
               S("d1", g.v(3, 4), 1, Idx([3]), g.v(3, 1)),
               S("int32", g.v(3), 0, In(np.array([1]), I32, grad=False), g.v(1), raises=True)],
    NUM_B)
rec("index_copy.inplace", lambda m, a, i, s: a.clone().index_copy_(1, i, s),
    lambda g: [S("m", g.v(3, 4), Idx([0, 3]), g.v(3, 2))], FLOAT, covers=("index_copy",))
rec("index_fill", lambda m, a, d, i, v: m.index_fill(a, d, i, v),
    lambda g: [S("scalar", g.v(3, 4), 1, Idx([0, 2]), 2.5 if g.is_float else 2),
               S("tensor", g.v(3, 4), 0, Idx([1]), np.asarray(g.v())),
               S("neg", g.v(4), 0, Idx([-1]), -1.0 if g.is_float else -1),
               S("bad_value", g.v(4), 0, Idx([1]), g.v(1), raises=True)], NUM)
rec("index_fill.inplace", lambda m, a, i: a.clone().index_fill_(0, i, -2.0),
    lambda g: [S("m", g.v(3, 4), Idx([2]))], FLOAT, covers=("index_fill", "index_fill_"))
rec("masked_fill", lambda m, a, k, v: m.masked_fill(a, k, v),
    lambda g: [S("scalar", g.v(3, 4), Mask(g.rng.rand(3, 4) > 0.5), 1.5 if g.is_float else 3),
               S("tensor", g.v(3, 4), Mask(g.rng.rand(3, 4) > 0.5), np.asarray(g.v())),
               S("bcast", g.v(4), Mask(g.rng.rand(2, 1) > 0.5), 0.5 if g.is_float else 1),
               S("empty", g.v(0, 4), Mask(np.zeros((0, 4), bool)), 1),
               S("float_into_int", g.v(3), Mask([True, False, True]), 3.7, every=True),
               S("long_mask", g.v(3), In(np.array([1, 0, 1]), I64, grad=False), 1,
                 raises=True)], NUM_B)
rec("masked_fill.inplace", lambda m, a, k: a.clone().masked_fill_(k, -1.0),
    lambda g: [S("m", g.v(3, 4), Mask(g.rng.rand(3, 4) > 0.5)),
               S("bcast_mask", g.v(3, 4), Mask(g.rng.rand(4) > 0.5)),
               S("bad_bcast", g.v(4), Mask(g.rng.rand(2, 4) > 0.5), raises=True)], FLOAT,
    covers=("masked_fill", "masked_fill_"))
rec("masked_scatter", lambda m, a, k, s: m.masked_scatter(a, k, s),
    lambda g: [S("m", g.v(3, 4), Mask(g.rng.rand(3, 4) > 0.5), g.v(12)),
               S("long_src", g.v(3, 4), Mask(g.rng.rand(3, 4) > 0.5), g.v(4, 5)),
               S("bcast", g.v(4), Mask(g.rng.rand(2, 1) > 0.5), g.v(10)),
               S("short_src", g.v(4), Mask([True, True, False, True]), g.v(2), raises=True)],
    NUM_B)
rec("masked_scatter.inplace", lambda m, a, k, s: a.clone().masked_scatter_(k, s),
    lambda g: [S("m", g.v(3, 4), Mask(g.rng.rand(3, 4) > 0.5), g.v(12))], FLOAT,
    covers=("masked_scatter", "masked_scatter_"))
rec("masked_select", lambda m, a, k: m.masked_select(a, k),
    lambda g: [S("m", g.v(3, 4), Mask(g.rng.rand(3, 4) > 0.5)),
               S("bcast", g.v(4), Mask(g.rng.rand(2, 1) > 0.5)),
               S("none", g.v(3), Mask([False, False, False])),
               S("long_mask", g.v(3), In(np.array([1, 0, 1]), I64, grad=False), raises=True)],
    NUM_B)
rec("masked_select.method", lambda m, a: a.masked_select(a > 0),
    lambda g: [S("m", g.v(3, 4))], FLOAT, covers=("masked_select",))
rec("take", lambda m, a, i: m.take(a, i),
    lambda g: [S("m", g.v(3, 4), Idx([[0, 11], [5, 5]])), S("neg", g.v(3, 4), Idx([-1, 0])),
               S("0d", np.asarray(g.v()), Idx([0, 0])), S("empty", g.v(3), Idx(np.zeros(0))),
               S("oob", g.v(3), Idx([3]), raises=True)], NUM_B)
rec("take_along_dim", lambda m, a, i, *d: m.take_along_dim(a, i, *d),
    lambda g: [S("flat", g.v(3, 4), Idx([0, 5, 11])),
               S("d1", g.v(3, 4), Idx(_idx_along(g, (3, 2), 1, 4)), 1),
               S("bcast", g.v(3, 4), Idx(_idx_along(g, (1, 2), 1, 4)), 1),
               S("bcast_in", g.v(1, 4), Idx(_idx_along(g, (3, 2), 1, 4)), 1),
               S("neg", g.v(3, 4), Idx([[-1]]), 1),
               S("bad", g.v(3, 4), Idx([[0, 1]]), 0, raises=True)], NUM_B)
rec("searchsorted", lambda m, s, v, **k: (m.searchsorted(s, v), m.searchsorted(s, v, right=True),
                                          m.searchsorted(s, v, side="right", out_int32=True)),
    lambda g: [S("1d", np.sort(g.ties(6)), g.ties(3, 2)),
               S("nd", np.sort(g.v(3, 5), -1), g.v(3, 2)),
               S("scalar", np.sort(g.v(5)), 1.0 if g.is_float else 1),
               S("nan", np.array([1.0, 2.0, NAN]), np.array([NAN, 3.0, 1.0])) if g.is_float
               else S("empty_vals", np.sort(g.v(5)), g.v(0)),
               S("empty_seq", g.v(0), g.v(3))], NUM, grad=False)
rec("searchsorted.sorter", lambda m, s, v, o: m.searchsorted(s, v, sorter=o),
    lambda g: [S("m", np.array([3.0, 1.0, 2.0]), np.array([2.5, 0.0]), Idx([1, 2, 0]))],
    (F32,), grad=False, covers=("searchsorted",))
rec("searchsorted.mixed", lambda m, s, v: m.searchsorted(s, v),
    lambda g: [S("m", np.sort(g.v(5)), In(np.array([0, 1, 2]), I64))], (F32,), grad=False,
    covers=("searchsorted",))
rec("bucketize", lambda m, v, b: (m.bucketize(v, b), m.bucketize(v, b, right=True)),
    lambda g: [S("m", g.ties(3, 4), np.sort(g.ties(5))), S("scalar", 1.0 if g.is_float else 1,
                                                          np.sort(g.v(4)))],
    NUM, grad=False)
rec("bincount", lambda m, a, *w: m.bincount(a, *w),
    lambda g: [S("m", Idx(g.rng.randint(0, 6, 10))),
               S("weights", Idx(g.rng.randint(0, 6, 10)), g.v(10)),
               S("minlength", Idx([1, 1]), None, 5), S("empty", Idx(np.zeros(0))),
               S("neg", Idx([-1, 2]), raises=True),
               S("float", g.v(3), raises=True)], (F32, F64, I64, F16), grad=False)
rec("bincount.int32", lambda m, a: m.bincount(a), lambda g: [S("m", g.rng.randint(0, 5, 8))],
    (I32, U8), grad=False, covers=("bincount",))
rec("histc", lambda m, a, *k: m.histc(a, *k),
    lambda g: [S("default", g.v(50)), S("bins", g.v(3, 20), 7),
               S("range", np.arange(6.0), 4, 1, 4), S("same", np.array([1.0, 1.0]), 4),
               S("empty", np.zeros(0), 4), S("edges", np.linspace(-1, 1, 11), 5, -1, 1),
               S("bad", g.v(3), 4, 3, 1, raises=True)], (F32, F64), grad=False)
rec("histc.int", lambda m, a: m.histc(a), lambda g: [S("i", g.v(3), raises=True)], (I64,),
    grad=False, covers=("histc",))
rec("linalg.more", lambda m, a: (
    m.linalg.slogdet(a).logabsdet, m.linalg.pinv(a), m.linalg.matrix_exp(a * 0.3),
    m.linalg.matrix_rank(a), m.linalg.solve_triangular(a.triu() + 3 * m.eye(3, dtype=a.dtype),
                                                       a, upper=True),
    m.cholesky(a @ a.mT + 3 * m.eye(3, dtype=a.dtype)), m.linalg.lstsq(a, a[:, :2]).solution),
    lambda g: [S("m", _spd(g, 3))], FLOAT, tol={F32: (1e-4, 1e-5)},
    covers=("linalg_slogdet", "linalg_pinv", "linalg_matrix_exp", "linalg_matrix_rank",
            "linalg_solve_triangular", "cholesky", "linalg_lstsq"))
rec("torch.linalg_aliases", lambda m, a: (
    m.det(a), m.slogdet(a).logabsdet, m.logdet(a), m.inverse(a), m.pinverse(a),
    m.matrix_exp(a * 0.3), m.matrix_power(a, 2), m.qr(a).R.abs(), m.svd(a).S,
    m.svd(a, some=False).V.abs()),
    lambda g: [S("m", _spd(g, 3))], FLOAT, tol={F32: (1e-4, 1e-5)}, grad=False,
    covers=("det", "slogdet", "logdet", "inverse", "pinverse", "matrix_exp", "matrix_power",
            "qr", "svd"))
