"""torch's dtypes and torch's type-promotion rules, in one place.

jtorch never uses JAX's promotion (which is value/weak-type based): every op computes its
result dtype here, with torch's category rules, and casts explicitly before calling jax.
"""
from __future__ import annotations

import builtins

import ml_dtypes
import numpy as np

# Categories, ordered: an operand of a higher category decides the category of the result.
_BOOL, _INT, _FLOAT, _COMPLEX = 0, 1, 2, 3


class dtype:
    """A torch dtype: prints as ``torch.float32`` and maps to one NumPy/JAX dtype."""

    __slots__ = ("_name", "_np", "_category", "_signed", "_legacy")

    def __init__(self, name, np_dtype, category, signed, legacy):
        self._name = name
        self._np = np.dtype(np_dtype)
        self._category = category
        self._signed = signed
        self._legacy = legacy  # torch.FloatTensor-style type name stem, e.g. "Float"

    def __repr__(self):
        return "torch." + self._name

    __str__ = __repr__

    def __reduce__(self):
        return (_lookup_by_name, (self._name,))

    @property
    def is_floating_point(self):
        return self._category == _FLOAT

    @property
    def is_complex(self):
        return self._category == _COMPLEX

    @property
    def is_signed(self):
        return self._signed

    @property
    def itemsize(self):
        return self._np.itemsize

    def to_real(self):
        return {complex64: float32, complex128: float64}.get(self, self)

    def to_complex(self):
        return {float32: complex64, float64: complex128, float16: complex64,
                bfloat16: complex64}.get(self, self)


bool = dtype("bool", np.bool_, _BOOL, False, "Bool")
uint8 = dtype("uint8", np.uint8, _INT, False, "Byte")
uint16 = dtype("uint16", np.uint16, _INT, False, None)
uint32 = dtype("uint32", np.uint32, _INT, False, None)
uint64 = dtype("uint64", np.uint64, _INT, False, None)
int8 = dtype("int8", np.int8, _INT, True, "Char")
int16 = dtype("int16", np.int16, _INT, True, "Short")
int32 = dtype("int32", np.int32, _INT, True, "Int")
int64 = dtype("int64", np.int64, _INT, True, "Long")
float16 = dtype("float16", np.float16, _FLOAT, True, "Half")
bfloat16 = dtype("bfloat16", ml_dtypes.bfloat16, _FLOAT, True, "BFloat16")
float32 = dtype("float32", np.float32, _FLOAT, True, "Float")
float64 = dtype("float64", np.float64, _FLOAT, True, "Double")
complex64 = dtype("complex64", np.complex64, _COMPLEX, True, "ComplexFloat")
complex128 = dtype("complex128", np.complex128, _COMPLEX, True, "ComplexDouble")

ALL_DTYPES = (bool, uint8, uint16, uint32, uint64, int8, int16, int32, int64,
              float16, bfloat16, float32, float64, complex64, complex128)

# torch's float8 formats: named dtypes that library code references at import (quantized KV
# caches, fp8 checks); kept out of ALL_DTYPES because no jtorch op computes in them yet.
float8_e4m3fn = dtype("float8_e4m3fn", ml_dtypes.float8_e4m3fn, _FLOAT, True, None)
float8_e5m2 = dtype("float8_e5m2", ml_dtypes.float8_e5m2, _FLOAT, True, None)
float8_e4m3fnuz = dtype("float8_e4m3fnuz", ml_dtypes.float8_e4m3fnuz, _FLOAT, True, None)
float8_e5m2fnuz = dtype("float8_e5m2fnuz", ml_dtypes.float8_e5m2fnuz, _FLOAT, True, None)
float8_e8m0fnu = dtype("float8_e8m0fnu", ml_dtypes.float8_e8m0fnu, _FLOAT, False, None)
FLOAT8_DTYPES = (float8_e4m3fn, float8_e5m2, float8_e4m3fnuz, float8_e5m2fnuz, float8_e8m0fnu)

# torch's aliases are the same objects (torch.float is torch.float32).
ALIASES = {
    "half": float16, "float": float32, "double": float64, "short": int16, "int": int32,
    "long": int64, "cfloat": complex64, "cdouble": complex128,
}

_BY_NAME = {d._name: d for d in ALL_DTYPES + FLOAT8_DTYPES}
_BY_NAME.update(ALIASES)
_BY_NP = {d._np: d for d in ALL_DTYPES}


def _lookup_by_name(name):
    return _BY_NAME[name]


