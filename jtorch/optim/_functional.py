"""Pure update rules (optax's style: arrays in, arrays out) reproducing torch's CPU arithmetic.

Each rule maps ``(params, grads, state, h, z) -> (new_params, new_state)`` for all parameters of
one group: tuples of jax arrays, ``state`` one tuple of arrays per parameter, ``h`` a float64
vector of hyperparameters (traced, so changing ``lr`` by hand or by a scheduler does not
recompile) and ``z`` a traced int32 zero (see "fence" below; None inside a program that
jtorch.compile traces, where the update is fused: see ``_Kernels``).
Static flags (amsgrad, nesterov, "weight_decay != 0", ...) select code paths exactly where
torch's Python branches on them.

Why not optax's own transforms: their arithmetic differs from torch's in the last bits
(``optax.adam`` takes ``sqrt(nu / bc2)``, torch ``sqrt(nu) / sqrt(bc2)``; optax's moments are
``b*m + (1-b)*g``, torch's ``lerp``), and those bits compound over a run. Here each of torch's
kernels is one helper below that rounds where torch's kernel rounds:

* a Python scalar is first cast to the kernel's math type (float32 for float32 tensors);
* ``add(alpha=)``, ``lerp`` and ``addcmul`` are fused multiply-adds on torch's CPU (measured
  against torch 2.13: bit-equal), ``addcdiv`` and ``mul``-then-``add`` chains are not;
* float32 math runs widened to float64 (so a fused multiply-add is exact wherever torch
  fuses, whatever the backend contracts) and is rounded back at each kernel boundary through
  a "fence" (``jtorch/_rounding.py``, with the deferred queue's guard): a bitcast to
  integers xor'ed with a traced zero. XLA would otherwise fuse
  ``mul`` into a following ``add`` (one rounding instead of torch's two), and it drops plain
  float64->float32->float64 round trips;
* half types compute each kernel in float32 (torch's opmath) and round its result to the
  half type, as torch does.

Measured result: float32, float16 and bfloat16 updates are bit-identical to torch's over 100
steps, except where torch's CPU square root is not correctly rounded (MKL's vsSqrt: +-1 ulp
on ~13% of float32 inputs on an AMD EPYC) and for SGD's ``add(alpha=)`` on halves (torch
rounds differently on its non-vectorised tail). Denormal results can differ (XLA's CPU
flushes them to zero).
"""
from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

import jtorch
from . import _hyper as hyper

from .. import _caches, _cpu_capability, _rounding

_F64 = np.dtype(np.float64)
_F32 = np.dtype(np.float32)


