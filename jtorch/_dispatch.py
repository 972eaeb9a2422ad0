"""The one place where dtypes, views and autograd meet for an op call.

A call: bind arguments -> split tensor-like args (jit arguments) from static ones (cache key)
-> torch's result dtype -> a cached ``jax.jit`` callable (forward, or forward returning
``(out, vjp)`` when a gradient is needed) -> wrap outputs -> record a ``Node``.
``jax.vjp`` is never called eagerly: the VJP object leaves one jitted call and enters the
shared jitted backward.
"""
from __future__ import annotations

import functools
import weakref
import numbers
import re

import jax
import jax.numpy as jnp
import numpy as np

from . import _dtypes, _views
from ._ops.registry import OPS, OpDef, Promotion  # noqa: F401  (OPS: re-exported)
from . import _lazy
from ._tensor import Storage, Tensor
from .autograd import grad_mode
from .autograd.engine import grad_edge
from .autograd.graph import _classes as _node_classes, node_class
from .device import CPU

_SCALARS = (bool, int, float, complex)
_EMPTY = {}


# ------------------------------------------------------------------ argument handling
def _bind(d: OpDef, args, kwargs):
    """Positional tensor args + static args in signature order (kwargs for the rest)."""
    if not kwargs and len(args) >= d.n_tensors:
        return args, kwargs
    args = list(args)
    kwargs = dict(kwargs)
    for i, p in enumerate(d.params[:d.n_positional]):
        if i < len(args):
            if p in kwargs:
                raise TypeError(f"{d.name}() got multiple values for argument '{p}'")
            continue
        if p in kwargs:
            args.append(kwargs.pop(p))
        elif i < d.n_tensors:
            if p in d.defaults:
                args.append(d.defaults[p])
            else:
                raise TypeError(f"{d.name}() missing required argument '{p}'")
        else:
            break
    return tuple(args), kwargs


def _hashable(v):
    if isinstance(v, list):
        return tuple(_hashable(x) for x in v)
    if isinstance(v, Tensor):
        raise TypeError("a Tensor was passed where a static argument was expected")
    return v


def _operand(a):
    """(jit argument, dtype, promotion kind) of one tensor-like argument."""
    if isinstance(a, Tensor):
        return a._value(), a._dtype, ("dim" if a._shape else "zero")
    if isinstance(a, _SCALARS):
        return _jit_scalar(a), _dtypes.scalar_dtype(a), "wrapped"
    if isinstance(a, np.generic):
        a = a.item()
        return _jit_scalar(a), _dtypes.scalar_dtype(a), "wrapped"
    if isinstance(a, numbers.Number):
        a = complex(a) if isinstance(a, numbers.Complex) and not isinstance(a, numbers.Real) \
            else float(a)
        return a, _dtypes.scalar_dtype(a), "wrapped"
    raise TypeError(f"expected Tensor or number, but got {type(a).__name__}")


def _result_dtypes(d: OpDef, operands, static_kw):
    """(compute dtype, output dtype) by the op's promotion kind; None means 'no cast'."""
    forced = static_kw.get("dtype") if static_kw else None
    if forced is not None:
        forced = _dtypes.as_dtype(forced)
        return forced, forced
    kind = d.promote(static_kw) if callable(d.promote) else d.promote
    if kind is Promotion.NONE or not operands:
        return None, None
    rdt = _dtypes.result_type_of(operands)
    if kind is Promotion.DEFAULT:
        return rdt, rdt
    if kind is Promotion.INT_TO_FLOAT:
        if not (rdt.is_floating_point or rdt.is_complex):
            rdt = _dtypes.get_default_dtype()
        return rdt, rdt
    if kind is Promotion.ALWAYS_BOOL:
        return rdt, _dtypes.bool
    if kind is Promotion.COMPLEX_TO_FLOAT:
        return rdt, rdt.to_real()
    if kind is Promotion.BOOL_TO_LONG:
        if not (rdt.is_floating_point or rdt.is_complex):
            rdt = _dtypes.int64
        return rdt, rdt
    raise AssertionError(kind)


def _cast(x, np_dtype):
    if x is None:
        return None
    if isinstance(x, tuple):
        return tuple(_cast(e, np_dtype) for e in x)
    return jnp.asarray(x).astype(np_dtype)


# ------------------------------------------------------------------ compiled callables
def _build(d: OpDef, sargs, skw, cdt, odt):
    fn = d.fn
    cnp = cdt._np if cdt is not None else None
    onp = odt._np if odt is not None else None

    def f(*xs):
        if cnp is not None:
            xs = [_cast(x, cnp) for x in xs]
        out = fn(*xs, *sargs, **skw)
        if onp is not None:
            if isinstance(out, tuple):
                out = (out[0].astype(onp),) + out[1:]
            else:
                out = out.astype(onp)
        return out
    return f


