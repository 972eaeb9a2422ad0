"""The pointwise failure classes the differential fuzzer found (issue 27), fixed: each case
runs on torch and jtorch and compares what a user sees (result dtype, shape, strides and
values, or the exception type and message).

- dtypes torch's kernels refuse (``refuses`` in ``_ops/pointwise.py``: the common dtype
  decides, ``fmod(bool, int)`` runs in int64), integer division by zero;
- the result layout of element-wise ops on views (``_result_layout.elementwise_strides``,
  torch's TensorIterator rule), on the first call, the fast path and the deferred queue;
- in-place shape errors before dtype errors, ``copy_``'s shape errors, clamp_'s messages;
- signed zeros and NaN (maximum, bool * inf), float -> integer conversion (x86 rules).
"""
import itertools

import numpy as np
import pytest

import jtorch

torch = pytest.importorskip("torch")


def outcome(fn, m):
    """What a user sees of ``fn(m)``: the tensor's metadata and values, or the error."""
    try:
        r = fn(m)
    except Exception as e:  # noqa: BLE001 - compared with torch's
        return ("err", type(e).__name__, str(e))
    grad_fn = None if r.grad_fn is None else type(r.grad_fn).__name__
    vals = np.array(r.detach().tolist(), dtype=object if r.dtype is m.bool else None)
    return ("tensor", repr(r.dtype), tuple(r.shape), tuple(r.stride()), grad_fn, vals)


def assert_same_outcome(fn):
    a, b = outcome(fn, jtorch), outcome(fn, torch)
    assert a[:5] == b[:5], (a, b)
    if a[0] == "tensor":
        x, y = np.asarray(a[5], dtype=float), np.asarray(b[5], dtype=float)
        assert np.array_equal(x, y, equal_nan=True), (a[5], b[5])
        zeros = (x == 0) & (y == 0)
        assert np.array_equal(np.signbit(x[zeros]), np.signbit(y[zeros])), (a[5], b[5])


INF = float("inf")


def t(m, values, dtype):
    return m.tensor(values, dtype=getattr(m, dtype))


# ------------------------------------------------------------------ refused dtypes
REFUSED = {
    "ceil_bool": lambda m: m.ceil(t(m, [True, False], "bool")),
    "floor_bool_": lambda m: t(m, [True], "bool").floor_(),
    "trunc_bool": lambda m: t(m, [True], "bool").trunc(),
    "round_bool": lambda m: m.round(t(m, [True], "bool")),
    "ceil_int": lambda m: m.ceil(t(m, [3, -2], "int64")),
    "frac_int": lambda m: m.frac(t(m, [3, -2], "int64")),
    "frac_bool_": lambda m: t(m, [True], "bool").frac_(),
    "frac_float": lambda m: m.frac(t(m, [1.5, -2.25], "float32")),
    "relu_bool": lambda m: m.relu(t(m, [True], "bool")),
    "relu_bool_": lambda m: t(m, [True], "bool").relu_(),
    "relu_int": lambda m: m.relu(t(m, [-1, 2], "int64")),
    "neg_bool": lambda m: -t(m, [True], "bool"),
    "neg_bool_": lambda m: t(m, [True], "bool").neg_(),
    "abs_bool": lambda m: m.abs(t(m, [True], "bool")),
    "abs_int": lambda m: m.abs(t(m, [-3], "int64")),
    "fmod_bool": lambda m: m.fmod(t(m, [True], "bool"), t(m, [True], "bool")),
    "fmod_bool_True": lambda m: m.fmod(t(m, [True], "bool"), True),
    "fmod_bool_int": lambda m: m.fmod(t(m, [True], "bool"), t(m, [2], "int64")),
    "remainder_bool": lambda m: t(m, [True], "bool") % t(m, [True], "bool"),
    "remainder_bool_2": lambda m: t(m, [True], "bool") % 2,
    "floordiv_bool": lambda m: t(m, [True], "bool") // t(m, [True], "bool"),
    "pow_bool": lambda m: t(m, [True], "bool") ** t(m, [True], "bool"),
    "pow_bool_True": lambda m: t(m, [True, False], "bool") ** True,
    "pow_True_bool": lambda m: m.pow(True, t(m, [True], "bool")),
    "pow_bool_2": lambda m: t(m, [True], "bool") ** 2,
    "hypot_bool_float": lambda m: m.hypot(t(m, [True], "bool"), t(m, [3.0], "float32")),
    "hypot_bool_int": lambda m: m.hypot(t(m, [True], "bool"), t(m, [3], "int64")),
    "hypot_int": lambda m: m.hypot(t(m, [3], "int64"), t(m, [4], "int64")),
    "bitwise_float_double": lambda m: m.bitwise_and(t(m, [1.0], "float32"),
                                                    t(m, [1.0], "float64")),
    "bitwise_bool_float": lambda m: t(m, [True], "bool") & 0.5,
    "bitwise_shape_first": lambda m: m.bitwise_and(m.ones(3), m.ones(4, dtype=m.long)),
    "fmod_shape_first": lambda m: m.fmod(m.ones(3, dtype=m.bool), m.ones(4, dtype=m.bool)),
    "clamp_bool_scalars": lambda m: m.clamp(t(m, [True], "bool"), True, True),
    "clamp_bool_min": lambda m: t(m, [True], "bool").clamp(min=False),
    "clamp_bool_tensor": lambda m: m.clamp(t(m, [True], "bool"), t(m, [True], "bool")),
    "clamp_bool_int": lambda m: m.clamp(t(m, [True], "bool"), 0, 1),
}


