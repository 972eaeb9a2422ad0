"""Pooling, padding, resampling, patch, shuffle and channel-dropout layers: thin modules over
``nn.functional``; their attributes (stored raw or as tuples, as torch stores them) make
``print(model)`` match torch's."""
from __future__ import annotations

from .. import functional as F
from ._dims import dimension_family as _dimension_family, ntuple as _ntuple
from .layers import _DropoutNd
from .module import Module


# ------------------------------------------------------------------ pooling
class _MaxPoolNd(Module):
    _fn = None

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
                 ceil_mode=False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def forward(self, input):
        return type(self)._fn(input, self.kernel_size, self.stride, self.padding, self.dilation,
                              ceil_mode=self.ceil_mode, return_indices=self.return_indices)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


MaxPool1d, MaxPool2d, MaxPool3d = _dimension_family(
    _MaxPoolNd, "MaxPool", __name__, (F.max_pool1d, F.max_pool2d, F.max_pool3d))


class _AvgPoolNd(Module):
    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool1d(_AvgPoolNd):
    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True):
        # torch stores the 1-d pool's arguments as 1-tuples (and prints them so)
        super().__init__(_ntuple(kernel_size, 1),
                         _ntuple(stride if stride is not None else kernel_size, 1),
                         _ntuple(padding, 1), ceil_mode, count_include_pad)

    def forward(self, input):
        return F.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad)


class AvgPool2d(_AvgPoolNd):
    def forward(self, input):
        return F.avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad, self.divisor_override)


class AvgPool3d(_AvgPoolNd):
    def forward(self, input):
        return F.avg_pool3d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad, self.divisor_override)


class _AdaptivePool(Module):
    """Adaptive max pooling (and the base of the average pools, which, as torch's, have no
    ``return_indices`` attribute: a torch pickle of one carries none)."""
    _fn = None

    def __init__(self, output_size, return_indices=False):
        super().__init__()
        self.output_size, self.return_indices = output_size, return_indices

    def forward(self, input):
        if self.return_indices:
            return type(self)._fn(input, self.output_size, True)
        return type(self)._fn(input, self.output_size)

    def extra_repr(self):
        return f"output_size={self.output_size}"


def _adaptive(name, fn):
    return type(name, (_AdaptivePool,), {"_fn": fn, "__module__": __name__})


class _AdaptiveAvgPool(_AdaptivePool):
    def __init__(self, output_size):
        Module.__init__(self)
        self.output_size = output_size

    def forward(self, input):
        return type(self)._fn(input, self.output_size)


def _adaptive_avg(name, fn):
    return type(name, (_AdaptiveAvgPool,), {"_fn": fn, "__module__": __name__})


AdaptiveAvgPool1d = _adaptive_avg("AdaptiveAvgPool1d", F.adaptive_avg_pool1d)
AdaptiveAvgPool2d = _adaptive_avg("AdaptiveAvgPool2d", F.adaptive_avg_pool2d)
AdaptiveAvgPool3d = _adaptive_avg("AdaptiveAvgPool3d", F.adaptive_avg_pool3d)
AdaptiveMaxPool1d = _adaptive("AdaptiveMaxPool1d", F.adaptive_max_pool1d)
AdaptiveMaxPool2d = _adaptive("AdaptiveMaxPool2d", F.adaptive_max_pool2d)
AdaptiveMaxPool3d = _adaptive("AdaptiveMaxPool3d", F.adaptive_max_pool3d)


class _LPPoolNd(Module):
    _fn = None

    def __init__(self, norm_type, kernel_size, stride=None, ceil_mode=False):
        super().__init__()
        self.norm_type, self.kernel_size = norm_type, kernel_size
        self.stride, self.ceil_mode = stride, ceil_mode

    def forward(self, input):
        return type(self)._fn(input, float(self.norm_type), self.kernel_size, self.stride,
                              self.ceil_mode)

    def extra_repr(self):
        return (f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, ceil_mode={self.ceil_mode}")


LPPool1d, LPPool2d, LPPool3d = _dimension_family(
    _LPPoolNd, "LPPool", __name__, (F.lp_pool1d, F.lp_pool2d, F.lp_pool3d))


# ------------------------------------------------------------------ padding
class _PadNd(Module):
    _n = 1
    _mode = "constant"

    def __init__(self, padding):
        super().__init__()
        self.padding = _ntuple(padding, 2 * self._n)

    def forward(self, input):
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self):
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value):
        super().__init__(padding)
        self.value = value

    def forward(self, input):
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


def _pad_class(name, base, n, mode="constant"):
    return type(name, (base,), {"_n": n, "_mode": mode, "__module__": __name__})


