"""roi_align (torchvision.ops.roi_align), vectorised from the compiled kernel's definition:
each output bin averages bilinear samples on a regular grid (sampling_ratio per axis, or
ceil(roi size / output size) when sampling_ratio <= 0); a sample more than one pixel outside
the image counts as 0, samples just outside are clamped to the border."""

import jtorch as torch
from jtorch import nn

from ..transforms._tensor_ops import div_scalar

__all__ = ["roi_align", "RoIAlign"]


def _rois(boxes):
    if isinstance(boxes, (list, tuple)):
        for b in boxes:
            if b.size(1) != 4:
                raise AssertionError("The shape of the tensor in the boxes list is not correct as "
                                     "List[Tensor[L, 4]]")
        ids = [torch.full_like(b[:, :1], i) for i, b in enumerate(boxes)]
        return torch.cat([torch.cat(ids, 0), torch.cat(list(boxes), 0)], dim=1)
    if not isinstance(boxes, torch.Tensor):
        raise AssertionError("boxes is expected to be a Tensor[L, 5] or a List[Tensor[K, 4]]")
    if boxes.size(1) != 5:
        raise AssertionError("The boxes tensor shape is not correct as Tensor[K, 5]")
    return boxes


def _sample_axis(start, bin_size, grid, pooled, n_grid):
    """[K, pooled, n_grid] sample coordinates and a [K, n_grid] mask of the used grid slots."""
    p = torch.arange(pooled, dtype=start.dtype)
    g = torch.arange(n_grid, dtype=start.dtype)
    coord = (start[:, None, None] + p[None, :, None] * bin_size[:, None, None]
             + (g[None, None, :] + 0.5) * (bin_size / grid)[:, None, None])
    return coord, g[None, :] < grid[:, None]


def _interp_weights(coord, size):
    """Corner indices and weights of bilinear sampling along one axis, as the kernel clamps."""
    outside = (coord < -1.0) | (coord > size)
    c = coord.clamp(min=0)
    low = c.floor().to(torch.int64)
    at_edge = low >= size - 1
    low = torch.where(at_edge, torch.full_like(low, size - 1), low)
    high = torch.where(at_edge, low, low + 1)
    c = torch.where(at_edge, low.to(c.dtype), c)
    frac = c - low.to(c.dtype)
    keep = (~outside).to(c.dtype)
    return low, high, (1.0 - frac) * keep, frac * keep


def roi_align(input, boxes, output_size, spatial_scale=1.0, sampling_ratio=-1, aligned=False):
    rois = _rois(boxes)
    ph, pw = (output_size, output_size) if isinstance(output_size, int) else tuple(output_size)
    _, channels, height, width = input.shape
    dtype = input.dtype
    rois = rois.to(dtype)
    offset = 0.5 if aligned else 0.0
    x0, y0 = rois[:, 1] * spatial_scale - offset, rois[:, 2] * spatial_scale - offset
    rw = rois[:, 3] * spatial_scale - offset - x0
    rh = rois[:, 4] * spatial_scale - offset - y0
    if not aligned:  # legacy: rois at least one pixel wide
        rw, rh = rw.clamp(min=1.0), rh.clamp(min=1.0)
    if sampling_ratio > 0:
        gh = gw = torch.full_like(rw, sampling_ratio)
        ny = nx = sampling_ratio
    else:
        gh, gw = torch.ceil(div_scalar(rh, ph)), torch.ceil(div_scalar(rw, pw))
        ny, nx = max(int(gh.max().item()), 1) if rois.shape[0] else 1, max(int(gw.max().item()), 1) if rois.shape[0] else 1
    y, ymask = _sample_axis(y0, div_scalar(rh, ph), gh, ph, ny)      # [K, PH, IY]
    x, xmask = _sample_axis(x0, div_scalar(rw, pw), gw, pw, nx)      # [K, PW, IX]
    yl, yh, wyl, wyh = _interp_weights(y, height)
    xl, xh, wxl, wxh = _interp_weights(x, width)
    wyl, wyh = wyl * ymask[:, None, :].to(dtype), wyh * ymask[:, None, :].to(dtype)
    wxl, wxh = wxl * xmask[:, None, :].to(dtype), wxh * xmask[:, None, :].to(dtype)
    img = input[rois[:, 0].to(torch.int64)]                 # [K, C, H, W]

    def corner(yi, xi, wy, wx):
        k = torch.arange(img.shape[0])[:, None, None, None, None]
        vals = img.permute(0, 2, 3, 1)[k, yi[:, :, None, :, None], xi[:, None, :, None, :]]  # K,PH,PW,IY,IX,C
        w = wy[:, :, None, :, None] * wx[:, None, :, None, :]
        return (vals * w[..., None]).sum((3, 4))

    out = (corner(yl, xl, wyl, wxl) + corner(yl, xh, wyl, wxh) + corner(yh, xl, wyh, wxl)
           + corner(yh, xh, wyh, wxh))                      # [K, PH, PW, C]
    count = (gh * gw).clamp(min=1)
    return (out / count[:, None, None, None]).permute(0, 3, 1, 2).contiguous()


class RoIAlign(nn.Module):
    def __init__(self, output_size, spatial_scale, sampling_ratio, aligned=False):
        super().__init__()
        self.output_size, self.spatial_scale = output_size, spatial_scale
        self.sampling_ratio, self.aligned = sampling_ratio, aligned

    def forward(self, input, rois):
        return roi_align(input, rois, self.output_size, self.spatial_scale, self.sampling_ratio, self.aligned)

    def __repr__(self):
        return (f"{type(self).__name__}(output_size={self.output_size}, spatial_scale={self.spatial_scale}, "
                f"sampling_ratio={self.sampling_ratio}, aligned={self.aligned})")
