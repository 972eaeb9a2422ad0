"""Geometry functionals of transforms v2 with their image, mask and bounding-box kernels."""
import platform

import jtorch as torch
from jtorch.nn import _resize_uint8

from ... import _tensor_ops as F_t
from ... import functional as F1
from ...functional import InterpolationMode, pil_modes_mapping
from . import _boxes
from ._dispatch import call, check_interpolation as _interp, register


def _with_mask_dims(fn, mask, *args, **kwargs):
    # mask kernels take [..., H, W]: a 2-D mask gains a channel dimension for the image kernel
    if mask.ndim < 3:
        return fn(mask.unsqueeze(0), *args, **kwargs).squeeze(0)
    return fn(mask, *args, **kwargs)


# ------------------------------------------------------------------ flips
def horizontal_flip(inpt):
    return call("horizontal_flip", inpt)


def vertical_flip(inpt):
    return call("vertical_flip", inpt)


hflip, vflip = horizontal_flip, vertical_flip
register("horizontal_flip", "image", "video", "pil", "mask")(F1.hflip)
register("vertical_flip", "image", "video", "pil", "mask")(F1.vflip)
register("horizontal_flip", "boxes")(_boxes.horizontal_flip)
register("vertical_flip", "boxes")(_boxes.vertical_flip)


# ------------------------------------------------------------------ resize
def _output_size(h, w, size, max_size):
    short, long = (w, h) if w <= h else (h, w)
    if size is None:
        if not isinstance(max_size, int):
            raise ValueError(f"max_size must be an integer when size is None, but got {max_size} instead.")
        new_short, new_long = int(max_size * short / long), max_size
        return [new_long, new_short] if w <= h else [new_short, new_long]
    size = [size] if isinstance(size, int) else list(size)
    return F1._resized_size(h, w, size, max_size)


def resize(inpt, size, interpolation=InterpolationMode.BILINEAR, max_size=None, antialias=True):
    return call("resize", inpt, size, interpolation=interpolation, max_size=max_size, antialias=antialias)


@register("resize", "image", "video")
def _resize_image(image, size, interpolation=InterpolationMode.BILINEAR, max_size=None, antialias=True):
    interpolation = _interp(interpolation)
    shape = image.shape
    c, h, w = shape[-3:]
    nh, nw = _output_size(h, w, size, max_size)
    if (nh, nw) == (h, w):
        return image
    if interpolation == InterpolationMode.LANCZOS and not antialias:
        raise ValueError("InterpolationMode.LANCZOS requires antialias=True")
    mode, antialias = interpolation.value, bool(antialias) and interpolation.value in _SMOOTH
    if image.dtype == torch.uint8 and _native_uint8(mode, antialias) and image.numel() > 0:
        out = _resize_uint8.resize(image._host(), (nh, nw), mode, antialias)
        return torch.as_tensor(out)
    # other dtypes go through float32 (and round back to an integer dtype)
    out = F_t.resize(image.reshape(-1, c, h, w), [nh, nw], mode, antialias)
    return out.reshape(tuple(shape[:-3]) + (c, nh, nw))


_SMOOTH = ("bilinear", "bicubic")


def _native_uint8(mode, antialias):
    """Whether torchvision resizes this uint8 image natively: bilinear on AVX2/AVX512 (or ARM)
    CPUs, bicubic everywhere; the float32 round trip otherwise."""
    if not _resize_uint8.supported(mode, antialias):
        return False
    if mode == "bicubic":
        return True
    return (torch.backends.cpu.get_cpu_capability() in ("AVX2", "AVX512")
            or platform.machine() in ("aarch64", "arm64"))


@register("resize", "pil")
def _resize_pil(image, size, interpolation=InterpolationMode.BILINEAR, max_size=None, antialias=True):
    interpolation = _interp(interpolation)
    w, h = image.size
    nh, nw = _output_size(h, w, size, max_size)
    return image.resize((nw, nh), pil_modes_mapping[interpolation])


@register("resize", "mask")
def _resize_mask(mask, size, interpolation=None, max_size=None, antialias=True):
    return _with_mask_dims(_resize_image, mask, size, InterpolationMode.NEAREST, max_size, False)


@register("resize", "boxes")
def _resize_boxes(boxes, size, interpolation=None, max_size=None, antialias=True):
    return _boxes.resize(boxes, _output_size(*boxes.canvas_size, size, max_size))


# ------------------------------------------------------------------ crops
def crop(inpt, top, left, height, width):
    return call("crop", inpt, top, left, height, width)


register("crop", "image", "video", "pil", "mask")(F1.crop)
register("crop", "boxes")(_boxes.crop)


def _crop_size(output_size):
    if isinstance(output_size, int):
        return output_size, output_size
    if len(output_size) == 1:
        return output_size[0], output_size[0]
    return output_size[0], output_size[1]


