"""The checks torch's TensorIterator makes before an element-wise kernel writes: an in-place
call's internal overlap, an operand partly aliasing the target, the broadcast shapes (in
torch's order, before the dtypes), and an out-of-place call's broadcast error."""
from __future__ import annotations

from . import _errors
from ._result_layout import dense, elementwise
from ._tensor import Tensor
from ._view_autograd import check_internal_overlap

_PARTIAL_OVERLAP = ("unsupported operation: some elements of the input tensor and the written-to "
                    "tensor refer to a single memory location. Please clone() the tensor before "
                    "performing the operation.")


def before_kernel(d, target, targs):
    """The errors torch's TensorIterator raises before an element-wise kernel runs: an
    in-place call's overlap and shape errors, an out-of-place call's broadcast error."""
    if elementwise(d) is None:
        return
    if target is not None:
        inplace_checks(d, target, targs)
        return
    shape = ()
    for t in targs:
        if isinstance(t, Tensor):
            shape = _errors.infer_size(shape, t._shape)


def inplace_checks(d, target, targs):
    """torch's TensorIterator checks of an in-place call, in its order: the target's internal
    overlap, an operand partly aliasing it, then the shapes."""
    tensors = [a for a in targs if isinstance(a, Tensor)]
    check_internal_overlap(d, target, targs)
    check_partial_overlap(d, target, tensors)
    inplace_shapes(d, target, tensors)


def check_partial_overlap(d, target, tensors):
    """torch's error for an operand partly aliasing the target of an in-place call: the
    element-wise families', and copy_'s (its own TensorIterator checks it too); fill_ reads
    its 0-dim value tensor's number before it writes, so it may alias the target."""
    if d.name == "copy":
        check_copy_overlap(target, tensors[-1])     # (a number source is no tensor)
    elif d.name != "fill":
        check_no_partial_overlap(d, target, tensors)


def check_copy_overlap(dst, src):
    """copy_'s refusal of a source partly aliasing its destination (setitem checks it too,
    before it fills from a 0-dim source)."""
    if src is not dst and src._storage is dst._storage and overlaps(dst, src):
        raise RuntimeError(_PARTIAL_OVERLAP)


def inplace_shapes(d, target, tensors):
    """torch's shape errors of an in-place element-wise op (its TensorIterator checks them
    before the dtypes): operands that do not broadcast, or whose broadcast is not the
    target's shape. Only for the op families that declare ``BROADCASTS`` (every op there
    broadcasts its tensor operands)."""
    if elementwise(d) is None:
        return
    shape = ()
    for t in tensors:
        shape = _errors.infer_size(shape, t._shape)
    if shape != tuple(target._shape):
        raise RuntimeError(f"output with shape {list(target._shape)} doesn't match the "
                           f"broadcast shape {list(shape)}")


def check_no_partial_overlap(d, target, tensors):
    """torch's TensorIterator check (before shapes and dtypes) that an in-place element-wise
    op reads no operand partly aliasing its target: the same memory in another layout (``x``
    and ``x.t()``, a 0-dim tensor and its 1-element reshape). An operand that is the target's
    memory exactly in the same layout is fine (``x.add_(x.detach())``)."""
    st = target._storage
    for t in tensors:
        if t is target or t._storage is not st or elementwise(d) is None:
            continue
        if overlaps(target, t):
            raise RuntimeError(_PARTIAL_OVERLAP)


def overlaps(a, b):
    """Whether two tensors over one storage overlap partly (torch's get_overlap_status;
    layouts that are not dense are too hard to tell, and pass)."""
    if a.numel() == 0 or b.numel() == 0:
        return False
    sa, sb = tuple(a.stride()), tuple(b.stride())
    if not (dense(tuple(a.shape), sa) and dense(tuple(b.shape), sb)):
        return False
    a0, b0 = a.storage_offset() * a.element_size(), b.storage_offset() * b.element_size()
    a1, b1 = a0 + a.numel() * a.element_size(), b0 + b.numel() * b.element_size()
    if (a0, a1) == (b0, b1):
        return sa != sb
    return a0 < b1 and b0 < a1
