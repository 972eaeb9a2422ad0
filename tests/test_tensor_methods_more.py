"""Tensor methods of issue 18 (``jtorch/_tensor_methods.py``), compared with torch: values,
dtypes, shapes, strides, grad_fn names, gradients, warnings and errors. ``put`` and
``index_reduce`` also have op records (``compat_tests/op_samples/tensor_more.py``)."""
import inspect
import warnings

import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same, run_recording_warnings

torch = pytest.importorskip("torch")
MODS = (jtorch, torch)


def _outcome(fn):
    out, caught = run_recording_warnings(fn)
    return out, [str(w.message) for w in caught]


def _same(a, b):
    """Equal results: tensors (values, dtype, shape), exceptions (type and message), or
    plain values; recursively for tuples."""
    if isinstance(b, Exception) or isinstance(a, Exception):
        assert (type(a).__name__, str(a)) == (type(b).__name__, str(b))
    elif isinstance(b, torch.Tensor):
        assert isinstance(a, jtorch.Tensor), a
        assert_same(a, b, rtol=1e-6, atol=1e-6)
    elif isinstance(b, (tuple, list)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    elif isinstance(b, torch.dtype):
        assert repr(a) == repr(b)
    else:
        assert a == b


def compare(fn, check_warnings=True):
    (rj, wj), (rt, wt) = _outcome(lambda: fn(jtorch)), _outcome(lambda: fn(torch))
    _same(rj, rt)
    if check_warnings:
        assert wj == wt
    return rj, rt


# ---------------------------------------------------------------- new / resize
@pytest.mark.parametrize("make", [
    lambda m, x: x.new(2, 3).shape,
    lambda m, x: x.new([1, 2]),
    lambda m, x: x.new(),
    lambda m, x: x.new((2, 3)),
    lambda m, x: x.new(m.Size([2, 3])).shape,
    lambda m, x: x.new(m.tensor([4.0, 5.0])),
    lambda m, x: x.new(2.5),
    lambda m, x: x.new_empty_strided((2, 2), (1, 2)).stride(),
    lambda m, x: x.new_empty_strided((2, 3), (3, 1), dtype=m.float64).dtype,
])
def test_new(make):
    compare(lambda m: make(m, m.arange(6.0).reshape(2, 3)))


def test_new_of_other_dtype_is_a_type_error():
    for m in MODS:
        with pytest.raises(TypeError):
            m.zeros(2).new(m.tensor([1, 2]))


def _resized(m, make, *size):
    x = make(m)
    y = x.resize_(*size)
    return (y is x, tuple(y.shape), y.stride(), y.storage_offset(),
            y.flatten()[:min(y.numel(), 6)].tolist())


@pytest.mark.parametrize("make,size", [
    (lambda m: m.arange(6.0).reshape(2, 3).clone(), (2, 2)),
    (lambda m: m.arange(6.0).reshape(2, 3).clone(), ((3, 1),)),
    (lambda m: m.arange(6.0).reshape(2, 3).clone(), (2, 3)),
    (lambda m: m.arange(6.0).reshape(2, 3).clone(), (3, 4)),
    (lambda m: m.arange(6.0).reshape(2, 3).t(), (2, 3)),
    (lambda m: m.arange(6.0).reshape(2, 3).t(), (3, 2)),
    (lambda m: m.arange(6.0).reshape(2, 3).t(), (4,)),
    (lambda m: m.arange(6.0).reshape(2, 3)[1], (2,)),
    (lambda m: m.arange(6).reshape(2, 3).clone(), (0,)),
])
def test_resize_(make, size):
    compare(lambda m: _resized(m, make, *size))


def test_resize_errors_and_resize_as_():
    compare(lambda m: m.zeros(2, requires_grad=True).resize_(2))
    compare(lambda m: m.zeros(2, requires_grad=True).resize_(3))
    compare(lambda m: tuple(m.arange(6.0).resize_as_(m.ones(2, 2)).shape))
    compare(lambda m: m.arange(6.0).resize_as_(m.ones(2, 2)))


def test_deprecated_resize_and_resize_as():
    out = []
    for m in MODS:
        x = m.arange(6.0, requires_grad=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            y = x.resize(3, 2)
            z = x.resize_as(m.ones(2, 3))
        (y * m.arange(6.0).view(3, 2)).sum().backward()
        out.append((y, z, x.grad, y.grad_fn.name(), [str(w.message) for w in caught]))
    for a, b in zip(*out):
        _same(a, b)
    compare(lambda m: m.arange(6.0).resize(4))


# ---------------------------------------------------------------- put / index_reduce
def test_put_and_index_reduce_nodes_and_gradients():
    res = []
    for m in MODS:
        a = m.arange(6.0, requires_grad=True)
        s = m.tensor([10.0, 20.0], requires_grad=True)
        p = (a * 1).put_(m.tensor([5, -6]), s * 1)
        q = a.put(m.tensor([1, 1]), s, accumulate=True)
        r = a.view(2, 3).index_reduce(1, m.tensor([2, 0]), s.view(1, 2).expand(2, 2), "amax")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            (p.sum() + (q * q).sum() + (r * r).sum()).backward()
        res.append((p, q, r, p.grad_fn.name(), q.grad_fn.name(), r.grad_fn.name(), a.grad,
                    s.grad))
    for a, b in zip(*res):
        _same(a, b)


# ---------------------------------------------------------------- shape helpers
@pytest.mark.parametrize("make", [
    lambda m: m.arange(6.0).reshape(2, 3).fill_diagonal_(5),
    lambda m: m.zeros(7, 3).fill_diagonal_(5, wrap=True),
    lambda m: m.zeros(7, 3).fill_diagonal_(5),
    lambda m: m.zeros(3, 7).fill_diagonal_(5, True),
    lambda m: m.zeros(3, 3, 3).fill_diagonal_(-1),
    lambda m: m.zeros(4, 6).t().fill_diagonal_(2, wrap=True),
    lambda m: m.zeros(3, 3, dtype=m.long).fill_diagonal_(2.5),
    lambda m: m.zeros(3).fill_diagonal_(5),
    lambda m: m.zeros(3, 3, 2).fill_diagonal_(5),
])
def test_fill_diagonal_(make):
    compare(make)


def test_fill_diagonal_gradient():
    out = []
    for m in MODS:
        x = m.arange(12.0, requires_grad=True)
        y = (x * 1).view(4, 3).fill_diagonal_(0.5)
        (y * m.arange(12.0).view(4, 3)).sum().backward()
        out.append((y, y.grad_fn.name(), x.grad))
    for a, b in zip(*out):
        _same(a, b)


@pytest.mark.parametrize("size", [(1, 3), (3,), ((2, 3),), (2, 1), (1, 1), (), (4,), (1, 2, 3),
                                  (3, 3)])
def test_sum_to_size(size):
    def run(m):
        leaf = m.arange(6.0, requires_grad=True)
        y = leaf.view(2, 3).sum_to_size(*size)
        y.sum().backward()
        return y, y.grad_fn.name(), leaf.grad
    compare(run)


@pytest.mark.parametrize("make", [
    lambda m: m.zeros(2, 3, 4),
    lambda m: m.zeros(2, 3, 4).permute(2, 0, 1),
    lambda m: m.zeros(1, 3),
    lambda m: m.zeros(2, 1, 3)[:, :, :1],
    lambda m: m.zeros(3).expand(2, 3),
    lambda m: m.zeros(3, 1).expand(3, 4),
    lambda m: m.tensor(1.0),
    lambda m: m.zeros(5),
    lambda m: m.zeros(2, 3, 4, 5).permute(0, 2, 3, 1),
    lambda m: m.zeros(2, 3, 4, 5).permute(3, 1, 0, 2),
    lambda m: m.zeros(2, 4, 5, 3).permute(0, 3, 1, 2),       # channels last
    lambda m: m.zeros(4, 4)[::2, ::2],
    lambda m: m.zeros(0, 3).t(),
    lambda m: m.zeros(3, 3).t().dim_order(ambiguity_check=True),
    lambda m: m.zeros(3, 1).dim_order(ambiguity_check=True),
    lambda m: m.zeros(3, 1).dim_order(ambiguity_check=[m.contiguous_format]),
    lambda m: m.zeros(3, 1).dim_order(ambiguity_check=3),
])
def test_dim_order(make):
    compare(lambda m: (lambda r: r if isinstance(r, tuple) else r.dim_order())(make(m)))


# ---------------------------------------------------------------- Python callbacks
@pytest.mark.parametrize("make", [
    lambda m: m.arange(4.0).apply_(lambda v: v * 2 + 1),
    lambda m: m.arange(4).apply_(lambda v: v * 1.7),
    lambda m: m.tensor([True, False]).apply_(lambda v: not v),
    lambda m: m.arange(4.0).reshape(2, 2).t().apply_(lambda v: v * 10),
    lambda m: m.arange(4.0).map_(m.tensor([1.0, 2.0, 3.0, 4.0]), lambda a, b: a * b),
    lambda m: m.arange(6.0).view(2, 3).map_(m.tensor([1.0, 2.0, 3.0]), lambda a, b: a - b),
    lambda m: m.arange(3.0).map2_(m.ones(3), m.tensor([5.0]), lambda a, b, c: a + b * c),
    lambda m: m.arange(4.0).map_(m.ones(2), lambda a, b: a),
    lambda m: m.zeros(2, requires_grad=True).apply_(lambda a: a),
    lambda m: m.zeros(2, requires_grad=True).map_(m.ones(2), lambda a, b: a),
])
def test_apply_and_map(make):
    compare(make)


def test_apply_writes_through_a_view():
    compare(lambda m: (lambda x: (x[1].apply_(lambda v: -v), x)[1])(m.arange(6.0).view(2, 3)))


# ---------------------------------------------------------------- identity and flags
def test_as_subclass():
    class Mine(torch.Tensor):
        pass

    class MineJ(jtorch.Tensor):
        pass
    out = []
    for m, cls in ((jtorch, MineJ), (torch, Mine)):
        x = m.arange(3.0, requires_grad=True)
        y = x.as_subclass(cls)
        (y * 2).sum().backward()
        z = m.arange(3.0).as_subclass(cls)
        out.append((type(y) is cls, y._base is x, y.grad_fn.name(), y.requires_grad, x.grad,
                    z._base is not None, z.requires_grad))
    for a, b in zip(*out):
        _same(a, b)


@pytest.mark.parametrize("make", [
    lambda m: m.zeros(2).is_inference(),
    lambda m: m.zeros(2).is_shared(),
    lambda m: (lambda x: (x.share_memory_() is x, x.is_shared()))(m.zeros(2)),
    lambda m: m.zeros(2).is_pinned(),
    lambda m: m.zeros(2).pin_memory(),
    lambda m: m.zeros(2).is_nested,
    lambda m: m.zeros(2).name,
    lambda m: m.zeros(2).output_nr,
    lambda m: (m.zeros(4, requires_grad=True) * 2).output_nr,
    lambda m: m.zeros(2).volatile,
    lambda m: m.zeros(2, requires_grad=True).grad_dtype,
    lambda m: m.zeros(2, dtype=m.float64).grad_dtype,
    lambda m: (m.zeros(2, requires_grad=True) * 2).grad_dtype,
    lambda m: (lambda x: (x.is_set_to(x), x.is_set_to(x[:]), x.is_set_to(x.view(2)),
                          x.is_set_to(x.clone()), x[1:].is_set_to(x[1:])))(m.zeros(2)),
    lambda m: m.zeros(2).const_data_ptr() == m.zeros(2).const_data_ptr(),
    lambda m: (lambda x: x.const_data_ptr() == x.data_ptr())(m.zeros(2)),
    lambda m: m.zeros(2).is_distributed(),
    lambda m: (lambda p, v: (p.module_load(v), p))(m.zeros(2), m.ones(2)),
    lambda m: (lambda p, v: (p.module_load(v, assign=True) is v, p))(m.zeros(2), m.ones(2)),
    lambda m: m.zeros(2).reinforce(1.0),
    lambda m: m.zeros(2).record_stream(1),
    lambda m: m.zeros(2).record_stream(),
])
def test_flags_and_small_methods(make):
    compare(make)


# ---------------------------------------------------------------- method forms of functions
_A = np.array([[2.0, 0.5, 0.1], [0.5, 3.0, 0.2], [0.1, 0.2, 1.5]])
DELEGATED = {
    "adjoint": lambda m, x: x.adjoint(),
    "cov": lambda m, x: x.cov(correction=0),
    "corrcoef": lambda m, x: x.corrcoef(),
    "frexp": lambda m, x: tuple(x.frexp()),
    "hardshrink": lambda m, x: x.hardshrink(1.0),
    "histogram": lambda m, x: tuple(x.histogram(4)),
    "igamma": lambda m, x: x.abs().igamma(m.tensor(1.5, dtype=m.float64)),
    "igammac": lambda m, x: x.abs().igammac(m.tensor(1.5, dtype=m.float64)),
    "ldexp": lambda m, x: x.ldexp(m.tensor([1, 2, 3])),
    "nextafter": lambda m, x: x.nextafter(m.zeros(3, dtype=m.float64)),
    "renorm": lambda m, x: x.renorm(2, 0, 1.0),
    "split_with_sizes": lambda m, x: x.split_with_sizes([1, 2], 1),
    "unsafe_chunk": lambda m, x: x.unsafe_chunk(2),
    "unsafe_split": lambda m, x: x.unsafe_split(2, 1),
    "unsafe_split_with_sizes": lambda m, x: x.unsafe_split_with_sizes([2, 1]),
    "narrow_copy": lambda m, x: x.narrow_copy(1, 1, 2),
    "select_scatter": lambda m, x: x.select_scatter(m.ones(3, dtype=m.float64), 0, 1),
    "slice_scatter": lambda m, x: x.slice_scatter(m.ones(3, 1, dtype=m.float64), 1, 0, 1),
    "diagonal_scatter": lambda m, x: x.diagonal_scatter(m.ones(3, dtype=m.float64)),
    "as_strided_scatter": lambda m, x: x.as_strided_scatter(m.ones(2, dtype=m.float64), (2,),
                                                            (4,)),
    "nonzero_static": lambda m, x: (x > 0.4).nonzero_static(size=4),
    "prelu": lambda m, x: (x - 1).prelu(m.tensor([0.25], dtype=m.float64)),
    "cholesky_inverse": lambda m, x: m.linalg.cholesky(x).cholesky_inverse(),
    "cholesky_solve": lambda m, x: m.eye(3, dtype=m.float64).cholesky_solve(
        m.linalg.cholesky(x)),
    "triangular_solve": lambda m, x: tuple(m.eye(3, dtype=m.float64).triangular_solve(x)),
    "lu": lambda m, x: tuple(x.lu()),
    "lu_solve": lambda m, x: m.eye(3, dtype=m.float64).lu_solve(*m.linalg.lu_factor(x)),
    "geqrf": lambda m, x: tuple(x.geqrf()),
    "orgqr": lambda m, x: x.orgqr(m.tensor([1.2, 1.5], dtype=m.float64)),
    "ormqr": lambda m, x: (lambda a, tau: a.ormqr(tau, m.eye(3, dtype=m.float64)))(*x.geqrf()),
    "stft_istft": lambda m, x: x.reshape(-1).repeat(4).stft(8, return_complex=True,
                                                            window=m.ones(8, dtype=m.float64))
    .istft(8, window=m.ones(8, dtype=m.float64)),
    "eig": lambda m, x: x.eig(),
    "symeig": lambda m, x: x.symeig(),
    "lstsq": lambda m, x: x.lstsq(x),
    "solve": lambda m, x: x.solve(x),
}


@pytest.mark.parametrize("name", list(DELEGATED))
def test_method_forms_of_functions(name):
    def run(m):
        x = m.tensor(_A, requires_grad=True)
        return DELEGATED[name](m, x)
    compare(run, check_warnings=False)   # the functions' own warnings are tested with them


INPLACE = {
    "addmm_": lambda m, x: x.addmm_(m.tensor(_A) * 2, m.tensor(_A).t(), beta=0.5, alpha=2),
    "cumsum_": lambda m, x: x.cumsum_(1),
    "igamma_": lambda m, x: x.abs_().igamma_(m.tensor(1.5, dtype=m.float64)),
    "igammac_": lambda m, x: x.abs_().igammac_(m.tensor(1.5, dtype=m.float64)),
    "ldexp_": lambda m, x: x.ldexp_(m.tensor([1.0, 2.0, 3.0], dtype=m.float64)),
    "nextafter_": lambda m, x: x.nextafter_(m.zeros(3, dtype=m.float64)),
    "renorm_": lambda m, x: x.renorm_(2, 0, 1.0),
    "ldexp_int": lambda m, x: m.ones(3, dtype=m.long).ldexp_(m.tensor([1, 2, 3])),
}
_NO_GRAD = {"igamma_", "igammac_", "nextafter_", "ldexp_int"}


@pytest.mark.parametrize("name", list(INPLACE))
def test_inplace_forms(name):
    def run(m):
        leaf = m.tensor(_A, requires_grad=name not in _NO_GRAD)
        x = leaf * 1
        y = INPLACE[name](m, x)
        res = [y is x, y]
        if leaf.requires_grad:
            (y * m.tensor(_A)).sum().backward()
            res.append(leaf.grad)
        return res
    compare(run)


def test_inplace_form_names_torch_node():
    """Where the function is a table op the in-place form records torch's node."""
    for name in ("addmm_", "cumsum_", "ldexp_"):
        names = []
        for m in MODS:
            x = m.tensor(_A, requires_grad=True) * 1
            names.append(INPLACE[name](m, x).grad_fn.name())
        assert names[0] == names[1]


# ---------------------------------------------------------------- signatures
@pytest.mark.parametrize("name", ["lu", "stft", "istft", "eig", "symeig", "lstsq", "solve",
                                  "resize", "resize_as", "share_memory_", "is_shared",
                                  "module_load", "reinforce", "dim_order"])
def test_python_level_signatures_match_torch(name):
    def sig(cls):
        s = inspect.signature(getattr(cls, name))
        return [(p.name, p.kind, p.default) for p in s.parameters.values()]
    assert sig(jtorch.Tensor) == sig(torch.Tensor)