class _Kernels:
    """torch's pointwise CPU kernels for one storage dtype. ``zero`` None: the update is
    part of a larger compiled program (``_inline_when_traced``), where, as under
    torch.compile, it only needs torch's values to float precision, not its bits: the
    math runs in the op dtype and XLA fuses and rounds it as it likes (the widening and
    the fences cost a compiled training step about as much as its forward and backward)."""

    def __init__(self, dtype, zero):
        self.dt = np.dtype(dtype)
        self.zero = zero
        # torch's opmath type: half types compute in float32
        self.op = _F32 if self.dt.itemsize < 4 else self.dt
        # computing float32 (and narrower) in float64 makes each rounding explicit; float64
        # itself cannot widen (the bits XLA's contraction may differ by are ~1e-16)
        self.w = _F64 if self.op.itemsize <= 4 and jax.config.jax_enable_x64 and \
            zero is not None else self.op
        self.fma = _cpu_capability.contracts_fma()

    def _fence(self, a):
        """``a`` rounded to its dtype for real (``_rounding.fence``)."""
        return a if self.zero is None else _rounding.fence(a, self.zero)

    def _prod(self, a):
        """A product torch fuses with the following add: kept exact (FMA) where torch's
        build contracts, rounded on its own in the DEFAULT build (no FMA)."""
        return a if self.fma else self._mid(a)

    def s(self, x):
        """A host double hyperparameter as torch's kernel sees it."""
        return self._fence(x.astype(self.op)).astype(self.w)

    def _in(self, a):
        return a.astype(self.w)

    def _mid(self, a):
        """Rounded as inside one torch kernel: to the math type (float32 for halves)."""
        return self._fence(a.astype(self.op)).astype(self.w)

    def _out(self, a):
        """A kernel's result, stored: math type, then storage dtype."""
        a = self._fence(a.astype(self.op))
        return a if self.op == self.dt else self._fence(a.astype(self.dt))

    def mul(self, a, s):                      # a * scalar
        return self._out(self._in(a) * self.s(s))

    def div(self, a, s):                      # a / scalar
        return self._out(self._in(a) / self.s(s))

    def adds(self, a, s):                     # a + scalar
        return self._out(self._in(a) + self.s(s))

    def add(self, a, b, alpha=None):          # a.add(b, alpha=alpha): fma(alpha, b, a)
        if alpha is None:
            return self._out(self._in(a) + self._in(b))
        return self._out(self._prod(self.s(alpha) * self._in(b)) + self._in(a))

    def lerp(self, a, b, w):                  # a.lerp(b, w), scalar w (torch's two branches)
        wt = self._fence(w.astype(self.op))
        small = jnp.abs(wt) < 0.5
        coeff = jnp.where(small, wt, wt - 1).astype(self.w)
        base = jnp.where(small, self._in(a), self._in(b))
        diff = self._mid(self._in(b) - self._in(a))
        return self._out(self._prod(coeff * diff) + base)

    def addcmul(self, a, t1, t2, v):          # a + v * t1 * t2: fma(v*t1, t2, a)
        vt1 = self._mid(self.s(v) * self._in(t1))
        return self._out(self._prod(vt1 * self._in(t2)) + self._in(a))

    def addcdiv(self, a, t1, t2, v=None):     # a + v * t1 / t2: no fma
        vt1 = self._in(t1) if v is None else self._mid(self.s(v) * self._in(t1))
        q = self._mid(vt1 / self._in(t2))
        return self._out(self._in(a) + q)

    def sqrt(self, a):
        return self._out(jnp.sqrt(self._in(a)))

    def maximum(self, a, b):
        return jnp.maximum(a, b)

    def abs(self, a):
        return self._out(jnp.abs(self._in(a)))

    def mul_t(self, a, b):                    # a * b, tensors
        return self._out(self._in(a) * self._in(b))

    def div_t(self, a, b):                    # a / b, tensors
        return self._out(self._in(a) / self._in(b))

    def recip(self, a):                       # a.reciprocal()
        return self._out(1 / self._in(a))


# ------------------------------------------------------------------ shared steps of the rules
def signed_grad(k, p, g, maximize, weight_decay, wd):
    """The gradient a rule starts from: negated under maximize, plus ``wd * p`` (L2)."""
    g = -g if maximize else g
    return k.add(g, p, wd) if weight_decay else g


def weight_decayed(k, p, g, weight_decay, decoupled, decay, wd):
    """(p, g) after Adam-style weight decay: decoupled (AdamW) shrinks the parameter by
    ``decay = 1 - lr * wd``, coupled adds ``wd * p`` to the gradient."""
    if weight_decay:
        if decoupled:
            p = k.mul(p, decay)
        else:
            g = k.add(g, p, wd)
    return p, g


def per_step(memo, step, fn):
    """``fn(step)``, computed once per distinct step array of a group (``step`` may be a
    tuple of per-parameter scalars that advance together: NAdam's step and mu_product).

    torch keeps one ``step`` tensor per parameter, and a group's advance together. A
    compiled training step (``jtorch.compile``) gives the group's step tensors one shared
    array (compiler/_program.py: equal outputs are written back as one array), so there the
    count and its bias corrections are computed once per group, not once per parameter;
    separate arrays (eager updates, a parameter that skipped a step) are separate keys. A
    constant step (state created inside the traced program) is keyed by its value."""
    key = tuple(map(_memo_key, step)) if isinstance(step, tuple) else _memo_key(step)
    hit = memo.get(key)
    if hit is None:
        hit = memo[key] = fn(step)
    return hit


def _memo_key(a):
    if isinstance(a, jax.core.Tracer):
        return id(a)            # (the caller's state tuples keep it alive)
    return np.asarray(a).tobytes(), np.dtype(a.dtype).str


