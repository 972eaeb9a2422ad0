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

Large draws run in chunks of ``CHUNK`` blocks; compiles are per padded chunk size: the block
count is rounded up (to a power of two below 64 blocks, else to 1/8 of its leading power of
two), so a process compiles a few dozen variants at most (and JAX's persistent cache keeps
them across runs).
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
def _pairs(lanes, mean, std):
    """``lanes[0]`` holds lane j (u1) and ``lanes[1]`` lane j + 8 (u2) of every block, each
    contiguous: the fused loop vectorises over them. Splitting the 16-word blocks (and
    interleaving the results) inside XLA instead is ~10x slower: with 8-element minor
    dimensions its loops stop vectorising. NumPy does both, chunk by chunk in cache."""
    scale = _c(1.0 / (1 << 24))
    u1 = (lanes[0] & jnp.uint32(0xFFFFFF)).astype(_F) * scale
    u2 = (lanes[1] & jnp.uint32(0xFFFFFF)).astype(_F) * scale
    radius = jnp.sqrt(_c(-2.0) * _log(_c(1.0) - u1))
    s, c = _sincos(_c(2.0 * np.pi) * u2)
    return _fmadd(radius * c, std, mean), _fmadd(radius * s, std, mean)


# Blocks per kernel call. The words, their lane split and the results stay in cache (4 MiB
# each) and their buffers are reused, where whole-draw arrays cost a page fault per 4 KiB
# (on a fresh 40 MB array that is most of a NumPy pass's time).
CHUNK = 1 << 16
# Half a block (8 lanes of 4 bytes) as one NumPy element: splitting a block into its two
# halves and merging the two results back are then single strided copies of 32-byte items,
# ~2x faster than the same copies over uint32 lanes.
_HALF = np.dtype((np.void, 32))


def _bucket(blocks):
    """Padded block count: at most 1/8 more than needed, so a few compiles cover all sizes
    (the last partial chunk of a large draw included)."""
    if blocks <= 64:
        return 1 << max(0, (blocks - 1).bit_length())
    step = 1 << (blocks.bit_length() - 4)
    return -(-blocks // step) * step


def aligned_empty(n, dtype):
    """An uninitialised array whose data is 64-byte aligned when it is large: jit and
    ``jax.device_put`` then use it as a CPU buffer without copying (NumPy's large
    allocations sit 16 bytes past a page, which XLA copies). Small ones are plain: their
    copy costs less than aligning them."""
    dtype = np.dtype(dtype)
    if n * dtype.itemsize < 1 << 16:
        return np.empty(n, dtype)
    raw = np.empty(n * dtype.itemsize + 64, np.uint8)
    start = -raw.ctypes.data % 64
    return raw[start:start + n * dtype.itemsize].view(dtype)


def normal_blocks(draw, blocks, mean, std):
    """float32 normals of ``blocks`` 16-blocks, ``draw(k)`` giving the next k raw 32-bit
    words as uint32 (k a multiple of 16, called in stream order): a NumPy array of
    16 * blocks values, from ``aligned_empty``."""
    out = aligned_empty(16 * blocks, np.float32)
    halves = out.view(_HALF).reshape(blocks, 2)
    mean, std = np.float32(mean), np.float32(std)
    # Two lane buffers, reused: jit reads an aligned NumPy argument in place, so buffer
    # i % 2 is rewritten only after chunk i's result was merged, i.e. its run finished.
    size = 16 * min(CHUNK, _bucket(blocks))
    buffers = [aligned_empty(size, np.uint32) for _ in range(min(2, -(-blocks // CHUNK)))]
    pending = None
    for i, lo in enumerate(range(0, blocks, CHUNK)):
        k = min(CHUNK, blocks - lo)
        padded = _bucket(k)
        lanes = buffers[i % 2][:16 * padded].reshape(2, 8 * padded)
        lanes.view(_HALF)[:, :k] = draw(16 * k).view(_HALF).reshape(k, 2).T
        lanes[:, 8 * k:] = 0
        # with JAX's async CPU dispatch (jtorch turns it off: _config.py) XLA would
        # transform this chunk while the next chunk's words are drawn; inline, the chunks
        # still keep the words, lanes and results in cache
        result = _pairs(lanes, mean, std)
        if pending is not None:
            _merge(halves, *pending)
        pending = lo, k, result
    if pending is not None:
        _merge(halves, *pending)
    return out


def _merge(halves, lo, k, result):
    """Interleave a chunk's two result arrays back into torch's block layout."""
    cos, sin = (np.asarray(r).view(_HALF)[:k] for r in result)
    halves[lo:lo + k, 0] = cos
    halves[lo:lo + k, 1] = sin
