"""Update rules of Adadelta, Adamax, NAdam and RAdam: torch's single-tensor CPU algorithms,
kernel by kernel, with the rounding helpers of ``_functional`` (see there for the rules)."""
from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from . import _hyper as hyper
from ._functional import _Kernels, adam_moments, per_step, signed_grad, weight_decayed

_F64 = np.dtype(np.float64)
_F32 = np.dtype(np.float32)


def adadelta(params, grads, state, h, z, *, weight_decay, maximize):
    """h: the values of a ``_hyper.Adadelta``; state[i] = (step, square_avg, acc_delta)."""
    h = hyper.Adadelta(*h)
    lr, rho, eps, wd = h.lr, h.rho, h.eps, h.weight_decay
    new_p, new_s = [], []
    for p, g, (step, sq, acc) in zip(params, grads, state):
        k = _Kernels(p.dtype, z)
        step = step + 1
        g = signed_grad(k, p, g, maximize, weight_decay, wd)
        sq = k.addcmul(k.mul(sq, rho), g, g, 1 - rho)
        std = k.sqrt(k.adds(sq, eps))
        delta = k.sqrt(k.adds(acc, eps))
        delta = k.mul_t(k.div_t(delta, std), g)
        acc = k.addcmul(k.mul(acc, rho), delta, delta, 1 - rho)
        new_p.append(k.add(p, delta, -lr))
        new_s.append((step, sq, acc))
    return tuple(new_p), tuple(new_s)


def adamax(params, grads, state, h, z, *, weight_decay, maximize):
    """h: the values of a ``_hyper.Adamax``; state[i] = (step, exp_avg, exp_inf)."""
    h = hyper.Adamax(*h)
    lr, beta1, beta2, eps, wd = h.lr, h.beta1, h.beta2, h.eps, h.weight_decay
    new_p, new_s, memo = [], [], {}
    for p, g, (step, m, u) in zip(params, grads, state):
        k = _Kernels(p.dtype, z)
        step, clr = per_step(memo, step, lambda s: _adamax_counts(s, lr, beta1))
        g = signed_grad(k, p, g, maximize, weight_decay, wd)
        m = k.lerp(m, g, 1 - beta1)
        u = k.maximum(k.mul(u, beta2), k.adds(k.abs(g), eps))
        new_p.append(k.addcdiv(p, m, u, -clr))
        new_s.append((step, m, u))
    return tuple(new_p), tuple(new_s)


def _adamax_counts(step, lr, beta1):
    step = step + 1
    return step, lr / (1 - beta1 ** step.astype(_F64))


def _nadam_counts(counts, z, beta1, beta2, mdecay):
    """The new (step, mu_product), mu, the next mu, the second bias correction."""
    step, mu_prod = counts
    step = step + 1
    t = step.astype(_F64)
    mu = beta1 * (1.0 - 0.5 * (0.96 ** (t * mdecay)))
    mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((t + 1) * mdecay)))
    mu_prod = _Kernels(mu_prod.dtype, z).mul(mu_prod, mu)
    return step, mu_prod, mu, mu_next, 1 - beta2 ** t


def nadam(params, grads, state, h, z, *, weight_decay, maximize, decoupled):
    """h: the values of a ``_hyper.NAdam``;
    state[i] = (step, mu_product, exp_avg, exp_avg_sq); mu_product is a float32 scalar
    tensor, as torch keeps it."""
    h = hyper.NAdam(*h)
    lr, beta1, beta2, eps, wd = h.lr, h.beta1, h.beta2, h.eps, h.weight_decay
    mdecay, decay = h.momentum_decay, h.decay
    new_p, new_s, memo = [], [], {}
    for p, g, (step, mu_prod, m, v) in zip(params, grads, state):
        k = _Kernels(p.dtype, z)
        g = -g if maximize else g
        step, mu_prod, mu, mu_next, bc2 = per_step(
            memo, (step, mu_prod), lambda c: _nadam_counts(c, z, beta1, beta2, mdecay))
        p, g = weight_decayed(k, p, g, weight_decay, decoupled, decay, wd)
        m, v = adam_moments(k, m, v, g, beta1, beta2)
        denom = k.adds(k.sqrt(k.div(v, bc2)), eps)
        prod = mu_prod.astype(_F64)
        p = k.addcdiv(p, g, denom, -lr * (1.0 - mu) / (1.0 - prod))
        p = k.addcdiv(p, m, denom, (-lr * mu_next) / (1.0 - prod * mu_next))
        new_p.append(p)
        new_s.append((step, mu_prod, m, v))
    return tuple(new_p), tuple(new_s)


def radam(params, grads, state, h, z, *, weight_decay, maximize, decoupled):
    """h: the values of a ``_hyper.RAdam``;
    state[i] = (step, exp_avg, exp_avg_sq). The rectified step applies once the SMA length
    rho_t exceeds 5 (a traced condition: both branches are computed, one kept)."""
    h = hyper.RAdam(*h)
    lr, beta1, beta2, eps, wd, decay = h.lr, h.beta1, h.beta2, h.eps, h.weight_decay, h.decay
    new_p, new_s, memo = [], [], {}
    for p, g, (step, m, v) in zip(params, grads, state):
        k = _Kernels(p.dtype, z)
        g = -g if maximize else g
        step, bc1, bc2, rho_t, rect = per_step(
            memo, step, lambda s: _radam_counts(s, beta1, beta2))
        p, g = weight_decayed(k, p, g, weight_decay, decoupled, decay, wd)
        m, v = adam_moments(k, m, v, g, beta1, beta2)
        corrected = k.div(m, bc1)
        # (bc2 ** 0.5) / sqrt_v is torch's __rtruediv__: reciprocal, then multiply
        adaptive = k.mul(k.recip(k.adds(k.sqrt(v), eps)), jnp.sqrt(bc2))
        rectified = k.mul(k.mul_t(k.mul(corrected, lr), adaptive), rect)
        plain = k.mul(corrected, lr)
        new_p.append(k.add(p, jnp.where(rho_t > 5.0, rectified, plain), jnp.float64(-1.0)))
        new_s.append((step, m, v))
    return tuple(new_p), tuple(new_s)


def _radam_counts(step, beta1, beta2):
    """The new step, both bias corrections, the SMA length rho_t and the rectification."""
    step = step + 1
    t = step.astype(_F64)
    bc2 = 1 - beta2 ** t
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * t * (beta2 ** t) / bc2
    rect = jnp.sqrt(jnp.abs((rho_t - 4) * (rho_t - 2) * rho_inf /
                            ((rho_inf - 4) * (rho_inf - 2) * rho_t)))
    return step, 1 - beta1 ** t, bc2, rho_t, rect