def from_numpy_dtype(np_dtype) -> dtype:
    """The torch dtype of a NumPy/JAX dtype; TypeError for ones torch has no equivalent of."""
    try:
        return _BY_NP[np.dtype(np_dtype)]
    except (KeyError, TypeError):
        raise TypeError(
            f"can't convert np.ndarray of type {np.dtype(np_dtype)}. The only supported types are: "
            "float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint64, "
            "uint32, uint16, uint8, and bool.") from None


def to_numpy_dtype(d: dtype):
    return d._np


def as_dtype(d) -> dtype:
    """Accept a jtorch dtype, a Python type (float/int/bool/complex) or a numpy dtype."""
    if isinstance(d, dtype):
        return d
    if d is builtins.float:
        return float64
    if d is builtins.int:
        return int64
    if d is builtins.bool:
        return bool
    if d is builtins.complex:
        return complex128
    if isinstance(d, str):
        raise TypeError(f"dtype must be a torch.dtype, not a str ('{d}')")
    try:
        return from_numpy_dtype(d)
    except TypeError:
        raise TypeError(f"dtype must be a torch.dtype (got {type(d).__name__})") from None


# ---------------------------------------------------------------- default dtype
_default_float = float32


def get_default_dtype() -> dtype:
    return _default_float


def set_default_dtype(d) -> None:
    global _default_float
    d = as_dtype(d)
    if d not in (float16, bfloat16, float32, float64):
        raise TypeError("only floating-point types are supported as the default type")
    _default_float = d


def default_complex_dtype() -> dtype:
    return complex128 if _default_float is float64 else complex64


# ---------------------------------------------------------------- promotion
def _promote_pair(a: dtype, b: dtype) -> dtype:
    if a is b:
        return a
    ca, cb = a._category, b._category
    if ca == _BOOL:
        return b
    if cb == _BOOL:
        return a
    if ca == _INT and cb == _INT:
        if a._signed == b._signed:
            return a if a.itemsize >= b.itemsize else b
        u, s = (a, b) if not a._signed else (b, a)
        if u is not uint8:
            raise RuntimeError(f"Promotion for uint16, uint32, uint64 types is not supported, "
                            f"attempted to promote {_legacy_name(a)} and {_legacy_name(b)}")
        return s if s.itemsize > 1 else int16
    if ca == _INT:
        return b
    if cb == _INT:
        return a
    if ca == _FLOAT and cb == _FLOAT:
        if {a, b} == {float16, bfloat16}:
            return float32
        return a if a.itemsize >= b.itemsize else b
    # at least one complex
    ra = a.to_real() if ca == _COMPLEX else a
    rb = b.to_real() if cb == _COMPLEX else b
    r = _promote_pair(ra, rb)
    return complex128 if r is float64 else complex64


def _legacy_name(d: dtype) -> str:
    return {"uint16": "UInt16", "uint32": "UInt32", "uint64": "UInt64"}.get(d._name, d._legacy)


def promote_types(type1, type2) -> dtype:
    return _promote_pair(as_dtype(type1), as_dtype(type2))


def _combine_categories(higher, lower):
    # Mirrors the order of torch's result_type: a lower-priority operand can only lift the
    # category (int -> float -> complex), never the width within a category.
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.is_complex:
        return higher
    if lower.is_complex:
        return higher.to_complex() if higher.is_floating_point else lower
    if higher.is_floating_point:
        return higher
    if higher is bool or lower.is_floating_point:
        return _promote_pair(higher, lower)
    return higher


def scalar_dtype(x) -> dtype:
    """dtype torch gives a Python scalar taking part in an op (a "wrapped number")."""
    if isinstance(x, builtins.bool):
        return bool
    if isinstance(x, builtins.int):
        return int64
    if isinstance(x, builtins.float):
        return _default_float
    if isinstance(x, builtins.complex):
        return default_complex_dtype()
    raise TypeError(f"unsupported scalar type {type(x).__name__}")


def result_type_of(operands) -> dtype:
    """torch.result_type over a sequence of (dtype, kind) with kind in {'dim','zero','wrapped'}."""
    state = {"dim": None, "zero": None, "wrapped": None}
    for d, kind in operands:
        cur = state[kind]
        state[kind] = d if cur is None else _promote_pair(cur, d)
    return _combine_categories(state["dim"], _combine_categories(state["zero"], state["wrapped"]))


def can_cast(from_, to) -> builtins.bool:
    """torch.can_cast: casting may not lower the category (complex->float, float->int, ->bool)."""
    f, t = as_dtype(from_), as_dtype(to)
    if f._category == _COMPLEX and t._category != _COMPLEX:
        return False
    if f._category == _FLOAT and t._category in (_INT, _BOOL):
        return False
    if f._category != _BOOL and t._category == _BOOL:
        return False
    return True


