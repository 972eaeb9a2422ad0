"""Functional convolution, padding, patch, channel-dropout and spatial-transformer ops, with
torch's argument handling and error messages (pooling: ``_pooling.py``; resampling:
``_resample.py``). The kernels are ops of ``_ops/nn_ops.py`` and ``_ops/nn_pool.py``;
re-exported by ``nn.functional``."""
import math
import warnings

import jtorch
from .._ops import nn_ops, nn_pool, nn_sample
from .._ops.linalg import _cpp_name
from ._resample import interpolate, upsample, upsample_bilinear, upsample_nearest  # noqa: F401


def _ntuple(v, n):
    return tuple(v) if isinstance(v, (tuple, list)) else (v,) * n


def _dims(input, n, name, what=None):
    if input.dim() not in (n + 1, n + 2):
        raise RuntimeError(what or f"Expected {n + 1}D (unbatched) or {n + 2}D (batched) input "
                           f"to {name}, but got input of size: {list(input.shape)}")


# ------------------------------------------------------------------ convolution
def _conv(n, input, weight, bias, stride, padding, dilation, groups):
    _dims(input, n, f"conv{n}d")
    if isinstance(padding, str):
        if padding not in ("same", "valid"):
            raise RuntimeError(f"Invalid padding string: '{padding}'")
        if padding == "same" and any(s != 1 for s in _ntuple(stride, n)):
            raise RuntimeError("padding='same' is not supported for strided convolutions")
        pad = padding
    else:
        pad = _ntuple(padding, n)
    cin = input.shape[-n - 1]
    if cin != weight.shape[1] * groups:
        batched = list(input.shape) if input.dim() == n + 2 else [1] + list(input.shape)
        raise RuntimeError(f"Given groups={groups}, weight of size {list(weight.shape)}, "
                           f"expected input{batched} to have {weight.shape[1] * groups} "
                           f"channels, but got {cin} channels instead")
    _check_bias(input, weight, bias, "", weight.shape[0])
    if not isinstance(pad, str):
        dil = _ntuple(dilation, n)
        padded = [s + 2 * p for s, p in zip(input.shape[-n:], pad)]
        eff = [d * (k - 1) + 1 for d, k in zip(dil, weight.shape[2:])]
        if any(p < e for p, e in zip(padded, eff)):
            raise RuntimeError(
                f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). "
                f"Kernel size: ({' x '.join(map(str, eff))}). Kernel size can't be greater "
                "than actual input size")
    if input.dim() == n + 1:     # torch convolves unbatched input as a batch of one
        return nn_ops._conv(input.unsqueeze(0), weight, bias, _ntuple(stride, n), pad,
                            _ntuple(dilation, n), groups).squeeze(0)
    return nn_ops._conv(input, weight, bias, _ntuple(stride, n), pad, _ntuple(dilation, n),
                        groups)


def _check_bias(input, weight, bias, given, cout):
    """torch's convolution errors for a bias of the wrong dtype (``input`` given: plain
    convolutions check it) or shape (one element per output channel)."""
    if bias is None:
        return
    # (under autocast the op casts its operands first: mixed dtypes are expected there)
    if input is not None and bias.dtype != input.dtype and \
            not jtorch.is_autocast_enabled(input.device.type):
        raise RuntimeError(f"Input type ({_cpp_name(input.dtype)}) and bias type "
                           f"({_cpp_name(bias.dtype)}) should be the same")
    if bias.dim() != 1 or bias.shape[0] != cout:
        raise RuntimeError(f"Given {given}weight of size {list(weight.shape)}, expected bias to "
                           f"be 1-dimensional with {cout} elements, but got bias of size "
                           f"{list(bias.shape)} instead")


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv(1, input, weight, bias, stride, padding, dilation, groups)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv(2, input, weight, bias, stride, padding, dilation, groups)


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv(3, input, weight, bias, stride, padding, dilation, groups)


