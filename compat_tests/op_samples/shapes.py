"""Records of the shape, joining and splitting ops."""
import numpy as np

from .base import (C128, C64, F32, F64, FLOAT, I32, I64, INF, Idx, In, NAN, NUM, NUM_B, S,
                   rec, unary)


# ---- shape/joining (existing)
rec("cat", lambda m, a, b: m.cat([a, b], -1),
    lambda g: [S("m", g.v(3, 4), g.v(3, 2)), S("empty1d", g.v(3, 4), g.v(0)),
               S("nc", In(g.v(3, 4), nc=True), g.v(3, 1))], NUM_B)
rec("cat.mixed", lambda m, a, b: m.cat([a, b]),
    lambda g: [S("mixed", g.v(2, 3), In(g.v(1, 3), I64))], FLOAT)
rec("concat", lambda m, a, b: (m.concat([a, b], 0), m.concatenate([a, b], axis=1)),
    lambda g: [S("m", g.v(2, 2), g.v(2, 2))], FLOAT, covers=("concat", "concatenate"))
rec("stack", lambda m, a, b: (m.stack([a, b]), m.stack([a, b], -1)),
    lambda g: [S("m", g.v(3, 4), g.v(3, 4)), S("0d", np.asarray(g.v()), np.asarray(g.v()))],
    NUM_B)
rec("repeat", lambda m, a: (a.repeat(2, 1, 3), a.repeat((1, 2))), lambda g: [
    S("m", g.v(3, 4)), S("0d", np.asarray(g.v()))], NUM_B)
rec("clone", lambda m, a: m.clone(a), unary(), NUM_B)
rec("copy", lambda m, a, b: a.clone().copy_(b),
    lambda g: [S("same", g.v(3, 4), g.v(3, 4)), S("bcast", g.v(3, 4), g.v(4)),
               S("cast", g.v(3, 4), In(g.v(3, 4), I64))], FLOAT)
rec("views", lambda m, a: (a.view(4, 3), a.reshape(-1), a.t(), a.T, a.transpose(0, 1),
                           a.permute(1, 0), a.unsqueeze(1), a.flatten(), a.narrow(1, 1, 2),
                           a.select(0, 1), a.diagonal(), a.expand(2, 3, 4), a.squeeze(),
                           a.movedim(0, 1), a.unflatten(1, (2, 2)), a.unfold(1, 2, 1),
                           a.swapaxes(0, 1), a.view_as(a), a.reshape_as(a), a.contiguous(),
                           a.expand_as(m.zeros(2, 3, 4))),
    lambda g: [S("m", g.v(3, 4))], (F32, F64, I64),
    covers=("view", "reshape", "t", "transpose", "permute", "unsqueeze", "flatten", "narrow",
            "select", "diagonal", "expand", "squeeze", "movedim", "unflatten", "unfold",
            "swapaxes", "view_as", "reshape_as", "contiguous", "expand_as"))
rec("views.more", lambda m, a: (m.swapdims(a, 0, 2), m.moveaxis(a, 0, -1),
                                m.broadcast_to(a[0:1], (2, 3, 4)), a.squeeze(0),
                                m.as_strided(a, (2, 2), (1, 2), 1)),
    lambda g: [S("m", g.v(1, 3, 4))], (F32, F64),
    covers=("swapdims", "moveaxis", "broadcast_to", "squeeze", "as_strided"))
rec("split", lambda m, a: (m.split(a, 2), m.split(a, [1, 3], 1), m.chunk(a, 2, 1),
                           m.unbind(a, 1)),
    lambda g: [S("m", g.v(3, 4))], (F32, F64, I64), covers=("split", "chunk", "unbind"))
rec("type", lambda m, a: (a.type(), a.type(m.float64), a.type_as(m.zeros(1, dtype=m.int32)),
                          a.cpu()),
    lambda g: [S("m", g.v(3, 4))], (F32, I64), covers=("type", "type_as", "cpu"))

# ---- shape/joining (joining.py)
rec("flip", lambda m, a, *d: m.flip(a, *d),
    lambda g: [S("d0", g.v(3, 4), (0,)), S("both", g.v(3, 4), [0, 1]),
               S("neg", g.v(2, 3, 4), (-1, 0)), S("empty", g.v(0, 3), (0,)),
               S("0d", np.asarray(g.v()), ()), S("dup", g.v(3, 4), (0, 0), raises=True)],
    NUM_B)
