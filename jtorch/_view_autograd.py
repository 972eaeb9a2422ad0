"""Views and autograd: a view's node, and the history rewrites of in-place writes.

A view (``make_view``) is metadata over its base's storage (``_views``); its backward is the
adjoint of its gather, linear and fixed by the metadata, so nothing is computed when it is
recorded. An in-place write through a view rewrites history as torch does: the base's
grad_fn becomes ``CopySlices(old base, new values)`` and the view an ``AsStridedBackward0``
of the base's new history (``copy_slices``); a view whose storage changed since its grad_fn
was set regenerates it the same way on first read (``regenerate``, called by
``Tensor.grad_fn``). In-place metadata ops (``transpose_``, ``squeeze_``...) take on a
view's layout (``restride_``).
"""
from __future__ import annotations

import functools
import re

import jax
import jax.numpy as jnp

from . import _caches, _dtypes, _view_access, _views
from ._errors import warn_at_user
from ._tensor import INTERNAL_OVERLAP, Tensor
from . import _grad_mode as grad_mode
from .autograd.engine import grad_edge
from .autograd.graph import FusedBackward, Node, node_class
from .device import CPU  # noqa: F401  (re-exported for the fast paths' device check)

# autograd/forward_ad.py sets this while a forward-AD level is open (None otherwise)
forward_ad_view = None


def make_view(x, meta_fn, args, grad_fn_name):
    """A view of ``x`` by a metadata function from ``_views`` (see there)."""
    shape = tuple(x._shape)
    # torch takes the input's gradient edge before the view's own argument checks (reading
    # the history of a view written through its base may raise first)
    enabled = grad_mode.is_grad_enabled()
    edge = grad_edge(x) if enabled and x._requires_grad else None
    rel = None
    if x._view is None:
        new = rel = meta_fn(shape, _views.contiguous_strides(shape), 0, *args)
    else:
        new = meta_fn(*x._view, *args)
    v = Tensor._alias(x, view=new, base=x._base if x._base is not None else x)
    if edge is not None:
        if not (x._dtype.is_floating_point or x._dtype.is_complex):
            # an integral tensor with history (written into from a float one): torch's
            # set_history refuses to give its view a grad_fn
            raise RuntimeError("Autograd not support dtype: "
                               f"{_dtypes.torch_type_name(x._dtype)}")
        if rel is None:
            rel = meta_fn(shape, _views.contiguous_strides(shape), 0, *args)
        # a view's backward is linear and depends only on its metadata: nothing is computed
        # now (the view's values are read lazily, or inside the op that consumes them)
        static = (rel, shape, x._dtype._np)
        node = node_class(grad_fn_name)(
            grad_fn_name, functools.partial(view_backward, *static),
            (edge,), ((tuple(new[0]), x._dtype._np),))
        node._diff = functools.partial(view_replay, rel, x)
        node._fused = FusedBackward(fused_view, static, None, (True,))
        v._grad_fn = node
        v._requires_grad = True
    v._view_version = v._storage.version
    _set_creation_meta(x, v, enabled)
    if forward_ad_view is not None:
        return forward_ad_view(x, v, meta_fn, args, grad_fn_name)
    return v


# torch's CreationMeta of a view that may not be written in place while its result needs a
# gradient: ("no_grad", 0) made in no-grad mode, ("multi", k) output k of split/unbind/chunk
# (set by _ops/shape); a view of such a view inherits it. Kept in the tensor's __dict__ (only
# such views get one). Every view made in no-grad mode is marked, whether or not its base
# requires grad, as torch's: writing it later with an input that requires grad is refused.
def _set_creation_meta(x, v, grad_enabled):
    if not grad_enabled:
        v._creation_meta = ("no_grad", 0)
        return
    meta = x.__dict__.get("_creation_meta")
    if meta is not None:
        v._creation_meta = (meta[0], 0)


_MULTI_TEXT = (" This view is the output of a function that returns multiple views. Such "
               "functions do not allow the output views to be modified inplace. You should "
               "replace the inplace operation by an out-of-place one.")
_NO_GRAD_TEXT = (" Given that this use case is ambiguous and error-prone, it is forbidden. You "
                 "can clarify your code by moving both the view and the inplace either both "
                 "inside the no_grad block (if you don't want the inplace to be tracked) or "
                 "both outside (if you want the inplace to be tracked).")


