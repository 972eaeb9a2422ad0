"""The v2 Transform base: a transform takes any nested sample (tuples, lists, dicts), draws its
parameters once from the inputs it transforms, and applies them to each; which inputs it
transforms follows torchvision's rule (a pure tensor is the image only when the sample has no
tv_tensors.Image, Video or PIL image, and then only the first one)."""
import enum

import jtorch as torch
from jtorch import Tensor, nn

from ... import tv_tensors
from .. import _pil_ops as F_pil
from . import functional as F
from .functional import _dispatch


def flatten(tree):
    """(leaves, rebuild): a depth-first flattening of lists, tuples and dicts."""
    if isinstance(tree, (list, tuple)) and not isinstance(tree, Tensor):
        parts = [flatten(x) for x in tree]
        leaves = [leaf for p in parts for leaf in p[0]]
        sizes = [len(p[0]) for p in parts]
        kind = type(tree)

        def rebuild(values):
            out, k = [], 0
            for (_, sub), n in zip(parts, sizes):
                out.append(sub(values[k:k + n]))
                k += n
            return kind(out) if kind in (list, tuple) else kind(*out)
        return leaves, rebuild
    if isinstance(tree, dict):
        keys = list(tree)
        leaves, rebuild_values = flatten([tree[k] for k in keys])
        return leaves, lambda values: type(tree)(zip(keys, rebuild_values(values)))
    return [tree], lambda values: values[0]


def is_pure_tensor(x):
    return isinstance(x, Tensor) and not isinstance(x, tv_tensors.TVTensor)


def _has_any(flat, *types):
    return any(check_type(x, types) for x in flat)


def check_type(obj, types):
    for t in types:
        if t == "pil":
            if F_pil.is_pil(obj):
                return True
        elif isinstance(t, type):
            if isinstance(obj, t):
                return True
        elif t(obj):
            return True
    return False


def query_size(flat):
    sizes = {tuple(F.get_size(x)) for x in flat
             if check_type(x, (is_pure_tensor, tv_tensors.Image, "pil", tv_tensors.Video,
                               tv_tensors.Mask, tv_tensors.BoundingBoxes))}
    if not sizes:
        raise TypeError("No image, video, mask, bounding box of keypoint was found in the sample")
    if len(sizes) > 1:
        raise ValueError(f"Found multiple HxW dimensions in the sample: {sorted(sizes)}")
    return sizes.pop()


def query_chw(flat):
    chws = {tuple(F.get_dimensions(x)) for x in flat
            if check_type(x, (is_pure_tensor, tv_tensors.Image, "pil", tv_tensors.Video))}
    if not chws:
        raise TypeError("No image or video was found in the sample")
    if len(chws) > 1:
        raise ValueError(f"Found multiple CxHxW dimensions in the sample: {sorted(chws)}")
    return chws.pop()


class Transform(nn.Module):
    """Base class of the v2 transforms: override `make_params` and `transform`."""

    _transformed_types = (Tensor, "pil")

    def check_inputs(self, flat_inputs):
        pass

    def make_params(self, flat_inputs):
        return {}

    def transform(self, inpt, params):
        raise NotImplementedError

    def _call_kernel(self, name, inpt, *args, **kwargs):
        return _dispatch.call(name, inpt, *args, passthrough=True, **kwargs)

    def _needs_transform_list(self, flat_inputs):
        transform_pure = not _has_any(flat_inputs, tv_tensors.Image, tv_tensors.Video, "pil")
        needs = []
        for inpt in flat_inputs:
            need = check_type(inpt, self._transformed_types)
            if need and is_pure_tensor(inpt):
                need, transform_pure = transform_pure, False
            needs.append(need)
        return needs

    def _apply(self, flat_inputs, rebuild):
        needs = self._needs_transform_list(flat_inputs)
        params = self.make_params([x for x, n in zip(flat_inputs, needs) if n])
        return rebuild([self.transform(x, params) if n else x for x, n in zip(flat_inputs, needs)])

    def forward(self, *inputs):
        flat, rebuild = flatten(inputs if len(inputs) > 1 else inputs[0])
        self.check_inputs(flat)
        return self._apply(flat, rebuild)

    def extra_repr(self):
        extra = []
        for name, value in self.__dict__.items():
            if name.startswith("_") or name == "training":
                continue
            if isinstance(value, (bool, int, float, str, tuple, list, enum.Enum)):
                extra.append(f"{name}={value}")
        return ", ".join(extra)


class _RandomApplyTransform(Transform):
    """A transform applied with probability p (one draw before its parameters)."""

    def __init__(self, p=0.5):
        if not (0.0 <= p <= 1.0):
            raise ValueError("`p` should be a floating point value in the interval [0.0, 1.0].")
        super().__init__()
        self.p = p

    def forward(self, *inputs):
        inputs = inputs if len(inputs) > 1 else inputs[0]
        flat, rebuild = flatten(inputs)
        self.check_inputs(flat)
        if torch.rand(1) >= self.p:
            return inputs
        return self._apply(flat, rebuild)


def setup_fill_arg(fill):
    """{type or "others": fill}: a fill per tv_tensor type, as torchvision's `_setup_fill_arg`."""
    def convert(v):
        if v is None or isinstance(v, (int, float)):
            return v
        return [float(x) for x in list(v)]
    if isinstance(fill, dict):
        return {k: convert(v) for k, v in fill.items()}
    if fill is not None and not isinstance(fill, (int, float, tuple, list)):
        raise TypeError("Got inappropriate fill arg, only Numbers, tuples, lists and dicts are allowed.")
    return {"others": convert(fill)}


def get_fill(fill_dict, inpt_type):
    if inpt_type in fill_dict:
        return fill_dict[inpt_type]
    return fill_dict.get("others")
