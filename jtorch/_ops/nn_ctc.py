"""ctc_loss: torch's connectionist temporal classification loss, one op.

The forward pass is torch's log-space alpha recursion (a ``lax.scan`` over time); the backward
pass is torch's alpha-beta formula, written out with ``jax.custom_vjp`` rather than left to
autodiff of the recursion, for two reasons: autodiff of log-sum-exp over impossible alignments
(-inf) gives NaN where torch gives finite gradients, and torch's gradient is not the plain
derivative. torch returns ``exp(log_probs) - exp(log_alpha_beta + nll - log_probs)``, which
is the derivative with respect to log_probs plus ``exp(log_probs)``; the extra term cancels
when log_probs come from ``log_softmax`` (its backward removes any per-row constant times the
softmax), which is how CTC is used, but it is visible on a leaf. We reproduce it.
"""
import functools

import jax
import jax.numpy as jnp

from .registry import Promotion, op

# exact sums by one-hot products, whatever torch.set_float32_matmul_precision says
_HI = jax.lax.Precision.HIGHEST


def _lse(*xs):
    """log(sum(exp(x))) as torch's CTC kernel computes it: max first, max of -inf taken as 0."""
    m = functools.reduce(jnp.maximum, xs)
    m = jnp.where(m == -jnp.inf, jnp.zeros_like(m), m)
    return jnp.log(functools.reduce(jnp.add, [jnp.exp(x - m) for x in xs])) + m


def _shift(a, k, fill):
    """a[:, s - k] (``fill`` where s < k) for k > 0; a[:, s + |k|] for k < 0."""
    pad = jnp.full(a.shape[:1] + (abs(k),), fill, a.dtype)
    if k > 0:
        return jnp.concatenate([pad, a[:, :-k]], 1)
    return jnp.concatenate([a[:, -k:], pad], 1)


def _layout(lp, targets, tl, blank):
    """Extended labels (blank, t1, blank, t2, ..., blank), their log-probs per time step, the
    positions where a skip over a blank is allowed, and the positions in use."""
    n = targets.shape[0]
    length = 2 * targets.shape[1] + 1
    s = jnp.arange(length)
    lab = jnp.take(targets, jnp.clip((s - 1) // 2, 0, max(targets.shape[1] - 1, 0)), axis=1) \
        if targets.shape[1] else jnp.zeros((n, length), targets.dtype)
    ext = jnp.where(s % 2 == 0, blank, lab).astype(jnp.int32)            # (N, L)
    lpe = jnp.take_along_axis(lp, jnp.broadcast_to(ext, lp.shape[:1] + ext.shape), axis=2)
    skip = (s % 2 == 1) & (s >= 2) & (ext != _shift(ext, 2, -1))
    used = s[None] < 2 * tl[:, None] + 1
    return ext, lpe, skip, used


def _alphas(lpe, skip, used, il):
    neg = jnp.asarray(-jnp.inf, lpe.dtype)
    s = jnp.arange(lpe.shape[2])
    a0 = jnp.where((s <= 1)[None] & used, lpe[0], neg)

    def step(alpha, xs):
        lpe_t, t = xs
        prev2 = jnp.where(skip, _shift(alpha, 2, neg), neg)
        new = _lse(alpha, _shift(alpha, 1, neg), prev2) + lpe_t
        new = jnp.where(used, new, neg)
        # past a sequence's end the state is frozen: the last one is alpha at il - 1
        new = jnp.where((t < il)[:, None], new, alpha)
        return new, new

    ts = jnp.arange(1, lpe.shape[0])
    last, rest = jax.lax.scan(step, a0, (lpe[1:], ts))
    return jnp.concatenate([a0[None], rest], 0), last


def _betas(lpe, skip, used, il, tl):
    neg = jnp.asarray(-jnp.inf, lpe.dtype)
    s = jnp.arange(lpe.shape[2])
    ends = (s[None] == 2 * tl[:, None]) | ((s[None] == 2 * tl[:, None] - 1) & (tl[:, None] > 0))
    skip_next = _shift(skip, -2, False)

    def step(beta, xs):
        lpe_t, t = xs
        nxt2 = jnp.where(skip_next, _shift(beta, -2, neg), neg)
        rec = jnp.where(used, _lse(beta, _shift(beta, -1, neg), nxt2) + lpe_t, neg)
        start = jnp.where(ends, lpe_t, neg)
        new = jnp.where((t == il - 1)[:, None], start,
                        jnp.where((t < il - 1)[:, None], rec, neg))
        return new, new

    init = jnp.full(lpe.shape[1:], neg)
    _, betas = jax.lax.scan(step, init, (lpe, jnp.arange(lpe.shape[0])), reverse=True)
    return betas


def _nll(last, il, tl):
    idx = 2 * tl[:, None]
    e1 = jnp.take_along_axis(last, idx, axis=1)[:, 0]
    e2 = jnp.where(tl > 0, jnp.take_along_axis(last, jnp.maximum(idx - 1, 0), axis=1)[:, 0],
                   -jnp.inf)
    nll = -_lse(e1, e2)
    # an empty input emits nothing: it explains only an empty target
    return jnp.where(il == 0, jnp.where(tl == 0, 0.0, jnp.inf).astype(nll.dtype), nll)


@functools.partial(jax.custom_vjp, nondiff_argnums=(4, 5))
def _ctc(lp, targets, il, tl, blank, zero_infinity):
    ext, lpe, skip, used = _layout(lp, targets, tl, blank)
    return _nll(_alphas(lpe, skip, used, il)[1], il, tl)


def _ctc_fwd(lp, targets, il, tl, blank, zero_infinity):
    ext, lpe, skip, used = _layout(lp, targets, tl, blank)
    alphas, last = _alphas(lpe, skip, used, il)
    nll = _nll(last, il, tl)
    return nll, (lp, targets, il, tl, alphas, nll)


def _ctc_bwd(blank, zero_infinity, res, gout):
    lp, targets, il, tl, alphas, nll = res
    ext, lpe, skip, used = _layout(lp, targets, tl, blank)
    betas = _betas(lpe, skip, used, il, tl)
    contrib = jnp.exp(alphas + betas + nll[None, :, None] - lpe)           # (T, N, L)
    onehot = jax.nn.one_hot(ext, lp.shape[2], dtype=lp.dtype)              # (N, L, C)
    grad = jnp.exp(lp) - jnp.einsum("tnl,nlc->tnc", contrib, onehot, precision=_HI)
    impossible = jnp.isinf(nll)[None, :, None]
    # torch's -inf + inf makes a whole row NaN for an impossible target
    grad = jnp.where(impossible, jnp.nan, grad) * gout[None, :, None]
    if zero_infinity:
        grad = jnp.where(impossible, jnp.zeros_like(grad), grad)
    live = jnp.arange(lp.shape[0])[:, None, None] < il[None, :, None]
    return jnp.where(live, grad, jnp.zeros_like(grad)), None, None, None


_ctc.defvjp(_ctc_fwd, _ctc_bwd)


@op(variants="", tensors=("log_probs", "targets", "input_lengths", "target_lengths"),
    promote=Promotion.NONE, grad_fn="CtcLossBackward0")
def _ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, zero_infinity):
    """Batched: log_probs (T, N, C), targets (N, S) padded, lengths (N,); per-sample nll."""
    return _ctc(log_probs, targets.astype(jnp.int32), input_lengths.astype(jnp.int32),
                target_lengths.astype(jnp.int32), blank, zero_infinity)
