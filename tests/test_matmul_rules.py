"""matmul's rank rules on torch and jtorch: which kernel a shape pair reaches decides the
error torch raises (dot, mv, mm on the folded rows of a >=3-D operand, or the batched bmm
after broadcasting the batch dims), and whether it folds depends on requires_grad and on
the larger operand's strides (torch's should_fold); a 3-D batch of one that requires grad
is squeezed first."""
import itertools

import pytest

import jtorch

torch = pytest.importorskip("torch")

SHAPES = [(4,), (3,), (2, 4), (3, 5), (2, 3, 4), (2, 1, 3), (2, 5, 3), (3, 2, 4),
          (1, 3, 4, 5), (2, 2, 3, 4), (5, 3, 2), (0, 3, 4), (2, 0, 4), (1, 4, 3), (1, 3, 4)]
MODES = ["plain", "grad_a", "grad_b", "strided_a", "strided_b"]


def operands(T, a, b, mode):
    x, y = T.ones(a), T.ones(b)
    if mode == "grad_a":
        x.requires_grad_()
    if mode == "grad_b":
        y.requires_grad_()
    if mode == "strided_a" and x.dim() >= 3:      # batch dims not foldable without a copy
        x = T.ones(a[1], a[0], *a[2:]).transpose(0, 1)
    if mode == "strided_b" and y.dim() == 3:
        y = T.ones(b[0], b[2], b[1]).mT
    return x, y


def outcome(T, a, b, mode):
    try:
        r = T.matmul(*operands(T, a, b, mode))
    except RuntimeError as e:
        return ("err", str(e))
    return ("ok", tuple(r.shape), r.stride(), type(r.grad_fn).__name__)


@pytest.mark.parametrize("mode", MODES)
def test_every_rank_pair_as_torch(mode):
    diffs = [(a, b, outcome(jtorch, a, b, mode), outcome(torch, a, b, mode))
             for a, b in itertools.product(SHAPES, SHAPES)
             if outcome(jtorch, a, b, mode) != outcome(torch, a, b, mode)]
    assert not diffs, diffs[:5]


def test_a_matrix_times_a_batch_folds_when_the_matrix_requires_grad():
    vals = []
    for T in (torch, jtorch):
        w = T.arange(15.).reshape(3, 5).requires_grad_()
        x = T.arange(40.).reshape(2, 5, 4)
        r = w @ x
        r.sum().backward()
        vals.append((r.tolist(), w.grad.tolist(), r.grad_fn.name()))
    assert vals[0] == vals[1]


@pytest.mark.parametrize("dtypes", [("bool", "bool"), ("int64", "float32"), ("float32", "int64"),
                                    ("bool", "int64"), ("int64", "bool")])
def test_dtype_errors_after_the_shape_errors(dtypes):
    """Each kernel checks shapes first, then dtypes; bool has no matmul kernel at all; bmm
    skips its dtype check when an operand is empty."""
    shapes = [(3,), (2, 3), (3, 2), (2, 3, 2), (4, 3), (0, 3, 2), (1, 2, 0), (1, 0, 3)]

    def outcome_of(T, a, b):
        try:
            r = T.matmul(T.ones(a, dtype=getattr(T, dtypes[0])),
                         T.ones(b, dtype=getattr(T, dtypes[1])))
        except (RuntimeError, NotImplementedError) as e:
            return (type(e).__name__, str(e))
        return ("ok", tuple(r.shape), str(r.dtype), r._version)
    diffs = [(a, b) for a, b in itertools.product(shapes, shapes)
             if outcome_of(jtorch, a, b) != outcome_of(torch, a, b)]
    assert not diffs


def test_a_product_over_one_term_sums_from_positive_zero():
    """torch's kernels accumulate from +0.: (-1.) * 0. over one term gives 0., not -0.;
    the gradient is unchanged."""
    def run(T):
        a = T.tensor([[-1.]], requires_grad=True)
        b = T.tensor([[0.]], requires_grad=True)
        outs = [T.dot(a[0], b[0]), T.mv(a, b[0]), T.mm(a, b), T.bmm(a[None], b[None]),
                a[None] @ b]
        sum(o.sum() for o in outs).backward()
        return [str(o) for o in outs] + [a.grad.tolist(), b.grad.tolist()]
    assert run(jtorch) == run(torch)


BOOL_SHAPES = [(1,), (2,), (3,), (0,), (2, 3), (3, 2), (3, 0), (4, 1, 3), (4, 2, 3), (4, 3, 1),
               (4, 0, 3), (0, 1, 3)]


def bool_outcome(T, a, b):
    try:
        r = T.matmul(T.ones(a, dtype=T.bool), T.ones(b, dtype=T.bool))
    except (RuntimeError, NotImplementedError) as e:
        return (type(e).__name__, str(e))
    return ("ok", tuple(r.shape), str(r.dtype))


def test_bool_products_name_the_kernel_they_reach():
    """A folded bool product is refused by mm's or mv's kernel (a 1-D operand folding
    against a batch too), a batched one by bmm's; an empty product runs no kernel."""
    diffs = [(a, b, bool_outcome(jtorch, a, b), bool_outcome(torch, a, b))
             for a, b in itertools.product(BOOL_SHAPES, BOOL_SHAPES)
             if bool_outcome(jtorch, a, b) != bool_outcome(torch, a, b)]
    assert not diffs, diffs[:5]
