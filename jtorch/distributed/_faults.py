"""Collectives that end: a watchdog around each cross-process XLA call.

An XLA collective waits inside gloo (or NCCL) until every member joins: a peer that died
closes its sockets and the call fails at once, but a peer that is alive and never joins
(stuck, or busy elsewhere) would keep it waiting forever. So the call runs on a helper thread
and the caller waits at most the process group's ``timeout``. As with torch's gloo, a timed
out or failed collective leaves the communicators unusable: every later collective raises at
once (the abandoned call may still be waiting inside XLA). Errors are RuntimeErrors, as
torch's gloo raises; XLA's own exception never reaches the user.
"""
import threading

import jax


class DistError(RuntimeError):
    """torch.distributed.DistError: the base of distributed errors."""


class DistBackendError(DistError):
    """torch.distributed.DistBackendError: the backend (here XLA's collectives) failed."""


class DistNetworkError(DistError):
    """torch.distributed.DistNetworkError."""


class DistStoreError(DistError):
    """torch.distributed.DistStoreError."""


class _State:
    broken = None       # why the communicators are unusable, once a collective failed


_STATE = _State()


def broken():
    """Whether a collective of this process failed or timed out (see the module docstring)."""
    return _STATE.broken is not None


def _fail(message):
    _STATE.broken = message
    raise RuntimeError(message)


def guarded(group, what, call):
    """``call()`` (an XLA collective over ``group``), waited for at most ``group``'s timeout."""
    if group.size() == 1:
        return call()
    if _STATE.broken is not None:
        raise RuntimeError(f"torch.distributed.{what}: Application timeout caused pair closure "
                           f"(an earlier collective failed: {_STATE.broken})")
    box = {}
    finished = threading.Event()

    def work():
        try:
            box["value"] = jax.block_until_ready(call())
        except BaseException as e:   # noqa: B036  (re-raised as RuntimeError by the caller)
            box["error"] = e
        finally:
            finished.set()

    threading.Thread(target=work, name=f"jtorch-{what}", daemon=True).start()
    seconds = group._timeout.total_seconds()
    if not finished.wait(seconds):
        _fail(f"torch.distributed.{what}: Timed out waiting {int(seconds * 1000)}ms for the "
              f"collective to complete: a peer rank of {group._ranks} did not join it (stuck, "
              "or running a different collective)")
    if "error" in box:
        _fail(_failure(group, what, box["error"]))
    return box["value"]


def _failure(group, what, error):
    """A RuntimeError message for an exception raised inside XLA's collective."""
    text = str(error).strip()
    detail = text.splitlines()[0] if text else type(error).__name__
    if "connection" in detail.lower() or "by peer" in detail:
        return (f"torch.distributed.{what} failed: a peer rank of {group._ranks} closed its "
                f"connection (it died or exited) [{detail}]")
    return f"torch.distributed.{what} failed inside XLA's collective: {detail}"
