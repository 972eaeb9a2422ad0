"""torch.cuda (issue 21): on a machine without a GPU each call answers as torch's CPU build
(compared with torch's CPU wheel); the GPU paths run against a fake device list
(``jtorch.device._gpus`` patched): XLA's CPU client cannot pretend to be a GPU."""
import re
import sys
import types

import pytest

import jtorch

torch = pytest.importorskip("torch")
_devmod = sys.modules["jtorch.device"]

_CALLS = {"is_available": (), "device_count": (), "current_device": (), "set_device": (0,),
          "get_device_name": (), "get_device_properties": (0,), "get_device_capability": (),
          "memory_allocated": (), "max_memory_allocated": (), "memory_reserved": (),
          "max_memory_reserved": (), "reset_peak_memory_stats": (), "empty_cache": (),
          "mem_get_info": (), "synchronize": (), "current_stream": (), "default_stream": (),
          "manual_seed": (1,), "manual_seed_all": (1,), "seed": (), "seed_all": (),
          "get_rng_state": (), "get_rng_state_all": (), "initial_seed": (),
          "is_initialized": (), "init": (), "memory_stats": (), "is_bf16_supported": (),
          "ipc_collect": (), "reset_max_memory_allocated": ()}


def _answer(fn):
    try:
        r = fn()
    except Exception as e:  # noqa: BLE001  (compared: type and message)
        return "raises", type(e).__name__, str(e)
    return "returns", repr(r)


@pytest.mark.skipif(jtorch.cuda.is_available(), reason="answers of a GPU-less machine")
@pytest.mark.parametrize("name", sorted(_CALLS))
def test_gpu_less_answers_as_torch_cpu_build(name):
    args = _CALLS[name]
    assert _answer(lambda: getattr(jtorch.cuda, name)(*args)) == \
        _answer(lambda: getattr(torch.cuda, name)(*args))


@pytest.mark.skipif(jtorch.cuda.is_available(), reason="answers of a GPU-less machine")
@pytest.mark.parametrize("what", ["Event", "Stream", "device_ctx", "ones", "dot_cuda"])
def test_gpu_less_objects_as_torch(what):
    def make(T):
        if what == "Event":
            return lambda: T.cuda.Event(enable_timing=True)
        if what == "Stream":
            return lambda: T.cuda.Stream()
        if what == "device_ctx":
            def enter():
                with T.cuda.device(0):
                    pass
            return enter
        if what == "ones":
            return lambda: T.ones(2, device="cuda")
        return lambda: T.ones(2).cuda()
    assert _answer(make(jtorch)) == _answer(make(torch))


def test_out_of_memory_error_names():
    assert jtorch.cuda.OutOfMemoryError is jtorch.OutOfMemoryError
    assert issubclass(jtorch.OutOfMemoryError, RuntimeError)


# ------------------------------------------------------------------ a fake GPU list
class _FakeGpu:
    platform = "gpu"
    device_kind = "NVIDIA H200"
    compute_capability = "9.0"
    core_count = 132

    def __init__(self, i):
        self.id = i
        self.in_use = 1000 * (i + 1)

    def memory_stats(self):
        return {"bytes_in_use": self.in_use, "peak_bytes_in_use": 5000,
                "bytes_limit": 10 ** 6, "bytes_reserved": 4096}


@pytest.fixture
def fake_gpus(monkeypatch):
    gpus = (_FakeGpu(0), _FakeGpu(1))
    monkeypatch.setattr(_devmod, "_gpus", lambda: gpus)
    monkeypatch.setattr(jtorch.cuda._state, "_CURRENT", [0])
    return gpus


def test_fake_gpu_queries(fake_gpus):
    c = jtorch.cuda
    assert (c.is_available(), c.device_count(), c.current_device()) == (True, 2, 0)
    assert c.get_device_name(1) == "NVIDIA H200"
    assert c.get_device_capability() == (9, 0)
    props = c.get_device_properties("cuda:1")
    assert (props.name, props.major, props.minor, props.multi_processor_count,
            props.total_memory) == ("NVIDIA H200", 9, 0, 132, 10 ** 6)
    assert c.memory_allocated(1) == 2000 and c.memory_reserved() == 4096
    assert c.max_memory_allocated() == 5000
    assert c.mem_get_info(0) == (10 ** 6 - 1000, 10 ** 6)
    assert c.memory_stats()["allocated_bytes.all.current"] == 1000
    c.reset_peak_memory_stats()
    assert c.max_memory_allocated() == 1000       # the current use after a reset
    assert c.is_bf16_supported()


