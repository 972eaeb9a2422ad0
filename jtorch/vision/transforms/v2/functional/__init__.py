"""torchvision.transforms.v2.functional: each functional dispatches on its input's type (PIL
image, pure tensor / tv_tensors.Image / Video, Mask, BoundingBoxes) to a kernel; image kernels
are v1's where torchvision's v2 kernels compute the same values, and v2's own otherwise."""
import numpy as np

import jtorch as torch
from jtorch import Tensor

from .... import tv_tensors
from ... import _pil_ops as F_pil
from ... import _tensor_ops as F_t
from ... import functional as F1
from ...functional import InterpolationMode
from ._boxes import convert_bounding_box_format
from ._dispatch import call, check_interpolation as _check_interpolation, pure, register  # noqa: F401

_IMAGE = ("image", "video", "pil")
_TENSORS = ("image", "video")


# ------------------------------------------------------------------ type conversion and meta
def to_image(inpt):
    if isinstance(inpt, np.ndarray):
        output = torch.as_tensor(np.atleast_3d(inpt)).permute((2, 0, 1)).contiguous()
    elif F_pil.is_pil(inpt):
        output = F1.pil_to_tensor(inpt)
    elif isinstance(inpt, Tensor):
        output = inpt
    else:
        raise TypeError("Input can either be a pure Tensor, a numpy array, or a PIL image, but got "
                        f"{type(inpt)} instead.")
    return tv_tensors.Image(output)


pil_to_tensor = F1.pil_to_tensor


def to_pil_image(pic, mode=None):
    return F1.to_pil_image(pure(pic), mode)


def to_pure_tensor(inpt):
    return pure(inpt)


def get_dimensions(inpt):
    if isinstance(inpt, (tv_tensors.Mask, tv_tensors.BoundingBoxes)):
        raise TypeError(f"get_dimensions() does not support inputs of type {type(inpt)}")
    return F1.get_dimensions(pure(inpt))


def get_num_channels(inpt):
    return get_dimensions(inpt)[0]


def get_size(inpt):
    if isinstance(inpt, tv_tensors.BoundingBoxes):
        return list(inpt.canvas_size)
    if isinstance(inpt, tv_tensors.Mask):
        return list(inpt.shape[-2:])
    return get_dimensions(inpt)[1:]


# ------------------------------------------------------------------ misc
def normalize(inpt, mean, std, inplace=False):
    return call("normalize", inpt, mean=mean, std=std, inplace=inplace)


@register("normalize", *_TENSORS)
def _normalize_image(image, mean, std, inplace=False):
    return F_t.normalize(image, mean, std, inplace)


def _to_dtype_image(image, dtype=torch.float32, scale=False):
    if image.dtype == dtype:
        return image
    if not scale:
        return image.to(dtype)
    if image.is_floating_point() or not dtype.is_floating_point:
        return F_t.convert_image_dtype(image, dtype)
    # int to float: v2 multiplies by the reciprocal of the maximum (v1 divides)
    return image.to(dtype).mul_(1.0 / F_t.max_value(image.dtype))


register("to_dtype", *_TENSORS)(_to_dtype_image)


@register("to_dtype", "mask", "boxes")
def _to_dtype_other(inpt, dtype=torch.float32, scale=False):
    return inpt.to(dtype)


def to_dtype(inpt, dtype=torch.float32, scale=False):
    return call("to_dtype", inpt, dtype=dtype, scale=scale)


def convert_image_dtype(image, dtype=torch.float32):
    return _to_dtype_image(pure(image), dtype=dtype, scale=True)


def erase(inpt, i, j, h, w, v, inplace=False):
    return call("erase", inpt, i=i, j=j, h=h, w=w, v=v, inplace=inplace)


@register("erase", *_TENSORS)
def _erase_image(image, i, j, h, w, v, inplace=False):
    return F_t.erase(image, i, j, h, w, v, inplace)


@register("erase", "pil")
def _erase_pil(image, i, j, h, w, v, inplace=False):
    t = _erase_image(F1.pil_to_tensor(image), i, j, h, w, v, inplace)
    return F1.to_pil_image(t, mode=image.mode)


# ------------------------------------------------------------------ color
def rgb_to_grayscale(inpt, num_output_channels=1):
    return call("rgb_to_grayscale", inpt, num_output_channels=num_output_channels)


to_grayscale = rgb_to_grayscale
register("rgb_to_grayscale", *_IMAGE)(F1.rgb_to_grayscale)


def _color(name, v1_fn):
    register(name, *_IMAGE)(v1_fn)

    def functional(inpt, factor):
        return call(name, inpt, factor)

    functional.__name__ = name
    return functional


adjust_brightness = _color("adjust_brightness", F1.adjust_brightness)
adjust_contrast = _color("adjust_contrast", F1.adjust_contrast)
adjust_saturation = _color("adjust_saturation", F1.adjust_saturation)
adjust_hue = _color("adjust_hue", F1.adjust_hue)

from ._geometry import (  # noqa: E402,F401
    center_crop, crop, hflip, horizontal_flip, pad, resize, resized_crop, rotate, vertical_flip,
    vflip)
