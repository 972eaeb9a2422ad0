"""Tensor methods about shape, memory layout and storage, plain Python over the public API:
``sum_to_size``, ``fill_diagonal_``, ``dim_order``, the legacy constructors ``new`` and
``new_empty_strided``, and ``resize_``/``resize`` with their ``*_as`` forms. Collected in
``METHODS``; ``_tensor_methods.install`` attaches them with the others."""
import math
import warnings

import numpy as np

from . import _storage_tensor, _views
from ._tensor import Size, Tensor

METHODS = {}    # name -> function


def method(f):
    METHODS[f.__name__] = f
    return f


def _jt():
    import jtorch
    return jtorch


# ---------------------------------------------------------------- shape helpers
def _size_arg(sizes):
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, list, Size)):
        return tuple(int(s) for s in sizes[0])
    return tuple(int(s) for s in sizes)


@method
def sum_to_size(self, *size):
    """Sum the broadcast dims away so the result has ``size`` (torch's sum_to)."""
    if not size:
        raise TypeError('sum_to_size() missing 1 required positional arguments: "size"')
    size = _size_arg(size)
    if not size:
        return self.sum()   # torch sums everything for an empty size (bool gives int64)
    shape = tuple(self.shape)
    lead = len(shape) - len(size)
    if lead < 0 or any(s != 1 and s != n for s, n in zip(size, shape[lead:])):
        raise RuntimeError(f"size {{{list(size)}}} is not expandable to size "
                           f"{{{list(shape)}}}.")
    dims = list(range(lead)) + [lead + i for i, s in enumerate(size)
                                if s == 1 and shape[lead + i] != 1]
    if not dims:
        return self
    out = self.sum(dims, keepdim=True)
    return out.view(size) if lead else out


