"""More of torch.nn.functional (issue 18): rms_norm, local_response_norm, max_unpool, lp_pool3d,
rrelu, multilabel_margin_loss, triplet_margin_with_distance_loss, cross_entropy's label
smoothing and probability targets, and the small public helpers torch's module exposes.
Compositions follow torch's own op order so values, gradients and grad_fn names match."""
from __future__ import annotations

import math
from typing import Callable, Optional  # noqa: F401  (torch's module exposes these names)

import numpy as np

import jtorch
from .._ops import nn_more_ops
from .._ops.registry import OPS
from .._tensor import Tensor  # noqa: F401
from ._losses import _legacy, _reduce
from ._spatial import _avg_pool, _ntuple

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


# ------------------------------------------------------------------ pooling
def adaptive_max_pool1d_with_indices(input, output_size, return_indices=False):
    from .functional import adaptive_max_pool1d
    return adaptive_max_pool1d(input, output_size, True)


def adaptive_max_pool2d_with_indices(input, output_size, return_indices=False):
    from .functional import adaptive_max_pool2d
    return adaptive_max_pool2d(input, output_size, True)


def adaptive_max_pool3d_with_indices(input, output_size, return_indices=False):
    from .functional import adaptive_max_pool3d
    return adaptive_max_pool3d(input, output_size, True)


def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    # torch's composition: (sign(avg) * relu(|avg|) * kernel_volume) ** (1 / p)
    k = _ntuple(kernel_size, 3)
    out = _avg_pool(3, input.pow(norm_type), k, stride, 0, ceil_mode, True, None)
    return (jtorch.sign(out) * jtorch.relu(jtorch.abs(out))).mul(math.prod(k)) \
        .pow(1.0 / norm_type)


def _unpool_size(n, input, kernel_size, stride, padding, output_size):
    k = _ntuple(kernel_size, n)
    s = k if stride is None else _ntuple(stride, n)
    p = _ntuple(padding, n)
    spatial = input.shape[-n:]
    default = [(spatial[i] - 1) * s[i] + k[i] - 2 * p[i] for i in range(n)]
    if output_size is None:
        return tuple(default)
    out = list(output_size)
    if len(out) == n + 2:
        out = out[2:]
    elif len(out) == n + 1 and len(out) != n:
        out = out[1:]
    if len(out) != n:
        raise ValueError(f"output_size should be a sequence containing {n} or {n + 2} elements, "
                         f"but it has a length of '{len(output_size)}'")
    for d in range(n):
        lo, hi = default[d] - s[d], default[d] + s[d]
        if not lo < out[d] < hi:
            raise ValueError(f'invalid output_size "{tuple(output_size)}" (dim {d} must be '
                             f"between {lo} and {hi})")
    return tuple(int(v) for v in out)


def _max_unpool(n, input, indices, kernel_size, stride, padding, output_size):
    size = _unpool_size(n, input, kernel_size, stride, padding, output_size)
    if indices.dtype != jtorch.int64:
        raise RuntimeError(f"elements in indices should be type int64 but got: "
                           f"{str(indices.dtype)[6:].capitalize()}")
    if tuple(indices.shape) != tuple(input.shape):
        raise RuntimeError("Expected shape of indices to be same as that of the input tensor")
    plane = math.prod(size)
    if indices.numel():
        top = int(indices.max().item())
        low = int(indices.min().item())
        if top >= plane or low < 0:
            bad = top if top >= plane else low
            raise RuntimeError(f"Found an invalid max index: {bad} (output volumes are of size "
                               f"{'x'.join(map(str, size))})")
    if n == 1:      # torch runs the 1-d unpool through the 2-d kernel, then squeezes
        out = nn_more_ops._max_unpool(input.unsqueeze(-2), indices.unsqueeze(-2), (1,) + size)
        return out.squeeze(-2)
    return nn_more_ops._max_unpool(input, indices, size)


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    return _max_unpool(1, input, indices, kernel_size, stride, padding, output_size)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    return _max_unpool(2, input, indices, kernel_size, stride, padding, output_size)


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    return _max_unpool(3, input, indices, kernel_size, stride, padding, output_size)


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
    from ._spatial import avg_pool2d, avg_pool3d
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
    return nn_more_ops._rrelu_with_noise(input, noise)


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    return rrelu(input, lower, upper, training, True)


