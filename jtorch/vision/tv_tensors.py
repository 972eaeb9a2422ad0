"""torchvision.tv_tensors: tensor subclasses that tell transforms v2 what a tensor holds.

As in torchvision, an op on a TVTensor returns a plain Tensor (jtorch's ops build plain
tensors already); `clone`, `to`, `detach` and `requires_grad_` keep the subclass."""
from enum import Enum

import jtorch as torch
from jtorch import Tensor
from jtorch._tensor_str import format_tensor

from .transforms import _pil_ops
from .transforms import functional as _F

__all__ = ["TVTensor", "Image", "Video", "Mask", "BoundingBoxes", "BoundingBoxFormat",
           "CLAMPING_MODE_TYPE", "wrap"]

CLAMPING_MODE_TYPE = str


def _to_tensor(data, dtype=None, device=None, requires_grad=None):
    if requires_grad is None:
        requires_grad = data.requires_grad if isinstance(data, Tensor) else False
    return torch.as_tensor(data, dtype=dtype, device=device).requires_grad_(requires_grad)


def _keep_class(name):
    plain = getattr(Tensor, name)

    def method(self, *args, **kwargs):
        out = plain(self, *args, **kwargs)
        if out is self or not isinstance(out, Tensor):
            return out
        return type(self).wrap_like(self, out)

    method.__name__ = name
    return method


class TVTensor(Tensor):
    """Base class of the tv_tensors."""

    @classmethod
    def _wrap(cls, tensor):
        return tensor.as_subclass(cls)

    @classmethod
    def wrap_like(cls, other, tensor):
        return tensor.as_subclass(type(other))

    def _meta_repr(self):
        return {}

    def __repr__(self, *, tensor_contents=None):
        # torch prints a subclass under its class name: "Image([...], dtype=..., )"
        fn = self.grad_fn
        text = format_tensor(self.detach()._host(), self.dtype, requires_grad=self.requires_grad,
                             grad_fn=fn.name() if fn is not None else None,
                             prefix=f"{type(self).__name__}(")
        extra = ", ".join(f"{k}={v}" for k, v in self._meta_repr().items())
        return f"{text[:-1]}, {extra})"

    __str__ = __repr__

    def __deepcopy__(self, memo):
        return self.detach().clone().requires_grad_(self.requires_grad)

    clone = _keep_class("clone")
    to = _keep_class("to")
    detach = _keep_class("detach")
    requires_grad_ = _keep_class("requires_grad_")


def _from_pil(data):
    return _F.pil_to_tensor(data) if _pil_ops.is_pil(data) else data


class Image(TVTensor):
    """An image tensor of shape [..., C, H, W]; a 2-D input gains a channel dimension."""

    def __new__(cls, data, *, dtype=None, device=None, requires_grad=None):
        tensor = _to_tensor(_from_pil(data), dtype=dtype, device=device, requires_grad=requires_grad)
        if tensor.ndim < 2:
            raise ValueError(f"Tensor must be 2D or higher, got {tensor.ndim}D tensor.")
        if tensor.ndim == 2:
            tensor = tensor.unsqueeze(0)
        return tensor.as_subclass(cls)

    def __init__(self, *args, **kwargs):
        pass


class Video(TVTensor):
    """A video tensor of shape [..., T, C, H, W]."""

    def __new__(cls, data, *, dtype=None, device=None, requires_grad=None):
        tensor = _to_tensor(data, dtype=dtype, device=device, requires_grad=requires_grad)
        if tensor.ndim < 4:
            raise ValueError(f"Tensor must be 4D or higher, got {tensor.ndim}D tensor.")
        return tensor.as_subclass(cls)

    def __init__(self, *args, **kwargs):
        pass


class Mask(TVTensor):
    """A segmentation or detection mask of shape [..., H, W]."""

    def __new__(cls, data, *, dtype=None, device=None, requires_grad=None):
        tensor = _to_tensor(_from_pil(data), dtype=dtype, device=device, requires_grad=requires_grad)
        return tensor.as_subclass(cls)

    def __init__(self, *args, **kwargs):
        pass

    def _meta_repr(self):
        return {}

    def __repr__(self, *, tensor_contents=None):
        # torchvision's Mask keeps the plain repr tail (no trailing ", )")
        fn = self.grad_fn
        return format_tensor(self.detach()._host(), self.dtype, requires_grad=self.requires_grad,
                             grad_fn=fn.name() if fn is not None else None, prefix="Mask(")

    __str__ = __repr__


class BoundingBoxFormat(Enum):
    XYXY = "XYXY"
    XYWH = "XYWH"
    CXCYWH = "CXCYWH"


class BoundingBoxes(TVTensor):
    """Boxes of shape [..., 4] in `format`, on an image of `canvas_size` (H, W)."""

    def __new__(cls, data, *, format, canvas_size, clamping_mode="soft", dtype=None, device=None,
                requires_grad=None):
        tensor = _to_tensor(data, dtype=dtype, device=device, requires_grad=requires_grad)
        if not torch.is_floating_point(tensor) and tensor.dtype not in (torch.int64, torch.int32,
                                                                        torch.uint8, torch.int16):
            raise ValueError(f"Bounding boxes must have an integer or float dtype, got {tensor.dtype}")
        if tensor.ndim == 1:
            tensor = tensor.unsqueeze(0)
        elif tensor.ndim != 2:
            raise ValueError(f"Expected a 1D or 2D tensor, got {tensor.ndim}D")
        return cls._wrap_meta(tensor, format, canvas_size, clamping_mode)

    def __init__(self, *args, **kwargs):
        pass

    @classmethod
    def _wrap_meta(cls, tensor, format, canvas_size, clamping_mode="soft"):
        if isinstance(format, str):
            format = BoundingBoxFormat[format.upper()]
        out = tensor.as_subclass(cls)
        out.format, out.canvas_size, out.clamping_mode = format, tuple(canvas_size), clamping_mode
        return out

    @classmethod
    def wrap_like(cls, other, tensor, *, format=None, canvas_size=None, clamping_mode=None):
        return cls._wrap_meta(tensor, format if format is not None else other.format,
                              canvas_size if canvas_size is not None else other.canvas_size,
                              clamping_mode if clamping_mode is not None else other.clamping_mode)

    def _meta_repr(self):
        return {"format": self.format, "canvas_size": self.canvas_size,
                "clamping_mode": self.clamping_mode}


def wrap(wrappee, *, like, **kwargs):
    """`wrappee` as the tv_tensor type of `like` (with its metadata, overridable by kwargs)."""
    if isinstance(like, BoundingBoxes):
        return BoundingBoxes.wrap_like(like, wrappee, **kwargs)
    return wrappee.as_subclass(type(like))
