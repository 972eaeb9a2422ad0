"""Shared pieces of the reduction families (``scans``, ``moments``, ``vector_norms``,
``order_stats``): a single reduced dim, and writing results into ``out=`` (one tensor, or a
``(values, indices)`` pair returned as torch's ``<name>_out`` named tuple)."""
import jax.numpy as jnp
import numpy as np

from .. import _dtypes, return_types
from .._dispatch import _write_out
from .math_ops import _out as _write_one
from .reduction import _axes

_OUT_TYPES = {}


def _dim1(dim, ndim):
    axes = _axes(dim, ndim)     # (range-checks a 0-d input's dim too)
    return axes[0] if ndim else 0


def _check_nonempty_dim(label, input, dim):
    """torch's IndexError for a reduction without identity over an empty dim (named
    wrapped)."""
    d = _dim1(dim, input.dim())
    if input.dim() and input.shape[d] == 0:
        raise IndexError(f"{label} Expected reduction dim {d} to have non-zero size.")


def empty_median(input):
    """median/nanmedian of an empty input: torch fills NaN into the result's dtype (an
    integer gets x86's conversion of NaN, bool True); the sum keeps the input in the graph."""
    value = _dtypes.torch_cast(np.array(np.nan), input.dtype)
    return jnp.full((), value, input.dtype) + jnp.sum(input).astype(input.dtype)


def _out(res, out):
    return _write_one(res, out)


def _out_tuple(res, out):
    """Write a (values, indices)-style result into ``out=``; torch then returns the
    ``<name>_out`` named tuple of the out tensors."""
    if out is None:
        return res
    for o, r in zip(out, res):
        _write_out(o, r)
    fields = getattr(res, "_fields", None)
    if fields is None:
        return tuple(out)
    name = type(res).__name__ + "_out"
    cls = _OUT_TYPES.get(name)
    if cls is None:
        cls = _OUT_TYPES[name] = getattr(return_types, name, None) or \
            return_types._make(name, list(fields))
    return cls(*out)
