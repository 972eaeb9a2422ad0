"""torchvision.utils: make_grid and save_image."""
import math

import jtorch as torch

from .transforms import _pil_ops, _tensor_ops

__all__ = ["make_grid", "save_image"]


def _as_batch(tensor):
    if not torch.is_tensor(tensor):
        if not isinstance(tensor, list):
            raise TypeError(f"tensor or list of tensors expected, got {type(tensor)}")
        for t in tensor:
            if not torch.is_tensor(t):
                raise TypeError(f"tensor or list of tensors expected, got a list containing {type(t)}")
        tensor = torch.stack(tensor, dim=0)
    if tensor.dim() == 2:
        tensor = tensor.unsqueeze(0)
    if tensor.dim() == 3:
        if tensor.size(0) == 1:  # grey images are shown as RGB
            tensor = torch.cat((tensor, tensor, tensor), 0)
        tensor = tensor.unsqueeze(0)
    if tensor.dim() == 4 and tensor.size(1) == 1:
        tensor = torch.cat((tensor, tensor, tensor), 1)
    return tensor


def _normalize(tensor, value_range, scale_each):
    tensor = tensor.clone()
    if value_range is not None and not isinstance(value_range, tuple):
        raise TypeError("value_range has to be a tuple (min, max) if specified. min and max are numbers")

    def rescale(img):
        low, high = value_range if value_range is not None else (float(img.min()), float(img.max()))
        img.clamp_(min=low, max=high)
        img.sub_(low)
        img.copy_(_tensor_ops.div_scalar(img, max(high - low, 1e-5)))

    for img in (tensor if scale_each else [tensor]):
        rescale(img)
    return tensor


def make_grid(tensor, nrow=8, padding=2, normalize=False, value_range=None, scale_each=False, pad_value=0.0):
    tensor = _as_batch(tensor)
    if normalize is True:
        tensor = _normalize(tensor, value_range, scale_each)
    if tensor.size(0) == 1:
        return tensor.squeeze(0)
    n = tensor.size(0)
    cols = min(nrow, n)
    rows = int(math.ceil(float(n) / cols))
    height, width = int(tensor.size(2) + padding), int(tensor.size(3) + padding)
    grid = tensor.new_full((tensor.size(1), height * rows + padding, width * cols + padding), pad_value)
    for k in range(n):
        y, x = divmod(k, cols)
        grid.narrow(1, y * height + padding, height - padding).narrow(
            2, x * width + padding, width - padding).copy_(tensor[k])
    return grid


@torch.no_grad()
def save_image(tensor, fp, format=None, **kwargs):
    _pil_ops.require()
    grid = make_grid(tensor, **kwargs)
    # round to nearest: +0.5 then truncate in the uint8 cast
    arr = grid.mul(255).add_(0.5).clamp_(0, 255).permute(1, 2, 0).to("cpu", torch.uint8)._host()
    _pil_ops.Image.fromarray(arr).save(fp, format=format)
