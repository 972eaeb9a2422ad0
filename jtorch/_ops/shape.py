"""Shape ops: real views (metadata over shared storage, see ``_views`` and
``_view_autograd``) and copies (clone, contiguous, copy_, repeat); cat and stack are in
``cat_stack.py``."""
import builtins
import math
import warnings

import jax.numpy as jnp

from .. import _dtypes, _grad_mode as grad_mode, _view_access, _views
from .._result_layout import copy_layout
from .._tensor import Tensor
from .._view_autograd import make_view, restride_ as _restride_
from .registry import Promotion, composite, op


def _sizes(args):
    """Accept f(2, 3), f((2, 3)), f([2, 3]) and f(torch.Size)."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    return tuple(int(a) for a in args)


# ------------------------------------------------------------------ view ops
@composite()
def view(self, *shape, dtype=None):
    """A view with another shape (no copy); raises when the strides don't allow it."""
    if dtype is not None or len(shape) == 1 and isinstance(shape[0], _dtypes.dtype):
        from .._storage_tensor import view_dtype       # the bytes as another dtype
        return view_dtype(self, dtype if dtype is not None else shape[0])
    return make_view(self, _views.meta_view, (_sizes(shape),), "ViewBackward0")


@composite(variants="method")
def view_as(self, other):
    return view(self, other.shape)


@composite()
def reshape(self, *shape):
    """Like ``view`` when torch would return a view, otherwise a copy."""
    shape = _views.infer_size(_sizes(shape), self.numel())
    cur = self._view if self._view is not None else \
        (tuple(self._shape), _views.contiguous_strides(self._shape), 0)
    if _views.view_strides(cur[0], cur[1], shape) is not None:
        # torch views a contiguous input and _reshape_alias'es any other it can alias
        name = "ViewBackward0" if _views.is_contiguous(*cur[:2]) else "ReshapeAliasBackward0"
        return make_view(self, _views.meta_view, (shape,), name)
    return _reshape_copy(self, shape)


@op(variants="", promote=Promotion.NONE, grad_fn="UnsafeViewBackward0")
def _reshape_copy(input, shape):
    return jnp.reshape(input, shape)


@composite(variants="method")
def reshape_as(self, other):
    return reshape(self, other.shape)


@composite()
def flatten(self, start_dim=0, end_dim=-1):
    """Merge dims ``start_dim..end_dim`` into one."""
    nd = self.dim()
    if nd == 0:
        return reshape(self, (1,))
    s, e = _views._wrap_dim(start_dim, nd), _views._wrap_dim(end_dim, nd)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return self
    sh = tuple(self.shape)
    return reshape(self, sh[:s] + (math.prod(sh[s:e + 1]),) + sh[e + 1:])


@composite()
def unflatten(self, dim, sizes):
    """Split dim ``dim`` into ``sizes`` (one -1 inferred)."""
    sizes = tuple(sizes)
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    nd = self.dim()
    dim = _views._wrap_dim(dim, nd)
    sh = tuple(self.shape)
    # torch wraps every other size error as "unexpected" (a 0-d input's too)
    if nd == 0:
        raise RuntimeError("unflatten got an unexpected error:\nDimension specified as 0 but "
                           "tensor has no dimensions")
    try:
        sizes = _views.infer_size(sizes, sh[dim])
    except RuntimeError as e:
        if "is invalid for input of size" in str(e):
            raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to "
                               f"the size of dim {dim} ({sh[dim]}) in the input tensor") from None
        raise RuntimeError(f"unflatten got an unexpected error:\n{e}") from None
    return view(self, sh[:dim] + sizes + sh[dim + 1:])


@composite()
def transpose(self, dim0, dim1):
    """Swap two dims (a view)."""
    return make_view(self, _views.meta_transpose, (dim0, dim1), "TransposeBackward0")


swapaxes = composite(name="swapaxes")(lambda self, a, b: transpose(self, a, b))
swapdims = composite(name="swapdims")(lambda self, a, b: transpose(self, a, b))


@composite()
def t(self):
    """Transpose of a tensor of at most 2 dims."""
    if self.dim() > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is "
                           f"{self.dim()}D")
    if self.dim() < 2:
        return make_view(self, _views.meta_alias, (), "TBackward0")
    return make_view(self, _views.meta_transpose, (0, 1), "TBackward0")


@composite()
def permute(self, *dims):
    """Reorder dims (a view)."""
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    return make_view(self, _views.meta_permute, (_sizes(dims),), "PermuteBackward0")


