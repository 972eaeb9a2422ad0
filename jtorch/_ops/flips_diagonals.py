"""Shape ops that copy: flips, rolls, rot90 and tile; the triangles (tril/triu), the diag
family and block_diag. Helpers that torch writes in terms of other ops (tile -> repeat, diag
-> diag_embed or diagonal) are composites of jtorch's own ops, so their results carry the
same ``grad_fn`` names as torch's. (Joining and splitting: ``joining.py``.)
"""
import builtins

import jax.numpy as jnp

from .. import _errors, _views
from .._tensor import Size, Tensor
from .._out_arg import result_into as _out
from .joining import FULL
from .registry import Promotion, composite, op


def _dims_tuple(dims):
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = dims[0]
    return tuple(int(d) for d in dims)


# ------------------------------------------------------------------ flips and rolls
@op(variants="", promote=Promotion.NONE, grad_fn="FlipBackward0", name="_flip")
def _flip(input, dims):
    if input.ndim == 0 or not dims:
        return input
    return jnp.flip(input, tuple(d % input.ndim for d in dims))


def _check_dims_unique(dims, nd):
    wrapped = [_views._wrap_dim(d, nd) for d in dims]
    for i, w in enumerate(wrapped):
        if w in wrapped[:i]:
            raise RuntimeError(f"dim {w} appears multiple times in the list of dims")
    return tuple(wrapped)


@composite()
def flip(input, *args, dims=None):
    """Reverse the order of elements along ``dims`` (a copy): ``flip(x, (0, 1))``,
    ``x.flip(0, 1)``, ``flip(x, dims=[0])``."""
    if dims is not None:
        args = (dims,)
    dims = _check_dims_unique(_dims_tuple(args), input.dim())
    return _flip(input, dims)


@composite()
def fliplr(input):
    """Flip left/right (dim 1)."""
    if input.dim() < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return _flip(input, (1,))


@composite()
def flipud(input):
    """Flip up/down (dim 0)."""
    if input.dim() < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return _flip(input, (0,))


def _check_roll(input, shifts, dims=None):
    s = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    d = () if dims is None else ((dims,) if isinstance(dims, int) else tuple(dims))
    if not d and len(s) != 1:
        raise RuntimeError(f"`shifts` required to be of size 1 when `dims` is not specified, "
                           f"but got {len(s)}")
    if d and len(s) != len(d):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(s)}, dims:{len(d)}")
    for x in d:
        _views._wrap_dim(x, input.dim())


@op(variants="function method", promote=Promotion.NONE, check=_check_roll)
def roll(input, shifts, dims=None):
    """Shift elements circularly along ``dims`` (of the flattened tensor without dims)."""
    if dims is None or dims == ():
        s = shifts if isinstance(shifts, int) else shifts[0]
        return jnp.roll(input.reshape(-1), s).reshape(input.shape)
    return jnp.roll(input, shifts, dims)


def _check_rot90(input, k=1, dims=(0, 1)):
    dims = tuple(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if input.dim() < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {input.dim()}")
    a, b = (_views._wrap_dim(d, input.dim()) for d in dims)
    if a == b:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {a} and "
                           f"dim1 = {b}")


@op(variants="function method", promote=Promotion.NONE, grad_fn="Rot90Backward0",
    check=_check_rot90)
def rot90(input, k=1, dims=(0, 1)):
    """Rotate by ``k`` quarter turns in the plane of ``dims`` (from dims[0] towards
    dims[1])."""
    return jnp.rot90(input, k, tuple(d % input.ndim for d in dims))


@composite()
def tile(input, dims):
    """Repeat the tensor ``dims`` times along each dim (missing leading counts are 1)."""
    dims = _int_tuple("tile", "dims", 2, dims)
    if len(dims) < input.dim():
        dims = (1,) * (input.dim() - len(dims)) + dims
    return input.repeat(*dims)     # (repeat's checks are tile's)


