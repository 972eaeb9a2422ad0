"""torchvision.ops: box operations, roi_align and the models' building blocks."""
from .boxes import batched_nms, box_area, box_convert, box_iou, nms
from .misc import (MLP, Conv2dNormActivation, ConvNormActivation, Permute, SqueezeExcitation,
                   StochasticDepth, stochastic_depth)
from .roi_align import RoIAlign, roi_align
