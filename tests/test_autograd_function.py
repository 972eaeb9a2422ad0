"""autograd.Function, gradcheck and autograd.functional compared with torch."""
import pytest

import jtorch
from tests.helpers import assert_same

torch = pytest.importorskip("torch")


def make_fn(m):
    class MyReLU(m.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.save_for_backward(x)
            ctx.k = k
            return x.clamp(min=0) * k

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            ctx.seen = ctx.needs_input_grad
            return g * (x > 0) * ctx.k, None
    return MyReLU


def test_custom_function_forward_backward_and_names():
    res = []
    for m in (jtorch, torch):
        fn = make_fn(m)
        x = m.tensor([-1., 2., 3.], requires_grad=True)
        y = fn.apply(x, 3.0)
        assert type(y.grad_fn).__name__ == "MyReLUBackward" or y.grad_fn.name() == "MyReLUBackward"
        nf = y.grad_fn.next_functions
        (y * y).sum().backward()
        res.append((y.tolist(), x.grad.tolist(), len(nf), y.grad_fn.name()))
    assert res[0] == res[1]


def test_custom_function_saved_version_and_second_backward():
    for m in (jtorch, torch):
        fn = make_fn(m)
        x = m.tensor([1., 2.], requires_grad=True)
        z = x * 1
        y = fn.apply(z, 1.0)
        z.add_(1)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.sum().backward()
        y2 = fn.apply(x * 1, 1.0).sum()
        y2.backward()
        with pytest.raises(RuntimeError, match="backward through the graph a second time"):
            y2.backward()


def test_mark_non_differentiable_and_once_differentiable():
    for m in (jtorch, torch):
        class SortLike(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                idx = m.argsort(x)
                ctx.mark_non_differentiable(idx)
                ctx.save_for_backward(idx)
                return x[idx], idx

            @staticmethod
            @m.autograd.function.once_differentiable
            def backward(ctx, g, _):
                idx, = ctx.saved_tensors
                out = m.zeros_like(g)
                out[idx] = g
                return out
        x = m.tensor([3., 1., 2.], requires_grad=True)
        v, i = SortLike.apply(x)
        assert not i.requires_grad and v.requires_grad
        (v * m.tensor([1., 2., 3.])).sum().backward()
        assert x.grad.tolist() == [3.0, 1.0, 2.0]


def test_gradcheck():
    for m in (jtorch, torch):
        x = m.tensor([1., 2., 0.5], dtype=m.float64, requires_grad=True)
        assert m.autograd.gradcheck(lambda a: (a ** 2 * a.sin()).sum(), (x,))
        with pytest.raises(RuntimeError, match="Jacobian mismatch for output 0 with respect to "
                                               "input 0"):
            m.autograd.gradcheck(lambda a: a.detach() * a, (x,))


def test_functional_jacobian_hessian_vjp_jvp():
    res = []
    for m in (jtorch, torch):
        F = m.autograd.functional
        x = m.tensor([1., 2., 3.])
        f = lambda a: a ** 2 * a.sum()  # noqa: E731
        j = F.jacobian(f, x)
        h = F.hessian(lambda a: (a ** 3).sum(), x)
        out, v = F.vjp(f, x, m.ones(3))
        out2, jv = F.jvp(f, x, m.tensor([1., 0., 0.]))
        res.append((j, h, out, v, out2, jv))
    for a, b in zip(*res):
        assert_same(a, b, rtol=1e-5)
