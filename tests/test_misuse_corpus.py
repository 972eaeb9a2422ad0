"""The generated misuse corpus (issue 27, item 1), a fixed slice: every op record's first
sample with each argument broken in turn (wrong shape, dtype, Python type, out-of-range dim
or index), on torch and jtorch. jtorch must raise torch's exception type with torch's key
phrase, or accept with torch's result where torch accepts; no JAX or NumPy exception may
reach the user, known mismatches included. The whole corpus and its percentages:
``python -m compat_tests.misuse --report`` (engine: ``compat_tests/misuse.py``; known
mismatches: ``compat_tests/misuse_known.py``, strict xfails here).
"""
import functools

import pytest

pytest.importorskip("torch")

from compat_tests import misuse  # noqa: E402
from compat_tests.misuse_known import KNOWN, LEAKS  # noqa: E402

SLICE = misuse.suite_slice()
# the slice's agreement, measured when the known table was last written; the floors catch a
# regression that the per-case tests would also show, in one line
TYPE_FLOOR, PHRASE_FLOOR = 0.93, 0.87


@functools.lru_cache(maxsize=None)
def _verdict(case_id):
    return misuse.judge(_BY_ID[case_id])


_BY_ID = {m.id: m for m in SLICE}


def _params():
    out = []
    for m in SLICE:
        reason = KNOWN.get(m.id)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(m.id, id=m.id, marks=marks))
    return out


@pytest.mark.parametrize("case_id", _params())
def test_misuse(case_id):
    v = _verdict(case_id)
    assert v.msg_ok, v.detail


def _leak_params():
    return [pytest.param(m.id, id=m.id, marks=[pytest.mark.xfail(strict=True, reason=LEAKS[m.id])]
                         if m.id in LEAKS else []) for m in SLICE]


@pytest.mark.parametrize("case_id", _leak_params())
def test_no_foreign_exception(case_id):
    """Known mismatches too: whatever jtorch raises is a builtin or torch-like type raised
    by jtorch itself, never JAX's or NumPy's."""
    v = _verdict(case_id)
    assert not v.foreign, v.detail


def test_slice_agreement():
    vs = [_verdict(m.id) for m in SLICE]
    n = len(vs)
    assert n >= 500
    assert sum(v.type_ok for v in vs) >= TYPE_FLOOR * n
    assert sum(v.msg_ok for v in vs) >= PHRASE_FLOOR * n


def test_every_record_has_three_kinds():
    """The full corpus breaks every record's arguments in at least 3 ways (all but records
    whose only argument is a single non-tensor)."""
    kinds = {}
    for m in misuse.cases():
        kinds.setdefault(m.record.name, set()).add(m.kind.split("_")[0])
    few = sorted(name for name, k in kinds.items() if len(k) < 3)
    assert len(few) <= 2, few
