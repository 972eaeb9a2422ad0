"""torch.nn.functional on jtorch's op table (each activation/loss is one fused op)."""
from __future__ import annotations


import jtorch
from .._dispatch import call_inplace
from .._ops import nn_act, nn_norm, nn_ops
from .._ops.linalg import _cpp_name
from .._ops.registry import OPS


def _inplace(opname, input, *args, **kwargs):
    return call_inplace(OPS[opname], input, args, kwargs)


def relu(input, inplace=False):
    return jtorch.relu_(input) if inplace else jtorch.relu(input)


def relu_(input):
    return jtorch.relu_(input)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    if inplace:
        return _inplace("_leaky_relu", input, negative_slope)
    return nn_ops._leaky_relu(input, negative_slope)


def leaky_relu_(input, negative_slope=0.01):
    return _inplace("_leaky_relu", input, negative_slope)


def elu(input, alpha=1.0, inplace=False):
    return _inplace("_elu", input, alpha) if inplace else nn_ops._elu(input, alpha)


def elu_(input, alpha=1.0):
    return _inplace("_elu", input, alpha)


def gelu(input, approximate="none"):
    return nn_ops._gelu(input, approximate)


def silu(input, inplace=False):
    return _inplace("_silu", input) if inplace else nn_ops._silu(input)


def sigmoid(input):
    return jtorch.sigmoid(input)


def tanh(input):
    return jtorch.tanh(input)


# ------------------------------------------------------------------ more activations
def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    if inplace:
        return _inplace("_hardtanh", input, min_val, max_val)
    return nn_act._hardtanh(input, min_val, max_val)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return _inplace("_hardtanh", input, min_val, max_val)


def relu6(input, inplace=False):
    return hardtanh(input, 0.0, 6.0, inplace)


def threshold(input, threshold, value, inplace=False):
    if inplace:
        return _inplace("_threshold", input, threshold, value)
    return nn_act._threshold(input, threshold, value)


def threshold_(input, threshold, value):
    return _inplace("_threshold", input, threshold, value)


def selu(input, inplace=False):
    return _inplace("_selu", input) if inplace else nn_act._selu(input)


def selu_(input):
    return _inplace("_selu", input)


def celu(input, alpha=1.0, inplace=False):
    return _inplace("_celu", input, alpha) if inplace else nn_act._celu(input, alpha)


def celu_(input, alpha=1.0):
    return _inplace("_celu", input, alpha)


def softplus(input, beta=1.0, threshold=20.0):
    return nn_act._softplus(input, beta, threshold)


def mish(input, inplace=False):
    return _inplace("_mish", input) if inplace else nn_act._mish(input)


def hardswish(input, inplace=False):
    return _inplace("_hardswish", input) if inplace else nn_act._hardswish(input)


def hardsigmoid(input, inplace=False):
    return _inplace("_hardsigmoid", input) if inplace else nn_act._hardsigmoid(input)


def logsigmoid(input):
    return nn_act._logsigmoid(input)


def softshrink(input, lambd=0.5):
    return nn_act._softshrink(input, lambd)


def hardshrink(input, lambd=0.5):
    return nn_act._hardshrink(input, lambd)


def tanhshrink(input):
    return input - jtorch.tanh(input)


def softsign(input):
    return input / (input.abs() + 1)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        dim = _softmax_dim(input.dim())
    return softmax(-input, dim, dtype=dtype)


def prelu(input, weight):
    channels = input.shape[1] if input.dim() >= 2 else 1
    if weight.numel() != 1 and weight.numel() != channels:
        raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found "
                           f"parameter numbers = {weight.numel()} and channel size = "
                           f"{channels}.")
    if input.dtype != weight.dtype and not jtorch.is_autocast_enabled(input.device.type):
        raise RuntimeError(f"prelu: Type promoting not supported. Got {input.type()[6:-6]} and "
                           f"{weight.type()[6:-6]}")     # (torch.LongTensor -> Long)
    return nn_act._prelu(input, weight)


def glu(input, dim=-1):
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = dim % input.dim()
    if input.shape[d] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size "
                           f"{input.shape[d]}")
    return nn_act._glu(input, d)


