"""The CPU capability torch's kernels dispatch on, determined without torch.

torch compiles its vectorised CPU kernels once per instruction set and picks one per process
(ATen's DispatchStub): ``ATEN_CPU_CAPABILITY`` (``default``, ``avx2``, ``avx512``) when set,
else AVX512 when the CPU has AVX-512 F/VL/BW/DQ and FMA, else AVX2 when it has AVX2 and FMA,
else DEFAULT. A few of torch's results depend on that choice at the edges: a vectorised loop
runs two vectors per step and leaves a scalar tail, and the two parts may round or treat
signed zeros differently. jtorch reproduces such splits with the width chosen here, so it
matches the torch that would run on the same machine with the same environment.

The CPU's features come from NumPy's own runtime detection (``__cpu_features__``: cpuid plus
the OS's support for the wider registers), which is what torch's cpuinfo checks too.
"""
from __future__ import annotations

import functools
import os
import platform
import warnings

_NAMES = {"default": "DEFAULT", "avx2": "AVX2", "avx512": "AVX512"}


def _numpy_features():
    try:
        from numpy._core._multiarray_umath import __cpu_features__
    except ImportError:  # NumPy 1.x
        from numpy.core._multiarray_umath import __cpu_features__
    return __cpu_features__


def _detect() -> str:
    if platform.machine().lower() not in ("x86_64", "amd64", "i686", "x86"):
        return "DEFAULT"
    f = _numpy_features()
    if all(f.get(k) for k in ("AVX512F", "AVX512VL", "AVX512BW", "AVX512DQ", "FMA3")):
        return "AVX512"
    if f.get("AVX2") and f.get("FMA3"):
        return "AVX2"
    return "DEFAULT"


@functools.lru_cache(maxsize=None)
def capability() -> str:
    """``"AVX512"``, ``"AVX2"`` or ``"DEFAULT"``: torch's choice, fixed for the process as
    torch fixes it (the first call reads the environment)."""
    env = os.environ.get("ATEN_CPU_CAPABILITY")
    if env is not None:
        if env in _NAMES:
            return _NAMES[env]
        warnings.warn(f"ignoring invalid value for ATEN_CPU_CAPABILITY: {env}")
    return _detect()


def vector_bytes() -> int:
    """Width of one ``at::vec::Vectorized`` register: 64 bytes under AVX512, else 32 (the
    DEFAULT build's generic vectors are 32 bytes too)."""
    return 64 if capability() == "AVX512" else 32


def vector_loop_step(itemsize: int) -> int:
    """Elements per step of torch's vectorised element-wise loop (two vectors at a time);
    the last ``n % step`` elements of a contiguous run go through the scalar code."""
    return 2 * vector_bytes() // itemsize


def contracts_fma() -> bool:
    """Whether torch's kernels for the capability fuse a multiply and an add into one FMA
    (one rounding). The AVX2/AVX512 builds are compiled with FMA and the compiler contracts
    ``a * b + c``; the DEFAULT build targets baseline x86-64, which has no FMA instruction,
    so each operation rounds on its own (as on non-x86 machines, which jtorch treats as
    DEFAULT too)."""
    return capability() != "DEFAULT"

