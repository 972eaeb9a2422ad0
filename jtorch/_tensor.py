"""Tensor: a thin handle over a jax array (its storage) or a strided view of one.

No math lives here: arithmetic, reductions, views and conversions are attached from the op
table (``jtorch._ops``). This module owns storage sharing, the version counter and the
class; its autograd members (``_tensor_autograd``) and Python-protocol conversions (item,
tolist, numpy, len, iter, bool, ...: ``_tensor_convert``) are attached from their modules.
"""
from __future__ import annotations

import math

from . import _dtypes, _tensor_autograd, _tensor_convert
from . import _view_access, _views
from .device import CPU


INTERNAL_OVERLAP = ("unsupported operation: more than one element of the written-to tensor "
                    "refers to a single memory location. Please clone() the tensor before "
                    "performing the operation.")


class Storage:
    """The one mutable cell behind a tensor and all its views: the current jax array and the
    version counter that every in-place write bumps (torch's ``_version``)."""

    __slots__ = ("array", "version", "device", "__weakref__")

    def __init__(self, array, device=CPU):
        self.array = array
        self.version = 0
        self.device = device


class Size(tuple):
    """torch.Size: a tuple that prints as ``torch.Size([2, 3])``."""

    def __repr__(self):
        return f"torch.Size({list(self)})"

    __str__ = __repr__

    def numel(self):
        return math.prod(self)

    def __getitem__(self, item):
        out = super().__getitem__(item)
        return Size(out) if isinstance(item, slice) else out

    def __add__(self, other):
        return Size(tuple(self) + tuple(other))

    def __radd__(self, other):
        return Size(tuple(other) + tuple(self))

    def __reduce__(self):
        return (Size, (tuple(self),))