def _conv_transpose(n, input, weight, bias, stride, padding, output_padding, groups, dilation):
    _dims(input, n, f"conv_transpose{n}d")
    cin = input.shape[-n - 1]
    if cin != weight.shape[0]:
        batched = list(input.shape) if input.dim() == n + 2 else [1] + list(input.shape)
        raise RuntimeError(f"Given transposed=1, weight of size {list(weight.shape)}, expected "
                           f"input{batched} to have {weight.shape[0]} channels, but got {cin} "
                           "channels instead")
    _check_bias(None, weight, bias, "transposed=1, ", weight.shape[1] * groups)
    args = (_ntuple(stride, n), _ntuple(padding, n), _ntuple(output_padding, n), groups,
            _ntuple(dilation, n))
    if input.dim() == n + 1:
        return nn_ops._conv_transpose(input.unsqueeze(0), weight, bias, *args).squeeze(0)
    return nn_ops._conv_transpose(input, weight, bias, *args)


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                     groups=1, dilation=1):
    return _conv_transpose(1, input, weight, bias, stride, padding, output_padding, groups,
                           dilation)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                     groups=1, dilation=1):
    return _conv_transpose(2, input, weight, bias, stride, padding, output_padding, groups,
                           dilation)


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                     groups=1, dilation=1):
    return _conv_transpose(3, input, weight, bias, stride, padding, output_padding, groups,
                           dilation)


# ------------------------------------------------------------------ padding
def pad(input, pad, mode="constant", value=None):
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.dim():
        raise RuntimeError(f"Padding length should be less than or equal to two times the "
                           f"input dimension but got padding length {len(pad)} and input of "
                           f"dimension {input.dim()}")
    if mode == "constant":
        return nn_pool._pad(input, pad, "constant", 0.0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    n = len(pad) // 2
    if n not in (1, 2, 3) or input.dim() not in (n + 1, n + 2):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {input.dim()}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
    for i in range(n):
        lo, hi = pad[2 * i], pad[2 * i + 1]
        dim = input.dim() - 1 - i
        size = input.shape[dim]
        if mode == "reflect" and (lo >= size or hi >= size):
            raise RuntimeError(f"Argument #4: Padding size should be less than the "
                               f"corresponding input dimension, but got: padding ({lo}, {hi}) "
                               f"at dimension {dim} of input {list(input.shape)}")
        if mode == "circular" and (lo > size or hi > size):
            raise RuntimeError("Padding value causes wrapping around more than once.")
    return nn_pool._pad(input, pad, mode)


# ------------------------------------------------------------------ patches and shuffles
def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    if input.dim() not in (3, 4):
        raise RuntimeError(f"Input Error: Only 3D or 4D input Tensors are supported (got "
                           f"{input.dim()}D)")
    return nn_pool._unfold(input, _ntuple(kernel_size, 2), _ntuple(dilation, 2),
                           _ntuple(padding, 2), _ntuple(stride, 2))


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    if input.dim() not in (2, 3):
        raise RuntimeError(f"Input Error: Only unbatched (2D) or batched (3D) input Tensors "
                           f"are supported (got {input.dim()}D)")
    k = _ntuple(kernel_size, 2)
    if input.shape[-2] % (k[0] * k[1]):
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the "
                           f"product of kernel_size, but got input.size(1)={input.shape[-2]} "
                           f"and kernel_size={k}")
    out, dil, pad, st = (_ntuple(output_size, 2), _ntuple(dilation, 2), _ntuple(padding, 2),
                         _ntuple(stride, 2))
    _check_fold_blocks(input, out, k, dil, pad, st)
    return nn_pool._fold(input, out, k, dil, pad, st)


def _check_fold_blocks(input, out, k, dil, pad, st):
    """torch's error for an input whose last dim is not the number of sliding blocks (the
    reshape inside the op would fail in NumPy's words)."""
    blocks = [(out[i] + 2 * pad[i] - dil[i] * (k[i] - 1) - 1) // st[i] + 1 for i in (0, 1)]
    if input.shape[-1] != blocks[0] * blocks[1]:
        raise RuntimeError(
            f"Given output_size=({out[0]}, {out[1]}), kernel_size=({k[0]}, {k[1]}), "
            f"dilation=({dil[0]}, {dil[1]}), padding=({pad[0]}, {pad[1]}), stride=({st[0]}, "
            f"{st[1]}), expected size of input's dimension 2 to match the calculated number "
            f"of sliding blocks {blocks[0]} * {blocks[1]} = {blocks[0] * blocks[1]}, but got "
            f"input.size(2)={input.shape[-1]}.")


def pixel_shuffle(input, upscale_factor):
    c = input.shape[-3]
    if c % (upscale_factor * upscale_factor):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be "
                           f"divisible by the square of upscale_factor, but input.size(-3)={c} "
                           f"is not divisible by {upscale_factor * upscale_factor}")
    return nn_pool._pixel_shuffle(input, int(upscale_factor))


