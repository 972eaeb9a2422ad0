"""jtorch.vision.utils / ops / io. Pure-Python torchvision functions are the reference; the
compiled ops (nms, roi_align) cannot load beside CPU torch, so they are checked against their
documented definitions, written out here as plain loops."""
import math

import numpy as np
import pytest

import jtorch
import jtorch.vision as jv
from tests.helpers import assert_same
from tests.vision_ref import load

torch, tv = load()
Image = pytest.importorskip("PIL.Image")

_RNG = np.random.default_rng(1)


def _boxes(n, rng=_RNG, size=20.0):
    xy = rng.random((n, 2)) * size
    wh = rng.random((n, 2)) * size / 2 + 0.5
    return np.concatenate([xy, xy + wh], 1).astype(np.float32)


@pytest.mark.parametrize("kwargs", [{}, {"nrow": 3, "padding": 1, "pad_value": 0.5},
                                    {"normalize": True}, {"normalize": True, "scale_each": True},
                                    {"normalize": True, "value_range": (-1, 1)}])
@pytest.mark.parametrize("shape", [(5, 3, 6, 7), (4, 1, 5, 5), (3, 8, 8), (1, 3, 4, 4)])
def test_make_grid(kwargs, shape):
    x = _RNG.standard_normal(shape).astype(np.float32)
    assert_same(jv.utils.make_grid(jtorch.from_numpy(x), **kwargs),
                tv.utils.make_grid(torch.from_numpy(x), **kwargs))


def test_make_grid_list_and_errors():
    xs = [_RNG.random((3, 4, 5)).astype(np.float32) for _ in range(3)]
    assert_same(jv.utils.make_grid([jtorch.from_numpy(x) for x in xs]),
                tv.utils.make_grid([torch.from_numpy(x) for x in xs]))
    with pytest.raises(TypeError, match="tensor or list of tensors expected"):
        jv.utils.make_grid(3)


def test_save_image(tmp_path):
    x = _RNG.random((4, 3, 6, 7)).astype(np.float32)
    tv.utils.save_image(torch.from_numpy(x), tmp_path / "t.png", nrow=2)
    jv.utils.save_image(jtorch.from_numpy(x), tmp_path / "j.png", nrow=2)
    assert np.array_equal(np.asarray(Image.open(tmp_path / "j.png")),
                          np.asarray(Image.open(tmp_path / "t.png")))


@pytest.mark.parametrize("fmt", ["xyxy", "xywh", "cxcywh"])
def test_box_iou_area_convert(fmt):
    a, b = _boxes(6), _boxes(4)
    assert_same(jv.ops.box_iou(jtorch.from_numpy(a), jtorch.from_numpy(b), fmt=fmt),
                tv.ops.box_iou(torch.from_numpy(a), torch.from_numpy(b), fmt=fmt))
    assert_same(jv.ops.box_area(jtorch.from_numpy(a), fmt=fmt), tv.ops.box_area(torch.from_numpy(a), fmt=fmt))
    for out in ("xyxy", "xywh", "cxcywh"):
        assert_same(jv.ops.box_convert(jtorch.from_numpy(a), fmt, out),
                    tv.ops.box_convert(torch.from_numpy(a), fmt, out))
    ai = (a * 10).astype(np.int64)
    assert_same(jv.ops.box_iou(jtorch.from_numpy(ai), jtorch.from_numpy(ai)),
                tv.ops.box_iou(torch.from_numpy(ai), torch.from_numpy(ai)))


def _nms_reference(boxes, scores, thr):
    # the kernel's loop: visit by descending score (stable), suppress later overlaps
    order = sorted(range(len(boxes)), key=lambda i: -scores[i])
    area = lambda b: np.float32((b[2] - b[0]) * (b[3] - b[1]))  # noqa: E731
    dead, keep = set(), []
    for pos, i in enumerate(order):
        if i in dead:
            continue
        keep.append(i)
        for j in order[pos + 1:]:
            w = max(np.float32(min(boxes[i][2], boxes[j][2]) - max(boxes[i][0], boxes[j][0])), np.float32(0))
            h = max(np.float32(min(boxes[i][3], boxes[j][3]) - max(boxes[i][1], boxes[j][1])), np.float32(0))
            inter = np.float32(w * h)
            if inter / (area(boxes[i]) + area(boxes[j]) - inter) > thr:
                dead.add(j)
    return keep


@pytest.mark.parametrize("thr", [0.0, 0.3, 0.7])
def test_nms(thr):
    boxes = _boxes(40, size=10.0)
    scores = np.round(_RNG.random(40), 1).astype(np.float32)  # ties: the sort must be stable
    keep = jv.ops.nms(jtorch.from_numpy(boxes), jtorch.from_numpy(scores), thr)
    assert keep.dtype == jtorch.int64
    assert keep.tolist() == _nms_reference(boxes, scores, thr)