@composite()
def movedim(self, source, destination):
    nd = self.dim()
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    src = [_views._wrap_dim(s, nd) for s in src]
    dst = [_views._wrap_dim(d, nd) for d in dst]
    if nd == 0:         # dims 0 / -1 of a 0-d tensor: torch returns an alias
        return make_view(self, _views.meta_alias, (), "AliasBackward0")
    order = [None] * nd
    for s, d in zip(src, dst):
        order[d] = s
    rest = iter(i for i in range(nd) if i not in src)
    order = [o if o is not None else next(rest) for o in order]
    return permute(self, order)


moveaxis = composite(name="moveaxis")(lambda self, s, d: movedim(self, s, d))


def _T(self):
    if self.dim() != 2:
        return permute(self, tuple(range(self.dim() - 1, -1, -1)))
    return permute(self, (1, 0))


def _mT(self):
    if self.dim() == 0:     # torch 2.13: still the identity on a 0-d tensor, with a warning
        warnings.warn("Tensor.mT is deprecated on 0-D tensors. This function is the identity "
                      "in these cases.", UserWarning, stacklevel=2)
        return self
    if self.dim() < 2:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. Got "
                           f"{self.dim()}-D tensor.")
    return transpose(self, -2, -1)


Tensor.T = property(_T)
Tensor.mT = property(_mT)
Tensor.H = property(lambda self: _T(self).conj() if self.is_complex() else _T(self))
def _mH(self):
    if self.dim() == 0:
        warnings.warn("Tensor.mH is deprecated on 0-D tensors. Consider using x.conj().",
                      UserWarning, stacklevel=2)
        return self
    if self.dim() < 2:
        raise RuntimeError("tensor.mH is only supported on matrices or batches of matrices. Got "
                           f"{self.dim()}-D tensor.")
    return transpose(self, -2, -1).conj() if self.is_complex() else transpose(self, -2, -1)


Tensor.mH = property(_mH)


@composite()
def squeeze(self, dim=None):
    """Drop size-1 dims (all of them, or those in ``dim``)."""
    dims = None if dim is None else ((dim,) if isinstance(dim, int) else tuple(dim))
    return make_view(self, _views.meta_squeeze, (dims,), "SqueezeBackward0" if dim is None
                     else ("SqueezeBackward1" if isinstance(dim, int) else "SqueezeBackward2"))


@composite()
def unsqueeze(self, dim):
    """Insert a size-1 dim at ``dim``."""
    return make_view(self, _views.meta_unsqueeze, (dim,), "UnsqueezeBackward0")


# ---- in-place metadata ops (``_restride_``: the tensor takes on the view's layout)


@composite(variants="method")
def transpose_(self, dim0, dim1):
    return _restride_(self, transpose(self, dim0, dim1), "TransposeBackward1")


swapaxes_ = composite(variants="method", name="swapaxes_")(
    lambda self, a, b: transpose_(self, a, b))
swapdims_ = composite(variants="method", name="swapdims_")(
    lambda self, a, b: transpose_(self, a, b))


@composite(variants="method")
def t_(self):
    return _restride_(self, t(self), "TBackward1")


@composite(variants="method")
def squeeze_(self, dim=None):
    kind = 3 if dim is None else (4 if isinstance(dim, int) else 5)
    return _restride_(self, squeeze(self, dim), f"SqueezeBackward{kind}")


@composite(variants="method")
def unsqueeze_(self, dim):
    return _restride_(self, unsqueeze(self, dim), "UnsqueezeBackward1")


@composite(variants="method")
def expand(self, *sizes):
    """Broadcast size-1 dims to ``sizes`` without copying (-1 keeps a dim)."""
    sizes = _sizes(sizes)
    if len(sizes) < self.dim():
        raise RuntimeError(f"expand({_dtypes.type_label(self.dtype)}{{{list(self.shape)}}}, size="
                           f"{list(sizes)}): the number of sizes provided ({len(sizes)}) must "
                           f"be greater or equal to the number of dimensions in the tensor "
                           f"({self.dim()})")
    return make_view(self, _views.meta_expand, (sizes,), "ExpandBackward0")


@composite(variants="method")
def expand_as(self, other):
    return expand(self, other.shape)


@composite()
def broadcast_to(self, size):
    return expand(self, size)


@composite()
def narrow(self, dim, start, length):
    """Elements ``start .. start + length`` along ``dim`` (a view)."""
    if self.dim() == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    start = int(start)
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    n = self.shape[_views._wrap_dim(dim, self.dim())]
    if not -n <= start <= n:
        raise IndexError(f"start out of range (expected to be in range of [{-n}, {n}], but got "
                         f"{start})")
    return make_view(self, _views.meta_narrow, (dim, start, length), "SliceBackward0")


@composite()
def select(self, dim, index):
    return make_view(self, _views.meta_select, (dim, int(index)), "SelectBackward0")


