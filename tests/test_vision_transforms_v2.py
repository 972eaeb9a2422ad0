"""jtorch.vision.transforms.v2 and tv_tensors against torchvision 0.28.0: on the same sample
(pure tensors, Images, Masks, BoundingBoxes, PIL images) and seed, the same outputs (types,
values, dtype, shape, box metadata) and reprs."""
import numpy as np
import pytest

import jtorch
from jtorch.vision import tv_tensors as jtv
from tests.helpers import assert_same
from tests.vision_ref import load

torch, tv = load()
from torchvision import tv_tensors as ttv  # noqa: E402
from torchvision.transforms import v2 as tv2  # noqa: E402

import jtorch.vision.transforms.v2 as jv2  # noqa: E402
Image = pytest.importorskip("PIL.Image")

_RNG = np.random.default_rng(1)
U8 = _RNG.integers(0, 256, (3, 20, 24), dtype=np.uint8)
F32 = _RNG.random((3, 20, 24), dtype=np.float32)
SQUARE = _RNG.integers(0, 256, (3, 16, 16), dtype=np.uint8)
MASK = _RNG.integers(0, 4, (20, 24), dtype=np.uint8)
BOXES = np.array([[1, 2, 10, 12], [5, 0, 23, 19], [0, 3, 4, 8]], dtype=np.float32)
PIL_RGB = Image.fromarray(np.ascontiguousarray(U8.transpose(1, 2, 0)), "RGB")


def _build(m, tvt, spec):
    """A sample of framework `m` (torch or jtorch) with tv_tensors module `tvt` from `spec`."""
    kind, value = spec[0], spec[1]
    if kind == "pil":
        return value
    t = m.from_numpy(value.copy())
    if kind == "image":
        return tvt.Image(t)
    if kind == "mask":
        return tvt.Mask(t)
    if kind == "boxes":
        return tvt.BoundingBoxes(t, format=spec[2], canvas_size=spec[3])
    return t


def _compare(j, t):
    assert type(j).__name__ == type(t).__name__, (type(j), type(t))
    if isinstance(t, (tuple, list)):
        assert len(j) == len(t)
        for a, b in zip(j, t):
            _compare(a, b)
    elif isinstance(t, dict):
        assert j.keys() == t.keys()
        for k in t:
            _compare(j[k], t[k])
    elif isinstance(t, Image.Image):
        assert j.mode == t.mode and j.size == t.size
        assert np.array_equal(np.asarray(j), np.asarray(t))
    elif isinstance(t, torch.Tensor):
        tol = 1e-6 if t.dtype.is_floating_point else 0
        assert_same(j, t.as_subclass(torch.Tensor), rtol=tol, atol=tol)
        if isinstance(t, ttv.BoundingBoxes):
            assert (j.format.name, j.canvas_size) == (t.format.name, t.canvas_size)
    else:
        assert j == t


def _outputs(make, specs, seed=3):
    """(torch's, jtorch's) result of the transform ``make`` builds, on the same samples."""
    outs = []
    for m, T, tvt in ((torch, tv2, ttv), (jtorch, jv2, jtv)):
        sample = [_build(m, tvt, s) for s in specs]
        m.manual_seed(seed)
        outs.append(make(T, m)(*sample) if len(sample) > 1 else make(T, m)(sample[0]))
    return outs


def _run(make, specs, seed=3):
    t, j = _outputs(make, specs, seed)
    _compare(j, t)


