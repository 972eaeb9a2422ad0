"""torchvision.transforms.v2 on jtorch: transforms of whole samples (images, masks, boxes)
that dispatch on tv_tensors types; random draws follow torchvision v2's order."""
from ..functional import InterpolationMode  # noqa: F401
from . import functional  # noqa: F401
from ._transform import Transform, check_type, is_pure_tensor, query_chw, query_size  # noqa: F401
from ._geometry import (  # noqa: F401
    CenterCrop, Pad, RandomCrop, RandomHorizontalFlip, RandomResizedCrop, RandomRotation,
    RandomVerticalFlip, Resize)
from ._misc import (  # noqa: F401
    ColorJitter, Compose, ConvertImageDtype, Grayscale, Identity, Lambda, Normalize, PILToTensor,
    RandomApply, RandomChoice, RandomErasing, RandomGrayscale, RandomOrder, ToDtype, ToImage,
    ToPILImage, ToPureTensor, ToTensor)
