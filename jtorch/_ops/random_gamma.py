"""torch._standard_gamma, _sample_dirichlet and their implicit-reparameterisation gradients
(_standard_gamma_grad, _dirichlet_grad).

Sampling runs on the host, element by element in memory order, as torch's CPU kernel does:
Marsaglia and Tsang's rejection sampler fed by the generator's 53-bit double uniforms and its
double Box-Muller normals (whose second value is cached in the generator, so a rejected or
finished element hands it to the next one). Shapes below 1 are boosted to shape + 1 and
scaled by U^(1/alpha). In float32 torch does the shape arithmetic (1/alpha, alpha + 1,
alpha - 1/3) in float and everything after in double; the float constants 1/3 and 0.0331
enter the double arithmetic at float precision.

The rejection loop reads uniforms from a buffer drawn in bulk (one vectorised NumPy draw);
the generator is then advanced by exactly the number consumed.

The gradients' formulas are in ``_gamma_grads``.
"""
import math

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtypes, _errors, random as _random
from .._creation import as_tensor
from ._gamma_grads import beta_sample_grad, gamma_sample_grad
from .registry import Promotion, composite, op

_THIRD = float(np.float32(1.0) / np.float32(3.0))   # torch's 1.0f / 3.0f
_SQUEEZE = float(np.float32(0.0331))                  # torch's 0.0331f
_CHUNK = 4096


class _Stream:
    """Double uniforms and Box-Muller normals in torch's order, drawn ahead in bulk."""

    def __init__(self, gen):
        self.gen = gen
        self.start = gen._bits.state
        self.fresh = gen._fresh
        self.drawn = 0
        self.cached = gen._next_double_normal

    def more(self):
        """The next chunk of uniforms, as a Python list."""
        self.drawn += _CHUNK
        return self.gen._uniform01(_CHUNK, np.float64).tolist()

    def close(self, left):
        """Rewind the bulk draws and consume exactly what was used (``left`` unused)."""
        used = self.drawn - left
        self.gen._bits.state = self.start
        self.gen._fresh = self.fresh
        if used:
            self.gen._uniform01(used, np.float64)
        self.gen._next_double_normal = self.cached


def _shape_terms(alphas, single):
    """Per element: boosted (alpha < 1), 1/alpha, d = alpha' - 1/3 and c = 1/sqrt(9 d),
    vectorised; float32 inputs do torch's float arithmetic up to d."""
    ft = np.float32 if single else np.float64
    a = alphas.astype(ft)
    with np.errstate(divide="ignore", invalid="ignore"):
        boost = a < 1
        inv = (ft(1) / a).astype(np.float64)
        shape = np.where(boost, a + ft(1), a)
        d = (shape - ft(_THIRD)).astype(np.float64) if single else shape - _THIRD
        c = 1.0 / np.sqrt(9.0 * d)
    return boost.tolist(), inv.tolist(), d.tolist(), c.tolist()


def gamma_draws(alphas, gen, single):
    """Standard gamma draws (a float64 list) for the flat float64 array ``alphas``,
    element by element: Marsaglia-Tsang rejection over the generator's stream."""
    s = _Stream(gen)
    buf, pos, cached = [], 0, s.cached
    out = []
    log, log1p, sqrt, sin, cos, pow_ = math.log, math.log1p, math.sqrt, math.sin, math.cos, \
        math.pow
    two_pi = 2.0 * math.pi
    for a, boost, inv, d, c in zip(alphas.tolist(), *_shape_terms(alphas, single)):
        if not (a == a and a != math.inf and d > 0):
            # NaN / inf / shapes at or below -2/3 never end torch's loop: give NaN back
            out.append(math.nan if a != math.inf else a)
            continue
        scale = 1.0
        if boost:
            if a == 0.0:
                out.append(0.0)
                continue
            if pos == len(buf):
                buf, pos = s.more(), 0
            scale = pow_(1.0 - buf[pos], inv)
            pos += 1
        while True:
            while True:
                if cached is not None:
                    x, cached = cached, None
                else:
                    if pos + 2 > len(buf):
                        buf, pos = buf[pos:] + s.more(), 0
                    u1, u2 = buf[pos], buf[pos + 1]
                    pos += 2
                    r = sqrt(-2.0 * log1p(-u2))
                    cached = r * sin(two_pi * u1)
                    x = r * cos(two_pi * u1)
                y = 1.0 + c * x
                if y > 0:
                    break
            v = y * y * y
            if pos == len(buf):
                buf, pos = s.more(), 0
            u = 1.0 - buf[pos]
            pos += 1
            xx = x * x
            if u < 1.0 - _SQUEEZE * xx * xx or log(u) < 0.5 * xx + d * (1.0 - v + log(v)):
                out.append(scale * d * v)
                break
    s.cached = cached
    s.close(len(buf) - pos)
    return out


def _generator(generator, device):
    return _random.generator_for(generator, device)


