"""Containers, type conversions, colour and misc transforms of v2."""
import warnings
from collections.abc import Sequence

import numpy as np

import jtorch as torch
from jtorch import Tensor, nn

from ... import tv_tensors
from .. import _pil_ops as F_pil
from .. import functional as F1
from .. import transforms as _v1
from .._color_rotate_erase import check_erasing_args, jitter_ranges
from .._sampling import erasing_box
from . import functional as F
from ._transform import Transform, _RandomApplyTransform, is_pure_tensor, query_chw


# ------------------------------------------------------------------ containers
def _run(transforms, inputs):
    unpack = len(inputs) > 1
    outputs = inputs if unpack else inputs[0]
    for t in transforms:
        outputs = t(*inputs)
        inputs = outputs if unpack else (outputs,)
    return outputs


def _listing(transforms):
    return "\n".join(f"    {t}" for t in transforms)


class Compose(Transform):
    def __init__(self, transforms):
        super().__init__()
        if not isinstance(transforms, Sequence):
            raise TypeError("Argument transforms should be a sequence of callables")
        if not transforms:
            raise ValueError("Pass at least one transform")
        self.transforms = transforms

    def forward(self, *inputs):
        return _run(self.transforms, inputs)

    def extra_repr(self):
        return _listing(self.transforms)


class RandomApply(Transform):
    def __init__(self, transforms, p=0.5):
        super().__init__()
        if not isinstance(transforms, (Sequence, nn.ModuleList)):
            raise TypeError("Argument transforms should be a sequence of callables or a `nn.ModuleList`")
        if not transforms:
            raise ValueError("Pass at least one transform")
        self.transforms = transforms
        if not (0.0 <= p <= 1.0):
            raise ValueError("`p` should be a floating point value in the interval [0.0, 1.0].")
        self.p = p

    def forward(self, *inputs):
        if torch.rand(1) >= self.p:
            return inputs if len(inputs) > 1 else inputs[0]
        return _run(self.transforms, inputs)

    def extra_repr(self):
        return _listing(self.transforms)


class RandomChoice(Transform):
    def __init__(self, transforms, p=None):
        if not isinstance(transforms, Sequence):
            raise TypeError("Argument transforms should be a sequence of callables")
        if not transforms:
            raise ValueError("Pass at least one transform")
        if p is None:
            p = [1] * len(transforms)
        elif len(p) != len(transforms):
            raise ValueError(f"Length of p doesn't match the number of transforms: {len(p)} != "
                             f"{len(transforms)}")
        super().__init__()
        self.transforms = transforms
        total = sum(p)
        self.p = [prob / total for prob in p]

    def forward(self, *inputs):
        idx = int(torch.multinomial(torch.tensor(self.p), 1))
        return self.transforms[idx](*inputs)


class RandomOrder(Transform):
    def __init__(self, transforms):
        if not isinstance(transforms, Sequence):
            raise TypeError("Argument transforms should be a sequence of callables")
        if not transforms:
            raise ValueError("Pass at least one transform")
        super().__init__()
        self.transforms = transforms

    def forward(self, *inputs):
        order = torch.randperm(len(self.transforms)).tolist()
        return _run([self.transforms[i] for i in order], inputs)


class Identity(Transform):
    def transform(self, inpt, params):
        return inpt


class Lambda(Transform):
    _transformed_types = (object,)

    def __init__(self, lambd, *types):
        super().__init__()
        self.lambd = lambd
        self.types = types or self._transformed_types

    def transform(self, inpt, params):
        return self.lambd(inpt) if isinstance(inpt, self.types) else inpt

    def extra_repr(self):
        extras = []
        name = getattr(self.lambd, "__name__", None)
        if name:
            extras.append(name)
        extras.append(f"types={[t.__name__ for t in self.types]}")
        return ", ".join(extras)


# ------------------------------------------------------------------ type conversion
class PILToTensor(Transform):
    _transformed_types = ("pil",)

    def transform(self, inpt, params):
        return F.pil_to_tensor(inpt)


