"""torch.masked (jtorch/masked/) against torch: values, dtypes, gradients, mask broadcasting,
fully masked-out rows and torch's errors."""
import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same, assert_same_error

torch = pytest.importorskip("torch")

X = np.array([[0.5, -1.25, 2.0, 0.0], [3.0, -0.5, 1.5, -2.0], [0.25, 4.0, -3.0, 1.0]])
MASK = np.array([[True, False, True, True], [False, False, False, False],
                 [True, True, False, True]])
ROW_MASK = np.array([True, False, True, True])          # broadcast over the rows


def _run(fn, x=X, mask=MASK, dtype="float64", grad=True):
    """fn(m, x, mask) on both libraries: (outputs, input grads) per library."""
    outs = []
    for m in (torch, jtorch):
        t = m.tensor(x, dtype=getattr(m, dtype))
        if grad:
            t.requires_grad_(True)
        y = fn(m, t, m.tensor(mask))
        g = None
        if grad and y.requires_grad:
            w = m.tensor(np.linspace(0.5, 1.5, y.numel()).reshape(tuple(y.shape)),
                         dtype=y.dtype)
            # masked-out outputs can be +-inf / NaN: weight only the finite ones
            (m.where(y.isfinite(), y, m.zeros_like(y)) * w).sum().backward()
            g = t.grad
        outs.append((y, g))
    return outs


def _check(fn, **kw):
    (ty, tg), (jy, jg) = _run(fn, **kw)
    assert_same(jy, ty, rtol=1e-6, atol=1e-9)
    assert_same(jg, tg, rtol=1e-6, atol=1e-9)


REDUCTIONS = {
    "sum": lambda m, x, k: m.masked.sum(x, 1, mask=k),
    "sum_all_keepdim": lambda m, x, k: m.masked.sum(x, keepdim=True, mask=k),
    "sum_dims": lambda m, x, k: m.masked.sum(x, (0, 1), mask=k),
    "prod": lambda m, x, k: m.masked.prod(x, 1, mask=k),
    "prod_all": lambda m, x, k: m.masked.prod(x, mask=k),
    "amax": lambda m, x, k: m.masked.amax(x, 1, mask=k),
    "amin": lambda m, x, k: m.masked.amin(x, (0, 1), keepdim=True, mask=k),
    "mean": lambda m, x, k: m.masked.mean(x, 1, mask=k),
    "median": lambda m, x, k: m.masked.median(x, 1, mask=k),
    "logsumexp": lambda m, x, k: m.masked.logsumexp(x, 1, mask=k),
    "norm2": lambda m, x, k: m.masked.norm(x, 2.0, 1, mask=k),
    "norm_inf": lambda m, x, k: m.masked.norm(x, float("inf"), 1, mask=k),
    "norm_ninf": lambda m, x, k: m.masked.norm(x, float("-inf"), 0, mask=k),
    "var": lambda m, x, k: m.masked.var(x, 1, mask=k),
    "var_unbiased_false": lambda m, x, k: m.masked.var(x, 1, False, keepdim=True, mask=k),
    "std_correction": lambda m, x, k: m.masked.std(x, 0, correction=0, mask=k),
    "std_nomask": lambda m, x, k: m.masked.std(x, 1),
    "mean_nomask": lambda m, x, k: m.masked.mean(x, 0),
}

