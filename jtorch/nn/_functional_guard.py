"""torch's TypeError for a str/dict/... passed where ``nn.functional`` takes a tensor.

torch's argument parser rejects such an argument before anything runs (TypeError, "argument
'input' (position 1) must be Tensor, not str"); jtorch's functions are Python and would fail
later on an attribute. Each exported function gets ``_errors.guard_arguments`` (nothing runs
on success). Some of torch's own functions are Python code that reads an attribute of the
argument first: there torch raises AttributeError naming that attribute, and so does the
guard (``PYTHON_LEVEL``).
"""
from __future__ import annotations

import inspect

from .. import _errors

# function -> {parameter: the attribute torch's Python code reads first}, recorded from
# torch 2.13 by passing a str in each tensor position (batch_norm with training=True)
PYTHON_LEVEL = {
    'adaptive_avg_pool2d': {'input': 'size'},
    'adaptive_avg_pool3d': {'input': 'size'},
    'adaptive_max_pool2d_with_indices': {'input': 'size'},
    'adaptive_max_pool3d_with_indices': {'input': 'size'},
    'affine_grid': {'theta': 'is_floating_point'},
    'batch_norm': {'input': 'size'},
    'binary_cross_entropy': {'input': 'size', 'target': 'size'},
    'binary_cross_entropy_with_logits': {'input': 'size', 'target': 'size'},
    'dropout1d': {'input': 'dim'},
    'dropout2d': {'input': 'dim'},
    'dropout3d': {'input': 'dim'},
    'embedding_bag': {'weight': 'dtype', 'input': 'dim'},
    'glu': {'input': 'dim'},
    'group_norm': {'input': 'dim'},
    'huber_loss': {'input': 'size', 'target': 'size'},
    'instance_norm': {'input': 'size'},
    'interpolate': {'input': 'dim'},
    'l1_loss': {'input': 'size', 'target': 'size'},
    'linear_cross_entropy': {'input': 'dim'},
    'local_response_norm': {'input': 'dim'},
    'log_softmax': {'input': lambda args, kw: _softmax_attribute('log_softmax', args, kw)},
    'lp_pool1d': {'input': 'pow'},
    'lp_pool2d': {'input': 'pow'},
    'margin_ranking_loss': {'input1': 'dim', 'input2': 'dim', 'target': 'dim'},
    'max_pool3d_with_indices': {'input': 'is_cuda'},
    'max_unpool1d': {'input': 'size'},
    'max_unpool2d': {'input': 'size'},
    'max_unpool3d': {'input': 'size'},
    'mse_loss': {'input': 'size', 'target': 'size'},
    'multi_head_attention_forward': {'query': 'dim'},
    'normalize': {'input': 'norm'},
    'sigmoid': {'input': 'sigmoid'},
    'smooth_l1_loss': {'input': 'size', 'target': 'size'},
    'softmax': {'input': lambda args, kw: _softmax_attribute('softmax', args, kw)},
    'softmin': {'input': 'dim'},
    'softsign': {'input': 'abs'},
    'tanh': {'input': 'tanh'},
    'tanhshrink': {'input': 'tanh'},
    'triplet_margin_with_distance_loss': {'anchor': 'ndim', 'negative': 'ndim', 'positive': 'ndim'},
    'upsample': {'input': 'dim'},
    'upsample_bilinear': {'input': 'dim'},
    'upsample_nearest': {'input': 'dim'},
}


def _softmax_attribute(name, args, kwargs):
    """torch's softmax reads input.dim() to choose an implicit dim, else calls the method."""
    dim = args[1] if len(args) > 1 else kwargs.get("dim")
    return "dim" if dim is None else name


def guard_all(namespace, names):
    """Replace each jtorch.nn function among ``names`` in ``namespace`` by its guard."""
    for name in names:
        fn = namespace[name]
        if inspect.isfunction(fn) and fn.__module__.startswith("jtorch.nn"):
            namespace[name] = _errors.guard_arguments(fn, name,
                                                      attributes=PYTHON_LEVEL.get(name))