def _int_tuple(name, param, position, value):
    """torch's parser for a ``tuple of ints`` argument (an int is not one here)."""
    if not isinstance(value, (tuple, list, Size)):
        raise _errors.wrong_type(name, param, position, value, "tuple of ints")
    for i, v in enumerate(value):
        if isinstance(v, bool) or not isinstance(v, (int, Tensor)):
            raise TypeError(f"{name}(): argument '{param}' (position {position}) must be tuple "
                            f"of ints, but found element of type {type(v).__name__} at pos {i}")
    return tuple(int(v) for v in value)


# ------------------------------------------------------------------ triangles and diagonals
def _check_tri(name):
    def check(input, diagonal=0):
        if input.dim() < 2:
            raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    return check


@op(variants=FULL, promote=Promotion.NONE, check=_check_tri("tril"))
def tril(input, diagonal=0):
    """The lower triangle (elements on and below diagonal ``diagonal``), the rest zero."""
    return jnp.tril(input, diagonal)


@op(variants=FULL, promote=Promotion.NONE, check=_check_tri("triu"))
def triu(input, diagonal=0):
    """The upper triangle (elements on and above diagonal ``diagonal``), the rest zero."""
    return jnp.triu(input, diagonal)


def _embed(x, offset, d1, d2):
    """diag_embed on jax arrays: the last dim of ``x`` becomes the (d1, d2) diagonal."""
    k = x.shape[-1]
    n = k + builtins.abs(offset)
    nd = x.ndim + 1
    d1, d2 = d1 % nd, d2 % nd
    rows = jnp.arange(k) + builtins.max(-offset, 0)
    cols = jnp.arange(k) + builtins.max(offset, 0)
    m = jnp.zeros(x.shape[:-1] + (n, n), x.dtype).at[..., rows, cols].set(x)
    return jnp.moveaxis(m, (-2, -1), (d1, d2))


@op(variants="function method", promote=Promotion.NONE, grad_fn="DiagEmbedBackward0")
def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """Tensors whose (dim1, dim2) diagonals (at ``offset``) are the last dim of ``input``."""
    return _embed(input, offset, dim1, dim2)


@op(variants="", promote=Promotion.NONE, grad_fn="DiagonalBackward0_copy", name="_diag_copy")
def _diag_copy(input, diagonal=0):
    return jnp.diagonal(input, diagonal)


@composite()
def diag(input, diagonal=0, *, out=None):
    """A square matrix with the 1-D input on diagonal ``diagonal``, or the diagonal of a 2-D
    input (a copy)."""
    if input.dim() == 1:
        return _out(diag_embed(input, diagonal), out)
    if input.dim() == 2:
        return _out(_diag_copy(input, diagonal), out)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.dim()}D")


@composite()
def diagflat(input, offset=0):
    """The flattened input on diagonal ``offset`` of a square matrix."""
    return diag_embed(input.reshape(-1) if input.dim() != 1 else input, offset)


@op(variants="", tensors=("tensors",), grad_fn="BlockDiagBackward0", name="_block_diag")
def _block_diag(tensors):
    mats = [jnp.asarray(t).reshape(1, -1) if jnp.ndim(t) < 2 else t for t in tensors]
    rows = builtins.sum(m.shape[0] for m in mats)
    cols = builtins.sum(m.shape[1] for m in mats)
    out = jnp.zeros((rows, cols), mats[0].dtype)
    r = c = 0
    for m in mats:
        out = out.at[r:r + m.shape[0], c:c + m.shape[1]].set(m)
        r += m.shape[0]
        c += m.shape[1]
    return out


@composite(variants="function")
def block_diag(*tensors):
    """A block-diagonal matrix of the inputs (0-d and 1-d inputs are rows)."""
    if not tensors:
        from .._creation import empty
        return empty(1, 0)
    for i, t in enumerate(tensors):
        if t.dim() > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer "
                               f"dimensions. Input {i} has {t.dim()} dimensions")
    return _block_diag(tuple(tensors))