NORMALIZATIONS = {
    "softmax": lambda m, x, k: m.masked.softmax(x, 1, mask=k),
    "log_softmax": lambda m, x, k: m.masked.log_softmax(x, -1, mask=k),
    "softmin": lambda m, x, k: m.masked.softmin(x, 0, mask=k),
    "normalize": lambda m, x, k: m.masked.normalize(x, 2.0, 1, mask=k),
    "cumsum": lambda m, x, k: m.masked.cumsum(x, 1, mask=k),
    "cumprod": lambda m, x, k: m.masked.cumprod(x, 0, mask=k),
    "logaddexp": lambda m, x, k: m.masked.logaddexp(x, x.flip(0), input_mask=k,
                                                    other_mask=k.flip(1)),
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_reductions(name):
    _check(REDUCTIONS[name])


@pytest.mark.parametrize("name", sorted(NORMALIZATIONS))
def test_normalizations(name):
    _check(NORMALIZATIONS[name])


@pytest.mark.parametrize("name", ["sum", "amax", "mean", "softmax", "cumsum", "norm2"])
def test_broadcast_mask(name):
    fn = {**REDUCTIONS, **NORMALIZATIONS}[name]
    _check(fn, mask=ROW_MASK)


@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_arg_reductions(name):
    fn = (lambda m, x, k: (getattr(m.masked, name)(x, 1, mask=k),
                           getattr(m.masked, name)(x, 0, keepdim=True, mask=k,
                                                   dtype=m.int64)))
    outs = [fn(m, m.tensor(X), m.tensor(MASK)) for m in (torch, jtorch)]
    for t, j in zip(*outs):
        assert_same(j, t)


@pytest.mark.parametrize("dtype", ["int64", "bool", "int32", "float32"])
def test_dtypes(dtype):
    x = (X * 2).astype(np.int64) if dtype != "bool" else X > 0
    fns = [lambda m, t, k: m.masked.cumsum(t, 1, mask=k),
           lambda m, t, k: m.masked.std(t, 1, mask=k)] if dtype != "bool" else []
    for fn in fns + [
               lambda m, t, k: m.masked.sum(t, 1, mask=k),
               lambda m, t, k: m.masked.prod(t, 0, mask=k),
               lambda m, t, k: m.masked.sum(t, 1, mask=k, dtype=m.float64)]:
        (ty, _), (jy, _) = _run(fn, x=x, dtype=dtype, grad=False)
        assert_same(jy, ty, rtol=1e-6)
    if dtype == "bool":   # std subtracts the mean from a bool tensor: torch's error
        assert_same_error(lambda m: m.masked.std(m.tensor(x), 1, mask=m.tensor(MASK)),
                          (torch, jtorch))
    else:
        for fn in (lambda m, t, k: m.masked.amax(t, 1, mask=k),
                   lambda m, t, k: m.masked.amin(t, 1, mask=k)):
            (ty, _), (jy, _) = _run(fn, x=x, dtype=dtype, grad=False)
            assert_same(jy, ty)


def test_bool_cumsum_error():
    assert_same_error(lambda m: m.masked.cumsum(m.tensor([True, False]), 0,
                                                mask=m.tensor([True, True])), (torch, jtorch))
    # the scans themselves: no bool kernel (a bool input without dtype counts in int64)
    for fn in (lambda m: m.cumsum(m.tensor([True, False]), 0, dtype=m.bool),
               lambda m: m.tensor([1, 2]).cumprod(0, dtype=m.bool)):
        assert_same_error(fn, (torch, jtorch))
    for m in (torch, jtorch):
        assert m.tensor([True, True]).cumsum(0).tolist() == [1, 2]


def test_zero_dim_and_empty():
    for fn in (lambda m, t: m.masked.sum(t, mask=m.tensor(True)),
               lambda m, t: m.masked.norm(t, 2.0, 0, mask=m.tensor(False)),
               lambda m, t: m.masked.amax(t, mask=m.tensor(False))):
        outs = [fn(m, m.tensor(1.5, dtype=m.float64)) for m in (torch, jtorch)]
        assert_same(outs[1], outs[0])
    outs = [m.masked.sum(m.ones(0, 3), 0, mask=m.ones(0, 3, dtype=m.bool))
            for m in (torch, jtorch)]
    assert_same(outs[1], outs[0])


def test_identity_and_output_mask():
    for m in (torch, jtorch):
        assert m.masked._reduction_identity("amax", m.tensor([1, 2])).item() == -2 ** 63
    outs = [m.masked._output_mask(m.masked.sum, m.tensor(X), 1, mask=m.tensor(MASK))
            for m in (torch, jtorch)]
    assert_same(outs[1], outs[0])


ERRORS = [
    lambda m: m.masked.mean(m.tensor([1, 2]), mask=m.tensor([True, False])),
    lambda m: m.masked.sum(m.ones(3), mask=m.ones(2, 3, dtype=m.bool)),
    lambda m: m.masked.sum(m.ones(3), 1, mask=m.ones(3, dtype=m.bool)),
    lambda m: m.masked.sum(m.ones(3, 2), (0, 0)),
    lambda m: m.masked.median(m.tensor([[1, 2], [3, 4]]), 1,
                              mask=m.tensor([[True, True], [False, False]])),
    lambda m: m.masked.amax(m.tensor([True, False]), mask=m.tensor([True, False])),
    lambda m: m.masked._input_mask(m.ones(2)),
]


@pytest.mark.parametrize("make", ERRORS, ids=[f"err{i}" for i in range(len(ERRORS))])
def test_errors(make):
    assert_same_error(make, (torch, jtorch))
