"""Box operations (torchvision.ops.boxes). nms is the compiled op's definition: boxes taken by
decreasing score (a stable sort), each kept box suppresses the later ones whose IoU with it
exceeds the threshold, computed in the boxes' dtype."""
import numpy as np

import jtorch as torch

__all__ = ["nms", "batched_nms", "box_area", "box_iou", "box_convert"]


def _upcast(t):
    # widen so that products of coordinates do not overflow / lose precision
    if t.is_floating_point():
        return t if t.dtype in (torch.float32, torch.float64) else t.float()
    return t if t.dtype in (torch.int32, torch.int64) else t.int()


def box_area(boxes, fmt="xyxy"):
    if fmt not in ("xyxy", "xywh", "cxcywh"):
        raise ValueError(f"Unsupported Bounding Box area for given format {fmt}")
    boxes = _upcast(boxes)
    if fmt == "xyxy":
        return (boxes[..., 2] - boxes[..., 0]) * (boxes[..., 3] - boxes[..., 1])
    return boxes[..., 2] * boxes[..., 3]


def _corners(b1, b2, fmt):
    if fmt == "xyxy":
        return b1[..., None, :2], b1[..., None, 2:], b2[..., None, :, :2], b2[..., None, :, 2:]
    if fmt == "xywh":
        return (b1[..., None, :2], b1[..., None, :2] + b1[..., None, 2:],
                b2[..., None, :, :2], b2[..., None, :, :2] + b2[..., None, :, 2:])
    return (b1[..., None, :2] - b1[..., None, 2:] / 2, b1[..., None, :2] + b1[..., None, 2:] / 2,
            b2[..., None, :, :2] - b2[..., None, :, 2:] / 2, b2[..., None, :, :2] + b2[..., None, :, 2:] / 2)


def _box_inter_union(boxes1, boxes2, fmt="xyxy"):
    area1, area2 = box_area(boxes1, fmt=fmt), box_area(boxes2, fmt=fmt)
    lo1, hi1, lo2, hi2 = _corners(boxes1, boxes2, fmt)
    wh = _upcast(torch.min(hi1, hi2) - torch.max(lo1, lo2)).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    return inter, area1[..., None] + area2[..., None, :] - inter


def box_iou(boxes1, boxes2, fmt="xyxy"):
    if fmt not in ("xyxy", "xywh", "cxcywh"):
        raise ValueError(f"Unsupported format '{fmt}'. Supported axis-aligned formats: "
                         "('xyxy', 'xywh', 'cxcywh').")
    inter, union = _box_inter_union(boxes1, boxes2, fmt=fmt)
    return inter / union


def box_convert(boxes, in_fmt, out_fmt):
    allowed = ("xyxy", "xywh", "cxcywh")
    if in_fmt not in allowed or out_fmt not in allowed:
        raise ValueError("Unsupported Bounding Box Conversions for given in_fmt and out_fmt")
    if in_fmt == out_fmt:
        return boxes.clone()
    a, b, c, d = boxes.unbind(-1)
    if in_fmt == "xywh":
        a, b, c, d = a, b, a + c, b + d
    elif in_fmt == "cxcywh":
        a, b, c, d = a - 0.5 * c, b - 0.5 * d, a + 0.5 * c, b + 0.5 * d
    if out_fmt == "xywh":
        return torch.stack((a, b, c - a, d - b), dim=-1)
    if out_fmt == "cxcywh":
        return torch.stack(((a + c) / 2, (b + d) / 2, c - a, d - b), dim=-1)
    return torch.stack((a, b, c, d), dim=-1)


def nms(boxes, scores, iou_threshold):
    if boxes.dim() != 2 or boxes.size(1) != 4:
        raise RuntimeError(f"boxes should be a 2d tensor of shape [N, 4], got {boxes.dim()}D")
    if scores.dim() != 1:
        raise RuntimeError(f"scores should be a 1d tensor, got {scores.dim()}D")
    if boxes.size(0) != scores.size(0):
        raise RuntimeError(f"boxes and scores should have same number of elements in dimension 0, "
                           f"got {boxes.size(0)} and {scores.size(0)}")
    b = boxes.detach()._host()
    if b.shape[0] == 0:
        return torch.empty(0, dtype=torch.int64)
    order = np.argsort(-scores.detach()._host(), kind="stable")
    x1, y1, x2, y2 = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
    areas = (x2 - x1) * (y2 - y1)
    suppressed = np.zeros(len(b), bool)
    keep = []
    for pos, i in enumerate(order):
        if suppressed[i]:
            continue
        keep.append(i)
        rest = order[pos + 1:]
        w = np.maximum(np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]), 0)
        h = np.maximum(np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]), 0)
        inter = w * h
        suppressed[rest[inter / (areas[i] + areas[rest] - inter) > iou_threshold]] = True
    return torch.tensor(np.asarray(keep, np.int64))


def batched_nms(boxes, scores, idxs, iou_threshold):
    """nms within each category: boxes of different categories are moved apart so that they
    never overlap."""
    if boxes.numel() == 0:
        return torch.empty((0,), dtype=torch.int64)
    offsets = idxs.to(boxes) * (boxes.max() + torch.tensor(1).to(boxes))
    return nms(boxes + offsets[:, None], scores, iou_threshold)
