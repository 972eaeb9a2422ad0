"""torch's DEFAULT-build CPU kernels, where they round differently from the AVX2/AVX512 ones.

Under the DEFAULT capability (x86-64 CPUs without AVX2/FMA, or ``ATEN_CPU_CAPABILITY=default``)
torch runs its portable kernels, compiled for baseline x86-64: there is no FMA instruction, so
every multiply and add rounds on its own, and the float32 normal sampler is the scalar
``normal_fill_16`` instead of the AVX2 cephes kernel (``_normal_kernel.py``). That scalar code
calls ``std::log``/``std::cos``/``std::sin`` on floats, i.e. glibc's ``logf``/``cosf``/
``sinf``; those are not correctly rounded (``float32(log(double(x)))`` differs from ``logf``
on ~0.5% of inputs), so they are called here through ``ctypes`` element by element, in the same
process and so the same glibc variant torch calls. That costs ~1 us per call: slow for huge
draws, but the DEFAULT capability is the rare one and the AVX2 paths do not come here.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import math

import numpy as np

from . import _normal_kernel

_F32 = np.float32


def _load_libm():
    for name in ("libm.so.6", ctypes.util.find_library("m")):
        if name:
            try:
                return ctypes.CDLL(name)
            except OSError:
                continue
    return None


_LIBM = _load_libm()
_UFUNCS = {}


def _float_fn(name):
    """glibc's ``<name>f`` as an object ufunc (one C call per element)."""
    fn = _UFUNCS.get(name)
    if fn is None:
        if _LIBM is None:
            raise RuntimeError(f"the DEFAULT CPU capability's normal sampler needs the C "
                               f"library's {name}f (libm), which could not be loaded")
        c_fn = getattr(_LIBM, name + "f")
        c_fn.restype, c_fn.argtypes = ctypes.c_float, [ctypes.c_float]
        fn = _UFUNCS[name] = np.frompyfunc(c_fn, 1, 1)
    return fn


def libm_double(name, x):
    """math.<name> element by element: glibc's double functions, which torch's CPU kernels
    call (every build, not only DEFAULT). NumPy's own float64 log/log1p/exp/tan (SIMD builds
    on AVX-512 machines) differ from glibc by 1 ulp on ~0.3-8% of inputs, which would change
    torch's exact samples."""
    fn = getattr(math, name)
    x = np.asarray(x, np.float64)
    return np.fromiter(map(fn, x.ravel().tolist()), np.float64, x.size).reshape(x.shape)


def libm_float(name, x):
    """glibc's float ``log``/``cos``/``sin`` of a float32 array, element by element."""
    x = np.asarray(x, _F32)
    return _float_fn(name)(x).astype(_F32)


def normal_fill_16(u, mean, std):
    """torch's scalar ``normal_fill_16`` in float over rows of 16 uniforms (n x 16 float32):
    ``radius = sqrt(-2 log(1 - u[j]))``, ``theta = float(2 pi u[j+8])`` (the product in
    double), ``radius * cos(theta)`` rounded to float; the final ``* std + mean`` is one
    fused multiply-add even in this build (measured: rounding the product apart differs
    from torch on ~20% of draws when std is not a power of two)."""
    mean, std = np.float64(_F32(mean)), np.float64(_F32(std))
    u1 = _F32(1) - u[:, :8]
    radius = np.sqrt(_F32(-2) * libm_float("log", u1))   # sqrtf is correctly rounded
    theta = (2.0 * np.pi * u[:, 8:].astype(np.float64)).astype(_F32)
    out = np.empty_like(u)
    # a float32 product is exact in float64, so float64 multiply-add is the FMA
    for half, fn in ((slice(0, 8), "cos"), (slice(8, 16), "sin")):
        z = (radius * libm_float(fn, theta)).astype(np.float64)
        out[:, half] = (z * std + mean).astype(_F32)
    return out


def normal_blocks(draw, blocks, mean, std):
    """``_normal_kernel.normal_blocks`` for the DEFAULT build: same arguments and result
    layout (64-byte aligned when large), the blocks through ``normal_fill_16``."""
    out = _normal_kernel.aligned_empty(16 * blocks, _F32)
    step = 1 << 12   # blocks per chunk: the words and uniforms stay in cache
    for lo in range(0, blocks, step):
        k = min(step, blocks - lo)
        words = draw(16 * k)
        u = (words & np.uint32(0xFFFFFF)).astype(_F32) * _F32(1.0 / (1 << 24))
        out[16 * lo:16 * (lo + k)] = normal_fill_16(u.reshape(k, 16), mean, std).reshape(-1)
    return out
