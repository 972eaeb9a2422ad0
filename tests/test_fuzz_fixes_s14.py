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


def test_index_put_saves_its_indices():
    """IndexPutBackward0 saves the indices: after a failed backward (a stale saved result
    further down) a second pass finds the node freed, as torch's."""
    def run(m):
        v0 = m.tensor([[-1e-30, -0.0, 1.0], [0.5, 2.25, 1e30]], dtype=m.float64,
                      requires_grad=True)
        v2 = v0.chunk(2, -1)[-1]
        v3 = m.pow(v2, v2)
        v3[[0, -1]] = 0.5
        out = []
        for k in range(2):
            try:
                v3.sum().backward(retain_graph=bool(k))
                out.append("ok")
            except RuntimeError as e:
                out.append(str(e)[:60])
        return out
    assert run(jtorch) == run(torch)


def test_a_failed_backward_on_the_fused_path_frees_what_ran():
    def run(m):
        out = []
        for _ in range(4):      # (the fused path takes a structure once it repeats)
            a = m.ones(2, requires_grad=True)
            y = (a * 3) ** m.ones(2, requires_grad=True)
            z = y.clone()
            z[0] = 5.0
            y.add_(1)
            for _ in range(2):
                try:
                    (z * a).sum().backward()
                    out.append("ok")
                except RuntimeError as e:
                    out.append(str(e)[:60])
            out.append(None if a.grad is None else a.grad.tolist())
        return out
    assert run(jtorch) == run(torch)


def test_an_integral_tensor_with_history_converts_to_another_integral_dtype():
    def run(m, conv):
        v = m.zeros(2, 3, dtype=m.int64)
        v[0] = m.tensor(1.5, requires_grad=True)
        return conv(v)
    for conv in (lambda v: v.bool(), lambda v: v.int(), lambda v: v.float(),
                 lambda v: v.clone()):
        assert outcome(lambda: run(jtorch, conv)) == outcome(lambda: run(torch, conv))


def test_copy_from_the_same_data_returns_before_the_overlap_checks():
    def run(m):
        x = m.arange(3.).expand(2, 3)
        out = []
        for src in (x, x.detach(), x[:], x.view(2, 3), m.arange(3.).expand(2, 3)):
            out.append(outcome(lambda: x.copy_(src)))
        return out, x._version
    assert run(jtorch) == run(torch)


INPLACE_SECOND_BACKWARD = [
    "x.mul_(2)", "x.mul_(b)", "x.add_(b)", "x.clamp_(0, 1)", "x.sin_()", "x.sqrt_()",
    "x.relu_()", "x.div_(b)", "x.pow_(2)", "x.abs_()", "x.neg_()", "x.copy_(b)", "x.fill_(1)",
    "x.masked_fill_(b > 0, 1)", "x.index_fill_(0, idx, 1)", "x[0] = b[0]", "x.addcmul_(b, b)",
    "x.lerp_(b, 0.5)", "x.reciprocal_()"]


@pytest.mark.parametrize("code", INPLACE_SECOND_BACKWARD)
def test_an_inplace_node_that_saves_its_original_self_is_freed(code):
    """torch saves a copy of the original self for an in-place op whose formula reads self
    (clamp_, abs_, ...): backward frees the node, and a second pass raises."""
    def run(m):
        a = m.tensor([0.6, 0.7, 0.8], requires_grad=True)
        b = m.tensor([0.3, 0.2, 0.1], requires_grad=True)
        idx = m.tensor([0])
        x = a.clone()
        exec(code)
        out = []
        for _ in range(2):
            try:
                x.sum().backward()
                out.append("ok")
            except RuntimeError as e:
                out.append(str(e)[:40])
        return out, [round(g, 5) for g in a.grad.tolist()]  # (sqrt's gradient: 1 ulp apart)
    assert run(jtorch) == run(torch)


@pytest.mark.parametrize("make", [lambda m: m.ones(2, 1)[2:], lambda m: m.ones(3, 0).t(),
                                  lambda m: m.ones(0, 3, 1).permute(2, 0, 1),
                                  lambda m: m.ones(3, 4).t(),
                                  lambda m: m.ones(2, 3, 4)[:, :, ::2]])
@pytest.mark.parametrize("name", ["isinf", "isfinite", "isnan"])
def test_float_predicates_lay_out_empty_results_as_torch(make, name):
    """isinf is torch's composite abs(x) == inf: its empty results' strides are a
    comparison's with a number (a (0, 1) input with strides (1, 1) gives (1, 0))."""
    same(lambda m: getattr(m, name)(make(m)))


CLAMPS = [lambda m, x: x.clamp_(-1, 1), lambda m, x: x.clamp_(0.5, 1),
          lambda m, x: x.clamp_(m.tensor(0.5), None), lambda m, x: x.clamp_min_(0.5),
          lambda m, x: x.clamp_max_(m.tensor(2)), lambda m, x: x.clamp_max_(0.5),
          lambda m, x: x.clamp_min_(1)]


@pytest.mark.parametrize("clamp", range(len(CLAMPS)))
@pytest.mark.parametrize("make", [lambda m: m.zeros(2, dtype=m.bool),
                                  lambda m: m.zeros((), dtype=m.bool).expand(2),
                                  lambda m: m.zeros(2, dtype=m.int64).expand(2, 2),
                                  lambda m: m.zeros(2, dtype=m.int64)])
def test_inplace_clamp_with_number_bounds_checks_the_cast_before_the_overlap(clamp, make):
    same(lambda m: CLAMPS[clamp](m, make(m)))


@pytest.mark.parametrize("name", ["remainder", "fmod"])
def test_modulus_gradients_by_torch_formulas(name):
    """other's gradient is -grad * (a / b rounded): -0. where the quotient rounds to 0 (JAX's
    autodiff of remainder adds the +0. of a branch not taken)."""
    def run(m):
        a = m.tensor([1., -1., 0., -0., 7., -7., INF, 1e30, 3.], requires_grad=True)
        b = m.tensor([123.456, 123.456, 2., -2., -1.5, 1.5, 2., 1e-30, INF], requires_grad=True)
        getattr(m, name)(a, b).sum().backward()
        x = m.tensor([[5.], [-5.]], requires_grad=True)
        y = m.tensor([2., -3., 0.5], requires_grad=True)
        getattr(m, name)(x, y).sum().backward()
        z = m.tensor([-1.5, 123.456, 2.], requires_grad=True)
        getattr(m, name)(m.tensor([True, True, False]), z).sum().backward()
        return [str(t.grad) for t in (a, b, x, y, z)]
    assert run(jtorch) == run(torch)


def test_copy_into_an_integral_tensor_reads_no_stale_view_history():
    """torch collects no gradient edges for copy_ into an int target: a multi-output view
    written in place is not refused, the shape error comes first."""
    def run(m):
        x = m.tensor([[-1.0], [0.5], [-3.0]], dtype=m.float64, requires_grad=True)
        v = x.log1p().t().chunk(2, -1)[-1]      # (1, 0): output 1 of a split
        v.copy_(m.ones(1, 0, dtype=m.float64))
        return m.zeros(0, dtype=m.int64).copy_(v)
    same(run)
