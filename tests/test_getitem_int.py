"""``t[i]`` with a Python int, the per-sample read of every Dataset: compared with torch
(values, shape, strides, offset, base, versions, write-through, gradients, errors), and the
no-grad fast path in indexing.getitem checked against the general make_view path."""
import numpy as np
import pytest

import jtorch
from jtorch import _views
from jtorch._dispatch import make_view
from tests.helpers import assert_same, assert_same_error

torch = pytest.importorskip("torch")

SOURCES = {
    "plain_1d": lambda m: m.arange(5.0),
    "plain_2d": lambda m: m.arange(12.0).view(3, 4).clone(),
    "view_2d": lambda m: m.arange(12.0).view(3, 4),
    "column": lambda m: m.arange(10.0).float().view(-1, 1),
    "transposed": lambda m: m.arange(12.0).view(3, 4).t(),
    "step_slice": lambda m: m.arange(24.0).view(6, 4)[1::2, ::3],
    "expanded": lambda m: m.arange(3.0).view(1, 3).expand(4, 3),
    "empty_rows": lambda m: m.zeros(3, 0),
    "int64": lambda m: m.arange(6).view(2, 3),
    "bool_3d": lambda m: (m.arange(24).view(2, 3, 4) % 3) == 0,
}


def _describe(x, v):
    """What torch defines about ``v = x[i]``."""
    base = x if x._base is None else x._base
    return (tuple(v.shape), v.stride(), v.storage_offset(), v.is_contiguous(),
            v._base is base, v._version == x._version, v.requires_grad, v.grad_fn)


@pytest.mark.parametrize("name", list(SOURCES))
def test_int_index_matches_torch(name):
    xj, xt = SOURCES[name](jtorch), SOURCES[name](torch)
    for i in range(-xt.shape[0], xt.shape[0]):
        vj, vt = xj[i], xt[i]
        assert_same(vj, vt, rtol=0, atol=0)
        assert _describe(xj, vj) == _describe(xt, vt), (i, _describe(xj, vj), _describe(xt, vt))


@pytest.mark.parametrize("name", [n for n in SOURCES
                                  if n not in ("expanded", "empty_rows", "bool_3d")])
def test_int_index_writes_through_both_ways(name):
    out = []
    for m in (jtorch, torch):
        x = SOURCES[name](m)
        v = x[-1]
        v.fill_(1)               # through the view into the storage
        x.mul_(2)                # and a write to the source seen by the view
        out.append((x.clone(), v.clone(), x._version, v._version))
    assert_same(out[0][0], out[1][0], rtol=0, atol=0)
    assert_same(out[0][1], out[1][1], rtol=0, atol=0)
    assert out[0][2:] == out[1][2:]


@pytest.mark.parametrize("key", [3, -4, 10**6])
def test_int_index_errors_match_torch(key):
    for make in (lambda m: m.zeros(3, 2), lambda m: m.zeros(3, 2).t().t(), lambda m: m.zeros(0)):
        errs = []
        for m in (jtorch, torch):
            with pytest.raises(IndexError) as info:
                make(m)[key]
            errs.append(str(info.value))
        assert errs[0] == errs[1]


def test_int_index_of_0dim_raises_index_error():
    # torch's message differs ("invalid index of a 0-dim tensor"); the type is checked here
    for m in (jtorch, torch):
        with pytest.raises(IndexError):
            m.tensor(1.0)[0]


def test_int_index_records_select_backward():
    out = []
    for m in (jtorch, torch):
        w = m.arange(6.0).view(3, 2).requires_grad_()
        a = w[1]
        with m.no_grad():
            b = w[-1]
        (a * 3).sum().backward()
        leaf = m.arange(4.0, requires_grad=True)
        v = leaf[2]
        v.backward()
        out.append(((a.grad_fn.name(), a._base is w, b.grad_fn, b.requires_grad, b._base is w,
                     v.grad_fn.name(), v._base is leaf), w.grad, leaf.grad))
    assert out[0][0] == out[1][0]
    assert_same(out[0][1], out[1][1], rtol=0, atol=0)
    assert_same(out[0][2], out[1][2], rtol=0, atol=0)


@pytest.mark.parametrize("name", list(SOURCES))
def test_fast_path_equals_make_view(name):
    """The inline select builds exactly what make_view(meta_select) builds."""
    x = SOURCES[name](jtorch)
    if x.dtype.is_floating_point and name != "expanded":
        x.mul_(1)  # a storage version other than 0
    for i in range(-x.shape[0], x.shape[0]):
        fast = x[i]
        ref = make_view(x, _views.meta_select, (0, i), "SelectBackward0")
        assert fast._view == ref._view and type(fast._view[0]) is type(ref._view[0])
        assert type(fast._shape) is type(ref._shape) and fast._shape == ref._shape
        assert fast._base is ref._base and fast._storage is ref._storage
        assert fast._view_version == ref._view_version
        assert fast._dtype is ref._dtype and type(fast) is type(ref)
        assert {s: getattr(fast, s) is None for s in ("_grad", "_grad_fn", "_hooks")} == \
            {s: getattr(ref, s) is None for s in ("_grad", "_grad_fn", "_hooks")}
        np.testing.assert_array_equal(np.asarray(fast._value()), np.asarray(ref._value()))


@pytest.mark.parametrize("case", [
    lambda m: m.tensor(1.)[0],
    lambda m: m.tensor(1.)[-1],
    lambda m: m.tensor(1.)[3],
    lambda m: m.tensor(1.).__setitem__(-2, 0.),
    lambda m: m.tensor(1.)[0:1],
    lambda m: m.tensor(1.)[None, 0],
    lambda m: m.tensor(1.)[(0,)],
    lambda m: m.tensor(1.).__setitem__(0, 2.),
    lambda m: m.tensor(1.).__setitem__(slice(None), 2.),
    lambda m: m.stack([m.ones(2), 1]),
    lambda m: m.cat([m.ones(2), None]),
    lambda m: m.hstack([m.ones(2), "a"]),
    lambda m: m.vstack([m.ones(2), 1.5]),
])
def test_bad_index_and_tensor_list_errors_are_torchs(case):
    assert_same_error(case, (torch, jtorch))


def test_bool_index_adds_a_dim():
    shapes = [tuple(m.ones(2, 3)[flag].shape) for m in (torch, jtorch) for flag in (True, False)]
    assert shapes[:2] == shapes[2:]