rec("flip.method", lambda m, a: (a.flip(0, 1), a.flip((1,)), a.flip([0]), m.flip(a, dims=[1]),
                                 m.tensor_split(a, sections=2, dim=1),
                                 m.tensor_split(a, indices=[1])),
    lambda g: [S("m", g.v(3, 4))], FLOAT, covers=("flip", "tensor_split"))
rec("fliplr", lambda m, a: (m.fliplr(a), m.flipud(a)), lambda g: [
    S("m", g.v(3, 4)), S("3d", g.v(2, 3, 4)), S("1d", g.v(3), raises=True)], FLOAT,
    covers=("fliplr", "flipud"))
rec("roll", lambda m, a, s, *d: m.roll(a, s, *d),
    lambda g: [S("flat", g.v(3, 4), 5), S("dim", g.v(3, 4), 1, 0), S("neg", g.v(3, 4), -1, 1),
               S("multi", g.v(3, 4), (1, -1), (0, 1)), S("big", g.v(3, 4), 7, -1),
               S("empty", g.v(0, 3), 1, 1), S("0d", np.asarray(g.v()), 2),
               S("bad", g.v(3, 4), (1, 2), 0, raises=True)], NUM_B)
rec("rot90", lambda m, a, *k: m.rot90(a, *k),
    lambda g: [S("k1", g.v(3, 4)), S("k2", g.v(3, 4), 2), S("kneg", g.v(3, 4), -1, [1, 0]),
               S("k4", g.v(3, 4), 4), S("3d", g.v(2, 3, 4), 1, [0, 2]),
               S("1d", g.v(3), raises=True)], NUM_B)
rec("tile", lambda m, a, d: m.tile(a, d),
    lambda g: [S("same", g.v(3, 4), (2, 1)), S("short", g.v(3, 4), (2,)),
               S("long", g.v(3), (2, 2)), S("0d", np.asarray(g.v()), (3,))], NUM_B)
rec("tile.method", lambda m, a: a.tile((1, 2)), lambda g: [S("m", g.v(3, 4))], (F32,),
    covers=("tile",))
for _n in ("tril", "triu"):
    rec(_n, (lambda n: lambda m, a, *k: getattr(m, n)(a, *k))(_n),
        lambda g: [S("sq", g.v(4, 4)), S("k1", g.v(3, 5), 1), S("kneg", g.v(5, 3), -2),
                   S("batch", g.v(2, 3, 3)), S("big_k", g.v(3, 3), 5), S("empty", g.v(0, 3)),
                   S("1d", g.v(3), raises=True)], NUM_B)
    rec(_n + ".inplace", (lambda n: lambda m, a: getattr(a.clone(), n + "_")(1))(_n),
        lambda g: [S("sq", g.v(4, 4))], FLOAT, covers=(_n,))
rec("diag", lambda m, a, *k: m.diag(a, *k),
    lambda g: [S("vec", g.v(4)), S("vec_k", g.v(3), 1), S("vec_kneg", g.v(3), -2),
               S("mat", g.v(3, 4)), S("mat_k", g.v(3, 4), 1), S("mat_kneg", g.v(4, 3), -1),
               S("empty", g.v(0)), S("3d", g.v(2, 2, 2), raises=True)], NUM_B)
rec("diag_embed", lambda m, a, *k: m.diag_embed(a, *k),
    lambda g: [S("vec", g.v(3)), S("batch", g.v(2, 3)), S("off", g.v(2, 3), 1),
               S("offneg", g.v(2, 3), -1), S("dims", g.v(2, 3), 0, 0, 2),
               S("dims_rev", g.v(2, 3), 1, -1, 0)], NUM_B)
rec("diagflat", lambda m, a, *k: m.diagflat(a, *k),
    lambda g: [S("vec", g.v(3)), S("mat", g.v(2, 2), -1), S("0d", np.asarray(g.v()))], NUM)
rec("block_diag", lambda m, *ts: m.block_diag(*ts),
    lambda g: [S("mats", g.v(2, 3), g.v(1, 1), g.v(2, 2)),
               S("mixed_rank", np.asarray(g.v()), g.v(2), g.v(2, 3)),
               S("empty", g.v(0, 2), g.v(2, 1)),
               S("one", g.v(2, 2))], NUM_B)
rec("block_diag.mixed", lambda m, a, b: m.block_diag(a, b),
    lambda g: [S("f_i", g.v(2, 2), In(g.v(1, 2), I64))], FLOAT, covers=("block_diag",))
rec("block_diag.none", lambda m: m.block_diag(), lambda g: [S("none")], (F32,), grad=False,
    covers=("block_diag",))
