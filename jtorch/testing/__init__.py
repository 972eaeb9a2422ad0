"""torch.testing.assert_close (and make_tensor): torch's checks, default tolerances and
failure messages, computed with jtorch ops as torch computes them."""
from __future__ import annotations

import collections.abc
import math
import numbers

import jtorch

__all__ = ["assert_close", "make_tensor"]

_TOLERANCES = {  # dtype -> (rtol, atol)
    "float16": (1e-3, 1e-5), "bfloat16": (1.6e-2, 1e-5), "float32": (1.3e-6, 1e-5),
    "float64": (1e-7, 1e-7), "complex32": (1e-3, 1e-5), "complex64": (1.3e-6, 1e-5),
    "complex128": (1e-7, 1e-7),
}


def _default_tolerances(*dtypes):
    rtols, atols = zip(*(_TOLERANCES.get(str(d).replace("torch.", ""), (0.0, 0.0))
                         for d in dtypes))
    return max(rtols), max(atols)


def _tolerances(rtol, atol, *dtypes):
    if (rtol is None) ^ (atol is None):
        raise ValueError(f"Both 'rtol' and 'atol' must be either specified or omitted, but got "
                         f"no {'rtol' if rtol is None else 'atol'}.")
    if rtol is not None:
        return rtol, atol
    return _default_tolerances(*dtypes)


def _mismatch_msg(identifier, extra, abs_diff, abs_idx, atol, rel_diff, rel_idx, rtol):
    equality = rtol == 0 and atol == 0

    def diff_msg(kind, diff, idx, tol):
        msg = f"{kind.title()} difference: {diff}" if idx is None else \
            f"Greatest {kind} difference: {diff} at index {idx}"
        return msg + (f" (up to {tol} allowed)" if tol > 0 else "")
    msg = f"{identifier} are not {'equal' if equality else 'close'}!\n\n"
    if extra:
        msg += f"{extra.strip()}\n"
    msg += diff_msg("absolute", abs_diff, abs_idx, atol) + "\n"
    msg += diff_msg("relative", rel_diff, rel_idx, rtol)
    return msg.strip()


def _unravel(flat, shape):
    idx = []
    for size in reversed(shape):
        idx.append(flat % size)
        flat //= size
    return tuple(reversed(idx))


def _attr_error(name, a, b):
    raise AssertionError(f"The values for attribute '{name}' do not match: {a} != {b}.")


def _compare_tensors(actual, expected, rtol, atol, equal_nan, check_device, check_dtype,
                     check_stride):
    if actual.shape != expected.shape:
        _attr_error("shape", actual.shape, expected.shape)
    if check_device and actual.device != expected.device:
        _attr_error("device", actual.device, expected.device)
    if check_dtype and actual.dtype != expected.dtype:
        _attr_error("dtype", actual.dtype, expected.dtype)
    if check_stride and actual.stride() != expected.stride():
        _attr_error("stride()", actual.stride(), expected.stride())
    rtol, atol = _tolerances(rtol, atol, actual.dtype, expected.dtype)
    if actual.dtype != expected.dtype:
        dtype = jtorch.promote_types(actual.dtype, expected.dtype)
        actual, expected = actual.to(dtype), expected.to(dtype)
    matches = jtorch.isclose(actual, expected, rtol=rtol, atol=atol, equal_nan=equal_nan)
    if bool(matches.all()):
        return None
    if actual.dim() == 0:
        return _scalar_msg(actual.item(), expected.item(), rtol, atol)
    total = int(matches.numel())
    bad = total - int(matches.sum())
    extra = f"Mismatched elements: {bad} / {total} ({bad / total:.1%})"
    a, b, ok = actual.flatten(), expected.flatten(), matches.flatten()
    if not a.dtype.is_floating_point and not a.dtype.is_complex:
        a, b = a.to(jtorch.int64), b.to(jtorch.int64)
    abs_diff = jtorch.abs(a - b)
    abs_diff[ok] = 0
    max_abs, abs_i = jtorch.max(abs_diff, 0)
    rel_diff = abs_diff / jtorch.abs(b)
    rel_diff[ok] = 0
    max_rel, rel_i = jtorch.max(rel_diff, 0)
    return _mismatch_msg("Tensor-likes", extra, max_abs.item(),
                         _unravel(int(abs_i), matches.shape), atol, max_rel.item(),
                         _unravel(int(rel_i), matches.shape), rtol)


