"""torch.linalg additions and the torch.* linear-algebra functions against torch: values,
gradients, grad_fn names and the named-tuple results (as printed)."""
import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same

torch = pytest.importorskip("torch")

RS = np.random.RandomState(0)
A = RS.randn(3, 3)
B = RS.randn(3, 2)

CASES = [
    ("slogdet", lambda m, a: m.linalg.slogdet(a)), ("pinv", lambda m, a: m.linalg.pinv(a)),
    ("pinv_rect", lambda m, a: m.linalg.pinv(a[:, :2])),
    ("lstsq", lambda m, a: m.linalg.lstsq(a, m.tensor(B))),
    ("matrix_rank", lambda m, a: m.linalg.matrix_rank(a)),
    ("matrix_exp", lambda m, a: m.linalg.matrix_exp(a)),
    ("fro", lambda m, a: m.linalg.matrix_norm(a)),
    ("nuc", lambda m, a: m.linalg.matrix_norm(a, "nuc")),
    ("norm_2", lambda m, a: m.linalg.matrix_norm(a, 2)),
    ("norm_-1", lambda m, a: m.linalg.matrix_norm(a, -1)),
    ("norm_inf_keepdim", lambda m, a: m.linalg.matrix_norm(a, float("inf"), keepdim=True)),
    ("linalg_norm_2", lambda m, a: m.linalg.norm(a, 2)),
    ("det", lambda m, a: m.det(a)), ("logdet", lambda m, a: m.logdet(a @ a.mT)),
    ("torch_slogdet", lambda m, a: m.slogdet(a)), ("inverse", lambda m, a: m.inverse(a)),
    ("pinverse", lambda m, a: m.pinverse(a)), ("svd", lambda m, a: m.svd(a)),
    ("qr", lambda m, a: m.qr(a)), ("linalg_qr", lambda m, a: m.linalg.qr(a)),
    ("cholesky", lambda m, a: m.cholesky(a @ a.mT + 3 * m.eye(3, dtype=a.dtype))),
    ("cholesky_ex", lambda m, a: m.linalg.cholesky_ex(a @ a.mT + 3 * m.eye(3, dtype=a.dtype))),
    ("vecdot", lambda m, a: m.linalg.vecdot(a, a)),
    ("solve_triangular", lambda m, a: m.linalg.solve_triangular(a.triu(), m.tensor(B),
                                                                upper=True)),
    ("solve_triangular_right", lambda m, a: m.linalg.solve_triangular(
        a.tril(), m.tensor(B.T), upper=False, left=False, unitriangular=True)),
    ("inv_ex", lambda m, a: m.linalg.inv_ex(a)), ("matrix_power", lambda m, a: a.matrix_power(3)),
    ("linalg_diagonal", lambda m, a: m.linalg.diagonal(a, offset=1)),
]


@pytest.mark.parametrize("name,fn", CASES, ids=[c[0] for c in CASES])
def test_linalg(name, fn):
    res = []
    for m in (torch, jtorch):
        a = m.tensor(A, requires_grad=True)
        out = fn(m, a)
        outs = out if isinstance(out, tuple) else (out,)
        total = sum((x * x).sum() for x in outs if x.requires_grad)
        if not isinstance(total, int):
            total.backward()
        res.append((out, outs, a.grad))
    (t_out, t_outs, t_grad), (j_out, j_outs, j_grad) = res
    assert type(j_out).__name__ == type(t_out).__name__
    if isinstance(t_out, tuple):    # torch's structseq: field names via n_fields/attributes
        assert all(hasattr(t_out, f) for f in j_out._fields)
    for x, y in zip(j_outs, t_outs):
        assert_same(x, y, rtol=1e-6, atol=1e-8)
        assert (x.grad_fn is None) == (y.grad_fn is None) or y.numel() == 0
        if y.grad_fn is not None and x.grad_fn is not None:
            assert x.grad_fn.name() == y.grad_fn.name()
    if t_grad is not None:
        assert_same(j_grad, t_grad, rtol=1e-6, atol=1e-8)


def test_return_type_printing():
    a = np.array([[2.0, 1.0], [1.0, 3.0]])
    assert repr(jtorch.linalg.slogdet(jtorch.tensor(a))) == \
        repr(torch.linalg.slogdet(torch.tensor(a)))
    assert repr(jtorch.linalg.inv_ex(jtorch.tensor(a))) == \
        repr(torch.linalg.inv_ex(torch.tensor(a)))
