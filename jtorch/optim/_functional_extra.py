"""Update rules of ASGD and Rprop: torch's CPU algorithms kernel by kernel, with the rounding
helpers of ``_functional`` (see there for why every kernel rounds on its own)."""
from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from . import _hyper as hyper
from ._functional import _Kernels

_F64 = np.dtype(np.float64)


def _eta_mu(step, lr, lambd, alpha, t0, foreach, z):
    """The next eta and mu. torch's single-tensor path computes both from ``step.item()`` in
    host doubles and copies them into the float32 state tensors; its foreach path computes
    eta from the step *tensor*, in float32 kernels (``lr / x`` is ``x.reciprocal() * lr``)."""
    t = step.astype(_F64)
    mu = (1 / jnp.maximum(1.0, t - t0)).astype(step.dtype)
    if not foreach:
        return (lr / ((1 + lambd * lr * t) ** alpha)).astype(step.dtype), mu
    k = _Kernels(step.dtype, z)
    x = k.adds(k.mul(step, lambd * lr), jnp.float64(1.0))
    x = k._out(k._in(x) ** k.s(alpha))
    return k.mul(k.recip(x), lr), mu


def _sub(k, a, b):
    """a - b, one rounding (a + (-1) * b is exact before it)."""
    return k.add(a, b, jnp.float64(-1.0))


def asgd(params, grads, state, h, z, *, weight_decay, maximize, foreach):
    """h: the values of a ``_hyper.ASGD``; state[i] = (step, eta, mu, ax).
    torch's foreach path folds the decay term into the gradient and uses addcmul for both
    updates, which rounds differently from the single-tensor path: both are reproduced."""
    h = hyper.ASGD(*h)
    lr, lambd, alpha, t0, wd = h.lr, h.lambd, h.alpha, h.t0, h.weight_decay
    new_p, new_s = [], []
    for p, g, (step, eta, mu, ax) in zip(params, grads, state):
        k = _Kernels(p.dtype, z)
        g = -g if maximize else g
        step = step + 1
        if foreach:
            inter = k.add(g, p, wd) if weight_decay else g
            inter = k.add(inter, p, lambd)
            p = k.addcmul(p, inter, eta, jnp.float64(-1.0))
            ax = k.addcmul(ax, _sub(k, p, ax), mu, jnp.float64(1.0))
        else:
            if weight_decay:
                g = k.add(g, p, wd)
            eta_v = eta.astype(_F64)
            p = k.mul(p, 1 - lambd * eta_v)
            p = k.add(p, g, -eta_v)
            averaged = k.add(ax, k.mul(_sub(k, p, ax), mu.astype(_F64)))
            ax = jnp.where(mu.astype(_F64) != 1, averaged, p)
        eta, mu = _eta_mu(step, lr, lambd, alpha, t0, foreach, z)
        new_p.append(p)
        new_s.append((step, eta, mu, ax))
    return tuple(new_p), tuple(new_s)


def rprop(params, grads, state, h, z, *, maximize):
    """h: the values of a ``_hyper.Rprop``;
    state[i] = (step, prev, step_size)."""
    h = hyper.Rprop(*h)
    etaminus, etaplus, smin, smax = h.etaminus, h.etaplus, h.step_size_min, h.step_size_max
    new_p, new_s = [], []
    for p, g, (step, prev, size) in zip(params, grads, state):
        k = _Kernels(p.dtype, z)
        g = -g if maximize else g
        step = step + 1
        sign = jnp.sign(k.mul_t(g, prev))
        em, ep = etaminus.astype(p.dtype), etaplus.astype(p.dtype)
        # torch's three masked writes, in its order
        sign = jnp.where(sign > 0, ep, sign)
        sign = jnp.where(sign < 0, em, sign)
        sign = jnp.where(sign == 0, jnp.ones((), p.dtype), sign)
        size = k.mul_t(size, sign)
        size = jnp.minimum(jnp.maximum(size, smin.astype(p.dtype)), smax.astype(p.dtype))
        g = jnp.where(sign == em, jnp.zeros((), p.dtype), g)
        p = k.addcmul(p, jnp.sign(g), size, jnp.float64(-1.0))
        new_p.append(p)
        new_s.append((step, g, size))
    return tuple(new_p), tuple(new_s)