rec("meshgrid", lambda m, a, b, idx: m.meshgrid(a, b, indexing=idx),
    lambda g: [S("ij", g.v(3), g.v(4), "ij"), S("xy", g.v(3), g.v(4), "xy"),
               S("0d", np.asarray(g.v()), g.v(2), "ij")], NUM_B)
rec("meshgrid.three", lambda m, a, b, c: m.meshgrid([a, b, c], indexing="xy"),
    lambda g: [S("3", g.v(2), g.v(3), g.v(4))], FLOAT, covers=("meshgrid",))
rec("broadcast_tensors", lambda m, a, b, c: m.broadcast_tensors(a, b, c),
    lambda g: [S("m", g.v(3, 1), g.v(4), np.asarray(g.v())), S("same", g.v(2, 2), g.v(2, 2),
                                                               g.v(2, 2))], NUM_B)
rec("broadcast_shapes", lambda m, *s: m.broadcast_shapes(*s),
    lambda g: [S("m", (2, 1), (3,), (1, 1, 3)), S("int", 3, (2, 1)), S("none"),
               S("bad", (2, 1), (3,), 4, raises=True)], (F32,), grad=False)
for _n in ("hstack", "vstack", "dstack", "column_stack", "row_stack"):
    rec(_n, (lambda n: lambda m, *ts: getattr(m, n)(list(ts)))(_n),
        lambda g: [S("1d", g.v(3), g.v(3)), S("2d", g.v(2, 3), g.v(2, 3)),
                   S("0d", np.asarray(g.v()), np.asarray(g.v())),
                   S("3d", g.v(2, 3, 2), g.v(2, 3, 2))], NUM_B)
rec("hstack.out", lambda m, a, b: m.hstack([a, b], out=m.empty(0)),
    lambda g: [S("1d", g.v(3), g.v(3))], (F32,), grad=False, covers=("hstack",))
rec("tensor_split", lambda m, a, s, *d: m.tensor_split(a, s, *d),
    lambda g: [S("sections", g.v(7, 2), 3), S("sections_big", g.v(2, 3), 5, 1),
               S("indices", g.v(7), [1, 5]), S("indices_odd", g.v(7), [1, 9, 3]),
               S("neg", g.v(7), [-2]), S("tensor", g.v(7), Idx([2, 4])),
               S("tensor_0d", g.v(6), Idx(4)), S("0d", np.asarray(g.v()), 2, raises=True)],
    NUM_B)
rec("hsplit", lambda m, a: (m.hsplit(a, 2), m.vsplit(a, [1]), m.dsplit(a, 2)),
    lambda g: [S("m", g.v(2, 4, 2)), S("bad", g.v(3, 3, 3), raises=True)], FLOAT,
    covers=("hsplit", "vsplit", "dsplit"))
rec("repeat_interleave", lambda m, a, r, *d: m.repeat_interleave(a, r, *d),
    lambda g: [S("int", g.v(3), 2), S("int_dim", g.v(2, 3), 2, 1), S("int_flat", g.v(2, 3), 3),
               S("tensor", g.v(4), Idx([1, 2, 0, 1])),
               S("tensor_dim", g.v(2, 3), Idx([2, 0]), 0),
               S("tensor_1", g.v(3), Idx([2])), S("0d", np.asarray(g.v()), 2),
               S("neg", g.v(3), -1, raises=True)], NUM_B)
rec("repeat_interleave.counts", lambda m, c: m.repeat_interleave(c),
    lambda g: [S("c", Idx([1, 0, 3, 2]))], (I64,), grad=False, covers=("repeat_interleave",))
rec("repeat_interleave.method", lambda m, a: a.repeat_interleave(2, dim=0),
    lambda g: [S("m", g.v(2, 3))], (F32,), covers=("repeat_interleave",))
rec("cartesian_prod", lambda m, *ts: m.cartesian_prod(*ts),
    lambda g: [S("two", g.v(3), g.v(2)), S("three", g.v(2), g.v(2), g.v(3)),
               S("one", g.v(3))], NUM_B)
rec("combinations", lambda m, a, *r: m.combinations(a, *r),
    lambda g: [S("r2", g.v(4)), S("r3", g.v(5), 3), S("repl", g.v(3), 2, True),
               S("r0", g.v(3), 0), S("rbig", g.v(3), 5), S("empty", g.v(0), 2)], NUM_B)
