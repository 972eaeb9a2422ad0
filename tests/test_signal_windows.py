"""torch.signal.windows (jtorch/signal/windows/) against torch: values, dtypes, shapes,
requires_grad, and torch's argument errors."""
import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same, assert_same_error

torch = pytest.importorskip("torch")

WINDOWS = {
    "bartlett": {}, "blackman": {}, "cosine": {}, "hamming": {}, "hann": {}, "nuttall": {},
    "exponential": {"tau": 2.5}, "exponential_center": {"center": 1.5, "sym": False},
    "gaussian": {"std": 0.7}, "kaiser": {"beta": 4.0},
    "general_cosine": {"a": [0.46, 0.23, 0.31]}, "general_hamming": {"alpha": 0.6},
}


def _window(m, name, M, **kw):
    return getattr(m.signal.windows, name.split("_center")[0])(M, **{**WINDOWS[name], **kw})


@pytest.mark.parametrize("name", sorted(WINDOWS))
@pytest.mark.parametrize("M", [0, 1, 2, 7, 10])
@pytest.mark.parametrize("sym", [True, False])
def test_values(name, M, sym):
    if "center" in name and sym:
        return   # a center is only accepted for periodic windows (test_errors)
    for dtype in ("float32", "float64"):
        t = _window(torch, name, M, sym=sym, dtype=getattr(torch, dtype))
        j = _window(jtorch, name, M, sym=sym, dtype=getattr(jtorch, dtype))
        assert_same(j, t, rtol=1e-6 if dtype == "float32" else 1e-12, atol=1e-7)


def test_default_dtype_and_requires_grad():
    for name in ("hann", "kaiser", "gaussian", "bartlett"):
        t = _window(torch, name, 5, requires_grad=True)
        j = _window(jtorch, name, 5, requires_grad=True)
        assert_same(j, t, rtol=1e-6)
        assert j.requires_grad == t.requires_grad
    old = jtorch.get_default_dtype()
    try:
        torch.set_default_dtype(torch.float64)
        jtorch.set_default_dtype(jtorch.float64)
        assert_same(jtorch.signal.windows.cosine(4), torch.signal.windows.cosine(4))
    finally:
        torch.set_default_dtype(torch.float32)
        jtorch.set_default_dtype(old)


ERRORS = [
    lambda m: m.signal.windows.hann(-1),
    lambda m: m.signal.windows.hann(4, dtype=m.int64),
    lambda m: m.signal.windows.bartlett(4, dtype=m.float16),
    lambda m: m.signal.windows.exponential(4, tau=0.0),
    lambda m: m.signal.windows.exponential(4, center=1.0),
    lambda m: m.signal.windows.gaussian(4, std=-1.0),
    lambda m: m.signal.windows.kaiser(4, beta=-1.0),
    lambda m: m.signal.windows.general_cosine(4, a=[]),
    lambda m: m.signal.windows.general_cosine(4, a=3),
    lambda m: m.signal.windows.nuttall(3, dtype=m.complex64),
]


@pytest.mark.parametrize("make", ERRORS, ids=[f"err{i}" for i in range(len(ERRORS))])
def test_errors(make):
    assert_same_error(make, (torch, jtorch))


def test_namespace():
    assert sorted(jtorch.signal.windows.__all__) == sorted(torch.signal.windows.__all__)
    assert np.all([callable(getattr(jtorch.signal.windows, n))
                   for n in jtorch.signal.windows.__all__])
