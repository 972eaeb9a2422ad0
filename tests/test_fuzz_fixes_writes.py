"""Fuzz classes fixed in in-place writes, setitem and views (issue #27): the order of torch's
in-place errors (overlap, shapes, then the kernel's dtype refusal), copy_'s overlap checks,
fill_'s value checks, float-to-integer writes and empty views' strides. Each test runs the
same code on torch and jtorch and compares the outcome (values, or the error's type and
text)."""
import numpy as np
import pytest

import jtorch

torch = pytest.importorskip("torch")

NAN = float("nan")


def _outcome(fn, lib):
    try:
        r = fn(lib)
    except Exception as e:      # (compared: the type and the message)
        return ("err", type(e).__name__, str(e))
    if isinstance(r, tuple):
        return r
    return ("tensor", str(r.dtype), tuple(r.shape), tuple(r.stride()),
            np.asarray(r.detach().numpy()).tolist())


def _same(fn):
    a, b = _outcome(fn, torch), _outcome(fn, jtorch)
    assert repr(a) == repr(b) or (a[0] == "tensor" and b[0] == "tensor" and _close(a, b)), (a, b)


def _close(a, b):
    np.testing.assert_allclose(np.asarray(a[4], float), np.asarray(b[4], float),
                               rtol=1e-6, equal_nan=True)
    return a[:4] == b[:4]


def _bools(lib, *shape):
    return lib.arange(int(np.prod(shape))).reshape(shape).remainder(2).bool()


# ------------------------------------------------------------------ error order
@pytest.mark.parametrize("case", [
    lambda m: _bools(m, 3, 1).expand(3, 3).pow_(_bools(m, 1)),          # internal overlap
    lambda m: _bools(m, 3, 1).pow_(_bools(m, 1, 3)),                    # output shape
    lambda m: _bools(m, 3, 1).pow_(_bools(m, 3, 1)),                    # the kernel's refusal
    lambda m: m.pow(_bools(m, 2), _bools(m, 3)),                        # broadcast first
    lambda m: m.pow(True, _bools(m, 2)),
    lambda m: (lambda x: x[-1].pow_(x.permute(2, 1, 0)))(_bools(m, 2, 3, 4)),  # partial
])
def test_bool_pow_refused_after_iterator_checks(case):
    _same(case)


@pytest.mark.parametrize("name", ["neg_", "relu_", "neg", "relu"])
@pytest.mark.parametrize("expanded", [False, True])
def test_bool_neg_relu_refused_before_overlap(name, expanded):
    def run(m):
        x = _bools(m, 1, 3)
        return getattr(x.expand(2, 3) if expanded else x, name)()
    _same(run)


# ------------------------------------------------------------------ copy_
@pytest.mark.parametrize("case", [
    lambda m: (lambda x: x.copy_(x.reshape(1)))(m.zeros(())),
    lambda m: (lambda x: x.copy_(x.t()))(m.zeros(3, 3)),
    lambda m: (lambda x: x.copy_(x.detach()))(m.ones(3, 3)),
    lambda m: (lambda x: x.copy_(x[0]))(m.zeros(3, 3)),
    lambda m: (lambda x: x[:3].copy_(x[1:4]))(m.zeros(6)),
    lambda m: (lambda x: x[:3].copy_(x[3:]))(m.arange(6.)),
    lambda m: (lambda x: x.copy_(x.reshape(3, 2)))(m.zeros(2, 3)),
    lambda m: (lambda x: x.copy_(m.zeros(4)))(m.zeros(2, 3)),
    lambda m: (lambda x: x.expand(3, 3).copy_(x.t()))(m.zeros(1, 3)),
    lambda m: (lambda x: x.copy_(x))(m.arange(3.).expand(2, 3)),     # copy onto itself
    lambda m: (lambda x: x.copy_(2.5))(m.zeros(2)),
])
def test_copy_overlap(case):
    _same(case)


# ------------------------------------------------------------------ fill_
@pytest.mark.parametrize("case", [
    lambda m: m.zeros(3).fill_(m.zeros(1)),
    lambda m: m.fill(m.zeros(3), m.zeros(2, 2)),
    lambda m: m.zeros(1, 3).expand(2, 3).fill_(m.zeros(1)),
    lambda m: m.zeros(3).fill_(m.tensor(1.5)),
    lambda m: (lambda x: x.fill_(x[1]))(m.arange(3.)),       # a 0-dim view of the target
])
def test_fill_value_tensor(case):
    _same(case)


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "uint8", "bool", "float32"])
@pytest.mark.parametrize("value", [NAN, 1e30, -1.5, 255.9, 256.0, -0.9])
def test_float_number_into_integer_is_checked(dtype, value):
    def run(m):
        x = m.zeros(3, dtype=getattr(m, dtype))
        mask = m.tensor([True, False, True])
        res = [x.clone().fill_(value), x.clone().masked_fill_(mask, value)]
        for key in (1, slice(None), mask, m.tensor([0, 2])):
            y = x.clone()
            y[key] = value
            res.append(y)
        return tuple(r.tolist() for r in res)
    _same(run)