class Tensor:
    # _view: None when the tensor is its storage's whole array in its own shape, else
    # (shape, stride, offset) into the flat storage. _cache: (version, array) for views.
    # _grad_flag: torch's own requires_grad field (set by requires_grad_() and on results
    # with history); ``_requires_grad`` reads it together with a view's base (see there).
    __slots__ = ("_storage", "_view", "_shape", "_dtype", "_grad_flag", "_grad",
                 "_grad_fn", "_base", "_retains_grad", "_hooks", "_cache", "_out_index",
                 "_view_version",
                 "_acc",        # the leaf's AccumulateGrad node, made on first use (engine)
                 "_saved_by",   # the node that saved this output for its backward (_record)
                 "__dict__", "__weakref__")

    # --------------------------------------------------------------- construction
    @classmethod
    def _make(cls, array, dtype=None, device=CPU, requires_grad=False):
        t = cls._make_storage(
            Storage(array, device), Size(array.shape),  # jax shapes are tuples of ints
            dtype if dtype is not None else _dtypes.from_numpy_dtype(array.dtype))
        t._grad_flag = requires_grad
        return t

    @classmethod
    def _make_storage(cls, storage, shape, dtype):
        """A tensor over ``storage`` (its own array, or a queued op's: see _lazy) of a known
        Size and dtype."""
        t = object.__new__(cls)
        t._storage = storage
        t._view = None
        t._shape = shape
        t._dtype = dtype
        t._grad_flag = False
        t._grad = None
        t._grad_fn = None
        t._base = None
        t._retains_grad = False
        t._hooks = None
        t._cache = None
        t._out_index = 0
        t._view_version = 0
        t._acc = None
        t._saved_by = None
        return t

    @classmethod
    def _alias(cls, src, view=None, base=None):
        """A new handle on ``src``'s storage (a view when ``view`` metadata is given)."""
        if view is None:
            view = src._view
        t = cls._make_storage(src._storage, Size(view[0]) if view is not None else src._shape,
                              src._dtype)
        t._view = view
        t._base = base
        t._view_version = src._storage.version
        return t

    def __new__(cls, *args, **kwargs):
        # Legacy constructor: torch.Tensor(2, 3) (uninitialised) or torch.Tensor([[1, 2]]).
        from ._creation import legacy_new
        return legacy_new(cls, _dtypes.get_default_dtype(), args, kwargs)

    def __init__(self, *args, **kwargs):
        pass

    # --------------------------------------------------------------- value access
    def _value(self):
        """The current jax array holding this tensor's values."""
        if self._view is None:
            return self._storage.array
        st = self._storage
        cache = self._cache
        if cache is not None and cache[0] == st.version and cache[1] is st.array:
            return cache[2]
        shape, stride, offset = self._view
        out = _view_access.gather(st.array, shape, stride, offset)
        self._cache = (st.version, st.array, out)
        return out

    def _write(self, array, overlap_ok=False):
        """Replace this tensor's values in place (through to the storage); bumps the version.
        A view whose elements share memory (an expanded tensor) is refused, as torch's
        kernels refuse it, unless ``overlap_ok``: the op's call checked that torch allows
        it (the fills: see ``_view_autograd.check_internal_overlap``)."""
        st = self._storage
        if self._view is None:
            st.array = array.astype(st.array.dtype).reshape(st.array.shape) \
                if array.shape != st.array.shape or array.dtype != st.array.dtype else array
        else:
            shape, stride, offset = self._view
            if not _views.has_internal_overlap(shape, stride):
                st.array = _view_access.write_view(st.array, shape, stride, offset, array)
            elif overlap_ok:
                st.array = _view_access.write_overlapping(st.array, shape, stride, offset, array)
            else:
                raise RuntimeError(INTERNAL_OVERLAP)
        st.version += 1

    # --------------------------------------------------------------- metadata
    @property
    def shape(self):
        return self._shape

    def size(self, dim=None):
        if dim is None:
            return self._shape
        return self._shape[_views._wrap_dim(dim, len(self._shape))]

    @property
    def dtype(self):
        return self._dtype

    @property
    def device(self):
        return self._storage.device

    @property
    def is_cuda(self):
        return self._storage.device.type == "cuda"

    @property
    def is_cpu(self):
        return self._storage.device.type == "cpu"

    @property
    def ndim(self):
        return len(self._shape)

    def dim(self):
        return len(self._shape)

    ndimension = dim

    def numel(self):
        return math.prod(self._shape)

    nelement = numel

    def element_size(self):
        return self._dtype.itemsize

    @property
    def itemsize(self):
        return self._dtype.itemsize

    @property
    def nbytes(self):
        return self.numel() * self._dtype.itemsize

    def stride(self, dim=None):
        st = self._view[1] if self._view is not None else _views.contiguous_strides(self._shape)
        if dim is None:
            return st
        return st[_views._wrap_dim(dim, len(self._shape))]

    def storage_offset(self):
        return self._view[2] if self._view is not None else 0

    def is_contiguous(self, memory_format=None):
        return self._view is None or _views.is_contiguous(self._shape, self._view[1])

    def data_ptr(self):
        """The address of this tensor's first element in its storage's current buffer (it
        moves when an in-place write replaces the buffer: see jtorch/storage.py)."""
        from ._storage_tensor import data_ptr
        return data_ptr(self)

    def untyped_storage(self):
        """The public torch.UntypedStorage over this tensor's storage (same object while it
        lives); internal code uses ``_storage``."""
        from ._storage_tensor import untyped_storage
        return untyped_storage(self)

    def storage(self):
        from ._storage_tensor import typed_storage
        return typed_storage(self)

    def set_(self, source=None, storage_offset=0, size=None, stride=None):
        from ._storage_tensor import set_
        return set_(self, source, storage_offset, size, stride)

    @property
    def _version(self):
        return self._storage.version

    def is_floating_point(self):
        return self._dtype.is_floating_point

    def is_complex(self):
        return self._dtype.is_complex

    def is_signed(self):
        return self._dtype.is_signed

    @property
    def is_sparse(self):
        return False

    @property
    def is_quantized(self):
        return False

    @property
    def is_meta(self):
        return False

    @property
    def layout(self):
        from . import strided
        return strided

    def get_device(self):
        d = self._storage.device
        return -1 if d.type == "cpu" else (d.index or 0)

    # --------------------------------------------------------------- autograd attributes
    @property
    def _requires_grad(self):
        """Whether this tensor requires grad, as torch computes it at use time: its own flag,
        or, for a view, its base's (a view made before its base's ``requires_grad_()``, or
        in no-grad mode, requires grad with the base but has no history of its own)."""
        if self._grad_flag:
            return True
        base = self._base
        return base is not None and base._grad_flag

    @_requires_grad.setter
    def _requires_grad(self, flag):
        self._grad_flag = flag

    # (requires_grad, grad, grad_fn, hooks, backward: _tensor_autograd)

    def detach(self):
        return Tensor._alias(self)

    def detach_(self):
        if self._base is not None and self._grad_fn is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead. If you are "
                               "using DistributedDataParallel (DDP) for training, ...")
        self._grad_fn = None
        self._requires_grad = False
        return self

    @property
    def data(self):
        return Tensor._alias(self)

    @data.setter
    def data(self, value):
        # `.data = t` swaps the storage this handle points at (torch's set_data)
        self._storage = value._storage
        self._view = value._view
        self._shape = value._shape
        self._dtype = value._dtype
        self._cache = None

    # --------------------------------------------------------------- Python conversions
    # (item, tolist, numpy, len, bool, int, index...: _tensor_convert)

    def __hash__(self):
        return id(self)

    def __repr__(self, *, tensor_contents=None):
        from ._tensor_str import format_tensor
        d = self._storage.device
        try:
            fn = self.grad_fn       # (a view written through its base regenerates it first)
            name = fn.name() if fn is not None else None
        except RuntimeError:        # a view that may no longer be used: torch prints Invalid
            name = "Invalid"
        return format_tensor(self._host(), self._dtype,
                             device=None if d.type == "cpu" else str(d),
                             requires_grad=self._requires_grad, grad_fn=name)

    __str__ = __repr__

    def __reduce_ex__(self, protocol):
        return (_rebuild, (self._host(), self._dtype, self._requires_grad))

    def __deepcopy__(self, memo):
        from ._creation import _from_array
        out = _from_array(self._value(), self._dtype, self.device)
        out._requires_grad = self._requires_grad
        if self._grad is not None:
            out._grad = self._grad.__deepcopy__(memo)
        out.__dict__.update(self.__dict__)
        memo[id(self)] = out
        return out

    # torch.Tensor is also the namespace of these class-level flags
    __array_priority__ = 1000


def _attach(members):
    """Make ``members`` (name -> function or property, from a module that holds a group of
    Tensor's members) Tensor's own: named ``Tensor.<name>`` in this module, as if defined in
    the class body, so help() and reprs are unchanged and lookups cost the same."""
    for name, member in members.items():
        for f in ((member.fget, member.fset, member.fdel) if isinstance(member, property)
                  else (member,)):
            if f is not None:
                f.__module__, f.__qualname__ = __name__, f"Tensor.{f.__name__}"
        setattr(Tensor, name, member)


_attach(_tensor_autograd.MEMBERS)
_attach(_tensor_convert.MEMBERS)


def _rebuild(array, dtype, requires_grad):
    import jax.numpy as jnp
    t = Tensor._make(jnp.asarray(array), dtype)
    t._requires_grad = requires_grad
    return t
