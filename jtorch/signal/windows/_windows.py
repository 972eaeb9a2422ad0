"""Window functions, built from ``linspace`` and element-wise jtorch ops in torch's order
(so float32 windows round as torch's do, and ``requires_grad=True`` gives a graph)."""
import math
from collections.abc import Iterable

import jtorch


def _checks(name, M, dtype, layout):
    if M < 0:
        raise ValueError(f"{name} requires non-negative window length, got M={M}")
    if layout is not jtorch.strided:
        raise ValueError(f"{name} is implemented for strided tensors only, got: {layout}")
    if dtype not in (jtorch.float32, jtorch.float64):
        raise ValueError(f"{name} expects float32 or float64 dtypes, got: {dtype}")


def _setup(name, M, dtype, layout, device, requires_grad):
    """Every window's first step: the default dtype filled in and checked with the length
    and layout; returns the dtype and the factory keywords of the window's tensors."""
    dtype = dtype or jtorch.get_default_dtype()
    _checks(name, M, dtype, layout)
    return dtype, dict(dtype=dtype, layout=layout, device=device, requires_grad=requires_grad)


def _trivial(M, kw):
    """The window for M == 0 (empty) or M == 1 (a single 1), else None."""
    if M == 0:
        return jtorch.empty((0,), **kw)
    if M == 1:
        return jtorch.ones((1,), **kw)
    return None


def _span(M, sym):
    """The denominator of a window's sample spacing: M - 1 (symmetric) or M (periodic)."""
    return M if not sym else M - 1


def exponential(M, *, center=None, tau=1.0, sym=True, dtype=None, layout=jtorch.strided,
                device=None, requires_grad=False):
    """exp(-|n - center| / tau)."""
    dtype, kw = _setup("exponential", M, dtype, layout, device, requires_grad)
    if tau <= 0:
        raise ValueError(f"Tau must be positive, got: {tau} instead.")
    if sym and center is not None:
        raise ValueError("Center must be None for symmetric windows")
    if M == 0:
        return _trivial(M, kw)
    if center is None:
        center = (M if not sym and M > 1 else M - 1) / 2.0
    c = 1 / tau
    k = jtorch.linspace(-center * c, (-center + (M - 1)) * c, M, **kw)
    return jtorch.exp(-jtorch.abs(k))


def cosine(M, *, sym=True, dtype=None, layout=jtorch.strided, device=None,
           requires_grad=False):
    """sin(pi * (n + 0.5) / M) (the sine window)."""
    dtype, kw = _setup("cosine", M, dtype, layout, device, requires_grad)
    if M == 0:
        return _trivial(M, kw)
    c = math.pi / (M + 1 if not sym and M > 1 else M)
    k = jtorch.linspace(0.5 * c, (0.5 + (M - 1)) * c, M, **kw)
    return jtorch.sin(k)


def gaussian(M, *, std=1.0, sym=True, dtype=None, layout=jtorch.strided, device=None,
             requires_grad=False):
    """exp(-(n - center)^2 / (2 std^2))."""
    dtype, kw = _setup("gaussian", M, dtype, layout, device, requires_grad)
    if std <= 0:
        raise ValueError(f"Standard deviation must be positive, got: {std} instead.")
    if M == 0:
        return _trivial(M, kw)
    start = -(M if not sym and M > 1 else M - 1) / 2.0
    c = 1 / (std * math.sqrt(2))
    k = jtorch.linspace(start * c, (start + (M - 1)) * c, M, **kw)
    return jtorch.exp(-(k ** 2))