# ------------------------------------------------------------------ normalisation, embedding
def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-05):
    """torch's batch_norm: batch statistics in training (and the running ones updated in
    place, unbiased variance), the running statistics otherwise."""
    c = input.shape[1] if input.dim() > 1 else 1
    for name, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        if t is not None and t.numel() != c:
            raise RuntimeError(f"{name} should contain {c} elements not {t.numel()}")
    if training:
        size = input.numel() // c
        if size == 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got "
                             f"input size {input.shape}")
        if running_mean is not None:
            with jtorch.no_grad():
                mean, var = nn_norm._batch_stats(input.detach())
                running_mean.mul_(1 - momentum).add_(mean * momentum)
                running_var.mul_(1 - momentum).add_(var * momentum)
    use_batch = training or running_mean is None
    return nn_norm._batch_norm(input, weight, bias, None if use_batch else running_mean,
                               None if use_batch else running_var, use_batch, eps)


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats=True, momentum=0.1, eps=1e-05):
    """Each sample's channels normalised on their own: batch_norm over (1, N*C, ...)."""
    n, c = input.shape[0], input.shape[1]
    x = input.reshape((1, n * c) + tuple(input.shape[2:]))
    rep = (lambda t: None if t is None else t.repeat(n))
    rm, rv = rep(running_mean), rep(running_var)
    out = batch_norm(x, rm, rv, rep(weight), rep(bias), use_input_stats, momentum, eps)
    if running_mean is not None and use_input_stats:
        with jtorch.no_grad():
            running_mean.copy_(rm.view(n, c).mean(0))
            running_var.copy_(rv.view(n, c).mean(0))
    return out.view(input.shape)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05):
    shape = tuple(normalized_shape) if not isinstance(normalized_shape, int) \
        else (normalized_shape,)
    if tuple(input.shape[input.dim() - len(shape):]) != shape:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*, {', '.join(map(str, shape))}], but got input of "
                           f"size{list(input.shape)}")
    return nn_norm._layer_norm(input, weight, bias, shape, eps)


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05):
    if input.shape[1] % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by "
                           f"num_groups, but got input of shape {input.shape} and num_groups="
                           f"{num_groups}")
    return nn_norm._group_norm(input, weight, bias, num_groups, eps)


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    if padding_idx is not None and padding_idx < 0:
        padding_idx += weight.shape[0]
    if max_norm is not None:
        _embedding_renorm_(weight, input, max_norm, norm_type)
    if input.dtype not in (jtorch.int64, jtorch.int32):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the "
                           "following scalar types: Long, Int; but got "
                           f"{input.type()} instead (while checking arguments for embedding)")
    if input.numel() and not jtorch.compiler.is_compiling() and \
            not bool(((input >= 0) & (input < weight.shape[0])).all()):
        raise IndexError("index out of range in self")     # (torch's CPU kernel checks too)
    return nn_norm._embedding(weight, input, padding_idx)


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False,
                  mode="mean", sparse=False, per_sample_weights=None, include_last_offset=False,
                  padding_idx=None):
    """Bags from 2-D ``input`` (one bag per row) or 1-D ``input`` cut at ``offsets``."""
    if mode not in ("sum", "mean", "max"):
        raise ValueError(f"mode has to be one of sum, mean or max, but got {mode}")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(f"embedding_bag: per_sample_weights was not None. "
                                  f"per_sample_weights is only supported for mode='sum' (got "
                                  f"mode='{mode}'). Please open a feature request on GitHub.")
    _check_bag_dtypes(input, weight)
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated "
                             "is a mini-batch of fixed length sequences. However, found offsets "
                             f"of type {type(offsets).__name__}")
        n_bags, length = input.shape
        bags = jtorch.arange(n_bags).repeat_interleave(length)
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        starts = [int(o) for o in offsets.tolist()]
        if include_last_offset:
            starts = starts[:-1]
        n_bags = len(starts)
        bounds = starts + [input.shape[0]]
        bags = jtorch.tensor([b for b in range(n_bags)
                              for _ in range(bounds[b + 1] - bounds[b])], dtype=jtorch.int64)
    else:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension "
                         f"{input.dim()}")
    _check_bag_indices(input, weight.shape[0])
    if padding_idx is not None and padding_idx < 0:
        padding_idx += weight.shape[0]
    if max_norm is not None:
        _embedding_renorm_(weight, input, max_norm, norm_type)
    return nn_norm._embedding_bag(weight, input, bags, per_sample_weights, n_bags, mode,
                                  padding_idx)


def _check_bag_indices(input, n):
    """torch's CPU kernel checks every index (the first bad one is named)."""
    if not input.numel() or jtorch.compiler.is_compiling():
        return
    bad = input[(input < 0) | (input >= n)]
    if bad.numel():
        raise RuntimeError(f"embedding_bag: Expected idx >= 0 && idx < num_embeddings but found "
                           f"idx to be {int(bad[0])}")


