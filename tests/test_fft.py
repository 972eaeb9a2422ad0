"""torch.fft against torch: values, dtypes, grad_fn names and gradients of a real loss, for
real and complex inputs, every norm, sizes, dims; frequencies and shifts."""
import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same

torch = pytest.importorskip("torch")

RS = np.random.RandomState(2)
X = RS.randn(4, 6).astype(np.float32)
Z = (RS.randn(4, 6) + 1j * RS.randn(4, 6)).astype(np.complex64)

CASES = [
    ("fft", {}), ("fft", {"n": 3}), ("fft", {"n": 8, "dim": 0, "norm": "ortho"}),
    ("ifft", {}), ("ifft", {"norm": "forward"}), ("rfft", {}), ("rfft", {"n": 5, "dim": 0}),
    ("irfft", {}), ("irfft", {"n": 7}), ("hfft", {}), ("ihfft", {}),
    ("fft2", {}), ("ifft2", {"norm": "ortho"}), ("rfft2", {}), ("irfft2", {"s": (4, 8)}),
    ("fftn", {}), ("fftn", {"dim": (0,)}), ("ifftn", {"s": (5, 8)}), ("rfftn", {"dim": (1, 0)}),
    ("irfftn", {}),
]
REAL_ONLY = {"rfft", "ihfft", "rfft2", "rfftn"}


# the real-to-complex transforms take real input only
PARAMS = [(n, kw, c) for n, kw in CASES for c in (False, True) if not (c and n in REAL_ONLY)]


@pytest.mark.parametrize("name,kw,complex_input", PARAMS,
                         ids=[f"{n}-{kw}-{'complex' if c else 'real'}" for n, kw, c in PARAMS])
def test_transform(name, kw, complex_input):
    data = Z if complex_input else X
    res = []
    for m in (torch, jtorch):
        x = m.tensor(data, requires_grad=True)
        y = getattr(m.fft, name)(x, **kw)
        loss = (y.abs() if y.is_complex() else y).pow(2).sum()
        loss.backward()
        res.append((y, x.grad))
    (ty, tg), (jy, jg) = res
    assert_same(jy, ty.resolve_conj(), rtol=1e-4, atol=1e-4)
    assert jy.grad_fn.name() == ty.grad_fn.name()
    assert_same(jg, tg.resolve_conj(), rtol=1e-4, atol=1e-3)


def test_integer_input_and_frequencies():
    for fn in (lambda m: m.fft.fft(m.arange(5)), lambda m: m.fft.fftfreq(5),
               lambda m: m.fft.rfftfreq(6, d=0.5), lambda m: m.fft.fftfreq(4, dtype=m.float64),
               lambda m: m.fft.fftshift(m.arange(10.).reshape(2, 5)),
               lambda m: m.fft.ifftshift(m.arange(10.).reshape(2, 5), dim=1),
               lambda m: m.fft.fft(m.ones(4, dtype=m.float64))):
        assert_same(fn(jtorch), fn(torch))


def test_errors():
    for m in (torch, jtorch):
        with pytest.raises(RuntimeError, match='Invalid normalization mode: "bogus"'):
            m.fft.fft(m.ones(4), norm="bogus")


def test_complex_leaf_gradient_convention():
    """.grad of a complex leaf is torch's (the conjugate of JAX's cotangent convention), through
    holomorphic and non-holomorphic ops, and under create_graph."""
    z = np.array([1 + 2j, 3 - 1j], np.complex64)
    w = np.array([2 + 1j, 1j], np.complex64)
    for fn in (lambda m, x: (x.abs() ** 2).sum(), lambda m, x: (x * m.tensor(w)).real.sum(),
               lambda m, x: (x * x).sum().real, lambda m, x: (x.conj() * x).real.sum(),
               lambda m, x: m.fft.fft(x).abs().sum()):
        grads = []
        for m in (torch, jtorch):
            x = m.tensor(z, requires_grad=True)
            fn(m, x).backward()
            grads.append(x.grad)
        assert_same(grads[1], grads[0].resolve_conj(), rtol=1e-6)
    second = []
    for m in (torch, jtorch):
        x = m.tensor(z, requires_grad=True)
        g, = m.autograd.grad((x * x).sum().real, x, create_graph=True)
        g.abs().sum().backward()
        second.append((g, x.grad))
    assert_same(second[1][0], second[0][0], rtol=1e-6)
    assert_same(second[1][1], second[0][1], rtol=1e-6)