def _rebase_error(t, kind, index, indirect=False):
    """torch's handle_view_on_rebase message for an in-place write to such a view
    (``indirect``: to its base or another view of it, found when its history is read)."""
    fn = t._grad_fn
    # torch's short node name: SplitBackward0 -> Split, SqueezeBackward1 -> Squeeze1
    name = None if fn is None else \
        re.sub(r"Backward(\d*)$", lambda m: m.group(1).lstrip("0"), fn.name())
    what = "its base or another view of its base has been" if indirect else "is being"
    if kind == "multi" and fn is not None:
        msg = f"Output {index} of {name} is a view and {what} modified inplace."
    else:
        prefix = "A view was created in" if fn is None else \
            f"Output {index} of {name} is a view of a view which was created in"
        msg = f"{prefix} no_grad mode and {what} modified inplace with grad mode enabled."
    return RuntimeError(msg + (_MULTI_TEXT if kind == "multi" else _NO_GRAD_TEXT))


@functools.lru_cache(maxsize=_caches.VIEW_ADJOINTS)
def view_adjoint(shape, stride, in_shape, np_dtype):
    """The compiled adjoint of a view's gather (scatter-add of the cotangent into zeros); the
    offset is a run-time argument, as in the read."""
    read = _view_access.gather_raw(shape, stride)

    def adjoint(ct, offset):
        _, pullback = jax.vjp(lambda a: read(a, offset), jnp.zeros(in_shape, np_dtype))
        return pullback(ct)[0]
    return jax.jit(adjoint)


def view_backward(rel, in_shape, np_dtype, cts):
    shape, stride, offset = rel
    return [view_adjoint(shape, stride, in_shape, np_dtype)(cts[0], offset)]


def fused_view(static, _, cts):
    """A view's backward as a pure function for ``autograd/fused.py``."""
    return view_backward(*static, cts)


def view_replay(rel, x, cts):
    """create_graph=True through a view: the adjoint of the gather is itself linear and
    differentiable, recorded as an as_strided scatter of the cotangent (an op of the table,
    so the backward is recorded too)."""
    from ._ops.shape import _view_backward     # (the op table imports this module)
    return [_view_backward(cts[0], tuple(x._shape), rel)]


# ops torch's autograd never takes gradient edges for (no derivative and none needed: their
# results are bools or indices); every other op reads them, even one without a derivative
# (bitwise_and, gcd, isfinite: a NotImplemented node), so a stale view raises there
TAKES_NO_EDGES = frozenset(
    "all any argmax argmin count_nonzero eq ne lt le gt ge isin isinf isnan isneginf "
    "isposinf isreal signbit logical_and logical_or logical_xor logical_not".split())


def read_histories(targs):
    """torch takes an op's gradient edges before the op's own checks: when grad mode is on
    and an input requires grad, each input view written through its base since its history
    was set reads that history now (it regenerates, or raises torch's error for a view that
    may no longer be used)."""
    stale = [t for t in targs if isinstance(t, Tensor) and t._base is not None
             and t._view_version != t._storage.version]
    if stale and grad_mode.is_grad_enabled() and \
            any(isinstance(t, Tensor) and t._requires_grad for t in targs):
        for t in stale:
            t.grad_fn       # noqa: B018 (read for its effect)


# ------------------------------------------------------------------ in-place rewrites
def check_inplace(t, others=()):
    """torch's autograd check of an in-place write to ``t`` (before the op's own checks),
    made when grad mode is on and ``t`` or one of the op's other tensor inputs requires
    grad: a view made in no-grad mode or by a multi-output op may not be written; neither
    may a view of a leaf nor a leaf that requires grad."""
    if not grad_mode.is_grad_enabled():
        return
    requires = t._requires_grad
    if not requires and not any(isinstance(o, Tensor) and o._requires_grad for o in others):
        return
    base = t._base
    if base is not None:
        meta = getattr(t, "_creation_meta", None)
        if meta is not None:
            raise _rebase_error(t, *meta)
        if requires and base._grad_fn is None:     # (the base is never itself a view)
            raise RuntimeError("a view of a leaf Variable that requires grad is being used "
                               "in an in-place operation.")
    # (torch's C++ is_leaf reads the stored history: a view written through its base is a
    # leaf here until its grad_fn is read and regenerated)
    if requires and t._grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an "
                           "in-place operation.")


# The in-place ops whose kernels torch runs without its internal-overlap check, so that they
# may write an expanded tensor: op name -> (the name torch's deprecation warning gives, the
# indexing form it mentions), None where torch does not warn. Every other in-place op
# refuses such a target before its shape and dtype checks (TensorIterator's order); so does
# a fill by a tensor value (torch's fill_ of a tensor checks).
_WRITES_EXPANDED = {"zero": None, "fill": None, "masked_fill": ("masked_fill_", "[mask] = scalar"),
                    "_index_fill": ("index_fill_", "[mask] = scalar"),
                    "_index_put": ("index_put_", "[indices] = tensor")}
