"""The one place where dtypes, views and autograd meet for an op call.

A call: bind arguments -> split tensor-like args (jit arguments) from static ones (cache key)
-> torch's result dtype -> a cached ``jax.jit`` callable (``_compile``: forward, or forward
returning ``(out, vjp)`` when a gradient is needed) -> wrap outputs -> record a ``Node``
(``_record``). ``jax.vjp`` is never called eagerly: the VJP object leaves one jitted call
and enters the shared jitted backward.

Two paths: ``call``'s fast paths, keyed by ``fast_signature`` (positional tensors and Python
numbers, an out-of-place call), which find the compiled callable, result dtype and node
recipe learned by the full path ``_call`` on the first call with that signature; and
``_call`` itself for everything else. Views and in-place history: ``_view_autograd``;
create_graph replays: ``_replay``.
"""
from __future__ import annotations

import functools

import numpy as np

from . import _caches, _errors, _lazy, _out_arg
from ._arguments import (DEVICE_SCALARS, FAST_SCALARS, Operands, bind,
                         common_device, device_scalar, dtypes_of, hashable)
from ._result_layout import in_memory_order, restride, result_layout
from ._compile import (CompileKey, FastEntry, GradFastEntry,  # noqa: F401 (re-exported)
                       compiled, recompute_vjp)
from ._ops.registry import OPS, OpDef, Promotion  # noqa: F401  (OPS: re-exported)
from ._record import NO_DERIVATIVE, NodeRecipe, needs_grad, record, record_plain
from ._replay import replay_backward
from ._tensor import Storage, Tensor
from ._write_checks import before_kernel, check_partial_overlap, inplace_shapes
from ._view_autograd import (check_inplace, check_internal_overlap, copy_slices,  # noqa: F401
                             TAKES_NO_EDGES, make_view, read_histories)  # (re-exported)
from . import _grad_mode as grad_mode
from .device import CPU

_EMPTY = {}


# ------------------------------------------------------------------ the fast paths
_TENSORLIKE = (Tensor, bool, int, float, complex, np.generic)
_FAST_STATIC = frozenset((str, int, bool, type(None)))   # static args they key by value


def fast_signature(nt, args):
    """The fast paths' view of a positional call with ``nt`` tensor parameters:
    ``(key, arrays, shapes, grad_mask, pending)``, or None when the call needs the full path.

    key: the static args (by value and type: True == 1 and 0.0 == -0.0 as keys) and, per
    operand, its dtype and 0-dim-ness (a view: its shape and strides) or a Python number's
    type; it determines the compiled callable and the result dtype. arrays: the jit
    arguments (a view passes its storage array, its offset appended: it is read inside the
    call). shapes: each operand's shape (a number's: None). grad_mask: which operands
    require grad, as bits. pending: an operand's storage is a queued op's result (``_lazy``).
    The binary dunders inline this key for two plain tensors (``_variants.make_dunders``;
    ``tests/test_fast_paths.py`` checks they agree)."""
    if len(args) == nt:
        targs, key = args, []
    else:
        targs, statics = args[:nt], args[nt:]
        for a in statics:
            t = type(a)
            if t not in _FAST_STATIC and not (t is float and a == a and a != 0.0):
                return None
        key = [statics, tuple(map(type, statics))]
    arrays, shapes, offsets = [], [], None
    mask = 0
    pending = False
    for a in targs:
        if isinstance(a, Tensor):
            st = a._storage
            if st.device is not CPU:
                return None
            key.append(a._dtype)
            v = a._view
            if v is None:
                key.append(not a._shape)
            else:
                key.append((v[0], v[1]))
                if offsets is None:
                    offsets = []
                offsets.append(v[2])
            mask = (mask << 1) | a._requires_grad
            shapes.append(a._shape)
            if type(st) is Storage:
                arrays.append(st.array)
            else:       # reading its array would run the queue: pass the storage on
                arrays.append(st)
                pending = True
        elif type(a) in FAST_SCALARS:     # a Python number: its type decides promotion
            key.append(type(a))
            key.append(None)
            mask <<= 1
            shapes.append(None)
            v = DEVICE_SCALARS.get((type(a), a))
            arrays.append(v if v is not None else device_scalar(a))
        else:
            return None
    if offsets is not None:
        arrays.extend([device_scalar(o) for o in offsets])
    return tuple(key), arrays, shapes, mask, pending


