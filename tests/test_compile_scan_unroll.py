"""The scan's loop (issue 19, speed: ``compiler/_scan.py`` keeps ``lax.scan(unroll=1)``):
an SGD epoch scanned as one program is bit-for-bit the same epoch run by the compiled step
batch by batch (its losses, parameters, ``.grad`` and momentum buffers, versions). An
unrolled body (``unroll=2``, faster on a tiny step) moves some of these by an ulp, which is
why it is not used; that is recorded here too, so a change of XLA that makes it exact shows."""
import numpy as np
import pytest

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


@pytest.mark.xfail(strict=True, reason="XLA CPU compiles an unrolled scan body's two copies "
                   "together and rounds some SGD results differently (an ulp)")
def test_an_unrolled_sgd_epoch_would_be_bit_for_bit(monkeypatch):
    monkeypatch.setattr(_scan, "_UNROLL", 2)
    assert _differ(_scanned("sgd"), _step_by_step("sgd")) == []
