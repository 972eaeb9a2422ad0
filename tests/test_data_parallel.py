"""nn.DataParallel over 4 local devices (issue 22): JAX's CPU split into 4 devices in a
subprocess (XLA_FLAGS must be set before jax is imported) with jtorch's GPU list patched to
them (tests/distributed/data_parallel_part.py). Outputs, gradients and SGD steps equal the
single-device run; scatter/gather follow torch's rules. Without devices DataParallel calls
the module, as torch's CPU build (compared in this process)."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import jtorch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def res():
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=4")
    part = os.path.join(ROOT, "tests", "distributed", "data_parallel_part.py")
    done = subprocess.run([sys.executable, part], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(l for l in done.stdout.splitlines() if l.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


def close(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7 * max(1.0, np.abs(b).max()))


def check_pair(pair):
    ref, dp = pair["ref"], pair["dp"]
    close(dp["losses"], ref["losses"])
    close(dp["out"], ref["out"])
    assert dp["out_device"] == "cuda:0" and dp["out_raw"] == [0]
    for k in ref["grads"]:
        close(dp["grads"][k], ref["grads"][k])
    for k in ref["params"]:
        close(dp["params"][k], ref["params"][k])


def test_mlp_training_equals_one_device(res):
    assert res["device_count"] == 4
    check_pair(res["mlp"])


def test_cnn_equals_one_device(res):
    check_pair(res["cnn_eval"])


def test_batch_split_as_torch_chunks(res):
    # 10 rows over 4 devices: chunks of ceil(10/4) = 3, each on its own JAX device
    assert res["seen"] == [["cuda:0", 3, [0]], ["cuda:1", 3, [1]], ["cuda:2", 3, [2]],
                           ["cuda:3", 1, [3]]]
    close(res["kw_out"], res["kw_ref"])          # the keyword argument reached every replica


def test_fewer_rows_than_devices_and_explicit_devices(res):
    two = res["two"]
    assert two["seen"] == [["cuda:1", 1, [1]], ["cuda:3", 1, [3]]]
    assert (two["out_device"], two["out_raw"]) == ("cuda:2", [2])


def test_batchnorm_statistics_per_replica(res):
    bn = res["bn"]
    close(bn["out"], bn["ref"])                  # each chunk normalised by its own statistics
    close(bn["running_mean"], bn["ref_running_mean"])    # the module keeps chunk 0's update
    assert bn["batches"] == 1


def test_containers_are_gathered(res):
    m = res["multi"]
    close(m["a"], m["ref"])
    close(m["sum"], np.asarray(m["ref"]).sum(1))
    assert m["none"] is None


def test_scalar_outputs_become_a_vector(res):
    assert res["scalar"]["shape"] == [4]
    assert any("all input tensors were scalars" in w for w in res["scalar"]["warned"])


def test_tied_weights_share_one_copy_per_replica(res):
    grad, ref, still_tied = res["tied"]
    close(grad, ref)
    assert still_tied


def test_module_on_another_device_is_refused(res):
    assert res["wrong_device"] == ("module must have its parameters and buffers on device "
                                   "cuda:0 (device_ids[0]) but found one of them on device: "
                                   "cuda:1")


def test_same_object_everywhere():
    assert jtorch.nn.DataParallel is jtorch.nn.parallel.DataParallel
    assert jtorch.nn.parallel.data_parallel.__name__ == "data_parallel"


def test_without_devices_as_torchs_cpu_build():
    torch = pytest.importorskip("torch")
    for lib in (jtorch, torch):
        lib.manual_seed(0)
    ours = jtorch.nn.DataParallel(jtorch.nn.Linear(3, 2))
    theirs = torch.nn.DataParallel(torch.nn.Linear(3, 2))
    assert ours.device_ids == theirs.device_ids == []
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_allclose(ours(jtorch.tensor(x)).detach().numpy(),
                               theirs(torch.tensor(x)).detach().numpy(), rtol=1e-6)
    out = jtorch.nn.parallel.data_parallel(jtorch.nn.Linear(3, 2), jtorch.tensor(x))
    assert out.shape == (2, 2)