CASES = {
    "resize": lambda T, m: T.Resize(12),
    "resize_hw_nearest": lambda T, m: T.Resize((31, 17), interpolation="nearest"),
    "resize_max_size": lambda T, m: T.Resize(None, max_size=15),
    "center_crop": lambda T, m: T.CenterCrop(10),
    "center_crop_padded": lambda T, m: T.CenterCrop((23, 27)),
    "random_crop": lambda T, m: T.RandomCrop(10, padding=2),
    "random_crop_one_dim": lambda T, m: T.RandomCrop((20, 11)),
    "random_crop_pad_if_needed": lambda T, m: T.RandomCrop((22, 30), pad_if_needed=True, fill=5),
    "random_resized_crop": lambda T, m: T.RandomResizedCrop(16),
    "random_resized_crop_fallback": lambda T, m: T.RandomResizedCrop(8, scale=(0.9, 1.0), ratio=(3.0, 4.0)),
    "hflip": lambda T, m: T.RandomHorizontalFlip(),
    "vflip": lambda T, m: T.RandomVerticalFlip(0.9),
    "rotation": lambda T, m: T.RandomRotation(30),
    "rotation_bilinear_expand": lambda T, m: T.RandomRotation((10, 50), interpolation="bilinear",
                                                             expand=True, fill=3),
    "rotation_quarter": lambda T, m: T.RandomRotation((180, 180)),
    "color_jitter": lambda T, m: T.ColorJitter(0.4, 0.4, 0.4, 0.1),
    "grayscale3": lambda T, m: T.Grayscale(3),
    "pad_reflect": lambda T, m: T.Pad((1, 2, 3, 4), padding_mode="reflect"),
    "pad_constant": lambda T, m: T.Pad([3, 1], fill=7),
    "pad_fill_per_channel": lambda T, m: T.Pad((2, 1, 0, 3), fill=(1, 2, 3)),
    "random_grayscale": lambda T, m: T.RandomGrayscale(0.7),
    "random_resized_crop_bicubic": lambda T, m: T.RandomResizedCrop(10, interpolation="bicubic"),
    "random_apply": lambda T, m: T.RandomApply([T.RandomHorizontalFlip(1.0), T.CenterCrop(8)], p=0.5),
    "lambda": lambda T, m: T.Lambda(lambda x: x.flip(-1)),
    "random_choice": lambda T, m: T.RandomChoice([T.CenterCrop(8), T.RandomVerticalFlip(), T.Pad(1)],
                                                 p=[0.2, 0.5, 0.3]),
    "random_order": lambda T, m: T.RandomOrder([T.RandomCrop(15), T.RandomHorizontalFlip(), T.Pad(2)]),
    "to_dtype_scale": lambda T, m: T.ToDtype(m.float32, scale=True),
    "to_dtype_plain": lambda T, m: T.ToDtype(m.float64),
    "convert_image_dtype": lambda T, m: T.ConvertImageDtype(m.float32),
    "compose": lambda T, m: T.Compose([T.ToImage(), T.RandomResizedCrop(12), T.RandomHorizontalFlip(),
                                       T.ToDtype(m.float32, scale=True), T.ToPureTensor()]),
}
_FLOAT_ONLY = {"to_dtype_scale", "convert_image_dtype"}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("kind", ["pure", "image", "float"])
def test_transform_tensor(name, kind):
    x = F32 if kind == "float" else U8
    for seed in (3, 11):
        _run(CASES[name], [("image" if kind == "image" else "pure", x)], seed)


def test_transform_batch():
    batch = _RNG.integers(0, 256, (2, 3, 20, 24), dtype=np.uint8)
    for name in ("random_crop", "hflip", "color_jitter", "resize_hw_nearest"):
        _run(CASES[name], [("pure", batch)])


_SAMPLE_CASES = ["resize", "resize_hw_nearest", "center_crop", "center_crop_padded", "random_crop",
                 "random_crop_pad_if_needed", "random_resized_crop", "hflip", "vflip", "pad_constant",
                 "color_jitter", "to_dtype_scale", "compose"]


@pytest.mark.parametrize("name", _SAMPLE_CASES)
def test_sample_image_mask_boxes(name):
    # one draw of parameters moves the image, its mask and its boxes together; a pure tensor
    # beside an Image passes through untouched
    for fmt in ("XYXY", "XYWH", "CXCYWH"):
        specs = [("image", U8), ("mask", MASK), ("boxes", BOXES, fmt, (20, 24)),
                 ("pure", np.arange(3, dtype=np.int64))]
        _run(CASES[name], specs, seed=5)


