"""Shared pieces of the reduction families (``scans``, ``moments``, ``vector_norms``,
``order_stats``): a single reduced dim, torch's empty-dim checks and empty medians."""
import jax.numpy as jnp
import numpy as np

from .. import _dtypes
from .reduction import _axes


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


