"""torch.* signal functions of issue 18: window functions (ATen's formulas, computed in the
window's dtype in ATen's order), stft/istft (frames, window, FFT; overlap-add by ``fold``)
and histogram/histogramdd."""
import math
import warnings

from .. import _dtypes, return_types
from . import product_checks
from .registry import composite

histogram_t = return_types._make("histogram", ["hist", "bin_edges"])
histogramdd_t = return_types._make("histogramdd", ["hist", "bin_edges"])


def _jt():
    import jtorch
    return jtorch


# ------------------------------------------------------------------ windows
def _window_dtype(name, dtype):
    jt = _jt()
    dtype = dtype or jt.get_default_dtype()
    if not dtype.is_floating_point:
        raise RuntimeError(f"{name} expects floating point dtypes, got: TensorOptions(dtype="
                           f"{_c_name(dtype)}, device=cpu, layout=Strided (default), "
                           "requires_grad=false (default), pinned_memory=false, "
                           "memory_format=(nullopt))")
    return dtype


def _c_name(dtype):
    return {"torch.int64": "long int", "torch.int32": "int", "torch.int16": "short int",
            "torch.int8": "signed char", "torch.uint8": "unsigned char",
            "torch.bool": "bool"}.get(repr(dtype), repr(dtype)[6:])


def _window(name, window_length, periodic, dtype, layout, device, requires_grad, body):
    jt = _jt()
    dtype = _window_dtype(name, dtype)
    if window_length < 0:
        raise RuntimeError(f"{name} requires non-negative window length, got "
                           f"window_length={window_length}")
    if window_length == 0:
        return jt.empty(0, dtype=dtype).requires_grad_(requires_grad)
    if window_length == 1:
        return jt.ones(1, dtype=dtype).requires_grad_(requires_grad)
    n = window_length + 1 if periodic else window_length
    w = body(jt.arange(n, dtype=dtype), n)
    if periodic:
        w = w.narrow(0, 0, n - 1).clone()
    return w.requires_grad_(requires_grad)


@composite(variants="function")
def hamming_window(window_length, periodic=True, alpha=0.54, beta=0.46, *, dtype=None,
                   layout=None, device=None, pin_memory=False, requires_grad=False):
    """alpha - beta cos(2 pi n / (N - 1))."""
    return _window("hamming_window", window_length, periodic, dtype, layout, device,
                   requires_grad, lambda w, n: w.mul_(math.pi * 2.0 / (n - 1)).cos_()
                   .mul_(-beta).add_(alpha))


@composite(variants="function")
def hann_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                pin_memory=False, requires_grad=False):
    """0.5 - 0.5 cos(2 pi n / (N - 1)) (torch's hamming with alpha = beta = 0.5)."""
    return _window("hann_window", window_length, periodic, dtype, layout, device,
                   requires_grad, lambda w, n: w.mul_(math.pi * 2.0 / (n - 1)).cos_()
                   .mul_(-0.5).add_(0.5))


def _blackman(w, n):
    w = w.mul_(math.pi / (n - 1))
    return w.mul(4).cos_().mul_(0.08) - w.mul(2).cos_().mul_(0.5) + 0.42


@composite(variants="function")
def blackman_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    pin_memory=False, requires_grad=False):
    return _window("blackman_window", window_length, periodic, dtype, layout, device,
                   requires_grad, _blackman)


def _bartlett(w, n):
    w = w.mul_(2.0 / (n - 1))
    first_half = ((n - 1) >> 1) + 1
    w.narrow(0, first_half, n - first_half).mul_(-1).add_(2)
    return w


@composite(variants="function")
def bartlett_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    pin_memory=False, requires_grad=False):
    return _window("bartlett_window", window_length, periodic, dtype, layout, device,
                   requires_grad, _bartlett)


@composite(variants="function")
def kaiser_window(window_length, periodic=True, beta=12.0, *, dtype=None, layout=None,
                  device=None, pin_memory=False, requires_grad=False):
    """I0(beta sqrt(1 - ((n - alpha) / alpha)^2)) / I0(beta), alpha = (N - 1) / 2."""
    def body(w, n):
        jt = _jt()
        alpha = (n - 1) / 2.0
        ratio = (w.double() - alpha) / alpha
        arg = beta * jt.sqrt(1 - ratio * ratio)
        return (jt.i0(arg) / jt.i0(jt.tensor(beta, dtype=jt.float64))).to(w.dtype)
    return _window("kaiser_window", window_length, periodic, dtype, layout, device,
                   requires_grad, body)