def center_crop(inpt, output_size):
    return call("center_crop", inpt, output_size)


@register("center_crop", "image", "video", "pil", "mask")
def _center_crop_image(image, output_size):
    return F1.center_crop(image, list(_crop_size(output_size)))


@register("center_crop", "boxes")
def _center_crop_boxes(boxes, output_size):
    ch, cw = _crop_size(output_size)
    h, w = boxes.canvas_size
    top, left = int(round((h - ch) / 2.0)), int(round((w - cw) / 2.0))
    return _boxes.crop(boxes, top, left, ch, cw)


def resized_crop(inpt, top, left, height, width, size, interpolation=InterpolationMode.BILINEAR,
                 antialias=True):
    return resize(crop(inpt, top, left, height, width), size, interpolation=interpolation,
                  antialias=antialias)


# ------------------------------------------------------------------ pad
def _ltrb(padding):
    if isinstance(padding, int):
        return [padding] * 4
    if not isinstance(padding, (tuple, list)):
        raise TypeError(f"`padding` should be an integer or tuple or list of integers, but got {padding}")
    if len(padding) == 1:
        return [padding[0]] * 4
    if len(padding) == 2:
        return [padding[0], padding[1], padding[0], padding[1]]
    if len(padding) == 4:
        return list(padding)
    raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple or list. Found {len(padding)}")


def pad(inpt, padding, fill=None, padding_mode="constant"):
    return call("pad", inpt, padding, fill=fill, padding_mode=padding_mode)


@register("pad", "image", "video", "pil")
def _pad_image(image, padding, fill=None, padding_mode="constant"):
    if isinstance(fill, (list, tuple)) and len(fill) == 1:
        fill = fill[0]
    if isinstance(fill, (list, tuple)) and isinstance(image, torch.Tensor):
        return _pad_vector_fill(image, padding, fill, padding_mode)
    return F1.pad(image, padding, 0 if fill is None else fill, padding_mode)


def _pad_vector_fill(image, padding, fill, padding_mode):
    # a per-channel fill: pad with zeros, then paint each border band with the channel values
    if padding_mode != "constant":
        raise ValueError(f"Padding mode '{padding_mode}' is not supported if fill is not scalar")
    left, top, right, bottom = _ltrb(padding)
    out = F1.pad(image, [left, top, right, bottom], 0, "constant")
    values = torch.tensor(fill, dtype=image.dtype).reshape(-1, 1, 1)
    if top > 0:
        out[..., :top, :] = values
    if left > 0:
        out[..., :, :left] = values
    if bottom > 0:
        out[..., -bottom:, :] = values
    if right > 0:
        out[..., :, -right:] = values
    return out


@register("pad", "mask")
def _pad_mask(mask, padding, fill=None, padding_mode="constant"):
    if isinstance(fill, (tuple, list)):
        raise ValueError("Non-scalar fill value is not supported")
    return _with_mask_dims(_pad_image, mask, padding, fill, padding_mode)


@register("pad", "boxes")
def _pad_boxes(boxes, padding, fill=None, padding_mode="constant"):
    if padding_mode != "constant":
        raise ValueError(f"Padding mode '{padding_mode}' is not supported with bounding boxes")
    return _boxes.pad(boxes, _ltrb(padding))


# ------------------------------------------------------------------ rotate
def rotate(inpt, angle, interpolation=InterpolationMode.NEAREST, expand=False, center=None, fill=None):
    return call("rotate", inpt, angle, interpolation=interpolation, expand=expand, center=center,
                fill=fill)


@register("rotate", "image", "video")
def _rotate_image(image, angle, interpolation=InterpolationMode.NEAREST, expand=False, center=None,
                  fill=None):
    angle = angle % 360
    # quarter turns are exact transposes in v2 (no resampling)
    if center is None:
        if angle == 0:
            return image.clone()
        if angle == 180:
            return torch.rot90(image, k=2, dims=(-2, -1))
        if expand or image.shape[-1] == image.shape[-2]:
            if angle in (90, 270):
                return torch.rot90(image, k=angle // 90, dims=(-2, -1))
    return F1.rotate(image, float(angle), _interp(interpolation), expand, center, fill)


@register("rotate", "pil")
def _rotate_pil(image, angle, interpolation=InterpolationMode.NEAREST, expand=False, center=None,
                fill=None):
    return F1.rotate(image, float(angle), _interp(interpolation), expand, center, fill)


@register("rotate", "mask")
def _rotate_mask(mask, angle, interpolation=None, expand=False, center=None, fill=None):
    return _with_mask_dims(_rotate_image, mask, angle, InterpolationMode.NEAREST, expand, center, fill)


@register("rotate", "boxes")
def _rotate_boxes(boxes, angle, interpolation=None, expand=False, center=None, fill=None):
    return _boxes.rotate(boxes, angle, expand, center)