@pytest.mark.parametrize("value", [NAN, 1e30, -1e30, -2.7])
def test_float_tensor_into_int64_casts_as_torch(value):
    """A float tensor written into int64 converts as torch's x86 casts (NaN and out of
    range give the minimum); a one-element value under a mask is a checked number."""
    def run(m):
        x = m.zeros(3, dtype=m.int64)
        v = m.tensor(value)
        res = [x.clone().fill_(v)]
        for key, val in ((slice(None), v), (1, v), (slice(None), m.tensor([value] * 3))):
            y = x.clone()
            y[key] = val
            res.append(y)
        out = tuple(r.tolist() for r in res)
        try:
            y = x.clone()
            y[m.tensor([True, False, True])] = v
            return out + (y.tolist(),)
        except RuntimeError as e:
            return out + (str(e),)
    _same(run)


# ------------------------------------------------------------------ setitem
@pytest.mark.parametrize("case", [
    lambda m: (lambda x: x.__setitem__(slice(1, 4), x[:3].reshape(1, 3)))(m.arange(6.)),
    lambda m: (lambda x: x.__setitem__(0, x.view(-1)[1:4]))(m.arange(6.).reshape(2, 3)),
    lambda m: (lambda x: x.__setitem__(slice(None), x.t()))(m.arange(9.).reshape(3, 3)),
    lambda m: (lambda x: x.__setitem__(0, x[0].detach()))(m.arange(6.).reshape(2, 3)),
])
def test_setitem_value_aliasing_target_is_refused(case):
    def run(m):
        case(m)
        return ("ok",)
    _same(run)


def test_setitem_views_the_value_first():
    """torch views the value (to strip its leading 1s) before checking its shape: a chunk
    whose base was modified in place raises the multi-output view error first."""
    def run(m):
        base = m.zeros(0, requires_grad=True).sin()
        chunk = base.chunk(2, -1)
        base.div_(base)
        x = m.zeros(1, dtype=m.float64)
        x[-1] = chunk[-1]
        return x
    _same(run)


# ------------------------------------------------------------------ views of empty tensors
@pytest.mark.parametrize("case", [
    lambda m: m.zeros(2, 0, 3).transpose(0, 2).reshape(3, 0, 2),
    lambda m: m.zeros(2, 0, 3).transpose(0, 2).view(3, 0, 2),
    lambda m: m.zeros(2, 0, 3).transpose(0, 2).reshape(-1),
    lambda m: m.empty_strided((0,), (2,)).reshape(-1),
    lambda m: m.empty_strided((0,), (2,)).view(0, 1),
    lambda m: m.zeros(()).view(()),
])
def test_empty_view_to_its_own_shape_keeps_strides(case):
    _same(case)


# ------------------------------------------------------------------ saved-tensor checks
def _leaf(m):
    return m.tensor([[1., 2.], [3., 4.]], requires_grad=True)


def _pair(m):
    """Two non-leaf tensors: a plain one and a view (their error texts tell them apart)."""
    a = m.tensor([1., 2.], requires_grad=True).clone()
    b = m.tensor([3., 4.], requires_grad=True).clone()
    return a, b[:]


def _backward(r):
    r.sum().backward()
    return ("ok",)


@pytest.mark.parametrize("case", [
    # a saved output names the node that saved it, not a later in-place op's
    lambda m: (lambda a: (lambda x: (x.relu_(), _backward(x)))(m.hypot(a, a)))(_leaf(m)),
    lambda m: (lambda x: (x.relu_(), _backward(x)))(_leaf(m).sqrt()),
    lambda m: (lambda x: (x.exp_(), _backward(x)))(_leaf(m).sqrt()),
    # x.mul_(x) saves x itself as other (the write then bumps it); x.pow_(y) of a y sharing
    # x's memory saves y
    lambda m: (lambda x: (x.mul_(x), _backward(x)))(_leaf(m).clone()),
    lambda m: (lambda x: (x.div_(x), _backward(x)))(_leaf(m).clone()),
    lambda m: (lambda a: (a.detach().pow_(a), _backward(a)))(_leaf(m).clone()),
])
def test_inplace_saved_versions(case):
    _same(lambda m: case(m)[-1])


@pytest.mark.parametrize("op, grad_side, modified", [
    (op, side, mod) for op in ["hypot", "copysign", "remainder", "fmod", "pow", "mul"]
    for side in [0, 1] for mod in ["input", "other", "result"]])
def test_what_binary_ops_save(op, grad_side, modified):
    """What torch saves: an input only for a gradient that reads it (hypot's self only when
    self needs a gradient), the result always."""
    def run(m):
        a, b = _leaf(m), m.ones(2, 2) + 1
        x, y = (a, b) if grad_side == 0 else (b, a)
        r = getattr(m, op)(x, y)
        target = {"input": x, "other": y, "result": r}[modified]
        if target is a:         # (a leaf can't be modified in place)
            return ("leaf",)
        target.add_(1)
        return _backward(r)
    _same(run)


@pytest.mark.parametrize("op", ["remainder", "pow", "mul", "hypot", "fmod"])
def test_saved_check_order(op):
    """With several saved tensors modified, torch reports ``other`` (here a view) first."""
    def run(m):
        a, b = _pair(m)
        r = getattr(m, op)(a, b)
        a.add_(1)
        b.add_(1)
        return _backward(r)
    _same(run)


@pytest.mark.parametrize("modify", ["input", "values"])
def test_min_over_a_dim_saves_only_indices(modify):
    def run(m):
        a = _leaf(m).clone()
        v, _ = a.max(0)
        (a if modify == "input" else v).add_(1)
        return _backward(v)
    _same(run)