def _compare_scalars(actual, expected, rtol, atol, equal_nan):
    rtol, atol = _tolerances(rtol, atol, "float64") if not (
        isinstance(actual, (bool, int)) and isinstance(expected, (bool, int))) else \
        _tolerances(rtol, atol, "int64")
    if actual == expected or (equal_nan and actual != actual and expected != expected):
        return None
    if (math.isfinite(actual) and math.isfinite(expected) and
            abs(actual - expected) <= atol + rtol * abs(expected)):
        return None
    return _scalar_msg(actual, expected, rtol, atol)


def _scalar_msg(actual, expected, rtol, atol):
    abs_diff = abs(actual - expected)
    rel_diff = float("inf") if expected == 0 else abs_diff / abs(expected)
    return _mismatch_msg("Scalars", f"Expected {expected} but got {actual}.", abs_diff, None,
                         atol, rel_diff, None, rtol)


def _pairs(actual, expected, path=()):
    """Flatten matching sequences and mappings into (path, actual, expected) leaves."""
    if isinstance(actual, collections.abc.Sequence) and not isinstance(actual, str) and \
            isinstance(expected, collections.abc.Sequence) and not isinstance(expected, str):
        if len(actual) != len(expected):
            raise AssertionError(f"The length of the sequences mismatch: {len(actual)} != "
                                 f"{len(expected)}")
        for i, (a, e) in enumerate(zip(actual, expected)):
            yield from _pairs(a, e, path + (i,))
    elif isinstance(actual, collections.abc.Mapping) and \
            isinstance(expected, collections.abc.Mapping):
        if set(actual) != set(expected):
            raise AssertionError(f"The keys of the mappings do not match:\n"
                                 f"Missing keys in the actual mapping: "
                                 f"{sorted(set(expected) - set(actual))}\n"
                                 f"Additional keys in the actual mapping: "
                                 f"{sorted(set(actual) - set(expected))}")
        for k in expected:
            yield from _pairs(actual[k], expected[k], path + (k,))
    else:
        yield path, actual, expected


def assert_close(actual, expected, *, allow_subclasses=True, rtol=None, atol=None,
                 equal_nan=False, check_device=True, check_dtype=True, check_layout=True,
                 check_stride=False, msg=None):
    for path, a, e in _pairs(actual, expected):
        if isinstance(a, jtorch.Tensor) and isinstance(e, jtorch.Tensor):
            failure = _compare_tensors(a, e, rtol, atol, equal_nan, check_device, check_dtype,
                                       check_stride)
        elif isinstance(a, bool) and isinstance(e, bool):
            failure = None if a is e else f"Booleans mismatch: {a} is not {e}"
        elif isinstance(a, numbers.Number) and isinstance(e, numbers.Number):
            failure = _compare_scalars(a, e, rtol, atol, equal_nan)
        else:
            raise TypeError(f"No comparison pair was able to handle inputs of type "
                            f"{type(a)} and {type(e)}.")
        if failure is not None:
            if msg is not None:
                failure = msg(failure) if callable(msg) else msg
            elif path:
                failure += "\n\nThe failure occurred for item " + "".join(
                    f"[{p!r}]" for p in path)
            raise AssertionError(failure)


def make_tensor(*shape, dtype, device, low=None, high=None, requires_grad=False,
                noncontiguous=False, exclude_zero=False, memory_format=None):
    """Random values in [low, high) (defaults as torch's: -9..9 for floats, -9..10 for
    integers), drawn with the global generator."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    if dtype == jtorch.bool:
        out = jtorch.randint(0, 2, shape).to(jtorch.bool)
    elif dtype.is_floating_point or dtype.is_complex:
        lo, hi = (-9 if low is None else low), (9 if high is None else high)
        out = jtorch.empty(shape, dtype=dtype).uniform_(lo, hi)
    else:
        lo, hi = (-9 if low is None else low), (10 if high is None else high)
        out = jtorch.randint(int(lo), int(hi), shape, dtype=dtype)
    if exclude_zero:
        out = jtorch.where(out == 0, jtorch.ones_like(out), out)
    out = out.to(device)
    return out.requires_grad_(requires_grad) if requires_grad else out