def pixel_unshuffle(input, downscale_factor):
    return nn_pool._pixel_unshuffle(input, int(downscale_factor))


def channel_shuffle(input, groups):
    return nn_pool._channel_shuffle(input, int(groups))


# ------------------------------------------------------------------ channel dropout
def _feature_noise(input):
    """One Bernoulli(1 - p) draw per (sample, channel), as torch's make_feature_noise."""
    if input.dim() < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    shape = tuple(input.shape[:2]) + (1,) * (input.dim() - 2)
    return jtorch.empty(shape, dtype=input.dtype)


def _check_p(p):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _vf_dropout(input, p, training, inplace, feature, alpha):
    """ATen's _dropout_impl: ``input * noise`` (plus ``b`` for alpha dropout)."""
    if p == 0.0 or not training or input.numel() == 0:
        return input
    if p == 1.0:
        zero = jtorch.zeros((), dtype=input.dtype)
        return input.mul_(zero) if inplace else input * zero
    with jtorch.no_grad():
        noise = (_feature_noise(input) if feature else jtorch.empty_like(input))
        noise.bernoulli_(1 - p)
        if alpha:
            # a = 1/sqrt((alpha^2 p + 1)(1 - p)); b = (noise - 1) * alpha * a + alpha * a * p
            a = 1.0 / math.sqrt((_SELU_ALPHA * _SELU_ALPHA * p + 1) * (1 - p))
            b = noise.add(-1).mul_(_SELU_ALPHA * a).add_(_SELU_ALPHA * a * p)
            noise.mul_(a)
        else:
            noise.div_(1 - p)
    out = input.mul_(noise) if inplace else input * noise
    return out.add_(b) if alpha else out


def _unbatched_dropout(input, p, training, inplace, unsqueeze):
    _check_p(p)
    if unsqueeze:
        input = input.unsqueeze_(0) if inplace else input.unsqueeze(0)
    out = _vf_dropout(input, p, training, inplace, True, False)
    if unsqueeze:
        out = out.squeeze_(0) if inplace else out.squeeze(0)
    return out


def dropout1d(input, p=0.5, training=True, inplace=False):
    _check_p(p)
    if input.dim() not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a "
                           f"{input.dim()}D input. Note that dropout1d exists to provide "
                           "channel-wise dropout on inputs with 1 spatial dimension, a channel "
                           "dimension, and an optional batch dimension (i.e. 2D or 3D inputs).")
    return _unbatched_dropout(input, p, training, inplace, input.dim() == 2)


def _warn_dims(name, input, dims, spatial):
    if input.dim() not in dims:
        warnings.warn(f"{name}: Received a {input.dim()}-D input to {name}, which is deprecated "
                      "and will result in an error in a future release. To retain the behavior "
                      "and silence this warning, please use dropout instead. Note that "
                      f"{name} exists to provide channel-wise dropout on inputs with {spatial} "
                      "spatial dimensions, a channel dimension, and an optional batch "
                      f"dimension (i.e. {dims[0]}D or {dims[1]}D inputs).", stacklevel=3)


def dropout2d(input, p=0.5, training=True, inplace=False):
    _check_p(p)
    _warn_dims("dropout2d", input, (3, 4), 2)
    if input.dim() == 3:
        # torch keeps its historical reading of 3-D input as (N, C, L)
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that "
                      "channel-wise 1D dropout behavior is desired - input is interpreted as "
                      "shape (N, C, L), where C is the channel dim. This behavior will change "
                      "in a future release to interpret the input as one without a batch "
                      "dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout "
                      "behavior, please switch to using dropout1d instead.", stacklevel=2)
    return _unbatched_dropout(input, p, training, inplace, False)


def dropout3d(input, p=0.5, training=True, inplace=False):
    _check_p(p)
    _warn_dims("dropout3d", input, (4, 5), 3)
    return _unbatched_dropout(input, p, training, inplace, input.dim() != 5)


_SELU_ALPHA = 1.7580993408473766


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    _check_p(p)
    return _vf_dropout(input, p, training, inplace, False, True)


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    _check_p(p)
    return _vf_dropout(input, p, training, inplace, True, True)


