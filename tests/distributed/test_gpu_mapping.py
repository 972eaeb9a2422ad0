"""One GPU per launcher worker, checked on CPU with mocks: which ``local_device_ids`` the
worker bootstrap gives jax.distributed.initialize, and that ``cuda:LOCAL_RANK`` (the torchrun
idiom) resolves to the worker's one visible JAX GPU, which JAX numbers 0 in each process."""
import importlib

import jax
import pytest

import jtorch as torch
from jtorch.cuda import _state as cuda_state
from jtorch.distributed import _bootstrap

devmod = importlib.import_module("jtorch.device")    # the module (jtorch.device is the class)

GPU_NODE = {"LOCAL_RANK": "2", "LOCAL_WORLD_SIZE": "4", "JAX_PLATFORMS": "cuda,cpu"}


@pytest.mark.parametrize("env,gpus,expected", [
    (GPU_NODE, 4, [2]),
    ({**GPU_NODE, "JAX_PLATFORMS": ""}, 4, [2]),                  # platform left to JAX
    ({**GPU_NODE, "JAX_PLATFORMS": "cpu"}, 4, None),
    ({**GPU_NODE, "JAX_LOCAL_DEVICE_IDS": "1"}, 4, None),         # the user chose
    ({**GPU_NODE, "LOCAL_WORLD_SIZE": "1"}, 4, None),
    (GPU_NODE, 2, None),                 # more workers than GPUs: no GPU 2 to name
    (GPU_NODE, 0, None),                 # a CPU node
    ({}, 4, None),
])
def test_local_device_ids(env, gpus, expected):
    assert _bootstrap.local_device_ids(env, gpu_count=gpus) == expected


@pytest.mark.parametrize("visible,expected", [("0,1,2,3", [2]), ("5", None), ("", None)])
def test_cuda_visible_devices_counts(visible, expected):
    env = {**GPU_NODE, "CUDA_VISIBLE_DEVICES": visible}   # one entry: the user gave each rank one
    assert _bootstrap.local_device_ids(env) == expected


def test_start_passes_them_to_jax(monkeypatch):
    calls = []
    monkeypatch.setattr(jax.distributed, "initialize", lambda **kw: calls.append(kw))
    for key, value in {**GPU_NODE, "WORLD_SIZE": "8", "RANK": "6", "MASTER_ADDR": "127.0.0.1",
                       "MASTER_PORT": "29511"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0,1,2,3")
    monkeypatch.delenv("JAX_LOCAL_DEVICE_IDS", raising=False)
    _bootstrap.start_from_env()
    assert calls == [dict(coordinator_address="127.0.0.1:29511", num_processes=8, process_id=6,
                          initialization_timeout=300, local_device_ids=[2])]


class FakeGpu:
    platform = "gpu"

    def __init__(self, local_id):
        self.local_hardware_id = local_id


@pytest.fixture
def one_gpu_worker(monkeypatch):
    """A worker of LOCAL_RANK 2 in a 2-process job that sees only its GPU."""
    gpu = FakeGpu(2)
    monkeypatch.setattr(devmod, "_gpus", lambda: (gpu,))
    monkeypatch.setattr(jax, "process_count", lambda: 2)
    monkeypatch.setenv("LOCAL_RANK", "2")
    return gpu


def test_cuda_local_rank_is_the_workers_gpu(one_gpu_worker):
    assert devmod.as_device(torch.device("cuda", 2)) == torch.device("cuda", 2)
    assert devmod.jax_device(torch.device("cuda", 2)) is one_gpu_worker
    assert devmod.jax_device(torch.device("cuda", 0)) is one_gpu_worker   # JAX's numbering
    assert cuda_state.jax_gpu(2) is one_gpu_worker
    with pytest.raises(RuntimeError, match="invalid device ordinal"):
        devmod.as_device("cuda:1")                  # another rank's GPU


def test_outside_a_job_ordinals_are_positions(monkeypatch):
    gpus = (FakeGpu(0), FakeGpu(1))
    monkeypatch.setattr(devmod, "_gpus", lambda: gpus)
    monkeypatch.setattr(jax, "process_count", lambda: 1)
    monkeypatch.setenv("LOCAL_RANK", "3")
    assert devmod.jax_device(torch.device("cuda", 1)) is gpus[1]
    for bad in ("cuda:2", "cuda:3"):
        with pytest.raises(RuntimeError, match="invalid device ordinal"):
            devmod.as_device(bad)