# ------------------------------------------------------------------ stft / istft
def _opt(v):
    return "None" if v is None else str(int(v))


def _window_desc(window):
    return "None" if window is None else f"{window.type()}{{{list(window.shape)}}}"


def _stft_context(x, n_fft, hop, win_length, window, normalized, onesided, return_complex,
                  align):
    """The call description torch's stft errors start with."""
    return (f"stft({x.type()}{list(x.shape)}, n_fft={n_fft}, hop_length={hop}, win_length="
            f"{win_length}, window={_window_desc(window)}, normalized={int(normalized)}, "
            f"onesided={_opt(onesided)}, return_complex={_opt(return_complex)}, "
            f"align_to_window={_opt(align)}) : ")


def _check_stft(ctx, x, n_fft, hop, win_length, window):
    """torch's stft checks, in its order (after the centre padding)."""
    if x.dim() not in (1, 2):
        raise RuntimeError(ctx + "expected a 1D or 2D tensor")
    if not (x.is_floating_point() or x.is_complex()):
        raise RuntimeError(ctx + "expected a tensor of floating point or complex values")
    if n_fft <= 0 or n_fft > x.shape[-1]:
        raise RuntimeError(ctx + f"expected 0 < n_fft < {x.shape[-1]}, but got n_fft={n_fft}")
    if hop <= 0:
        raise RuntimeError(ctx + f"expected hop_length > 0, but got hop_length={hop}")
    if not 0 < win_length <= n_fft:
        raise RuntimeError(ctx + f"expected 0 < win_length <= n_fft, but got win_length="
                           f"{win_length}")
    if window is not None and (window.dim() != 1 or window.shape[0] != win_length):
        raise RuntimeError(ctx + f"expected a 1D window tensor of size equal to win_length="
                           f"{win_length}, but got window with size {list(window.shape)}")


def _padded_window(window, n_fft, win_length, dtype):
    jt = _jt()
    if window is None:
        window = jt.ones(win_length, dtype=dtype)
    left = (n_fft - win_length) // 2
    if left or win_length < n_fft:
        window = jt.nn.functional.pad(window, (left, n_fft - win_length - left))
    return window


@composite(variants="function")
def stft(input, n_fft, hop_length=None, win_length=None, window=None, center=True,
         pad_mode="reflect", normalized=False, onesided=None, return_complex=None,
         align_to_window=None):
    """Short-time Fourier transform: (freq, frames) per signal."""
    jt = _jt()
    if return_complex is None and not input.is_complex() and not (
            window is not None and window.is_complex()):
        raise RuntimeError("stft requires the return_complex parameter be given for real "
                           "inputs, and will further require that return_complex=True in a "
                           "future PyTorch release.")
    if window is None:
        warnings.warn("A window was not provided. A rectangular window will be applied,which "
                      "is known to cause spectral leakage. Other windows such as "
                      "torch.hann_window or torch.hamming_window are recommended to reduce "
                      "spectral leakage.To suppress this warning and use a rectangular "
                      "window, explicitly set `window=torch.ones(n_fft, device=<device>)`.")
    hop = n_fft // 4 if hop_length is None else hop_length
    win_length = n_fft if win_length is None else win_length
    x = input
    if center and input.dim() <= 3:    # torch pads (as a 3-D batch) before its checks
        pad = n_fft // 2
        lead = (1,) * (3 - input.dim())
        x = jt.nn.functional.pad(x.view(lead + tuple(x.shape)), (pad, pad), pad_mode)
        x = x.view(tuple(x.shape)[3 - input.dim():])
    _check_stft(_stft_context(x, n_fft, hop, win_length, window, normalized, onesided,
                              return_complex, align_to_window), x, n_fft, hop, win_length,
                window)
    x = x.unsqueeze(0) if x.dim() == 1 else x
    frames = x.unfold(-1, n_fft, hop)
    w = _padded_window(window, n_fft, win_length, input.dtype)
    frames = frames * w
    one = (not input.is_complex() and not w.is_complex()) if onesided is None else onesided
    norm = "ortho" if normalized else "backward"
    spec = jt.fft.rfft(frames, n_fft, -1, norm) if one else jt.fft.fft(frames, n_fft, -1,
                                                                           norm)
    spec = spec.transpose(-1, -2)
    if input.dim() == 1:
        spec = spec.squeeze(0)
    return spec if return_complex or return_complex is None else jt.view_as_real(spec)


