"""torch's CPU random generator, reproduced bit for bit in NumPy.

The engine is mt19937 seeded as torch seeds it (the reference ``init_genrand`` on the low 32
bits of the seed); NumPy's MT19937 bit generator, given that 624-word state, then draws the
raw 32-bit words in bulk. Each distribution applies torch's CPU formula to those words in
torch's consumption order:

* ``random()`` is one 32-bit word; ``random64()`` two words, the first being the high half.
* uniform float32 / float16 / bfloat16: 24 low bits of one word, times 2^-24 in float32
  (rounded on store for the half types); float64: 53 low bits of a 64-bit draw, in double.
* normal, numel >= 16 (contiguous): fill all uniforms first, then Box-Muller on each block
  of 16 (pairs j, j+8); when numel % 16 != 0 the last 16 are redrawn and transformed again.
  float32 takes torch's AVX2 kernel on x86 (``log256_ps``/``sincos256_ps``, cephes float
  polynomials), run as a jitted XLA program (``_normal_kernel.py``, which explains why that is
  bit-exact) — the rule where torch's CPU capability is AVX2 or AVX512. Under DEFAULT torch
  runs the scalar normal_fill_16 in float instead (``_scalar_kernels.py``: glibc's
  logf/cosf/sinf, no FMA but for the final ``* std + mean``). float16/bfloat16 run the
  float32 kernel on a float32 buffer whose uniforms cover the whole 16-blocks only; float64
  is normal_fill_16 in double with glibc's log/cos/sin.
* uniform float32 ``x * (to - from) + from`` is one FMA except under DEFAULT.
* normal, numel < 16: the scalar double Box-Muller, which caches its second sample in the
  generator (so ``randn(3)`` leaves a cached value for the next scalar draw).
* random_(from, to): ``word % range + from``, 64-bit words when range >= 2^32.
* bernoulli(p): ``uniform_double < p`` per element (torch's OSS CPU kernel).
"""
from __future__ import annotations

import math
import os
import struct
import threading

import jax
import ml_dtypes
import numpy as np

from . import _cpu_capability, _generator_normal, _scalar_kernels, _trace

DEFAULT_SEED = 67280421310721


def _pairs(shape):
    return (tuple(shape) if isinstance(shape, (tuple, list)) else (int(shape),)) + (2,)


def _real(np_dtype):
    return np.empty(0, np_dtype).real.dtype


def _as_complex(pairs, np_dtype):
    """Draws of shape (..., 2) (NumPy, or a jax array: large or traced) as complex values."""
    if isinstance(pairs, np.ndarray):
        return np.ascontiguousarray(pairs).view(np_dtype)[..., 0]
    return jax.lax.complex(pairs[..., 0], pairs[..., 1]).astype(np_dtype)
_F32 = np.float32


_libm = _scalar_kernels.libm_double     # glibc's double functions, as torch calls them

_SEEDER = np.random.RandomState()
_SEEDER_LOCK = threading.Lock()


def _init_genrand(seed32):
    """The reference mt19937 initialisation (what torch's at::mt19937 does): the recurrence
    ``x[i] = 1812433253 * (x[i-1] ^ (x[i-1] >> 30)) + i`` over 624 words. NumPy's legacy
    ``RandomState.seed`` of a 32-bit int runs exactly it, in C (~30 us; a Python loop takes
    ~80 us, and every DataLoader epoch seeds a generator)."""
    with _SEEDER_LOCK:
        _SEEDER.seed(int(seed32))
        return _SEEDER.get_state(legacy=True)[1].astype(np.uint32)


