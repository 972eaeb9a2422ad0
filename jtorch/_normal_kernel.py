"""torch's float32 Box-Muller kernel (normal_fill_16_AVX2) as one compiled XLA program.

torch fills a float32 tensor of >= 16 normals 16 at a time: uniforms u (24 bits of a 32-bit
word), then for each lane j < 8 ``radius = sqrt(-2 log(1 - u[j]))``, ``theta = 2 pi u[j+8]``,
``out[j] = radius cos(theta)``, ``out[j+8] = radius sin(theta)``, each through
``fmadd(., std, mean)``; log and sincos are cephes' float32 polynomials (avx_mathfun.h).
The expressions below are those polynomials written plainly in float32. The C++ compiler
contracts their multiply-add pairs into FMAs, and XLA's LLVM back end makes the same
contractions in a fused loop, so the results equal torch's bit for bit (10^7 draws, every
seed tested); evaluating the same expressions op by op (NumPy, or JAX without jit) rounds
each product apart and differs on ~0.1% of draws. Keep this a single jitted function.

Compiles are per padded size: the block count is rounded up (to a power of two below 64
blocks, else to 1/8 of its leading power of two), so a process compiles a few dozen variants
at most (and JAX's persistent cache keeps them across runs).
"""
import jax
import jax.numpy as jnp
import numpy as np

_F = jnp.float32
_LOG_P = (7.0376836292E-2, -1.1514610310E-1, 1.1676998740E-1, -1.2420140846E-1,
          1.4249322787E-1, -1.6668057665E-1, 2.0000714765E-1, -2.4999993993E-1,
          3.3333331174E-1)


def _c(v):
    return jnp.asarray(v, _F)


def _log(x):
    """cephes logf (avx_mathfun's log256_ps)."""
    x = jnp.maximum(x, jax.lax.bitcast_convert_type(jnp.uint32(0x00800000), _F))
    bits = jax.lax.bitcast_convert_type(x, jnp.uint32)
    e = ((bits >> 23).astype(jnp.int32) - 0x7F).astype(_F) + _c(1.0)
    x = jax.lax.bitcast_convert_type((bits & jnp.uint32(0x807FFFFF)) | jnp.uint32(0x3F000000),
                                     _F)
    small = x < _c(0.707106781186547524)
    tmp = jnp.where(small, x, _c(0.0))
    x = x - _c(1.0)
    e = e - jnp.where(small, _c(1.0), _c(0.0))
    x = x + tmp
    z = x * x
    y = jnp.full_like(x, _LOG_P[0])
    for coef in _LOG_P[1:]:
        y = y * x + _c(coef)
    y = y * x * z
    y = e * _c(-2.12194440e-4) + y
    y = y - z * _c(0.5)
    x = x + y
    return e * _c(0.693359375) + x


def _sincos(x):
    """cephes sincosf (avx_mathfun's sincos256_ps): (sin, cos)."""
    sign_sin = jnp.signbit(x)
    x = jnp.abs(x)
    j = (x * _c(1.27323954473516)).astype(jnp.int32)
    j = (j + 1) & ~1
    y = j.astype(_F)
    swap = (j & 4) != 0
    poly = (j & 2) == 0
    x = y * _c(-0.78515625) + x
    x = y * _c(-2.4187564849853515625e-4) + x
    x = y * _c(-3.77489497744594108e-8) + x
    sign_cos = ((~(j - 2)) & 4) != 0
    sign_sin = sign_sin ^ swap
    z = x * x
    yc = (_c(2.443315711809948E-005) * z + _c(-1.388731625493765E-003)) * z \
        + _c(4.166664568298827E-002)
    yc = yc * z * z
    yc = yc - z * _c(0.5) + _c(1.0)
    ys = (_c(-1.9515295891E-4) * z + _c(8.3321608736E-3)) * z + _c(-1.6666654611E-1)
    ys = ys * z * x + x
    s = jnp.where(poly, ys, yc)
    c = jnp.where(poly, yc, ys)
    return jnp.where(sign_sin, -s, s), jnp.where(sign_cos, -c, c)


def _fmadd(a, b, c):
    """_mm256_fmadd_ps, explicitly: the product is exact in float64, one rounding."""
    f64 = jnp.float64
    return (a.astype(f64) * b.astype(f64) + c.astype(f64)).astype(_F)


@jax.jit
def _pairs(w1, w2, mean, std):
    """Lanes j (u1) and j + 8 (u2) of every block, as two contiguous arrays: the fused loop
    vectorises over them (twice as fast as reading the interleaved blocks)."""
    scale = _c(1.0 / (1 << 24))
    u1 = (w1 & jnp.uint32(0xFFFFFF)).astype(_F) * scale
    u2 = (w2 & jnp.uint32(0xFFFFFF)).astype(_F) * scale
    radius = jnp.sqrt(_c(-2.0) * _log(_c(1.0) - u1))
    s, c = _sincos(_c(2.0 * np.pi) * u2)
    return _fmadd(radius * c, std, mean), _fmadd(radius * s, std, mean)


def _bucket(blocks):
    """Padded block count: at most 1/8 more than needed, so a few compiles cover all sizes."""
    if blocks <= 64:
        return 1 << max(0, (blocks - 1).bit_length())
    step = 1 << (blocks.bit_length() - 4)
    return -(-blocks // step) * step


def normal_blocks(words, mean, std):
    """float32 normals from ``len(words)`` (a multiple of 16) raw 32-bit words (any integer
    dtype holding them)."""
    blocks = len(words) // 16
    padded = _bucket(blocks)
    lanes = np.empty((2, padded, 8), np.uint32)
    lanes[:, :blocks] = np.asarray(words).reshape(blocks, 2, 8).transpose(1, 0, 2)
    lanes[:, blocks:] = 0
    cos, sin = _pairs(lanes[0].reshape(-1), lanes[1].reshape(-1), np.float32(mean),
                      np.float32(std))
    out = np.empty((blocks, 2, 8), np.float32)
    out[:, 0] = np.asarray(cos).reshape(padded, 8)[:blocks]
    out[:, 1] = np.asarray(sin).reshape(padded, 8)[:blocks]
    return out.reshape(-1)
