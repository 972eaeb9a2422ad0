"""Views share storage, writes go through, versions and strides follow torch."""
import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same

torch = pytest.importorskip("torch")


def both(fn):
    """Run ``fn(module)`` on torch and jtorch; return both results."""
    return fn(jtorch), fn(torch)


SCENARIOS = {
    "slice_fill": lambda m: (lambda x: (x[1:].fill_(7), x)[1])(m.arange(6.)),
    "t_mul": lambda m: (lambda x: (x.t().mul_(0), x)[1])(m.arange(6.).view(2, 3)),
    "view_setitem": lambda m: (lambda x: (x.view(6).__setitem__(2, 1), x)[1])(m.zeros(2, 3)),
    "data_copy": lambda m: (lambda w: (w.data.copy_(m.ones(3)), w)[1])(m.zeros(3)),
    "detach_setitem": lambda m: (lambda z: (z.detach().__setitem__(0, 10), z)[1])(m.zeros(3)),
    "select_add": lambda m: (lambda x: (x[1].add_(5), x)[1])(m.zeros(3, 2)),
    "column_setitem": lambda m: (lambda x: (x.__setitem__((slice(None), 1), 9), x)[1])(
        m.zeros(3, 3)),
    "step_slice": lambda m: (lambda x: (x[::2].fill_(1), x)[1])(m.zeros(7)),
    "diagonal": lambda m: (lambda x: (x.diagonal().fill_(2), x)[1])(m.zeros(3, 3)),
    "permute_chain": lambda m: (lambda x: (x.permute(2, 0, 1)[1].zero_(), x)[1])(
        m.arange(24.).view(2, 3, 4)),
    "unsqueeze_squeeze": lambda m: (lambda x: (x.unsqueeze(0).squeeze(0)[0].fill_(3), x)[1])(
        m.zeros(2, 2)),
    "narrow": lambda m: (lambda x: (x.narrow(1, 1, 2).fill_(4), x)[1])(m.zeros(2, 4)),
    "split": lambda m: (lambda x: (x.split(2)[1].fill_(8), x)[1])(m.zeros(5)),
    "chunk": lambda m: (lambda x: (x.chunk(3, 1)[2].fill_(8), x)[1])(m.zeros(2, 6)),
    "unbind": lambda m: (lambda x: (x.unbind(1)[0].fill_(1), x)[1])(m.zeros(2, 3)),
    "unfold": lambda m: (lambda x: (x.unfold(0, 2, 2)[1].fill_(6), x)[1])(m.zeros(6)),
    "as_strided": lambda m: (lambda x: (x.as_strided((2, 2), (1, 2)).fill_(5), x)[1])(
        m.zeros(4)),
    "mask_setitem": lambda m: (lambda x: (x.__setitem__(x > 2, 0), x)[1])(m.arange(6.)),
    "index_setitem": lambda m: (lambda x: (x.__setitem__(m.tensor([0, 2]), -1), x)[1])(
        m.zeros(4)),
    "read_after_write": lambda m: (lambda x, v: (x.add_(1), v)[1])(
        *(lambda x: (x, x[1:]))(m.zeros(4))),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_write_through(name):
    j, t = both(SCENARIOS[name])
    assert_same(j, t)


def test_versions_shared_by_views():
    def run(m):
        x = m.zeros(3)
        v = x[1:]
        out = [x._version]
        v.add_(1)
        out.append((x._version, v._version))
        x.mul_(2)
        x[0] = 1
        out.append((x._version, v._version))
        m.zero_(x)
        x.copy_(m.ones(3))
        out.append(x._version)
        return out
    j, t = both(run)
    assert j == t


@pytest.mark.parametrize("make", [
    lambda m: m.zeros(2, 3, 4), lambda m: m.zeros(2, 3, 4).transpose(0, 2),
    lambda m: m.zeros(2, 3, 4)[:, 1], lambda m: m.zeros(2, 3, 4)[..., ::2],
    lambda m: m.zeros(2, 3).t(), lambda m: m.zeros(1, 3).expand(4, 3),
    lambda m: m.zeros(6)[2:], lambda m: m.zeros(3, 3).diagonal(),
    lambda m: m.zeros(2, 3, 4).permute(1, 2, 0).contiguous(), lambda m: m.zeros(4, 1).squeeze(),
    lambda m: m.zeros(2, 3).unsqueeze(1), lambda m: m.zeros(5, 5)[1:4, 2:],
])
def test_strides_and_contiguity(make):
    j, t = both(make)
    assert j.stride() == t.stride()
    assert j.is_contiguous() == t.is_contiguous()
    assert j.storage_offset() == t.storage_offset()
    assert tuple(j.shape) == tuple(t.shape)


def test_reshape_views_or_copies_like_torch():
    for m in (torch, jtorch):
        x = m.arange(6.).view(2, 3)
        r = x.reshape(3, 2)
        r[0, 0] = 100
        assert x[0, 0].item() == 100  # a view
        y = x.t().reshape(6)
        y[0] = -1
        assert x[0, 0].item() == 100  # a copy


def test_clone_is_independent():
    for m in (torch, jtorch):
        a = m.ones(3)
        b = a.clone()
        b[0] = 3
        assert a.tolist() == [1, 1, 1] and b.tolist() == [3, 1, 1]


ERRORS = [
    (lambda m: m.zeros(2, 3).t().view(6), RuntimeError,
     "view size is not compatible with input tensor's size and stride"),
    (lambda m: m.zeros(1).expand(3).add_(1), RuntimeError,
     "unsupported operation: more than one element of the written-to tensor refers to a "
     "single memory location"),
    (lambda m: m.tensor([1, 2]).add_(1.5), RuntimeError,
     "result type Float can't be cast to the desired output type Long"),
    (lambda m: m.ones(2, requires_grad=True).add_(1), RuntimeError,
     "a leaf Variable that requires grad is being used in an in-place operation."),
    (lambda m: m.ones(2, requires_grad=True)[0].mul_(2), RuntimeError,
     "a view of a leaf Variable that requires grad is being used in an in-place operation."),
    (lambda m: m.zeros(3).add_(m.zeros(2, 3)), RuntimeError,
     "output with shape [3] doesn't match the broadcast shape [2, 3]"),
    (lambda m: m.zeros(3)[3], IndexError, "index 3 is out of bounds for dimension 0 with size 3"),
    (lambda m: m.zeros(3)[m.tensor([5])], IndexError, "out of bounds"),
    (lambda m: m.zeros(3)[::-1], ValueError, "step must be greater than zero"),
    (lambda m: m.zeros(3)[0, 0], IndexError, "too many indices for tensor of dimension 1"),
    (lambda m: m.zeros(2, 3).expand(3, 3), RuntimeError,
     "The expanded size of the tensor (3) must match the existing size (2)"),
]


@pytest.mark.parametrize("fn,exc,phrase", ERRORS, ids=[e[2][:40] for e in ERRORS])
def test_errors_match_torch(fn, exc, phrase):
    for m in (torch, jtorch):
        with pytest.raises(exc) as info:
            fn(m)
        assert phrase in str(info.value), (m.__name__, str(info.value))


KEYS = [0, -1, slice(1, None), (slice(None), 0), (0, slice(None, None, 2)), (None, 1),
        (Ellipsis, 1), (1, None, Ellipsis), [0, 2], ([0, 1], [1, 2]), (slice(None), [2, 0]),
        (0, [1, 1]), ([[0], [1]], [[1, 2]]), (slice(1, 3), None, [0, 3])]


@pytest.mark.parametrize("key", KEYS, ids=[repr(k) for k in KEYS])
def test_getitem_and_setitem(key):
    def run(m):
        x = m.arange(60.).view(3, 4, 5)
        y = x[key]
        x2 = m.zeros(3, 4, 5)
        x2[key] = 7.0
        return y, x2
    (jy, jx), (ty, tx) = both(run)
    assert_same(jy, ty)
    assert_same(jx, tx)


def test_bool_mask_getitem():
    def run(m):
        x = m.arange(12.).view(3, 4)
        return x[x > 4], x[m.tensor([True, False, True])], x[:, m.tensor([1, 0, 0, 1]).bool()]
    for a, b in zip(*both(run)):
        assert_same(a, b)


def test_view_offsets_do_not_recompile():
    """A view's offset is a run-time argument of its compiled read, write and adjoint: rows
    ``x[i]`` of one layout share one program whatever ``i`` (a Dataset reads every row)."""
    from jtorch import _dispatch, _view_access, _view_autograd
    x = jtorch.randn(64, 3, requires_grad=True)
    y = x * 1                    # a non-leaf with a view-able storage
    mul = _dispatch.OPS["mul"]
    outs = [y[i] * 2 for i in range(3)]     # the signature's entries are made here
    before = len(mul.cache)
    adjoints = _view_autograd.view_adjoint.cache_info().currsize
    outs += [y[i] * 2 for i in range(3, 20)]
    assert len(mul.cache) == before
    sum(o.sum() for o in outs).backward()
    assert _view_autograd.view_adjoint.cache_info().currsize <= adjoints + 1
    z = jtorch.zeros(64, 3)
    n = _view_access._scatter_fn.cache_info().currsize
    for i in range(20):
        z[i] = float(i)
    assert _view_access._scatter_fn.cache_info().currsize <= n + 1
    np.testing.assert_array_equal(z.numpy()[:20, 0], np.arange(20, dtype=np.float32))
    np.testing.assert_array_equal(x.grad.numpy()[:20], np.full((20, 3), 2, np.float32))
