"""Tensor methods of issue 18 that are plain Python over the public API: the method forms
of torch.* functions built elsewhere (``_ops/api_*``), in-place forms, Python callbacks
(``apply_``, ``map_``), flags of memory jtorch does not model (pinned, shared) and the
removed methods that now only raise. The shape, layout and storage methods (``dim_order``,
``new``, ``resize_``...) are in ``_tensor_layout_methods.py``; ``install`` attaches both.

A method is attached only where ``Tensor`` has no attribute of that name yet, so a table op
declared later with a method variant keeps its own."""
import warnings

import numpy as np

from . import _dlpack, _dtypes, _tensor_layout_methods, _views
from ._dispatch import call_inplace, check_inplace, make_view
from ._ops import put_index_reduce
from ._ops.registry import OPS
from ._tensor import Tensor


def _jt():
    import jtorch
    return jtorch


_METHODS = {}


def method(fn=None, *, name=None):
    """Collect ``fn`` as ``Tensor.<name>`` (attached by ``install``)."""
    def register(f):
        _METHODS[name or f.__name__] = f
        return f
    return register(fn) if fn is not None else register


def _prop(name):
    def register(f):
        _METHODS[name] = property(f)
        return f
    return register


@method(name="where")
def _where(self, condition, y):
    """``Tensor.where(condition, y)`` is ``torch.where(condition, self, y)``."""
    return _jt().where(condition, self, y)


# ---------------------------------------------------------------- method forms of functions
# torch.* functions of another module whose Tensor method takes the same arguments after
# self (the C++ methods have no introspectable signature)
_DELEGATED = (
    "adjoint", "as_strided_", "as_strided_scatter", "cholesky_inverse", "cholesky_solve",
    "corrcoef", "cov", "diagonal_scatter", "frexp", "geqrf", "hardshrink", "histogram",
    "igamma", "igammac", "ldexp", "lu_solve", "narrow_copy", "nextafter", "nonzero_static",
    "orgqr", "ormqr", "prelu", "renorm", "select_scatter", "slice_scatter", "split_with_sizes",
    "triangular_solve", "unsafe_chunk", "unsafe_split", "unsafe_split_with_sizes",
    "is_distributed",
)


def _delegate(name):
    def fn(self, *args, **kwargs):
        return getattr(_jt(), name)(self, *args, **kwargs)
    fn.__name__ = fn.__qualname__ = name
    return fn


for _name in _DELEGATED:
    _METHODS[_name] = _delegate(_name)


# torch's Python-level methods: the same parameters as torch's (checked by the API test)
@method
def lu(self, pivot=True, get_infos=False):
    return _jt().lu(self, pivot=pivot, get_infos=get_infos)


@method
def stft(self, n_fft, hop_length=None, win_length=None, window=None, center=True,
         pad_mode="reflect", normalized=False, onesided=None, return_complex=None,
         align_to_window=None):
    kwargs = {} if align_to_window is None else {"align_to_window": align_to_window}
    return _jt().stft(self, n_fft, hop_length, win_length, window, center, pad_mode,
                      normalized, onesided, return_complex, **kwargs)


@method
def istft(self, n_fft, hop_length=None, win_length=None, window=None, center=True,
          normalized=False, onesided=None, length=None, return_complex=False):
    return _jt().istft(self, n_fft, hop_length, win_length, window, center, normalized,
                       onesided, length, return_complex)


@method
def eig(self, eigenvectors=False):
    return _jt().eig(self, eigenvectors=eigenvectors)


@method
def symeig(self, eigenvectors=False):
    return _jt().symeig(self, eigenvectors=eigenvectors)


@method
def lstsq(self, other):
    return _jt().lstsq(self, other)


@method
def solve(self, other):
    return _jt().solve(self, other)


# ---------------------------------------------------------------- in-place forms
def _inplace_of_table_op(name):
    """``Tensor.<name>_`` from the table op ``name``: torch's node and version checks."""
    d = OPS[name]

    def fn(self, *args, **kwargs):
        return call_inplace(d, self, args, kwargs)
    fn.__name__ = fn.__qualname__ = name + "_"
    return fn


for _name in ("addmm", "cumsum"):
    _METHODS[_name + "_"] = _inplace_of_table_op(_name)


def _inplace_by_copy(name):
    """``Tensor.<name>_`` of a composite function: the result is computed from a clone (so
    the graph never saves the overwritten values) and copied in (a CopyBackwards node)."""
    def fn(self, *args, **kwargs):
        check_inplace(self)
        src = self.clone() if self.requires_grad else self
        return self.copy_(getattr(_jt(), name)(src, *args, **kwargs))
    fn.__name__ = fn.__qualname__ = name + "_"
    return fn


for _name in ("igamma", "igammac", "nextafter", "renorm"):
    _METHODS[_name + "_"] = _inplace_by_copy(_name)


@method
def ldexp_(self, other):
    return _jt().ldexp_(self, other)     # api_math's in-place table-op call (LdexpBackward0)


# put, put_, index_reduce, index_reduce_: jtorch/_ops/put_index_reduce.py (over its table ops)
for _name in ("put", "put_", "index_reduce", "index_reduce_"):
    _METHODS[_name] = getattr(put_index_reduce, "method_" + _name)


# ---------------------------------------------------------------- Python callbacks
def _check_callback_target(self, name):
    if self.requires_grad:
        raise RuntimeError(f"Can't call {name}() on Variable that requires grad. Use "
                           f"var.detach().{name}() instead.")