def test_fake_gpu_device_selection(fake_gpus):
    c = jtorch.cuda
    c.set_device(1)
    assert c.current_device() == 1
    with c.device(0):
        assert c.current_device() == 0
    assert c.current_device() == 1
    with pytest.raises(RuntimeError, match="invalid device ordinal"):
        c.get_device_name(5)


def test_fake_gpu_device_mapping(fake_gpus):
    """``cuda:N`` maps onto JAX's N-th GPU; CPU stays JAX's CPU device."""
    assert _devmod.as_device("cuda") == jtorch.device("cuda", 0)
    assert _devmod.jax_device(jtorch.device("cuda:1")) is fake_gpus[1]
    assert _devmod.jax_device(jtorch.device("cpu")).platform == "cpu"
    with pytest.raises(RuntimeError, match="invalid device ordinal"):
        _devmod.as_device("cuda:2")


def test_fake_gpu_streams_and_events(fake_gpus, monkeypatch):
    c = jtorch.cuda
    synced = []
    monkeypatch.setattr(c._state, "synchronize", lambda d=None: synced.append(d))
    s = c.current_stream()
    assert s == c.default_stream() and s.device == jtorch.device("cuda:0")
    with c.stream(s) as entered:
        assert entered is s
    a, b = c.Event(enable_timing=True), c.Event(enable_timing=True)
    a.record()
    b.record()
    assert b.elapsed_time(a) <= 0.0 <= a.elapsed_time(b)
    assert synced == [0, 0]
    with pytest.raises(RuntimeError, match="enable_timing=True"):
        c.Event().elapsed_time(b)


def test_fake_gpu_rng_streams(fake_gpus):
    c = jtorch.cuda
    c.manual_seed_all(7)
    assert c.initial_seed() == 7
    state = c.get_rng_state()
    assert len(c.get_rng_state_all()) == 2
    c.seed()
    c.set_rng_state(state)
    assert c.initial_seed() == 7
    c._random._GENERATORS.clear()


def test_cpu_tensors_on_jax_cpu_device():
    x = jtorch.ones(3)
    assert x.device == jtorch.device("cpu")
    assert {d.platform for d in x.to_jax().devices()} == {"cpu"}


def test_default_jax_device_is_the_cpu():
    import jax
    assert jax.config.jax_default_device.platform == "cpu"
    assert {d.platform for d in jax.numpy.ones(2).devices()} == {"cpu"}


# ------------------------------------------------------------------ the accelerator check
def test_gpu_check_dry_run(tmp_path, capsys):
    """benchmarks/gpu_check.py in its CPU dry-run mode: one model, one seed example, the
    benchmark parts in this process (its GPU run is the same code with larger sizes)."""
    import importlib.util
    import os
    path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "benchmarks",
                        "gpu_check.py")
    spec = importlib.util.spec_from_file_location("gpu_check", path)
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    out = tmp_path / "report.txt"
    assert check.main(["--cpu", "--models", "mlp", "--examples", "1", "--workers", "2",
                       "--in-process", "--out", str(out)]) == 0
    text = out.read_text()
    assert "examples: 1/1 print the same as torch" in text
    row = next(ln for ln in text.splitlines() if ln.startswith("mlp/fp32"))
    assert len(re.findall(r"\d+\.\d\dx", row)) == 3, text       # the three ratios
    assert "bf16 matmul jtorch: n=256" in text


def test_resource_exhausted_is_out_of_memory():
    """XLA's RESOURCE_EXHAUSTED (a device allocation failed) reaches the user as torch's
    OutOfMemoryError, a RuntimeError; other XLA runtime errors are not translated."""
    import jax
    from jtorch import _errors
    e = jax.errors.JaxRuntimeError("RESOURCE_EXHAUSTED: Out of memory while trying to "
                                   "allocate 343597383680 bytes.")
    oom = _errors.translate(e, [])
    assert type(oom) is jtorch.OutOfMemoryError and jtorch.cuda.OutOfMemoryError is type(oom)
    assert isinstance(oom, RuntimeError)
    assert str(oom) == "CUDA out of memory. Out of memory while trying to allocate " \
                       "343597383680 bytes."
    assert _errors.translate(jax.errors.JaxRuntimeError("INTERNAL: boom"), []) is None
