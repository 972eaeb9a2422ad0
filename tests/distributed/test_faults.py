"""The collective watchdog (jtorch/distributed/_faults.py) in one process: a call that never
finishes raises torch's timeout phrase after the group's timeout, a failing call raises a
RuntimeError (never XLA's exception), and either leaves later collectives failing at once."""
import datetime
import threading

import pytest

from jtorch.distributed import _faults
from jtorch.distributed._state import ProcessGroup


@pytest.fixture
def group():
    yield ProcessGroup([0, 1], "gloo", datetime.timedelta(milliseconds=200))
    _faults._STATE.broken = None


def test_a_call_that_never_ends_times_out(group):
    release = threading.Event()
    try:
        with pytest.raises(RuntimeError, match="Timed out waiting 200ms"):
            _faults.guarded(group, "all_reduce", release.wait)
        assert _faults.broken()
        with pytest.raises(RuntimeError, match="Application timeout caused pair closure"):
            _faults.guarded(group, "broadcast", lambda: 1)
    finally:
        release.set()          # let the abandoned helper thread end


def test_a_failing_call_is_a_runtime_error(group):
    def fail():
        raise ValueError("UNKNOWN: Gloo AllGather failed: Connection reset by peer")
    with pytest.raises(RuntimeError, match="closed its connection") as info:
        _faults.guarded(group, "all_gather", fail)
    assert type(info.value) is RuntimeError and "Connection reset by peer" in str(info.value)


def test_other_failures_keep_their_message(group):
    def fail():
        raise ValueError("INVALID_ARGUMENT: something else")
    with pytest.raises(RuntimeError, match="failed inside XLA's collective: INVALID_ARGUMENT"):
        _faults.guarded(group, "all_gather", fail)


def test_a_finished_call_returns_its_value(group):
    assert _faults.guarded(group, "all_reduce", lambda: 42) == 42
    assert not _faults.broken()


def test_a_world_of_one_runs_inline():
    one = ProcessGroup([0], "gloo", datetime.timedelta(milliseconds=1))
    assert _faults.guarded(one, "all_reduce", lambda: threading.current_thread()) is \
        threading.current_thread()


def test_torchs_error_classes():
    import jtorch.distributed as dist
    assert issubclass(dist.DistBackendError, dist.DistError)
    assert issubclass(dist.DistError, RuntimeError)
    torch = pytest.importorskip("torch")
    for name in ("DistError", "DistBackendError", "DistNetworkError", "DistStoreError"):
        ours = [c.__name__ for c in getattr(dist, name).__mro__]
        assert ours == [c.__name__ for c in getattr(torch.distributed, name).__mro__]
