"""jtorch follows the CPU capability torch's kernels dispatch on (ATEN_CPU_CAPABILITY, else the
CPU's features), and the results that depend on it (logit's gradient at signed zeros: the
vectorised loop / scalar tail split) match torch under every capability this CPU allows.

Each capability runs in a subprocess: torch and jtorch both fix it once per process."""
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
    out[name] = {"cap": m.backends.cpu.get_cpu_capability(), "logit": rows}
print(json.dumps(out))
"""


def _available():
    caps = ["default", "avx2"]
    if torch.backends.cpu.get_cpu_capability() == "AVX512":
        caps.append("avx512")
    return caps


def _run(env_value):
    env = dict(os.environ)
    if env_value is None:
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
