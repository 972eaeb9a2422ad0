"""Image kernels on PIL images, the Pillow calls torchvision 0.28 makes. Pillow is optional:
`require()` names it when an operation needs it and it is missing."""
import functools

import numpy as np

try:
    from PIL import Image, ImageEnhance, ImageOps
except ImportError:  # Pillow is optional; tensor images work without it
    Image = ImageEnhance = ImageOps = None


def require():
    if Image is None:
        raise ModuleNotFoundError("jtorch.vision needs Pillow for PIL images: pip install pillow",
                                  name="PIL")


def is_pil(img):
    return Image is not None and isinstance(img, Image.Image)


def check(img):
    if not is_pil(img):
        raise TypeError(f"img should be PIL Image. Got {type(img)}")


def dimensions(img):
    if is_pil(img):
        w, h = img.size
        return [len(img.getbands()), h, w]
    raise TypeError(f"Unexpected type {type(img)}")


def hflip(img):
    check(img)
    return img.transpose(Image.FLIP_LEFT_RIGHT)


def vflip(img):
    check(img)
    return img.transpose(Image.FLIP_TOP_BOTTOM)


def _enhance(kind, img, factor):
    check(img)
    return getattr(ImageEnhance, kind)(img).enhance(factor)


# PIL's enhancers blend with a degenerate image (black, mean grey, greyscale): (img, factor)
adjust_brightness = functools.partial(_enhance, "Brightness")
adjust_contrast = functools.partial(_enhance, "Contrast")
adjust_saturation = functools.partial(_enhance, "Color")


def adjust_hue(img, factor):
    if not (-0.5 <= factor <= 0.5):
        raise ValueError(f"hue_factor ({factor}) is not in [-0.5, 0.5].")
    check(img)
    mode = img.mode
    if mode in {"L", "1", "I", "F"}:
        return img
    h, s, v = img.convert("HSV").split()
    hue = np.array(h, dtype=np.uint8)
    hue += np.int32(factor * 255).astype(np.uint8)  # wraps around modulo 256, as a hue should
    return Image.merge("HSV", (Image.fromarray(hue, "L"), s, v)).convert(mode)


def adjust_gamma(img, gamma, gain=1.0):
    check(img)
    if gamma < 0:
        raise ValueError("Gamma should be a non-negative real number")
    mode = img.mode
    table = [int((255 + 1 - 1e-3) * gain * pow(x / 255.0, gamma)) for x in range(256)] * 3
    return img.convert("RGB").point(table).convert(mode)


def parse_fill(fill, img, name="fillcolor"):
    n = len(img.getbands())
    fill = 0 if fill is None else fill
    if isinstance(fill, (int, float)) and n > 1:
        fill = tuple([fill] * n)
    if isinstance(fill, (list, tuple)):
        if len(fill) == 1:
            fill = fill * n
        elif len(fill) != n:
            raise ValueError("The number of elements in 'fill' does not match the number of channels "
                             f"of the image ({len(fill)} != {n})")
        fill = tuple(fill)
    if img.mode != "F":
        fill = tuple(int(x) for x in fill) if isinstance(fill, tuple) else int(fill)
    return {name: fill}


def pad(img, padding, fill=0, padding_mode="constant"):
    check(img)
    if isinstance(padding, list):
        padding = tuple(padding)
    if isinstance(padding, tuple) and len(padding) not in (1, 2, 4):
        raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, not a "
                         f"{len(padding)} element tuple")
    if isinstance(padding, tuple) and len(padding) == 1:
        padding = padding[0]
    if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
        raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
    if padding_mode == "constant":
        palette = img.getpalette() if img.mode == "P" else None
        out = ImageOps.expand(img, border=padding, **parse_fill(fill, img, name="fill"))
        if palette is not None:
            out.putpalette(palette)
        return out
    if isinstance(padding, int):
        p = [padding] * 4
    elif len(padding) == 2:
        p = [padding[0], padding[1], padding[0], padding[1]]
    else:
        p = list(padding)  # left, top, right, bottom
    cut = [-min(x, 0) for x in p]
    if any(cut):
        img = img.crop((cut[0], cut[1], img.width - cut[2], img.height - cut[3]))
    left, top, right, bottom = [max(x, 0) for x in p]
    palette = img.getpalette() if img.mode == "P" else None
    arr = np.asarray(img)
    widths = ((top, bottom), (left, right)) + (((0, 0),) if arr.ndim == 3 else ())
    out = Image.fromarray(np.pad(arr, widths, padding_mode))
    if palette is not None:
        out.putpalette(palette)
    return out


def crop(img, top, left, height, width):
    check(img)
    return img.crop((left, top, left + width, top + height))


def resize(img, size, interpolation):
    check(img)
    return img.resize(tuple(size[::-1]), interpolation)


def rotate(img, angle, interpolation, expand=False, center=None, fill=None):
    check(img)
    return img.rotate(angle, interpolation, expand, center, **parse_fill(fill, img))


def affine(img, matrix, interpolation, fill=None):
    check(img)
    return img.transform(img.size, Image.AFFINE, matrix, interpolation, **parse_fill(fill, img))


def to_grayscale(img, num_output_channels):
    check(img)
    if num_output_channels not in (1, 3):
        raise ValueError("num_output_channels should be either 1 or 3")
    img = img.convert("L")
    if num_output_channels == 3:
        g = np.array(img, dtype=np.uint8)
        img = Image.fromarray(np.dstack([g, g, g]), "RGB")
    return img