def test_sample_dict():
    def make(T, m):
        image_type = ttv.Image if T is tv2 else jtv.Image
        t = T.Compose([T.RandomHorizontalFlip(1.0),
                       T.ToDtype({image_type: m.float32, "others": None}, scale=True)])
        return lambda img, mask: t({"img": img, "mask": mask, "label": 3})
    _run(make, [("image", U8), ("mask", MASK)])


PIL_CASES = ["resize", "center_crop_padded", "random_resized_crop", "random_crop", "hflip", "vflip",
             "rotation", "color_jitter", "grayscale3", "pad_constant", "pad_reflect"]


@pytest.mark.parametrize("name", PIL_CASES)
def test_transform_pil(name):
    _run(CASES[name], [("pil", PIL_RGB)], seed=4)


def test_to_image_and_pil():
    for make in (lambda T, m: T.ToImage(), lambda T, m: T.PILToTensor(),
                 lambda T, m: T.Compose([T.ToImage(), T.ToDtype(m.float32, scale=True),
                                         T.RandomErasing(1.0, value="random")])):
        _run(make, [("pil", PIL_RGB)], seed=6)
    _run(lambda T, m: T.ToPILImage(), [("image", U8)])
    nd = np.ascontiguousarray(U8.transpose(1, 2, 0))
    _compare(jv2.ToImage()(nd), tv2.ToImage()(nd))


@pytest.mark.parametrize("value", [0, (1.0, 2.0, 3.0), "random"])
def test_random_erasing(value):
    for seed in (3, 5, 8):
        _run(lambda T, m: T.RandomErasing(1.0, value=value), [("pure", F32)], seed)


def test_normalize():
    _run(lambda T, m: T.Normalize([0.5, 0.4, 0.3], [0.2, 0.3, 0.4]), [("image", F32)])
    _run(lambda T, m: T.Normalize([0.5, 0.4, 0.3], [0.2, 0.3, 0.4]), [("image", F32), ("mask", MASK)])


def test_functional():
    for fn in (lambda F, x: F.horizontal_flip(x), lambda F, x: F.resize(x, [7, 9]),
               lambda F, x: F.crop(x, 2, 3, 8, 9), lambda F, x: F.pad(x, [1, 2]),
               lambda F, x: F.center_crop(x, 5),
               lambda F, x: F.get_size(x), lambda F, x: F.to_dtype(x, scale=True)):
        for spec in (("pure", F32), ("image", F32), ("mask", MASK),
                     ("boxes", BOXES, "XYWH", (20, 24))):
            j = fn(jv2.functional, _build(jtorch, jtv, spec))
            t = fn(tv2.functional, _build(torch, ttv, spec))
            _compare(j, t)
    for spec in (("pure", F32), ("image", U8), ("mask", MASK)):
        for angle in (90.0, 33.0):
            _compare(jv2.functional.rotate(_build(jtorch, jtv, spec), angle, expand=True),
                     tv2.functional.rotate(_build(torch, ttv, spec), angle, expand=True))


def test_tv_tensor_semantics():
    for m, tvt in ((torch, ttv), (jtorch, jtv)):
        img = tvt.Image(m.zeros(2, 3))
        assert img.shape == (1, 2, 3)
        assert type(img + 1) is m.Tensor and type(img.clone()) is tvt.Image
        assert type(img.to(m.float64)) is tvt.Image and type(img[0]) is m.Tensor
        assert img.requires_grad_() is img
    jb = jtv.BoundingBoxes([1, 2, 3, 4], format="XYWH", canvas_size=(9, 9))
    tb = ttv.BoundingBoxes([1, 2, 3, 4], format="XYWH", canvas_size=(9, 9))
    assert repr(jb) == repr(tb) and repr(jb.to(jtorch.float64)) == repr(tb.to(torch.float64))
    assert repr(jtv.Image(jtorch.zeros(2, 2, dtype=jtorch.uint8))) == repr(
        ttv.Image(torch.zeros(2, 2, dtype=torch.uint8)))
    assert repr(jtv.Mask(jtorch.zeros(2, 2))) == repr(ttv.Mask(torch.zeros(2, 2)))
    _compare(jv2.functional.convert_bounding_box_format(jb, new_format="XYXY"),
             tv2.functional.convert_bounding_box_format(tb, new_format="XYXY"))


