"""Joining tensors by copying: ``cat`` (``concat``, ``concatenate``) along an existing dim and
``stack`` along a new one, with torch's argument checks (the helpers built on them, hstack
and the like, are in ``joining.py``)."""
import jax.numpy as jnp

from .. import _views
from .._tensor import Tensor
from .registry import composite, op


@op(variants="function out", tensors=("tensors",), grad_fn="CatBackward0")
def cat(tensors, dim=0):
    """Concatenate along an existing dim."""
    arrs = [a for a in tensors if not (a.ndim == 1 and a.shape[0] == 0)] or list(tensors)
    return jnp.concatenate([jnp.asarray(a) for a in arrs], axis=dim)


def _check_tensor_list(tensors):
    """torch's argument parser: every element of a tensor list is a Tensor."""
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")


def _check_cat(tensors, dim=0):
    if isinstance(tensors, Tensor):
        raise TypeError("cat(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        "Tensor")
    _check_tensor_list(tensors)
    if len(tensors) == 0:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    ref = next((t for t in tensors if not (t.dim() == 1 and t.shape[0] == 0)), tensors[0])
    nd = ref.dim()
    if nd == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    d = _views._wrap_dim(dim, nd)
    for i, t in enumerate(tensors):
        if t.dim() == 1 and t.shape[0] == 0:
            continue
        if t.dim() != nd:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {nd} and "
                               f"{t.dim()}")
        for k in range(nd):
            if k != d and t.shape[k] != ref.shape[k]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. "
                                   f"Expected size {ref.shape[k]} but got size {t.shape[k]} for "
                                   f"tensor number {i} in the list.")


cat.check = _check_cat
concat = composite(name="concat", variants="function")(
    lambda tensors, dim=0: cat(tensors, dim))
concatenate = composite(name="concatenate", variants="function")(
    lambda tensors, axis=0: cat(tensors, axis))


def _check_stack(tensors, dim=0):
    _check_tensor_list(tensors)
    if len(tensors) == 0:
        raise RuntimeError("stack expects a non-empty TensorList")
    for i, t in enumerate(tensors):
        if t.shape != tensors[0].shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{list(tensors[0].shape)} at entry 0 and {list(t.shape)} at "
                               f"entry {i}")


@op(variants="function out", tensors=("tensors",), grad_fn="StackBackward0", check=_check_stack)
def stack(tensors, dim=0):
    """Join along a new dim."""
    return jnp.stack(tensors, axis=dim)