# where torch's warnings are raised (its message names the line)
_WARNED_AT = {"masked_fill_": 2450, "index_fill_": 1913, "index_put_": 976}


def check_internal_overlap(d, target, targs):
    """An in-place op ``d`` writing ``target``, a view whose elements share memory: torch's
    error, or for the few ops that allow it, its deprecation warning (see _WRITES_EXPANDED).
    ``Tensor._write`` then stores only what the op changed."""
    view = target._view
    if view is None or not _views.has_internal_overlap(*view[:2]):
        return
    if d.name == "copy" and _same_data(target, targs[1]):
        return      # torch's copy_ returns at once when the source is the target's very data
    if d.name not in _WRITES_EXPANDED or (d.name == "fill" and isinstance(targs[1], Tensor)):
        raise RuntimeError(INTERNAL_OVERLAP)
    warning = _WRITES_EXPANDED[d.name]
    if warning is not None:
        name, form = warning
        warn_at_user(f"Use of {name} on expanded tensors is deprecated. Please clone() the "
                     "tensor before performing this operation. This also applies to advanced "
                     f"indexing e.g. tensor{form} (Triggered internally at /__w/pytorch/"
                     "pytorch/aten/src/ATen/native/TensorAdvancedIndexing.cpp:"
                     f"{_WARNED_AT[name]}.)")


def _same_data(target, src):
    """``src`` is ``target`` or a view of the same elements in the same layout and dtype."""
    return src is target or (
        isinstance(src, Tensor) and src._storage is target._storage and
        src._dtype is target._dtype and src._view is not None and
        tuple(src._view) == tuple(target._view))


def copy_slices(base, view, res):
    """After ``view`` (of ``base``) was overwritten by ``res`` in place: ``base``'s history
    becomes CopySlices(old base, res) and ``view`` becomes a strided view of the new base."""
    meta = view._view
    base_edge = grad_edge(base)
    # torch's backward writes the gradient of the base's old history through a strided view
    # of the base's gradient: for a view whose elements share memory that write raises
    refused = base_edge[0] is not None and _views.has_internal_overlap(*meta[:2])

    def copy_slices_backward(cts):
        if refused:
            raise RuntimeError(INTERNAL_OVERLAP)
        g = cts[0]
        return [_view_access.write_view(g, *meta, jnp.zeros((), g.dtype)),
                _view_access.gather(g, *meta)]

    node = Node("torch::autograd::CopySlices", copy_slices_backward,
                (base_edge, grad_edge(res)), ((tuple(base._shape), base._dtype._np),))
    base._grad_fn = node
    base._requires_grad = True
    base._out_index = 0
    as_strided_of_base(view)


def as_strided_of_base(view):
    """Give ``view`` an AsStridedBackward0 node onto its base's current history."""
    base, meta = view._base, view._view
    base_shape = tuple(base._shape)
    overlapping = _views.has_internal_overlap(*meta[:2])

    def as_strided_backward(cts):
        ct = cts[0]
        if overlapping:     # elements sharing a location sum their gradients there
            return [view_adjoint(*meta[:2], base_shape, ct.dtype)(ct, meta[2])]
        return [_view_access.write_view(jnp.zeros(base_shape, ct.dtype), *meta, ct)]

    view._grad_fn = Node("AsStridedBackward0", as_strided_backward, (grad_edge(base),),
                         ((tuple(view._shape), view._dtype._np),))
    view._requires_grad = True
    view._out_index = 0
    view._view_version = view._storage.version


def regenerate(view):
    """The storage changed since this view's grad_fn was set: as torch, the view now comes
    from its base's current history through an AsStridedBackward0 node. A view without
    history of a base that requires no grad keeps none (torch: it is a leaf, even after
    ``requires_grad_()``)."""
    if view._grad_fn is None and not view._base._requires_grad:
        return None
    meta = getattr(view, "_creation_meta", None)
    if meta is not None:        # (every read raises: the history can't be rebuilt)
        raise _rebase_error(view, *meta, indirect=True)
    view._view_version = view._storage.version
    as_strided_of_base(view)
    return view._grad_fn


def restride_(self, view, grad_name):
    """An in-place metadata op: ``self`` takes on ``view``'s shape and strides; its history
    gains the view's node under torch's in-place name (TransposeBackward1, ...)."""
    check_inplace(self)
    self._view, self._shape, self._cache = view._view, view._shape, None
    st = self._storage
    st.version += 1
    self._view_version = st.version
    if view._grad_fn is not None:
        view._grad_fn._name = grad_name
        self._grad_fn, self._requires_grad = view._grad_fn, True
    return self
