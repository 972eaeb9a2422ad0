"""Compare torch and jtorch results: structure, dtype, shape, values (OpInfo tolerances)."""
import numpy as np
import torch
from torch.testing._internal.common_device_type import toleranceOverride
from torch.testing._internal.opinfo.core import DecorateInfo

import jtorch

from .convert import to_numpy

# torch.testing.assert_close's defaults: (rtol, atol)
DEFAULT_TOL = {"float32": (1.3e-6, 1e-5), "float64": (1e-7, 1e-7),
               "complex64": (1.3e-6, 1e-5), "complex128": (1e-7, 1e-7)}
GRAD_TOL = {"float32": (1e-5, 1e-5), "float64": (1e-6, 1e-7),
            "complex64": (1e-5, 1e-5), "complex128": (1e-6, 1e-7)}


class Mismatch(Exception):
    """A result differs between torch and jtorch."""


def op_tolerances(info):
    """{dtype name: (rtol, atol)}: the loosest CPU tolerance overrides the OpInfo declares."""
    out = {}
    for d in info.decorators:
        if not isinstance(d, DecorateInfo) or d.device_type not in (None, "cpu"):
            continue
        for dec in d.decorators:
            if isinstance(dec, toleranceOverride):
                for dt, tol in dec.d.items():
                    key = str(dt).rsplit(".", 1)[1]
                    r, a = out.get(key, (0.0, 0.0))
                    out[key] = (max(r, tol.rtol), max(a, tol.atol))
    return out


def tolerance(dtype_name, overrides, grad=False):
    base = (GRAD_TOL if grad else DEFAULT_TOL).get(dtype_name, (0.0, 0.0))
    extra = overrides.get(dtype_name, (0.0, 0.0))
    return max(base[0], extra[0]), max(base[1], extra[1])


def _dtype_name(t):
    return str(t.dtype).rsplit(".", 1)[1]


def compare_tensors(expected, actual, overrides, where, grad=False, values=True):
    if not isinstance(actual, jtorch.Tensor):
        raise Mismatch(f"{where}: expected a tensor, got {type(actual).__name__}")
    if _dtype_name(expected) != _dtype_name(actual):
        raise Mismatch(f"{where}: dtype {actual.dtype}, torch {expected.dtype}")
    if tuple(expected.shape) != tuple(actual.shape):
        raise Mismatch(f"{where}: shape {tuple(actual.shape)}, torch {tuple(expected.shape)}")
    if not values:
        return
    e, a = to_numpy(expected), to_numpy(actual)
    name = _dtype_name(expected)
    if e.dtype.kind in "fc":
        rtol, atol = tolerance(name, overrides, grad)
        ok = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
        if e.dtype.kind == "c":  # infinities: compare parts as assert_close does
            ok |= (np.isclose(a.real, e.real, rtol=rtol, atol=atol, equal_nan=True)
                   & np.isclose(a.imag, e.imag, rtol=rtol, atol=atol, equal_nan=True))
    else:
        ok = a == e
    if not np.all(ok):
        bad = int(np.size(ok) - np.count_nonzero(ok))
        idx = np.argwhere(~np.asarray(ok))[0] if np.ndim(ok) else ()
        ev = e[tuple(idx)] if np.ndim(e) else e
        av = a[tuple(idx)] if np.ndim(a) else a
        raise Mismatch(f"{where}: {bad}/{np.size(ok)} values differ (first at {tuple(idx)}: "
                       f"{av!r} vs torch {ev!r})")


def compare(expected, actual, overrides, where="output", values=True):
    """Raise Mismatch where ``actual`` (jtorch) differs from ``expected`` (torch);
    ``values=False``: tensors' dtypes and shapes only."""
    if isinstance(expected, torch.Tensor):
        compare_tensors(expected, actual, overrides, where, values=values)
    elif isinstance(expected, (list, tuple)):
        if not isinstance(actual, (list, tuple)) or len(actual) != len(expected):
            raise Mismatch(f"{where}: expected a sequence of {len(expected)}, got "
                           f"{type(actual).__name__}")
        for i, (e, a) in enumerate(zip(expected, actual)):
            compare(e, a, overrides, f"{where}[{i}]", values)
    elif isinstance(expected, torch.dtype):
        if str(expected) != str(actual):
            raise Mismatch(f"{where}: {actual} vs torch {expected}")
    elif isinstance(expected, float) and isinstance(actual, (int, float)):
        if not np.isclose(actual, expected, rtol=1e-7, atol=1e-7, equal_nan=True):
            raise Mismatch(f"{where}: {actual!r} vs torch {expected!r}")
    elif expected != actual:
        raise Mismatch(f"{where}: {actual!r} vs torch {expected!r}")


def flat_tensors(obj):
    """The tensors of a result (nested tuples/lists), in order."""
    if isinstance(obj, (torch.Tensor, jtorch.Tensor)):
        return [obj]
    if isinstance(obj, (list, tuple)):
        return [t for v in obj for t in flat_tensors(v)]
    return []
