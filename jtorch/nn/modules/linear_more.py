"""Bilinear and LazyLinear."""
from __future__ import annotations

import math

import jtorch
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .layers import Linear, _weight_and_bias
from .module import Module


class Bilinear(Module):
    def __init__(self, in1_features, in2_features, out_features, bias=True, device=None,
                 dtype=None):
        super().__init__()
        self.in1_features, self.in2_features = in1_features, in2_features
        self.out_features = out_features
        _weight_and_bias(self, (out_features, in1_features, in2_features), out_features, bias,
                         dtype=dtype)
        self.reset_parameters()

    def reset_parameters(self):
        bound = 1 / math.sqrt(self.weight.shape[1])
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1, input2):
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self):
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")


class LazyLinear(Linear):
    """A Linear whose ``in_features`` is read from the first input; it then becomes a plain
    Linear (initialised as torch's, at that moment), as torch's lazy modules do."""

    def __init__(self, out_features, bias=True, device=None, dtype=None):
        Module.__init__(self)
        self.in_features, self.out_features = 0, out_features
        self._dtype = dtype
        _weight_and_bias(self, (out_features, 0), 0, bias, dtype=dtype)

    def reset_parameters(self):
        if self.in_features != 0:
            super().reset_parameters()

    def __call__(self, input, *args, **kwargs):
        if type(self) is LazyLinear:
            self.in_features = input.shape[-1]
            self.weight = Parameter(jtorch.empty((self.out_features, self.in_features),
                                                 dtype=self._dtype))
            if self.bias is not None:
                self.bias = Parameter(jtorch.empty(self.out_features, dtype=self._dtype))
            self.reset_parameters()
            del self._dtype
            self.__class__ = Linear
        return Module.__call__(self, input, *args, **kwargs)

    def has_uninitialized_params(self):
        return type(self) is LazyLinear


__all__ = ["Bilinear", "LazyLinear"]