for _n in ("atleast_1d", "atleast_2d", "atleast_3d"):
    rec(_n, (lambda n: lambda m, *ts: getattr(m, n)(*ts))(_n),
        lambda g: [S("0d", np.asarray(g.v())), S("1d", g.v(3)), S("2d", g.v(2, 3)),
                   S("3d", g.v(2, 3, 2)), S("multi", g.v(3), g.v(2, 2))], (F32, F64, I64))
rec("atleast.list", lambda m, a, b: m.atleast_2d([a, b]),
    lambda g: [S("l", g.v(3), np.asarray(g.v()))], FLOAT, covers=("atleast_2d",))
rec("outer", lambda m, a, b: (m.outer(a, b), m.ger(a, b), a.outer(b)),
    lambda g: [S("m", g.v(3), g.v(4)), S("empty", g.v(0), g.v(2)),
               S("mixed", g.v(3), In(g.v(2), I64))], NUM, covers=("outer", "ger"))
rec("inner", lambda m, a, b: m.inner(a, b),
    lambda g: [S("vec", g.v(4), g.v(4)), S("mat", g.v(2, 4), g.v(3, 4)),
               S("0d", np.asarray(g.v()), g.v(3)), S("3d", g.v(2, 2, 3), g.v(3)),
               S("mixed", g.v(3), In(g.v(3), F64 if g.dtype != F64 else F32), raises=True)],
    NUM)
rec("kron", lambda m, a, b: m.kron(a, b),
    lambda g: [S("vec", g.v(3), g.v(2)), S("mat", g.v(2, 3), g.v(2, 2)),
               S("rank", g.v(2, 2), g.v(3)), S("0d", np.asarray(g.v()), g.v(3))], NUM_B)
rec("cross", lambda m, a, b, *d: m.cross(a, b, *d),
    lambda g: [S("dim1", g.v(4, 3), g.v(4, 3), 1), S("dim0", g.v(3, 2), g.v(3, 2), 0),
               S("neg", g.v(2, 4, 3), g.v(2, 4, 3), -1), S("bcast", g.v(4, 3), g.v(1, 3), 1),
               S("nodim", g.v(3, 3), g.v(3, 3)), S("bad", g.v(4, 2), g.v(4, 2), 1,
                                                   raises=True)], NUM)
rec("linalg.cross", lambda m, a, b: m.linalg.cross(a, b), lambda g: [S("m", g.v(4, 3),
                                                                       g.v(4, 3))], FLOAT,
    covers=())
rec("trace", lambda m, a: m.trace(a),
    lambda g: [S("sq", g.v(3, 3)), S("rect", g.v(2, 4)), S("empty", g.v(0, 3)),
               S("3d", g.v(2, 2, 2), raises=True)], NUM)
rec("trace.method", lambda m, a: a.trace(), lambda g: [S("sq", g.v(3, 3))], (F32, I32),
    covers=("trace",))
rec("tensordot", lambda m, a, b, d: m.tensordot(a, b, d),
    lambda g: [S("int", g.v(2, 3, 4), g.v(3, 4, 5), 2), S("one", g.v(3, 4), g.v(4, 2), 1),
               S("zero", g.v(3), g.v(2), 0), S("lists", g.v(3, 4, 2), g.v(2, 3, 5),
                                                 ([0, 2], [1, 0])),
               S("tensor", g.v(3, 4), g.v(4, 3), Idx([[1], [0]]))], NUM)
rec("einsum", lambda m, eq, *ops: m.einsum(eq, *ops),
    lambda g: [S("mm", "ij,jk->ik", g.v(2, 3), g.v(3, 4)),
               S("bmm", "bij,bjk->bik", g.v(2, 2, 3), g.v(2, 3, 2)),
               S("dot", "i,i->", g.v(4), g.v(4)),
               S("trace", "ii->", g.v(3, 3)), S("diag", "ii->i", g.v(3, 3)),
               S("transpose", "ij->ji", g.v(2, 3)), S("sum", "ij->", g.v(2, 3)),
               S("outer", "i,j->ij", g.v(3), g.v(2)), S("mul", "i,i->i", g.v(3), g.v(3)),
               S("three", "ij,jk,kl->il", g.v(2, 3), g.v(3, 2), g.v(2, 2)),
               S("ellipsis", "...ij->...ji", g.v(2, 2, 3)),
               S("implicit", "ij,jk", g.v(2, 3), g.v(3, 2)),
               S("spaces", "ij, jk -> ik", g.v(2, 3), g.v(3, 2))], (F32, F64, I64))