@pytest.mark.parametrize("name", REFUSED)
def test_refused_dtypes(name):
    assert_same_outcome(REFUSED[name])


def test_refusal_caches_nothing():
    """A refused call leaves no compiled entry behind: it raises again, and the op still
    runs on the dtypes it accepts."""
    for _ in range(3):
        with pytest.raises(NotImplementedError, match="ceil_vml_cpu"):
            jtorch.ceil(jtorch.tensor([True]))
        assert jtorch.ceil(jtorch.tensor([1.5])).tolist() == [2.0]


# ------------------------------------------------------------------ integer division by 0
DIVISION = {
    "int_mod_0": lambda m: t(m, [1, 2], "int64") % 0,
    "0_mod_int": lambda m: 0 % t(m, [0, 1], "int64"),
    "remainder_tensor": lambda m: t(m, [1, 2], "int64").remainder(t(m, [0, 1], "int64")),
    "fmod_tensor": lambda m: t(m, [1, 2], "int64").fmod(t(m, [0, 1], "int64")),
    "floordiv_tensor": lambda m: t(m, [1, 2], "int64") // t(m, [0, 1], "int64"),
    "int_mod_False": lambda m: t(m, [1], "int64") % False,
    "bool_mod_int0": lambda m: t(m, [True], "bool") % t(m, [0], "int64"),
    "empty_mod_0": lambda m: t(m, [], "int64") % 0,
    "bad_shapes_first": lambda m: t(m, [1, 2, 3], "int64") % t(m, [0, 1], "int64"),
    "float_mod_0": lambda m: t(m, [1.0, -1.0], "float32") % 0,
    "int_mod_0.0": lambda m: t(m, [1], "int64") % 0.0,
    "in_place": lambda m: t(m, [3], "int64").remainder_(0),
}


@pytest.mark.parametrize("name", DIVISION)
def test_integer_division_by_zero(name):
    assert_same_outcome(DIVISION[name])


# ------------------------------------------------------------------ result layout
def _views(m, shape):
    x = m.arange(float(np.prod(shape))).reshape(shape) - 2.5
    out = [x] + [x.permute(p) for p in itertools.permutations(range(len(shape)))][1:]
    if shape:
        out += [x[..., ::2], x.unsqueeze(0), x.unsqueeze(-1), x.expand(2, *shape)]
    if len(shape) >= 2:
        out += [x.mT, x.transpose(0, 1)[:, None], x[:, None].transpose(0, -1)]
    return out


def _meta(x):
    return (tuple(x.shape), tuple(x.stride())) if isinstance(x, torch.Tensor) else None


def test_layout_rule_grid():
    """``elementwise_strides`` against torch's result strides over pairs of views of many
    shapes (unary, a Python number operand, binary, where): the rule itself, no jtorch op."""
    from jtorch._result_layout import elementwise_strides
    from jtorch._views import contiguous_strides
    pool = [v for s in [(), (0,), (1,), (3,), (2, 3), (3, 1), (1, 3), (2, 0), (2, 3, 4),
                        (4, 1, 3), (1, 4, 1, 3), (2, 3, 4, 5)] for v in _views(torch, s)]
    pairs = list(itertools.product(pool, pool))[::7]
    cases = [(-a, (a,)) for a in pool] + [(a + 1, (a, 1)) for a in pool]
    for a, b in pairs:
        try:
            cases += [(a + b, (a, b)), (torch.where(a > 0, a, b), (a > 0, a, b))]
        except RuntimeError:
            pass
    for res, ins in cases:
        got = elementwise_strides(tuple(map(_meta, ins)), tuple(res.shape))
        got = contiguous_strides(tuple(res.shape)) if got is None else got
        assert got == res.stride(), [_meta(x) for x in ins]


LAYOUT_SHAPES = [(2, 3), (1, 3), (2, 0), (4, 1, 3)]
UNARY = {"neg": lambda m, a: -a, "add1": lambda m, a: a + 1, "pow2": lambda m, a: a ** 2,
         "gt": lambda m, a: a > 0}


