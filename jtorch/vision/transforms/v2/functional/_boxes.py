"""Bounding-box kernels of transforms v2 (axis-aligned formats XYXY, XYWH, CXCYWH): each
returns the moved boxes wrapped with their new canvas size; coordinates are clamped to the
canvas as torchvision clamps them (in XYXY, in floating point, then back to the box dtype)."""
import math

import jtorch as torch

from .... import tv_tensors
from ... import _tensor_ops as F_t
from ._dispatch import pure

XYXY, XYWH, CXCYWH = (tv_tensors.BoundingBoxFormat.XYXY, tv_tensors.BoundingBoxFormat.XYWH,
                      tv_tensors.BoundingBoxFormat.CXCYWH)


def _to_xyxy(b, fmt):
    x, y, c, d = b.unbind(-1)
    if fmt == XYWH:
        return torch.stack([x, y, x + c, y + d], dim=-1)
    if fmt == CXCYWH:
        return torch.stack([x - c / 2, y - d / 2, x + c / 2, y + d / 2], dim=-1)
    return b


def _from_xyxy(b, fmt):
    x1, y1, x2, y2 = b.unbind(-1)
    if fmt == XYWH:
        return torch.stack([x1, y1, x2 - x1, y2 - y1], dim=-1)
    if fmt == CXCYWH:
        w, h = x2 - x1, y2 - y1
        return torch.stack([(x1 * 2 + w) / 2, (y1 * 2 + h) / 2, w, h], dim=-1)
    return b


def _format(fmt):
    return tv_tensors.BoundingBoxFormat[fmt.upper()] if isinstance(fmt, str) else fmt


def convert_bounding_box_format(inpt, old_format=None, new_format=None, inplace=False):
    if new_format is None:
        raise TypeError("convert_bounding_box_format() missing 1 required argument: 'new_format'")
    boxes = inpt
    if isinstance(inpt, tv_tensors.BoundingBoxes):
        old_format = inpt.format
    old_format, new_format = _format(old_format), _format(new_format)
    raw = pure(boxes)
    dtype = raw.dtype
    work = raw if raw.is_floating_point() else raw.float()
    out = _from_xyxy(_to_xyxy(work, old_format), new_format).to(dtype)
    if isinstance(inpt, tv_tensors.BoundingBoxes):
        return tv_tensors.wrap(out, like=inpt, format=new_format)
    return out


def _clamp(raw, fmt, canvas):
    dtype = raw.dtype
    xyxy = _to_xyxy(raw if raw.is_floating_point() else raw.float(), fmt)
    h, w = canvas
    x1, y1, x2, y2 = xyxy.unbind(-1)
    xyxy = torch.stack([x1.clamp(0, w), y1.clamp(0, h), x2.clamp(0, w), y2.clamp(0, h)], dim=-1)
    return _from_xyxy(xyxy, fmt).to(dtype)


def _out(boxes, raw, canvas, clamp=True):
    if clamp and boxes.clamping_mode is not None:
        raw = _clamp(raw, boxes.format, canvas)
    return tv_tensors.wrap(raw, like=boxes, canvas_size=tuple(canvas))


def horizontal_flip(boxes):
    raw, w = pure(boxes), boxes.canvas_size[1]
    x, y, c, d = raw.unbind(-1)
    if boxes.format == XYXY:
        out = torch.stack([w - c, y, w - x, d], dim=-1)
    elif boxes.format == XYWH:
        out = torch.stack([w - (x + c), y, c, d], dim=-1)
    else:
        out = torch.stack([w - x, y, c, d], dim=-1)
    return _out(boxes, out.to(raw.dtype), boxes.canvas_size, clamp=False)


def vertical_flip(boxes):
    raw, h = pure(boxes), boxes.canvas_size[0]
    x, y, c, d = raw.unbind(-1)
    if boxes.format == XYXY:
        out = torch.stack([x, h - d, c, h - y], dim=-1)
    elif boxes.format == XYWH:
        out = torch.stack([x, h - (y + d), c, d], dim=-1)
    else:
        out = torch.stack([x, h - y, c, d], dim=-1)
    return _out(boxes, out.to(raw.dtype), boxes.canvas_size, clamp=False)


