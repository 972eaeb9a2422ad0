"""The shared machinery of ``torch.masked``: canonical dims, canonical masks, identities.

A masked operation replaces the masked-out elements of its input by the identity of the
operation (0 for sums, 1 for products, -inf for maxima...) with ``where``, then runs the
plain jtorch op, so autograd flows through ``where`` as in torch (masked-out elements get a
zero gradient). Only strided tensors exist in jtorch, so the sparse branches of torch's
module have no counterpart here.
"""
import math

import jtorch

_REDUCTIONS = {"sum", "prod", "amax", "amin", "argmax", "argmin", "mean", "median", "norm",
               "var", "std", "logsumexp"}
_NORMALIZATIONS = {"softmax", "log_softmax", "softmin", "normalize", "cumsum", "cumprod"}


def _canonical_dim(dim, ndim):
    """``dim`` as a sorted tuple of non-negative dims; ``None`` and ``()`` mean every dim."""
    if dim == ():
        dim = None   # torch's masked reductions still read () as "all dims"
    if dim is None:
        return tuple(range(ndim))
    ndim = max(ndim, 1)
    dims = []
    for d in ((dim,) if isinstance(dim, int) else dim):
        if d in dims:
            raise RuntimeError(f"dim={d} appears multiple times in the list of dims")
        if d >= ndim or d < -ndim:
            raise IndexError(f"Dimension out of range (expected to be in range of "
                             f"[{-ndim}, {ndim - 1}], but got {d})")
        dims.append(d % ndim)
    return tuple(sorted(dims))


def _any(input, dim, keepdim):
    """``any`` over a tuple of dims (innermost first, so the remaining dims keep their place)."""
    r = input
    for d in reversed(dim):
        r = r.any(dim=d, keepdim=keepdim)
    return r


def _tensor_identity(value, input):
    return jtorch.tensor(value, dtype=input.dtype, device=input.device)


def _extreme_identity(input, low):
    """-inf / +inf for floats, the integer type's min / max for signed ints and uint8."""
    dtype = input.dtype
    if dtype.is_floating_point:
        return _tensor_identity(-math.inf if low else math.inf, input)
    if jtorch.is_signed(input) or dtype == jtorch.uint8:
        info = jtorch.iinfo(dtype)
        return _tensor_identity(info.min if low else info.max, input)
    return None


def _reduction_identity(op_name, input, *args):
    """The identity of the reduction ``op_name`` on ``input`` as a 0-dim tensor, or None
    where it is not defined (mean, var, std)."""
    dtype = input.dtype
    op_name = op_name.rsplit(".", 1)[-1]
    found = None
    if op_name in ("sum", "cumsum"):
        return _tensor_identity(0, input)
    if op_name in ("prod", "cumprod"):
        return _tensor_identity(1, input)
    if op_name in ("amax", "argmax", "logaddexp"):
        found = _extreme_identity(input, low=True)
    elif op_name == "logsumexp":
        if dtype.is_complex:
            return _tensor_identity(complex(-math.inf, 0), input)
        found = _extreme_identity(input, low=True)
    elif op_name in ("amin", "argmin"):
        found = _extreme_identity(input, low=False)
    elif op_name in ("mean", "var", "std"):
        return None
    elif op_name == "norm":
        ord = args[0] if args else 2
        if ord == -math.inf:
            if not input.dtype.is_floating_point:
                raise AssertionError(f"input must be floating point, got {input.dtype}")
            return _tensor_identity(math.inf, input)
        return _tensor_identity(0, input)
    elif op_name == "median":
        # nanmedian ignores NaN, so NaN serves as the identity
        fdtype = dtype if dtype.is_floating_point else jtorch.float
        return jtorch.tensor(math.nan, dtype=fdtype, device=input.device)
    if found is not None:
        return found
    raise NotImplementedError(f"identity of {op_name} on {dtype} input")


def _input_mask(input, *args, **kwargs):
    """The mask broadcast to ``input``'s shape, as bool (a mask of higher rank is refused)."""
    mask = kwargs.get("mask")
    if mask is None:
        raise ValueError("_input_mask requires explicit mask")
    if mask.shape != input.shape:
        if mask.ndim > input.ndim:
            raise IndexError("_input_mask expected broadcastable mask (got mask dimensionality "
                             "higher than of the input)")
        mask = jtorch.broadcast_to(mask.clone(), input.shape)
    return mask.to(dtype=jtorch.bool)


def _output_mask(op, input, *args, **kwargs):
    """The mask of the result of masked operation ``op`` applied to these arguments."""
    if not callable(op):
        raise ValueError(f"_output_mask expected masked operation (got {type(op).__name__} "
                         "object)")
    name = op.__name__
    if name in _REDUCTIONS:
        if name == "norm" and args:
            args = args[1:]   # drop ord
        dim = args[0] if args else kwargs.get("dim")
        outmask = _input_mask(input, *args, **kwargs)
        keepdim = kwargs.get("keepdim", False)
        return _any(outmask, _canonical_dim(dim, input.ndim), bool(keepdim))
    if name in _NORMALIZATIONS:
        return _input_mask(input, *args, **kwargs)
    raise ValueError(f"_output_mask expected masked operation (got callable "
                     f"{op.__module__}.{name})")


def _where(mask, input, fill_value):
    return jtorch.where(mask, input, fill_value)


def _combine_input_and_mask(op, input, mask, *args):
    """``input`` with its masked-out elements replaced by ``op``'s identity."""
    if mask is None:
        return input
    canonical = _input_mask(input, mask=mask)
    name = op if isinstance(op, str) else op.__name__
    return _where(canonical, input, _reduction_identity(name, input, *args))


def _require_strided(what, t):
    if t.layout != jtorch.strided:
        raise ValueError(f"masked {what} expects strided tensor (got {t.layout} tensor)")