def _compiled(d: OpDef, key, sargs, skw, cdt, odt, diff_idx, views=()):
    c = d.cache.get(key)
    if c is None:
        f = _build(d, sargs, skw, cdt, odt)
        f = f if diff_idx is None else _with_vjp(f, diff_idx)
        c = jax.jit(_read_views(f, views) if views else f)
        d.cache[key] = c
    return c


def _read_views(f, views):
    """``f`` taking, for each (arg position, view metadata) in ``views``, the storage array
    instead of the view's values: the view's gather runs inside the op's own compiled call
    (one dispatch instead of two), and gradients are still taken w.r.t. the view's values."""
    reads = [(i, _views.gather_raw(shape, stride)) for i, shape, stride in views]
    n = len(reads)

    def g(*xs):
        # the views' offsets come last, as run-time arguments (one program for all offsets)
        offsets = xs[-n:]
        xs = list(xs[:-n])
        for (i, read), offset in zip(reads, offsets):
            xs[i] = read(xs[i], offset)
        return f(*xs)
    return g


def _with_vjp(f, diff_idx):
    def fwd(*xs):
        def g(*dx):
            full = list(xs)
            for i, v in zip(diff_idx, dx):
                full[i] = v
            return f(*full)
        return jax.vjp(g, *[xs[i] for i in diff_idx])
    return fwd


def _conj_complex(tree):
    """Conjugate the complex leaves. torch's gradient of a complex tensor is the conjugate of
    JAX's cotangent convention; conjugating a node's cotangents on the way into and out of
    the JAX VJP keeps every gradient the engine holds in torch's convention (a no-op for
    real dtypes, decided at trace time)."""
    return jax.tree_util.tree_map(
        lambda a: jnp.conj(a) if a is not None and jnp.iscomplexobj(a) else a, tree)


@jax.jit
def _run_vjp(vjp, ct):
    return _conj_complex(vjp(_conj_complex(ct)))


def _zero_cotangent(shape, np_dtype):
    if np.issubdtype(np_dtype, np.integer) or np_dtype == np.bool_:
        return np.zeros(shape, dtype=jax.dtypes.float0)
    return jnp.zeros(shape, np_dtype)


# ------------------------------------------------------------------ the call
_TENSORLIKE = (Tensor, bool, int, float, complex, np.generic)
_FAST_SCALARS = frozenset((bool, int, float))      # Python numbers the fast paths take
_FAST_STATIC = frozenset((str, int, bool, type(None)))   # static args they key by value
_DEVICE_SCALARS = {}   # (type, value) -> the device scalar jit would make of the Python number


def _jit_scalar(v):
    """A Python number as the fast paths pass it (one compiled signature for both paths)."""
    return _device_scalar(v) if type(v) in _FAST_SCALARS else v


def _device_scalar(v):
    """A Python number as a jit argument: jit copies a Python scalar to the device on every
    call (~2-8 us); a cached device scalar of the same dtype and weak type is passed as is.
    Zero floats (0.0 == -0.0 as keys), NaN and out-of-range ints are passed raw."""
    key = (type(v), v)
    arr = _DEVICE_SCALARS.get(key)
    if arr is None:
        if v != v or (type(v) is float and v == 0.0) or \
                (type(v) is int and not -2 ** 63 <= v < 2 ** 63):
            return v
        if len(_DEVICE_SCALARS) >= 16384:      # view offsets of a large dataset: stay bounded
            _DEVICE_SCALARS.clear()
        arr = _DEVICE_SCALARS[key] = jax.device_put(v)
    return arr


# autograd/dispatch_modes.py sets _forward_ad while a forward-AD level or saved-tensor hooks
# are active, autograd/forward_ad.py _forward_ad_view while a level is open (None otherwise)
_forward_ad = None
_forward_ad_view = None


