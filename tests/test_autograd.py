"""Autograd semantics compared with torch: gradients, grad_fn names, accumulation, freeing,
hooks, grad modes, in-place version checks and errors."""
import subprocess
import sys
import warnings

import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same

torch = pytest.importorskip("torch")

X = [[0.5, -1.0, 2.0], [0.0, 3.0, -0.25]]
Y = [[1.5, 2.0, -1.0], [4.0, 0.5, 1.0]]

CHAINS = {
    "arith": lambda m, x, y: ((x * y + x / (y + 3)) - y ** 2).sum(),
    "pow_exp_log": lambda m, x, y: (m.exp(x) * m.log(y.abs() + 1) + x ** 3).mean(),
    "trig": lambda m, x, y: (m.sin(x) * m.cos(y) + m.tanh(x * y) + m.sigmoid(y)).sum(),
    "relu_abs_at_zero": lambda m, x, y: (m.relu(x) + x.abs() + m.clamp(x, -1, 0.5)).sum(),
    "matmul": lambda m, x, y: (x @ y.t()).sum() + (x.t() @ y).mean(),
    "views": lambda m, x, y: (x.t()[1:] * y.view(3, 2)[:2]).sum() + x[0].sum() * y[:, 2].sum(),
    "reductions": lambda m, x, y: x.sum(0).prod() + y.mean(1).sum() + x.max() + y.amax(0).sum(),
    "max_dim_ties": lambda m, x, y: (m.stack([x, x]).max(0).values * y).sum(),
    "broadcast": lambda m, x, y: (x * y[0] + y[:, :1]).sum(),
    "cat_stack": lambda m, x, y: (m.cat([x, y], 1) ** 2).sum() + m.stack([x, y]).std(),
    "sqrt_div": lambda m, x, y: (m.sqrt(y.abs() + 1) / (x.abs() + 1)).sum(),
    "expand_repeat": lambda m, x, y: (x[:1].expand(4, 3) * 2).sum() + x.repeat(2, 1).sum(),
    "where_max": lambda m, x, y: m.where(x > 0, x, y).sum() + m.maximum(x, y).sum(),
    "index": lambda m, x, y: x[[0, 1, 1], [2, 0, 0]].sum() + y[y > 0].sum(),
    "var_std": lambda m, x, y: x.var() + y.std(1).sum() + x.var(0, unbiased=False).sum(),
    "logsumexp": lambda m, x, y: m.logsumexp(x, 1).sum(),
    "inplace_nonleaf": lambda m, x, y: (lambda z: (z.mul_(y), z.add_(1), z.sum())[2])(x * 2),
    "setitem_nonleaf": lambda m, x, y: (lambda z: (z.__setitem__(0, y[1]), (z * z).sum())[1])(
        x + 0),
}


@pytest.mark.parametrize("name", sorted(CHAINS))
def test_gradients_equal_torch(name):
    grads = []
    for m in (jtorch, torch):
        x = m.tensor(X, requires_grad=True)
        y = m.tensor(Y, requires_grad=True)
        out = CHAINS[name](m, x, y)
        out.backward()
        grads.append((out, x.grad, y.grad, out.grad_fn.name()))
    (jo, jx, jy, jn), (to, tx, ty, tn) = grads
    assert_same(jo, to, rtol=1e-5)
    assert_same(jx, tx, rtol=1e-5, atol=1e-6)
    assert_same(jy, ty, rtol=1e-5, atol=1e-6)
    assert jn == tn


GRAD_FN = [
    lambda m, x: x + 1, lambda m, x: x - x, lambda m, x: x * 2, lambda m, x: x / 2,
    lambda m, x: 2 - x, lambda m, x: x ** 2, lambda m, x: -x, lambda m, x: x.sum(),
    lambda m, x: x.mean(), lambda m, x: x @ x.t(), lambda m, x: x.view(6), lambda m, x: x[0],
    lambda m, x: x[:, 1:], lambda m, x: x.t(), lambda m, x: x.T, lambda m, x: x.unsqueeze(0),
    lambda m, x: x.expand(2, 2, 3), lambda m, x: x.permute(1, 0), lambda m, x: x.flatten(),
    lambda m, x: x.reshape(3, 2), lambda m, x: x.t().reshape(6), lambda m, x: x.exp(),
    lambda m, x: x.relu(), lambda m, x: x.sigmoid(), lambda m, x: x.tanh(),
    lambda m, x: x.clone(), lambda m, x: x.double(), lambda m, x: x.abs(),
    lambda m, x: m.cat([x, x]), lambda m, x: m.stack([x, x]), lambda m, x: x.max(),
    lambda m, x: x.max(1)[0], lambda m, x: x[0] @ x[1], lambda m, x: x @ x[0],
    lambda m, x: x[[0, 1]], lambda m, x: x.squeeze(), lambda m, x: x.split(1)[0],
    lambda m, x: list(x)[0], lambda m, x: x.chunk(2, 1)[1], lambda m, x: x.clamp(0, 1),
    lambda m, x: x.unsqueeze(0) @ x.t().unsqueeze(0), lambda m, x: x.sqrt(), lambda m, x: x[...],
]


