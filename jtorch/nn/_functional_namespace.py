"""torch.nn.functional's module-level names that are not layers (its constants, TorchScript
and ``__torch_function__`` helpers, ``boolean_dispatch``, aliases of torch.* ops) and three small
composed layers: rms_norm, local_response_norm and rrelu. Compositions follow torch's own op
order so values, gradients and grad_fn names match."""
from __future__ import annotations

from typing import Callable, Optional  # noqa: F401  (torch's module exposes these names)

import numpy as np

import jtorch
from .._ops import nn_act
from .._ops.registry import OPS
from .._tensor import Tensor  # noqa: F401

TYPE_CHECKING = False
DType = int
GRID_SAMPLE_INTERPOLATION_MODES = {"bilinear": 0, "nearest": 1, "bicubic": 2}
GRID_SAMPLE_PADDING_MODES = {"zeros": 0, "border": 1, "reflection": 2}
reproducibility_notes = {
    "backward_reproducibility_note": "This operation may not be deterministic on a GPU.",
    "forward_reproducibility_note": "This operation may not be deterministic on a GPU.",
    "cudnn_reproducibility_note": "cuDNN may select nondeterministic algorithms."}
sparse_support_notes = {"sparse_beta_warning": "Sparse support is a beta feature."}
tf32_notes = {"tf32_note": "This operator supports TensorFloat32 on Ampere GPUs."}


class _BroadcastingList:
    """torch's TorchScript annotation helper: ``BroadcastingList2[int]`` is a plain list type
    outside TorchScript."""

    def __getitem__(self, types):
        return list


BroadcastingList1 = BroadcastingList2 = BroadcastingList3 = _BroadcastingList()


# ------------------------------------------------------------------ __torch_function__ hooks
# jtorch has no __torch_function__ protocol: nothing ever overrides a function.
def has_torch_function(relevant_args):
    return False


def has_torch_function_unary(input):
    return False


def has_torch_function_variadic(*args):
    return False


def handle_torch_function(public_api, relevant_args, *args, **kwargs):
    return public_api(*args, **kwargs)


def boolean_dispatch(arg_name, arg_index, default, if_true, if_false, module_name, func_name):
    """A function calling ``if_true`` or ``if_false`` by a boolean argument (torch builds its
    ``max_pool2d(return_indices=)`` this way)."""
    def fn(*args, **kwargs):
        flag = kwargs[arg_name] if arg_name in kwargs else \
            args[arg_index] if len(args) > arg_index else default
        return if_true(*args, **kwargs) if flag else if_false(*args, **kwargs)
    fn.__name__ = func_name
    fn.__module__ = module_name
    return fn


def assert_int_or_pair(arg, arg_name, message):
    assert isinstance(arg, int) or len(arg) == 2, message.format(arg_name)


# ------------------------------------------------------------------ normalisation
def rms_norm(input, normalized_shape, weight=None, eps=None):
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else \
        tuple(normalized_shape)
    if tuple(input.shape[input.dim() - len(shape):]) != shape:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*{', '.join(map(str, shape))}], but got input of size"  # torch's
                           f"{list(input.shape)}")
    if eps is None:     # torch uses the epsilon of the compute type
        eps = jtorch.finfo(input.dtype).eps
    dims = tuple(range(-len(shape), 0))
    rstd = jtorch.rsqrt(input.pow(2).mean(dims, keepdim=True) + eps)
    out = input * rstd
    return out * weight if weight is not None else out


def local_response_norm(input, size, alpha=0.0001, beta=0.75, k=1.0):
    from .functional import pad
    from ._pooling import avg_pool2d, avg_pool3d
    dim = input.dim()
    if dim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality input (got {dim} dimensions)")
    if input.numel() == 0:
        return input
    div = input.mul(input)
    if dim == 3:
        div = pad(div.unsqueeze(1), (0, 0, size // 2, (size - 1) // 2))
        div = avg_pool2d(div, (size, 1), stride=1).squeeze(1)
    else:
        sizes = input.size()
        div = div.view(sizes[0], 1, sizes[1], sizes[2], -1)
        div = pad(div, (0, 0, 0, 0, size // 2, (size - 1) // 2))
        div = avg_pool3d(div, (size, 1, 1), stride=1).squeeze(1).view(sizes)
    div = div.mul(alpha).add(k).pow(beta)
    return input / div


# ------------------------------------------------------------------ rrelu
def _rrelu_noise(input, lower, upper, training, generator=None):
    """torch's noise: in training, one uniform(lower, upper) double per non-positive element
    (memory order, drawn only for those), cast to the compute type; 1 elsewhere."""
    if not training:
        slope = (lower + upper) / 2
        return jtorch.where(input > 0, 1.0, slope).to(input.dtype)
    g = jtorch.random.generator_for(generator, input.device)
    x = np.asarray(input.detach().contiguous()._value())
    neg = x <= 0
    r = g.uniform((int(neg.sum()),), np.float64, lower, upper)
    noise = np.ones(x.shape, x.dtype)
    noise[neg] = r.astype(x.dtype)
    return jtorch.as_tensor(noise)


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    noise = _rrelu_noise(input, lower, upper, training)
    if inplace:
        from .._dispatch import call_inplace
        return call_inplace(OPS["_rrelu_with_noise"], input, (noise,), {})
    return nn_act._rrelu_with_noise(input, noise)


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    return rrelu(input, lower, upper, training, True)


# ------------------------------------------------------------------ aliases of torch.* ops
def pdist(input, p=2):
    return jtorch.pdist(input, p)


def native_channel_shuffle(input, groups):
    from ._spatial import channel_shuffle
    return channel_shuffle(input, groups)


__all__ = [
    "BroadcastingList1", "BroadcastingList2", "BroadcastingList3", "Callable", "DType",
    "GRID_SAMPLE_INTERPOLATION_MODES", "GRID_SAMPLE_PADDING_MODES", "Optional",
    "TYPE_CHECKING", "Tensor", "assert_int_or_pair", "boolean_dispatch", "handle_torch_function",
    "has_torch_function", "has_torch_function_unary", "has_torch_function_variadic",
    "local_response_norm", "native_channel_shuffle", "pdist", "reproducibility_notes",
    "rms_norm", "rrelu", "rrelu_", "sparse_support_notes", "tf32_notes"]
