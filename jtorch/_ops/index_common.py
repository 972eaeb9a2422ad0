"""What the index-driven op families share (``gather_scatter``, ``index_slices``,
``masked_ops``, ``bucketing``, ``put_index_reduce``): host reads of index tensors, torch's
argument checks and bounds messages, the ``x.at[...]`` helpers their jax functions build on,
and the one declaration of an op that writes a source tensor at an index.

Bounds are checked on the host, as torch's CPU kernels do, so a bad index raises torch's
error where torch raises it instead of being clamped or dropped by XLA.
"""
import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtypes, _views
from .._dispatch import call_inplace
from .._tensor import Tensor
from .registry import OPS, Promotion, op


def call_inplace_op(opname, self, args, kwargs=None):
    """The in-place call of table op ``opname`` on ``self`` (a hand-written ``Tensor.<x>_``)."""
    return call_inplace(OPS[opname], self, tuple(args), kwargs or {})


def host(t):
    return np.asarray(t._value())


def wrap_dim(dim, t):
    if not isinstance(dim, int):     # torch's argument parser: before any range check
        raise TypeError(f"argument 'dim' (position 2) must be int, not {type(dim).__name__}")
    return _views._wrap_dim(dim, t.dim())


def norm_dim(dim, ndim):
    """A checked dim (``wrap_dim``) made non-negative inside an op's jax function."""
    return dim + max(ndim, 1) if dim < 0 else dim


def tname(t):
    return _dtypes.torch_type_name(t.dtype)


def check_long_index(name, index):
    """torch's dtype check of a flat or per-dim index (take, put_, index_copy_)."""
    if index.dtype is not _dtypes.int64:
        raise RuntimeError(f"{name}(): Expected a long tensor for index, but got {tname(index)}")


def cast_value(v, dtype):
    v = jnp.asarray(v)
    return _dtypes.torch_cast(v, dtype) if v.dtype != dtype else v


# ------------------------------------------------------------------ x.at[...] helpers
def at_add(ref, src):
    """``ref.add(src)`` for an ``x.at[...]`` ref; a bool sum is torch's logical or (XLA's
    scatter-add rejects bool)."""
    return ref.max(src) if src.dtype == jnp.bool_ else ref.add(src)


def at_mul(ref, src):
    """``ref.multiply(src)``; a bool product is torch's logical and."""
    return ref.min(src) if src.dtype == jnp.bool_ else ref.multiply(src)


def positions(index, dim):
    """Full index tuple for ``.at[]`` of a scatter along ``dim``: index[i..] on ``dim``,
    the element's own coordinate on every other dim."""
    if index.ndim == 0:
        return (index,)
    return tuple(index if a == dim else jax.lax.broadcasted_iota(jnp.int64, index.shape, a)
                 for a in range(index.ndim))


def prefix(x, shape):
    """``x[:shape[0], :shape[1], ...]`` (src may be larger than index)."""
    if tuple(x.shape) == tuple(shape):
        return x
    return x[tuple(slice(0, s) for s in shape)]


# ------------------------------------------------------------------ checks
def first_out_of_bounds(index, low, size):
    """The first element of ``index`` outside [low, size), or None (read on the host)."""
    if not index.numel():
        return None
    h = host(index).reshape(-1)
    bad = h[(h < low) | (h >= size)]
    return int(bad[0]) if bad.size else None


def check_bounds(index, d, size, allow_negative=False, prefix_name=""):
    """torch's kernel bounds check of an index along dim ``d`` of ``size`` (an IndexError
    "index 99 is out of bounds for dimension 0 with size 3"; index_copy prefixes its name)."""
    bad = first_out_of_bounds(index, -size if allow_negative else 0, size)
    if bad is not None:
        raise IndexError(f"{prefix_name}index {bad} is out of bounds for dimension {d} with "
                         f"size {size}")


def check_flat_bounds(index, n):
    """take's and put's bounds on a flattened input of ``n`` elements (negatives count from
    the end)."""
    bad = first_out_of_bounds(index, -n, n)
    if bad is not None:
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} "
                         f"elements.")


def check_gather_scatter(name, self, dim, index, src=None, validate=None):
    """gather's and the scatter family's checks, in torch's order: dim, index dtype, src
    dtype, shapes (skipped for an empty index), ``validate()`` (a reduce argument), then the
    kernel's bounds check. Returns the wrapped dim."""
    d = wrap_dim(dim, self)
    if index.numel() and index.dtype not in (_dtypes.int64, _dtypes.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")
    if isinstance(src, Tensor) and src.dtype is not self.dtype:
        raise RuntimeError(f"{name}(): Expected self.dtype to be equal to src.dtype")
    if index.numel():
        (_gather_shapes if name == "gather" else _scatter_shapes)(self, d, index, src)
    if validate is not None:
        validate()
    size = _size(self, d)
    bad = first_out_of_bounds(index, 0, size)
    if bad is not None:
        raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {size}")
    return d


def _size(t, k):
    """torch's ensure_nonempty_size: a 0-d tensor has size 1 along dim 0."""
    if not t.dim():
        return 1
    if k >= t.dim():    # (a src of fewer dims: torch's size(k) fails on it)
        raise IndexError(f"Dimension out of range (expected to be in range of [{-t.dim()}, "
                         f"{t.dim() - 1}], but got {k})")
    return t.shape[k]


def _gather_shapes(self, d, index, src):
    nd = max(self.dim(), 1)
    if nd != max(index.dim(), 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input "
                           "tensor")
    for k in range(nd):
        if k != d and _size(index, k) > _size(self, k):
            raise RuntimeError(f"Size does not match at dimension {k} expected index "
                               f"{list(index.shape)} to be no larger than self "
                               f"{list(self.shape)} apart from dimension {d}")


def _scatter_shapes(self, d, index, src):
    nd = max(self.dim(), 1)
    if nd != max(index.dim(), 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    wrong = any(k != d and _size(index, k) > _size(self, k) for k in range(nd))
    text = (f"Expected index {list(index.shape)} to be no larger than self {list(self.shape)} "
            f"apart from dimension {d}")
    if not isinstance(src, Tensor):     # a scalar value
        if wrong:
            raise RuntimeError(text)
        return
    # (any() stops at the first wrong dim, as torch's loop: a later dim is not read)
    wrong = wrong or any(_size(index, k) > _size(src, k) for k in range(nd))
    if max(src.dim(), 1) != max(index.dim(), 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    if wrong:
        raise RuntimeError(f"{text} and to be no larger size than src {list(src.shape)}")


# ------------------------------------------------------------------ declarations
def index_write(grad_fn, check, source="src"):
    """The declaration of an op that writes a ``source`` tensor into a copy of ``input`` at
    ``index`` along ``dim`` (scatter_add, index_add, index_copy): function, method, in-place
    and out= forms, no promotion (torch requires equal dtypes, the check says so), the index
    saved for backward."""
    return op(variants="function method inplace out", tensors=("input", "index", source),
              promote=Promotion.NONE, grad_fn=grad_fn, saves=("index",), check=check)
