"""The differential fuzzer's suite slice (issue 27, item 2): fixed-seed random programs (the
campaign's, and hypothesis's derandomized draws: the same programs every run) on torch and
jtorch, plus the shrunk program of every known failure class as a strict xfail. A program
failing in a class that is not known (``regressions.is_known``) fails its test with the
program.
Campaigns: ``python -m tests.fuzz --programs N``.
"""
import random

import pytest

pytest.importorskip("torch")
hypothesis = pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from .interpret import compare, failure_class  # noqa: E402
from .programs import Chooser, program  # noqa: E402
from .regressions import PROGRAMS, is_known, reason  # noqa: E402

SLICE = 200     # the campaign's programs 0..SLICE-1 of seed 1 (``--seed 1 --programs 200``)
HYPOTHESIS_EXAMPLES = 40


@pytest.mark.parametrize("number", range(SLICE))
def test_fuzz_program(number):
    steps = program(Chooser(random.Random(10 ** 9 + number)))
    bad = compare(steps)
    if bad is not None:
        sig = failure_class(steps, bad)
        assert is_known(sig), f"new failure class {sig} at step {bad[0]}: {bad[1]}\n{steps!r}"


@settings(max_examples=HYPOTHESIS_EXAMPLES, derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck), phases=[hypothesis.Phase.generate,
                                                           hypothesis.Phase.shrink])
@given(st.data())
def test_fuzz_hypothesis(data):
    """Programs drawn by hypothesis (a failure is shrunk step by step)."""
    steps = program(Chooser(data=data))
    bad = compare(steps)
    if bad is not None:
        sig = failure_class(steps, bad)
        assert is_known(sig), f"new failure class {sig} at step {bad[0]}: {bad[1]}\n{steps!r}"


@pytest.mark.parametrize("steps", [
    pytest.param(p, id=f"{sig}-{k}", marks=pytest.mark.xfail(strict=True, reason=reason(sig)))
    for k, (sig, p) in enumerate(PROGRAMS)])
def test_regression(steps):
    bad = compare(steps)
    assert bad is None, bad