class ToImage(Transform):
    _transformed_types = (is_pure_tensor, "pil", np.ndarray)

    def transform(self, inpt, params):
        return F.to_image(inpt)


class ToPILImage(Transform):
    _transformed_types = (is_pure_tensor, tv_tensors.Image, np.ndarray)

    def __init__(self, mode=None):
        super().__init__()
        self.mode = mode

    def transform(self, inpt, params):
        return F.to_pil_image(inpt, mode=self.mode)


class ToPureTensor(Transform):
    _transformed_types = (tv_tensors.TVTensor,)

    def transform(self, inpt, params):
        return inpt.as_subclass(Tensor)


class ToTensor(Transform):
    """Deprecated in torchvision v2 (use ToImage + ToDtype): v1's ToTensor."""
    _transformed_types = ("pil", np.ndarray)

    def __init__(self):
        warnings.warn("The transform `ToTensor()` is deprecated and will be removed in a future release. "
                      "Instead, please use `v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True)])`."
                      "Output is equivalent up to float precision.")
        super().__init__()

    def transform(self, inpt, params):
        return F1.to_tensor(inpt)


# ------------------------------------------------------------------ dtype and normalisation
class ToDtype(Transform):
    _transformed_types = (Tensor,)

    def __init__(self, dtype, scale=False):
        super().__init__()
        if not isinstance(dtype, (dict, torch.dtype)):
            raise ValueError(f"dtype must be a dict or a torch.dtype, got {type(dtype)} instead")
        self.dtype, self.scale = dtype, scale

    def _target(self, inpt):
        if isinstance(self.dtype, torch.dtype):
            # a plain dtype converts images and videos only (ConvertImageDtype's behaviour)
            if not is_pure_tensor(inpt) and not isinstance(inpt, (tv_tensors.Image, tv_tensors.Video)):
                return False, None
            return True, self.dtype
        if type(inpt) in self.dtype:
            return True, self.dtype[type(inpt)]
        if "others" in self.dtype:
            return True, self.dtype["others"]
        raise ValueError(f"No dtype was specified for type {type(inpt)}. If you only need to convert the "
                         "dtype of images or videos, you can just pass e.g. dtype=torch.float32. If you're "
                         'passing a dict as dtype, you can use "others" as a catch-all key e.g. '
                         'dtype={tv_tensors.Mask: torch.int64, "others": None} to pass-through the rest '
                         "of the inputs.")

    def transform(self, inpt, params):
        convert, dtype = self._target(inpt)
        if not convert or dtype is None:
            return inpt
        return self._call_kernel("to_dtype", inpt, dtype=dtype, scale=self.scale)


class ConvertImageDtype(Transform):
    def __init__(self, dtype=torch.float32):
        super().__init__()
        self.dtype = dtype

    def transform(self, inpt, params):
        return self._call_kernel("to_dtype", inpt, dtype=self.dtype, scale=True)


class Normalize(Transform):
    def __init__(self, mean, std, inplace=False):
        super().__init__()
        self.mean, self.std, self.inplace = list(mean), list(std), inplace

    def check_inputs(self, flat_inputs):
        if any(F_pil.is_pil(x) for x in flat_inputs):
            raise TypeError(f"{type(self).__name__}() does not support PIL images.")

    def transform(self, inpt, params):
        return self._call_kernel("normalize", inpt, mean=self.mean, std=self.std, inplace=self.inplace)


# ------------------------------------------------------------------ colour
class Grayscale(Transform):
    def __init__(self, num_output_channels=1):
        super().__init__()
        self.num_output_channels = num_output_channels

    def transform(self, inpt, params):
        return self._call_kernel("rgb_to_grayscale", inpt, num_output_channels=self.num_output_channels)