def _adam_counts(step, lr, beta1, beta2):
    """The new step count, ``lr / (1 - beta1**t)`` and ``sqrt(1 - beta2**t)``."""
    step = step + 1
    # torch reads the step back as a Python double for the bias corrections
    t = step.astype(_F64)
    return step, lr / (1 - beta1 ** t), jnp.sqrt(1 - beta2 ** t)


def adam_moments(k, m, v, g, beta1, beta2):
    """torch's ``exp_avg.lerp_(g, 1 - beta1)`` and ``exp_avg_sq.mul_(beta2).addcmul_(g, g,
    value=1 - beta2)``."""
    return k.lerp(m, g, 1 - beta1), k.addcmul(k.mul(v, beta2), g, g, 1 - beta2)


# ------------------------------------------------------------------ SGD
def sgd(params, grads, state, h, z, *, weight_decay, momentum, nesterov, maximize):
    """h: the values of a ``_hyper.SGD``; state[i] = (momentum_buffer or None,)."""
    h = hyper.SGD(*h)
    lr, mom, damp, wd = h.lr, h.momentum, h.dampening, h.weight_decay
    new_p, new_s = [], []
    for p, g, st in zip(params, grads, state):
        k = _Kernels(p.dtype, z)
        g = signed_grad(k, p, g, maximize, weight_decay, wd)
        if momentum:
            buf = st[0]
            # first step: torch's buffer is a copy of the gradient
            buf = g if buf is None else k.add(k.mul(buf, mom), g, 1 - damp)
            g = k.add(g, buf, mom) if nesterov else buf
            st = (buf,)
        new_p.append(k.add(p, g, -lr))
        new_s.append(st)
    return tuple(new_p), tuple(new_s)


# ------------------------------------------------------------------ Adam / AdamW
def adam(params, grads, state, h, z, *, weight_decay, amsgrad, maximize, decoupled):
    """h: the values of a ``_hyper.Adam``;
    state[i] = (step, exp_avg, exp_avg_sq[, max_exp_avg_sq])."""
    h = hyper.Adam(*h)
    lr, beta1, beta2, eps, wd, decay = h.lr, h.beta1, h.beta2, h.eps, h.weight_decay, h.decay
    new_p, new_s, memo = [], [], {}
    for p, g, st in zip(params, grads, state):
        k = _Kernels(p.dtype, z)
        m, v = st[1], st[2]
        g = -g if maximize else g
        step, step_size, bc2_sqrt = per_step(
            memo, st[0], lambda s: _adam_counts(s, lr, beta1, beta2))
        p, g = weight_decayed(k, p, g, weight_decay, decoupled, decay, wd)
        m, v = adam_moments(k, m, v, g, beta1, beta2)
        if amsgrad:
            vmax = k.maximum(st[3], v)
            denom = k.adds(k.div(k.sqrt(vmax), bc2_sqrt), eps)
            new_st = (step, m, v, vmax)
        else:
            denom = k.adds(k.div(k.sqrt(v), bc2_sqrt), eps)
            new_st = (step, m, v)
        new_p.append(k.addcdiv(p, m, denom, -step_size))
        new_s.append(new_st)
    return tuple(new_p), tuple(new_s)


# ------------------------------------------------------------------ RMSprop
def rmsprop(params, grads, state, h, z, *, weight_decay, momentum, centered, maximize):
    """h: the values of a ``_hyper.RMSprop``;
    state[i] = (step, square_avg[, momentum_buffer][, grad_avg]) in torch's key order."""
    h = hyper.RMSprop(*h)
    lr, alpha, eps, wd, mom = h.lr, h.alpha, h.eps, h.weight_decay, h.momentum
    new_p, new_s = [], []
    for p, g, st in zip(params, grads, state):
        k = _Kernels(p.dtype, z)
        step, sq = st[0], st[1]
        rest = list(st[2:])
        g = signed_grad(k, p, g, maximize, weight_decay, wd)
        step = step + 1
        sq = k.addcmul(k.mul(sq, alpha), g, g, 1 - alpha)
        buf = rest.pop(0) if momentum else None
        if centered:
            ga = k.lerp(rest.pop(0), g, 1 - alpha)
            avg = k.sqrt(k.addcmul(sq, ga, ga, jnp.float64(-1.0)))
        else:
            ga = None
            avg = k.sqrt(sq)
        avg = k.adds(avg, eps)
        if momentum:
            buf = k.addcdiv(k.mul(buf, mom), g, avg)
            p = k.add(p, buf, -lr)
        else:
            p = k.addcdiv(p, g, avg, -lr)
        new_p.append(p)
        new_s.append((step, sq) + ((buf,) if momentum else ()) + ((ga,) if centered else ()))
    return tuple(new_p), tuple(new_s)


