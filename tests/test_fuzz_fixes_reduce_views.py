"""The fuzz failure classes fixed in reductions, views, setitem and view autograd (issue 27):
each behaviour compared with torch (values, dtype, shape, grad_fn, exception type and first
line), plus the shrunk fuzz program each class was found by."""
import math
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import jtorch  # noqa: E402

inf, nan = math.inf, math.nan


def _outcome(fn):
    """What a user sees of ``fn()``: a tensor's (dtype, shape, grad_fn, requires_grad, is_leaf,
    values), a tuple/list of them, a number or text, or (exception type, first line)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ("ok", _describe(fn()))
        except Exception as e:  # noqa: BLE001 (compared with torch's)
            return ("err", type(e).__name__, str(e).split("\n")[0])


def _describe(r):
    if isinstance(r, (tuple, list)):
        return tuple(_describe(x) for x in r)
    if hasattr(r, "grad_fn"):
        fn = None if r.grad_fn is None else r.grad_fn.name()
        return (str(r.dtype), tuple(r.shape), fn, r.requires_grad, r.is_leaf,
                r.detach().numpy().copy())
    return r


def _same(a, b):
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and \
            np.allclose(a, b, rtol=1e-6, atol=0, equal_nan=True) and \
            np.array_equal(np.signbit(a[(a == 0)]), np.signbit(b[(b == 0)]))
    if isinstance(a, tuple):
        return isinstance(b, tuple) and len(a) == len(b) and all(map(_same, a, b))
    return a == b


def check(fn):
    j, t = _outcome(lambda: fn(jtorch)), _outcome(lambda: fn(torch))
    assert _same(j, t), f"jtorch {j} != torch {t}"
    return t


# ------------------------------------------------------------------ reductions
EMPTY = [(0,), (2, 0), (0, 2)]
DIMS = [None, 0, -1, 1, (0, 1), (1, 0)]


def _reduce(name, shape, dim, keepdim):
    def run(m):
        x = m.zeros(shape)
        if dim is None:
            return getattr(x, name)()
        if name in ("max", "min", "nanmedian"):
            return getattr(x, name)(dim, keepdim)[0]
        if name == "aminmax":
            return x.aminmax(dim=dim, keepdim=keepdim)
        return getattr(x, name)(dim, keepdim=keepdim)
    return run


@pytest.mark.parametrize("name", ["amax", "amin", "max", "min", "argmax", "argmin", "aminmax",
                                  "nanmedian", "prod"])
@pytest.mark.parametrize("shape", EMPTY, ids=str)
def test_empty_reductions_raise_torch_errors(name, shape):
    """A reduction without identity over nothing: torch's RuntimeError/IndexError (no NumPy
    ValueError), which dim it names, and TypeError for a tuple where one int belongs."""
    for dim in DIMS:
        for keepdim in (False, True):
            check(_reduce(name, shape, dim, keepdim))


@pytest.mark.parametrize("name", ["cumsum", "cumprod", "logcumsumexp", "cummax"])
def test_scans_check_dim(name):
    check(lambda m: getattr(m.tensor(2.0), name)(1))            # 0-d: dim 1 out of range
    check(lambda m: getattr(m.zeros(2, 3), name)((0, 1)))       # one int only
    check(lambda m: getattr(m.zeros(2, 0), name)(-1))


@pytest.mark.parametrize("name", ["sum", "mean", "nansum", "cumsum"])
def test_sums_of_negative_zeros_are_positive_zero(name):
    """torch's sums start from +0.: a reduction of -0. values gives 0., not -0."""
    def run(m):
        x = m.tensor([[-3.0, -0.0, 0.5]], dtype=m.float64, requires_grad=True)
        r = getattr(x, name)(0)
        r.sum().backward()
        return r, x.grad, getattr(m.tensor([-0.0, -0.0]), name)(0)
    check(run)


def test_std_var_accumulate_float32_in_double():
    """torch's CPU std/var accumulate float32 in double: a std whose variance overflows
    float32 is still finite (the variance itself is inf)."""
    def run(m):
        x = m.tensor([[1e30, -1e-30, 123.456, -1e-30]], requires_grad=True)
        s = x.std(-1)
        s.sum().backward()
        return s, x.var(-1), m.std_mean(x, -1), m.var_mean(x.detach(), -1), x.grad
    check(run)