def call(d: OpDef, args, kwargs, inplace_target=None):
    if _forward_ad is not None:
        return _forward_ad(d, args, kwargs, inplace_target)
    # Fast paths: positional tensors only (on the CPU device), an out-of-place call. The
    # signature (dtype and 0-dim-ness of each operand, or a view's layout, and which ones
    # require grad) determines the compiled callable and the result dtype, found by the full
    # path below on the first such call; with a gradient to record, only the node is built.
    # A view (``w.t()`` in every Linear) is read inside the call: its storage array is passed,
    # its offset appended as a run-time argument.
    nt = d.n_tensors
    if not kwargs and inplace_target is None and len(args) >= nt:
        if len(args) == nt:
            targs, statics, sig = args, None, []
        else:
            # positional static args (``x.sum(0)``, ``mse_loss(a, b, "mean")``) key the
            # compiled callable by value and type (True == 1 and 0.0 == -0.0 as keys)
            targs, statics = args[:nt], args[nt:]
            for a in statics:
                t = type(a)
                if t not in _FAST_STATIC and not (t is float and a == a and a != 0.0):
                    return _call(d, args, kwargs, inplace_target, None)
            sig = [statics, tuple(map(type, statics))]
        arrays = []
        shapes = []         # the operands' shapes (a number's: None), for deferral
        offsets = None
        mask = 0
        pending = False     # an operand's storage is a queued op's result (_lazy)
        for a in targs:
            if isinstance(a, Tensor):
                st = a._storage
                if st.device is not CPU:
                    break
                sig.append(a._dtype)
                v = a._view
                if v is None:
                    sig.append(not a._shape)
                else:
                    sig.append((v[0], v[1]))
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
            elif type(a) in _FAST_SCALARS:     # a Python number: its type decides promotion
                sig.append(type(a))
                sig.append(None)
                mask <<= 1
                shapes.append(None)
                v = _DEVICE_SCALARS.get((type(a), a))
                arrays.append(v if v is not None else _device_scalar(a))
            else:
                break
        else:
            if offsets is not None:
                arrays.extend([_device_scalar(o) for o in offsets])
            if not mask:
                hit = d.fast.get(tuple(sig))
                if hit is not None:
                    if d.check is not None:
                        d.check(*args)
                    fn, odt, avals = hit
                    return _run_or_defer(fn, arrays, shapes, pending, odt, avals)
                return _call(d, args, kwargs, inplace_target, tuple(sig))
            if grad_mode.is_grad_enabled() and d.differentiable:
                gsig = (tuple(sig), mask)
                hit = d.fast_grad.get(gsig)
                if hit is None:
                    return _call(d, args, kwargs, inplace_target, None, gsig)
                if d.check is not None:
                    d.check(*args)
                fn, odt, key, diff_idx, info, avals = hit
                if info[5] is None:     # the forward returns (out, vjp): run it now
                    if pending:
                        arrays = _lazy.resolve(arrays)
                    out, vjp = fn(*arrays)
                    res = Tensor._make(out, odt, CPU)
                    node = _record_plain(d, targs, vjp, res, info)
                else:                   # the plain forward; the node keeps its arguments
                    res = _run_or_defer(fn, arrays, shapes, pending, odt, avals)
                    node = _record_plain(d, targs, tuple(arrays), res, info)
                    if pending:
                        _lazy.hold(node)
                node._diff = functools.partial(_replay_backward, d, key, targs, diff_idx,
                                               nt, node._out_avals, True)
                return res
    # (the full path reads every operand's array: queued results run first, see _lazy)
    return _call(d, args, kwargs, inplace_target, None)


def _run_or_defer(fn, arrays, shapes, pending, odt, avals):
    """A tensor of ``fn(*arrays)``: queued (``_lazy``) when a real run at these operand
    shapes has shown its result's shape and dtype (``avals``: the fast-path entry's, operand
    shapes -> (Size, dtype)), else run now, and those learned."""
    if _lazy.ENABLED:
        shapes = tuple(shapes)
        aval = avals.get(shapes)
        if aval is not None:
            return Tensor._make_storage(_lazy.defer(fn, arrays, shapes), aval[0], aval[1])
        if pending:
            arrays = _lazy.resolve(arrays)
        res = Tensor._make(fn(*arrays), odt, CPU)
        if len(avals) >= 64:        # shapes that keep changing: stay bounded
            avals.clear()
        avals[shapes] = (res._shape, res._dtype)
        return res
    if pending:
        arrays = _lazy.resolve(arrays)
    return Tensor._make(fn(*arrays), odt, CPU)