rec("einsum.list", lambda m, a, b: m.einsum("ij,jk", [a, b]), lambda g: [S("l", g.v(2, 3),
                                                                          g.v(3, 2))],
    FLOAT, covers=("einsum",))
rec("addmv", lambda m, a, b, c, **k: m.addmv(a, b, c, beta=0.5, alpha=2) if a.is_floating_point()
    else m.addmv(a, b, c, beta=2, alpha=3),
    lambda g: [S("m", g.v(3), g.v(3, 4), g.v(4)), S("bcast", np.asarray(g.v()), g.v(3, 4),
                                                    g.v(4))], NUM)
rec("addmv.beta0", lambda m, a, b, c: m.addmv(a, b, c, beta=0),
    lambda g: [S("nan", np.full(3, NAN), g.v(3, 4), g.v(4))], FLOAT, covers=("addmv",))
rec("addmv.inplace", lambda m, a, b, c: a.clone().addmv_(b, c), lambda g: [
    S("m", g.v(3), g.v(3, 4), g.v(4))], FLOAT, covers=("addmv",))
rec("addbmm", lambda m, a, b, c: m.addbmm(a, b, c, beta=2, alpha=0.5) if a.is_floating_point()
    else m.addbmm(a, b, c),
    lambda g: [S("m", g.v(3, 4), g.v(2, 3, 5), g.v(2, 5, 4)),
               S("bcast", g.v(4), g.v(2, 3, 5), g.v(2, 5, 4))], NUM)
rec("baddbmm", lambda m, a, b, c: m.baddbmm(a, b, c, beta=-1, alpha=2) if a.is_floating_point()
    else m.baddbmm(a, b, c),
    lambda g: [S("m", g.v(2, 3, 4), g.v(2, 3, 5), g.v(2, 5, 4)),
               S("bcast", g.v(3, 4), g.v(2, 3, 5), g.v(2, 5, 4))], NUM)
rec("baddbmm.beta0", lambda m, a, b, c: m.baddbmm(a, b, c, beta=0),
    lambda g: [S("nan", np.full((1, 2, 2), NAN), g.v(1, 2, 3), g.v(1, 3, 2))], FLOAT,
    covers=("baddbmm",))
rec("addr", lambda m, a, b, c: m.addr(a, b, c, beta=2, alpha=3),
    lambda g: [S("m", g.v(3, 4), g.v(3), g.v(4)), S("bcast", np.asarray(g.v()), g.v(3),
                                                    g.v(4))], NUM)
rec("addr.inplace", lambda m, a, b, c: a.clone().addr_(b, c),
    lambda g: [S("m", g.v(3, 4), g.v(3), g.v(4))], FLOAT, covers=("addr", "addr_"))
rec("vdot", lambda m, a, b: m.vdot(a, b),
    lambda g: [S("m", g.v(4), g.v(4)), S("empty", g.v(0), g.v(0)),
               S("mixed", g.v(3), In(g.v(3), I64 if g.is_float else F32), raises=True)], NUM)
rec("vdot.complex", lambda m, a, b: m.vdot(a, b), lambda g: [S("c", g.v(4), g.v(4))],
    (C64, C128), grad=False, covers=("vdot",))
rec("cdist", lambda m, a, b, *p: m.cdist(a, b, *p),
    lambda g: [S("p2", g.v(3, 4), g.v(5, 4)), S("p1", g.v(3, 4), g.v(5, 4), 1.0),
               S("pinf", g.v(3, 4), g.v(2, 4), INF), S("p3", g.v(3, 4), g.v(2, 4), 3.0),
               S("p0", g.v(3, 4), g.v(2, 4), 0.0), S("p15", g.v(3, 4), g.v(2, 4), 1.5),
               S("batch", g.v(2, 3, 4), g.v(5, 4)),
               S("same_rows", np.ones((2, 3)), np.ones((3, 3))),
               S("ties_inf", g.ties(3, 4), g.ties(2, 4), INF)], FLOAT,
    tol={F32: (1e-5, 1e-5)})
rec("cdist.mm", lambda m, a, b: m.cdist(a, b), lambda g: [S("big", g.v(30, 3), g.v(4, 3))],
    FLOAT, covers=("cdist",), tol={F32: (1e-4, 1e-4), F64: (1e-9, 1e-9)})
rec("cdist.int", lambda m, a, b: m.cdist(a, b), lambda g: [S("i", g.v(2, 2), g.v(2, 2),
                                                               raises=True)], (I64,),
    grad=False, covers=("cdist",))