# autograd/dispatch_modes.py sets _forward_ad while a forward-AD level or saved-tensor hooks
# are active (None otherwise); _autocast.sync sets _autocast inside torch.autocast
_forward_ad = None
_autocast = None


def call(d: OpDef, args, kwargs, inplace_target=None):
    if _autocast is not None and inplace_target is None:
        args, kwargs = _autocast(d, args, kwargs)
    if _forward_ad is not None:
        return _forward_ad(d, args, kwargs, inplace_target)
    if kwargs or inplace_target is not None or len(args) < d.n_tensors:
        return _call(d, args, kwargs, inplace_target)
    sig = fast_signature(d.n_tensors, args)
    if sig is None:
        return _call(d, args, kwargs, inplace_target)
    key, arrays, shapes, mask, pending = sig
    if not mask:
        hit = d.fast.get(key)
        if hit is None:
            return _call(d, args, kwargs, None, key)
        if d.check is not None:
            d.check(*args)
        return _run_or_defer(hit[0], arrays, shapes, pending, hit[1], hit[2], d, args)
    if grad_mode.is_grad_enabled() and d.differentiable:
        hit = d.fast_grad.get((key, mask))
        if hit is None:
            return _call(d, args, kwargs, None, None, (key, mask))
        return _call_fast_grad(d, args, arrays, shapes, pending, hit)
    # (the full path reads every operand's array: queued results run first, see _lazy)
    return _call(d, args, kwargs, None)


def _call_fast_grad(d, args, arrays, shapes, pending, entry):
    """A call that records a node, by the entry the full path learned for its signature."""
    if d.check is not None:
        d.check(*args)
    targs = args[:d.n_tensors]
    fn, odt, key, diff_idx, recipe, avals = entry
    if recipe.recompute is None:        # the forward returns (out, vjp): run it now
        if pending:
            arrays = _lazy.resolve(arrays)
        out, vjp = _run(fn, arrays, shapes)
        res = Tensor._make(out, odt, CPU)
        res = restride(res, result_layout(d, targs, res))
        node = record_plain(d, targs, vjp, res, recipe)
    else:                               # the plain forward; the node keeps its arguments
        res = _run_or_defer(fn, arrays, shapes, pending, odt, avals, d, targs)
        node = record_plain(d, targs, tuple(arrays), res, recipe)
        if pending:
            _lazy.hold(node)
    node._diff = functools.partial(replay_backward, d, key, targs, diff_idx,
                                   len(targs), node._out_avals, True)
    return res


def _run_or_defer(fn, arrays, shapes, pending, odt, avals, d=None, targs=()):
    """A tensor of ``fn(*arrays)``: queued (``_lazy``) when a real run at these operand
    shapes has shown its result's shape and dtype (``avals``: the fast-path entry's, operand
    shapes -> (Size, dtype), or (Size, dtype, strides, fn in memory order) for a result
    laid out as its view operands, ``result_layout``), else run now, and those learned."""
    if _lazy.ENABLED:
        shapes = tuple(shapes)
        aval = avals.get(shapes)
        if aval is not None:
            if len(aval) == 2:
                return Tensor._make_storage(_lazy.defer(fn, arrays, shapes), aval[0], aval[1])
            res = Tensor._make_storage(_lazy.defer(aval[3], arrays, shapes), aval[0], aval[1])
            res._view = (tuple(aval[0]), aval[2], 0)
            return res
        if pending:
            arrays = _lazy.resolve(arrays)
        res = Tensor._make(_run(fn, arrays, shapes), odt, CPU)
        strides = result_layout(d, targs, res)
        if strides is None:
            avals.put(shapes, (res._shape, res._dtype))
            return res
        avals.put(shapes, (res._shape, res._dtype, strides, in_memory_order(fn, res, strides)))
        return restride(res, strides)
    if pending:
        arrays = _lazy.resolve(arrays)
    try:                            # (free unless it raises)
        res = Tensor._make(fn(*arrays), odt, CPU)
    except _errors.JAX_ERRORS as e:
        _reraise(e, shapes)
    return restride(res, result_layout(d, targs, res))


