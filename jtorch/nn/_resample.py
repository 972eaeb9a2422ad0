"""Functional resampling: ``interpolate`` and the deprecated ``upsample*``, with torch's
argument handling and error messages (uint8 images in torch's fixed point,
``_resize_uint8``). The kernels are ops of ``_ops/nn_resample.py``; re-exported by
``nn.functional`` through ``_spatial``."""
import math

import jtorch
from .._ops import nn_pool, nn_resample
from . import _resize_uint8


_INTERP_DIMS = {"linear": 1, "bilinear": 2, "bicubic": 2, "trilinear": 3, "lanczos": 2}
_MODES = "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"


def _uint8_kernel(input, out, scales, mode, align_corners):
    """torch resizes a uint8 image in fixed point (``_resize_uint8``, exact for sizes given
    without ``align_corners``); other integer cases go through float32 and round."""
    return (input.dtype == jtorch.uint8 and mode in ("bilinear", "bicubic") and
            not align_corners and all(s is None for s in scales) and
            not input.requires_grad and not jtorch.compiler.is_compiling())


_LENGTH_ERRORS = {
    "size": "Input and output must have the same number of spatial dimensions, but got input "
            "with spatial dimensions of {dims} and output size of {value}. Please provide "
            "input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) "
            "format.",
    "scale_factor": "Input and scale_factor must have the same number of spatial dimensions, "
                    "but got input with spatial dimensions of {dims} and scale_factor of shape "
                    "{value}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
                    "scale_factor in (s1, s2, ...,sK) format.",
}


def _per_spatial_dim(name, value, input, convert):
    """interpolate's ``size`` or ``scale_factor`` as one converted value per spatial dim of
    ``input``: a number repeats, a sequence must have one entry per dim (torch's error)."""
    n = input.dim() - 2
    if not isinstance(value, (list, tuple)):
        return (convert(value),) * n
    if len(value) != n:
        raise ValueError(_LENGTH_ERRORS[name].format(dims=list(input.shape[2:]), value=value))
    return tuple(convert(v) for v in value)


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    # the checks in torch 2.13's order, so the first failing one gives torch's error
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating "
                             "modes: linear | bilinear | bicubic | trilinear")
    else:
        align_corners = bool(align_corners)
    n = input.dim() - 2
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        out = _per_spatial_dim("size", size, input, int)
        scales = (None,) * n
    elif scale_factor is not None:
        sf = _per_spatial_dim("scale_factor", scale_factor, input, float)
        out = tuple(int(math.floor(float(s) * f)) for s, f in zip(input.shape[2:], sf))
        if recompute_scale_factor or mode == "area":
            scales = (None,) * n
        else:
            scales = sf
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.dim() == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos "
                         "modes and requires a 4-D tensor as input")
    if n in (1, 2, 3) and mode in ("nearest", "nearest-exact"):
        return nn_resample._upsample(input, out, scales, mode, False)
    if n in (1, 2, 3) and mode == "area":
        return nn_pool._adaptive_avg_pool(input, out)
    if mode in _INTERP_DIMS and _INTERP_DIMS[mode] == n:
        if mode == "lanczos":
            if align_corners:
                raise ValueError("Lanczos mode does not support align_corners=True")
            if not antialias:
                raise ValueError("Lanczos mode requires antialias=True")
        if _uint8_kernel(input, out, scales, mode, align_corners):
            return jtorch.as_tensor(_resize_uint8.resize(input._host(), out, mode, antialias))
        if antialias:
            return nn_resample._upsample_aa(input, out, scales, mode, align_corners)
        return nn_resample._upsample(input, out, scales, mode, align_corners)
    if mode in _INTERP_DIMS and n in (1, 2, 3) and mode != "lanczos":
        raise NotImplementedError(f"Got {input.dim()}D input, but {mode} mode needs "
                                  f"{_INTERP_DIMS[mode] + 2}D input")
    raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got "
                              f"{input.dim()}D) for the modes: {_MODES} (got {mode})")


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)