def test_reprs():
    for name in ("compose", "random_apply", "rotation_bilinear_expand", "color_jitter",
                 "random_resized_crop", "pad_reflect", "random_crop", "resize", "to_dtype_scale"):
        assert repr(CASES[name](jv2, jtorch)) == repr(CASES[name](tv2, torch))
    for make in (lambda T, m: T.Normalize([0.5], [0.2]), lambda T, m: T.RandomErasing(),
                 lambda T, m: T.ToImage(), lambda T, m: T.Lambda(abs), lambda T, m: T.Grayscale()):
        assert repr(make(jv2, jtorch)) == repr(make(tv2, torch))


def tvt_of(T):
    return ttv if T is tv2 else jtv


def test_errors():
    for make in (lambda T, m: T.Normalize([0.5], [0.2])(m.zeros(3, 4, 4, dtype=m.uint8)),
                 lambda T, m: T.Normalize([0.5], [0.2])(PIL_RGB),
                 lambda T, m: T.RandomCrop(30)(m.zeros(3, 4, 4)),
                 lambda T, m: T.ColorJitter(hue=0.7),
                 lambda T, m: T.Pad(3, padding_mode="wrap"),
                 lambda T, m: T.Resize([1, 2, 3]),
                 lambda T, m: T.ToDtype("float32"),
                 lambda T, m: T.RandomHorizontalFlip(p=2.0),
                 lambda T, m: T.Pad(2, fill=(1, 2, 3))(tvt_of(T).Mask(m.zeros(4, 4))),
                 lambda T, m: T.RandomRotation(30, fill=(1, 2, 3))(tvt_of(T).Mask(m.zeros(1, 4, 4)))):
        got = []
        for T, m in ((tv2, torch), (jv2, jtorch)):
            with pytest.raises(Exception) as info:
                make(T, m)
            got.append((type(info.value), str(info.value)))
        assert got[0] == got[1]


@pytest.mark.parametrize("size", [(9, 11), (33, 41), (20, 13), (224, 224)])
@pytest.mark.parametrize("mode, antialias", [
    ("bilinear", True), ("bilinear", False), ("bicubic", True), ("bicubic", False)])
def test_resize_uint8_native(size, mode, antialias):
    """torchvision resizes uint8 natively (torch's fixed-point kernel) for bicubic, and for
    bilinear where the CPU has AVX2 or AVX-512: jtorch reproduces that bit for bit. On other
    CPUs bilinear takes the float32 round trip, whose float sums (torch's scalar DEFAULT
    kernel, XLA's) may flip a rounding by 1, rarely."""
    make = lambda T, m: T.Resize(size, interpolation=mode, antialias=antialias)  # noqa: E731
    if mode == "bicubic" or torch.backends.cpu.get_cpu_capability() in ("AVX2", "AVX512"):
        _run(make, [("image", U8)])
        return
    t, j = _outputs(make, [("image", U8)])
    assert type(j).__name__ == type(t).__name__ and j.dtype == jtorch.uint8
    t, j = t.as_subclass(torch.Tensor).numpy(), j.as_subclass(jtorch.Tensor).numpy()
    assert j.shape == t.shape
    diff = np.abs(j.astype(np.int16) - t.astype(np.int16))
    assert diff.max() <= 1 and np.count_nonzero(diff) <= max(1, diff.size // 100)


@pytest.mark.parametrize("fmt", ["XYXY", "XYWH", "CXCYWH"])
def test_rotate_boxes(fmt):
    for make in (lambda T, m: T.RandomRotation(30), lambda T, m: T.RandomRotation((10, 60), expand=True),
                 lambda T, m: T.RandomRotation(45, center=(3, 4))):
        _run(make, [("image", U8), ("mask", MASK), ("boxes", BOXES, fmt, (20, 24))], seed=9)
        _run(make, [("image", U8), ("boxes", BOXES.astype(np.int64), fmt, (20, 24))], seed=2)