# ------------------------------------------------------------------ losses
def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    return nn_more_ops._multilabel_margin_loss(input, target,
                                               _legacy(size_average, reduce, reduction))


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None,
                                      margin=1.0, swap=False, reduction="mean"):
    from ._losses import pairwise_distance
    if margin <= 0:
        raise ValueError(f"TripletMarginWithDistanceLoss: expected margin to be greater than 0, "
                         f"got {margin} instead")
    a, p, n = anchor.dim(), positive.dim(), negative.dim()
    if not (a == p == n):
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the "
                           f"same number of dimensions, but got: anchor {a}D, positive {p}D, "
                           f"and negative {n}D inputs")
    dist = distance_function if distance_function is not None else pairwise_distance
    d_pos = dist(anchor, positive)
    d_neg = dist(anchor, negative)
    if swap:
        d_neg = jtorch.minimum(d_neg, dist(positive, negative))
    loss = jtorch.clamp_min(margin + d_pos - d_neg, 0)
    return _reduce(loss, reduction)


def _ce_smoothed(logp, target, weight, ignore_index, reduction, label_smoothing, nll):
    """torch's class-index cross entropy with label smoothing: a mix of the NLL term and the
    mean negative log-probability over classes."""
    class_dim = 0 if logp.dim() == 1 else 1
    n_classes = logp.shape[class_dim]
    loss = nll(logp, target, weight, None, ignore_index, None, reduction)
    ignore = target == ignore_index
    if weight is not None:
        shape = [1] * logp.dim()
        shape[class_dim] = weight.shape[0]
        smooth = -(logp * weight.view(shape)).sum(class_dim)
    else:
        smooth = -logp.sum(class_dim)
    smooth = smooth.masked_fill(ignore, 0.0)
    if reduction == "mean":
        if weight is not None:
            ret = smooth.sum() / weight.gather(0, target.masked_select(~ignore).flatten()).sum()
        else:
            ret = smooth.sum() / (~ignore).sum()
    elif reduction == "sum":
        ret = smooth.sum()
    else:
        ret = smooth
    return (1 - label_smoothing) * loss + ret * (label_smoothing / n_classes)


def _ce_probs(logp, target, weight, reduction, label_smoothing):
    """torch's cross entropy with class-probability targets."""
    class_dim = 0 if logp.dim() == 1 else 1
    n_classes = logp.shape[class_dim]
    if label_smoothing > 0:
        target = target * (1 - label_smoothing) + (label_smoothing / n_classes)
    prod = logp * target
    if weight is not None:
        if logp.dim() > 1:
            shape = [1] * logp.dim()
            shape[class_dim] = n_classes
            weight = weight.view(shape)
        prod = prod * weight
    if reduction == "mean":
        if logp.numel() == 0:
            return -prod.sum().fill_(float("nan"))
        return -prod.sum() / (logp.numel() / n_classes)
    if reduction == "sum":
        return -prod.sum()
    return -prod.sum(class_dim)


def cross_entropy_impl(input, target, weight, ignore_index, reduction, label_smoothing,
                       log_softmax, nll):
    """The body of ``F.cross_entropy`` (called by functional.py) after the legacy
    ``size_average``/``reduce`` arguments are folded into ``reduction``."""
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: "
                           f"{label_smoothing}")
    if input.dim() > 1 and target.dim() and target.shape[0] != input.shape[0]:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target "
                         f"batch_size ({target.shape[0]}).")
    class_dim = 0 if input.dim() == 1 else 1
    logp = log_softmax(input, class_dim)
    if target.is_floating_point() and tuple(target.shape) == tuple(input.shape):
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        return _ce_probs(logp, target, weight, reduction, label_smoothing)
    if label_smoothing > 0:
        return _ce_smoothed(logp, target, weight, ignore_index, reduction, label_smoothing, nll)
    return nll(logp, target, weight, None, ignore_index, None, reduction)


# ------------------------------------------------------------------ aliases of torch.* ops
def pdist(input, p=2):
    return jtorch.pdist(input, p)


def native_channel_shuffle(input, groups):
    from ._spatial import channel_shuffle
    return channel_shuffle(input, groups)