class Generator:
    def __init__(self, device="cpu"):
        self.device = device
        self._bits = np.random.MT19937(0)
        self.manual_seed(DEFAULT_SEED)

    # ---------------------------------------------------------------- seeding and state
    def manual_seed(self, seed):
        seed = int(seed)
        if seed < 0:
            seed &= 0xFFFFFFFFFFFFFFFF  # torch reinterprets negative seeds as uint64
        if seed > 0xFFFFFFFFFFFFFFFF:
            raise RuntimeError("Overflow when unpacking long long")
        self._initial_seed = seed
        self._bits.state = {"bit_generator": "MT19937",
                            "state": {"key": _init_genrand(seed & 0xFFFFFFFF), "pos": 624}}
        self._next_double_normal = None
        self._next_float_normal = None
        self._fresh = True  # torch stores next=0 (not 624) until the first draw
        return self

    def seed(self):
        s = int.from_bytes(os.urandom(8), "little") & 0x7FFFFFFFFFFFFFFF
        self.manual_seed(s)
        return s

    def initial_seed(self):
        return self._initial_seed

    def get_state(self):
        """torch's CPUGeneratorImplState layout (5056 bytes): legacy THGeneratorState
        (initial seed, left, seeded, next, 624 uint64 words, normal_x/y/rho, normal_is_valid),
        then the cached float normal and its validity flag."""
        st = self._bits.state["state"]
        key, pos = st["key"], st["pos"]
        left = 624 - pos + 1
        nd = self._next_double_normal
        buf = bytearray()
        buf += struct.pack("<Qii", self._initial_seed, left, 1)
        buf += struct.pack("<Q", 0 if self._fresh else pos)
        buf += np.asarray(key, dtype=np.uint64).tobytes()
        buf += struct.pack("<ddd", 0.0, 0.0 if nd is None else nd, 0.0)
        buf += struct.pack("<i", 0 if nd is None else 1)
        nf = self._next_float_normal
        buf += struct.pack("<f?", 0.0 if nf is None else nf, nf is not None)
        buf += bytes(5056 - len(buf))
        return np.frombuffer(bytes(buf), dtype=np.uint8).copy()

    def set_state(self, state):
        raw = np.asarray(state, dtype=np.uint8).tobytes()
        if len(raw) != 5056:
            raise RuntimeError("Expected either a THGeneratorState of size 5048 or a "
                               "CPUGeneratorImplState of size 5056 but found the input RNG "
                               f"state size to be {len(raw)}")
        seed, left, _seeded = struct.unpack_from("<Qii", raw, 0)
        pos, = struct.unpack_from("<Q", raw, 16)
        key = np.frombuffer(raw, dtype=np.uint64, count=624, offset=24).astype(np.uint32)
        _, ny, _ = struct.unpack_from("<ddd", raw, 24 + 624 * 8)
        valid, = struct.unpack_from("<i", raw, 24 + 624 * 8 + 24)
        nf, nf_valid = struct.unpack_from("<f?", raw, 24 + 624 * 8 + 28)
        self._initial_seed = seed
        self._fresh = left == 1 and pos == 0
        pos = 624 if self._fresh else int(pos)
        self._bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": pos}}
        self._next_double_normal = ny if valid else None
        self._next_float_normal = nf if nf_valid else None

    # ---------------------------------------------------------------- raw words
    def _words(self, n):
        """n raw 32-bit words, as uint64."""
        if not n:
            return np.zeros(0, np.uint64)
        self._fresh = False
        return self._bits.random_raw(n)

    def _words32(self, n):
        """n raw 32-bit words as uint32 (Generator.integers over the full uint32 range returns
        each raw word unchanged, one per value, faster than random_raw's uint64)."""
        if not n:
            return np.zeros(0, np.uint32)
        self._fresh = False
        return np.random.Generator(self._bits).integers(0, 1 << 32, n, dtype=np.uint32)

    def _words64(self, n):
        w = self._words(2 * n).reshape(n, 2)
        return (w[:, 0] << np.uint64(32)) | w[:, 1]

    def _uniform01(self, n, np_dtype):
        """torch's uniform_real_distribution<T>(0, 1) samples, in T's accumulate type."""
        np_dtype = np.dtype(np_dtype)
        if np_dtype == np.float64:
            v = self._words64(n) & np.uint64((1 << 53) - 1)
            return v.astype(np.float64) * (1.0 / (1 << 53))
        # float16/bfloat16 draw in their float32 math type (24 bits), rounded on store
        v = self._words(n) & np.uint64((1 << 24) - 1)
        return v.astype(_F32) * _F32(1.0 / (1 << 24))

    # ---------------------------------------------------------------- distributions
    def uniform(self, shape, np_dtype, low=0.0, high=1.0):
        np_dtype = np.dtype(np_dtype)
        if np_dtype.kind == "c":    # torch fills a complex tensor's real view
            return _as_complex(self.uniform(_pairs(shape), _real(np_dtype), low, high),
                               np_dtype)
        if _trace.ACTIVE:       # inside a compiled program: a traced JAX key
            return _trace.draw("uniform", shape, np_dtype, low, high)
        n = int(np.prod(shape))
        x = self._uniform01(n, np_dtype)
        if np_dtype == np.float64:
            out = x * (float(high) - float(low)) + float(low)
        else:
            # the bounds are first cast to the tensor's dtype; the arithmetic is float32
            lo = _F32(np.array(low, np_dtype).astype(np.float32))
            hi = _F32(np.array(high, np_dtype).astype(np.float32))
            # x * (hi - lo) + lo, contracted to an FMA except in the DEFAULT build
            out = _fma32(x, hi - lo, lo) if _cpu_capability.contracts_fma() else \
                x * (hi - lo) + lo
        out = out.astype(np_dtype)
        # a value that rounds up to `high` in a narrow dtype becomes `low` (torch's rule)
        out = np.where(out == np.asarray(high, np_dtype), np.asarray(low, np_dtype), out)
        return out.astype(np_dtype).reshape(shape)

    def normal(self, shape, np_dtype, mean=0.0, std=1.0):
        """torch's normal samples: NumPy, or a jax array for large draws (the real ones are
        drawn in ``_generator_normal``)."""
        if np.dtype(np_dtype).kind == "c" and not isinstance(std, np.ndarray):
            # torch: the real view, each part with std / sqrt(2) (unit variance in total)
            return _as_complex(self.normal(_pairs(shape), _real(np_dtype), mean,
                                           float(std) / math.sqrt(2)), np.dtype(np_dtype))
        if _trace.ACTIVE:
            return _trace.draw("normal", shape, np_dtype, mean, std)
        return _generator_normal.normal(self, shape, np_dtype, mean, std)

    def _normal_scalar(self):
        """normal_distribution<double>: Box-Muller, the second sample cached."""
        if self._next_double_normal is not None:
            v = self._next_double_normal
            self._next_double_normal = None
            return v
        u1, u2 = self._uniform01(2, np.float64)
        r = math.sqrt(-2.0 * math.log1p(-float(u2)))
        theta = 2.0 * math.pi * float(u1)
        self._next_double_normal = r * math.sin(theta)
        return r * math.cos(theta)

    def random(self, shape, np_dtype, low=None, high=None):
        np_dtype = np.dtype(np_dtype)
        n = int(np.prod(shape))
        if low is None and high is None:
            return self._random_full(n, np_dtype).reshape(shape)
        low, high = int(low), int(high)
        rng = high - low
        if rng <= 0:
            raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got "
                               f"from={low} >= to={high}")
        wide = np_dtype in (np.dtype(np.int64), np.dtype(np.float64), np.dtype(np.float32),
                            np.dtype(ml_dtypes.bfloat16))
        words = self._words64(n) if (wide and rng >= 1 << 32) else self._words(n)
        vals = (words % np.uint64(rng)).astype(object if rng >= 1 << 63 else np.int64) + low
        return np.asarray(vals).astype(np.int64).astype(np_dtype).reshape(shape)

    def _random_full(self, n, np_dtype):
        if np_dtype == np.bool_:
            return (self._words(n) & np.uint64(1)).astype(np.bool_)
        if np_dtype in (np.dtype(np.int64), np.dtype(np.float64)):
            words = self._words64(n)
        else:
            words = self._words(n)
        if np_dtype.kind == "f" or np_dtype == np.dtype(ml_dtypes.bfloat16):
            digits = {2: 11 if np_dtype == np.float16 else 8, 4: 24, 8: 53}[np_dtype.itemsize]
            return (words % np.uint64((1 << digits) + 1)).astype(np_dtype)
        top = np.iinfo(np_dtype).max
        return (words % np.uint64(top + 1)).astype(np_dtype)

    def randperm(self, n, np_dtype):
        """torch's CPU randperm: for i < n-1, swap i with i + random() % (n - i)."""
        if n <= 1:
            return np.arange(n, dtype=np_dtype)
        words = self._words(n - 1) if n < (1 << 24) else self._words64(n - 1)
        picks = (words % np.arange(n, 1, -1, dtype=np.uint64)).astype(np.int64)
        perm = list(range(n))       # swapping Python list items is ~2x NumPy item access
        for i, z in enumerate(picks.tolist()):
            j = i + z
            perm[i], perm[j] = perm[j], perm[i]
        return np.array(perm, dtype=np.int64).astype(np_dtype)

    def bernoulli(self, p, shape, np_dtype):
        """bernoulli_(float p) and double-probability tensors compare a double uniform;
        float probability tensors compare a float32 uniform (torch's two kernels)."""
        if _trace.ACTIVE and not isinstance(p, np.ndarray):
            return _trace.draw("bernoulli", shape, np_dtype, p, None)
        n = int(np.prod(shape))
        single = isinstance(p, np.ndarray) and p.dtype != np.float64
        u = self._uniform01(n, np.float32 if single else np.float64).reshape(shape)
        probs = np.broadcast_to(np.asarray(p, np.float32 if single else np.float64), shape)
        return (u < probs).astype(np_dtype)

    def multinomial(self, probs, num_samples, replacement=False):
        probs = np.asarray(probs, np.float64)
        rows = probs.reshape(-1, probs.shape[-1])
        out = np.empty((rows.shape[0], num_samples), np.int64)
        for r, row in enumerate(rows):
            if replacement:
                cdf = np.cumsum(row / row.sum())
                u = self._uniform01(num_samples, np.float64)
                out[r] = np.minimum(np.searchsorted(cdf, u, side="right"), len(row) - 1)
            else:
                # torch: exponential race, q ~ Exp(1), top-k of p / q
                q = -_libm("log1p", -self._uniform01(len(row), np.float64))
                keys = np.where(row > 0, row / q, -1.0)
                out[r] = np.argsort(-keys, kind="stable")[:num_samples]
        return out.reshape(probs.shape[:-1] + (num_samples,))

    def exponential(self, shape, np_dtype, lambd=1.0):
        u = self._uniform01(int(np.prod(shape)), np.float64)
        return (-1.0 / lambd * _libm("log1p", -u)).astype(np_dtype).reshape(shape)

    def geometric(self, shape, np_dtype, p):
        u = self._uniform01(int(np.prod(shape)), np.float64)
        return np.ceil(_libm("log", u) / math.log1p(-p)).astype(np_dtype).reshape(shape)

    def log_normal(self, shape, np_dtype, mean=1.0, std=2.0):
        n = int(np.prod(shape))
        vals = [math.exp(self._normal_scalar() * std + mean) for _ in range(n)]
        return np.array(vals, np.float64).astype(np_dtype).reshape(shape)

    def cauchy(self, shape, np_dtype, median=0.0, sigma=1.0):
        u = self._uniform01(int(np.prod(shape)), np.float64)
        return (median + sigma * _libm("tan", np.pi * (u - 0.5))).astype(np_dtype).reshape(shape)


default_generator = Generator()


# ------------------------------------------------------------------ float32 arithmetic
def _fma32(a, b, c):
    """float32 a*b + c rounded once (the compiler contracts torch's expression to an FMA)."""
    return (np.asarray(a, np.float64) * np.asarray(b, np.float64)
            + np.asarray(c, np.float64)).astype(_F32, copy=False)