def _check_istft(input, n_fft, hop, win_length, window, flags):
    if not input.is_complex():
        raise RuntimeError("istft requires a complex-valued input tensor matching the output "
                           "from stft with return_complex=True.")
    center, normalized, onesided, length, return_complex = flags
    ctx = (f"istft(CPU{_dtypes.torch_type_name(input.dtype)}Type{list(input.shape)}, n_fft="
           f"{n_fft}, hop_length={hop}, win_length={win_length}, window="
           f"{_window_desc(window)}, center={int(center)}, normalized={int(normalized)}, "
           f"onesided={_opt(onesided)}, length={length}, return_complex="
           f"{int(return_complex)}) : ")
    if not 0 < win_length <= n_fft:
        raise RuntimeError(ctx + "expected 0 < win_length <= n_fft")
    if not 0 < hop <= win_length:
        raise RuntimeError(ctx + "expected 0 < hop_length <= win_length")
    if window is not None and (window.dim() != 1 or window.shape[0] != win_length):
        raise RuntimeError(ctx + "Invalid window shape. window has to be 1D and length of "
                           "`win_length`")


stft._python_attributes = {"input": "dim"}   # torch's Python stft reads input.dim() first


@composite(variants="function")
def istft(input, n_fft, hop_length=None, win_length=None, window=None, center=True,
          normalized=False, onesided=None, length=None, return_complex=False):
    """Inverse of stft by windowed overlap-add, divided by the summed squared window."""
    jt = _jt()
    hop = n_fft // 4 if hop_length is None else hop_length
    win_length = n_fft if win_length is None else win_length
    _check_istft(input, n_fft, hop, win_length, window, (center, normalized, onesided, length,
                                                          return_complex))
    x = input.unsqueeze(0) if input.dim() == 2 else input
    one = (x.shape[-2] != n_fft) if onesided is None else onesided
    spec = x.transpose(-1, -2)
    norm = "ortho" if normalized else "backward"
    frames = jt.fft.irfft(spec, n_fft, -1, norm) if one and not return_complex \
        else jt.fft.ifft(spec, n_fft, -1, norm)
    if not return_complex and frames.is_complex():
        frames = frames.real
    w = _padded_window(window, n_fft, win_length, frames.real.dtype if frames.is_complex()
                       else frames.dtype)
    frames = frames * w
    n_frames = frames.shape[-2]
    expected = n_fft + hop * (n_frames - 1)
    fold = jt.nn.functional.fold
    y = fold(frames.transpose(-1, -2), (1, expected), (1, n_fft), stride=(1, hop))
    env = fold((w * w).view(1, -1, 1).expand(1, n_fft, n_frames), (1, expected),
               (1, n_fft), stride=(1, hop))
    y, env = y.reshape(x.shape[0], expected), env.reshape(expected)
    start = n_fft // 2 if center else 0
    end = expected - n_fft // 2 if center else expected
    if length is not None:
        end = start + length
    y, env = y[:, start:end], env[start:end]
    if bool((env.abs() < 1e-11).any()):
        raise RuntimeError("istft(CPUComplexFloatType[" + ", ".join(map(str, input.shape))
                           + "], ...): window overlap add min: 0")
    y = y / env
    if length is not None and y.shape[-1] < length:
        y = jt.nn.functional.pad(y, (0, length - y.shape[-1]))
    return y.squeeze(0) if input.dim() == 2 else y


# ------------------------------------------------------------------ histograms
def _check_hist(input, name="histogram"):
    if not input.is_floating_point():
        raise NotImplementedError(f"\"histogramdd\" not implemented for "
                                  f"'{input.type()[6:-6]}'")