@composite()
def unbind(self, dim=0):
    """All slices along ``dim``, as a tuple of views."""
    if self.dim() == 0 and dim in (0, -1):
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    dim = _views._wrap_dim(dim, self.dim())
    return _multi_output(tuple(make_view(self, _views.meta_select, (dim, i), "UnbindBackward0")
                               for i in range(self.shape[dim])))


def _multi_output(views):
    """Mark the views of one multi-output op (torch's CreationMeta::MULTI_OUTPUT_NODE: none
    may be written in place while the write needs a gradient)."""
    if grad_mode.is_grad_enabled():
        for k, v in enumerate(views):
            v._creation_meta = ("multi", k)
    return views


@composite()
def split(self, split_size_or_sections, dim=0):
    """Views of consecutive pieces of ``split_size`` (or of the listed sizes) along ``dim``."""
    if self.dim() == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    dim = _views._wrap_dim(dim, self.dim())
    n = self.shape[dim]
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        if step < 0:
            raise RuntimeError(f"split expects split_size be non-negative, but got "
                               f"split_size={step}")
        if step == 0 and n:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                               f"dimension size of {n}")
        # at least one piece, even of an empty dim (torch)
        sizes = [min(step, n - i) for i in range(0, n, step)] if step and n else [0]
        name = "SplitBackward0"
    else:
        sizes = list(split_size_or_sections)
        if builtins.sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} "
                               f"(input tensor's size at dimension {dim}), but got "
                               f"split_sizes={sizes}")
        name = "SplitWithSizesBackward0"
    out, start = [], 0
    for s in sizes:
        out.append(make_view(self, _views.meta_narrow, (dim, start, s), name))
        start += s
    return _multi_output(tuple(out))


@composite()
def chunk(self, chunks, dim=0):
    """``chunks`` nearly equal views along ``dim`` (the last may be smaller)."""
    if self.dim() == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    n = self.shape[_views._wrap_dim(dim, self.dim())]
    if n == 0:      # torch: ``chunks`` empty pieces (split_with_sizes)
        return split(self, [0] * chunks, dim)
    return split(self, -(-n // chunks), dim)


@composite()
def diagonal(self, offset=0, dim1=0, dim2=1):
    return make_view(self, _views.meta_diagonal, (offset, dim1, dim2), "DiagonalBackward0")


@composite(variants="method")
def unfold(self, dimension, size, step):
    return make_view(self, _views.meta_unfold, (dimension, size, step), "UnfoldBackward0")


@composite()
def as_strided(self, size, stride, storage_offset=None):
    return make_view(self, _views.meta_as_strided, (tuple(size), tuple(stride), storage_offset),
                     "AsStridedBackward0")


# ------------------------------------------------------------------ copies
@op(variants="", promote=Promotion.NONE, grad_fn="CloneBackward0")
def _clone(input):
    return input


@composite()
def clone(input, *, memory_format=None):
    """An independent copy (gradient flows back to the original), laid out as torch's:
    preserve_format keeps a dense input's strides (``_result_layout.copy_layout``)."""
    return copy_layout(_clone(input), input, memory_format)


@composite(variants="method")
def contiguous(self, memory_format=None):
    return self if self.is_contiguous() else _clone(self)


@op(variants="inplace", tensors=("input", "src"), promote=Promotion.NONE,
    grad_fn="torch::autograd::CopyBackwards")
def copy(input, src, non_blocking=False):
    """``t.copy_(src)``: overwrite with ``src`` (broadcast, cast to ``t``'s dtype)."""
    return jnp.broadcast_to(_dtypes.torch_cast(src, input.dtype), input.shape)


@op(variants="method", grad_fn="RepeatBackward0", promote=Promotion.NONE)
def repeat(input, *sizes):
    """Tile the tensor ``sizes`` times along each dim (copies, unlike ``expand``)."""
    sizes = _sizes(sizes)
    if len(sizes) < input.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    x = input.reshape((1,) * (len(sizes) - input.ndim) + input.shape)
    result = [n * r for n, r in zip(x.shape, sizes)]
    negative = next((n for n in result if n < 0), None)
    if negative is not None:        # (a negative count times an empty dim is allowed)
        raise RuntimeError(f"Trying to create tensor with negative dimension {negative}: "
                           f"{result}")
    return jnp.tile(x, [builtins.max(r, 0) for r in sizes])   # (n * r is 0 either way)


@op(variants="", tensors=("grad",), promote=Promotion.NONE, grad_fn="AsStridedBackward0")
def _view_backward(grad, input_shape, rel):
    """Scatter-add of a view's cotangent into its input's shape (differentiable)."""
    zeros = jnp.zeros(input_shape, grad.dtype)
    flat = zeros.reshape(-1).at[_view_access._flat_indices(*rel)].add(grad)
    return flat.reshape(input_shape)