@pytest.mark.parametrize("i", range(len(GRAD_FN)))
def test_grad_fn_names(i):
    names = []
    for m in (jtorch, torch):
        x = m.tensor(X, requires_grad=True)
        names.append(GRAD_FN[i](m, x).grad_fn.name())
    assert names[0] == names[1]


def test_next_functions_shape():
    for m in (jtorch, torch):
        x = m.tensor([1., 2.], requires_grad=True)
        nf = (x + 2).grad_fn.next_functions
        assert len(nf) == 2 and nf[0][0].name() == "torch::autograd::AccumulateGrad"
        assert nf[1] == (None, 0)
        assert nf[0][0].variable is x


def test_accumulation_and_zero():
    res = []
    for m in (jtorch, torch):
        x = m.tensor(5.0, requires_grad=True)
        out = []
        for _ in range(2):
            (3 * x ** 2).backward()
            out.append(x.grad.item())
        g = x.grad
        x.grad.zero_()
        out.append((x.grad.item(), g is x.grad, x.grad._version))
        res.append(out)
    assert res[0] == res[1]


def test_second_backward_rules():
    for m in (jtorch, torch):
        x = m.tensor([1., 2.], requires_grad=True)
        y = (x * x).sum()
        y.backward(retain_graph=True)
        y.backward()
        with pytest.raises(RuntimeError, match="Trying to backward through the graph a second "
                                               "time"):
            y.backward()
        z = (x + 1).sum()  # saves nothing: torch lets it run again
        z.backward()
        z.backward()
        assert x.grad.tolist() == [6.0, 10.0]


def test_backward_errors():
    for m in (jtorch, torch):
        with pytest.raises(RuntimeError, match="element 0 of tensors does not require grad and "
                                               "does not have a grad_fn"):
            (m.ones(1) * m.ones(1)).backward()
        x = m.ones(3, requires_grad=True)
        with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar "
                                               "outputs"):
            (x * 2).backward()
        with pytest.raises(RuntimeError, match="Mismatch in shape"):
            (x * 2).backward(m.ones(2))


def _seed000(m, a_grad, c_grad):
    a = m.full((1,), 0.3, requires_grad=a_grad)
    b = m.full((1,), 0.6, requires_grad=a_grad)
    c = m.full((1,), 0.9, requires_grad=c_grad)
    tmp = a * b
    d = tmp * c
    m.zero_(tmp)
    d.backward()
    return a.grad if a_grad else c.grad


def test_seed000_inplace_fails_where_torch_fails():
    msgs = []
    for m in (jtorch, torch):
        with pytest.raises(RuntimeError) as info:
            _seed000(m, False, True)
        msgs.append(str(info.value))
    assert msgs[0] == msgs[1]
    assert "modified by an inplace operation" in msgs[0]


def test_seed000_inplace_passes_where_torch_passes():
    assert_same(_seed000(jtorch, True, False), _seed000(torch, True, False))


def test_saved_result_version_message():
    msgs = []
    for m in (jtorch, torch):
        x = m.rand(1, requires_grad=True) if m is torch else m.ones(1, requires_grad=True)
        z = (x * 2).exp()
        z.add_(1)
        with pytest.raises(RuntimeError) as info:
            z.backward()
        msgs.append(str(info.value))
    assert msgs[0] == msgs[1]


@pytest.mark.parametrize("make", [
    lambda m, a: a * 2, lambda m, a: a.sin(), lambda m, a: a[0:1], lambda m, a: a.sum(),
    lambda m, a: a.exp()])
def test_inplace_error_names_current_grad_fn(make):
    msgs = []
    for m in (jtorch, torch):
        a = m.ones(1, requires_grad=True)
        c = m.ones(1, requires_grad=True)
        tmp = make(m, a)
        d = tmp * c
        with m.no_grad():
            tmp.add_(1)
        with pytest.raises(RuntimeError) as info:
            d.backward()
        msgs.append(str(info.value))
    assert msgs[0] == msgs[1]


def test_no_grad_update_on_leaf_and_modes():
    for m in (jtorch, torch):
        w = m.tensor([1.0, 2.0], requires_grad=True)
        (w * w).sum().backward()
        with m.no_grad():
            w -= 0.1 * w.grad
            assert not (w * 2).requires_grad
        assert w.requires_grad and w.is_leaf and w.grad_fn is None
        assert w.tolist() == pytest.approx([0.8, 1.6])
        with m.enable_grad():
            assert m.is_grad_enabled()
        m.set_grad_enabled(False)
        assert not m.is_grad_enabled()
        m.set_grad_enabled(True)

        @m.no_grad()
        def f(t):
            return t * 2
        assert not f(w).requires_grad
        with m.inference_mode():
            assert not (w * 2).requires_grad


