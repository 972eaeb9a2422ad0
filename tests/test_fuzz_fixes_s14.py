"""Fixes for failures of the seed-2028 fuzz campaign (issue 27), each compared with torch."""
import pytest

import jtorch

torch = pytest.importorskip("torch")

INF = float("inf")


def outcome(fn):
    """What a user sees of ``fn()``: a tensor's metadata and values, or the exception."""
    try:
        r = fn()
    except Exception as e:  # noqa: BLE001 (compared with torch's)
        return ("err", type(e).__name__, str(e))
    if isinstance(r, (tuple, list)):
        return [outcome(lambda x=x: x) for x in r]
    if hasattr(r, "shape"):
        return (str(r.dtype), tuple(r.shape), tuple(r.stride()), r.requires_grad,
                None if r.grad_fn is None else r.grad_fn.name(), repr(r.detach()))
    return r


def same(fn):
    assert outcome(lambda: fn(jtorch)) == outcome(lambda: fn(torch))


# ------------------------------------------------------------------ requires_grad on a non-leaf
def _bool_with_history(m):
    t = m.tensor([[True, False, False], [False, False, True]])
    t[-1] = m.tensor(7.0, dtype=m.float64, requires_grad=True)
    return t


@pytest.mark.parametrize("how", ["method", "method_false", "setter", "setter_false"])
def test_requires_grad_of_a_non_leaf(how):
    def run(m, make):
        t = make(m)
        if how == "method":
            return t.requires_grad_()
        if how == "method_false":
            return t.requires_grad_(False)
        t.requires_grad = how == "setter"
        return t
    same(lambda m: run(m, _bool_with_history))
    same(lambda m: run(m, lambda m: m.ones(2, requires_grad=True) * 2))


# ------------------------------------------------------------------ views of integral tensors
@pytest.mark.parametrize("view", ["chunk", "split", "narrow", "select", "slice", "view",
                                  "expand", "t", "unsqueeze", "mask", "contiguous"])
def test_a_view_of_an_integral_tensor_with_history_refuses_autograd(view):
    views = {"chunk": lambda t: t.chunk(2, -1)[-1], "split": lambda t: t.split(1)[0],
             "narrow": lambda t: t.narrow(-1, 1, 1), "select": lambda t: t[0],
             "slice": lambda t: t[1:], "view": lambda t: t.view(-1),
             "expand": lambda t: t.expand(2, 2, 3), "t": lambda t: t.t(),
             "unsqueeze": lambda t: t.unsqueeze(0), "mask": lambda t: t[t],
             "contiguous": lambda t: t.contiguous()}
    same(lambda m: views[view](_bool_with_history(m)))


# ------------------------------------------------------------------ setitem's checks
@pytest.mark.parametrize("code", ["x[0] = x", "x[1:] = x[:-1]", "x[1:] = x[:-1].unsqueeze(0)",
                                  "x[0] = x.detach()", "x[0] = x[1]", "x[:] = x"])
@pytest.mark.parametrize("leaf", [True, False])
def test_setitem_checks_a_leaf_before_the_overlap(code, leaf):
    def run(m):
        x = m.ones(3, requires_grad=True)
        x = x if leaf else x.clone()
        exec(code)
        return x
    same(run)


def test_setitem_of_a_tensor_into_its_own_broadcast_view():
    def run(m):
        v = m.zeros(4, 1, 3, dtype=m.bool).split(1)[0]
        v[0] = v        # (1, 3) <- (1, 1, 3): the expanded source fully overlaps: allowed
        return v
    same(run)


# ------------------------------------------------------------------ expand's strides
@pytest.mark.parametrize("shape,sizes", [((), (1,)), ((), (3, 1)), ((), (1, 1)), ((3,), (1, 3)),
                                         ((3,), (1, 2, 3)), ((3,), (1, 1, 3)),
                                         ((3, 1), (1, -1, 2)), ((2, 1), (1, 2, 4))])
def test_expand_strides_of_new_size_one_dims(shape, sizes):
    same(lambda m: m.ones(shape).expand(*sizes))
    same(lambda m: m.ones(2, 3)[:, :1].expand(1, 2, 1))


@pytest.mark.parametrize("sizes", [(-1, 3, 2), (-2, 4, 5), (2, 4, 5)])
def test_expand_errors_come_from_the_last_dim_first(sizes):
    same(lambda m: m.ones(3, 1).expand(*sizes))


# ------------------------------------------------------------------ what backward saves
@pytest.mark.parametrize("n", [0, 2])
def test_indexing_saves_its_indices(n):
    """IndexBackward0 saves the indices: its graph is freed by a backward without
    retain_graph (a second pass raises, also for empty tensors)."""
    def run(m):
        x = m.ones(2, n, dtype=m.float64, requires_grad=True)
        y = x[x > 0]
        (y * 2).sum().backward()
        m.sinh(y).sum().backward()
        return x.grad
    same(run)


def test_an_index_written_in_place_before_backward():
    def run(m):
        x = m.ones(4, 3, requires_grad=True)
        idx = m.tensor([0, 2])
        y = x[idx, 1]
        idx.add_(1)
        y.sum().backward()
        return x.grad
    same(run)


def test_a_node_without_derivative_saves_nothing():
    """remainder(number, tensor) has no derivative: its backward raises that, not a saved
    tensor's version error (the tensor was written in place after)."""
    def run(m):
        v0 = m.tensor([[-3.0], [0.5], [INF]], dtype=m.float64, requires_grad=True)
        v1 = v0[v0 > 0]
        v2 = (-0.0) % v1
        v1.sub_(v2)
        v1.sum().backward()
        return v0.grad
    same(run)


# ------------------------------------------------------------------ logsumexp's gradient
@pytest.mark.parametrize("values", [[INF, -INF, 123.456], [INF, 1.0, 2.0], [-INF, -INF],
                                    [[1.0, 2.0], [3.0, -INF]]])
def test_logsumexp_gradient_at_infinities(values):
    def run(m):
        x = m.tensor(values, dtype=m.float64, requires_grad=True)
        x.logsumexp(-1).sum().backward()
        return x.grad
    same(run)