# ------------------------------------------------------------------ Adagrad
def adagrad(params, grads, state, h, z, *, weight_decay, maximize):
    """h: the values of a ``_hyper.Adagrad``; state[i] = (step, sum)."""
    h = hyper.Adagrad(*h)
    lr, lr_decay, wd, eps = h.lr, h.lr_decay, h.weight_decay, h.eps
    new_p, new_s = [], []
    for p, g, (step, acc) in zip(params, grads, state):
        k = _Kernels(p.dtype, z)
        step = step + 1
        g = signed_grad(k, p, g, maximize, weight_decay, wd)
        clr = lr / (1 + (step.astype(_F64) - 1) * lr_decay)
        acc = k.addcmul(acc, g, g, jnp.float64(1.0))
        std = k.adds(k.sqrt(acc), eps)
        new_p.append(k.addcdiv(p, g, std, -clr))
        new_s.append((step, acc))
    return tuple(new_p), tuple(new_s)


# ------------------------------------------------------------------ the fused call
def _as_real(x):
    return jnp.stack([x.real, x.imag], axis=-1)


def _as_complex(x, dtype):
    return jax.lax.complex(x[..., 0], x[..., 1]).astype(dtype)


def _real_view(rule):
    """torch runs these rules on ``view_as_real`` of complex parameters: do the same."""
    def wrapped(params, grads, state, h, z, **flags):
        cplx = [jnp.iscomplexobj(p) for p in params]
        if not any(cplx):
            return rule(params, grads, state, h, z, **flags)

        def conv(x, c):
            return _as_real(x) if c and x is not None and jnp.iscomplexobj(x) else x
        rp = tuple(conv(p, c) for p, c in zip(params, cplx))
        rg = tuple(conv(g, c) for g, c in zip(grads, cplx))
        rs = tuple(tuple(conv(x, c) for x in st) for st, c in zip(state, cplx))
        new_p, new_s = rule(rp, rg, rs, h, z, **flags)

        def back(new, old, dtype):
            # complex inputs, and buffers created on this step (SGD's first momentum
            # step, old is None), go back to complex; real ones (the step count) stay
            if new is not None and (old is None or jnp.iscomplexobj(old)):
                return _as_complex(new, dtype)
            return new
        out_p = tuple(back(n, o, o.dtype) if c else n
                      for n, o, c in zip(new_p, params, cplx))
        out_s = tuple(tuple(back(n, o, p.dtype) for n, o in zip(ns, os_)) if c else ns
                      for ns, os_, c, p in zip(new_s, state, cplx, params))
        return out_p, out_s
    return wrapped


_JITTED = _caches.register("optimizer kernels", {})    # (rule, flags): finite by construction
zero = _rounding.int_zero     # the traced zero of the rounding fences


def compiled(rule, flags):
    """One jitted callable per (rule, static flags); jax.jit re-specialises per tree of
    shapes and dtypes on its own."""
    key = (rule, flags)
    fn = _JITTED.get(key)
    if fn is None:
        fn = _JITTED[key] = _inline_when_traced(functools.partial(_real_view(rule),
                                                                  **dict(flags)))
    return fn


def _inline_when_traced(rule):
    """``rule`` jitted, except while jtorch traces a compiled program (``torch.compile``,
    ``torch.func``): there it runs inline, so that it sees which parameters share one step
    array (a nested jit would give each argument its own tracer; see ``per_step``), and
    without the fences (see ``_Kernels``). Under a user's own ``jax.jit`` (``to_optax``)
    it stays torch's bits."""
    jitted = jax.jit(rule)

    def run(params, grads, state, h, z):
        if jtorch.compiler.is_compiling():
            return rule(params, grads, state, h, None)
        return jitted(params, grads, state, h, z)
    run._cache_size = jitted._cache_size       # (tests count the compiles)
    return run
