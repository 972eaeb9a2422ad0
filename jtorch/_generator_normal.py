"""torch's CPU normal sampler on a ``Generator``'s words (see ``_generator``'s docstring for
the consumption order): numel >= 16 fills 16-blocks by Box-Muller, float32 (and the half types,
on a float32 buffer) through torch's AVX2 kernel (``_normal_kernel``) or, under the DEFAULT
capability, its scalar one (``_scalar_kernels``), float64 in double with glibc's functions;
smaller draws take the generator's scalar Box-Muller, which caches its second sample.
"""
from __future__ import annotations

import jax
import numpy as np

from . import _cpu_capability, _normal_kernel, _scalar_kernels

_libm = _scalar_kernels.libm_double     # glibc's double functions, as torch calls them


def normal(gen, shape, np_dtype, mean, std):
    """``gen``'s real normal samples: NumPy, or a jax array for large draws (see the end)."""
    np_dtype = np.dtype(np_dtype)
    shape = tuple(shape)
    n = int(np.prod(shape))
    tensor_args = isinstance(mean, np.ndarray) or isinstance(std, np.ndarray)
    m, s = (0.0, 1.0) if tensor_args else (float(mean), float(std))
    if n >= 16:
        if np_dtype == np.float64:
            out = _fill_float64(gen, n, m, s)
        else:
            # float16/bfloat16: torch runs float32's kernel on a float32 buffer and rounds,
            # drawing uniforms for the whole 16-blocks only (then 16 for the tail)
            out = _fill_float32(gen, n, m, s, whole_blocks=np_dtype != np.float32)
            out = out.astype(np_dtype, copy=False)
    else:
        out = np.array([gen._normal_scalar() * s + m for _ in range(n)], np.float64)
        out = out.astype(np_dtype)
    out = out.reshape(shape)
    if tensor_args:
        # torch.normal(Tensor, Tensor): standard normals, then out.mul_(std).add_(mean)
        out = (out * np.asarray(std, np_dtype)).astype(np_dtype)
        out = (out + np.asarray(mean, np_dtype)).astype(np_dtype)
    if out.size >= 1 << 15:
        # device_put wraps the float32 kernel's 64-byte aligned output without a copy
        # (jnp.asarray would copy: for 10^7 draws as long as the kernel took); small
        # arrays stay NumPy, as their copy costs less than device_put's fixed cost
        return jax.device_put(out)
    return out


def _fill_float32(gen, n, mean, std, whole_blocks=False):
    """normal_fill_AVX2: 16-blocks of the uniforms drawn for all n values, then the last
    16 recomputed from 16 new ones when n % 16. Returns ``_normal_kernel.aligned_empty``
    memory (so that ``normal`` can hand it to jax without a copy), possibly a view of a
    buffer up to 15 values longer."""
    full = n // 16 * 16
    tail = n - full
    left = full

    def draw(k):
        # the kernel asks for words in stream order; the tail block, if any, is the
        # last 16, after the n % 16 words torch draws for float32 but never uses
        nonlocal left
        if k <= left:
            left -= k
            return gen._words32(k)
        head = gen._words32(left)
        if not whole_blocks:
            gen._words32(tail)
        left = 0
        return np.concatenate([head, gen._words32(16)])

    # the DEFAULT build runs the scalar normal_fill_16 instead of the AVX2 kernel
    kernel = _normal_kernel if _cpu_capability.capability() != "DEFAULT" else \
        _scalar_kernels
    out = kernel.normal_blocks(draw, full // 16 + (tail > 0), mean, std)
    if tail:
        out[n - 16:n] = out[full:].copy()
    return out[:n]


def _fill_float64(gen, n, mean, std):
    """normal_fill for float64: normal_fill_16 in double over 16-blocks, as above."""
    data = gen._uniform01(n, np.float64)
    full = n // 16 * 16
    # cache-sized chunks of the block computation
    step = 1 << 16
    for lo in range(0, full, step):
        hi = min(lo + step, full)
        data[lo:hi] = _scalar_block(data[lo:hi].reshape(-1, 16), mean, std).reshape(-1)
    if n % 16:
        tail = gen._uniform01(16, np.float64)
        data[n - 16:] = _scalar_block(tail.reshape(1, 16), mean, std).reshape(-1)
    return data


def _scalar_block(blocks, mean, std):
    """normal_fill_16 in double (float64 tensors): glibc's log/cos/sin, as torch calls them."""
    u1 = 1 - blocks[:, :8]
    u2 = blocks[:, 8:]
    radius = np.sqrt(-2 * _libm("log", u1))
    theta = 2.0 * np.pi * u2
    out = np.empty_like(blocks)
    out[:, :8] = radius * _libm("cos", theta) * std + mean
    out[:, 8:] = radius * _libm("sin", theta) * std + mean
    return out