@pytest.mark.parametrize("values", [
    [[inf, 1e30, 7.0], [-1e-30, 2.25, 1e-5]],      # no zero: grad * result / input (NaN at inf)
    [[inf, 1e30, 7.0], [0.0, 2.25, 1e-5]],         # a zero anywhere: products of the others
    [[2.0, 0.0, 3.0], [0.0, 0.0, 4.0]],            # two zeros in a row
    [[inf]],
])
def test_prod_backward_is_torchs(values):
    for dim in (None, 0, 1):
        def run(m):
            x = m.tensor(values, requires_grad=True)
            (x.prod() if dim is None else x.prod(dim)).sum().backward()
            return x.grad
        check(run)


def test_nanmedian_of_nothing_is_nan():
    check(lambda m: m.zeros(0, requires_grad=True).nanmedian())
    check(lambda m: m.zeros(2, 0, dtype=m.float64).nanmedian())


# ------------------------------------------------------------------ views
@pytest.mark.parametrize("shape", [(), (0,), (3,), (2, 0), (0, 2)], ids=str)
def test_view_edge_cases(shape):
    views = [
        lambda x: x.chunk(2, -1), lambda x: x.chunk(3, 0), lambda x: x.split(1),
        lambda x: x.split(1, -1), lambda x: x.split(-1), lambda x: x.narrow(-1, 1, 1),
        lambda x: x.narrow(0, -1, 1), lambda x: x.narrow(0, 5, 0), lambda x: x.narrow(0, 0, -1),
        lambda x: x.permute(), lambda x: x.unflatten(0, (1, -1)),
        lambda x: x.unflatten(0, (-1, -1)), lambda x: x.unflatten(0, ()),
        lambda x: x.unflatten(-1, (4,)), lambda x: x.mT, lambda x: x.mH, lambda x: x.unbind(0),
        lambda x: x.movedim(0, -1), lambda x: x.expand(()),
    ]
    for v in views:
        check(lambda m: v(m.zeros(shape, requires_grad=True)))
        check(lambda m: v(m.zeros(shape, dtype=m.bool)))


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool", "uint8",
                                   "complex64", "bfloat16"])
def test_expand_message_names_the_type_as_torch(dtype):
    check(lambda m: m.zeros(3, dtype=getattr(m, dtype)).expand(()))


# ------------------------------------------------------------------ setitem, index_put
def _set(x, key, value):
    x[key] = value
    return x


@pytest.mark.parametrize("case", [
    lambda m: _set(m.zeros(0, dtype=m.bool), [0, -1], 0.5),         # an index into size 0
    lambda m: _set(m.zeros(0), m.tensor([1]), m.tensor(1.0)),
    lambda m: m.zeros(2, 0)[[5], [0]],
    lambda m: m.zeros(0, 0)[:, [0]],
    lambda m: m.zeros(3, 0)[[5]],                                   # nothing read: no error
    lambda m: m.zeros(2, 3)[:, [0, 5]],                             # dim counted among indices
    lambda m: m.zeros(2, 3, 3)[[0], :, [0, 5]],
    lambda m: _set(m.zeros(2, 3, 3), (slice(None), slice(None), [0, 5]), 1.0),
    lambda m: (lambda y: _set(y, 0, y))(m.zeros(2, 3, dtype=m.bool)),  # expand before overlap
    lambda m: (lambda y: _set(y, slice(0, 1), y))(m.zeros(2, 3)),
    lambda m: (lambda y: _set(y, 0, y))(m.zeros(3)),
])
def test_setitem_errors(case):
    check(case)


@pytest.mark.parametrize("indices, values", [
    ("([2, 0],)", "m.zeros(4, dtype=m.float64)"),      # dtypes differ
    ("('abc',)", "m.zeros(4)"),
    ("([99, 0],)", "m.zeros(4)"),                       # index out of range
    ("([99, 0],)", "m.zeros(4, dtype=m.float64)"),      # dtype first
    ("([2, 0],)", "m.zeros(6)"),                        # shape mismatch
    ("([2, 0],)", "'abc'"),
    ("([2, 0], [1, 1], [0])", "m.zeros(4)"),            # too many indices
    ("([True, False, True],)", "m.zeros(4)"),
])
@pytest.mark.parametrize("form", ["function", "method_", "long"])
def test_index_put_misuse(indices, values, form):
    def run(m):
        idx = tuple(m.tensor(i) if isinstance(i, list) else i for i in eval(indices))
        v = eval(values)
        a = m.zeros(3, 4)
        if form == "function":
            return m.index_put(a, idx, v)
        if form == "method_":
            return a.index_put_(idx, v)
        return m.index_put(a.long(), idx, v)
    check(run)