class RandomGrayscale(_RandomApplyTransform):
    def make_params(self, flat_inputs):
        return dict(num_input_channels=query_chw(flat_inputs)[0])

    def transform(self, inpt, params):
        return self._call_kernel("rgb_to_grayscale", inpt, num_output_channels=params["num_input_channels"])


class ColorJitter(Transform):
    get_params = staticmethod(_v1.ColorJitter.get_params)

    def __init__(self, brightness=None, contrast=None, saturation=None, hue=None):
        super().__init__()
        self.brightness, self.contrast, self.saturation, self.hue = jitter_ranges(
            self._check_input, brightness, contrast, saturation, hue)

    def _check_input(self, value, name, center=1.0, bound=(0, float("inf")), clip_first_on_zero=True):
        if value is None:
            return None
        if isinstance(value, (int, float)):
            if value < 0:
                raise ValueError(f"If {name} is a single number, it must be non negative.")
            value = [center - value, center + value]
            if clip_first_on_zero:
                value[0] = max(value[0], 0.0)
        elif isinstance(value, Sequence) and len(value) == 2:
            value = [float(v) for v in value]
        else:
            raise TypeError(f"{name}={value} should be a single number or a sequence with length 2.")
        if not bound[0] <= value[0] <= value[1] <= bound[1]:
            raise ValueError(f"{name} values should be between {bound} and increasing, but got {value}.")
        return None if value[0] == value[1] == center else (float(value[0]), float(value[1]))

    def make_params(self, flat_inputs):
        fn_idx = torch.randperm(4)
        draw = [None if r is None else float(torch.empty(1).uniform_(r[0], r[1]).item())
                for r in (self.brightness, self.contrast, self.saturation, self.hue)]
        return dict(fn_idx=fn_idx, factors=draw)

    def transform(self, inpt, params):
        names = ("adjust_brightness", "adjust_contrast", "adjust_saturation", "adjust_hue")
        for k in params["fn_idx"].tolist():
            if params["factors"][k] is not None:
                inpt = self._call_kernel(names[k], inpt, params["factors"][k])
        return inpt


# ------------------------------------------------------------------ erasing
class RandomErasing(_RandomApplyTransform):
    get_params = staticmethod(_v1.RandomErasing.get_params)

    def __init__(self, p=0.5, scale=(0.02, 0.33), ratio=(0.3, 3.3), value=0.0, inplace=False):
        super().__init__(p=p)
        check_erasing_args(value, scale, ratio)
        self.scale, self.ratio = scale, ratio
        if isinstance(value, (int, float)):
            self.value = [float(value)]
        elif isinstance(value, str):
            self.value = None
        else:
            self.value = [float(v) for v in value]
        self.inplace = inplace
        self._log_ratio = torch.log(torch.tensor(self.ratio))  # torchvision keeps it (unused here)

    def _call_kernel(self, name, inpt, *args, **kwargs):
        if isinstance(inpt, (tv_tensors.BoundingBoxes, tv_tensors.Mask)):
            warnings.warn(f"{type(self).__name__}() is currently passing through inputs of type "
                          f"tv_tensors.{type(inpt).__name__}. This will likely change in the future.")
        return super()._call_kernel(name, inpt, *args, **kwargs)

    def make_params(self, flat_inputs):
        img_c, img_h, img_w = query_chw(flat_inputs)
        if self.value is not None and len(self.value) not in (1, img_c):
            raise ValueError("If value is a sequence, it should have either a single value or "
                             f"{img_c} (number of inpt channels)")
        box = erasing_box(img_c, img_h, img_w, self.scale, self.ratio, self.value)
        if box is None:
            return dict(i=0, j=0, h=img_h, w=img_w, v=None)
        i, j, h, w, v = box
        return dict(i=i, j=j, h=h, w=w, v=v)

    def transform(self, inpt, params):
        if params["v"] is None:
            return inpt
        return self._call_kernel("erase", inpt, params["i"], params["j"], params["h"], params["w"],
                                 params["v"], inplace=self.inplace)