def test_detach_and_requires_grad_flags():
    for m in (jtorch, torch):
        x = m.randn(2, 2) if m is torch else m.ones(2, 2)
        y = m.ones(2, 2)
        assert (x + y).grad_fn is None
        x = x.requires_grad_()
        z = x + y
        assert z.requires_grad and not z.is_leaf
        nz = z.detach()
        assert nz.grad_fn is None and not nz.requires_grad
        with pytest.raises(RuntimeError, match="you can only change requires_grad flags of "
                                               "leaf variables"):
            z.requires_grad = False


def test_hooks():
    res = []
    for m in (jtorch, torch):
        x = m.tensor([1., 2., 3.], requires_grad=True)
        seen = []
        h = x.register_hook(lambda g: seen.append(g.tolist()))
        y = x * 2
        y.register_hook(lambda g: g * 10)
        y.retain_grad()
        y.sum().backward()
        h.remove()
        (x * 1).sum().backward()
        res.append((seen, x.grad.tolist(), y.grad.tolist()))
    assert res[0] == res[1]


def test_autograd_grad_and_inputs():
    res = []
    for m in (jtorch, torch):
        x = m.tensor([1., 2.], requires_grad=True)
        w = m.tensor([3., 4.], requires_grad=True)
        y = (x * w).sum()
        gx, = m.autograd.grad(y, x, retain_graph=True)
        y.backward(inputs=[w])
        res.append((gx.tolist(), x.grad, w.grad.tolist()))
        with pytest.raises(RuntimeError, match="appears to not have been used in the graph"):
            m.autograd.grad((x * 2).sum(), [x, m.ones(1, requires_grad=True)])
    assert res[0] == res[1]


def test_copyslices_on_base():
    res = []
    for m in (jtorch, torch):
        b = m.zeros(3)
        x = m.ones(3, requires_grad=True)
        v = b[:2]
        v.mul_(x[:2])
        v.add_(x[1:] * 3)
        names = (b.grad_fn.name(), v.grad_fn.name())
        (b * m.tensor([1., 2., 3.])).sum().backward()
        res.append((names, x.grad.tolist(), b.tolist()))
    assert res[0] == res[1]


def test_deep_graph_no_recursion_limit():
    x = jtorch.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(5000):
        y = y * 1.0001
    y.backward()
    assert np.isclose(x.grad.item(), 1.0001 ** 5000, rtol=1e-3)


def test_higher_order_gradients():
    res = []
    for m in (jtorch, torch):
        x = m.tensor([2.0, 3.0], requires_grad=True)
        y = (x ** 3 * m.sin(x)).sum()
        g, = m.autograd.grad(y, x, create_graph=True)
        g2, = m.autograd.grad(g.sum(), x, create_graph=True)
        g3, = m.autograd.grad(g2.sum(), x)
        z = x[0] * x.t()[1] ** 2 + m.cat([x, x]).prod()
        h, = m.autograd.grad(z, x, create_graph=True)
        h2, = m.autograd.grad(h.sum(), x)
        w = m.tensor([1., 2.], requires_grad=True)
        with warnings.catch_warnings():     # warned once per process: see the test below
            warnings.simplefilter("ignore")
            (w * x).tanh().sum().backward(create_graph=True)
        assert w.grad.requires_grad
        (w.grad * x).sum().backward()
        res.append([g, g2, g3, h, h2, x.grad])
    for a, b in zip(*res):
        assert_same(a, b, rtol=1e-5, atol=1e-5)  # tanh'' near saturation: float32 cancellation


def test_create_graph_backward_warns_once_per_process():
    code = '''
import sys, warnings
import {m} as m
a = m.tensor([1., 2.], requires_grad=True)
counts = []
for _ in range(3):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        (a ** 2).sum().backward(create_graph=True)
    counts.append([str(x.message)[:40] for x in w])
print(counts)
'''
    outs = [subprocess.run([sys.executable, "-c", code.format(m=m)], capture_output=True,
                           text=True, check=True).stdout for m in ("torch", "jtorch")]
    assert outs[0] == outs[1]
    assert "create_graph=True" in outs[0]


def test_view_sees_base_inplace_history():
    res = []
    for m in (jtorch, torch):
        a = m.tensor([1., 2., 3.], requires_grad=True)
        b = a * 1
        v = b[0:2]
        b.mul_(m.tensor([2., 3., 4.]))  # after v was made: v now comes through the mul
        name = v.grad_fn.name()
        (v * v).sum().backward()
        res.append((name, a.grad.tolist(), v.tolist()))
    assert res[0] == res[1]


def test_keyword_only_arguments_bind_as_keywords():
    for m in (torch, jtorch):
        a, b = m.tensor([1., 2.]), m.tensor([3., 4.])
        assert m.add(a, b, alpha=2).tolist() == [7.0, 10.0]
        assert a.clone().add_(b, alpha=-0.5).tolist() == [-0.5, 0.0]
        assert m.div(m.tensor([7, -7]), 2, rounding_mode="floor").tolist() == [3, -4]