# ------------------------------------------------------------------ misuse of k and q
@pytest.mark.parametrize("case", [
    lambda m: m.rand(3, 4).kthvalue("abc"),
    lambda m: m.kthvalue(m.rand(3, 4), 2.0),
    lambda m: m.quantile(m.rand(3, 4), "abc"),
    lambda m: m.nanquantile(m.rand(3, 4), [0.5], interpolation="lower"),
])
def test_k_and_q_of_the_wrong_type(case):
    from compat_tests.misuse import key_phrase
    outcomes = []
    for m in (jtorch, torch):
        with pytest.raises(TypeError) as e:
            case(m)
        outcomes.append(key_phrase(e.value))
    assert outcomes[0] == outcomes[1]


# ------------------------------------------------------------------ view autograd
@pytest.mark.parametrize("write", ["base_relu_", "base_add_", "view_add_", "none"])
def test_view_of_a_base_without_grad_stays_a_leaf(write):
    """A view whose base requires no grad has no history, even after an in-place write
    changed its storage: ``requires_grad_()`` makes it a leaf (torch's grad_fn rule)."""
    def run(m):
        x = m.zeros(2, 3)
        v = x[0]
        if write == "base_relu_":
            x.relu_()
        elif write == "base_add_":
            x.add_(1)
        elif write == "view_add_":
            v.add_(1)
        v.requires_grad_()
        (v * 2).sum().backward()
        return v, x, v.grad
    check(run)


def test_view_regenerates_history_when_its_base_requires_grad():
    def run(m):
        x = m.zeros(3)
        v = x[1:]
        x.requires_grad_()
        with m.no_grad():
            x.add_(1)
        return v.grad_fn.name(), v.is_leaf
    check(run)


def _inplace_views(m):
    y = m.zeros(3, 1, requires_grad=True) * 1
    with m.no_grad():
        under_no_grad = y[1:]
    return [lambda: y.split(1)[0].neg_(), lambda: y.unbind(0)[2].neg_(),
            lambda: y.chunk(3)[1].neg_(), lambda: y.split([1, 2])[1].neg_(),
            lambda: y.split(1)[0].squeeze(0).neg_(), lambda: y.split(1)[2].view(1).add_(1),
            lambda: m.zeros(3).split(1)[0].neg_(), lambda: under_no_grad.neg_(),
            lambda: m.zeros(3, requires_grad=True).split(1)[0].neg_()]


@pytest.mark.parametrize("k", range(9))
def test_inplace_on_multi_output_and_no_grad_views(k):
    """torch's CreationMeta errors (an output of split/unbind/chunk, a view made in no-grad
    mode) before its leaf checks."""
    check(lambda m: _inplace_views(m)[k]())


def test_a_view_rebased_through_its_base_can_no_longer_be_used():
    def run(m, then):
        y = m.zeros(2, 3, requires_grad=True) * 1
        a, _ = y.split(1)
        with m.no_grad():
            y.add_(1)
        return then(a)
    check(lambda m: run(m, lambda a: a.grad_fn))
    check(lambda m: run(m, lambda a: a * 2))
    check(lambda m: run(m, repr))             # printed with grad_fn=<Invalid>


def test_setitem_checks_the_leaf_before_its_indices():
    check(lambda m: _set(m.zeros(0, requires_grad=True), [0, -1], 2.0))
    check(lambda m: m.zeros(3, requires_grad=True).index_put_((m.tensor([9]),), m.tensor(1.0)))


def test_writing_an_empty_expanded_view():
    check(lambda m: _set(m.zeros(2, 0).expand(2, 2, 0), [0, -1], 3.0))


