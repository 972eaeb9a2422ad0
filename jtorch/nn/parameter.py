"""nn.Parameter: a Tensor that a Module registers as a parameter."""
from .._tensor import Tensor
from .._tensor_str import parameter_repr


class Parameter(Tensor):
    """Shares ``data``'s storage; requires grad by default."""

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            from .. import empty
            data = empty(0)
        p = Tensor._alias(data)
        p.__class__ = cls
        p._base = None
        if requires_grad:
            p.requires_grad_(True)
        return p

    def __init__(self, data=None, requires_grad=True):
        pass

    def __repr__(self):
        return parameter_repr(Tensor.__repr__(self))

    # torch's Tensor.__str__ is its __repr__, so print(param) shows the header too
    __str__ = __repr__

    def __reduce_ex__(self, protocol):
        return (Parameter, (self.detach().clone(), self.requires_grad))

    def __deepcopy__(self, memo):
        out = Parameter(self.detach().clone(), self.requires_grad)
        memo[id(self)] = out
        return out