def _call(d, args, kwargs, inplace_target, fast_sig, fast_grad_sig=None):
    nt = d.n_tensors
    if kwargs or len(args) != nt:
        args, kwargs = _bind(d, args, kwargs)
    if len(args) == nt:
        targs, sargs = args, ()
    else:
        targs, sargs = args[:nt], tuple([_hashable(a) for a in args[nt:]])
    skw = {k: _hashable(v) for k, v in kwargs.items()} if kwargs else _EMPTY
    if d.check is not None:
        d.check(*args, **kwargs)

    # one pass over the tensor-like args: jit arguments, promotion operands, tensors, grad need
    jargs, operands, tensors, views, offsets = [], [], [], [], []
    any_grad = False
    cached_view = False     # a view's value was passed (the fast paths pass its storage)
    for a in targs:
        if isinstance(a, Tensor):
            view = a._view
            if view is None:
                jargs.append(a._storage.array)
            else:
                st, cache = a._storage, a._cache
                if cache is not None and cache[0] == st.version and cache[1] is st.array:
                    jargs.append(cache[2])
                    cached_view = True
                else:   # read the view inside the op's compiled call
                    views.append((len(jargs), view[0], view[1]))
                    offsets.append(view[2])
                    jargs.append(st.array)
            operands.append((a._dtype, "dim" if a._shape else "zero"))
            tensors.append(a)
            any_grad = any_grad or a._requires_grad
        elif a is None:
            jargs.append(None)
        elif isinstance(a, (list, tuple)):
            vals = []
            for e in a:
                if e is None:
                    vals.append(None)
                    continue
                v, dt, k = _operand(e)
                vals.append(v)
                operands.append((dt, k))
                if isinstance(e, Tensor):
                    tensors.append(e)
                    any_grad = any_grad or e._requires_grad
            jargs.append(tuple(vals))
        else:
            v, dt, k = _operand(a)
            jargs.append(v)
            operands.append((dt, k))

    rkey = (tuple(operands), tuple(skw.items()) if skw else ())
    dts = d.dtype_cache.get(rkey)
    if dts is None:
        dts = d.dtype_cache[rkey] = _result_dtypes(d, operands, skw)
    cdt, odt = dts
    if inplace_target is not None:
        tdt = inplace_target._dtype
        if odt is not None and d.promote is not Promotion.NONE and \
                not _dtypes.can_cast(odt, tdt):
            raise RuntimeError(f"result type {_dtypes.torch_type_name(odt)} can't be cast to "
                               f"the desired output type {_dtypes.torch_type_name(tdt)}")
        odt = tdt

    device = _common_device(tensors)
    diff_idx = None
    if any_grad and d.differentiable and grad_mode.is_grad_enabled():
        diff_idx = tuple([i for i, a in enumerate(targs) if _needs_grad(a)])

    views = tuple(views)
    jargs.extend([_device_scalar(o) for o in offsets])
    key = (sargs, tuple(skw.items()) if skw else (), cdt, odt, diff_idx, views)
    fn = _compiled(d, key, sargs, skw, cdt, odt, diff_idx, views)
    if diff_idx is None:
        out = fn(*jargs)
        if fast_sig is not None and not cached_view and not isinstance(out, tuple):
            d.fast[fast_sig] = (fn, odt, {})
        return _wrap_outputs(d, out, device, odt)
    out, vjp = fn(*jargs)
    if fast_grad_sig is not None and not cached_view and not isinstance(out, tuple) and \
            inplace_target is None and d.grad_fn not in _NO_DERIVATIVE:
        # An op that saves tensors for its backward (as torch declares it) reruns its forward
        # inside the VJP, its node holding the jit arguments until backward frees it (see
        # _recompute_vjp); one that saves nothing (add, sum...) keeps its VJP closure, which
        # holds no values: its node is never freed, so it must not hold its inputs.
        run = _recompute_vjp(d, key, sargs, skw, cdt, odt, diff_idx, views) if d.saves \
            else None
        # what _record_plain needs beyond the call: the edge positions of the differentiable
        # args (one edge per arg here), the fused backward's edge mask, the static args
        # as bound here (a grad_fn name may depend on them), and its cache of statics
        info = (d.grad_fn if isinstance(d.grad_fn, str) else None, diff_idx,
                tuple(i in diff_idx for i in range(len(targs))), sargs, skw, run, {})
        if run is not None:
            fn = _compiled(d, key[:4] + (None,) + key[5:], sargs, skw, cdt, odt, None, views)
        d.fast_grad[fast_grad_sig] = (fn, odt, key, diff_idx, info, {})
    results = _wrap_outputs(d, out, device, odt)
    node = _record(d, targs, diff_idx, vjp, results, inplace_target, sargs, skw)
    node._diff = functools.partial(_replay_backward, d, key, targs, diff_idx,
                                   len(node.next_functions), node._out_avals,
                                   not isinstance(results, tuple))
    return results


def _needs_grad(a):
    if isinstance(a, Tensor):
        return a._requires_grad
    if isinstance(a, (list, tuple)):
        return any(isinstance(e, Tensor) and e._requires_grad for e in a)
    return False


