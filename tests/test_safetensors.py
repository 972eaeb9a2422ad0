"""The real ``safetensors`` package's torch API running unchanged on jtorch, and its files
crossing between jtorch and torch 2.13 both ways.

In this process ``import torch`` is the real torch, so safetensors' pure-Python half
(``save``, ``save_file``, ``load``) runs here on a second copy of ``safetensors/torch.py``
executed while ``torch`` names jtorch. ``load_file`` and ``safe_open`` go through the Rust
extension, which imports torch once per process, so they run in subprocesses: one under
``python -m jtorch run`` and one that does ``import jtorch as torch; torch.install_alias()``.
"""
import importlib.util
import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import jtorch

pytest.importorskip("safetensors")

try:
    import torch
except ImportError:
    torch = None
needs_torch = pytest.mark.skipif(torch is None, reason="compares with torch")


def _stj_copy():
    """safetensors.torch bound to jtorch: a second, unregistered copy of the module, executed
    while ``torch`` names jtorch."""
    spec = importlib.util.find_spec("safetensors.torch")
    previous = sys.modules.get("torch")
    sys.modules["torch"] = jtorch
    try:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        if previous is None:
            del sys.modules["torch"]
        else:
            sys.modules["torch"] = previous
    return module


def _tensors(m):
    """One tensor of each dtype safetensors and jtorch share, odd shapes and a 0-dim one."""
    return {
        "f32": m.arange(6, dtype=m.float32).reshape(2, 3) * 0.25 - 0.5,
        "f64": m.tensor([1.5, -2.25], dtype=m.float64),
        "f16": m.tensor(3.5, dtype=m.float16),
        "bf16": m.arange(4, dtype=m.float32).to(m.bfloat16) - 1.5,
        "i64": m.tensor([[1], [-2]], dtype=m.int64),
        "i32": m.tensor([7, -8, 9], dtype=m.int32),
        "i16": m.tensor([300], dtype=m.int16),
        "i8": m.tensor([-5], dtype=m.int8),
        "u8": m.tensor([250, 1], dtype=m.uint8),
        "u16": m.tensor([65000], dtype=m.uint16),
        "u32": m.tensor([4000000000], dtype=m.uint32),
        "u64": m.tensor([2 ** 63], dtype=m.uint64),
        "bool": m.tensor([True, False, True]),
        "c64": m.tensor([1 + 2j, -3j], dtype=m.complex64),
        "empty": m.zeros(0, 3),
        "view": m.arange(10, dtype=m.float32)[2:7],     # contiguous, at a storage offset
    }


def _host(t):
    """(dtype name, shape, bytes) of a torch or jtorch tensor (bfloat16 widened to float32,
    which is exact)."""
    name = repr(t.dtype)
    if name == "torch.bfloat16":
        t = t.float()
    return name, tuple(t.shape), np.ascontiguousarray(t.detach().numpy()).tobytes()


@pytest.fixture(scope="module")
def stj():
    module = _stj_copy()
    assert module.torch is jtorch
    return module


def test_save_load_roundtrip(stj):
    tensors = _tensors(jtorch)
    back = stj.load(stj.save(tensors))
    assert sorted(back) == sorted(tensors)
    for k, t in tensors.items():
        assert type(back[k]) is jtorch.Tensor and _host(back[k]) == _host(t), k


def test_refusals(stj):
    a = jtorch.arange(6.0).reshape(2, 3)
    with pytest.raises(RuntimeError, match="Some tensors share memory"):
        stj.save({"x": a, "y": a[0]})
    with pytest.raises(ValueError, match="non contiguous tensor: `x`"):
        stj.save({"x": a.t()})
    with pytest.raises(ValueError, match="expected torch.Tensor"):
        stj.save({"x": [1, 2]})


@needs_torch
def test_bytes_equal_torch(stj):
    """jtorch writes exactly the bytes torch writes (header, order, data)."""
    import safetensors.torch as real
    meta = {"format": "pt"}      # (one key: safetensors orders metadata by hash)
    assert stj.save(_tensors(jtorch), meta) == real.save(_tensors(torch), meta)


@needs_torch
def test_torch_bytes_load_in_jtorch(stj):
    import safetensors.torch as real
    expected = _tensors(torch)
    back = stj.load(real.save(expected))
    for k, t in expected.items():
        assert type(back[k]) is jtorch.Tensor and _host(back[k]) == _host(t), k


