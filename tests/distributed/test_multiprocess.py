"""Two worker processes on loopback started by ``python -m jtorch.distributed.run``: every
collective and a DDP training run equal real torch's (gloo, recorded in
tests/golden/distributed_gloo.json by tests/golden/make_distributed.py) and a single-process
run on the concatenated batch; a failing worker ends the launch with its traceback."""
import json
import os
import signal
import subprocess
import sys

import numpy as np
import pytest

import jtorch
from tests.distributed import ddp_part

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GOLDEN = os.path.join(ROOT, "tests", "golden", "distributed_gloo.json")


def launch(script, *args, timeout=300):
    """Run the launcher in its own process group, killed whole (workers too) on timeout."""
    cmd = [sys.executable, "-m", "jtorch.distributed.run", "--nproc_per_node", "2",
           "--master_addr", "127.0.0.1", os.path.join(HERE, script), *args]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


@pytest.fixture(scope="module")
def ranks():
    done = launch("worker.py")
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(l for l in done.stdout.splitlines() if l.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


@pytest.fixture(scope="module")
def golden():
    with open(GOLDEN) as f:
        return json.load(f)["ranks"]


def close(a, b):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6, atol=1e-7)


def test_collectives_equal_torch(ranks, golden):
    for ours, ref in zip(ranks, golden):
        ours, ref = dict(ours), dict(ref)
        ours.pop("ddp"), ref.pop("ddp"), ours.pop("mismatch"), ours.pop("loaded_local")
        if ours["rank"] != 0:
            # reduce: only the destination's tensor is defined (gloo leaves scratch elsewhere)
            ours.pop("reduce"), ref.pop("reduce")
        assert ours == ref


def test_ddp_ranks_agree_and_equal_torch(ranks, golden):
    first = ranks[0]["ddp"]
    assert first["keys"] == golden[0]["ddp"]["keys"]
    assert all(k.startswith("module.") for k in first["keys"])
    for ours, ref in zip(ranks, golden):
        assert ours["ddp"]["params"] == first["params"]        # bit-identical across ranks
        close(ours["ddp"]["losses"], ref["ddp"]["losses"])
        for k, v in ref["ddp"]["params"].items():
            close(ours["ddp"]["params"][k], v)


def test_ddp_equals_one_process_on_the_whole_batch(ranks):
    model = ddp_part.make_model(jtorch, 0)
    losses = ddp_part.train(jtorch, model, 0, 1)
    per_rank = np.array([r["ddp"]["losses"] for r in ranks])
    close(per_rank.mean(axis=0), losses)                 # equal halves: mean of halves' MSE
    for k, v in model.state_dict().items():
        close(ranks[0]["ddp"]["params"][k], v.flatten().tolist())


def test_a_failing_worker_ends_the_launch():
    done = launch("fail_worker.py", timeout=180)
    assert done.returncode != 0
    assert "ValueError: boom from rank 1" in done.stderr           # the worker's traceback
    assert "worker rank 1" in done.stderr
    assert "should never get here" not in done.stdout


def test_mismatched_shapes_raise_on_every_rank(ranks):
    for r in ranks:
        message, after = r["mismatch"]
        assert "differ in shape or dtype" in message and "rank 1: shape [4]" in message
        assert after == [2.0, 2.0]


def test_loaded_tensors_work_in_every_rank(ranks):
    assert [r["loaded_local"] for r in ranks] == [True, True]
