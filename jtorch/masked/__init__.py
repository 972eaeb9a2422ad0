"""torch.masked: reductions and normalizations that ignore masked-out elements.

Strided tensors only (jtorch has no sparse layouts); ``MaskedTensor`` is not provided.
"""
from ._core import (_canonical_dim, _combine_input_and_mask, _input_mask,  # noqa: F401
                    _output_mask, _reduction_identity, _where)
from ._reductions import (amax, amin, argmax, argmin, mean, median, logsumexp,  # noqa: F401
                          norm, prod, std, sum, var)
from ._normalizations import (cumprod, cumsum, log_softmax, logaddexp, normalize,  # noqa: F401
                              softmax, softmin)

__all__ = ["amax", "amin", "argmax", "argmin", "cumprod", "cumsum", "log_softmax",
           "logaddexp", "logsumexp", "mean", "median", "norm", "normalize", "prod", "softmax",
           "softmin", "std", "sum", "var"]