@pytest.mark.parametrize("case", [
    lambda m: m.tensor([[True, False]]).argmax(),
    lambda m: m.tensor([[True, False]]).argmin(5),
    lambda m: m.dist(m.tensor([1, 2]), m.tensor([2, 4])),
    lambda m: m.dist(m.tensor([1., 2.]), m.tensor([2, 4])),
    lambda m: m.dist(m.tensor([True]), m.tensor([False])),
    lambda m: m.norm("abc"),
    lambda m: m.norm(m.tensor([[1, 2]]), "nuc"),
    lambda m: m.tensor([1, 2]).nanmean(),
    lambda m: m.tensor([1., 2.]).nanmean(dtype=m.long),
    lambda m: m.tensor([1, 2]).mean(dtype=m.long),
    lambda m: m.tensor([1, 2]).mean(dtype=m.float32),
])
def test_reduction_argument_errors(case):
    check(case)


# ------------------------------------------------------------------ the fuzz programs
# the shrunk program of each class this file fixes (formerly strict xfails in
# tests/fuzz/regressions.py)
FIXED = [
    ('reduce:argmax',
     [('new', (0,), 'float32', (), True), ('reduce', 'argmax', 0, -1, False)]),
    ('reduce:amin',
     [('new', (2, 0), 'bool', (), False), ('reduce', 'amin', 0, -1, False)]),
    ('reduce:min',
     [('new', (0,), 'int64', (), False), ('reduce', 'min', 0, -1, False)]),
    ('reduce:max',
     [('new', (0,), 'float32', (), True), ('reduce', 'max', 0, None, True)]),
    ('reduce:amax',
     [('new', (0,), 'float32', (), True), ('reduce', 'amax', 0, 0, True)]),
    ('reduce:mean',
     [('new', (1, 3), 'float64', (-3.0, -0.0, 0.5), True), ('reduce', 'mean', 0, 0, True)]),
    ('reduce:cumprod',
     [('new', (), 'float32', (123.456,), True), ('new', (), 'float64', (1e+30,), False),
      ('unary', 'erf', 0), ('reduce', 'prod', 2, 1, True), ('binary', 'fmod', 1, 2),
      ('reduce', 'cumprod', 4, 1, True)]),
    ('reduce:std',
     [('new', (4, 1, 3), 'float32', (inf, 123.456, 2.25, 1.0, -1e-30, 123.456, -0.0, 1e+30,
                                     1e-05, nan, -1e-30, inf), False),
      ('view', 'transpose', 0), ('reduce', 'std', 1, -1, False)]),
    ('backward',
     [('new', (2, 3), 'float32', (inf, 1e+30, 7.0, -1e-30, 2.25, 1e-05), True),
      ('view', 'contiguous', 0), ('binary', 'mul', 1, 1),
      ('new', (1, 3), 'bool', (False, True, True), False), ('reduce', 'prod', 0, 1, True),
      ('backward', 4, True)]),
    ('view:chunk_last', [('new', (0,), 'bool', (), False), ('view', 'chunk_last', 0)]),
    ('view:narrow', [('new', (0,), 'bool', (), False), ('view', 'narrow', 0)]),
    ('view:permute_rev', [('new', (), 'bool', (True,), False), ('view', 'permute_rev', 0)]),
    ('view:split0',
     [('new', (), 'bool', (True,), False), ('view', 'split0', 0)]),
    ('view:unflatten',
     [('new', (), 'bool', (False,), False), ('view', 'unflatten', 0)]),
    ('view:mT',
     [('new', (3,), 'bool', (False, True, False), False), ('view', 'select0', 0),
      ('view', 'mT', 1)]),
    ('setitem:list',
     [('new', (0,), 'bool', (), False), ('new', (2, 3, 4), 'int64', tuple(range(24)), False),
      ('setitem', 'list', 0, -1, 1)]),
    ('setitem:tensor_value',
     [('new', (3,), 'float32', (1.0, 2.0, 3.0), False),
      ('new', (3, 1), 'bool', (False, False, True), False),
      ('setitem', 'tensor_value', 0, 0.5, 1), ('setitem', 'tensor_value', 1, 0.5, 1)]),
    ('requires_grad',
     [('new', (2, 3), 'float32', (1.0, -inf, 7.0, -1.5, 2.25, -1.5), False),
      ('view', 'squeeze', 0), ('inplace', 'relu_', 0, 1), ('requires_grad', 1)]),
]


@pytest.mark.parametrize("steps", [p for _, p in FIXED], ids=[k for k, _ in FIXED])
def test_fixed_fuzz_program(steps):
    from tests.fuzz.interpret import compare
    assert compare(steps) is None