def _same_runs(fn, i, shape):
    """``fn`` on the i-th view of ``shape``, called 3 times (the full path, then the fast
    path learning the shapes, then a deferred run): the same strides and values as torch."""
    got = [fn(jtorch, _views(jtorch, shape)[i]) for _ in range(3)]
    want = fn(torch, _views(torch, shape)[i])
    for r in got:
        assert (r.stride(), r.dtype.is_floating_point) == (want.stride(),
                                                           want.dtype.is_floating_point)
        np.testing.assert_allclose(np.array(r.tolist(), dtype=float),
                                   np.array(want.tolist(), dtype=float), rtol=1e-6)


@pytest.mark.parametrize("shape", LAYOUT_SHAPES, ids=str)
def test_unary_layout(shape):
    """Element-wise results follow a view operand's layout (a transposed input gives a
    transposed result), with a Python number as an operand or as a kernel argument."""
    for i in range(len(_views(torch, shape))):
        for fn in UNARY.values():
            _same_runs(fn, i, shape)


BINARY_PAIRS = [((2, 3), (3,)), ((4, 1, 3), (4, 1, 3)), ((3, 1), (1, 3))]


@pytest.mark.parametrize("shapes", BINARY_PAIRS, ids=str)
def test_binary_layout(shapes):
    """The first operand that tells two dims apart by stride decides their order."""
    va, vb = _views(torch, shapes[0]), _views(torch, shapes[1])
    for i, k in itertools.product(range(len(va)), range(len(vb))):
        def run(m):
            a, b = _views(m, shapes[0])[i], _views(m, shapes[1])[k]
            try:
                rs = [a + b, m.where(a > b, a, b)]
            except RuntimeError:
                return None
            return [(tuple(r.stride()), r.tolist()) for r in rs]
        assert run(jtorch) == run(torch), (shapes, i, k)


def test_layout_with_grad_and_backward():
    """A transposed result records its node, and gradients flow through it as torch's."""
    for m in (jtorch, torch):
        out = []
        for _ in range(3):      # full path, then the grad fast path
            x = m.arange(6.0, dtype=m.float64).reshape(2, 3).requires_grad_()
            y = (x.t() * 0.5).exp()
            z = (y + 1).sin().sum()
            z.backward()
            out.append((y.stride(), y.is_contiguous(), type(y.grad_fn).__name__,
                        x.grad.tolist()))
        if m is jtorch:
            mine = out
    np.testing.assert_allclose(np.array([o[3] for o in mine]), np.array([o[3] for o in out]),
                               rtol=1e-6)
    assert [o[:3] for o in mine] == [o[:3] for o in out]


def test_layout_result_in_place_and_views():
    """In-place writes, views and .view() on a transposed result behave as torch's."""
    def run(m):
        y = m.arange(6.0).reshape(2, 3).t() + 0
        y.mul_(2)
        y[0] = -1
        out = [y.tolist(), y.stride(), y.contiguous().stride(), y.reshape(-1).tolist(),
               y.t().is_contiguous(), y.t().view(-1).tolist()]
        try:
            y.view(-1)
        except RuntimeError as e:
            out.append(str(e)[:40])
        return out
    assert run(jtorch) == run(torch)


