"""Op samples: for every op of jtorch's table, records of (a lambda run identically with
``m=torch`` and ``m=jtorch``) x (sample inputs) x (dtypes), like torch's OpInfo and JAX's
lax_numpy tests. ``compat_tests/test_ops.py`` runs each case on both libraries and compares
values, dtypes, shapes, ``requires_grad``/``grad_fn`` names and every input's gradient.

A record::

    R("atan2", lambda m, a, b: m.atan2(a, b), binary(), FLOAT)

- ``fn(m, *inputs)``: the code under test; in-place variants clone first
  (``lambda m, a: a.clone().abs_()``) so that leaves can require grad.
- ``samples(g)``: a list of ``S(kind, *inputs)`` built from ``g`` (a ``G``: deterministic
  values of the case's dtype); an input is a NumPy array (a tensor of
  the case's dtype), ``In(array, dtype=..., nc=True, grad=False)`` (another dtype, a
  non-contiguous view, a tensor that never requires grad), or any other Python value (passed
  as is). The kinds cover the edge cases: empty, 0-dim, broadcasting, negative dims,
  integers and bools, NaN/inf, ties.
- ``dtypes``: the dtypes the record runs in. Every sample runs in float64 (or the first dtype
  when float64 is not listed); the other dtypes run the first two samples (and those marked
  ``every=True``). Gradients are compared in ``grad_dtypes`` (float64 by default: exact
  formulas, no float32 noise).
- ``covers``: the table ops the record exercises (default: the name before the first '.').
- ``xfail``: ``{kind or (dtype, kind) or dtype: reason}`` for known gaps (strict xfails).
- ``raises=True`` on a sample: both libraries must raise the same exception type and message.
"""
from __future__ import annotations

import math
import zlib

import numpy as np

F32, F64, F16, BF16 = "float32", "float64", "float16", "bfloat16"
I64, I32, I16, I8, U8, B = "int64", "int32", "int16", "int8", "uint8", "bool"
C64, C128 = "complex64", "complex128"
FLOAT = (F32, F64)
FLOAT_H = (F32, F64, F16, BF16)
INTS = (I64, I32)
NUM = (F32, F64, I64)
NUM_B = (F32, F64, I64, B)
ALL = (F32, F64, F16, BF16, I64, I32, I16, I8, U8, B)
INT_B = (I64, I32, I16, I8, U8, B)

INF, NAN = math.inf, math.nan


class In:
    """An input spec that is not a plain tensor of the case's dtype."""

    def __init__(self, array, dtype=None, nc=False, grad=True):
        self.array = np.asarray(array)
        self.dtype = dtype
        self.nc = nc
        self.grad = grad


def Idx(a):
    """An int64 index tensor (never requires grad)."""
    return In(np.asarray(a, np.int64), I64, grad=False)


def Mask(a):
    """A bool mask tensor."""
    return In(np.asarray(a, bool), B, grad=False)


class S:
    """One sample: a kind (its id part) and the inputs; ``raises`` for error samples."""

    def __init__(self, kind, *inputs, raises=False, every=False):
        self.kind = kind
        self.inputs = inputs
        self.raises = raises
        self.every = every    # run in every dtype (not only in the record's full dtype)


class R:
    def __init__(self, name, fn, samples, dtypes=FLOAT, grad=True, covers=None, tol=None,
                 xfail=None, grad_dtypes=(F64,), grad_fn=True, seed=None):
        self.name = name
        self.fn = fn
        self.samples = samples
        self.dtypes = tuple(dtypes)
        self.grad = grad
        self.covers = tuple(covers) if covers is not None else (name.split(".")[0],)
        self.tol = tol or {}
        self.xfail = xfail or {}
        self.grad_dtypes = tuple(grad_dtypes)
        self.check_grad_fn = grad_fn
        self.seed = zlib.crc32(name.encode()) if seed is None else seed


