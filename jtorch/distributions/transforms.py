"""torch.distributions.transforms: bijections with log |det J| (see the private modules)."""
from ._transform_base import (ComposeTransform, IndependentTransform, ReshapeTransform,
                              Transform, _InverseTransform, identity_transform)  # noqa: F401
from ._transform_joined import CatTransform, StackTransform
from ._transform_matrix import (CorrCholeskyTransform, CumulativeDistributionTransform,
                                LowerCholeskyTransform, PositiveDefiniteTransform,
                                SoftmaxTransform, StickBreakingTransform)
from ._transform_pointwise import (AbsTransform, AffineTransform, ExpTransform, PowerTransform,
                                   SigmoidTransform, SoftplusTransform, TanhTransform,
                                   _clipped_sigmoid)  # noqa: F401

__all__ = [
    "AbsTransform", "AffineTransform", "CatTransform", "ComposeTransform",
    "CorrCholeskyTransform", "CumulativeDistributionTransform", "ExpTransform",
    "IndependentTransform", "LowerCholeskyTransform", "PositiveDefiniteTransform",
    "PowerTransform", "ReshapeTransform", "SigmoidTransform", "SoftplusTransform",
    "TanhTransform", "SoftmaxTransform", "StackTransform", "StickBreakingTransform",
    "Transform", "identity_transform",
]