def _check_bag_dtypes(input, weight):
    where = " (while checking arguments for embedding_bag)"
    if input.dtype not in (jtorch.int64, jtorch.int32):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the "
                           f"following scalar types: Long, Int; but got {input.type()} "
                           f"instead{where}")
    if weight.dtype not in (jtorch.float16, jtorch.bfloat16, jtorch.float32, jtorch.float64):
        raise RuntimeError("Expected tensor for argument #1 'weight' to have one of the "
                           "following scalar types: Half, BFloat16, Float, Double; but got "
                           f"{weight.type()} instead{where}")


def bilinear(input1, input2, weight, bias=None):
    _check_bilinear(input1, input2, weight, bias)
    out = nn_ops._bilinear(input1, input2, weight)
    return out if bias is None else out + bias


def _check_bilinear(input1, input2, weight, bias):
    """torch's bilinear argument errors (JAX's einsum would word them its own way)."""
    named = [("input1", input1), ("input2", input2), ("weight", weight)] + \
        ([("bias", bias)] if bias is not None else [])
    if len({t.dtype for _, t in named}) > 1 and \
            not jtorch.is_autocast_enabled(input1.device.type):     # (it casts them)
        got = ", ".join(f"{n}: {_cpp_name(t.dtype)}" for n, t in named)
        raise RuntimeError(f"All tensors must have the same dtype, got {got}")
    if input1.dim() != input2.dim():
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.dim()} and "
                           f"{input2.dim()}")
    for k, (n, t) in enumerate(named[:2]):
        if weight.dim() == 3 and t.shape[-1] != weight.shape[k + 1]:
            raise RuntimeError(f"bilinear(): {n} size does not match weight size: got "
                               f"{t.shape[-1]} but expected {weight.shape[k + 1]}")
    if bias is not None and bias.shape[-1:] != weight.shape[:1]:
        raise RuntimeError(f"bilinear(): bias size does not match weight size: got "
                           f"{bias.shape[-1]} but expected {weight.shape[0]}")


def _embedding_renorm_(weight, input, max_norm, norm_type):
    """Rescale (in place, without gradient) the looked-up rows whose norm exceeds max_norm."""
    with jtorch.no_grad():
        rows = jtorch.unique(input.reshape(-1))
        norms = weight[rows].norm(norm_type, dim=1, keepdim=True)
        scale = jtorch.where(norms > max_norm, max_norm / (norms + 1e-7),
                             jtorch.ones_like(norms))
        weight[rows] = weight[rows] * scale


def _softmax_dim(ndim):
    return 0 if ndim in (0, 1, 3) else 1  # torch's legacy implicit-dim rule


