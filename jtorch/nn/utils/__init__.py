"""torch.nn.utils: gradient clipping, parameter/vector conversion, weight and spectral norm,
parametrizations."""
from .clip_grad import clip_grad_norm_, clip_grad_norm, clip_grad_value_, get_total_norm
from .convert_parameters import parameters_to_vector, vector_to_parameters
from . import rnn
from .weight_norm import weight_norm, remove_weight_norm
from .spectral_norm import spectral_norm, remove_spectral_norm
from . import parametrize, parametrizations
from .fusion import (fuse_conv_bn_eval, fuse_conv_bn_weights, fuse_linear_bn_eval,
                     fuse_linear_bn_weights)
from ._more import (clip_grads_with_norm_, convert_conv2d_weight_memory_format,
                    convert_conv3d_weight_memory_format, skip_init)
from . import fusion, stateless

__all__ = ["clip_grad_norm_", "clip_grad_norm", "clip_grad_value_", "get_total_norm",
           "parameters_to_vector", "vector_to_parameters", "rnn", "weight_norm",
           "remove_weight_norm", "spectral_norm", "remove_spectral_norm", "parametrize",
           "parametrizations", "fuse_conv_bn_eval", "fuse_conv_bn_weights",
           "fuse_linear_bn_eval", "fuse_linear_bn_weights", "clip_grads_with_norm_",
           "convert_conv2d_weight_memory_format", "convert_conv3d_weight_memory_format",
           "skip_init", "fusion", "stateless"]
