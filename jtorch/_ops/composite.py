"""Public functions that choose among table ops by their arguments (torch overloads)."""
import builtins     # (this module defines max and min)
import math

from .. import _dtypes, _errors, _views
from .._dispatch import make_view
from .._tensor import Tensor
from . import elementwise_minmax, linalg, reduce_extremes
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
        # torch squeezes in place here: a node it names SqueezeBackward4, and version 1
        row = linalg.mm(input.unsqueeze(0), other)
        row._storage.version += 1
        return make_view(row, _views.meta_squeeze, ((0,),), "SqueezeBackward4")
    if a == 2 and b == 2:
        return linalg.mm(input, other)
    if a == 3 and b == 3:   # a batch of one that requires grad is squeezed, then folded
        if other.shape[0] == 1 and input.shape[0] != 1 and other.requires_grad:
            return matmul(input, other.squeeze(0))
        if input.shape[0] == 1 and other.shape[0] != 1 and input.requires_grad:
            return matmul(input.squeeze(0), other)
    if _folds(input, other):
        _check_folded(input, other)
        if a == 2:      # torch multiplies the transposed operands and copies the result back
            return linalg._matmul_nd(other.mT, input.t()).mT.contiguous()
    else:
        _check_batched(input, other)
    return linalg._matmul_nd(input, other)


def _folds(input, other):
    """torch's ``should_fold``: whether matmul runs as one mm/mv over the larger operand's
    rows (its errors are then mm's or mv's) rather than as a bmm. The larger operand (the
    second one transposed, when it is the larger) folds when it is at least 3-D and the other
    at most 2-D, and either the smaller operand requires grad (folding spares its gradient
    a batch-sized intermediate), or the larger folds without a copy."""
    a, b = input.dim(), other.dim()
    big, small = (input, other) if a >= b else (other.mT, input)
    if big.dim() < 3 or small.dim() > 2:
        return False
    if small.requires_grad:
        return True
    if a == 2 or big.numel() == 0:
        return a != 2
    size, stride = big.shape, big.stride()
    return builtins.all(stride[i] == stride[i + 1] * size[i + 1] for i in range(big.dim() - 2))


def _check_folded(input, other):
    """mm's or mv's shape error, on the rows the larger operand folds into, then its dtype
    error."""
    a, b = input.dim(), other.dim()
    big = input if a >= b else other.mT
    small = other if a >= b else (input.t() if a == 2 else input)
    rows, k = math.prod(big.shape[:-1]), big.shape[-1]
    if small.dim() == 2 and k != small.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{k} and "
                           f"{small.shape[0]}x{small.shape[1]})")
    if small.dim() == 1 and k != small.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({rows}), mat ({rows}x{k}), vec "
                           f"({small.shape[0]})")
    if big.dtype is not small.dtype:
        (linalg._check_same_dtype("mm") if small.dim() == 2 else linalg._mv_dtypes)(big, small)
    if big.dtype is _dtypes.bool and big.numel() and small.numel():    # (empty: no kernel)
        kernel = "addmm_impl_cpu_" if small.dim() == 2 else "addmv_impl_cpu"
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _check_batched(input, other):
    """The batched path's errors: batch dims that do not broadcast, then bmm's on the
    broadcast batch flattened."""
    a, b = input.dim(), other.dim()
    batch = _errors.infer_size(tuple(input.shape[:-2]), tuple(other.shape[:-2]))
    m1, m2 = input.shape[-1], other.shape[-2] if b > 1 else other.shape[0]
    if m1 != m2:
        n = math.prod(batch)
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{n}, {m1}] but got: [{n}, {m2}].")


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
    f.__doc__ = reduce_extremes._minmax(name, None, None).__doc__
    return composite()(f)


max = _minmax("max", reduce_extremes._max_dim, reduce_extremes._max_all,
              elementwise_minmax.maximum)
min = _minmax("min", reduce_extremes._min_dim, reduce_extremes._min_all,
              elementwise_minmax.minimum)


@composite(variants="method")
def __pos__(self):
    return self