def resize(boxes, new_size):
    (oh, ow), (nh, nw) = boxes.canvas_size, new_size
    if (nh, nw) == (oh, ow):
        return boxes
    raw = pure(boxes)
    ratios = torch.tensor([nw / ow, nh / oh, nw / ow, nh / oh])
    # axis-aligned boxes are scaled, not clamped (torchvision clamps rotated formats only)
    return _out(boxes, raw.mul(ratios).to(raw.dtype), (nh, nw), clamp=False)


def crop(boxes, top, left, height, width):
    raw = pure(boxes)
    sub = [left, top, left, top] if boxes.format == XYXY else [left, top, 0, 0]
    return _out(boxes, raw - torch.tensor(sub, dtype=raw.dtype), (height, width))


def pad(boxes, ltrb):
    left, top, right, bottom = ltrb
    raw = pure(boxes)
    add = [left, top, left, top] if boxes.format == XYXY else [left, top, 0, 0]
    h, w = boxes.canvas_size
    return _out(boxes, raw + torch.tensor(add, dtype=raw.dtype), (h + top + bottom, w + left + right))


def _forward_rotation(center, angle):
    """The input-to-output pixel map of a rotation by `angle` degrees about `center`."""
    rot = math.radians(angle)
    cx, cy = center
    m = [math.cos(rot), -math.sin(rot), 0.0, math.sin(rot), math.cos(rot), 0.0]
    m[2] += m[0] * (-cx) + m[1] * (-cy) + cx
    m[5] += m[3] * (-cx) + m[4] * (-cy) + cy
    return m


def rotate(boxes, angle, expand=False, center=None):
    """Each box becomes the axis-aligned hull of its rotated corners (clamped to the canvas)."""
    raw, fmt = pure(boxes), boxes.format
    if raw.numel() == 0:
        return boxes
    dtype, shape = raw.dtype, raw.shape
    work = raw if raw.is_floating_point() else raw.float()
    xyxy = _to_xyxy(work, fmt).reshape(-1, 4)
    h, w = boxes.canvas_size
    angle = -float(angle)  # image rotation is anticlockwise; the point map turns the other way
    center = [w * 0.5, h * 0.5] if center is None else [float(c) for c in center]
    mat = torch.tensor(_forward_rotation(center, angle), dtype=work.dtype).reshape(2, 3).T
    corners = xyxy[:, [[0, 1], [2, 1], [2, 3], [0, 3]]].reshape(-1, 2)
    corners = torch.cat([corners, torch.ones(corners.shape[0], 1, dtype=work.dtype)], dim=-1)
    moved = torch.matmul(corners, mat).reshape(-1, 4, 2)
    out = torch.cat([moved.min(dim=1).values, moved.max(dim=1).values], dim=1)
    canvas = (h, w)
    if expand:
        frame = torch.tensor([[0.0, 0.0, 1.0], [0.0, float(h), 1.0], [float(w), float(h), 1.0],
                              [float(w), 0.0, 1.0]], dtype=work.dtype)
        shift = torch.matmul(frame, mat).min(dim=0, keepdim=True).values
        out = out - shift.repeat((1, 2))
        inverse = F_t.inverse_affine_matrix(center, angle, [0.0, 0.0], 1.0, [0.0, 0.0])
        new_w, new_h = F_t._expanded_size(inverse, w, h)
        canvas = (new_h, new_w)
    h2, w2 = canvas
    x1, y1, x2, y2 = out.unbind(-1)
    out = torch.stack([x1.clamp(0, w2), y1.clamp(0, h2), x2.clamp(0, w2), y2.clamp(0, h2)], dim=-1)
    out = _from_xyxy(out, fmt).reshape(shape).to(dtype)
    return tv_tensors.wrap(out, like=boxes, canvas_size=canvas)
