"""Geometry transforms v2. Their parameter draws follow torchvision v2's `make_params` (which
differ from v1: RandomCrop draws an offset only along a dimension with room to move)."""
import warnings
from collections.abc import Sequence

import jtorch as torch

from .. import transforms as _v1
from .._color_rotate_erase import _check_sequence_input, _setup_angle
from .._sampling import resized_crop_box
from ..transforms import _setup_size
from ._transform import Transform, _RandomApplyTransform, get_fill, query_size, setup_fill_arg
from .functional._geometry import _ltrb

_SIZE_ERROR = "Please provide only two dimensions (h, w) for size."


class RandomHorizontalFlip(_RandomApplyTransform):
    def transform(self, inpt, params):
        return self._call_kernel("horizontal_flip", inpt)


class RandomVerticalFlip(_RandomApplyTransform):
    def transform(self, inpt, params):
        return self._call_kernel("vertical_flip", inpt)


class Resize(Transform):
    def __init__(self, size, interpolation="bilinear", max_size=None, antialias=True):
        super().__init__()
        if isinstance(size, int):
            size = [size]
        elif isinstance(size, Sequence) and len(size) in {1, 2}:
            size = list(size)
        elif size is None:
            if not isinstance(max_size, int):
                raise ValueError(f"max_size must be an integer when size is None, but got {max_size} instead.")
        else:
            raise ValueError("size can be an integer, a sequence of one or two integers, or None, but "
                             f"got {size} instead.")
        self.size, self.interpolation, self.max_size, self.antialias = size, interpolation, max_size, antialias

    def transform(self, inpt, params):
        return self._call_kernel("resize", inpt, self.size, interpolation=self.interpolation,
                                 max_size=self.max_size, antialias=self.antialias)


class CenterCrop(Transform):
    def __init__(self, size):
        super().__init__()
        self.size = _setup_size(size, error_msg=_SIZE_ERROR)

    def transform(self, inpt, params):
        return self._call_kernel("center_crop", inpt, self.size)


class RandomResizedCrop(Transform):
    get_params = staticmethod(_v1.RandomResizedCrop.get_params)

    def __init__(self, size, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0), interpolation="bilinear",
                 antialias=True):
        super().__init__()
        self.size = _setup_size(size, error_msg=_SIZE_ERROR)
        if not isinstance(scale, Sequence) or len(scale) != 2:
            raise TypeError("Scale should be a sequence of two floats.")
        if not isinstance(ratio, Sequence) or len(ratio) != 2:
            raise TypeError("Ratio should be a sequence of two floats.")
        if scale[0] > scale[1] or ratio[0] > ratio[1]:
            warnings.warn("Scale and ratio should be of kind (min, max)")
        self.scale, self.ratio = scale, ratio
        self.interpolation, self.antialias = interpolation, antialias
        self._log_ratio = torch.log(torch.tensor(self.ratio))  # torchvision keeps it (unused here)

    def make_params(self, flat_inputs):
        height, width = query_size(flat_inputs)
        top, left, h, w = resized_crop_box(height, width, self.scale, self.ratio)
        return dict(top=top, left=left, height=h, width=w)

    def transform(self, inpt, params):
        inpt = self._call_kernel("crop", inpt, params["top"], params["left"], params["height"],
                                 params["width"])
        return self._call_kernel("resize", inpt, list(self.size), interpolation=self.interpolation,
                                 antialias=self.antialias)


def _check_padding_arg(padding):
    err = f"Padding must be an int or a 1, 2, or 4 element of tuple or list, got {padding}."
    if isinstance(padding, (tuple, list)):
        if len(padding) not in (1, 2, 4) or not all(isinstance(p, int) for p in padding):
            raise ValueError(err)
    elif not isinstance(padding, int):
        raise ValueError(err)


def _check_padding_mode_arg(padding_mode):
    if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
        raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")


class Pad(Transform):
    def __init__(self, padding, fill=0, padding_mode="constant"):
        super().__init__()
        _check_padding_arg(padding)
        _check_padding_mode_arg(padding_mode)
        self.padding = padding if isinstance(padding, int) else list(padding)
        self.fill, self._fill = fill, setup_fill_arg(fill)
        self.padding_mode = padding_mode

    def transform(self, inpt, params):
        return self._call_kernel("pad", inpt, self.padding, fill=get_fill(self._fill, type(inpt)),
                                 padding_mode=self.padding_mode)


class RandomCrop(Transform):
    get_params = staticmethod(_v1.RandomCrop.get_params)

    def __init__(self, size, padding=None, pad_if_needed=False, fill=0, padding_mode="constant"):
        super().__init__()
        self.size = _setup_size(size, error_msg=_SIZE_ERROR)
        if pad_if_needed or padding is not None:
            if padding is not None:
                _check_padding_arg(padding)
            _check_padding_mode_arg(padding_mode)
        # stored as [left, right, top, bottom], torchvision's internal order
        ltrb = _ltrb(padding) if padding else None
        self.padding = None if ltrb is None else [ltrb[0], ltrb[2], ltrb[1], ltrb[3]]
        self.pad_if_needed = pad_if_needed
        self.fill, self._fill = fill, setup_fill_arg(fill)
        self.padding_mode = padding_mode

    def make_params(self, flat_inputs):
        ph, pw = query_size(flat_inputs)
        left, right, top, bottom = self.padding if self.padding is not None else [0, 0, 0, 0]
        ph, pw = ph + top + bottom, pw + left + right
        ch, cw = self.size
        if self.pad_if_needed:
            if ph < ch:
                diff = ch - ph
                top, bottom, ph = top + diff, bottom + diff, ph + 2 * diff
            if pw < cw:
                diff = cw - pw
                left, right, pw = left + diff, right + diff, pw + 2 * diff
        if ph < ch or pw < cw:
            raise ValueError(f"Required crop size {(ch, cw)} is larger than "
                             f"{'padded ' if self.padding is not None else ''}input image size {(ph, pw)}.")
        padding = [left, top, right, bottom]
        # an offset is drawn only along a dimension larger than the crop
        t = int(torch.randint(0, ph - ch + 1, size=())) if ph > ch else 0
        l_ = int(torch.randint(0, pw - cw + 1, size=())) if pw > cw else 0
        return dict(needs_crop=ph > ch or pw > cw, top=t, left=l_, height=ch, width=cw,
                    needs_pad=any(padding), padding=padding)

    def transform(self, inpt, params):
        if params["needs_pad"]:
            inpt = self._call_kernel("pad", inpt, params["padding"], fill=get_fill(self._fill, type(inpt)),
                                     padding_mode=self.padding_mode)
        if params["needs_crop"]:
            inpt = self._call_kernel("crop", inpt, params["top"], params["left"], params["height"],
                                     params["width"])
        return inpt


class RandomRotation(Transform):
    get_params = staticmethod(_v1.RandomRotation.get_params)

    def __init__(self, degrees, interpolation="nearest", expand=False, center=None, fill=0):
        super().__init__()
        self.degrees = _setup_angle(degrees, name="degrees", req_sizes=(2,))
        self.interpolation, self.expand = interpolation, expand
        self.fill, self._fill = fill, setup_fill_arg(fill)
        if center is not None:
            _check_sequence_input(center, "center", req_sizes=(2,))
        self.center = center

    def make_params(self, flat_inputs):
        return dict(angle=torch.empty(1).uniform_(self.degrees[0], self.degrees[1]).item())

    def transform(self, inpt, params):
        return self._call_kernel("rotate", inpt, params["angle"], interpolation=self.interpolation,
                                 expand=self.expand, center=self.center,
                                 fill=get_fill(self._fill, type(inpt)))
