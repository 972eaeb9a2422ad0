"""Dtype checks of the nn ops whose torch kernels exist for some dtypes only: torch's
NotImplementedError names the kernel, which differs by mode and rank."""
from .. import _dtypes
from .nn_ops import float_kernel


def adaptive_check(kind):
    """Adaptive pools take floating inputs only (torch's 1-D pools run the 2-D kernel)."""
    def check(input, output_size):
        n = len(output_size)
        kernel = f"adaptive_{kind}_pool3d_cpu" if n == 3 else f"adaptive_{kind}_pool2d"
        float_kernel(kernel)(input)
    return check


def _upsample_kernel(mode, n, antialias=False):
    """The kernel torch's dtype error names for an upsampling mode."""
    if antialias:
        return "compute_index_ranges_weights"
    if mode in ("nearest", "nearest-exact"):
        return "upsample_nearest2d_channels_last" if n == 2 else "compute_indices_weights_nearest"
    if mode == "bilinear":
        return "upsample_bilinear2d_channels_last"
    return "compute_indices_weights_cubic" if mode == "bicubic" else \
        "compute_indices_weights_linear"


def upsample_check(antialias):
    """Floating inputs, and uint8 images except for (tri)linear modes."""
    def check(input, output_size, scales, mode, align_corners=False):
        if input.dtype is _dtypes.uint8 and mode not in ("linear", "trilinear"):
            return
        float_kernel(_upsample_kernel(mode, len(output_size), antialias))(input)
    return check