def gumbel_softmax(logits, tau=1, hard=False, eps=1e-10, dim=-1):
    gumbels = -jtorch.empty_like(logits).exponential_().log()
    y_soft = ((logits + gumbels) / tau).softmax(dim)
    if not hard:
        return y_soft
    index = y_soft.max(dim, keepdim=True)[1]
    y_hard = jtorch.zeros_like(logits).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft


# ------------------------------------------------------------------ spatial transformers
_ALIGN_WARNING = ("Default grid_sample and affine_grid behavior has changed to align_corners="
                  "False since 1.3.0. Please specify align_corners=True if the old behavior is "
                  "desired. See the documentation of grid_sample for details.")


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError("nn.functional.grid_sample(): expected mode to be 'bilinear', "
                         f"'nearest' or 'bicubic', but got: '{mode}'")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError("nn.functional.grid_sample(): expected padding_mode to be 'zeros', "
                         f"'border', or 'reflection', but got: '{padding_mode}'")
    if align_corners is None:
        warnings.warn(_ALIGN_WARNING, stacklevel=2)
        align_corners = False
    if input.shape[0] != grid.shape[0]:
        raise RuntimeError("grid_sampler(): expected grid and input to have same batch size, "
                           f"but got input with sizes {list(input.shape)} and grid with sizes "
                           f"{list(grid.shape)}")
    if input.dim() not in (4, 5) or grid.dim() != input.dim():
        raise RuntimeError("grid_sampler(): expected 4D or 5D input and grid with same number "
                           f"of dimensions, but got input with sizes {list(input.shape)} and "
                           f"grid with sizes {list(grid.shape)}")
    n = input.dim() - 2
    if grid.shape[-1] != n:
        raise RuntimeError(f"grid_sampler(): expected grid to have size {n} in last dimension, "
                           f"but got grid with sizes {list(grid.shape)}")
    for d in range(2, input.dim()):
        if input.shape[d] == 0:
            raise RuntimeError("grid_sampler(): expected input to have non-empty spatial "
                               f"dimensions, but input has sizes {list(input.shape)} with "
                               f"dimension {d} being empty")
    if mode == "bicubic" and n != 2:
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
    # (torch's shape checks first, then its kernel's dtype dispatch, then the grid's dtype)
    if not input.dtype.is_floating_point:
        kernel = "grid_sampler_2d_cpu_kernel_impl" if n == 2 else "grid_sampler3d_cpu"
        raise NotImplementedError(f'"{kernel}" not implemented for '
                                  f"'{_scalar_name(input.dtype)}'")
    if input.dtype != grid.dtype:
        raise RuntimeError(f"expected scalar type {_scalar_name(input.dtype)} "
                           f"but found {_scalar_name(grid.dtype)}")
    return nn_sample._grid_sample(input, grid, mode, padding_mode, bool(align_corners))


def affine_grid(theta, size, align_corners=None):
    if align_corners is None:
        warnings.warn(_ALIGN_WARNING, stacklevel=2)
        align_corners = False
    if not theta.is_floating_point():
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    if len(size) in (4, 5):
        n = len(size) - 2
        if theta.dim() != 3 or tuple(theta.shape[-2:]) != (n, n + 1):
            raise ValueError(f"Expected a batch of {n}D affine matrices of shape Nx{n}x{n + 1} "
                             f"for size {size}. Got {theta.shape}.")
        spatial = size[-n:]
    else:
        raise NotImplementedError("affine_grid only supports 4D and 5D sizes, for 2D and 3D "
                                  f"affine transforms, respectively. Got size {size}.")
    if align_corners and min(spatial) == 1:
        warnings.warn("Since version 1.3.0, affine_grid behavior has changed for unit-size "
                      "grids when align_corners=True. This is not an intended use case of "
                      "affine_grid. See the documentation of affine_grid for details.",
                      stacklevel=2)
    elif min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    if theta.shape[0] != size[0]:
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{size[0]}, {n + 1}] but got: [{theta.shape[0]}, {n + 1}].")
    return nn_sample._affine_grid(theta, tuple(int(s) for s in size), bool(align_corners))


def _scalar_name(dtype):
    """c10's ScalarType name (Float, Double, Long) that torch's dtype-check messages print."""
    return {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16",
            "int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool"}.get(str(dtype).replace("torch.", ""), str(dtype))