__all__ = [
    "BroadcastingList1", "BroadcastingList2", "BroadcastingList3", "Callable", "DType",
    "GRID_SAMPLE_INTERPOLATION_MODES", "GRID_SAMPLE_PADDING_MODES", "Optional",
    "TYPE_CHECKING", "Tensor", "adaptive_max_pool1d_with_indices",
    "adaptive_max_pool2d_with_indices", "adaptive_max_pool3d_with_indices",
    "assert_int_or_pair", "boolean_dispatch", "handle_torch_function", "has_torch_function",
    "has_torch_function_unary", "has_torch_function_variadic", "local_response_norm",
    "lp_pool3d", "max_unpool1d", "max_unpool2d", "max_unpool3d", "multilabel_margin_loss",
    "native_channel_shuffle", "pdist", "reproducibility_notes", "rms_norm", "rrelu", "rrelu_",
    "sparse_support_notes", "tf32_notes", "triplet_margin_with_distance_loss"]


def weighted_l1_loss(input, target, reduction, weight):
    """``F.l1_loss(weight=)``: torch composes it in Python (abs error times weight)."""
    i, t = jtorch.broadcast_tensors(input, target)
    if weight.size() != input.size():
        raise ValueError("Weights and input must have the same size.")
    loss = jtorch.abs(i - t) * weight
    if reduction == "none":
        return loss
    if reduction == "sum":
        return jtorch.sum(loss)
    if reduction == "mean":
        return jtorch.sum(loss) / jtorch.sum(weight)
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', "
                     "'sum'.")


def linear_cross_entropy(input, linear_weight, target, *, linear_bias=None, weight=None,
                         reduction="mean", ignore_index=None, label_smoothing=0.0,
                         options=None):
    """cross_entropy(linear(input)) with torch's checks. torch's ``options`` select a
    memory-saving chunked kernel on the same values; jtorch computes it in one piece (XLA
    keeps only what the gradient needs), so ``options`` changes nothing here."""
    from .functional import cross_entropy, linear
    if input.dim() < 1 or input.dim() > 2:
        raise RuntimeError(f"expected input with dimensionality 1 or 2, got {input.dim()}")
    if linear_weight.dim() < 2:
        raise RuntimeError(f"expected linear_weight with dimensionality at least 2, got "
                           f"{linear_weight.dim()}")
    batches, in_features = tuple(input.shape[:-1]), input.shape[-1]
    if in_features != linear_weight.shape[-1]:
        raise RuntimeError(f"expected equal input and linear_weight last dimensions "
                           f"(in_features), got {input.shape[-1]} and "
                           f"{linear_weight.shape[-1]}, respectively")
    n_classes, out_features = linear_weight.shape[0], tuple(linear_weight.shape[1:-1])
    if linear_bias is not None and tuple(linear_bias.shape) != (n_classes, *out_features):
        raise RuntimeError(f"expected linear_bias shape {(n_classes, *out_features)}, got "
                           f"{tuple(linear_bias.shape)}")
    if out_features and not batches:
        raise RuntimeError(f"K-dimensional loss defined by linear_weight shape "
                           f"{tuple(linear_weight.shape)} requires batched input, (N, "
                           f"{in_features}), got unbatched input with shape "
                           f"{tuple(input.shape)}")
    logits_shape = (*batches, n_classes, *out_features)
    if tuple(target.shape) == logits_shape and ignore_index is not None:
        raise RuntimeError("ignore_index cannot be specified when target contains "
                           "probabilities")
    ignore_index = -100 if ignore_index is None else ignore_index
    if out_features:
        rows = math.prod(out_features) * n_classes
        linear_weight = linear_weight.reshape((rows, in_features))
        if linear_bias is not None:
            linear_bias = linear_bias.reshape(rows)
    logits = linear(input, linear_weight, linear_bias).reshape(logits_shape)
    return cross_entropy(logits, target, weight=weight, reduction=reduction,
                         ignore_index=ignore_index, label_smoothing=label_smoothing)


__all__ += ["linear_cross_entropy"]


# ------------------------------------------------------------------ fractional max pooling
def _intervals(sample, size, out, k, np_dtype):
    """torch's window starts along one dim: from the plane's uniform sample, computed in the
    input's floating type."""
    if out > 1:
        alpha = np_dtype(size - k) / np_dtype(out - 1)
        s = np_dtype(sample)
        seq = [int((np_dtype(i) + s) * alpha) - int(s * alpha) for i in range(out - 1)]
    else:
        seq = []
    return tuple(seq + [size - k])


_FRACTIONAL_DIM_MSG = {
    2: "fractional_max_pool2d(): Expected 3D or 4D tensor, but got: {}",
    3: "fractional_max_pool3d_out(): Expected 4D or 5D tensor, but got: {}"}


