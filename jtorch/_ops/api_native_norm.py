"""torch.native_batch_norm / native_layer_norm / native_group_norm: the normalised output
(the nn_norm op, with torch's node name) plus the statistics torch's kernels return.

The statistics are composed from public ops: batch and layer norm return them detached (torch
marks them non-differentiable), group norm's are differentiable in torch, so they keep their
graph here (their nodes are MeanBackward0/RsqrtBackward0 where torch's share the output's
NativeGroupNormBackward0)."""
import jtorch
from jtorch.nn import functional as F


def _empty_stat(input):
    return jtorch.empty((0,), dtype=input.dtype, device=input.device)


def native_batch_norm(input, weight, bias, running_mean, running_var, training, momentum,
                      eps, *, out=None):
    """(output, save_mean, save_invstd); the saved statistics are the batch's mean and
    1/sqrt(biased var + eps) in training, empty tensors otherwise."""
    with jtorch.no_grad():   # statistics of the input before the running stats move
        if training:
            axes = [0] + list(range(2, input.dim()))
            x = input.detach()
            save_mean = x.mean(axes)
            save_invstd = jtorch.rsqrt(x.var(axes, unbiased=False) + eps)
        else:
            save_mean, save_invstd = _empty_stat(input), _empty_stat(input)
    output = F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum,
                          eps)
    return output, save_mean, save_invstd


def native_layer_norm(input, normalized_shape, weight, bias, eps, *, out=None):
    """(output, mean, rstd); mean and rstd keep size-1 dims over ``normalized_shape``."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else \
        tuple(normalized_shape)
    output = F.layer_norm(input, shape, weight, bias, eps)
    axes = list(range(input.dim() - len(shape), input.dim()))
    with jtorch.no_grad():
        x = input.detach()
        mean = x.mean(axes, keepdim=True)
        rstd = jtorch.rsqrt(x.var(axes, unbiased=False, keepdim=True) + eps)
    return output, mean, rstd


def native_group_norm(input, weight, bias, N, C, HxW, group, eps, *, out=None):
    """(output, mean, rstd); mean and rstd have shape (N, group) and are differentiable."""
    output = F.group_norm(input, group, weight, bias, eps)
    g = input.reshape(N, group, -1)
    mean = g.mean(-1)
    rstd = jtorch.rsqrt(g.var(-1, unbiased=False) + eps)
    return output, mean, rstd
