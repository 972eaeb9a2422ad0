"""torch.arange, linspace and logspace with torch's CPU values: its range kernels are
vectorised, and the lane arithmetic (an FMA or a rounded product, by build) decides the last
bits of each element, so the values are computed on the host in that same order, then placed
on the device once.
"""
from __future__ import annotations

import builtins
import math

import numpy as np

from . import _cpu_capability, _dtypes
from ._creation import _fill_out, _from_array
from ._tensor import Tensor
from .device import as_device


def _fma64(a, b, c):
    """Correctly rounded a*b + c in float64 (what the compiler's FMA gives torch's kernels),
    vectorised with error-free transformations (Dekker product, Knuth sum)."""
    a, b, c = (np.asarray(x, np.float64) for x in (a, b, c))
    p = a * b
    split = 134217729.0  # 2**27 + 1
    ah = a * split - (a * split - a)
    bh = b * split - (b * split - b)
    al, bl = a - ah, b - bh
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    s = p + c
    bb = s - p
    t = (p - (s - bb)) + (c - bb)
    return s + (t + e)


# torch's CPU range kernels are vectorised: each block of _LANES[dtype] elements starts
# from base = start + step * idx and adds i * step per lane (the same lanes in the AVX2,
# AVX512 and DEFAULT builds). The AVX builds contract each multiply-add into an FMA; the
# DEFAULT build (no FMA) rounds the product and the sum apart.
_LANES = {np.float32: 8, np.float64: 4}


def arange(start, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False):
    if end is None:
        start, end = 0, start
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    start, end, step = vals
    if dtype is None:
        is_float = any(isinstance(v, (float, np.floating)) for v in vals)
        dtype = _dtypes.get_default_dtype() if is_float else _dtypes.int64
    dt = _dtypes.as_dtype(dtype)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (step > 0 and start > end) or (step < 0 and start < end):
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    n = builtins.max(math.ceil((end - start) / step), 0)
    host = _arange_values(start, step, n, dt)
    return _fill_out(_from_array(host, dt, as_device(device), requires_grad), out)


def _arange_values(start, step, n, dt):
    if not (dt.is_floating_point or dt.is_complex):
        # integral: int64 accumulation when the bounds are integers, as torch
        if float(step).is_integer() and float(start).is_integer():
            return (int(start) + np.arange(n, dtype=np.int64) * int(step)).astype(dt._np)
        return np.trunc(start + np.arange(n, dtype=np.float64) * step).astype(dt._np)
    t = dt._np.type
    lanes = _LANES.get(t, 8)
    full = n - n % (2 * lanes)  # vector loop runs two vectors at a time; the tail is scalar
    # the arithmetic is in double (float's accumulate type); float32 rounds each block's
    # base. Blocks x lanes as a 2-d grid: the products' error terms are computed per block
    # and per lane, only the sums per element.
    fma = _fma64 if _cpu_capability.contracts_fma() else _mul_add64
    base = fma(step, np.arange(0, full, lanes), start)
    if t is not np.float64:
        base = base.astype(t).astype(np.float64)
    vec = fma(np.arange(lanes)[None, :], step, base[:, None]).reshape(-1)
    tail = fma(step, np.arange(full, n), start)
    return np.concatenate([vec, tail]).astype(t)


def _mul_add64(a, b, c):
    """a*b + c in float64 without FMA: the product rounds, then the sum."""
    return np.asarray(a, np.float64) * np.asarray(b, np.float64) + np.asarray(c, np.float64)


def linspace(start, end, steps=None, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    if steps is None:  # torch 2.x made steps required
        got = ", ".join(type(v).__name__ for v in (start, end))
        raise TypeError(f"linspace() received an invalid combination of arguments - got "
                        f"({got}), but expected one of:\n * (Tensor start, Tensor end, int steps, "
                        "*, Tensor out = None, torch.dtype dtype = None, torch.layout layout = "
                        "None, torch.device device = None, bool pin_memory = False, bool "
                        "requires_grad = False)")
    dt = _dtypes.as_dtype(dtype) if dtype is not None else _dtypes.get_default_dtype()
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    # 0-dim tensor bounds (torch's Tensor overload) act as their Python values
    if any(isinstance(v, Tensor) and v.dim() for v in (start, end)):
        got = " and ".join(f"{n} with {v.dim()} dimension(s)" for n, v in
                           (("start", start), ("end", end)) if isinstance(v, Tensor))
        raise RuntimeError(f"linspace only supports 0-dimensional start and end tensors, but "
                           f"got {got}.")
    start, end = (v.item() if isinstance(v, Tensor) else v for v in (start, end))
    return _fill_out(_from_array(_linspace_values(start, end, steps, dt), dt,
                                 as_device(device), requires_grad), out)


def _linspace_values(start, end, steps, dt):
    # torch's CPU kernel (scalar): step in the output precision (double for integers); the
    # first half counts up from start, the second half down from end, each as one FMA.
    integral = not (dt.is_floating_point or dt.is_complex)
    t = np.float64 if integral else dt._np.type
    work = np.float32 if t in (np.float16, dt._np.type) and t is not np.float64 and \
        not integral else np.float64
    # integral outputs convert the bounds to the integer type first (truncation)
    s = t(start) if not integral else np.float64(math.trunc(start))
    e = t(end) if not integral else np.float64(math.trunc(end))
    if steps == 1:
        return np.array([s]).astype(dt._np)
    step = t((work(e) - work(s)) / work(steps - 1)) if not integral else \
        (np.float64(e) - np.float64(s)) / (steps - 1)
    idx = np.arange(steps)
    if not _cpu_capability.contracts_fma() and not integral:
        # DEFAULT build: scalar_t arithmetic, each operation rounded (the index converted
        # to scalar_t first)
        up = s + step * idx.astype(t)
        down = e - step * (steps - 1 - idx).astype(t)
        return np.where(idx < steps // 2, up, down).astype(dt._np)
    fma = _fma64 if _cpu_capability.contracts_fma() else _mul_add64
    up = fma(np.float64(step), idx, np.float64(s))
    down = fma(-np.float64(step), steps - 1 - idx, np.float64(e))
    vals = np.where(idx < steps // 2, up, down)
    if work is np.float32:
        vals = vals.astype(np.float32)
    return vals.astype(dt._np) if not integral else np.trunc(vals).astype(dt._np)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    dt = _dtypes.as_dtype(dtype) if dtype is not None else _dtypes.get_default_dtype()
    exps = linspace(start, end, steps, dtype=_dtypes.float64)._value()
    host = np.power(float(base), np.asarray(exps)).astype(dt._np)
    return _fill_out(_from_array(host, dt, as_device(device), requires_grad), out)
