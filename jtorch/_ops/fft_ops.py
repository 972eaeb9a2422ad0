"""torch.fft's transforms as one op (``jnp.fft``), named as torch names their nodes: a real
input's forward transform is FftR2C, a complex-to-real one FftC2R, multi-dimensional
complex transforms FftC2C; torch builds ifft and ihfft of real input as a conjugate."""
import jax.numpy as jnp

from .registry import Promotion, op

_ONE_D = {"fft": jnp.fft.fft, "ifft": jnp.fft.ifft, "rfft": jnp.fft.rfft,
          "irfft": jnp.fft.irfft, "hfft": jnp.fft.hfft, "ihfft": jnp.fft.ihfft}
_N_D = {"fftn": jnp.fft.fftn, "ifftn": jnp.fft.ifftn, "rfftn": jnp.fft.rfftn,
        "irfftn": jnp.fft.irfftn}
# jnp.fft has no n-D Hermitian transforms: hfftn is irfftn of the conjugate and ihfftn the
# conjugate of rfftn, each with the opposite normalization direction (as numpy's 1-D ones)
_SWAP_NORM = {"backward": "forward", "forward": "backward", "ortho": "ortho"}
_N_D["hfftn"] = lambda x, s, axes, norm: jnp.fft.irfftn(jnp.conj(x), s=s, axes=axes,
                                                         norm=_SWAP_NORM[norm])
_N_D["ihfftn"] = lambda x, s, axes, norm: jnp.conj(jnp.fft.rfftn(x, s=s, axes=axes,
                                                                 norm=_SWAP_NORM[norm]))


def _fft_name(targs, sargs, skw):
    kind = sargs[0] if sargs else skw["kind"]
    real = not targs[0].dtype.is_complex
    if kind in ("irfft", "hfft", "irfftn", "hfftn"):
        return "FftC2RBackward0"
    if kind in ("rfft", "rfftn"):
        return "FftR2CBackward0"
    if kind == "ihfft":
        return "ConjBackward0"
    if kind in ("fftn", "ifftn", "ihfftn"):
        return "FftC2CBackward0"
    if real:
        return "FftR2CBackward0" if kind in ("fft", "fftn") else "ConjBackward0"
    return "FftC2CBackward0"


@op(variants="", promote=Promotion.NONE, grad_fn=_fft_name)
def _fft(input, kind, n=None, dim=-1, norm=None):
    """``n``/``dim`` are an int each for the 1-D transforms, tuples (or None) for the n-D."""
    norm = norm or "backward"
    if kind in _ONE_D:
        return _ONE_D[kind](input, n=n, axis=dim, norm=norm)
    return _N_D[kind](input, s=n, axes=dim, norm=norm)
