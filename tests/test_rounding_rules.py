"""Rounding rules copied from torch's CPU kernels where XLA's general functions round
differently: ``scalar / tensor`` (reciprocal, then multiply) and ``pow``'s special exponents.
Values are compared bit for bit with torch, with grad_fn names and gradients."""
import numpy as np
import pytest

import jtorch

torch = pytest.importorskip("torch")

VALUES = np.abs(np.random.default_rng(0).standard_normal(20000)) * 10


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("scalar", [2.0, 3, -0.7])
def test_scalar_over_tensor(dtype, scalar):
    got = []
    for m in (torch, jtorch):
        x = m.tensor(VALUES.astype(dtype), requires_grad=True)
        y = scalar / x
        y.sum().backward()
        got.append((y.detach().numpy(), x.grad.numpy(), y.grad_fn.name(),
                    [f.name() for f, _ in y.grad_fn.next_functions if f]))
    np.testing.assert_array_equal(got[1][0], got[0][0])
    np.testing.assert_array_equal(got[1][1], got[0][1])
    assert got[1][2:] == got[0][2:] == ("MulBackward0", ["ReciprocalBackward0"])


def test_scalar_over_integer_tensor():
    for scalar in (2, 2.5, True):
        a, b = scalar / torch.tensor([3, 7, 0]), scalar / jtorch.tensor([3, 7, 0])
        assert str(a.dtype) == str(b.dtype)
        np.testing.assert_array_equal(b.numpy(), a.numpy())


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("exponent", [2, 3, -1, -2, 1, 0, 2.0, 3.0])
def test_pow_special_exponents(dtype, exponent):
    """torch computes x*x, x*x*x, 1/x, 1/(x*x) for these; XLA's pow is off by an ulp on many
    inputs (the gradient of x**3 is 3 * x*x, so it follows)."""
    got = []
    for m in (torch, jtorch):
        x = m.tensor(np.concatenate([VALUES, -VALUES[:50], [0.0, -0.0, np.inf]]).astype(dtype),
                     requires_grad=True)
        y = x ** exponent
        y.sum().backward()
        got.append((y.detach().numpy(), x.grad.numpy()))
    np.testing.assert_array_equal(got[1][0], got[0][0])
    if exponent != -2:   # its gradient needs x ** -3: std::pow in torch, XLA's pow here
        np.testing.assert_array_equal(got[1][1], got[0][1])


def test_logit_gradient_at_the_ends():
    grads = []
    for m in (torch, jtorch):
        x = m.tensor([0.0, -0.0, 1.0, 1.5, 0.5, -0.5], dtype=m.float64, requires_grad=True)
        m.logit(x).backward(m.tensor([1., -2, 3, 1, 1, 1], dtype=m.float64))
        grads.append(x.grad.numpy())
    np.testing.assert_array_equal(grads[1], grads[0])
