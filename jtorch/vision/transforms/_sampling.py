"""The box sampling RandomResizedCrop and RandomErasing share."""
import jtorch as torch


def random_box(height, width, scale, ratio, fits):
    """Up to ten (area, log-uniform aspect) draws, torchvision's sampling; returns the first
    (h, w) accepted by `fits` (with its extra draws done by the caller) or None."""
    area = height * width
    log_ratio = torch.log(torch.tensor(ratio))
    for _ in range(10):
        target = area * torch.empty(1).uniform_(scale[0], scale[1]).item()
        aspect = torch.exp(torch.empty(1).uniform_(log_ratio[0], log_ratio[1])).item()
        box = fits(target, aspect)
        if box is not None:
            return box
    return None
