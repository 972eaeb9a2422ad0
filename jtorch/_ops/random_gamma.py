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

The gradients are the closed-form approximations torch uses (series for small x, saddle-point
expansions for large shapes, rational corrections elsewhere), evaluated in float64 in JAX.
"""
import math

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.special import digamma as _jax_digamma

from .. import _dtypes, _errors, random as _random
from .._creation import as_tensor
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
    return g * _standard_gamma_grad_impl(alpha, samples).astype(g.dtype), jnp.zeros_like(samples)


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


# ------------------------------------------------------------------ _standard_gamma_grad
def digamma(x):
    # torch's helper gives +inf at 0 and at the negative integers (the poles)
    pole = (x <= 0) & (x == jnp.floor(x))
    return jnp.where(pole, jnp.inf, _jax_digamma(jnp.where(pole, 1.0, x)))


# rational approximation of d sample / d alpha over (log(x / alpha), log(alpha)):
# rows are the u^0, u^1, u^2 coefficients; the first four columns the numerator in v, the
# last four the denominator
_GAMMA_UV = np.array([
    [0.16009398, -0.094634809, 0.025146376, -0.0030648343,
     1, 0.32668115, 0.10406089, 0.0014179084],
    [0.53487893, 0.1298071, 0.065735949, -0.0015649758,
     0.16639465, 0.020070113, -0.0035938915, -0.00058392623],
    [0.040121004, -0.0065914022, -0.0026286047, -0.0013441777,
     0.017050642, -0.0021309326, 0.00085092367, -1.5247877e-07]])


def _gamma_grad_small_x(alpha, x):
    # Taylor series of the regularised incomplete gamma function for x < 0.8
    numer = jnp.ones_like(x)
    denom = alpha
    s1 = numer / denom
    s2 = numer / (denom * denom)
    for i in range(1, 6):
        numer = numer * (-x / i)
        denom = denom + 1
        s1 = s1 + numer / denom
        s2 = s2 + numer / (denom * denom)
    pow_xa = jnp.power(x, alpha)
    pdf = jnp.power(x, alpha - 1) * jnp.exp(-x)
    cdf = pow_xa * s1
    cdf_alpha = (jnp.log(x) - digamma(alpha)) * cdf - pow_xa * s2
    out = -cdf_alpha / pdf
    return jnp.where(jnp.isnan(out), 0.0, out)


def _gamma_grad_large_alpha(alpha, x):
    # Rice saddle-point expansion for alpha > 8; a polynomial near x = alpha
    n1 = 1 + 24 * alpha * (1 + 12 * alpha)
    n2 = (1440 * alpha * alpha + 6 * x * (53 - 120 * x) - 65 * x * x / alpha
          + alpha * (107 + 3600 * x))
    near = n1 * n2 / (1244160 * alpha * alpha * alpha * alpha)
    denom = jnp.sqrt(8 * alpha)
    term2 = denom / (alpha - x)
    term3 = jnp.power(x - alpha - alpha * jnp.log(x / alpha), -1.5)
    term23 = jnp.where(x < alpha, term2 - term3, term2 + term3)
    term1 = jnp.log(x / alpha) * term23 - jnp.sqrt(2 / alpha) * (alpha + x) / (
        (alpha - x) * (alpha - x))
    stirling = 1 + 1 / (12 * alpha) * (1 + 1 / (24 * alpha))
    far = -stirling * x * term1 / denom
    return jnp.where((0.9 * alpha <= x) & (x <= 1.1 * alpha), near, far)


def _gamma_grad_rational(alpha, x):
    u = jnp.log(x / alpha)
    v = jnp.log(alpha)
    c = [_GAMMA_UV[0, i] + u * (_GAMMA_UV[1, i] + u * _GAMMA_UV[2, i]) for i in range(8)]
    p = c[0] + v * (c[1] + v * (c[2] + v * c[3]))
    q = c[4] + v * (c[5] + v * (c[6] + v * c[7]))
    return jnp.exp(p / q)


def _standard_gamma_grad_impl(alpha, x):
    a = alpha.astype(jnp.float64)
    xx = x.astype(jnp.float64)
    small = _gamma_grad_small_x(a, xx)
    large = _gamma_grad_large_alpha(a, xx)
    mid = _gamma_grad_rational(a, xx)
    return jnp.where(xx < 0.8, small, jnp.where(a > 8.0, large, mid)).astype(alpha.dtype)


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
    return _standard_gamma_grad_impl(input, output.astype(input.dtype))


# ------------------------------------------------------------------ _dirichlet_grad
# rational correction: _DIR[k][i][j] are the cubic coefficients in b of the u^i a^j term,
# k = 0 the numerator, k = 1 the denominator (u = log x, a = log alpha - u,
# b = log total - a)
_DIR = np.array([
    [[[1.003668233, -0.01061107488, -0.0657888334, 0.01201642863],
      [0.6336835991, -0.3557432599, 0.05486251648, -0.001465281033],
      [-0.03276231906, 0.004474107445, 0.002429354597, -0.0001557569013]],
     [[0.221950385, -0.3187676331, 0.01799915743, 0.01074823814],
      [-0.2951249643, 0.06219954479, 0.01535556598, 0.001550077057],
      [0.02155310298, 0.004170831599, 0.001292462449, 6.976601077e-05]],
     [[-0.05980841433, 0.008441916499, 0.01085618172, 0.002319392565],
      [0.02911413504, 0.01400243777, -0.002721828457, 0.000751041181],
      [0.005900514878, -0.001936558688, -9.495446725e-06, 5.385558597e-05]]],
    [[[1, -0.02924021934, -0.04438342661, 0.007285809825],
      [0.6357567472, -0.3473456711, 0.05454656494, -0.002407477521],
      [-0.03301322327, 0.004845219414, 0.00231480583, -0.0002307248149]],
     [[0.5925320577, -0.1757678135, 0.01505928619, 0.000564515273],
      [0.1014815858, -0.06589186703, 0.01272886114, -0.0007316646956],
      [-0.007258481865, 0.001096195486, 0.0003934994223, -4.12701925e-05]],
     [[0.06469649321, -0.0236701437, 0.002902096474, -5.896963079e-05],
      [0.001925008108, -0.002869809258, 0.0008000589141, -6.063713228e-05],
      [-0.0003477407336, 6.959756487e-05, 1.097287507e-05, -1.650964693e-06]]]])


def _beta_grad_alpha_small(x, alpha, beta):
    # Taylor expansion for x near 0
    factor = digamma(alpha) - digamma(alpha + beta) - jnp.log(x)
    numer = jnp.ones_like(x)
    series = numer / alpha * (factor + 1 / alpha)
    for i in range(1, 11):
        numer = numer * (i - beta) * x / i
        denom = alpha + i
        series = series + numer / denom * (factor + 1 / denom)
    out = x * jnp.power(1 - x, -beta) * series
    return jnp.where(jnp.isnan(out), 0.0, out)


def _beta_grad_beta_small(x, alpha, beta):
    # Taylor expansion for x near 0, derivative w.r.t. the second shape
    factor = digamma(alpha + beta) - digamma(beta)
    numer, betas, dbetas = jnp.ones_like(x), jnp.ones_like(x), jnp.zeros_like(x)
    series = factor / alpha
    for i in range(1, 9):
        numer = numer * (-x / i)
        dbetas = dbetas * (beta - i) + betas
        betas = betas * (beta - i)
        series = series + numer / (alpha + i) * (dbetas + factor * betas)
    out = -jnp.power(1 - x, 1 - beta) * series
    return jnp.where(jnp.isnan(out), 0.0, out)


def _beta_grad_alpha_mid(x, alpha, beta):
    # Rice saddle-point expansion when both shapes exceed 6; a polynomial near the mean
    total = alpha + beta
    mean = alpha / total
    std = jnp.sqrt(alpha * beta / (total + 1)) / total
    b2 = beta * beta
    poly = 47 * x * b2 * b2 + alpha * (
        (43 + 20 * (16 + 27 * beta) * x) * b2 * beta + alpha * (
            3 * (59 + 180 * beta - 90 * x) * b2 + alpha * (
                (453 + 1620 * beta * (1 - x) - 455 * x) * beta + alpha * (
                    8 * (1 - x) * (135 * beta - 11)))))
    pre_num = (1 + 12 * alpha) * (1 + 12 * beta) / (total * total)
    pre_den = 12960 * alpha * alpha * alpha * beta * beta * (1 + 12 * total)
    near = pre_num / (1 - x) * poly / pre_den
    prefactor = -x / jnp.sqrt(2 * alpha * beta / total)
    stirling = ((1 + 1 / (12 * alpha) + 1 / (288 * alpha * alpha))
                * (1 + 1 / (12 * beta) + 1 / (288 * beta * beta))
                / (1 + 1 / (12 * total) + 1 / (288 * total * total)))
    axbx = alpha * (x - 1) + beta * x
    term1 = (2 * alpha * alpha * (x - 1) + alpha * beta * (x - 1) - x * b2) / (
        jnp.sqrt(2 * alpha / beta) * jnp.power(total, 1.5) * axbx * axbx)
    term2 = 0.5 * jnp.log(alpha / (total * x))
    term3 = jnp.sqrt(8 * alpha * beta / total) / (beta * x + alpha * (x - 1))
    term4 = jnp.power(beta * jnp.log(beta / (total * (1 - x)))
                      + alpha * jnp.log(alpha / (total * x)), -1.5)
    far = stirling * prefactor * (term1 + term2 * (term3 + jnp.where(x < mean, term4, -term4)))
    return jnp.where((mean - 0.1 * std <= x) & (x <= mean + 0.1 * std), near, far)


def _dirichlet_rational(x, alpha, total):
    beta = total - alpha
    u = jnp.log(x)
    a = jnp.log(alpha) - u
    b = jnp.log(total) - a
    pow_u = (1.0, u, u * u)
    pow_a = (1.0, a, a * a)
    p = q = 0.0
    for i in range(3):
        for j in range(3):
            ua = pow_u[i] * pow_a[j]
            cp, cq = _DIR[0, i, j], _DIR[1, i, j]
            p = p + ua * (cp[0] + b * (cp[1] + b * (cp[2] + b * cp[3])))
            q = q + ua * (cq[0] + b * (cq[1] + b * (cq[2] + b * cq[3])))
    approx = x * (digamma(total) - digamma(alpha)) / beta
    return p / q * approx


def _dirichlet_grad_impl(x, alpha, total):
    # evaluated in double; torch runs the series near 0 and 1 in the tensor's dtype, whose
    # rounding (~1e-4 relative in float32 near x = 1) it keeps and this does not
    x, alpha, total = (t.astype(jnp.float64) for t in (x, alpha, total))
    beta = total - alpha
    boundary = total * x * (1 - x)
    out = _dirichlet_rational(x, alpha, total)
    out = jnp.where((alpha > 6) & (beta > 6), _beta_grad_alpha_mid(x, alpha, beta), out)
    out = jnp.where((x >= 0.5) & (boundary < 0.75),
                    -_beta_grad_beta_small(1 - x, beta, alpha), out)
    return jnp.where((x <= 0.5) & (boundary < 2.5), _beta_grad_alpha_small(x, alpha, beta), out)


@op(variants="function", tensors=("x", "alpha", "total"), promote=Promotion.DEFAULT,
    grad_fn="DirichletGradBackward0", check=_same_dtype)
def _dirichlet_grad(x, alpha, total):
    """d x / d alpha of a Beta(alpha, total - alpha) draw x (implicit reparameterisation)."""
    return _dirichlet_grad_impl(x, alpha, total).astype(x.dtype)
