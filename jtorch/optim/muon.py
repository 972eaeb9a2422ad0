"""torch.optim.Muon: momentum, then a Newton-Schulz orthogonalisation of each 2-D update in
bfloat16 (as torch does), one jitted update per parameter.

Rounding: the pointwise kernels follow ``_functional``'s helpers; the bfloat16 matrix products
accumulate in float32 and round to bfloat16 once, while torch's CPU bfloat16 GEMM (oneDNN) may
round the ``beta * C + alpha * A @ B`` of ``addmm`` in another order, so updates can differ
from torch's by a bfloat16 ulp (relative 2**-8) in a few elements."""
from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np

import jtorch
from .. import _caches
from .._internal import raw, replace_values_
from . import _args
from ._functional import _Kernels, zero
from .optimizer import Optimizer

__all__ = ["Muon"]

EPS = 1e-7
DEFAULT_A = 3.4445
DEFAULT_B = -4.7750
DEFAULT_C = 2.0315
DEFAULT_NS_STEPS = 5
_BF16 = jnp.bfloat16
_F32 = np.dtype(np.float32)


def _mm(a, b):
    return jnp.matmul(a, b, preferred_element_type=jnp.float32)


def _newton_schulz(g, a, b, c, ns_steps, eps):
    """The quintic Newton-Schulz iteration of torch's Muon, in bfloat16."""
    x = g.astype(_BF16)
    tall = g.shape[0] > g.shape[1]
    if tall:
        x = x.T
    xf = x.astype(_F32)
    norm = jnp.sqrt(jnp.sum(xf * xf)).astype(_BF16)
    norm = jnp.maximum(norm, jnp.asarray(eps, _F32).astype(_BF16))
    x = (xf / norm.astype(_F32)).astype(_BF16)
    for _ in range(ns_steps):
        gram = _mm(x, x.T).astype(_BF16)
        upd = (b * gram.astype(_F32) + c * _mm(gram, gram)).astype(_BF16)
        x = (a * x.astype(_F32) + _mm(upd, x)).astype(_BF16)
    return x.T if tall else x


def _rule(p, g, buf, h, z, *, nesterov, ns_steps):
    """h = [momentum, a, b, c, eps, 1 - lr * weight_decay, adjusted lr]."""
    mom, a, b, c, eps, decay, adj_lr = (h[i] for i in range(7))
    k = _Kernels(p.dtype, z)
    buf = k.lerp(buf, g, 1 - mom)
    update = k.lerp(g, buf, mom) if nesterov else buf
    f32 = lambda v: v.astype(_F32)    # noqa: E731  (torch's coefficients act as float32)
    ortho = _newton_schulz(update, f32(a), f32(b), f32(c), ns_steps, eps)
    p = k.mul(p, decay)
    p = k.add(p, ortho.astype(p.dtype), -adj_lr)
    return p, buf


_JITTED = _caches.register("muon kernels", {})     # keyed by (nesterov, ns_steps)


def _compiled(nesterov, ns_steps):
    key = (bool(nesterov), int(ns_steps))
    fn = _JITTED.get(key)
    if fn is None:
        fn = _JITTED[key] = jax.jit(functools.partial(_rule, nesterov=key[0],
                                                      ns_steps=key[1]))
    return fn


def _adjust_lr(lr, adjust_lr_fn, shape):
    rows, cols = shape[:2]
    if adjust_lr_fn is None or adjust_lr_fn == "original":
        ratio = math.sqrt(max(1, rows / cols))
    elif adjust_lr_fn == "match_rms_adamw":
        ratio = 0.2 * math.sqrt(max(rows, cols))
    else:
        ratio = 1.0
    return lr * ratio


class Muon(Optimizer):
    def __init__(self, params, lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True,
                 ns_coefficients=(DEFAULT_A, DEFAULT_B, DEFAULT_C), eps=EPS,
                 ns_steps=DEFAULT_NS_STEPS, adjust_lr_fn=None):
        if isinstance(lr, jtorch.Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 <= momentum:
            raise ValueError(f"momentum should be >= 0 but is: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight decay should be >= 0 but is: {weight_decay}")
        if adjust_lr_fn is not None and adjust_lr_fn not in ("original", "match_rms_adamw"):
            raise ValueError(f"Adjust learning rate function {adjust_lr_fn} is not supported")
        super().__init__(params, {"lr": lr, "weight_decay": weight_decay,
                                  "momentum": momentum, "nesterov": nesterov,
                                  "ns_coefficients": ns_coefficients, "eps": eps,
                                  "ns_steps": ns_steps, "adjust_lr_fn": adjust_lr_fn})
        for group in self.param_groups:
            for p in group["params"]:
                if p.ndim != 2:
                    raise ValueError("Muon only supports 2D parameters whereas we found a "
                                     f"parameter with size: {p.size()}")

    def step(self, closure=None):
        return self._step_groups(closure)

    def _update_group(self, group):
        lr, wd = float(group["lr"]), float(group["weight_decay"])
        coeffs = tuple(group["ns_coefficients"])
        if group["ns_steps"] >= 100:
            raise ValueError("Number of steps must be less than 100 for computational "
                             "efficiency")
        if len(coeffs) != 3:
            raise ValueError("Coefficients must be a tuple of exactly 3 values")
        for p in group["params"]:
            if p.grad is None:
                continue
            _args.check_real_dense(p, "Muon")
            state = self.state[p]
            if "momentum_buffer" not in state:
                state["momentum_buffer"] = jtorch.zeros_like(p.grad)
            if p.grad.ndim != 2:
                raise ValueError("Param gradient must be a 2D matrix")
            adj = _adjust_lr(lr, group["adjust_lr_fn"], p.shape)
            h = jnp.asarray((float(group["momentum"]),) + tuple(map(float, coeffs))
                            + (float(group["eps"]), 1 - lr * wd, adj), dtype=np.float64)
            buf = state["momentum_buffer"]
            new_p, new_buf = _compiled(group["nesterov"], group["ns_steps"])(
                raw(p), raw(p.grad), raw(buf), h, zero())
            replace_values_(p, new_p, 2)
            replace_values_(buf, new_buf)