def kaiser(M, *, beta=12.0, sym=True, dtype=None, layout=jtorch.strided, device=None,
           requires_grad=False):
    """I0(beta * sqrt(1 - (2n / span - 1)^2)) / I0(beta)."""
    dtype, kw = _setup("kaiser", M, dtype, layout, device, requires_grad)
    if beta < 0:
        raise ValueError(f"beta must be non-negative, got: {beta} instead.")
    trivial = _trivial(M, kw)
    if trivial is not None:
        return trivial
    b = jtorch.tensor(beta, dtype=dtype, device=device)
    start = -b
    c = 2.0 * b / _span(M, sym)
    end = jtorch.minimum(b, start + (M - 1) * c)   # keeps rounding from passing beta
    k = jtorch.linspace(start, end, M, **kw)
    return jtorch.i0(jtorch.sqrt(b * b - jtorch.pow(k, 2))) / jtorch.i0(b)


def general_cosine(M, *, a, sym=True, dtype=None, layout=jtorch.strided, device=None,
                   requires_grad=False):
    """sum_i (-1)^i a_i cos(2 pi i n / span)."""
    dtype, kw = _setup("general_cosine", M, dtype, layout, device, requires_grad)
    trivial = _trivial(M, kw)
    if trivial is not None:
        return trivial
    if not isinstance(a, Iterable):
        raise TypeError("Coefficients must be a list/tuple")
    if not a:
        raise ValueError("Coefficients cannot be empty")
    c = 2 * math.pi / _span(M, sym)
    k = jtorch.linspace(0, (M - 1) * c, M, **kw)
    coeffs = jtorch.tensor([(-1) ** i * w for i, w in enumerate(a)], device=device,
                           dtype=dtype, requires_grad=requires_grad)
    i = jtorch.arange(coeffs.shape[0], dtype=coeffs.dtype, device=coeffs.device,
                      requires_grad=coeffs.requires_grad)
    return (coeffs.unsqueeze(-1) * jtorch.cos(i.unsqueeze(-1) * k)).sum(0)


def general_hamming(M, *, alpha=0.54, sym=True, dtype=None, layout=jtorch.strided,
                    device=None, requires_grad=False):
    """alpha - (1 - alpha) cos(2 pi n / span)."""
    return general_cosine(M, a=[alpha, 1.0 - alpha], sym=sym, dtype=dtype, layout=layout,
                          device=device, requires_grad=requires_grad)


def hamming(M, *, sym=True, dtype=None, layout=jtorch.strided, device=None,
            requires_grad=False):
    """The Hamming window (general_hamming with alpha 0.54)."""
    return general_hamming(M, sym=sym, dtype=dtype, layout=layout, device=device,
                           requires_grad=requires_grad)


def hann(M, *, sym=True, dtype=None, layout=jtorch.strided, device=None, requires_grad=False):
    """The Hann window (general_hamming with alpha 0.5)."""
    return general_hamming(M, alpha=0.5, sym=sym, dtype=dtype, layout=layout, device=device,
                           requires_grad=requires_grad)


def blackman(M, *, sym=True, dtype=None, layout=jtorch.strided, device=None,
             requires_grad=False):
    """The Blackman window (general_cosine with 0.42, 0.5, 0.08)."""
    dtype = dtype or jtorch.get_default_dtype()
    _checks("blackman", M, dtype, layout)
    return general_cosine(M, a=[0.42, 0.5, 0.08], sym=sym, dtype=dtype, layout=layout,
                          device=device, requires_grad=requires_grad)


def nuttall(M, *, sym=True, dtype=None, layout=jtorch.strided, device=None,
            requires_grad=False):
    """Nuttall's minimum 4-term Blackman-Harris window."""
    return general_cosine(M, a=[0.3635819, 0.4891775, 0.1365995, 0.0106411], sym=sym,
                          dtype=dtype, layout=layout, device=device,
                          requires_grad=requires_grad)


def bartlett(M, *, sym=True, dtype=None, layout=jtorch.strided, device=None,
             requires_grad=False):
    """The triangular window 1 - |2n / span - 1|."""
    dtype, kw = _setup("bartlett", M, dtype, layout, device, requires_grad)
    trivial = _trivial(M, kw)
    if trivial is not None:
        return trivial
    c = 2 / _span(M, sym)
    k = jtorch.linspace(-1, -1 + (M - 1) * c, M, **kw)
    return 1 - jtorch.abs(k)