ConstantPad1d = _pad_class("ConstantPad1d", _ConstantPadNd, 1)
ConstantPad2d = _pad_class("ConstantPad2d", _ConstantPadNd, 2)
ConstantPad3d = _pad_class("ConstantPad3d", _ConstantPadNd, 3)
ZeroPad1d = _pad_class("ZeroPad1d", _ZeroPadNd, 1)
ZeroPad2d = _pad_class("ZeroPad2d", _ZeroPadNd, 2)
ZeroPad3d = _pad_class("ZeroPad3d", _ZeroPadNd, 3)
ReflectionPad1d = _pad_class("ReflectionPad1d", _PadNd, 1, "reflect")
ReflectionPad2d = _pad_class("ReflectionPad2d", _PadNd, 2, "reflect")
ReflectionPad3d = _pad_class("ReflectionPad3d", _PadNd, 3, "reflect")
ReplicationPad1d = _pad_class("ReplicationPad1d", _PadNd, 1, "replicate")
ReplicationPad2d = _pad_class("ReplicationPad2d", _PadNd, 2, "replicate")
ReplicationPad3d = _pad_class("ReplicationPad3d", _PadNd, 3, "replicate")
CircularPad1d = _pad_class("CircularPad1d", _PadNd, 1, "circular")
CircularPad2d = _pad_class("CircularPad2d", _PadNd, 2, "circular")
CircularPad3d = _pad_class("CircularPad3d", _PadNd, 3, "circular")


# ------------------------------------------------------------------ resampling
class Upsample(Module):
    def __init__(self, size=None, scale_factor=None, mode="nearest", align_corners=None,
                 recompute_scale_factor=None):
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        if isinstance(scale_factor, tuple):
            self.scale_factor = tuple(float(f) for f in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor else None
        self.mode, self.align_corners = mode, align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input):
        return F.interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                             recompute_scale_factor=self.recompute_scale_factor)

    def extra_repr(self):
        info = (f"scale_factor={self.scale_factor!r}" if self.scale_factor is not None else
                f"size={self.size!r}")
        return info + f", mode={self.mode!r}"


class UpsamplingNearest2d(Upsample):
    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)


# ------------------------------------------------------------------ patches, shuffles, shapes
class _StoredArguments(Module):
    """A module whose forward is one functional called with the stored attributes named in
    ``_args`` (in the functional's order), and whose repr lists them as ``name=value``."""
    _fn = None
    _args = ()

    def forward(self, input):
        return type(self)._fn(input, *(getattr(self, name) for name in self._args))

    def extra_repr(self):
        return ", ".join(f"{name}={getattr(self, name)}" for name in self._args)


class Unfold(_StoredArguments):
    _fn, _args = F.unfold, ("kernel_size", "dilation", "padding", "stride")

    def __init__(self, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__()
        self.kernel_size, self.dilation = kernel_size, dilation
        self.padding, self.stride = padding, stride


class Fold(_StoredArguments):
    _fn, _args = F.fold, ("output_size", "kernel_size", "dilation", "padding", "stride")

    def __init__(self, output_size, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride


class PixelShuffle(_StoredArguments):
    _fn, _args = F.pixel_shuffle, ("upscale_factor",)

    def __init__(self, upscale_factor):
        super().__init__()
        self.upscale_factor = upscale_factor


class PixelUnshuffle(_StoredArguments):
    _fn, _args = F.pixel_unshuffle, ("downscale_factor",)

    def __init__(self, downscale_factor):
        super().__init__()
        self.downscale_factor = downscale_factor


class ChannelShuffle(_StoredArguments):
    _fn, _args = F.channel_shuffle, ("groups",)

    def __init__(self, groups):
        super().__init__()
        self.groups = groups


class Unflatten(Module):
    def __init__(self, dim, unflattened_size):
        super().__init__()
        if isinstance(dim, str):
            raise NotImplementedError("jtorch: named-dimension Unflatten is not supported")
        if not isinstance(unflattened_size, (tuple, list)):
            raise TypeError("unflattened_size must be tuple of ints, but found type "
                            f"{type(unflattened_size).__name__}")
        self.dim, self.unflattened_size = dim, unflattened_size

    def forward(self, input):
        return input.unflatten(self.dim, self.unflattened_size)

    def extra_repr(self):
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"


# ------------------------------------------------------------------ channel dropout
Dropout1d, Dropout2d, Dropout3d = _dimension_family(
    _DropoutNd, "Dropout", __name__, (F.dropout1d, F.dropout2d, F.dropout3d))


class AlphaDropout(_DropoutNd):
    _fn = F.alpha_dropout


class FeatureAlphaDropout(_DropoutNd):
    _fn = F.feature_alpha_dropout