def _run(fn, args, shapes):
    """``fn(*args)``, with JAX's errors for ordinary mistakes raised as torch's (``shapes``:
    the operands', a number's None)."""
    try:
        return fn(*args)
    except _errors.JAX_ERRORS as e:
        _reraise(e, shapes)


def _reraise(e, shapes):
    torch_error = _errors.translate(e, [s if s is not None else () for s in shapes])
    if torch_error is None:
        raise e
    raise torch_error from None


def _shapes(targs):
    """The tensor-like operands' shapes, for ``_run`` (lists: their elements')."""
    out = []
    for a in targs:
        for e in (a if isinstance(a, (list, tuple)) else (a,)):
            if isinstance(e, Tensor):
                out.append(e._shape)
            elif e is not None:
                out.append(())
    return out


# ------------------------------------------------------------------ the full path
# ops whose meta function, with number bounds, promotes (and refuses an in-place cast)
# before TensorIterator checks the target's overlap
_PROMOTES_FIRST = frozenset(("clamp", "clamp_min", "clamp_max"))


def _into_integral_copy(d, target):
    """copy_ into an integral target: torch collects no gradient edges (nor reads a stale
    view's history) when the target cannot take a gradient."""
    return d.name == "copy" and target is not None and \
        not (target._dtype.is_floating_point or target._dtype.is_complex)


def _before_inplace(d, target, targs, ops, skw):
    """torch's checks of an in-place call before its dtypes: the target's internal overlap,
    an operand partly aliasing it (after the cast check of ``_PROMOTES_FIRST`` ops)."""
    if d.name in _PROMOTES_FIRST and not any(isinstance(a, Tensor) for a in targs[1:]):
        dtypes_of(d, ops.operands, skw, target)
    check_internal_overlap(d, target, targs)
    check_partial_overlap(d, target, ops.tensors)


def _call(d, args, kwargs, inplace_target, fast_sig=None, fast_grad_sig=None):
    """Any call. ``fast_sig``/``fast_grad_sig``: the fast path's signature for this call,
    whose entry is learned here."""
    nt = d.n_tensors
    if kwargs or len(args) != nt:
        args, kwargs = bind(d, args, kwargs)
    if len(args) == nt:
        targs, sargs = args, ()
    else:
        targs, sargs = args[:nt], tuple([hashable(a) for a in args[nt:]])
    skw = {k: hashable(v) for k, v in kwargs.items()} if kwargs else _EMPTY
    _errors.check_operands(d, targs)      # a str where a tensor belongs: torch's TypeError
    if d.name not in TAKES_NO_EDGES and not _into_integral_copy(d, inplace_target):
        read_histories(targs)
    if d.check is not None:
        try:
            d.check(*args, **kwargs)
        except NotImplementedError:     # a kernel's dtype refusal (pow of bools): torch's
            before_kernel(d, inplace_target, targs)     # TensorIterator checks come first
            raise

    ops = Operands(targs)
    if inplace_target is not None:
        _before_inplace(d, inplace_target, targs, ops, skw)
    try:
        cdt, odt = dtypes_of(d, ops.operands, skw, inplace_target)
    except RuntimeError:
        if inplace_target is not None:      # torch checks the shapes first
            inplace_shapes(d, inplace_target, ops.tensors)
        raise
    device = common_device(ops.tensors)
    diff_idx = None
    if ops.any_grad and d.differentiable and grad_mode.is_grad_enabled():
        diff_idx = tuple([i for i, a in enumerate(targs) if needs_grad(a)])
    jargs = ops.jargs + [device_scalar(o) for o in ops.offsets]
    key = CompileKey(sargs, tuple(skw.items()) if skw else (), cdt, odt, diff_idx,
                     tuple(ops.views), _static_types(sargs, skw))
    fn = compiled(d, key)
    try:                            # (free unless it raises)
        out = fn(*jargs)
    except _errors.JAX_ERRORS as e:
        _reraise(e, _shapes(targs))
    if diff_idx is None:
        if fast_sig is not None and not ops.cached_view and not isinstance(out, tuple):
            d.fast[fast_sig] = FastEntry(fn, odt, _caches.Bounded(_caches.RESULT_AVALS))
        res = _wrap_outputs(d, out, device, odt)
        return res if inplace_target is not None else restride(res, result_layout(d, targs, res))
    out, vjp = out
    if fast_grad_sig is not None and not ops.cached_view and not isinstance(out, tuple) and \
            inplace_target is None and d.grad_fn not in NO_DERIVATIVE:
        d.fast_grad[fast_grad_sig] = _grad_entry(d, key, fn, len(targs), sargs, skw)
    results = _wrap_outputs(d, out, device, odt)
    if inplace_target is None:
        results = restride(results, result_layout(d, targs, results))
    node = record(d, targs, diff_idx, vjp, results, inplace_target, sargs, skw)
    node._diff = functools.partial(replay_backward, d, key, targs, diff_idx,
                                   len(node.next_functions), node._out_avals,
                                   not isinstance(results, tuple))
    return results