@method
def fill_diagonal_(self, fill_value, wrap=False):
    """Fill the main diagonal (all dims equal for > 2 dims), and for a tall matrix with
    ``wrap`` the diagonals that restart every ``width + 1`` rows."""
    nd = self.dim()
    if nd < 2:
        raise RuntimeError("dimensions must larger than 1")
    height, width = self.shape[0], self.shape[1]
    if nd > 2 and any(n != height for n in self.shape[1:]):
        raise RuntimeError("all dimensions of input must be of equal length")
    step = sum(self.stride())
    start = self.storage_offset()
    self.as_strided((min(height, width),), (step,), start).fill_(fill_value)
    if wrap and nd == 2 and height > width + 1:
        count = -(-self.numel() // (width + 1)) - min(height, width)
        self.as_strided((count,), (step,), start + self.stride(0) * (width + 1)) \
            .fill_(fill_value)
    return self


def _dense_in_order(shape, stride, order):
    """Whether the dims, innermost first in ``order``, are densely packed (size-1 dims and
    empty tensors impose nothing), as torch's contiguity checks."""
    if 0 in shape:
        return True
    expected = 1
    for d in order:
        if shape[d] != 1:
            if stride[d] != expected:
                return False
            expected *= shape[d]
    return True


def _layout_checks(self):
    shape, stride, nd = tuple(self.shape), self.stride(), self.dim()
    contiguous = _dense_in_order(shape, stride, range(nd - 1, -1, -1))
    channels_last = nd == 4 and _dense_in_order(shape, stride, (1, 3, 2, 0))
    return contiguous, channels_last


def _stride_order(shape, stride):
    """Dims outermost first: an insertion sort of the dims by stride from the innermost on,
    where a 0 stride compares as a tie and equal strides put the longer dim outside."""
    def swap(a, b):   # > 0: dim a must go inside dim b
        sa, sb = stride[a], stride[b]
        if sa == 0 or sb == 0:
            return 0
        if sa == sb:
            return 0 if _ge(shape[b], shape[a]) else 1
        return -1 if _ge(sb, sa) else 1
    return tuple(_views.reorder_dims(len(shape), swap)[::-1])


def _ge(a, b):
    return b == 0 or (a != 0 and (a >= b or a % b == 0))


@method
def dim_order(self, *, ambiguity_check=False):
    """The dims from the outermost to the innermost in memory."""
    formats = ambiguity_check if isinstance(ambiguity_check, list) else []
    if not isinstance(ambiguity_check, (bool, list)) or any(
            repr(f) not in ("torch.contiguous_format", "torch.channels_last",
                            "torch.preserve_format") for f in formats):
        raise TypeError("The ambiguity_check argument must be a bool or a list of memory "
                        "formats.")
    check = ambiguity_check if isinstance(ambiguity_check, bool) else True
    stride, shape = self.stride(), tuple(self.shape)
    several = any(a == b for a, b in zip(stride, stride[1:])) or 1 in shape
    if check and several:
        contiguous, channels_last = _layout_checks(self)
        legal = sum({"torch.contiguous_format": contiguous, "torch.channels_last":
                     channels_last}.get(repr(f), False) for f in formats)
        if legal != 1:
            raise RuntimeError("The tensor does not have unique dim order, or cannot map to "
                               "exact one of the given memory formats.")
    nd = self.dim()
    if nd <= 1:
        return tuple(range(nd))
    contiguous, channels_last = _layout_checks(self)
    if contiguous and not channels_last:
        return tuple(range(nd))
    if channels_last and not contiguous:
        return (0,) + tuple(range(2, nd)) + (1,)
    return _stride_order(shape, stride)


# ---------------------------------------------------------------- legacy constructors
@method
def new(self, *args, **kwargs):
    """The legacy ``x.new(...)``: sizes give an (uninitialised, here zeroed) tensor, data a
    tensor, another tensor an alias, all in ``self``'s dtype and device."""
    jt = _jt()
    device = kwargs.pop("device", self.device)
    if kwargs:
        raise TypeError(f"new() received an invalid combination of arguments - got "
                        f"({', '.join(kwargs)})")
    if len(args) == 1 and isinstance(args[0], Tensor):
        other = args[0]
        if other.dtype != self.dtype:
            raise TypeError(f"expected {self.dtype} (got {other.dtype})")
        return other.detach()
    if len(args) == 1 and isinstance(args[0], Size):
        return jt.zeros(args[0], dtype=self.dtype, device=device)
    if all(isinstance(a, int) and not isinstance(a, bool) for a in args):
        return jt.zeros(args or (0,), dtype=self.dtype, device=device)
    if len(args) == 1 and isinstance(args[0], (tuple, list, np.ndarray, range)):
        return jt.tensor(args[0], dtype=self.dtype, device=device)
    raise TypeError("new(): data must be a sequence (got " + type(args[0]).__name__ + ")")


@method
def new_empty_strided(self, size, stride, *, dtype=None, layout=None, device=None,
                      requires_grad=False, pin_memory=False):
    return _jt().empty_strided(size, stride, dtype=dtype or self.dtype,
                               device=device or self.device, requires_grad=requires_grad)


@method
def resize_(self, *sizes, memory_format=None):
    """Change the shape in place: the elements from the storage offset on, in memory order;
    new elements are zeros (torch leaves them uninitialised)."""
    size = _size_arg(sizes)
    if self.requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    if any(s < 0 for s in size):
        raise RuntimeError(f"Trying to create tensor with negative dimension "
                           f"{min(size)}: {list(size)}")
    if size == tuple(self.shape):
        return self
    n, offset = math.prod(size), self.storage_offset()
    st = self._storage
    if offset + n > st.array.size:
        # NumPy holds a from_numpy()/numpy() storage's memory: torch's is not resizable
        if isinstance(st, _storage_tensor.HostStorage):
            raise RuntimeError("Trying to resize storage that is not resizable")
        # growing: a fresh storage (the old values first); other handles on the old storage
        # keep it (torch would grow the shared storage in place)
        import jax.numpy as jnp
        from ._tensor import Storage
        flat = jnp.ravel(st.array)
        grown = jnp.concatenate([flat, jnp.zeros(offset + n - flat.size, flat.dtype)])
        self._storage = Storage(grown, st.device)
    self._view = (size, _views.contiguous_strides(size), offset)
    self._shape = Size(size)
    self._cache = None
    return self


@method
def resize_as_(self, the_template, memory_format=None):
    return self.resize_(the_template.shape)


def _resize_function():
    from .autograd import Function

    class Resize(Function):
        """The deprecated out-of-place resize: a reshape that keeps the element count."""

        @staticmethod
        def forward(ctx, tensor, sizes):
            numel = math.prod(sizes)
            if tensor.numel() != numel:
                raise RuntimeError(
                    f"requested resize to {'x'.join(map(str, sizes))} ({numel} elements in "
                    f"total), but the given tensor has a size of "
                    f"{'x'.join(map(str, tensor.size()))} ({tensor.numel()} elements). "
                    "autograd's resize can only change the shape of a given tensor, while "
                    "preserving the number of elements. ")
            ctx.input_sizes = tensor.size()
            return tensor.contiguous().clone().view(*sizes)

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output.contiguous().view(ctx.input_sizes), None

    return Resize


@method
def resize(self, *sizes):
    warnings.warn("non-inplace resize is deprecated", stacklevel=2)
    return _resize_function().apply(self, sizes)


@method
def resize_as(self, tensor):
    warnings.warn("non-inplace resize_as is deprecated", stacklevel=2)
    return _resize_function().apply(self, tensor.size())
