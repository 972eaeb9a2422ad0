"""The vector p-norm with torch's derivative (``linalg_vector_norm_backward``): the gradient is
``c(x) * grad`` with torch's per-element coefficient ``c``, which takes the subgradient 0 at
zero elements (p <= 1, inf norms: ``sgn(0) = 0``) and at a zero norm, and splits an inf
norm's gradient evenly among the elements that reach it. Written as a custom JVP (the linear
map ``t -> sum(conj(c) t)``), so forward-mode AD works and JAX transposes it for reverse."""
import functools

import jax
import jax.numpy as jnp

_INF = float("inf")


def vector_norm(x, ord, axis, keepdim, single=True):
    """``ord``-norm of ``x`` over ``axis`` (a tuple, or None/() for every dim). ``single``
    False: a 0-dim input given an explicit dim, which torch computes by the general formula
    (its size-1 check reads past the empty shape)."""
    axis = None if axis == () else axis
    return _norm(x, float(ord), axis, keepdim, single)


def size_one_norm(x, ord, axis, keepdim):
    """torch's linalg_vector_norm takes |x| (x != 0 for ord 0) without accumulating when
    every reduced dim has size 1, so |x|**ord never overflows there; None otherwise."""
    dims = range(x.ndim) if axis is None else axis
    if not all(x.shape[d] == 1 for d in dims):
        return None
    a = jnp.abs(x)
    r = (a != 0).astype(a.dtype) if ord == 0 else a
    return r if keepdim else jnp.squeeze(r, axis=axis)


def guard_single(a):
    """A one-element sum before the root: XLA would fold sqrt(a * a) to |a| (and
    (a ** p) ** (1 / p) likewise); torch computes both (so a * a may overflow)."""
    return jax.lax.optimization_barrier(a) if a.size == 1 else a


def _value(x, ord, axis, keepdim, single=True):
    r = size_one_norm(x, ord, axis, keepdim) if single else None
    if r is not None:
        return r
    a = jnp.abs(x)
    if ord == _INF:
        return jnp.max(a, axis=axis, keepdims=keepdim)
    if ord == -_INF:
        return jnp.min(a, axis=axis, keepdims=keepdim)
    if ord == 0:
        return jnp.sum(a != 0, axis=axis, keepdims=keepdim).astype(a.dtype)
    if ord == 2:
        return jnp.sqrt(guard_single(jnp.sum(a * a, axis=axis, keepdims=keepdim)))
    return guard_single(jnp.sum(a ** ord, axis=axis, keepdims=keepdim)) ** (1.0 / ord)


@functools.partial(jax.custom_jvp, nondiff_argnums=(1, 2, 3, 4))
def _norm(x, ord, axis, keepdim, single):
    return _value(x, ord, axis, keepdim, single)


@_norm.defjvp
def _norm_jvp(ord, axis, keepdim, single, primals, tangents):
    (x,), (t,) = primals, tangents
    out = _value(x, ord, axis, keepdim, single)
    c = _coefficient(x, _value(x, ord, axis, True, single), ord, axis)
    prod = jnp.conj(c) * t
    if jnp.iscomplexobj(prod):
        prod = jnp.real(prod)
    return out, jnp.sum(prod, axis=axis, keepdims=keepdim).astype(out.dtype)


def _sgn(x):
    if jnp.iscomplexobj(x):
        a = jnp.abs(x)
        return jnp.where(a == 0, 0, x / jnp.where(a == 0, 1, a))
    return (x > 0).astype(x.dtype) - (x < 0).astype(x.dtype)


def _coefficient(x, norm, ord, axis):
    """torch's d norm / d x (conjugate convention), ``norm`` with kept dims."""
    a = jnp.abs(x)
    zero_norm = norm == 0
    if ord == 0:
        return jnp.zeros_like(x)
    if ord == 1:
        return _sgn(x)
    if ord == 2:
        return x * jnp.where(zero_norm, 0, 1 / jnp.where(zero_norm, 1, norm))
    if ord in (_INF, -_INF):
        hit = (a == norm) | jnp.isnan(a)
        count = jnp.sum(hit, axis=axis, keepdims=True).astype(a.dtype)
        return _sgn(x) * (hit / count)
    if ord < 1:
        scaled = _sgn(x) * jnp.where(x == 0, 0, a ** (ord - 1))
        return scaled * norm ** (1 - ord)
    scale = jnp.where(zero_norm, 0, 1 / jnp.where(zero_norm, 1, norm ** (ord - 1)))
    if ord < 2:
        return _sgn(x) * a ** (ord - 1) * scale
    return x * a ** (ord - 2) * scale