def _elementwise(self, fn, *others):
    """Write ``fn(self_i, others_i...)`` element by element (Python callables, as torch's
    CPU-only apply_/map_/map2_), cast to self's dtype as a Python number would be."""
    others = [o.expand(self.shape) for o in others]
    cast = float if self.dtype.is_floating_point else (
        complex if self.dtype.is_complex else (bool if self.dtype is _dtypes.bool else int))
    values = [np.asarray(t.detach()._value()).reshape(-1).tolist() for t in (self, *others)]
    out = [cast(fn(*vals)) for vals in zip(*values)]
    import jax.numpy as jnp
    result = jnp.asarray(np.asarray(out, dtype=self.dtype._np).reshape(tuple(self.shape)))
    with _jt().no_grad():
        self.copy_(Tensor._make(result, self.dtype))
    return self


@method
def apply_(self, callable):
    _check_callback_target(self, "apply_")
    return _elementwise(self, callable)


@method
def map_(self, tensor, callable):
    _check_callback_target(self, "map_")
    return _elementwise(self, callable, tensor)


@method
def map2_(self, x, y, callable):
    _check_callback_target(self, "map2_")
    return _elementwise(self, callable, x, y)


# ---------------------------------------------------------------- identity and flags
@method
def as_subclass(self, cls):
    """An alias of ``self`` (AliasBackward0 under grad) whose class is ``cls``."""
    out = make_view(self, _views.meta_alias, (), "AliasBackward0")
    out.__class__ = cls
    return out


@method
def is_inference(self):
    # jtorch's inference_mode records no graph but makes ordinary tensors
    return False


@method
def is_shared(self):
    return bool(self.__dict__.get("_jtorch_shared", False))


@method
def share_memory_(self):
    """Marks the tensor shared (jtorch's DataLoader workers run in-process, so its memory
    is already visible to them)."""
    self.__dict__["_jtorch_shared"] = True
    return self


@method
def is_pinned(self, device=None):
    return False


@method
def pin_memory(self, device=None):
    raise RuntimeError("Cannot access accelerator device when none is available.")


@method
def module_load(self, other, assign=False):
    """How ``load_state_dict`` turns a state-dict value into the new parameter."""
    if assign:
        return other.detach()
    return self.copy_(other).detach()


@method
def reinforce(self, reward):
    raise RuntimeError(_REINFORCE)


_REINFORCE = """reinforce() was removed.
Use torch.distributions instead.
See https://pytorch.org/docs/main/distributions.html

Instead of:

probs = policy_network(state)
action = probs.multinomial()
next_state, reward = env.step(action)
action.reinforce(reward)
action.backward()

Use:

probs = policy_network(state)
# NOTE: categorical is equivalent to what used to be called multinomial
m = torch.distributions.Categorical(probs)
action = m.sample()
next_state, reward = env.step(action)
loss = -m.log_prob(action) * reward
loss.backward()
"""


@method
def record_stream(self, *args):
    """CUDA caching-allocator bookkeeping: a CPU build has no stream to pass."""
    if not args:
        raise TypeError('record_stream() missing 1 required positional arguments: "s"')
    raise RuntimeError("unknown parameter type")


@method
def is_set_to(self, tensor):
    """Same storage, offset, sizes and strides."""
    return (self._storage is tensor._storage and self.storage_offset() == tensor.storage_offset()
            and self.shape == tensor.shape and self.stride() == tensor.stride())


@method
def const_data_ptr(self):
    return self.data_ptr()


@_prop("output_nr")
def _output_nr(self):
    return self._out_index if self._grad_fn is not None else 0


@_prop("name")
def _name(self):
    return None


@_prop("is_nested")
def _is_nested(self):
    return False


@_prop("volatile")
def _volatile(self):
    warnings.warn("volatile was removed (Variable.volatile is always False)", stacklevel=2)
    return False


@_prop("grad_dtype")
def _grad_dtype(self):
    if self.grad_fn is not None:
        raise RuntimeError("grad_dtype can only be accessed on leaf tensors.")
    return self.dtype


# ---------------------------------------------------------------- torch's method signatures
# Python-level torch methods whose functions here name their parameters apart: the method
# takes torch's names and forwards to the function
def _with_signature(fn_name):
    import jtorch
    fn = getattr(jtorch, fn_name)

    def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
        return fn(self, p, dim, keepdim, dtype=dtype)

    def split(self, split_size, dim=0):
        return fn(self, split_size, dim)

    def unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
        return fn(self, sorted, return_inverse, return_counts, dim)

    def unique_consecutive(self, return_inverse=False, return_counts=False, dim=None):
        return fn(self, return_inverse, return_counts, dim)
    return locals()[fn_name]


_RENAMED = ("norm", "split", "unique", "unique_consecutive")


@method
def to_jax(self):
    """The tensor's values as a jax array (a jtorch extension; no copy for a non-view)."""
    return self._value()


method(_dlpack.tensor_dlpack, name="__dlpack__")
method(_dlpack.tensor_dlpack_device, name="__dlpack_device__")


def install():
    _METHODS.update(_tensor_layout_methods.METHODS)
    for name, fn in _METHODS.items():
        if name not in Tensor.__dict__ and not hasattr(Tensor, name):
            setattr(Tensor, name, fn)
    for name in _RENAMED:
        setattr(Tensor, name, _with_signature(name))


install()