def is_integral(d: dtype, include_bool=False) -> builtins.bool:
    return d._category == _INT or (include_bool and d._category == _BOOL)


def cpp_type_name(d: dtype) -> str:
    """The C++ type name some of torch's messages print (``long int``, ``bool``, ``float``)."""
    return {"float32": "float", "float64": "double", "float16": "c10::Half",
            "bfloat16": "c10::BFloat16", "complex64": "c10::complex<float>",
            "complex128": "c10::complex<double>", "int64": "long int", "int32": "int",
            "int16": "short int", "int8": "signed char", "uint8": "unsigned char"
            }.get(d._name, d._name)


def torch_type_name(d: dtype) -> str:
    """The C++ scalar type name used in torch's messages: Float, Long, Bool, ..."""
    return _legacy_name(d) if d._legacy or d in (uint16, uint32, uint64) else d._name


_LEGACY_CLASSES = ("Byte", "Char", "Short", "Int", "Long", "Half", "Float", "Double")


def type_label(d: dtype) -> str:
    """A CPU tensor's type as torch's C++ messages print it: the legacy class name
    (torch.FloatTensor) where one exists, else CPU<Scalar>Type (CPUBoolType)."""
    n = torch_type_name(d)
    n = n[:1].upper() + n[1:]
    return f"torch.{n}Tensor" if n in _LEGACY_CLASSES else f"CPU{n}Type"


# ---------------------------------------------------------------- finfo / iinfo
class finfo:
    def __init__(self, type=None):
        d = as_dtype(type) if type is not None else _default_float
        if d._category not in (_FLOAT, _COMPLEX):
            raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo "
                            "to handle 'torch.finfo'")
        d = d.to_real()
        info = ml_dtypes.finfo(d._np) if d is bfloat16 or d in FLOAT8_DTYPES else np.finfo(d._np)
        self.bits = info.bits
        # torch's e5m2fnuz epsilon is 2^-3 (ml_dtypes says 2^-2)
        self.eps = 0.125 if d is float8_e5m2fnuz else builtins.float(info.eps)
        self.max = builtins.float(info.max)
        self.min = builtins.float(info.min)
        self.tiny = builtins.float(info.tiny)
        self.smallest_normal = self.tiny
        # torch: exactly 10^-digits, in double; float8 formats have 0 decimal digits
        self.resolution = 1.0 if d in FLOAT8_DTYPES else 10.0 ** -info.precision
        self.dtype = d._name

    def __repr__(self):
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, "
                f"dtype={self.dtype})")


class iinfo:
    def __init__(self, type):
        d = as_dtype(type)
        if d._category not in (_INT, _BOOL):
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to "
                            "handle 'torch.iinfo'")
        info = np.iinfo(np.uint8 if d is bool else d._np)
        self.bits = info.bits
        self.max = builtins.int(info.max) if d is not bool else 1
        self.min = builtins.int(info.min)
        self.dtype = d._name

    def __repr__(self):
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"


# torch's alias names as module attributes (torch.float is torch.float32, ...)
half, float, double, short, int, long, cfloat, cdouble = (
    ALIASES[n] for n in ("half", "float", "double", "short", "int", "long", "cfloat", "cdouble"))


def torch_cast(x, np_dtype):
    """``x.astype(np_dtype)`` with torch's x86 CPU semantics for float -> signed (and uint8)
    integer casts: truncation to int32 (int64 for int64) as the cvtt* instructions do, NaN
    and out-of-range values giving that type's minimum, then wrapping modulo 2^bits for the
    narrower types (-1.38 -> 255 for uint8, 300.7 -> 44 for int8, 1e30 -> 0, and -2^63 for
    int64). XLA saturates instead, as torch's ARM builds do (a CONTRIBUTING departure)."""
    np_dtype = np.dtype(np_dtype)
    if np_dtype.kind in "iu" and np.issubdtype(x.dtype, np.inexact) and \
            (np_dtype.kind == "i" or np_dtype.itemsize == 1):
        if np.issubdtype(x.dtype, np.complexfloating):
            x = x.real
        wide = np.dtype(np.int64 if np_dtype.itemsize == 8 else np.int32)
        bound = 2.0 ** (8 * wide.itemsize - 1)
        ok = ((x >= -bound) & (x < bound)).astype(wide)     # (False at NaN)
        low = builtins.int(np.iinfo(wide).min)
        with np.errstate(invalid="ignore"):     # (NumPy warns on the masked-out values)
            return (x.astype(wide) * ok + low * (1 - ok)).astype(np_dtype)
    return x.astype(np_dtype)
