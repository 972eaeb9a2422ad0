"""torch.poisson and torch.binomial: torch's CPU samplers (element by element in memory order, from the
generator's 53-bit double uniforms). poisson: Knuth's product of uniforms below rate 10,
Hoermann's transformed rejection (PTRS) from 10; binomial: geometric waiting times below
n min(p, 1-p) = 10, Hoermann's BTRS from there. Transcendentals are Python's ``math`` (glibc, which
torch's kernel calls)."""
import math

import jax.numpy as jnp
import numpy as np

from .. import _dtypes, _errors
from .registry import Promotion, composite, op


def _sample(lam, uniform, libm):
    if lam >= 10:
        slam, loglam = math.sqrt(lam), libm("log", lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = uniform() - 0.5
            v = uniform()
            us = 0.5 - abs(u)
            k = math.floor((2 * a / us + b) * u + lam + 0.43)
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            if (libm("log", v) + libm("log", invalpha) - libm("log", a / (us * us) + b)) <= \
                    (-lam + k * loglam - math.lgamma(k + 1.0)):
                return k
    if lam == 0:
        return 0
    enlam = libm("exp", -lam)
    count, prod = 0, 1.0
    while True:
        prod *= uniform()
        if prod > enlam:
            count += 1
        else:
            return count


@op(variants="", tensors=("input", "samples"), promote=Promotion.NONE,
    grad_fn="PoissonBackward0")
def api_poisson(input, samples):
    # torch's derivative of poisson is zero
    return samples.astype(input.dtype) + jnp.zeros_like(input)


@composite(variants="function")
def poisson(input, generator=None):
    """Poisson draws with the rates in input (same dtype and shape)."""
    import jtorch
    if not input.is_floating_point():
        raise NotImplementedError(f"\"poisson_cpu\" not implemented for '{_name(input)}'")
    gen = jtorch.random.generator_for(generator, input.device)
    rates = input.detach().contiguous()._host().astype(np.float64).reshape(-1)
    if rates.size and (np.isnan(rates).any() or rates.min() < 0):
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")

    def uniform():
        return float(gen._uniform01(1, np.float64)[0])
    libm = lambda name, x: getattr(math, name)(x)  # noqa: E731
    values = np.array([_sample(float(r), uniform, libm) for r in rates], np.float64)
    samples = jtorch.as_tensor(values.reshape(tuple(input.shape)))
    return api_poisson(input, samples)


# ------------------------------------------------------------------ binomial
# Stirling's series tail log(k!) - [(k + 1/2) log(k + 1) - (k + 1) + log(2 pi)/2], tabulated
# below 10 as in torch's kernel
_TAIL = (0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509,
         0.0166446911898211, 0.0138761288230707, 0.0118967099458917, 0.0104112652619720,
         0.00925546218271273, 0.00833056343336287)


def _tail(k):
    if k <= 9:
        return _TAIL[int(k)]
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


def _btrs(n, p, uniform):
    """Hoermann's transformed rejection with squeeze for n p >= 10."""
    log = math.log
    stddev = math.sqrt(n * p * (1 - p))
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = n * p + 0.5
    v_r = 0.92 - 4.2 / b
    r = p / (1 - p)
    alpha = (2.83 + 5.1 / b) * stddev
    m = math.floor((n + 1) * p)
    while True:
        u = uniform() - 0.5
        v = uniform()
        us = 0.5 - abs(u)
        k = math.floor((2 * a / us + b) * u + c)
        if k < 0 or k > n:
            continue
        if us >= 0.07 and v <= v_r:
            return k
        v = log(v * alpha / (a / (us * us) + b))
        bound = ((m + 0.5) * log((m + 1) / (r * (n - m + 1))) +
                 (n + 1) * log((n - m + 1) / (n - k + 1)) +
                 (k + 0.5) * log(r * (n - k + 1) / (k + 1)) +
                 _tail(m) + _tail(n - m) - _tail(k) - _tail(n - k))
        if v <= bound:
            return k


def _inversion(n, p, uniform):
    """Count geometric waiting times until they pass n (n p < 10)."""
    total, count = 0.0, 0
    logq = math.log1p(-p)
    while True:
        total += math.ceil(math.log(uniform()) / logq)
        if total > n:
            return count
        count += 1


def _binomial(n, p, uniform):
    if math.isnan(n) or math.isnan(p):
        return math.nan
    if n <= 0 or p <= 0:
        return 0
    if p >= 1:
        return n
    if p <= 0.5:
        return _btrs(n, p, uniform) if n * p >= 10 else _inversion(n, p, uniform)
    q = 1.0 - p
    return n - (_btrs(n, q, uniform) if n * q >= 10 else _inversion(n, q, uniform))


@op(variants="", tensors=("count", "prob", "samples"), promote=Promotion.NONE,
    grad_fn="torch::autograd::NotImplemented")
def api_binomial(count, prob, samples):
    return samples.astype(count.dtype) + jnp.zeros_like(count) + jnp.zeros_like(prob)


api_binomial.aten_name = "binomial"


@composite(variants="function")
def binomial(count, prob, generator=None):
    """Binomial draws with ``count`` trials of success probability ``prob``."""
    import jtorch
    for what, t in (("count", count), ("prob", prob)):
        if not t.is_floating_point():
            raise ValueError(f"binomial only supports floating-point dtypes for {what}, got: "
                             f"{_name(t)}")
    gen = jtorch.random.generator_for(generator, count.device)
    shape = _errors.infer_size(tuple(count.shape), tuple(prob.shape))
    if prob.dtype is not count.dtype:
        raise RuntimeError(f"Found dtype {_name(prob)} but expected {_name(count)}")
    n = count.detach().expand(shape).contiguous()._host().astype(np.float64).reshape(-1)
    p = prob.detach().to(count.dtype).expand(shape).contiguous()._host() \
        .astype(np.float64).reshape(-1)

    def uniform():
        return float(gen._uniform01(1, np.float64)[0])
    values = np.array([_binomial(a, b, uniform) for a, b in zip(n, p)], np.float64)
    return api_binomial(count, prob, jtorch.as_tensor(values.reshape(tuple(shape))))


@op(variants="", tensors=("samples", "a", "b"), promote=Promotion.NONE,
    grad_fn=lambda targs, sargs, skw: sargs[0] if sargs else skw["node"])
def api_draw_node(samples, a, b=None, node="NormalBackward3"):
    """``samples`` recorded as a draw from parameters ``a`` (and ``b``): the output of
    torch.normal / torch.bernoulli requires grad when a parameter does, and torch's
    derivative of a draw w.r.t. its parameters is zero (a and b are unused)."""
    return samples


# the op named in torch's NotImplemented error, the one node here without a derivative
# (bernoulli(input, p))
api_draw_node.aten_name = "bernoulli"


def _name(t):
    return _dtypes.torch_type_name(t.dtype)