# ------------------------------------------------------------------ value generators
class G:
    """Deterministic sample values for one (record, dtype)."""

    def __init__(self, seed, dtype, full=True):
        self.rng = np.random.RandomState(seed % (2 ** 32))
        self.dtype = dtype
        self.full = full   # all edge kinds (the record's first dtype and float64) or the main

    @property
    def is_float(self):
        return self.dtype in (F32, F64, F16, BF16, C64, C128)

    def v(self, *shape, lo=-3.0, hi=3.0):
        """Values of the case's kind: floats in [lo, hi), small ints, or bools."""
        if self.dtype == B:
            return self.rng.rand(*shape) > 0.5
        if self.dtype in (C64, C128):
            return (self.rng.uniform(lo, hi, shape) + 1j * self.rng.uniform(lo, hi, shape))
        if self.is_float:
            return np.round(self.rng.uniform(lo, hi, shape), 3)
        if self.dtype == U8:
            return self.rng.randint(0, 10, shape)
        return self.rng.randint(int(math.floor(lo)) * 2 - 1, int(math.ceil(hi)) * 2 + 2, shape)

    def pos(self, *shape, lo=0.25, hi=3.0):
        """Strictly positive values (ints from 1)."""
        if self.dtype == B:
            return np.ones(shape, bool)
        if self.is_float:
            return np.round(self.rng.uniform(lo, hi, shape), 3)
        return self.rng.randint(1, 6, shape)

    def unit(self, *shape):
        return np.round(self.rng.uniform(0.05, 0.95, shape), 3)

    def perm(self, n):
        return self.rng.permutation(n)

    def special(self):
        """0, -0, +-inf, NaN and ordinary values (floats only)."""
        return np.array([0.0, -0.0, 1.5, -2.25, INF, -INF, NAN, 0.5, -1.0, 3.0])

    def ties(self, *shape):
        """Few distinct values: ties everywhere."""
        if self.dtype == B:
            return self.rng.rand(*shape) > 0.5
        return self.rng.randint(0, 3, shape).astype(np.float64 if self.is_float else np.int64)

    def idx(self, high, *shape):
        return self.rng.randint(0, high, shape).astype(np.int64)


def _fl(g):
    return g.is_float


# ------------------------------------------------------------------ sample sets
def unary(domain="v", special=True, empty=True, zero_dim=True, nc=True):
    """Samples of a pointwise unary op: a matrix, a 0-dim, an empty tensor, a non-contiguous
    view, and (floats) the special values."""
    def build(g):
        f = getattr(g, domain)
        out = [S("mat", f(3, 4))]
        if not g.full:
            return out
        if zero_dim:
            out.append(S("0d", np.asarray(f())))
        if empty:
            out.append(S("empty", f(0, 3)))
        if nc:
            out.append(S("nc", In(f(3, 4), nc=True)))
        if special and _fl(g) and g.dtype not in (C64, C128):
            out.append(S("special", g.special()))
        return out
    return build


def binary(domain="v", domain2=None, special=True, scalar=2.5, int_scalar=3, rscalar=False,
           empty=True, inplace=False):
    """Samples of a pointwise binary op: equal shapes, broadcasting, a 0-dim operand (a
    lower promotion category), Python scalars on either side, empty, special values."""
    def build(g):
        f = getattr(g, domain)
        f2 = getattr(g, domain2 or domain)
        out = [S("same", f(3, 4), f2(3, 4)),
               S("bcast", f(3, 4) if inplace else f(3, 1), f2(1, 4))]
        if not g.full:
            return out
        out += [S("bcast_rank", f(2, 3, 4), f2(4)),
               S("0d", f(3, 4), np.asarray(f2()))]
        if scalar is not None:
            out.append(S("pyscalar", f(3, 4), scalar if _fl(g) else int_scalar))
        if rscalar and scalar is not None:
            out.append(S("rpyscalar", scalar if _fl(g) else int_scalar, f2(3, 4)))
        if empty:
            out.append(S("empty", f(0, 4), f2(4)))
        if special and _fl(g) and g.dtype not in (C64, C128):
            s = g.special()
            out.append(S("special", s, np.roll(s, 3)))
        return out
    return build


def reduce_samples(dims=True, empty=True, special=True, keepdim=True):
    """Input + (dim, keepdim) samples of a reduction."""
    def build(g):
        out = [S("all", g.v(3, 4))]
        if dims:
            out.append(S("dim0", g.v(3, 4), 0))
        if not g.full:
            return out
        out.append(S("0d", np.asarray(g.v())))
        if dims:
            out += [S("dimneg", g.v(2, 3, 4), -1)]
            if keepdim:
                out.append(S("keepdim", g.v(2, 3, 4), 1, True))
        if empty:
            out.append(S("empty_dim", g.v(0, 3), 1))
        if special and _fl(g):
            out.append(S("special", g.special().reshape(2, 5), 1))
        return out
    return build


# ------------------------------------------------------------------ the records
RECORDS = []


def rec(*args, **kwargs):
    r = R(*args, **kwargs)
    RECORDS.append(r)
    return r


def red(name, fn_all, fn_dim, dtypes=FLOAT, **kw):
    """A reduction record: ``fn_all(m, x)`` for dim-less samples, ``fn_dim(m, x, dim[,
    keepdim])`` otherwise."""
    def fn(m, x, *rest):
        return fn_all(m, x) if not rest else fn_dim(m, x, *rest)
    return rec(name, fn, kw.pop("samples", reduce_samples()), dtypes, **kw)