def test_batched_nms():
    boxes, scores = _boxes(30, size=10.0), _RNG.random(30).astype(np.float32)
    idxs = _RNG.integers(0, 3, 30)
    keep = jv.ops.batched_nms(jtorch.from_numpy(boxes), jtorch.from_numpy(scores), jtorch.from_numpy(idxs), 0.4)
    expected = []
    for c in range(3):
        sel = np.nonzero(idxs == c)[0]
        expected += [sel[k] for k in _nms_reference(boxes[sel], scores[sel], 0.4)]
    assert sorted(keep.tolist(), key=lambda i: -scores[i]) == sorted(expected, key=lambda i: -scores[i])


def _roi_align_reference(x, rois, ph, pw, scale, ratio, aligned):
    """The CPU kernel's per-bin loop in float64."""
    n, c, hgt, wid = x.shape
    out = np.zeros((len(rois), c, ph, pw))

    def sample(img, y, xx):
        if y < -1.0 or y > hgt or xx < -1.0 or xx > wid:
            return np.zeros(c)
        y, xx = max(y, 0.0), max(xx, 0.0)
        yl, xl = int(y), int(xx)
        yh, xh = (yl + 1, xl + 1)
        if yl >= hgt - 1:
            yl = yh = hgt - 1
            y = float(yl)
        if xl >= wid - 1:
            xl = xh = wid - 1
            xx = float(xl)
        ly, lx = y - yl, xx - xl
        return ((1 - ly) * (1 - lx) * img[:, yl, xl] + (1 - ly) * lx * img[:, yl, xh]
                + ly * (1 - lx) * img[:, yh, xl] + ly * lx * img[:, yh, xh])

    off = 0.5 if aligned else 0.0
    for k, (b, x1, y1, x2, y2) in enumerate(rois.astype(np.float64)):
        sx, sy = x1 * scale - off, y1 * scale - off
        rw, rh = x2 * scale - off - sx, y2 * scale - off - sy
        if not aligned:
            rw, rh = max(rw, 1.0), max(rh, 1.0)
        bh, bw = rh / ph, rw / pw
        gh = ratio if ratio > 0 else math.ceil(rh / ph)
        gw = ratio if ratio > 0 else math.ceil(rw / pw)
        count = max(gh * gw, 1)
        for i in range(ph):
            for j in range(pw):
                acc = np.zeros(c)
                for iy in range(gh):
                    for ix in range(gw):
                        acc += sample(x[int(b)], sy + i * bh + (iy + 0.5) * bh / gh,
                                      sx + j * bw + (ix + 0.5) * bw / gw)
                out[k, :, i, j] = acc / count
    return out


@pytest.mark.parametrize("aligned", [False, True])
@pytest.mark.parametrize("ratio", [-1, 2])
def test_roi_align(aligned, ratio):
    x = _RNG.standard_normal((2, 3, 9, 11)).astype(np.float32)
    boxes = np.concatenate([_boxes(5, size=16.0), np.array([[-3, -2, 4, 30.0]], np.float32)])
    rois = np.concatenate([np.array([[0], [1], [0], [1], [1], [0]], np.float32), boxes], 1)
    got = jv.ops.roi_align(jtorch.from_numpy(x), jtorch.from_numpy(rois), (3, 4), spatial_scale=0.6,
                           sampling_ratio=ratio, aligned=aligned)
    ref = _roi_align_reference(x.astype(np.float64), rois, 3, 4, 0.6, ratio, aligned)
    assert got.dtype == jtorch.float32 and tuple(got.shape) == ref.shape
    np.testing.assert_allclose(got.numpy(), ref, rtol=1e-5, atol=1e-5)
    as_list = jv.ops.roi_align(jtorch.from_numpy(x), [jtorch.from_numpy(boxes[rois[:, 0] == i]) for i in (0, 1)],
                               (3, 4), 0.6, ratio, aligned)
    order = np.argsort(rois[:, 0], kind="stable")
    np.testing.assert_allclose(as_list.numpy(), ref[order], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
@pytest.mark.parametrize("mode", ["RGB", "L", "RGBA"])
def test_read_image(tmp_path, fmt, mode):
    if fmt == "JPEG" and mode == "RGBA":
        pytest.skip("JPEG has no alpha")
    arr = _RNG.integers(0, 256, (7, 9, 3), dtype=np.uint8)
    path = tmp_path / f"im.{fmt.lower()}"
    Image.fromarray(arr, "RGB").convert(mode).save(path, format=fmt)
    expect = np.asarray(Image.open(path))
    expect = expect[:, :, None] if expect.ndim == 2 else expect
    img = jv.io.read_image(str(path))
    assert img.dtype == jtorch.uint8
    assert np.array_equal(img.numpy(), expect.transpose(2, 0, 1))
    gray = jv.io.decode_image(jv.io.read_file(str(path)), mode=jv.io.ImageReadMode.GRAY)
    assert tuple(gray.shape) == (1, 7, 9)
    assert tuple(jv.io.read_image(str(path), mode="RGB").shape) == (3, 7, 9)
