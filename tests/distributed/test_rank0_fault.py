"""Rank 0 dying under ``python -m jtorch.distributed.run`` (it also hosts JAX's coordination
service, so the others lose their coordinator as well as a peer): the launcher ends every
worker and exits non-zero with the dead worker's traceback, and a survivor blocked in a
collective gets a RuntimeError within the process group's timeout instead of hanging."""
import json
import os

import pytest

from tests.distributed.test_multiprocess import launch


def survivors(out_dir, nproc):
    found = {}
    for rank in range(1, nproc):
        path = os.path.join(out_dir, f"rank{rank}.json")
        if os.path.exists(path):
            with open(path) as f:
                found[rank] = json.load(f)
    return found


@pytest.mark.parametrize("mode,nproc", [("raise", 2), ("exit", 2), ("exit", 4)])
def test_rank0_dying_ends_the_launch(tmp_path, mode, nproc):
    done = launch("rank0_worker.py", mode, str(tmp_path), nproc=nproc, timeout=90)
    assert done.returncode != 0
    assert "worker rank 0 (local rank 0) failed" in done.stderr
    if mode == "raise":
        assert "ValueError: boom from rank 0" in done.stderr     # the worker's traceback
    found = survivors(str(tmp_path), nproc)
    assert found, done.stderr[-3000:]     # at least one survivor got its error in time
    for rank, result in found.items():   # a survivor SIGKILLed first leaves no file: fine
        assert result is not None, f"rank {rank}'s collective returned without rank 0"
        name, message, _ = result
        assert name == "RuntimeError", message
