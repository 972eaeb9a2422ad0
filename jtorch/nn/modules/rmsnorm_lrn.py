"""RMSNorm, LocalResponseNorm and CrossMapLRN2d (torch's legacy cross-channel LRN, an
autograd Function with its own running-sum forward and hand-written backward)."""
from __future__ import annotations

import numbers

import jtorch
from ...autograd import Function
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module


class RMSNorm(Module):
    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, device=None,
                 dtype=None):
        super().__init__()
        if isinstance(normalized_shape, numbers.Integral):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(jtorch.empty(self.normalized_shape, dtype=dtype))
        else:
            self.register_parameter("weight", None)
        self.reset_parameters()

    def reset_parameters(self):
        if self.elementwise_affine:
            init.ones_(self.weight)

    def forward(self, x):
        return F.rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")


class _ResponseNorm(Module):
    """The hyperparameters and repr of both local response norms (the legacy CrossMapLRN2d's
    default ``k`` is the int 1, and prints so)."""

    def __init__(self, size, alpha, beta, k):
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def extra_repr(self):
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"


class LocalResponseNorm(_ResponseNorm):
    def __init__(self, size, alpha=0.0001, beta=0.75, k=1.0):
        super().__init__(size, alpha, beta, k)

    def forward(self, input):
        return F.local_response_norm(input, self.size, self.alpha, self.beta, self.k)


class _CrossMapLRN2dFunction:
    """torch's legacy LRN kernel. The channel window sum is a running sum in torch's order
    (its window is asymmetric for even sizes: it adds ``pre_pad`` channels ahead and drops
    one behind only past ``pre_pad``), so the values follow torch's rounding too."""

    @staticmethod
    def forward(ctx, input, size, alpha=1e-4, beta=0.75, k=1):
        if input.dim() != 4:
            raise ValueError(f"CrossMapLRN2d: Expected input to be 4D, got {input.dim()}D "
                             "instead.")
        ctx.size, ctx.alpha, ctx.beta, ctx.k = size, alpha, beta, k
        channels = input.size(1)
        square = input.pow(2)
        pre_pad = int((size - 1) / 2 + 1)
        first = jtorch.zeros_like(square[:, 0])
        for c in range(min(pre_pad, channels)):
            first = first + square[:, c]
        planes = [first]
        for c in range(1, channels):
            cur = planes[-1]
            if c < channels - pre_pad + 1:
                cur = cur + square[:, c + pre_pad - 1]
            if c > pre_pad:
                cur = cur - square[:, c - pre_pad]
            planes.append(cur)
        scale = jtorch.stack(planes, 1).mul(alpha / size).add(k)
        output = jtorch.pow(scale, -beta).mul(input)
        ctx.save_for_backward(input, output)
        ctx.scale = scale
        return output

    @staticmethod
    def backward(ctx, grad_output):
        input, output = ctx.saved_tensors
        size, scale = ctx.size, ctx.scale
        channels = input.size(1)
        ratio_value = 2 * ctx.alpha * ctx.beta / size
        inverse_pre_pad = int(size - (size - 1) / 2)
        grad_input = jtorch.pow(scale, -ctx.beta).mul(grad_output)
        ratio = grad_output.mul(output).div(scale)
        pad_shape = list(input.shape)
        pad_shape[1] = channels + size - 1
        padded = jtorch.zeros(pad_shape, dtype=input.dtype)
        padded[:, inverse_pre_pad:inverse_pre_pad + channels] = ratio
        accum = padded[:, :size - 1].sum(1)
        cols = []
        for c in range(channels):
            accum = accum + padded[:, c + size - 1]
            cols.append(grad_input[:, c] - ratio_value * input[:, c] * accum)
            accum = accum - padded[:, c]
        return jtorch.stack(cols, 1), None, None, None, None


# the Function is named as torch's, so its node is CrossMapLRN2dBackward
_LRNFunction = type("CrossMapLRN2d", (Function,), {
    "forward": staticmethod(_CrossMapLRN2dFunction.forward),
    "backward": staticmethod(_CrossMapLRN2dFunction.backward),
    "__module__": __name__})


class CrossMapLRN2d(_ResponseNorm):
    def __init__(self, size, alpha=0.0001, beta=0.75, k=1):
        super().__init__(size, alpha, beta, k)

    def forward(self, input):
        return _LRNFunction.apply(input, self.size, self.alpha, self.beta, self.k)

__all__ = ["RMSNorm", "LocalResponseNorm", "CrossMapLRN2d"]
