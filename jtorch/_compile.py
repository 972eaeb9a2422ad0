"""An op's compiled callables: the pure jax function of its declaration, with torch's
casts around it, under ``jax.jit`` and cached on the op by a ``CompileKey``.

Three forms per key: the forward; the forward returning ``(out, vjp)`` when a gradient is
needed (``diff_idx``: the positions differentiated); and the recompute VJP of the grad fast
path, which reruns the plain forward inside the VJP from the op's own jit arguments.
A view operand may be read inside the call (``views``): its storage array is passed and its
gather runs in the same compiled program.
"""
from __future__ import annotations

from typing import NamedTuple, Optional

import jax
import jax.numpy as jnp
import numpy as np

from . import _view_access


class CompileKey(NamedTuple):
    """What determines an op's compiled program besides its jit arguments' avals."""
    statics: tuple              # static positional args (hashable, as bound)
    static_kwargs: tuple        # sorted-as-given (name, value) pairs
    compute_dtype: object       # jtorch dtype the operands are cast to, or None
    out_dtype: object           # jtorch dtype of the (first) output, or None
    diff_idx: Optional[tuple]   # positions differentiated (the forward returns its VJP)
    views: tuple                # (arg position, shape, stride) of views read inside the call
    static_types: tuple = ()    # the statics' types: True == 1 == 1.0 as values, not as args


class FastEntry(NamedTuple):
    """``d.fast[signature]``: a call without gradient (``_dispatch.call``'s fast path)."""
    fn: object              # the compiled forward
    out_dtype: object
    avals: object           # _caches.Bounded: operand shapes -> (result Size, dtype)


class GradFastEntry(NamedTuple):
    """``d.fast_grad[(signature, grad mask)]``: a call that records a node."""
    fn: object              # the plain forward (recipe.recompute set) or (out, vjp) forward
    out_dtype: object
    key: CompileKey         # of the (out, vjp) forward: the create_graph replay's key
    diff_idx: tuple
    recipe: object          # _record.NodeRecipe
    avals: object


def _cast(x, np_dtype):
    if x is None:
        return None
    if isinstance(x, tuple):
        return tuple(_cast(e, np_dtype) for e in x)
    x = jnp.asarray(x)
    if x.dtype == jnp.bool_ and jnp.issubdtype(np_dtype, jnp.inexact):
        # XLA rewrites convert(bool) * y as select(bool, y, 0), which loses torch's
        # 0 * inf = nan and 0 * -0. = -0.; a select of 1 and 0 keeps the product
        return jnp.where(x, jnp.ones((), np_dtype), jnp.zeros((), np_dtype))
    return x.astype(np_dtype)


def build(d, sargs, skw, cdt, odt):
    """``d.fn`` over the jit arguments, with the compute cast before and the output cast
    after (the first output only for ops returning several: indices keep their dtype)."""
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


def compiled(d, key: CompileKey):
    """The jitted forward for ``key`` (returning ``(out, vjp)`` when ``key.diff_idx``)."""
    c = d.cache.get(key)
    if c is None:
        sargs, skw_items, cdt, odt, diff_idx, views = key[:6]
        f = build(d, sargs, dict(skw_items), cdt, odt)
        f = f if diff_idx is None else with_vjp(f, diff_idx)
        c = jax.jit(read_views(f, views) if views else f)
        d.cache[key] = c
    return c


def read_views(f, views):
    """``f`` taking, for each (arg position, view shape, view stride) in ``views``, the
    storage array instead of the view's values: the view's gather runs inside the op's own
    compiled call (one dispatch instead of two), and gradients are still taken w.r.t. the
    view's values."""
    reads = [(i, _view_access.gather_raw(shape, stride)) for i, shape, stride in views]
    n = len(reads)

    def g(*xs):
        # the views' offsets come last, as run-time arguments (one program for all offsets)
        offsets = xs[-n:]
        xs = list(xs[:-n])
        for (i, read), offset in zip(reads, offsets):
            xs[i] = read(xs[i], offset)
        return f(*xs)
    return g


def with_vjp(f, diff_idx):
    def fwd(*xs):
        def g(*dx):
            full = list(xs)
            for i, v in zip(diff_idx, dx):
                full[i] = v
            return f(*full)
        out, vjp = jax.vjp(g, *[xs[i] for i in diff_idx])
        if not isinstance(out, jax.Array):
            return out, vjp
        summed = tuple(_broadcast(xs[i], out.shape) for i in diff_idx)
        return out, (jax.tree_util.Partial(_summed_from_zero(summed), vjp) if any(summed)
                     else vjp)
    return fwd


def _broadcast(x, shape):
    """Whether operand ``x`` was broadcast to a result of ``shape`` (not reduced to it)."""
    if not isinstance(x, jax.Array) or x.shape == shape or x.ndim > len(shape):
        return False
    return all(a in (1, b) for a, b in zip(x.shape[::-1], shape[::-1]))


_SUMMED = {}


def _summed_from_zero(summed):
    """A VJP whose gradients to broadcast operands (``summed``) add a +0. XLA cannot fold:
    torch reduces such a gradient with a sum that starts from +0., so a single -0. summed
    over a size-1 dim is 0. (XLA's reduction of one element is the element). One function
    per mask, so the closure's tree (a jit cache key) repeats."""
    fn = _SUMMED.get(summed)
    if fn is None:
        def fn(vjp, ct):
            grads = vjp(ct)
            zero = jax.lax.optimization_barrier(jnp.zeros((), ct.dtype))
            return tuple(gr + zero.astype(gr.dtype) if s and jnp.issubdtype(gr.dtype, jnp.inexact)
                         else gr for gr, s in zip(grads, summed))
        _SUMMED[summed] = fn
    return fn


def conj_complex(tree):
    """Conjugate the complex leaves. torch's gradient of a complex tensor is the conjugate of
    JAX's cotangent convention; conjugating a node's cotangents on the way into and out of
    the JAX VJP keeps every gradient the engine holds in torch's convention (a no-op for
    real dtypes, decided at trace time)."""
    return jax.tree_util.tree_map(
        lambda a: jnp.conj(a) if a is not None and jnp.iscomplexobj(a) else a, tree)


@jax.jit
def run_vjp(vjp, ct):
    return conj_complex(vjp(conj_complex(ct)))


def recompute_vjp(d, key: CompileKey):
    """``run(arrays, ct)``: the gradients of a fast-path node, from the op's own jit
    arguments. The forward that returned ``(out, vjp)`` cost ~2.5 us more per call than the
    plain forward (its residuals are extra outputs, its closure a pytree to rebuild); the
    fast path instead runs the plain forward and this reruns it inside the VJP, where XLA
    keeps only what the gradient needs. Jitted, one per compiled op; inside the fused
    backward program it inlines."""
    rkey = ("recompute", key)
    run = d.cache.get(rkey)
    if run is None:
        sargs, skw_items, cdt, odt, diff_idx, views = key[:6]
        f = with_vjp(build(d, sargs, dict(skw_items), cdt, odt), diff_idx)
        f = read_views(f, views) if views else f

        def vjp_of(arrays, ct):
            _, vjp = f(*arrays)
            return conj_complex(vjp(conj_complex(ct)))
        run = d.cache[rkey] = jax.jit(vjp_of)
    return run


def zero_cotangent(shape, np_dtype):
    """JAX's cotangent for an output that received none: float0 zeros for integer/bool."""
    if np.issubdtype(np_dtype, np.integer) or np_dtype == np.bool_:
        return np.zeros(shape, dtype=jax.dtypes.float0)
    return jnp.zeros(shape, np_dtype)
