"""Records of the table ops behind Tensor methods of issue 18 (``jtorch/_ops/put_index_reduce.py``):
``Tensor.put``/``put_`` and ``Tensor.index_reduce``/``index_reduce_``."""
import numpy as np

from .base import F32, F64, FLOAT, I32, I64, Idx, In, S, rec
from .outs_nn import INTERNAL

INTERNAL.update({"_put": "Tensor.put", "_index_reduce": "Tensor.index_reduce"})

rec("Tensor.put", lambda m, a, i, s: (a.put(i, s), a.clone().put_(i, s)),
    lambda g: [S("m", g.v(3, 4), Idx([0, -1, 5]), g.v(3)),
               S("index_2d", g.v(2, 3), Idx([[1], [-6]]), g.v(2)),
               S("src_2d", g.v(5), Idx([4, 0, 2, 1]), g.v(2, 2)),
               S("empty", g.v(3), Idx(np.zeros(0, np.int64)), g.v(0)),
               S("0d", np.asarray(g.v()), Idx([0]), g.v(1)),
               S("oob", g.v(2, 3), Idx([0, 6]), g.v(2), raises=True),
               S("oob_neg", g.v(2, 3), Idx([-7]), g.v(1), raises=True),
               S("int32_index", g.v(3), In(np.array([0]), I32, grad=False), g.v(1),
                 raises=True),
               S("numel", g.v(3), Idx([0, 1]), g.v(3), raises=True)],
    (F64, F32, I64), covers=("Tensor.put",))
rec("Tensor.put.accumulate", lambda m, a, i, s: (a.put(i, s, True),
                                                 a.clone().put_(i, s, accumulate=True)),
    lambda g: [S("dups", g.v(3, 4), Idx([0, -1, 5, 0, 11]), g.v(5))], (F64, F32, I64),
    covers=("Tensor.put",))
rec("Tensor.put.dtype", lambda m, a, i, s: a.put_(i, s),
    lambda g: [S("m", g.v(3), Idx([0]), In(g.v(1), F32), raises=True)], (F64,), grad=False,
    covers=("Tensor.put",))


def _rows(g, n, high):
    return Idx(g.rng.randint(0, high, n))


for _red in ("prod", "mean", "amax", "amin"):
    for _inc in (True, False):
        rec(f"Tensor.index_reduce.{_red}.{'self' if _inc else 'noself'}",
            (lambda r, inc: lambda m, a, i, s: (
                a.index_reduce(0, i, s, r, include_self=inc),
                a.clone().index_reduce_(0, i, s, r, include_self=inc)))(_red, _inc),
            lambda g: [S("dups", g.v(3, 4), Idx([0, 2, 0, 0]), g.v(4, 4)),
                       S("ties", g.ties(3, 4), Idx([1, 1, 2]), g.ties(3, 4)),
                       S("1d", g.v(5), Idx([4, 4, 0]), g.v(3)),
                       S("0d", np.asarray(g.v()), Idx([0]), np.asarray(g.v()))],
            (F64, F32, I64), covers=("Tensor.index_reduce",))
rec("Tensor.index_reduce.dim1", lambda m, a, i, s: a.index_reduce(-1, i, s, "amax"),
    lambda g: [S("m", g.v(2, 3, 4), _rows(g, 5, 4), g.v(2, 3, 5))], FLOAT,
    covers=("Tensor.index_reduce",))
rec("Tensor.index_reduce.bad", lambda m, a, d, i, s, r: a.index_reduce(d, i, s, r),
    lambda g: [S("reduce", g.v(2, 3), 0, Idx([0]), g.v(1, 3), "sum", raises=True),
               S("float_index", g.v(2, 3), 0, In(np.array([0.0]), F32, grad=False), g.v(1, 3),
                 "prod", raises=True),
               S("count", g.v(2, 3), 0, Idx([0, 1]), g.v(1, 3), "prod", raises=True),
               S("oob", g.v(2, 3), 0, Idx([2]), g.v(1, 3), "prod", raises=True),
               S("index_2d", g.v(2, 3), 0, Idx([[0]]), g.v(1, 3), "prod", raises=True),
               S("dim", g.v(2, 3), 2, Idx([0]), g.v(1, 3), "prod", raises=True),
               S("src_dtype", g.v(2, 3), 0, Idx([0]), In(g.v(1, 3), F32), "prod",
                 raises=True)],
    (F64,), grad=False, covers=("Tensor.index_reduce",))
