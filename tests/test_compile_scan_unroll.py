"""The scan's loop (issue 19, speed: ``compiler/_scan.py`` keeps ``lax.scan(unroll=1)``):
an SGD epoch scanned as one program is bit-for-bit the same epoch run by the compiled step
batch by batch (its losses, parameters, ``.grad`` and momentum buffers, versions). An
unrolled body (``unroll=2``, faster on a tiny step) moves some of these by an ulp on some
CPUs, which is why it is not used; it is checked here by the rule that holds everywhere."""
import numpy as np

from jtorch.compiler import _scan
from tests.test_compile_scan import _scanned, _step_by_step


def _differ(a, b):
    """The names whose values differ in any bit (losses under "losses")."""
    out = [] if np.asarray(a[0]).tobytes() == np.asarray(b[0]).tobytes() else ["losses"]
    assert a[1].keys() == b[1].keys() and a[2] == b[2]      # (the same state, versions)
    return out + [k for k in a[1] if np.asarray(a[1][k]).tobytes() != np.asarray(b[1][k]).tobytes()]


def test_an_sgd_epoch_scanned_is_bit_for_bit_its_step_by_step_run():
    assert _scan._UNROLL == 1
    assert _differ(_scanned("sgd"), _step_by_step("sgd")) == []


def test_an_unrolled_sgd_epoch_is_its_step_by_step_run_to_rounding(monkeypatch):
    """With ``unroll=2`` XLA CPU compiles the body's two copies together: on some CPUs (AVX2)
    some SGD results move by an ulp, on others (AVX only) none do. The rule on every CPU:
    the same state and versions, values equal to float32 rounding."""
    monkeypatch.setattr(_scan, "_UNROLL", 2)
    a, b = _scanned("sgd"), _step_by_step("sgd")
    assert a[1].keys() == b[1].keys() and a[2] == b[2]
    for x, y in [(a[0], b[0])] + [(a[1][k], b[1][k]) for k in a[1]]:
        x, y = np.asarray(x), np.asarray(y)
        np.testing.assert_allclose(x, y, rtol=1e-6, atol=1e-6 * np.abs(y).max())