def _check_float(t, kernel):
    if t.dtype not in (_dtypes.float32, _dtypes.float64):
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_type_name(t.dtype)}\'')


def _type_name(dtype):
    names = {"float16": "Half", "bfloat16": "BFloat16", "int64": "Long", "int32": "Int",
             "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
             "complex64": "ComplexFloat", "complex128": "ComplexDouble"}
    return names.get(repr(dtype)[6:], repr(dtype)[6:])


# ------------------------------------------------------------------ _standard_gamma
@composite(variants="function")
def _standard_gamma(input, generator=None):
    """Gamma(input, 1) draws, torch's CPU stream."""
    _check_float(input, "gamma_cpu")
    single = input.dtype == _dtypes.float32
    np_dtype = np.float32 if single else np.float64
    alphas = input.detach().contiguous()._host().astype(np.float64).reshape(-1)
    draws = np.asarray(gamma_draws(alphas, _generator(generator, input.device), single), np.float64)
    # torch clamps to the smallest normal number of the dtype (a draw never is 0)
    values = np.maximum(draws.astype(np_dtype), np.finfo(np_dtype).tiny)
    values = np.where(np.isnan(draws), np.nan, values).astype(np_dtype)
    return api_standard_gamma(input, as_tensor(values.reshape(tuple(input.shape))))


@jax.custom_vjp
def _gamma_value(alpha, samples):
    return samples


def _gamma_value_fwd(alpha, samples):
    return samples, (alpha, samples)


def _gamma_value_bwd(res, g):
    alpha, samples = res
    return g * gamma_sample_grad(alpha, samples).astype(g.dtype), jnp.zeros_like(samples)


_gamma_value.defvjp(_gamma_value_fwd, _gamma_value_bwd)


@op(variants="", tensors=("input", "samples"), promote=Promotion.NONE,
    grad_fn="StandardGammaBackward0")
def api_standard_gamma(input, samples):
    # the draw's derivative w.r.t. its shape: implicit reparameterisation
    return _gamma_value(input, samples.astype(input.dtype))


api_standard_gamma.aten_name = "_standard_gamma"


# ------------------------------------------------------------------ _sample_dirichlet
@composite(variants="function")
def _sample_dirichlet(input, generator=None):
    """Dirichlet draws: double gamma draws per element, normalised along the last dim."""
    _check_float(input, "dirichlet")
    np_dtype = np.float32 if input.dtype == _dtypes.float32 else np.float64
    alphas = input.detach().contiguous()._host().astype(np.float64)
    draws = gamma_draws(alphas.reshape(-1), _generator(generator, input.device), False)
    gam = np.maximum(np.asarray(draws, np.float64), np.finfo(np.float64).tiny)
    gam = gam.reshape(alphas.shape)
    total = as_tensor(gam).sum(-1, keepdim=True)._host() if gam.ndim else gam
    ratio = (gam / total).astype(np_dtype)
    hi = np.nextafter(np_dtype(1.0), np_dtype(0.0))
    values = np.minimum(hi, np.maximum(np.finfo(np_dtype).tiny, ratio)).astype(np_dtype)
    return api_sample_dirichlet(input, as_tensor(values))


@op(variants="", tensors=("input", "samples"), promote=Promotion.NONE,
    grad_fn="torch::autograd::NotImplemented")
def api_sample_dirichlet(input, samples):
    return samples.astype(input.dtype) + jnp.zeros_like(input)


api_sample_dirichlet.aten_name = "_sample_dirichlet"


# ------------------------------------------------------------------ the draws' gradients
def _same_dtype(*tensors):
    """torch's TensorIterator for these kernels takes the first input's dtype as common (no
    promotion): its shapes are checked first, then every dtype against that one."""
    shape = ()
    for t in tensors:
        shape = _errors.infer_size(shape, tuple(t.shape))
    for t in tensors[1:]:
        if t.dtype is not tensors[0].dtype:
            raise RuntimeError(f"Found dtype {_dtypes.torch_type_name(t.dtype)} but expected "
                               f"{_dtypes.torch_type_name(tensors[0].dtype)}")


@op(variants="function", tensors=("input", "output"), promote=Promotion.DEFAULT,
    grad_fn="StandardGammaGradBackward0", check=_same_dtype)
def _standard_gamma_grad(input, output):
    """d x / d alpha of a standard gamma draw x (implicit reparameterisation)."""
    return gamma_sample_grad(input, output.astype(input.dtype))


@op(variants="function", tensors=("x", "alpha", "total"), promote=Promotion.DEFAULT,
    grad_fn="DirichletGradBackward0", check=_same_dtype)
def _dirichlet_grad(x, alpha, total):
    """d x / d alpha of a Beta(alpha, total - alpha) draw x (implicit reparameterisation)."""
    return beta_sample_grad(x, alpha, total).astype(x.dtype)