@needs_torch
def test_jtorch_file_loads_in_torch(stj, tmp_path):
    import safetensors.torch as real
    path = str(tmp_path / "j.safetensors")
    stj.save_file(_tensors(jtorch), path, metadata={"who": "jtorch"})
    back = real.load_file(path)
    for k, t in _tensors(torch).items():
        assert type(back[k]) is torch.Tensor and _host(back[k]) == _host(t), k


# ------------------------------------------------------------------ load_file / safe_open
_SCRIPT = """
import json, sys
{header}
from safetensors import safe_open
from safetensors.torch import load_file, save_file
src, out = sys.argv[1], sys.argv[2]
report = {{"module": torch.__name__}}
loaded = load_file(src)
report["types"] = sorted({{type(v).__module__ + "." + type(v).__name__ for v in loaded.values()}})
report["values"] = {{k: [repr(v.dtype), list(v.shape), v.float().flatten().tolist()
                      if v.dtype is not torch.bool else v.flatten().tolist()]
                     for k, v in loaded.items() if not v.is_complex()}}
with safe_open(src, framework="pt") as f:
    report["metadata"] = f.metadata()
    report["keys"] = sorted(f.keys())
    report["same"] = all(torch.equal(f.get_tensor(k), loaded[k]) for k in f.keys())
    sl = f.get_slice("f32")
    report["slice"] = [sl.get_shape(), sl[:, 1:].tolist()]
save_file(loaded, out, metadata={{"who": torch.__name__}})
from safetensors.torch import load_model, save_model
def tied():
    net = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Linear(3, 3))
    net[1].weight = net[0].weight
    return net
torch.manual_seed(0)
net, fresh = tied(), tied()
save_model(net, out + ".model")
missing, unexpected = load_model(fresh, out + ".model")
report["model"] = [all(torch.equal(a, b) for a, b in zip(net.state_dict().values(),
                                                        fresh.state_dict().values())),
                   fresh[1].weight is fresh[0].weight, sorted(missing), sorted(unexpected)]
print(json.dumps(report))
"""


def _run(tmp_path, header, argv_prefix):
    src = tmp_path / "src.safetensors"
    if torch is not None:
        import safetensors.torch as real
        real.save_file(_tensors(torch), str(src), metadata={"who": "torch"})
    else:   # no torch: the source file comes from jtorch's own writer
        _stj_copy().save_file(_tensors(jtorch), str(src), metadata={"who": "torch"})
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(_SCRIPT.format(header=header)))
    out = tmp_path / "out.safetensors"
    proc = subprocess.run([sys.executable, *argv_prefix, str(script), str(src), str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1]), out


def _check_report(report, out):
    assert report["module"] == "jtorch" and report["types"] == ["jtorch._tensor.Tensor"]
    assert report["metadata"] == {"who": "torch"} and report["same"] is True
    assert report["model"] == [True, True, [], []]
    assert report["keys"] == sorted(_tensors(jtorch))
    expected = _tensors(jtorch)
    assert report["slice"] == [[2, 3], expected["f32"][:, 1:].tolist()]
    for k, (dtype, shape, values) in report["values"].items():
        t = expected[k]
        assert dtype == repr(t.dtype) and shape == list(t.shape), k
        ref = t.flatten().tolist() if t.dtype is jtorch.bool else t.float().flatten().tolist()
        assert values == ref, k
    if torch is not None:                       # what jtorch wrote loads in torch
        import safetensors.torch as real
        back = real.load_file(str(out))
        for k, t in _tensors(torch).items():
            assert _host(back[k]) == _host(t), k


def test_load_file_and_safe_open_under_python_m_jtorch_run(tmp_path):
    report, out = _run(tmp_path, "import torch", ["-m", "jtorch", "run"])
    _check_report(report, out)


def test_install_alias_after_import_jtorch_as_torch(tmp_path):
    report, out = _run(tmp_path, "import jtorch as torch\ntorch.install_alias()", [])
    _check_report(report, out)


@needs_torch
def test_install_alias_refuses_when_real_torch_is_loaded():
    assert sys.modules["torch"] is torch
    with pytest.raises(RuntimeError, match="the real torch is already imported"):
        jtorch.install_alias()
    assert sys.modules["torch"] is torch