def _softmax_of(op, input, dim, dtype):
    if dim is None:
        dim = _softmax_dim(input.dim())
    x = input if dtype is None else input.to(dtype)
    if x.numel() == 0 and not (x.is_floating_point() or x.is_complex()):
        x.size(dim)     # (the dim check) torch runs no kernel on an empty input, so an
        # integral or bool one comes back as a fresh contiguous copy, not refused
        return x.clone(memory_format=jtorch.contiguous_format)
    return op(x, dim)


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    return _softmax_of(nn_ops._softmax, input, dim, dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    return _softmax_of(nn_ops._log_softmax, input, dim, dtype)


def dropout(input, p=0.5, training=True, inplace=False):
    """torch's CPU dropout: mask = bernoulli_(1 - p) / (1 - p); output = input * mask."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * jtorch.zeros_like(input)
    with jtorch.no_grad():
        noise = jtorch.empty_like(input).bernoulli_(1 - p)
        noise.div_(1 - p)
    return input.mul_(noise) if inplace else input * noise


def linear(input, weight, bias=None):
    """``input @ weight.T + bias`` — addmm for 2-D input (torch's AddmmBackward0)."""
    if input.dim() == 2 and bias is not None:
        return jtorch.addmm(bias, input, weight.t())
    out = jtorch.matmul(input, weight.t())
    return out + bias if bias is not None else out


def _reduction(size_average, reduce, reduction):
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    return ("mean" if size_average else "sum") if reduce else "none"


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    return nn_ops._mse_loss(input, target, _reduction(size_average, reduce, reduction))


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    if weight is not None:
        from ._composite_losses import weighted_l1_loss
        return weighted_l1_loss(input, target, _reduction(size_average, reduce, reduction),
                                weight)
    return nn_ops._l1_loss(input, target, _reduction(size_average, reduce, reduction))


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    if input.dim() > 1 and target.dim() and target.shape[0] != input.shape[0]:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target "
                         f"batch_size ({target.shape[0]}).")
    nd = input.dim() == 3 or input.dim() > 4
    if nd and tuple(target.shape[1:]) != tuple(input.shape[2:]):
        raise RuntimeError(f"Expected target size {[input.shape[0], *input.shape[2:]]}, got "
                           f"{list(target.shape)}")
    if input.dim() == 4:            # torch's 2-D kernel's own checks
        if target.dim() != 3:
            raise RuntimeError("only batches of spatial targets supported (3D tensors) but got "
                               f"targets of dimension: {target.dim()}")
        if target.shape != (input.shape[0], *input.shape[2:]):
            raise RuntimeError(f"size mismatch (got input: {list(input.shape)} , target: "
                               f"{list(target.shape)}")
    _check_nll_target(input, target, ignore_index)
    reduction = _reduction(size_average, reduce, reduction)
    if nd:
        return _nll_loss_nd(input, target, weight, reduction, ignore_index)
    return nn_ops._nll_loss(input, target, weight, reduction, ignore_index)


def _nll_loss_nd(input, target, weight, reduction, ignore_index):
    """torch views a 3-D or 5+-D input as (N, C, 1, -1) for its 2-D kernel (and a "none"
    result back to the targets' shape): the same graph, NllLoss2DBackward0 between views."""
    n, c = input.shape[0], input.shape[1]
    x = input.contiguous().view(n, c, 1, -1) if input.numel() else input.view(n, c, 0, 0)
    t = target.contiguous().view(n, 1, -1) if target.numel() else target.view(n, 0, 0)
    out = nn_ops._nll_loss(x, t, weight, reduction, ignore_index)
    return out.view(n, *input.shape[2:]) if reduction == "none" else out


def _check_nll_target(input, target, ignore_index):
    """torch's target checks (its CPU kernel reads the targets: so does this)."""
    if input.dim() <= 2 and target.dim() > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if target.dtype not in (jtorch.int64, jtorch.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                           f"{target.type().rsplit('.', 1)[-1][:-len('Tensor')]}")
    if jtorch.compiler.is_compiling():
        return      # (traced values cannot be read: compiled code skips the value check)
    n_classes = input.shape[1] if input.dim() > 1 else input.shape[0]
    bad = ((target < 0) | (target >= n_classes)) & (target != ignore_index)
    if target.numel() and bool(bad.any()):
        raise IndexError(f"Target {int(target[bad].reshape(-1)[0])} is out of bounds.")


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100,
                  reduce=None, reduction="mean", label_smoothing=0.0):
    from ._composite_losses import cross_entropy_impl
    return cross_entropy_impl(input, target, weight, ignore_index,
                              _reduction(size_average, reduce, reduction), label_smoothing,
                              log_softmax, nll_loss)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input "
                         f"size ({input.shape}) is deprecated. Please ensure they have the same "
                         "size.")
    return nn_ops._bce(input, target, weight, _reduction(size_average, reduce, reduction))


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None,
                                     reduce=None, reduction="mean", pos_weight=None):
    return nn_ops._bce_with_logits(input, target, weight, pos_weight,
                                   _reduction(size_average, reduce, reduction))


def one_hot(tensor, num_classes=-1):
    if num_classes == -1:
        num_classes = int(tensor.max().item()) + 1
    return (tensor.unsqueeze(-1) == jtorch.arange(num_classes)).long()


def flatten(input, start_dim=0, end_dim=-1):
    return jtorch.flatten(input, start_dim, end_dim)


from ._losses import *  # noqa: E402,F401,F403
from ._spatial import *  # noqa: E402,F401,F403
from ._pooling import *  # noqa: E402,F401,F403
from ._attention import *  # noqa: E402,F401,F403
from ._attention import _canonical_mask  # noqa: E402,F401
from ._functional_namespace import *  # noqa: E402,F401,F403
from ._pool_variants import *  # noqa: E402,F401,F403
from ._composite_losses import *  # noqa: E402,F401,F403

__all__ = [n for n in dir() if not n.startswith("_") and n not in ("math", "jtorch", "annotations",
                                                                   "call_inplace", "nn_ops",
                                                                   "nn_act", "nn_norm", "OPS",
                                                                   "nn_pool", "warnings", "F", "copy")]


from ._functional_guard import guard_all as _guard_all  # noqa: E402

_guard_all(globals(), __all__)
