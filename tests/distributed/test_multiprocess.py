"""Two worker processes on loopback started by ``python -m jtorch.distributed.run``: every
collective and the DDP training runs (an MLP, a small CNN) equal real torch's (gloo, recorded in
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


def launch(script, *args, timeout=300, nproc=2):
    """Run the launcher in its own process group, killed whole (workers too) on timeout."""
    cmd = [sys.executable, "-m", "jtorch.distributed.run", "--nproc_per_node", str(nproc),
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
        ours.pop("p2p"), ours.pop("cnn"), ref.pop("cnn")   # compared in their own tests below
        if ours["rank"] != 0:
            # reduce: only the destination's tensor is defined (gloo leaves scratch elsewhere)
            ours.pop("reduce"), ref.pop("reduce")
        assert ours == ref


@pytest.mark.parametrize("model", ["ddp", "cnn"])      # the MLP, the small CNN
def test_ddp_ranks_agree_and_equal_torchs_ddp(ranks, golden, model):
    first = ranks[0][model]
    assert first["keys"] == golden[0][model]["keys"]
    assert all(k.startswith("module.") for k in first["keys"])
    for ours, ref in zip(ranks, golden):
        assert ours[model]["params"] == first["params"]        # bit-identical across ranks
        close(ours[model]["losses"], ref[model]["losses"])
        for k, v in ref[model]["params"].items():
            close(ours[model]["params"][k], v)


def test_ddp_equals_one_process_on_the_whole_batch(ranks):
    model = ddp_part.make_model(jtorch, 0)
    losses = ddp_part.train(jtorch, model, 0, 1)
    per_rank = np.array([r["ddp"]["losses"] for r in ranks])
    close(per_rank.mean(axis=0), losses)                 # equal halves: mean of halves' MSE
    for k, v in model.state_dict().items():
        close(ranks[0]["ddp"]["params"][k], v.flatten().tolist())


def one_process_reference(T, make, image):
    """(losses, final parameters) of one process training on the whole batch."""
    model = make(T, 0)
    losses = ddp_part.train(T, model, 0, 1, image=image)
    return losses, {k: v.detach().flatten().tolist() for k, v in model.state_dict().items()}


def check_against_one_process(results, key, make, image):
    """Every rank agrees bit for bit and equals one process (jtorch's and, when installed,
    real torch's) on the concatenated batch, within 1e-6 relative."""
    first = results[0][key]
    per_rank = np.array([r[key]["losses"] for r in results])
    references = [jtorch]
    try:
        import torch
        references.append(torch)
    except ImportError:
        pass
    for T in references:
        losses, params = one_process_reference(T, make, image)
        close(per_rank.mean(axis=0), losses)      # equal slices: the mean of slices' MSE
        for k, v in params.items():
            close(first["params"][k], v)
    for r in results:
        assert r[key]["params"] == first["params"]


def test_ddp_cnn_two_workers_equals_one_process(ranks):
    check_against_one_process(ranks, "cnn", ddp_part.make_cnn, image=True)


def test_ddp_four_workers_equal_one_process():
    done = launch("ddp4_worker.py", nproc=4, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    results = result_line(done)
    assert [r["rank"] for r in results] == [0, 1, 2, 3]
    check_against_one_process(results, "mlp", ddp_part.make_model, image=False)


def test_a_failing_worker_ends_the_launch():
    done = launch("fail_worker.py", timeout=180)
    assert done.returncode != 0
    assert "ValueError: boom from rank 1" in done.stderr           # the worker's traceback
    assert "worker rank 1" in done.stderr
    assert "should never get here" not in done.stdout


def result_line(done):
    line = next((l for l in done.stdout.splitlines() if l.startswith("RESULT ")), None)
    assert line is not None, done.stderr[-3000:]
    return json.loads(line[len("RESULT "):])


@pytest.mark.parametrize("mode", ["stuck", "dead"])
def test_a_collective_without_its_peer_raises_within_the_timeout(mode):
    """fault_worker.py: 1 s timeout; rank 1 never joins (alive, or exited) rank 0's all_reduce."""
    res = result_line(launch("fault_worker.py", mode, timeout=120))
    name, message, _ = res["first"]              # (launch's own timeout catches a hang)
    assert name == "RuntimeError"
    assert ("Timed out waiting 1000ms" if mode == "stuck" else "closed its connection") in message
    name, message, _ = res["again"]        # the communicators stay unusable, as gloo's
    assert name == "RuntimeError" and "Application timeout caused pair closure" in message


def rank_results(done):
    lines = [l for l in done.stdout.splitlines() if l.startswith("RESULT ")]
    assert done.returncode == 0 and len(lines) == 2, done.stderr[-3000:]
    return sorted((json.loads(l[len("RESULT "):]) for l in lines), key=lambda r: r["rank"])


def launch_torch(script, *args, timeout=120):
    """The same script under real torch's launcher (gloo)."""
    from jtorch.distributed.run import free_port
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2",
           "--master_addr", "127.0.0.1", "--master_port", str(free_port()),
           os.path.join(HERE, script), *args]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def test_send_recv_equal_torchs_gloo(ranks):
    ours = [dict(r["p2p"]) for r in ranks]
    assert "the sizes must match" in ours[1].pop("mismatch")
    assert ours[1]["timeout"] == ["RuntimeError", True]
    assert (ours[0]["any_source"], ours[1]["recv_returns"]) == (1, 0)
    assert ours[1]["tags"] == [1.0, 2.0] and ours[0]["exchanged"] == [11.0, 12.0]
    try:
        import torch  # noqa: F401
    except ImportError:
        return
    assert ours == rank_results(launch_torch("p2p_worker.py"))


def test_mismatched_shapes_raise_on_every_rank(ranks):
    for r in ranks:
        message, after = r["mismatch"]
        assert "differ in shape or dtype" in message and "rank 1: shape [4]" in message
        assert after == [2.0, 2.0]


def test_loaded_tensors_work_in_every_rank(ranks):
    assert [r["loaded_local"] for r in ranks] == [True, True]