def _check_samples(input, samples, n):
    """torch's errors for ``_random_samples`` that do not fit the input (one row of ``n``
    draws per batch entry and channel, in the input's dtype)."""
    if samples.dtype != input.dtype:
        raise RuntimeError("Expect _random_samples to have the same dtype as input")
    if samples.dim() != 3:
        raise RuntimeError(f"Expect _random_samples to have 3 dimensions, got {samples.dim()}")
    if input.dim() == n + 2 and samples.shape[0] < input.shape[0]:
        raise RuntimeError("Expect _random_samples.size(0) no less than input batch size.")
    if samples.shape[1] != input.shape[-n - 1]:
        raise RuntimeError("Expect _random_samples.size(1) equals to input channel size.")
    if samples.shape[2] != n:
        raise RuntimeError(f"Expect _random_samples.size(2) equals to {n}; got "
                           f"{samples.shape[2]}.")


def _fractional(n, input, kernel_size, output_size, output_ratio, return_indices, samples):
    name = f"fractional_max_pool{n}d"
    if output_size is None and output_ratio is None:
        raise ValueError(f"{name} requires specifying either an output_size or an output_ratio")
    if output_size is None:
        if n == 2 and len(output_ratio) > 2:
            raise ValueError(f"{name} requires output_ratio to either be a single Int or tuple "
                             "of Ints.")
        ratio = _ntuple(output_ratio, n)
        output_size = [int(input.size(-n + d) * ratio[d]) for d in range(n)]
    k, out = _ntuple(kernel_size, n), _ntuple(output_size, n)
    if samples is None:
        batch = 1 if input.dim() == n + 1 else input.size(0)
        samples = jtorch.rand(batch, input.size(-n - 1), n, dtype=input.dtype)
    if input.dim() not in (n + 1, n + 2):
        raise RuntimeError(_FRACTIONAL_DIM_MSG[n].format(list(input.shape), input.dim()))
    _check_samples(input, samples, n)
    spatial = input.shape[-n:]
    dims = ("time", "height", "width")[3 - n:]
    for d in range(n):
        # torch's 3-d kernel wants a strictly smaller span than the input
        if out[d] + k[d] - 1 > spatial[d] - (n == 3):
            raise RuntimeError(f"{name}{'_out' * (n == 3)}(): pool {dims[d]} {k[d]} too large "
                               f"relative to input {dims[d]} {spatial[d]}")
    np_dtype = np.float64 if input.dtype == jtorch.float64 else np.float32
    # (torch reads the first rows: one per batch entry, one for an unbatched input)
    rows = 1 if input.dim() == n + 1 else input.shape[0]
    draws = np.asarray(samples.detach()[:rows]._value()).reshape(-1, n)
    # a plane's samples go (width, height) in 2-d and (time, height, width) in 3-d
    order = (1, 0) if n == 2 else (0, 1, 2)
    starts = tuple(tuple(_intervals(row[order[d]], spatial[d], out[d], k[d], np_dtype)
                         for d in range(n)) for row in draws)
    values, indices = nn_more_ops._fractional_max_pool(input, starts, k)
    return (values, indices) if return_indices else values


def fractional_max_pool2d_with_indices(input, kernel_size, output_size=None, output_ratio=None,
                                       return_indices=False, _random_samples=None):
    return _fractional(2, input, kernel_size, output_size, output_ratio, True, _random_samples)


def fractional_max_pool3d_with_indices(input, kernel_size, output_size=None, output_ratio=None,
                                       return_indices=False, _random_samples=None):
    return _fractional(3, input, kernel_size, output_size, output_ratio, True, _random_samples)


def fractional_max_pool2d(input, kernel_size, output_size=None, output_ratio=None,
                          return_indices=False, _random_samples=None):
    return _fractional(2, input, kernel_size, output_size, output_ratio, return_indices,
                       _random_samples)


def fractional_max_pool3d(input, kernel_size, output_size=None, output_ratio=None,
                          return_indices=False, _random_samples=None):
    return _fractional(3, input, kernel_size, output_size, output_ratio, return_indices,
                       _random_samples)


__all__ += ["fractional_max_pool2d", "fractional_max_pool3d",
            "fractional_max_pool2d_with_indices", "fractional_max_pool3d_with_indices"]