def _common_device(tensors):
    dev = CPU
    for t in tensors:
        if t._storage.device is not CPU:
            break
    else:
        return CPU
    for t in tensors:
        td = t._storage.device
        if td is not dev and td != dev:
            if dev is CPU and not _first_is_cpu_dim(tensors, t):
                dev = td
            elif t._shape or dev.type == "cpu":
                raise RuntimeError(f"Expected all tensors to be on the same device, but found at "
                                   f"least two devices, {dev} and {td}!")
    return dev


def _first_is_cpu_dim(tensors, t):
    return any(u._storage.device.type == "cpu" and u._shape for u in tensors if u is not t)


def _wrap_outputs(d, out, device, odt=None):
    if isinstance(out, tuple):
        res = tuple(Tensor._make(o, None, device) for o in out)
        returns = d.__dict__.get("returns")
        return returns(*res) if returns is not None else res
    return Tensor._make(out, odt, device)


def _describe(t, saver=None):
    """torch's text for a saved tensor in the in-place error: "[torch.FloatTensor [2]], which
    is output 0 of Mul,". A saved input names its grad_fn as it is at error time; a saved
    output names the node that saved it (``saver``); both without "Backward<N>"."""
    text = _type_text(t._dtype, t._shape, t._storage.device.type)
    fn = saver if saver is not None else t.grad_fn
    if fn is not None:
        name = re.sub(r"Backward\d*$", "", fn.name().rsplit("::", 1)[-1])
        return text + f", which is output {t._out_index} of {name},"
    return text


def _type_text(dtype, shape, device_type):
    prefix = "torch.cuda." if device_type == "cuda" else "torch."
    return f"[{prefix}{dtype._legacy or dtype._name}Tensor {list(shape)}]"


def _describe_result(ref, shape, dtype, device_type):
    """_describe for a saved output, held weakly: the output holds its node as grad_fn, so a
    strong reference from the node back to it would make every graph that saves an output
    (relu's, for one) a reference cycle, freed only by the cyclic collector."""
    t = ref()
    if t is not None:
        return _describe(t, t._saved_by)
    # the output is gone (its storage lived on through a detached alias): its node saved it
    return _type_text(dtype, shape, device_type)


def _saved_entries(d, targs, results, inplace_target):
    if not d.saves:
        return ()
    entries = []
    for what, wi, ci in d.saves:
        if ci is not None and not _needs_grad(targs[ci]):
            continue
        if wi is None:  # "result"
            t = inplace_target if inplace_target is not None else \
                (results[0] if isinstance(results, tuple) else results)
            entries.append((t._storage, t._storage.version + (inplace_target is not None),
                            functools.partial(_describe_result, weakref.ref(t), t._shape,
                                              t._dtype, t._storage.device.type)))
            continue
        a = targs[wi]
        if inplace_target is not None and a is inplace_target:
            continue  # torch saves a copy of the original self for in-place ops
        if isinstance(a, Tensor):
            entries.append((a._storage, a._storage.version, functools.partial(_describe, a)))
    return tuple(entries)


# Nodes torch records but whose backward raises (it has no formula for that overload); an
# op's ``aten_name`` attribute names it in the message where its table name differs
_NO_DERIVATIVE = {"AsinhBackward1", "AcoshBackward1", "AtanhBackward1",
                  "torch::autograd::NotImplemented"}


def _raise_no_derivative(name, opname, cts):
    if name == "torch::autograd::NotImplemented":
        raise RuntimeError(f"derivative for aten::{opname} is not implemented")
    raise NotImplementedError(f"the derivative for 'inplace version of {opname}' is not "
                              "implemented.")


def _record(d, targs, diff_idx, vjp, results, inplace_target, sargs=(), skw=_EMPTY):
    outs = results if isinstance(results, tuple) else (results,)
    edges, slots = [], []   # slots: for each diff arg, the edge positions of its tensors
    for i, a in enumerate(targs):
        if isinstance(a, (list, tuple)):
            pos = []
            for e in a:
                pos.append(len(edges))
                edges.append(grad_edge(e) if isinstance(e, Tensor) else (None, 0))
            slots.append(pos if i in diff_idx else None)
        elif isinstance(a, Tensor) or a is not None:
            slots.append(len(edges) if i in diff_idx else None)
            edges.append(grad_edge(a) if isinstance(a, Tensor) else (None, 0))
        else:
            slots.append(None)
    out_avals = tuple((o._shape, o._dtype._np) for o in outs)
    single = not isinstance(results, tuple)
    n_edges = len(edges)
    diff_slots = [slots[i] for i in diff_idx]
    name = d.grad_fn if inplace_target is None or d.inplace_grad_fn is None \
        else d.inplace_grad_fn
    if callable(name):
        name = name(targs, sargs, skw)
    saved = _saved_entries(d, targs, results, inplace_target)
    # the hashable form of the static and the edge mask are made by _fused_op.prepare, only
    # when the fused planner needs them
    node = _node(d, name, _fused_op, (single, out_avals, diff_slots, n_edges), vjp, None,
                 tuple(edges), out_avals, saved)
    for i, o in enumerate(outs):
        if o._dtype.is_floating_point or o._dtype.is_complex:
            o._grad_fn = node
            o._requires_grad = True
            o._out_index = i
    if saved and any(wi is None for _, wi, _ in d.saves):  # it saved its own output
        (inplace_target if inplace_target is not None else outs[0]).__dict__["_saved_by"] = node
    return node


