"""The random boxes of RandomResizedCrop and RandomErasing (v1 and v2 share them): torchvision's
sampling, draw for draw, so the same seed gives the same boxes."""
import math
import warnings
from collections.abc import Sequence

import jtorch as torch


def random_box(height, width, scale, ratio, fits):
    """Up to ten (area, log-uniform aspect) draws, torchvision's sampling; returns the first
    box accepted by `fits` (with its extra draws done by the caller) or None."""
    area = height * width
    log_ratio = torch.log(torch.tensor(ratio))
    for _ in range(10):
        target = area * torch.empty(1).uniform_(scale[0], scale[1]).item()
        aspect = torch.exp(torch.empty(1).uniform_(log_ratio[0], log_ratio[1])).item()
        box = fits(target, aspect)
        if box is not None:
            return box
    return None


def resized_crop_box(height, width, scale, ratio):
    """RandomResizedCrop's (top, left, h, w) in a height x width image: a random box, else
    the central crop clamped to the ratio range."""
    def fits(target, aspect):
        w = int(round(math.sqrt(target * aspect)))
        h = int(round(math.sqrt(target / aspect)))
        if 0 < w <= width and 0 < h <= height:
            i = torch.randint(0, height - h + 1, size=(1,)).item()
            j = torch.randint(0, width - w + 1, size=(1,)).item()
            return i, j, h, w
        return None

    box = random_box(height, width, scale, ratio, fits)
    if box is not None:
        return box
    in_ratio = float(width) / float(height)
    w, h = width, height
    if in_ratio < min(ratio):
        h = int(round(w / min(ratio)))
    elif in_ratio > max(ratio):
        w = int(round(h * max(ratio)))
    return (height - h) // 2, (width - w) // 2, h, w


def erasing_box(channels, img_h, img_w, scale, ratio, value):
    """RandomErasing's (i, j, h, w, patch) in a channels x img_h x img_w image, or None when
    no draw fits; the patch is ``value`` per channel, or normal noise when value is None."""
    def fits(target, aspect):
        h = int(round(math.sqrt(target * aspect)))
        w = int(round(math.sqrt(target / aspect)))
        if not (h < img_h and w < img_w):
            return None
        # the patch values are drawn before its position, as torchvision does
        if value is None:
            v = torch.empty([channels, h, w], dtype=torch.float32).normal_()
        else:
            v = torch.tensor(value)[:, None, None]
        i = torch.randint(0, img_h - h + 1, size=(1,)).item()
        j = torch.randint(0, img_w - w + 1, size=(1,)).item()
        return i, j, h, w, v

    return random_box(img_h, img_w, scale, ratio, fits)


def check_scale_ratio(scale, ratio):
    """v1's RandomResizedCrop and RandomErasing checks: two sequences, each (min, max)."""
    if not isinstance(scale, Sequence):
        raise TypeError("Scale should be a sequence")
    if not isinstance(ratio, Sequence):
        raise TypeError("Ratio should be a sequence")
    if scale[0] > scale[1] or ratio[0] > ratio[1]:
        warnings.warn("Scale and ratio should be of kind (min, max)")
