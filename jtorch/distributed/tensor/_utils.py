"""torch.distributed.tensor._utils: the DTensor helpers libraries import (no DTensor)."""
from . import _no_dtensor

compute_local_shape_and_global_offset = _no_dtensor