def _node(d, name, apply, static, dynamic, mask, edges, out_avals, saved):
    """A recorded op's node: its backward is ``apply(static, dynamic, cotangents)``, which is
    also its fused form (``Node._fused``), unless torch has no derivative for it."""
    if name in _NO_DERIVATIVE:
        backward = functools.partial(_raise_no_derivative, name,
                                     d.__dict__.get("aten_name", d.name))
        return node_class(name)(name, backward, edges, out_avals, saved)
    cls = _node_classes.get(name)       # one class per node name (graph.node_class)
    if cls is None:
        cls = node_class(name)
    node = cls(name, functools.partial(apply, static, dynamic), edges, out_avals, saved)
    node._fused = (apply, static, dynamic, mask)
    return node


def _record_plain(d, args, dynamic, res, info):
    """``_record`` for the grad fast path of ``call``: every arg a tensor or a Python number
    (one edge each), one output. ``dynamic`` is the op's jit arguments, whose VJP the
    backward reruns (``_fused_recompute``), or else the forward's VJP closure
    (``_fused_op``); either backward function is the node's fused form too, with its hashable
    static and edge mask made here rather than by the fused planner."""
    name, diff_slots, mask, sargs, skw, run, statics = info
    if name is None:
        name = d.grad_fn(args, sargs, skw)
    edges = tuple([grad_edge(a) if isinstance(a, Tensor) else (None, 0) for a in args])
    # one (out_avals, static) object per result shape: the fused planner's cache key then
    # compares equal by identity, step after step
    hit = statics.get((res._shape, res._dtype))
    if hit is None:
        out_avals = ((res._shape, res._dtype._np),)
        hit = (out_avals, (True if run is None else run, out_avals, diff_slots, len(args)))
        if len(statics) >= 64:
            statics.clear()
        statics[(res._shape, res._dtype)] = hit
    out_avals, static = hit
    apply = _fused_op if run is None else _fused_recompute
    saved = _saved_entries(d, args, res, None) if d.saves else ()
    node = _node(d, name, apply, static, dynamic, mask, edges, out_avals, saved)
    dt = res._dtype
    if dt.is_floating_point or dt.is_complex:
        res._grad_fn = node
        res._requires_grad = True
    if saved and any(wi is None for _, wi, _ in d.saves):  # it saved its own output
        res.__dict__["_saved_by"] = node
    return node


def _op_cotangent(single, out_avals, cts):
    """The VJP's cotangent from a node's per-output cotangents (float0 zeros for integer
    outputs, which JAX's VJP expects there)."""
    return cts[0] if single else tuple(
        c if np.dtype(av[1]).kind in "fc" else _zero_cotangent(av[0], av[1])
        for c, av in zip(cts, out_avals))


def _edge_grads(diff_slots, n_edges, grads):
    """One gradient (or None) per autograd edge from the VJP's per-argument gradients; a slot
    is an edge position, or a list/tuple of them for a tensor-list argument."""
    res = [None] * n_edges
    for slot, g in zip(diff_slots, grads):
        if isinstance(slot, (list, tuple)):
            for p, ge in zip(slot, g):
                res[p] = ge
        else:
            res[slot] = g
    return res


def _fused_op(static, vjp, cts):
    """A recorded op's ``backward_fn`` as a pure function of (static, residuals, cotangents),
    for ``autograd/fused.py`` (the jitted ``_run_vjp`` inlines into the traced program)."""
    single, out_avals, diff_slots, n_edges = static
    return _edge_grads(diff_slots, n_edges,
                       _run_vjp(vjp, _op_cotangent(single, out_avals, cts)))