def _check_hist_args(name, input, bins, range_, weight):
    """torch's histogram/histogramdd argument checks: the parser's types, then weight's shape
    and dtype, then the bins (count or edges dtype) and the range."""
    jt = _jt()
    if not isinstance(bins, (int, jt.Tensor, list, tuple)) or isinstance(bins, bool):
        got = ", ".join("Tensor" if isinstance(a, jt.Tensor) else type(a).__name__
                        for a in (input, bins))
        raise TypeError(f"{name}() received an invalid combination of arguments - got ({got}), "
                        f"but expected one of:")
    cpp = product_checks.cpp_name
    if weight is not None:
        if tuple(weight.shape) != tuple(input.shape[:-1]):
            raise RuntimeError(f"torch.histogramdd: if weight tensor is provided it should have "
                               f"the same shape as the input tensor excluding its innermost "
                               f"dimension, but got input with shape {list(input.shape)} and "
                               f"weight with shape {list(weight.shape)}")
        if weight.dtype is not input.dtype:
            raise RuntimeError(f"torch.histogramdd: if weight tensor is provided, input tensor "
                               f"and weight tensor should have the same dtype, but got input("
                               f"{cpp(input.dtype)}), and weight({cpp(weight.dtype)})")
    for k, b in enumerate(bins if isinstance(bins, (list, tuple)) else [bins]):
        if isinstance(b, jt.Tensor) and b.dtype is not input.dtype:
            raise RuntimeError(f"torch.histogramdd: input tensor and bins tensors should have the "
                               f"same dtype, but got input with dtype {cpp(input.dtype)} and bins "
                               f"for dimension {k} with dtype {cpp(b.dtype)}")
        if isinstance(b, int) and b <= 0:
            raise RuntimeError(f"torch.{name}(): bins must be > 0, but got {b} for dimension {k}")
    for k in builtins_range(0, len(range_ or ()) - 1, 2):
        lo, hi = float(range_[k]), float(range_[k + 1])
        if lo > hi:
            raise RuntimeError(f"torch.histogramdd: min should not exceed max, but got min "
                               f"{lo:g} max {hi:g} for dimension {k // 2}")


def _edges(x, bins, range_, dtype):
    """The bin edges: a given tensor, or bins + 1 points over range (or x's min..max, widened
    by 0.5 each way when they coincide)."""
    jt = _jt()
    if isinstance(bins, jt.Tensor):
        return bins.to(dtype)
    if range_ is not None:
        lo, hi = float(range_[0]), float(range_[1])
    elif x.numel():
        lo, hi = float(x.min()), float(x.max())
    else:
        lo, hi = 0.0, 0.0
    if lo > hi:
        raise RuntimeError(f"torch.histogramdd: expected upper bin edge to be greater than or "
                           f"equal to lower bin edge for dimension 0 but got lower edge {lo} "
                           f"and upper edge {hi}")
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    return jt.linspace(lo, hi, bins + 1, dtype=dtype)


def _bin_index(x, edges):
    """Each value's bin (the last edge closes the last bin); -1 where it falls outside."""
    jt = _jt()
    nb = edges.shape[0] - 1
    idx = jt.searchsorted(edges, x.contiguous(), right=True) - 1
    idx = jt.where(x == edges[-1], jt.full_like(idx, nb - 1), idx)
    inside = (x >= edges[0]) & (x <= edges[-1])
    return jt.where(inside, idx, jt.full_like(idx, -1))


@composite(variants="function")
def histogramdd(input, bins, *, range=None, weight=None, density=False, out=None):
    """Counts (or summed weights) of the rows of input (N, D) in a D-dimensional grid."""
    jt = _jt()
    _check_hist(input)
    _check_hist_args("histogramdd", input, bins, range, weight)
    d = input.shape[-1]
    pts = input.reshape(-1, d)
    bins_list = [bins] * d if isinstance(bins, int) else list(bins)
    edges = [_edges(pts[:, k], bins_list[k],
                    None if range is None else range[2 * k:2 * k + 2], input.dtype)
             for k in builtins_range(d)]
    sizes = [e.shape[0] - 1 for e in edges]
    flat = jt.zeros(pts.shape[0], dtype=jt.int64)
    valid = jt.ones(pts.shape[0], dtype=jt.bool)
    for k in builtins_range(d):
        idx = _bin_index(pts[:, k], edges[k])
        valid = valid & (idx >= 0)
        flat = flat * sizes[k] + idx.clamp(min=0)
    w = jt.ones(pts.shape[0], dtype=input.dtype) if weight is None \
        else weight.reshape(-1).to(input.dtype)
    hist = jt.zeros(math.prod(sizes), dtype=input.dtype)
    hist = hist.index_put((flat[valid],), w[valid], accumulate=True).view(sizes)
    if density:
        hist = hist / hist.sum()
        for k in builtins_range(d):
            shape = [1] * d
            shape[k] = -1
            hist = hist / jt.diff(edges[k]).view(shape)
    return histogramdd_t(hist, tuple(edges))


builtins_range = range


@composite(variants="function")
def histogram(input, bins=100, *, range=None, weight=None, density=False, out=None):
    """Counts (or summed weights) of input's values in bins: (hist, bin_edges)."""
    _check_hist(input)
    if isinstance(weight, _jt().Tensor):
        weight = weight.reshape(-1)
    _check_hist_args("histogram", input.reshape(-1, 1), bins, range, weight)
    hist, edges = histogramdd(input.reshape(-1, 1), [bins], range=range,
                              weight=weight, density=density)
    return histogram_t(hist, edges[0])
