"""Public functions that choose among table ops by their arguments (torch overloads)."""
from .. import _views
from .._dispatch import make_view
from .._tensor import Tensor
from . import linalg, pointwise, reduction
from .registry import composite


@composite()
def matmul(input, other):
    """Matrix product with torch's rank rules (dot, mv, mm, batched with broadcasting)."""
    a, b = input.dim(), other.dim()
    if a == 0 or b == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{a}D and {b}D")
    if a == 1 and b == 1:
        return linalg.dot(input, other)
    if a == 2 and b == 1:
        return linalg.mv(input, other)
    if a == 1 and b == 2:
        # torch squeezes in place here, a node it names SqueezeBackward4
        return make_view(linalg.mm(input.unsqueeze(0), other), _views.meta_squeeze, ((0,),),
                         "SqueezeBackward4")
    if a == 2 and b == 2:
        return linalg.mm(input, other)
    if input.shape[-1] != other.shape[-2 if b > 1 else -1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{input.shape[0]}, {input.shape[-1]}] but got: "
                           f"[{other.shape[0]}, {other.shape[1 if b > 1 else 0]}].")
    return linalg._matmul_nd(input, other)


Tensor.__matmul__ = lambda self, other: matmul(self, other) if isinstance(other, Tensor) \
    else NotImplemented
Tensor.__rmatmul__ = lambda self, other: matmul(other, self) if isinstance(other, Tensor) \
    else NotImplemented


def _minmax(name, dim_op, all_op, pairwise):
    def f(input, dim=None, keepdim=False, *, out=None):
        if isinstance(dim, Tensor):
            return pairwise(input, dim)
        if dim is None:
            return all_op(input)
        return dim_op(input, dim, keepdim)
    f.__name__ = name
    f.__doc__ = reduction._minmax(name, None, None).__doc__
    return composite()(f)


max = _minmax("max", reduction._max_dim, reduction._max_all, pointwise.maximum)
min = _minmax("min", reduction._min_dim, reduction._min_all, pointwise.minimum)


@composite(variants="method")
def __pos__(self):
    return self
