"""torch.fft: transforms over the ``_fft`` op, frequencies and shifts."""
import jtorch

from . import _errors
from ._ops import fft_ops


def _float(input):
    # integer and bool inputs are transformed as the default float type, as torch does
    if input.is_floating_point() or input.is_complex():
        return input
    return input.to(jtorch.get_default_dtype())


def _norm(norm):
    if norm not in (None, "backward", "forward", "ortho"):
        raise RuntimeError(f'Invalid normalization mode: "{norm}"')
    return norm


def _one_d(kind):
    def transform(input, n=None, dim=-1, norm=None, *, out=None):
        return fft_ops._fft(_float(input), kind, n, dim, _norm(norm))
    transform.__name__ = kind
    return _errors.guard_arguments(transform, f"fft_{kind}")


def _n_d(kind, default_dim=None, suffix="n"):
    def transform(input, s=None, dim=default_dim, norm=None, *, out=None):
        if dim is None and s is not None:
            dim = tuple(range(-len(s), 0))
        dims = None if dim is None else ((dim,) if isinstance(dim, int) else tuple(dim))
        if dims is None:
            dims = tuple(range(input.dim()))
        shape = None if s is None else tuple(s)
        if kind == "ihfft" and input.is_complex():
            raise RuntimeError(f"Only supports floating-point dtypes, but found: "
                               f"{input.dtype._legacy}")
        return fft_ops._fft(_float(input), kind + "n", shape, dims, _norm(norm))
    return _errors.guard_arguments(transform, f"fft_{kind}{suffix}")


fft, ifft, rfft, irfft, hfft, ihfft = (_one_d(k) for k in
                                       ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft"))
fft2, ifft2, rfft2, irfft2 = (_n_d(k, (-2, -1), "2") for k in ("fft", "ifft", "rfft", "irfft"))
fftn, ifftn, rfftn, irfftn = (_n_d(k) for k in ("fft", "ifft", "rfft", "irfft"))
hfft2, hfftn = _n_d("hfft", (-2, -1), "2"), _n_d("hfft")
ihfft2, ihfftn = _n_d("ihfft", (-2, -1), "2"), _n_d("ihfft")


def fftfreq(n, d=1.0, *, dtype=None, layout=None, device=None, requires_grad=False, out=None):
    """[0, 1, ..., (n-1)//2, -(n//2), ..., -1] / (d n), scaled in the result dtype."""
    half = (n - 1) // 2 + 1
    out = jtorch.cat([jtorch.arange(half, dtype=dtype or jtorch.get_default_dtype()),
                      jtorch.arange(-(n // 2), 0, dtype=dtype or jtorch.get_default_dtype())])
    return out.mul_(1.0 / (n * d)).requires_grad_(requires_grad)


def rfftfreq(n, d=1.0, *, dtype=None, layout=None, device=None, requires_grad=False,
             out=None):
    out = jtorch.arange(n // 2 + 1, dtype=dtype or jtorch.get_default_dtype())
    return out.mul_(1.0 / (n * d)).requires_grad_(requires_grad)


def _shift(input, dim, amount):
    dims = tuple(range(input.dim())) if dim is None else \
        ((dim,) if isinstance(dim, int) else tuple(dim))
    return jtorch.roll(input, [amount(input.shape[d]) for d in dims], dims)


def fftshift(input, dim=None):
    return _shift(input, dim, lambda n: n // 2)


def ifftshift(input, dim=None):
    return _shift(input, dim, lambda n: (n + 1) // 2)


__all__ = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fft2", "ifft2", "rfft2", "irfft2",
           "fftn", "ifftn", "rfftn", "irfftn", "hfft2", "ihfft2", "hfftn", "ihfftn", "fftfreq",
           "rfftfreq", "fftshift", "ifftshift"]
