"""Tensor printing identical to torch 2.13's, character for character.

Works on host NumPy values plus a jtorch dtype, so it needs no Tensor class. The rules are
torch's: one formatter per tensor decides integer mode (every finite non-zero float is
integral), scientific mode (max/min ratio > 1000, max > 1e8, or min < 1e-4 outside integer
mode) and the column width; summarisation above ``threshold`` elements keeps ``edgeitems``
per dimension; lines wrap at ``linewidth``; suffixes (device, size, dtype, grad_fn /
requires_grad) follow the closing bracket and wrap likewise.
"""
from __future__ import annotations

import contextlib
import dataclasses
import math

import numpy as np

from . import _dtypes


@dataclasses.dataclass
class _PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = _PrintOptions()

_PROFILES = {
    "default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
    "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80),
}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    """torch.set_printoptions. As in torch, ``sci_mode`` is always assigned (None = auto)."""
    if profile is not None:
        if profile not in _PROFILES:
            raise ValueError(f"Invalid profile: {profile}")
        for k, v in _PROFILES[profile].items():
            setattr(PRINT_OPTS, k, v)
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict:
    return dataclasses.asdict(PRINT_OPTS)


@contextlib.contextmanager
def printoptions(**kwargs):
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


# ------------------------------------------------------------------ the formatter
class _Formatter:
    """Decides the number format and the common width for every element of one tensor."""

    def __init__(self, values: np.ndarray, floating: bool):
        self.floating = floating
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        flat = values.reshape(-1)
        p = PRINT_OPTS.precision
        if not floating:
            for v in flat.tolist():
                self.max_width = max(self.max_width, len(str(v)))
        elif flat.size:
            finite = flat[np.isfinite(flat) & (flat != 0)]
            if not finite.size:
                return
            absval = np.abs(finite.astype(np.float64))
            lo, hi = absval.min(), absval.max()
            vals = finite.tolist()
            self.int_mode = all(v == math.ceil(v) for v in vals)
            # the print option, when set, decides before the widths are measured
            self.sci_mode = (hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4) \
                if PRINT_OPTS.sci_mode is None else PRINT_OPTS.sci_mode
            if self.sci_mode:
                strs = [f"{v:.{p}e}" for v in vals]
            elif self.int_mode:
                strs = [f"{v:.0f}." for v in vals]  # room for the trailing "."
            else:
                strs = [f"{v:.{p}f}" for v in vals]
            self.max_width = max(len(s) for s in strs)

    def width(self):
        return self.max_width

    def format(self, value):
        p = PRINT_OPTS.precision
        if self.floating:
            if self.sci_mode:
                s = f"{value:{self.max_width}.{p}e}"
            elif self.int_mode:
                s = f"{value:.0f}"
                if not (math.isinf(value) or math.isnan(value)):
                    s += "."
            else:
                s = f"{value:.{p}f}"
        else:
            s = str(value)
        return (self.max_width - len(s)) * " " + s


def _complex_str(val, f1, f2):
    real = f1.format(val.real)
    imag = (f2.format(val.imag) + "j").lstrip()
    return real + imag if imag[0] in "+-" else real + "+" + imag


def _fmt(val, f1, f2):
    return _complex_str(val, f1, f2) if f2 is not None else f1.format(val)


# ------------------------------------------------------------------ layout
def _summarized(values):
    """The elements that will be shown: edgeitems from each end of every long dimension."""
    e = PRINT_OPTS.edgeitems
    if values.ndim == 0:
        return values
    if values.ndim == 1:
        return np.concatenate([values[:e], values[-e:]]) if values.shape[0] > 2 * e else values
    if not e:
        return np.empty((0,) * values.ndim, values.dtype)
    rows = range(values.shape[0])
    if values.shape[0] > 2 * e:
        rows = list(range(e)) + list(range(values.shape[0] - e, values.shape[0]))
    return np.stack([_summarized(values[i]) for i in rows])


def _vector_str(values, indent, summarize, f1, f2):
    element_length = f1.width() + 2
    if f2 is not None:
        element_length += f2.width() + 1
    per_line = max(1, int(math.floor((PRINT_OPTS.linewidth - indent) / element_length)))
    e = PRINT_OPTS.edgeitems
    if summarize and not e:
        data = ["..."]
    elif summarize and values.shape[0] > 2 * e:
        data = ([_fmt(v, f1, f2) for v in values[:e].tolist()] + [" ..."] +
                [_fmt(v, f1, f2) for v in values[-e:].tolist()])
    else:
        data = [_fmt(v, f1, f2) for v in values.tolist()]
    lines = [", ".join(data[i:i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"


def _tensor_str_with(values, indent, summarize, f1, f2):
    nd = values.ndim
    if nd == 0:
        return _fmt(values.item(), f1, f2)
    if nd == 1:
        return _vector_str(values, indent, summarize, f1, f2)
    e = PRINT_OPTS.edgeitems
    n = values.shape[0]
    if summarize and n > 2 * e:
        slices = ([_tensor_str_with(values[i], indent + 1, summarize, f1, f2)
                   for i in range(e)] + ["..."] +
                  [_tensor_str_with(values[i], indent + 1, summarize, f1, f2)
                   for i in range(n - e, n)])
    else:
        slices = [_tensor_str_with(values[i], indent + 1, summarize, f1, f2) for i in range(n)]
    return "[" + ("," + "\n" * (nd - 1) + " " * (indent + 1)).join(slices) + "]"


def _tensor_str(values, dtype, indent):
    if values.size == 0:
        return "[]"
    summarize = values.size > PRINT_OPTS.threshold
    if dtype in (_dtypes.float16, _dtypes.bfloat16):
        values = values.astype(np.float32)
    shown = _summarized(values) if summarize else values
    if dtype.is_complex:
        f1 = _Formatter(shown.real, True)
        f2 = _Formatter(shown.imag, True)
        return _tensor_str_with(values, indent, summarize, f1, f2)
    f1 = _Formatter(shown, dtype.is_floating_point)
    return _tensor_str_with(values, indent, summarize, f1, None)


def _add_suffixes(text, suffixes, indent):
    parts = [text]
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def format_tensor(values: np.ndarray, dtype, *, device: str | None = None,
                  requires_grad: bool = False, grad_fn: str | None = None, extra=(),
                  prefix: str = "tensor(") -> str:
    """What ``repr(t)`` gives for a torch tensor with these values and attributes."""
    indent = len(prefix)
    suffixes = []
    if device is not None:
        suffixes.append(f"device='{device}'")
    default = _dtypes.get_default_dtype()
    has_default_dtype = dtype in (default, _dtypes.default_complex_dtype(), _dtypes.int64,
                                  _dtypes.bool)
    if values.size == 0:
        if values.ndim != 1:
            suffixes.append("size=" + str(tuple(values.shape)))
        if dtype is not default:
            suffixes.append("dtype=" + repr(dtype))
        text = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append("size=" + str(tuple(values.shape)))
        if not has_default_dtype:
            suffixes.append("dtype=" + repr(dtype))
        text = _tensor_str(values, dtype, indent)
    if grad_fn is not None:
        suffixes.append(f"grad_fn=<{grad_fn.rsplit('::', 1)[-1]}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")
    suffixes.extend(extra)
    return _add_suffixes(prefix + text, suffixes, indent)


def parameter_repr(tensor_repr: str) -> str:
    """nn.Parameter's repr: a header line, then the tensor's own repr."""
    return "Parameter containing:\n" + tensor_repr