def _static_types(sargs, skw):
    """The statics' types, for the compile key (``std(x, True)`` is not ``std(x, 1)``)."""
    if not sargs and not skw:
        return ()
    return tuple(map(type, sargs)) + tuple(type(v) for v in skw.values())


def _grad_entry(d, key, fn, n_args, sargs, skw):
    """The grad fast path's entry for a call the full path just ran with ``key``. An op that
    saves tensors for its backward (as torch declares it) reruns its forward inside the VJP,
    its node holding the jit arguments until backward frees it (``recompute_vjp``); one that
    saves nothing (add, sum...) keeps its VJP closure, which holds no values: its node is
    never freed, so it must not hold its inputs."""
    diff_idx = key.diff_idx
    run = recompute_vjp(d, key) if d.saves else None
    recipe = NodeRecipe(d.grad_fn if isinstance(d.grad_fn, str) else None, diff_idx,
                        tuple(i in diff_idx for i in range(n_args)), sargs, skw, run,
                        _caches.Bounded(_caches.NODE_STATICS))
    if run is not None:
        fn = compiled(d, key._replace(diff_idx=None))
    return GradFastEntry(fn, key.out_dtype, key, diff_idx, recipe,
                         _caches.Bounded(_caches.RESULT_AVALS))


def _wrap_outputs(d, out, device, odt=None):
    if isinstance(out, tuple):
        res = tuple(Tensor._make(o, None, device) for o in out)
        return d.returns(*res) if d.returns is not None else res
    return Tensor._make(out, odt, device)


# ------------------------------------------------------------------ in-place and out=
def call_inplace(d, self, args, kwargs):
    dt = self._dtype
    # (copy_ into integers or bools needs no gradient, so torch skips its autograd check)
    if d.name != "copy" or dt.is_floating_point or dt.is_complex:
        check_inplace(self, tuple(args) + (tuple(kwargs.values()) if kwargs else ()))
    res = call(d, (self,) + tuple(args), kwargs, inplace_target=self)
    if isinstance(res, tuple):
        res = res[0]
    if res._shape != self._shape:
        raise RuntimeError(f"output with shape {list(self._shape)} doesn't match the broadcast "
                           f"shape {list(res._shape)}")
    commit_inplace(self, res)
    return self


def commit_inplace(self, res):
    """Write ``res`` into ``self`` and move autograd history: self now comes from res's node;
    for a view, its base gets a CopySlices node (torch's behaviour)."""
    self._write(res._value(), overlap_ok=True)    # (_call checked it: check_internal_overlap)
    if res._grad_fn is None:
        return
    base = self._base
    if base is None:
        self._grad_fn = res._grad_fn
        self._out_index = res._out_index
        self._requires_grad = True
        return
    copy_slices(base, self, res)


def call_out(d, args, kwargs, out):
    if grad_mode.is_grad_enabled() and any(needs_grad(a) for a in args[:d.n_tensors]):
        raise RuntimeError(f"{d.name}(): functions with out=... arguments don't support "
                           "automatic differentiation, but one of the arguments requires grad.")
    res = call(d, args, kwargs)
    if isinstance(res, tuple):
        for o, r in zip(out, res):
            _out_arg.write(o, r)
        return out
    _out_arg.write(out, res)
    return out
