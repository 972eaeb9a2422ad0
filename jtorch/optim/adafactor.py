"""torch.optim.Adafactor: factored second moments (a row and a column factor for each matrix,
a full variance for vectors), one jitted update per parameter (the state's layout depends on
the parameter's rank, so parameters are not batched per group).

Rounding: pointwise kernels follow ``_functional``'s helpers, and the norms and the mean
follow torch's float32 accumulation order (measured against torch 2.13 with CPU capability
AVX512; see ``_sum_squares_last`` and ``_sum_last``): bit-identical to torch in the tested
configurations. Not reproduced: the cascade levels of torch's sum over long runs (the
mean of more than ~100 row factors).
"""
from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

import jtorch
from .. import _caches
from .._internal import raw, replace_values_
from . import _args
from ._functional import _Kernels, zero
from .optimizer import Optimizer, _scalar_dtype

__all__ = ["Adafactor"]

_F64 = np.dtype(np.float64)


def _sum_squares_last(k, x):
    """The sum of squares along the last axis in the order torch's float32 vector norm
    accumulates it (measured against torch 2.13, capability AVX512, lengths up to 4099):
    eight lanes over the leading multiple of 8 (square, then add), the lanes added in
    order, then the tail: its leading multiple of 4 as square-then-add, the rest fused."""
    n = x.shape[-1]
    m = n - n % 8
    # a literal 0.0 to start from would let XLA fold the first add and, with it, the
    # rounding of the square it adds: start from the first term (0 + a is exact anyway)
    total = None
    if m:
        chunks = jnp.moveaxis(x[..., :m].reshape(x.shape[:-1] + (m // 8, 8)), -2, 0)
        lanes, _ = jax.lax.scan(lambda acc, c: (k.add(acc, k.mul_t(c, c)), None),
                                k.mul_t(chunks[0], chunks[0]), chunks[1:])
        total = lanes[..., 0]
        for lane in range(1, 8):
            total = k.add(total, lanes[..., lane])
    fused_from = n - (n - m) % 4
    for i in range(m, n):
        xi = x[..., i]
        if total is None:
            total = k.mul_t(xi, xi)
        elif i < fused_from:
            total = k.add(total, k.mul_t(xi, xi))
        else:
            total = k.addcmul(total, xi, xi, jnp.float64(1.0))
    return jnp.zeros(x.shape[:-1], x.dtype) if total is None else total


def _ilp4_sum(k, x):
    """torch's scalar float sum of a short run: four interleaved partial sums (the leftover
    elements go to the first), then added in order."""
    n = x.shape[-1]
    parts = [None] * 4
    for i in range(n):
        lane = i % 4 if i < n - n % 4 else 0
        parts[lane] = x[..., i] if parts[lane] is None else k.add(parts[lane], x[..., i])
    total = jnp.zeros(x.shape[:-1], x.dtype) if parts[0] is None else parts[0]
    for part in parts[1:]:
        if part is not None:
            total = k.add(total, part)
    return total


def _sum_last(k, x):
    """torch's float32 sum along a contiguous last axis: eight-wide vectors into four
    interleaved vector accumulators, the scalar tail summed first and the eight lanes then
    added to it in order (measured for lengths up to ~100; torch's cascade levels for longer
    runs are not reproduced)."""
    n = x.shape[-1]
    m = n - n % 8
    if not m:
        return _ilp4_sum(k, x)
    vecs = x[..., :m].reshape(x.shape[:-1] + (m // 8, 8))
    nv = m // 8
    groups = nv // 4
    if groups:
        # four vector accumulators fed in turn: a scan over groups of four vectors
        quads = jnp.moveaxis(vecs[..., :groups * 4, :].reshape(
            x.shape[:-1] + (groups, 4, 8)), -3, 0)
        quad, _ = jax.lax.scan(lambda acc, q: (k.add(acc, q), None), quads[0], quads[1:])
        acc = [quad[..., j, :] for j in range(4)]
    else:
        acc = [None] * 4
    for i in range(groups * 4, nv):       # leftover vectors go to the first accumulator
        acc[0] = vecs[..., i, :] if acc[0] is None else k.add(acc[0], vecs[..., i, :])
    vec = acc[0]
    for part in acc[1:]:
        if part is not None:
            vec = k.add(vec, part)
    total = _ilp4_sum(k, x[..., m:])
    for lane in range(8):
        total = k.add(total, vec[..., lane])
    return total


def _norm(k, x, axis=None):
    """torch.norm(x, dim=axis, keepdim=True) (the whole tensor when axis is None) in torch's
    float32 accumulation order: a contiguous run (the whole tensor, a row, or a column of a
    one-column matrix) as ``_sum_squares_last``; columns of a wider matrix one row after
    the other (torch vectorises across columns there)."""
    if axis is None:
        return k.sqrt(_sum_squares_last(k, x.reshape(-1)))
    if axis == -1:
        return k.sqrt(_sum_squares_last(k, x))[..., None]
    if x.shape[-1] == 1:
        return k.sqrt(_sum_squares_last(k, x[..., 0]))[..., None, None]
    rows = jnp.moveaxis(x, -2, 0)
    total, _ = jax.lax.scan(lambda acc, r: (k.add(acc, k.mul_t(r, r)), None),
                            k.mul_t(rows[0], rows[0]), rows[1:])
    return k.sqrt(total)[..., None, :]


def _rule(p, g, step, factors, h, z, *, factored, maximize, weight_decay, foreach):
    """h = [1 - t**beta2_decay, rho_t, eps1, eps2, 1 - lr * weight_decay, sqrt(numel),
    sqrt(numel) * d]: the step's powers come from the host, as torch computes them from
    ``step.item()`` (XLA's float64 pow is not correctly rounded), and the divisors are
    traced (XLA rewrites a division by a constant into a product with its reciprocal);
    ``factors`` is (row_var, col_var) or (variance,)."""
    one_minus_beta2, rho, eps1, eps2, wd_mul, root_n, root_n_d = (h[i] for i in range(7))
    k = _Kernels(p.dtype, z)
    g = -g if maximize else g
    step = step + 1
    alpha = jnp.maximum(eps2, _norm(k, p).astype(_F64) / root_n) * rho
    if weight_decay:
        p = k.mul(p, wd_mul)
    if factored:
        row_var, col_var = factors
        row_mean = k.div(k.mul_t(*(_norm(k, g, -1),) * 2), jnp.float64(g.shape[-1]))
        row_var = k.lerp(row_var, row_mean, one_minus_beta2)
        col_mean = k.div(k.mul_t(*(_norm(k, g, -2),) * 2), jnp.float64(g.shape[-2]))
        col_var = k.lerp(col_var, col_mean, one_minus_beta2)
        estimate = k.mul_t(row_var, col_var)     # (.., R, 1) @ (.., 1, C): one product each
        # row_var is (.., R, 1): its mean over R is a contiguous sum, then a division
        rows = row_var.shape[-2]
        row_var_mean = k.div(_sum_last(k, row_var[..., 0]), jnp.float64(rows))[..., None, None]
        row_var_mean = jnp.maximum(row_var_mean, k.s(eps1).astype(p.dtype))
        estimate = k.div_t(estimate, row_var_mean)
        factors = (row_var, col_var)
    else:
        (variance,) = factors
        variance = k.lerp(variance, k.mul_t(g, g), one_minus_beta2)
        estimate = variance
        factors = (variance,)
    floor = k.s(eps1 * eps1).astype(p.dtype)
    update = k.recip(k.sqrt(jnp.maximum(estimate, floor)))     # rsqrt: sqrt, then 1 / x
    update = k.mul_t(update, g)
    denom = jnp.maximum(1.0, _norm(k, update).astype(_F64) / root_n_d)
    scale = -alpha / denom
    # the foreach path multiplies, then adds (two roundings); the other one fuses add(alpha=)
    p = k.add(p, k.mul(update, scale)) if foreach else k.add(p, update, scale)
    return p, step, factors


_JITTED = _caches.register("adafactor kernels", {})     # keyed by a few static flags


def _compiled(flags):
    fn = _JITTED.get(flags)
    if fn is None:
        fn = _JITTED[flags] = jax.jit(functools.partial(_rule, **dict(flags)))
    return fn


class Adafactor(Optimizer):
    def __init__(self, params, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0,
                 weight_decay=0.0, *, foreach=None, maximize=False):
        if isinstance(lr, jtorch.Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 >= beta2_decay:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
        if not 0.0 <= eps[1]:
            raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
        if not 1.0 <= d:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")
        super().__init__(params, {"lr": lr, "beta2_decay": beta2_decay, "eps": eps, "d": d,
                                  "weight_decay": weight_decay, "foreach": foreach,
                                  "maximize": maximize})

    def __setstate__(self, state):
        super().__setstate__(state)
        _args.fill_group_defaults(self, foreach=None)
        _args.counters_to_tensors(self)

    @staticmethod
    def _init_state(p, state):
        state["step"] = jtorch.tensor(0.0, dtype=_scalar_dtype())
        if p.grad.dim() > 1:
            state["row_var"] = p.grad.new_zeros(list(p.grad.shape[:-1]) + [1])
            shape = list(p.grad.shape)
            shape[-2] = 1
            state["col_var"] = p.grad.new_zeros(shape)
        else:
            state["variance"] = jtorch.zeros_like(p.grad)

    def step(self, closure=None):
        return self._step_groups(closure)

    def _update_group(self, group):
        eps1, eps2 = group["eps"]
        lr, wd = float(group["lr"]), float(group["weight_decay"])
        for p in group["params"]:
            if p.grad is None:
                continue
            _args.check_real_dense(p, "Adafactor")
            state = self.state[p]
            if len(state) == 0:
                self._init_state(p, state)
            e1 = jtorch.finfo(p.dtype).eps if eps1 is None else eps1
            t = float(state["step"]) + 1      # torch: step_t += 1; step_t.item()
            root_n = p.numel() ** 0.5
            h = jnp.asarray([t ** group["beta2_decay"], min(lr, 1 / (t ** 0.5)), e1, eps2,
                             1 - lr * wd, root_n, root_n * group["d"]], dtype=_F64)
            factored = p.grad.dim() > 1
            keys = ("row_var", "col_var") if factored else ("variance",)
            flags = (("factored", factored), ("maximize", bool(group["maximize"])),
                     ("weight_decay", wd != 0), ("foreach", bool(group["foreach"])))
            new_p, new_step, factors = _compiled(flags)(
                raw(p), raw(p.grad), raw(state["step"]), tuple(raw(state[k]) for k in keys),
                h, zero())
            replace_values_(p, new_p, 2 if wd != 0 else 1)
            replace_values_(state["step"], new_step)
            for key, a in zip(keys, factors):
                replace_values_(state[key], a)
