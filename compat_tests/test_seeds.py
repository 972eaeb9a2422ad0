"""Every seed example must print what torch printed (golden), or be a listed strict xfail."""
import pytest

from compat_tests import harness
from compat_tests.expected_failures import EXPECTED_FAILURES


def _params():
    for name in harness.examples():
        marks = ()
        if name in EXPECTED_FAILURES:
            marks = pytest.mark.xfail(strict=True, reason=EXPECTED_FAILURES[name])
        yield pytest.param(name, id=name, marks=marks)


@pytest.mark.parametrize("name", list(_params()))
def test_example_matches_torch(name):
    want = harness.golden_path(name).read_text()
    got = harness.run(name, "jtorch")
    res = harness.compare(got, want)
    assert res.ok, res.reason
    doc = harness.compare_doc(got, name)
    assert doc.ok, doc.reason


def test_every_example_has_a_golden():
    missing = [n for n in harness.examples() if not harness.golden_path(n).exists()]
    assert not missing, f"record goldens: python -m compat_tests.record {' '.join(missing)}"


def test_expected_failures_name_real_examples():
    unknown = sorted(set(EXPECTED_FAILURES) - set(harness.examples()))
    assert not unknown, unknown


def test_goldens_are_torchs():
    """Where torch is installed, the recorded goldens still equal a live torch run."""
    pytest.importorskip("torch")
    import concurrent.futures

    def is_stale(n):
        return not harness.compare(harness.run(n, "torch"), harness.golden_path(n).read_text()).ok
    names = harness.examples()
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        stale = [n for n, bad in zip(names, pool.map(is_stale, names)) if bad]
    assert not stale, f"re-record: python -m compat_tests.record {' '.join(stale)}"
