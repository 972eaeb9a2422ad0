"""The dispatch fast paths (``_dispatch.call``) give what the full path gives, as torch does.

The fast paths key compiled callables by the operands' signature: dtypes, 0-dim-ness, a
view's layout, Python numbers (passed as cached device scalars) and positional static args
(by value and type). Each case runs twice in a row, so the second call takes the fast path
the first one set up, and a neighbouring key must not hit the wrong entry.
"""
import math

import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same

torch = pytest.importorskip("torch")

A = np.array([[0.5, -1.25, 2.0], [-0.0, 3.5, -2.5]], np.float32)


def both(fn, requires_grad=False, data=A):
    """fn(module, x) on torch and jtorch, twice each; then the gradients if any."""
    outs = []
    for m in (torch, jtorch):
        x = m.tensor(data, requires_grad=requires_grad)
        first, second = fn(m, x), fn(m, x)
        if requires_grad:
            (second.sum() if second.dim() else second).backward()
        outs.append((first, second, x.grad))
    (tf, ts, tg), (jf, js, jg) = outs
    assert_same(jf, tf)
    assert_same(js, ts)
    assert_same(jg, tg)
    return js, ts


@pytest.mark.parametrize("requires_grad", [False, True])
@pytest.mark.parametrize("scalar", [2, 2.5, -0.0, 0.0, True, float("inf"), float("nan")])
def test_python_number_operands(scalar, requires_grad):
    js, ts = both(lambda m, x: x * scalar + scalar, requires_grad)
    # the sign of a zero result is part of the value
    np.testing.assert_array_equal(np.signbit(js.detach().numpy()),
                                  np.signbit(ts.detach().numpy()))


def test_zero_and_negative_zero_do_not_share_an_entry():
    for m in (torch, jtorch):
        x = m.tensor(A)
        pos, neg = (x * 0.0).numpy(), (x * -0.0).numpy()
        assert (np.signbit(pos) != np.signbit(neg)).all()


def test_int_and_bool_and_float_numbers_keep_their_promotion():
    for scalar in (1, True, 1.0, 1, 1.0, True):
        for m_dtype in ("int64", "bool", "float32"):
            t = getattr(torch, m_dtype)
            j = getattr(jtorch, m_dtype)
            tx = torch.tensor([1, 0, 1]).to(t)
            jx = jtorch.tensor([1, 0, 1]).to(j)
            assert_same(jx + scalar, tx + scalar)


def test_out_of_range_python_int_is_torch_error():
    for m in (torch, jtorch):
        with pytest.raises(OverflowError):
            m.tensor([1, 2]) + 2 ** 70


@pytest.mark.parametrize("requires_grad", [False, True])
def test_positional_static_args(requires_grad):
    both(lambda m, x: x.sum(0), requires_grad)
    both(lambda m, x: x.sum(1), requires_grad)
    both(lambda m, x: x.sum(-1), requires_grad)
    both(lambda m, x: x.softmax(0), requires_grad)
    both(lambda m, x: x.softmax(1), requires_grad)
    both(lambda m, x: m.nn.functional.leaky_relu(x, 0.1), requires_grad)
    both(lambda m, x: m.nn.functional.leaky_relu(x, 0.2), requires_grad)
    y = np.array([[1.0, 0.0, -1.0], [2.0, 2.0, 2.0]], np.float32)
    for reduction in ("mean", "sum", "none", "mean"):
        both(lambda m, x: m.nn.functional.mse_loss(x, m.tensor(y), None, None, reduction),
             requires_grad)


def test_static_arg_errors_are_torchs_on_every_call():
    for m in (torch, jtorch):
        x = m.tensor(A)
        x.sum(1)
        for _ in range(2):
            with pytest.raises(IndexError, match="Dimension out of range"):
                x.sum(2)


@pytest.mark.parametrize("requires_grad", [False, True])
def test_view_operands(requires_grad):
    both(lambda m, x: x.t() * 2, requires_grad)
    both(lambda m, x: x.t() @ x, requires_grad)
    both(lambda m, x: x[1] + x[0], requires_grad)
    both(lambda m, x: x[:, 1:] * x[:, :2], requires_grad)
    both(lambda m, x: m.addmm(x[0, :2], x.t(), x[:, :2]), requires_grad)
    both(lambda m, x: m.nn.functional.linear(x, x[:, :3], x[0, :2]), requires_grad)


def test_view_operand_sees_writes_to_its_base():
    for m in (torch, jtorch):
        x = m.tensor(A.copy())
        v = x.t()
        first = (v * 1).numpy().copy()
        x.mul_(2)
        np.testing.assert_array_equal((v * 1).numpy(), first * 2)


def test_rows_of_different_offsets_in_one_signature():
    data = np.arange(12, dtype=np.float32).reshape(4, 3)
    for m in (torch, jtorch):
        x = m.tensor(data)
        rows = [(x[i] * 1.5 + x[3 - i]).numpy() for i in range(4)]
        np.testing.assert_array_equal(np.stack(rows), data * 1.5 + data[::-1])


def test_huge_and_tiny_float_numbers():
    for scalar in (1e300, -1e-300, math.pi):
        js, ts = both(lambda m, x: x.double() * scalar)
        np.testing.assert_array_equal(js.numpy(), ts.numpy())


def test_fast_path_nodes_free_and_rerun_as_torchs():
    """A repeated signature's node (recompute-style when the op saves tensors) is freed by
    backward as torch's is; one that saved nothing can run again."""
    for m in (torch, jtorch):
        x = m.tensor([0.5, -1.0, 2.0], requires_grad=True)
        for _ in range(3):                     # the signature is known from here on
            x.exp().sum().backward()
            (x + 1).sum().backward()
        x.grad = None
        y = x.exp()
        loss = y.sum()
        loss.backward()
        with pytest.raises(RuntimeError, match="backward through the graph a second time"):
            loss.backward()
        z = x + 1
        z.sum().backward()
        z.sum().backward()                     # AddBackward0 saved nothing: it runs again
        if m is torch:
            expected = x.grad.numpy().copy()
        else:
            np.testing.assert_array_equal(x.grad.numpy(), expected)


@pytest.mark.parametrize("dtypes", [(jtorch.float32, jtorch.float32),
                                    (jtorch.int64, jtorch.float32),
                                    (jtorch.float64, jtorch.bool), (jtorch.int32, jtorch.int64)])
@pytest.mark.parametrize("shapes", [((2, 3), (2, 3)), ((), (3,)), ((3,), ()), ((), ())])
def test_dunder_key_is_fast_signature_key(dtypes, shapes):
    """The binary dunders inline the fast-path key of two plain tensors (the hottest path:
    ``_variants.make_dunders``); it must be the key ``fast_signature`` computes, else a dunder
    would miss (or hit another signature's) entry. A marked entry under fast_signature's key
    must be the one ``a + b`` runs."""
    from jtorch import _caches, _dispatch
    a = jtorch.zeros(shapes[0], dtype=dtypes[0])
    b = jtorch.zeros(shapes[1], dtype=dtypes[1])
    key = _dispatch.fast_signature(2, (a, b))[0]
    fast = _dispatch.OPS["add"].fast
    saved = fast.get(key)
    fast[key] = _dispatch.FastEntry(lambda x, y: np.full((1,), 42.0, np.float32),
                                    jtorch.float32, _caches.Bounded(1))
    try:
        assert (a + b).tolist() == [42.0]
    finally:
        if saved is None:
            del fast[key]
        else:
            fast[key] = saved
