"""The vector p-norm with torch's derivative (``linalg_vector_norm_backward``): the gradient is
``c(x) * grad`` with torch's per-element coefficient ``c``, which takes the subgradient 0 at
zero elements (p <= 1, inf norms: ``sgn(0) = 0``) and at a zero norm, and splits an inf
norm's gradient evenly among the elements that reach it. Written as a custom JVP (the linear
map ``t -> sum(conj(c) t)``), so forward-mode AD works and JAX transposes it for reverse."""
import functools

import jax
import jax.numpy as jnp

_INF = float("inf")


def vector_norm(x, ord, axis, keepdim):
    """``ord``-norm of ``x`` over ``axis`` (a tuple, or None for every dim)."""
    return _norm(x, float(ord), axis, keepdim)


def _value(x, ord, axis, keepdim):
    a = jnp.abs(x)
    if ord == _INF:
        return jnp.max(a, axis=axis, keepdims=keepdim)
    if ord == -_INF:
        return jnp.min(a, axis=axis, keepdims=keepdim)
    if ord == 0:
        return jnp.sum(a != 0, axis=axis, keepdims=keepdim).astype(a.dtype)
    if ord == 2:
        return jnp.sqrt(jnp.sum(a * a, axis=axis, keepdims=keepdim))
    return jnp.sum(a ** ord, axis=axis, keepdims=keepdim) ** (1.0 / ord)


@functools.partial(jax.custom_jvp, nondiff_argnums=(1, 2, 3))
def _norm(x, ord, axis, keepdim):
    return _value(x, ord, axis, keepdim)


@_norm.defjvp
def _norm_jvp(ord, axis, keepdim, primals, tangents):
    (x,), (t,) = primals, tangents
    out = _value(x, ord, axis, keepdim)
    c = _coefficient(x, _value(x, ord, axis, True), ord, axis)
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