def _recompute_vjp(d, key, sargs, skw, cdt, odt, diff_idx, views):
    """``run(arrays, ct)``: the gradients of a fast-path node, from the op's own jit
    arguments. The forward that returned ``(out, vjp)`` cost ~2.5 us more per call than the
    plain forward (its residuals are extra outputs, its closure a pytree to rebuild); the
    fast path instead runs the plain forward and this reruns it inside the VJP, where XLA
    keeps only what the gradient needs. Jitted, one per compiled op; inside the fused
    backward program it inlines."""
    rkey = ("recompute", key)
    run = d.cache.get(rkey)
    if run is None:
        f = _with_vjp(_build(d, sargs, skw, cdt, odt), diff_idx)
        f = _read_views(f, views) if views else f

        def vjp_of(arrays, ct):
            _, vjp = f(*arrays)
            return _conj_complex(vjp(_conj_complex(ct)))
        run = d.cache[rkey] = jax.jit(vjp_of)
    return run


def _fused_recompute(static, arrays, cts):
    """A fast-path node's backward as a pure function of (static, jit args, cotangents)."""
    run, out_avals, diff_slots, n_edges = static
    return _edge_grads(diff_slots, n_edges, run(arrays, cts[0]))


def _prepare_fused_op(raw):
    """(hashable static, edge mask) of a recorded op's backward, from ``_record``'s data."""
    single, out_avals, diff_slots, n_edges = raw
    mask = [False] * n_edges
    for slot in diff_slots:
        for p in (slot if isinstance(slot, list) else (slot,)):
            mask[p] = True
    slots = tuple(tuple(s) if isinstance(s, list) else s for s in diff_slots)
    return (single, out_avals, slots, n_edges), tuple(mask)


_fused_op.prepare = _prepare_fused_op


def _fused_view(static, _, cts):
    """A view's backward (``_view_backward``) as a pure function for ``autograd/fused.py``."""
    return _view_backward(*static, cts)


# ------------------------------------------------------------------ create_graph=True
def _flatten_args(targs):
    """Leaves of the tensor-like args, one per autograd edge (None kept as a leaf, exactly as
    ``_record`` lays edges out), and the structure to rebuild them."""
    return jax.tree_util.tree_flatten(list(targs), is_leaf=lambda v: v is None)


def _vjp_opdef(d, key, tdef, diff_leaves, out_avals, single):
    """An op computing ``d``'s input gradients from (input leaves, cotangents): running a
    node's backward through it records the backward pass, so it can be differentiated again."""
    vkey = ("vjp", key, tdef, diff_leaves, single)
    vd = d.cache.get(vkey)
    if vd is None:
        sargs, skw_items, cdt, odt = key[:4]
        f = _build(d, sargs, dict(skw_items), cdt, odt)

        def vjp_fn(xs, cts):
            def g(*dx):
                leaves = list(xs)
                for i, v in zip(diff_leaves, dx):
                    leaves[i] = v
                return f(*jax.tree_util.tree_unflatten(tdef, leaves))
            _, pullback = jax.vjp(g, *[xs[i] for i in diff_leaves])
            ct = _op_cotangent(single, out_avals, cts)
            return _conj_complex(tuple(pullback(_conj_complex(ct))))
        vd = OpDef(d.name + "_backward", vjp_fn, ("xs", "cts"), "", None, Promotion.NONE,
                   _backward_name(d), (), None, ())
        d.cache[vkey] = vd
    return vd


def _backward_name(d):
    """The replayed backward's node name: "MulBackward0" -> "MulBackwardBackward0"; an op
    whose node name depends on its arguments is named from the op, in CamelCase ("pow" ->
    "PowBackwardBackward0"). torch differentiates its derivative formula op by op instead
    (CONTRIBUTING.md, "Higher-order gradients")."""
    if isinstance(d.grad_fn, str) and "Backward" in d.grad_fn:
        return re.sub(r"Backward\d*$", "BackwardBackward0", d.grad_fn)
    return "".join(p[:1].upper() + p[1:] for p in d.name.split("_")) + "BackwardBackward0"


def _replay_backward(d, key, targs, diff_idx, n_edges, out_avals, single, cts):
    leaves, tdef = _flatten_args(targs)
    owner = []  # top-level argument index of each leaf
    for i, a in enumerate(targs):
        owner.extend([i] * len(_flatten_args([a])[0]))
    diff_leaves = tuple(k for k, (i, leaf) in enumerate(zip(owner, leaves))
                        if i in diff_idx and isinstance(leaf, Tensor) and leaf._requires_grad)
    vd = _vjp_opdef(d, key, tdef, diff_leaves, out_avals, single)
    grads = call(vd, (tuple(leaves), tuple(cts)), {})
    res = [None] * n_edges
    for k, g in zip(diff_leaves, grads):
        res[k] = g
    return res


