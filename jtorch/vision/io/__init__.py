"""torchvision.io image reading, decoded with Pillow (torchvision uses libjpeg/libpng; Pillow
wraps the same libraries, so baseline JPEG and PNG decode to the same pixels)."""
import io as _bytes_io
import os
from enum import Enum

import numpy as np

import jtorch as torch

from ..transforms import _pil_ops

__all__ = ["ImageReadMode", "read_file", "decode_image", "read_image", "write_png"]


class ImageReadMode(Enum):
    UNCHANGED = 0
    GRAY = 1
    GRAY_ALPHA = 2
    RGB = 3
    RGB_ALPHA = 4
    RGBA = RGB_ALPHA


_PIL_MODE = {ImageReadMode.GRAY: "L", ImageReadMode.GRAY_ALPHA: "LA", ImageReadMode.RGB: "RGB",
             ImageReadMode.RGB_ALPHA: "RGBA"}


def read_file(path):
    """The file's bytes as a 1-D uint8 tensor."""
    with open(os.fspath(path), "rb") as f:
        return torch.as_tensor(np.frombuffer(f.read(), dtype=np.uint8).copy())


def _mode(mode):
    if isinstance(mode, str):
        mode = ImageReadMode[mode.upper()]
    return mode


def decode_image(input, mode=ImageReadMode.UNCHANGED, apply_exif_orientation=False):
    _pil_ops.require()
    from PIL import ImageOps
    if not isinstance(input, torch.Tensor):
        input = read_file(str(input))
    if input.dtype != torch.uint8 or input.dim() != 1:
        raise RuntimeError("Expected a non empty 1-dimensional tensor of dtype uint8")
    img = _pil_ops.Image.open(_bytes_io.BytesIO(input._host().tobytes()))
    if apply_exif_orientation:
        img = ImageOps.exif_transpose(img)
    mode = _mode(mode)
    if mode != ImageReadMode.UNCHANGED:
        img = img.convert(_PIL_MODE[mode])
    elif img.mode == "P":  # palette images decode to their colours
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    elif img.mode == "1":
        img = img.convert("L")
    arr = np.array(img)
    if arr.dtype == np.int32 or img.mode.startswith("I;16"):
        arr = arr.astype(np.uint16)
    if arr.ndim == 2:
        arr = arr[:, :, None]
    return torch.as_tensor(np.ascontiguousarray(arr.transpose(2, 0, 1)))


def read_image(path, mode=ImageReadMode.UNCHANGED, apply_exif_orientation=False):
    return decode_image(read_file(path), mode, apply_exif_orientation=apply_exif_orientation)


def write_png(input, filename, compression_level=6):
    _pil_ops.require()
    arr = input.permute(1, 2, 0)._host()
    _pil_ops.Image.fromarray(arr[:, :, 0] if arr.shape[2] == 1 else arr).save(
        filename, format="PNG", compress_level=compression_level)