# ------------------------------------------------------------------ in-place order
INPLACE = {
    "add_bcast_first": lambda m: m.zeros(2, 3, dtype=m.long).add_(m.ones(4, 2, 3)),
    "add_sizes_first": lambda m: m.zeros(3, dtype=m.long).add_(m.ones(4)),
    "sub_bcast": lambda m: m.zeros(4, 1, 3, dtype=m.long).sub_(m.ones(4, 2, 3)),
    "mul_0dim": lambda m: m.zeros((), dtype=m.long).mul_(m.ones(2, 3, 4, dtype=m.float64)),
    "div_sizes": lambda m: m.zeros(2, 0, dtype=m.long).div_(m.ones(3, 1, dtype=m.long)),
    "pow_bool": lambda m: m.zeros(1, dtype=m.bool).pow_(m.ones(2, 0)),
    "add_cast_only": lambda m: m.zeros(3, dtype=m.long).add_(m.ones(3)),
    "add_ok": lambda m: m.zeros(2, 3).add_(m.ones(3)),
    "copy_more_dims": lambda m: m.zeros(1).copy_(m.ones(3, 1)),
    "copy_sizes": lambda m: m.zeros(3).copy_(m.ones(4)),
    "copy_larger": lambda m: m.zeros(3, 1).copy_(m.ones(3, 4)),
    "copy_ok": lambda m: m.zeros(2, 3).copy_(m.ones(3, dtype=m.bool)),
    "clamp_bool": lambda m: m.zeros(2, dtype=m.bool).clamp_(-1, 1),
    "clamp_long_float": lambda m: m.zeros(2, dtype=m.long).clamp_(0, 1.5),
    "clamp_int32": lambda m: m.zeros(2, dtype=m.int32).clamp_(0.5),
    "clamp_uint8": lambda m: m.zeros(2, dtype=m.uint8).clamp_(min=0.5),
    "clamp_tensor_bound": lambda m: m.zeros(2, dtype=m.bool).clamp_(m.ones(2, dtype=m.long)),
    "clamp_ok": lambda m: m.arange(4).clamp_(1, 2),
    "clip_": lambda m: m.zeros(2, dtype=m.bool).clip_(-1, 1),
    "clamp_grad": lambda m: m.ones(2, requires_grad=True).clone().clamp_(0, 0.5),
    "overlap_shifted": lambda m: (lambda a: a[1:].add_(a[:-1]))(m.arange(5.0)),
    "overlap_0dim": lambda m: (lambda a: a.reshape(()).mul_(a))(m.ones(1)),
    "overlap_transposed": lambda m: (lambda a: a.mul_(a.t()))(m.ones(1, 3)),
    "overlap_row_first": lambda m: (lambda a: a.add_(a[0]))(m.ones(2, 3, dtype=m.long) * 0.5),
    "same_memory_ok": lambda m: (lambda a: a.mul_(a.detach()))(m.arange(6.0).reshape(2, 3)),
    "disjoint_ok": lambda m: (lambda a: a[0].add_(a[1]))(m.arange(6.0).reshape(2, 3)),
}


@pytest.mark.parametrize("name", INPLACE)
def test_inplace_errors(name):
    assert_same_outcome(INPLACE[name])


# ------------------------------------------------------------------ values
VALUES = {
    "maximum_zeros": lambda m: m.maximum(t(m, [-0.0, 0.0, -0.0], "float32"),
                                         t(m, [0.0, -0.0, -0.0], "float32")),
    "minimum_zeros": lambda m: m.minimum(t(m, [-0.0, 0.0, 0.0], "float64"),
                                         t(m, [0.0, -0.0, 0.0], "float64")),
    "maximum_nan": lambda m: m.maximum(t(m, [float("nan"), 1.0], "float32"),
                                       t(m, [1.0, float("nan")], "float32")),
    "bool_times_inf": lambda m: t(m, [False, True, False], "bool") *
    t(m, [float("inf"), 0.0, -0.0], "float64"),
    "neg_zero_times_bool": lambda m: -0.0 * t(m, [False, False, True], "bool"),
    "bool_plus_float": lambda m: t(m, [False, True], "bool") + t(m, [-0.0, 1.0], "float32"),
    "relu_signed_zero": lambda m: m.relu(t(m, [-0.0, 0.0, float("nan"), -1.0], "float32")),
    "relu_grad": lambda m: _grad_of(m.relu, t(m, [-0.0, 0.0, float("nan"), -1.0, 2.0],
                                              "float64")),
    "floor_divide_float": lambda m: t(m, [INF, -INF, 5.0, -5.0, 5.0, 0.0, -0.0, 7.0, 1.0, -7.5,
                                          -1.0, 3.0], "float32") //
    t(m, [2.0, 3.0, -2.0, 2.0, 0.0, 0.0, -2.0, 0.7, INF, 2.0, INF, -INF], "float32"),
    "div_floor_float64": lambda m: m.div(t(m, [INF, 1e30, -0.0, 0.1], "float64"),
                                         t(m, [2.0, 1e-30, 3.0, 0.01], "float64"),
                                         rounding_mode="floor"),
    "floor_divide_node": lambda m: m.floor_divide(m.ones(2, requires_grad=True), 2),
    "floordiv_node": lambda m: m.ones(2, requires_grad=True) // m.ones(2),
}


def _grad_of(fn, x):
    x.requires_grad_()
    fn(x).sum().backward()
    return x.grad


@pytest.mark.parametrize("name", VALUES)
def test_values(name):
    assert_same_outcome(VALUES[name])


@pytest.mark.parametrize("src", ["float32", "float64"])
@pytest.mark.parametrize("dst", ["int8", "uint8", "int16", "int32", "int64"])
def test_float_to_int_out_of_range(src, dst):
    """torch's x86 conversion: NaN and out-of-range values become the minimum of int32
    (int64 for int64), narrower types wrap it (jtorch follows x86, see CONTRIBUTING)."""
    vals = [1e30, float("nan"), 300.7, -1.38, -1e30, float("inf"), 3e9, -3e9, 1e19, 2.5]
    assert_same_outcome(lambda m: t(m, vals, src).to(getattr(m, dst)))
    assert_same_outcome(lambda m: t(m, vals, src).long())
