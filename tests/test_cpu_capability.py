"""jtorch follows the CPU capability torch's kernels dispatch on (ATEN_CPU_CAPABILITY, else the
CPU's features), and the results that depend on it match torch under every capability this CPU
allows: logit's gradient at signed zeros (the vectorised loop / scalar tail split), the normal
and uniform samplers and the range kernels (AVX2 Box-Muller and FMA contractions, or the
DEFAULT build's scalar Box-Muller with glibc's float functions and no FMA).

Each capability runs in a subprocess: torch and jtorch both fix it once per process."""
import functools
import json
import os
import subprocess
import sys

import pytest

torch = pytest.importorskip("torch")

_PROBE = r"""
import json, sys
import torch, jtorch
out = {}
for name, m in (("torch", torch), ("jtorch", jtorch)):
    rows = []
    for dt in (m.float64, m.float32):
        for n in (1, 2, 6, 8, 9, 16, 17, 24, 32, 33, 48):
            x = m.full((n,), -0.0, dtype=dt, requires_grad=True)
            m.logit(x).sum().backward()
            rows.append([v > 0 for v in x.grad.tolist()])
    samples = []
    for seed in (0, 5):
        for draw in (lambda: m.randn(16), lambda: m.randn(100), lambda: m.randn(1003),
                     lambda: m.empty(40).normal_(-0.3, 0.7),
                     lambda: m.empty(37, dtype=m.float16).normal_(0.1, 0.3),
                     lambda: m.randn(33, dtype=m.bfloat16),
                     lambda: m.empty(33).uniform_(-2.5, 7),
                     lambda: m.normal(m.arange(20.), m.ones(20) * 0.5)):
            m.manual_seed(seed)
            samples.append(draw().float().tolist())
    ranges = []
    for a, b, c in ((-3, 3, 0.1), (0.3, 7.9, 0.07), (-5.21, 4.4, 0.013), (1, 2.5, 0.5)):
        for dt in (m.float32, m.float64):
            ranges.append(m.arange(a, b, c, dtype=dt).tolist())
    for a, b, n in ((-5, 5, 100), (3, -7, 13), (2.7, -4.6, 10), (-9.67, 6.27, 182)):
        for dt in (m.float32, m.float64, m.int64):
            ranges.append(m.linspace(a, b, n, dtype=dt).tolist())
    out[name] = {"cap": m.backends.cpu.get_cpu_capability(), "logit": rows,
                 "samples": samples, "ranges": ranges}
print(json.dumps(out))
"""


# `make test-other-cpu` stands for a CPU without AVX2: XLA held to an older ISA by
# XLA_FLAGS, torch to its DEFAULT kernels by ATEN_CPU_CAPABILITY (which these tests would
# otherwise reset): there, as on such a CPU, only DEFAULT exists
_SIMULATED = "--xla_cpu_max_isa=" in os.environ.get("XLA_FLAGS", "")


def _available():
    """The capabilities this CPU can run (torch does not check: ATEN_CPU_CAPABILITY=avx2 on a
    CPU without AVX2 would run AVX2 code there)."""
    from jtorch import _cpu_capability
    cpu = "DEFAULT" if _SIMULATED else _cpu_capability._detect()
    return ["default"] + ["avx2"] * (cpu in ("AVX2", "AVX512")) + ["avx512"] * (cpu == "AVX512")


@functools.lru_cache(maxsize=None)
def _run(env_value):
    env = dict(os.environ)
    if env_value is None and _SIMULATED:
        env["ATEN_CPU_CAPABILITY"] = "default"      # (the simulated CPU's own choice)
    elif env_value is None:
        env.pop("ATEN_CPU_CAPABILITY", None)
    else:
        env["ATEN_CPU_CAPABILITY"] = env_value
    res = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("cap", [None] + _available())
def test_capability_and_logit_edges_follow_torch(cap):
    out = _run(cap)
    assert out["jtorch"]["cap"] == out["torch"]["cap"]
    assert out["jtorch"]["logit"] == out["torch"]["logit"]


@pytest.mark.parametrize("cap", [None] + _available())
def test_samplers_and_ranges_follow_torch(cap):
    out = _run(cap)
    assert out["jtorch"]["samples"] == out["torch"]["samples"]
    assert out["jtorch"]["ranges"] == out["torch"]["ranges"]


def test_fma_contraction_follows_the_capability(monkeypatch):
    from jtorch import _cpu_capability
    for env, cap, fma in (("default", "DEFAULT", False), ("avx2", "AVX2", True),
                          ("avx512", "AVX512", True)):
        monkeypatch.setenv("ATEN_CPU_CAPABILITY", env)
        _cpu_capability.capability.cache_clear()
        try:
            assert _cpu_capability.capability() == cap
            assert _cpu_capability.contracts_fma() is fma
        finally:
            monkeypatch.undo()
            _cpu_capability.capability.cache_clear()


def test_glibc_float_functions_element_by_element():
    """The DEFAULT sampler's logf/cosf/sinf are the C library's, not a float64 detour
    (which differs from glibc's logf on ~0.5% of inputs)."""
    import ctypes
    import numpy as np
    from jtorch import _scalar_kernels
    x = np.linspace(1e-3, 1, 2001, dtype=np.float32)
    got = _scalar_kernels.libm_float("log", x)
    logf = ctypes.CDLL("libm.so.6").logf
    logf.restype, logf.argtypes = ctypes.c_float, [ctypes.c_float]
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, np.array([logf(float(v)) for v in x], np.float32))