# ------------------------------------------------------------------ in-place and out=
def check_inplace(t):
    if grad_mode.is_grad_enabled():
        if t._requires_grad and t._grad_fn is None:
            base = t._base
            if base is not None and base._requires_grad and base._grad_fn is None:
                raise RuntimeError("a view of a leaf Variable that requires grad is being used "
                                   "in an in-place operation.")
            if t._base is None:
                raise RuntimeError("a leaf Variable that requires grad is being used in an "
                                   "in-place operation.")
            # a leaf made by requires_grad_() on a view of a tensor that needs no grad
            raise RuntimeError("a view of a leaf Variable that requires grad is being used "
                               "in an in-place operation.")
        base = t._base
        if base is not None and base._requires_grad and base._grad_fn is None:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                               "in-place operation.")


def call_inplace(d, self, args, kwargs):
    check_inplace(self)
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
    self._write(res._value())
    if res._grad_fn is None:
        return
    base = self._base
    if base is None:
        self._grad_fn = res._grad_fn
        self._out_index = res._out_index
        self._requires_grad = True
        return
    from ._ops.shape import copy_slices
    copy_slices(base, self, res)


def call_out(d, args, kwargs, out):
    if grad_mode.is_grad_enabled() and any(_needs_grad(a) for a in args[:d.n_tensors]):
        raise RuntimeError(f"{d.name}(): functions with out=... arguments don't support "
                           "automatic differentiation, but one of the arguments requires grad.")
    res = call(d, args, kwargs)
    if isinstance(res, tuple):
        for o, r in zip(out, res):
            _write_out(o, r)
        return out
    _write_out(out, res)
    return out


def _write_out(out, res):
    if not _dtypes.can_cast(res._dtype, out._dtype):
        raise RuntimeError(f"result type {_dtypes.torch_type_name(res._dtype)} can't be cast to "
                           f"the desired output type {_dtypes.torch_type_name(out._dtype)}")
    value = res._value().astype(out._dtype._np)
    if out._shape != res._shape:
        out.data = Tensor._make(value, out._dtype, out.device)
        out._storage.version += 1
    else:
        out._write(value)


# ------------------------------------------------------------------ views
def make_view(x, meta_fn, args, grad_fn_name):
    """A view of ``x`` by a metadata function from ``_views`` (see there)."""
    shape = tuple(x._shape)
    rel = None
    if x._view is None:
        new = rel = meta_fn(shape, _views.contiguous_strides(shape), 0, *args)
    else:
        new = meta_fn(*x._view, *args)
    v = Tensor._alias(x, view=new, base=x._base if x._base is not None else x)
    if x._requires_grad and grad_mode.is_grad_enabled():
        if rel is None:
            rel = meta_fn(shape, _views.contiguous_strides(shape), 0, *args)
        # a view's backward is linear and depends only on its metadata: nothing is computed
        # now (the view's values are read lazily, or inside the op that consumes them)
        node = node_class(grad_fn_name)(
            grad_fn_name, functools.partial(_view_backward, rel, shape, x._dtype._np),
            (grad_edge(x),), ((tuple(new[0]), x._dtype._np),))
        node._diff = functools.partial(_view_replay, rel, x)
        node._fused = (_fused_view, (rel, shape, x._dtype._np), None, (True,))
        v._grad_fn = node
        v._requires_grad = True
    v._view_version = v._storage.version
    if _forward_ad_view is not None:
        return _forward_ad_view(x, v, meta_fn, args, grad_fn_name)
    return v


@functools.lru_cache(maxsize=4096)
def _view_adjoint(shape, stride, in_shape, np_dtype):
    """The compiled adjoint of a view's gather (scatter-add of the cotangent into zeros); the
    offset is a run-time argument, as in the read."""
    read = _views.gather_raw(shape, stride)

    def adjoint(ct, offset):
        _, pullback = jax.vjp(lambda a: read(a, offset), jnp.zeros(in_shape, np_dtype))
        return pullback(ct)[0]
    return jax.jit(adjoint)


def _view_backward(rel, in_shape, np_dtype, cts):
    shape, stride, offset = rel
    return [_view_adjoint(shape, stride, in_shape, np_dtype)(cts[0], offset)]


def _view_replay(rel, x, cts):
    """create_graph=True through a view: the adjoint of the gather is itself linear and
    differentiable, recorded as an as_strided scatter of the cotangent."""
    from ._ops.shape import _view_backward
    return [_view_backward(cts[0], tuple(x._shape), rel)]
