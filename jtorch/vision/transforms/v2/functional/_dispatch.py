"""Kernel dispatch of transforms v2's functionals: a functional picks the kernel registered for
its input's type (PIL image, pure tensor / Image / Video, Mask, BoundingBoxes) and re-wraps a
tensor result as the input's tv_tensor type, as torchvision's `_get_kernel` does."""
from jtorch import Tensor

from ... import _pil_ops as F_pil
from ...functional import InterpolationMode, _interpolation_modes_from_int
from .... import tv_tensors

# (functional name) -> {kind: kernel}; kinds: "pil", "image", "video", "mask", "boxes"
_REGISTRY = {}


def kind_of(inpt):
    if isinstance(inpt, tv_tensors.BoundingBoxes):
        return "boxes"
    if isinstance(inpt, tv_tensors.Mask):
        return "mask"
    if isinstance(inpt, tv_tensors.Video):
        return "video"
    if isinstance(inpt, tv_tensors.Image):
        return "image"
    if isinstance(inpt, tv_tensors.TVTensor):
        return None
    if isinstance(inpt, Tensor):
        return "image"
    if F_pil.is_pil(inpt):
        return "pil"
    return None


def register(name, *kinds):
    def decorate(kernel):
        table = _REGISTRY.setdefault(name, {})
        for k in kinds:
            table[k] = kernel
        return kernel
    return decorate


def has_kernel(name, inpt):
    return kind_of(inpt) in _REGISTRY.get(name, {})


def call(name, inpt, *args, passthrough=False, **kwargs):
    """Run `name`'s kernel for `inpt`; an unsupported type is returned unchanged when
    `passthrough` (a transform's call) and raises TypeError otherwise (a functional call)."""
    kind = kind_of(inpt)
    kernel = _REGISTRY.get(name, {}).get(kind)
    if kernel is None:
        if passthrough:
            return inpt
        raise TypeError(f"Functional F.{name} supports inputs of type "
                        f"{sorted(_REGISTRY.get(name, {}))}, but got {type(inpt)} instead.")
    if kind == "boxes":
        return kernel(inpt, *args, **kwargs)
    out = kernel(inpt.as_subclass(Tensor) if isinstance(inpt, tv_tensors.TVTensor) else inpt,
                 *args, **kwargs)
    if isinstance(inpt, tv_tensors.TVTensor) and isinstance(out, Tensor):
        out = tv_tensors.wrap(out, like=inpt)
    return out


def check_interpolation(interpolation):
    """An InterpolationMode from a mode, its string value or a Pillow integer constant."""
    if isinstance(interpolation, int):
        return _interpolation_modes_from_int(interpolation)
    if isinstance(interpolation, str):
        return InterpolationMode(interpolation.lower())
    if not isinstance(interpolation, InterpolationMode):
        raise ValueError("Argument interpolation should be an `InterpolationMode` or a corresponding "
                         f"Pillow integer constant, but got {interpolation}.")
    return interpolation


def pure(t):
    """A tv_tensor's plain Tensor view."""
    return t.as_subclass(Tensor) if isinstance(t, tv_tensors.TVTensor) else t
