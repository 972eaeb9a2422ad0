"""torch.save / torch.load against real torch 2.13: files torch wrote (tests/golden/serialization,
recorded by tests/golden/make_serialization.py) load in jtorch bit-equal, with torch's dtypes,
strides and storage sharing (no torch needed); files jtorch writes load in torch equal to the
originals (when torch is importable)."""
import collections
import io
import json
import pathlib
import pickle
import zipfile

import numpy as np
import pytest

import jtorch
import jtorch.nn as nn

try:
    import torch
except ImportError:      # the golden half runs without torch
    torch = None
needs_torch = pytest.mark.skipif(torch is None, reason="compares with torch")

GOLDEN = pathlib.Path(__file__).parent / "golden" / "serialization"
EXPECTED = json.loads((GOLDEN / "expected.json").read_text())
ARRAYS = np.load(GOLDEN / "expected.npz")
MODELS = ["mlp", "cnn", "bn_net", "lstm", "transformer"]


def bits(t):
    """A tensor's values as NumPy, bfloat16 as its int16 bit pattern (as recorded)."""
    a = np.asarray(t.detach()._value())     # (numpy() refuses bfloat16, as torch's)
    return a.view(np.int16) if repr(t.dtype) == "torch.bfloat16" else a


def check(t, key):
    """``t`` equals the tensor torch recorded under ``key``: bits, dtype, shape, strides."""
    meta = EXPECTED["tensors"][key]
    assert repr(t.dtype) == meta["dtype"], key
    assert list(t.shape) == meta["shape"], key
    assert list(t.stride()) == meta["stride"], key
    assert t.storage_offset() == meta["offset"], key
    assert t.requires_grad == meta["requires_grad"], key
    assert type(t).__name__ == meta["type"], key
    want = ARRAYS[key]
    got = bits(t)
    assert got.dtype == want.dtype and got.shape == want.shape, key
    assert got.tobytes() == want.tobytes(), key


def roundtrip(obj, **save_kwargs):
    buf = io.BytesIO()
    jtorch.save(obj, buf, **save_kwargs)
    buf.seek(0)
    return buf


# ------------------------------------------------------------------ torch's files in jtorch
@pytest.mark.parametrize("name", MODELS)
def test_torch_state_dicts_load_bit_equal(name):
    sd = jtorch.load(GOLDEN / f"{name}.pt")
    assert type(sd) is collections.OrderedDict
    assert list(sd) == EXPECTED[f"{name}_keys"]
    assert {k: dict(v) for k, v in sd._metadata.items()} == EXPECTED[f"{name}_metadata"]
    for k, v in sd.items():
        check(v, f"{name}/{k}")


def _jtorch_model(name):
    jtorch.manual_seed(0)
    if name == "mlp":
        return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    if name == "cnn":
        return nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(4 * 3 * 3, 5))
    if name == "bn_net":
        return nn.Sequential(nn.Linear(4, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 2))
    if name == "lstm":
        return nn.LSTM(3, 5, num_layers=2)
    return nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1,
                          dim_feedforward=16, dropout=0.0)


@pytest.mark.parametrize("name", MODELS)
def test_torch_state_dicts_fit_jtorch_models(name):
    model = _jtorch_model(name)
    result = model.load_state_dict(jtorch.load(GOLDEN / f"{name}.pt"))
    assert repr(result) == "<All keys matched successfully>"
    for k, v in model.state_dict().items():
        check(v, f"{name}/{k}")


def test_torch_views_share_storage():
    v = jtorch.load(GOLDEN / "views.pt")
    for k, t in v.items():
        check(t, f"views/{k}")
    for k in ("t", "row", "cols", "step", "flat"):
        assert v[k]._storage is v["base"]._storage, k
    assert v["other"]._storage is not v["base"]._storage
    v["t"][2, 1] = -1.0                    # base[1, 2] through the transpose
    assert v["base"][1, 2].item() == -1.0 and v["row"][2].item() == -1.0
    assert v["flat"][3].item() == -1.0     # flat covers base.view(-1)[5:17]; 8 = 5 + 3
    v["base"].add_(1)
    assert v["cols"][1, 0].item() == 0.0


def test_torch_every_dtype():
    d = jtorch.load(GOLDEN / "dtypes.pt")
    for k, t in d.items():
        if isinstance(t, jtorch.Tensor):
            check(t, f"dtypes/{k}")
    assert d["bool_nc"]._storage is d["bool"]._storage       # the transpose shares
    assert isinstance(d["param"], nn.Parameter) and d["param"].requires_grad
    assert isinstance(d["frozen"], nn.Parameter) and not d["frozen"].requires_grad
    size, dev, dt, s, c, plain = d["extras"]
    assert type(size) is jtorch.Size and size == (2, 3)
    assert isinstance(dev, jtorch.device) and repr(dev) == "device(type='cpu')"
    assert dt is jtorch.float16
    assert (s, c, plain) == ({1, 2}, 1 + 2j, [1, "a", None, 2.5, True])


def test_torch_whole_module():
    m = jtorch.load(GOLDEN / "whole_cnn.pt", weights_only=False)
    assert type(m) is nn.Sequential and type(m[4]) is nn.Linear
    assert repr(m).startswith("Sequential(\n  (0): Conv2d(1, 4, kernel_size=(3, 3)")
    out = m(jtorch.ones(1, 1, 8, 8))
    np.testing.assert_allclose(out.detach().numpy(), EXPECTED["whole_cnn_out"], rtol=1e-6,
                               atol=1e-7)


def test_torch_legacy_format():
    d = jtorch.load(GOLDEN / "legacy.pt")
    for k, t in d.items():
        check(t, f"legacy/{k}")
    assert d["a_t"]._storage is d["a"]._storage


@pytest.mark.parametrize("name", ["adam", "sgd"])
def test_resume_training_from_torch_checkpoint(name):
    ckpt = jtorch.load(GOLDEN / f"optim_{name}.pt")
    model = _jtorch_model("mlp")
    model.load_state_dict(ckpt["model"])
    opt = (jtorch.optim.Adam(model.parameters(), lr=0.01) if name == "adam" else
           jtorch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9))
    opt.load_state_dict(ckpt["optim"])
    x, y = jtorch.tensor(ARRAYS["train/x"]), jtorch.tensor(ARRAYS["train/y"])
    losses = []
    for _ in range(3):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    np.testing.assert_allclose(losses, EXPECTED[f"optim_{name}_losses"], rtol=1e-6)


# ------------------------------------------------------------------ jtorch's files
def _sample():
    jtorch.manual_seed(0)
    base = jtorch.arange(24.0).reshape(4, 6)
    sd = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2)).state_dict()
    out = {"sd": sd, "base": base, "t": base.t(), "row": base[1], "step": base[::2, 1::3],
           "p": nn.Parameter(jtorch.ones(2)), "frozen": nn.Parameter(jtorch.ones(1), False),
           "size": jtorch.Size([3, 4]), "dev": jtorch.device("cpu"), "dt": jtorch.bfloat16,
           "misc": [1, (2.5, "x"), {"k": None}, {3}, 2j, b"raw"]}
    for name in ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16",
                 "float32", "float64", "complex64", "complex128"):
        dt = getattr(jtorch, name)
        t = (jtorch.randn(3, 2) * 20).to(dt)
        out[name] = t
        out[name + "_nc"] = t.t()
        out[name + "_0d"] = t[1, 1].clone()
        out[name + "_empty"] = jtorch.zeros(2, 0, dtype=dt)
    return out


def _same_tensor(a, b):
    assert type(a) is type(b) and repr(a.dtype) == repr(b.dtype)
    assert tuple(a.shape) == tuple(b.shape) and a.stride() == b.stride()
    assert a.storage_offset() == b.storage_offset() and a.requires_grad == b.requires_grad
    assert bits(a).tobytes() == bits(b).tobytes()


def test_jtorch_roundtrip():
    src = _sample()
    for kwargs in ({}, {"_use_new_zipfile_serialization": False}):
        got = jtorch.load(roundtrip(src, **kwargs))
        for k, v in src.items():
            if isinstance(v, jtorch.Tensor):
                _same_tensor(got[k], v)
        assert type(got["sd"]) is collections.OrderedDict
        assert got["sd"]._metadata == src["sd"]._metadata
        for k in ("size", "misc"):
            assert got[k] == src[k] and type(got[k]) is type(src[k])
        assert got["dt"] is jtorch.bfloat16 and repr(got["dev"]) == "device(type='cpu')"
        for k in ("t", "row", "step"):
            assert got[k]._storage is got["base"]._storage
        got["t"][1, 0] = 100.0
        assert got["base"][0, 1].item() == 100.0


def test_archive_layout(tmp_path):
    path = tmp_path / "ckpt.pt"
    jtorch.save({"a": jtorch.ones(3), "b": jtorch.zeros(2, dtype=jtorch.int64)}, path)
    raw = path.read_bytes()
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert names == ["ckpt/data.pkl", "ckpt/.format_version", "ckpt/.storage_alignment",
                         "ckpt/byteorder", "ckpt/data/0", "ckpt/data/1", "ckpt/version",
                         "ckpt/.data/serialization_id"]
        assert z.read("ckpt/byteorder") == b"little" and z.read("ckpt/version") == b"3\n"
        assert len(z.read("ckpt/.data/serialization_id")) == 40
        assert z.testzip() is None
        for info in z.infolist():           # every record starts 64-byte aligned
            n, e = np.frombuffer(raw[info.header_offset + 26:info.header_offset + 30], "<u2")
            assert (info.header_offset + 30 + n + e) % 64 == 0, info.filename
    buf = roundtrip([jtorch.ones(1)])
    assert zipfile.ZipFile(buf).namelist()[0] == "archive/data.pkl"


def test_mmap_and_file_objects(tmp_path):
    src = _sample()
    path = tmp_path / "m.pt"
    jtorch.save(src, str(path))
    with open(path, "rb") as fh:
        from_handle = jtorch.load(fh)
    for got in (jtorch.load(path, mmap=True), jtorch.load(str(path)), from_handle):
        for k, v in src.items():
            if isinstance(v, jtorch.Tensor):
                _same_tensor(got[k], v)
    with pytest.raises(ValueError, match="f must be a file path in order to use the mmap"):
        jtorch.load(roundtrip(src), mmap=True)
    legacy = tmp_path / "legacy.pt"     # (a mapped file must not be rewritten, as in torch)
    jtorch.save(src, legacy, _use_new_zipfile_serialization=False)
    with pytest.raises(RuntimeError, match="mmap can only be used with files saved with"):
        jtorch.load(str(legacy), mmap=True)


def test_map_location_forms():
    buf = roundtrip({"w": jtorch.arange(3.0)})
    seen = []

    def fn(storage, location):
        seen.append(location)
        return storage
    for ml in (None, "cpu", jtorch.device("cpu"), {"cpu": "cpu"}, fn,
               lambda s, loc: None):
        buf.seek(0)
        out = jtorch.load(buf, map_location=ml)
        assert out["w"].tolist() == [0.0, 1.0, 2.0] and out["w"].device.type == "cpu"
    assert seen == ["cpu"]


def _as_cuda_checkpoint():
    """A checkpoint whose storage says it was saved on cuda:0 (the location string is all
    that differs from a CPU one)."""
    data = roundtrip({"w": jtorch.arange(3.0)}).getvalue()
    zin = zipfile.ZipFile(io.BytesIO(data))
    pkl = zin.read("archive/data.pkl")
    assert pkl.count(b"X\x03\x00\x00\x00cpu") == 1
    pkl = pkl.replace(b"X\x03\x00\x00\x00cpu", b"X\x06\x00\x00\x00cuda:0")
    out = io.BytesIO()
    from jtorch.serialization._zip import ZipWriter
    zw = ZipWriter(out)
    for name in zin.namelist():
        zw.write_record(name, pkl if name.endswith("data.pkl") else zin.read(name))
    zw.close()
    out.seek(0)
    return out


@pytest.mark.skipif(jtorch.cuda.is_available(), reason="this machine has a GPU")
def test_cuda_checkpoint_needs_map_location():
    with pytest.raises(RuntimeError, match=r"Attempting to deserialize object on a CUDA device "
                       r"but torch.cuda.is_available\(\) is False.*map_location="):
        jtorch.load(_as_cuda_checkpoint())
    for ml in ("cpu", jtorch.device("cpu"), {"cuda:0": "cpu"}, lambda s, loc: s.cpu()):
        out = jtorch.load(_as_cuda_checkpoint(), map_location=ml)
        assert out["w"].tolist() == [0.0, 1.0, 2.0] and out["w"].device.type == "cpu"


def test_incompatible_keys_repr():
    m = nn.Linear(2, 3)
    ok = m.load_state_dict(m.state_dict())
    assert repr(ok) == str(ok) == "<All keys matched successfully>"
    assert type(ok).__name__ == "_IncompatibleKeys" and tuple(ok) == ([], [])
    partial = m.load_state_dict({"weight": jtorch.zeros(3, 2)}, strict=False)
    assert repr(partial) == "_IncompatibleKeys(missing_keys=['bias'], unexpected_keys=[])"
    assert partial.missing_keys == ["bias"]


# ------------------------------------------------------------------ against real torch
def _state_dict_cases(lib):
    lib.manual_seed(0)
    m = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.ReLU(), lib.nn.Linear(3, 1))
    sd = m.state_dict()
    return m, {
        "missing": {k: v for k, v in sd.items() if k != "0.bias"},
        "unexpected": dict(sd, extra=lib.zeros(1), more=lib.ones(1)),
        "both": dict({k: v for k, v in sd.items() if not k.startswith("2.")},
                     extra=lib.zeros(1)),
        "shape": dict(sd, **{"0.weight": lib.zeros(4, 2)}),
        "shape_missing": dict({k: v for k, v in sd.items() if k != "0.bias"},
                              **{"2.weight": lib.zeros(5)}),
    }


@needs_torch
@pytest.mark.parametrize("case", ["missing", "unexpected", "both", "shape", "shape_missing"])
@pytest.mark.parametrize("strict", [True, False])
def test_load_state_dict_errors_match_torch(case, strict):
    results = []
    for lib in (torch, jtorch):
        m, cases = _state_dict_cases(lib)
        try:
            r = m.load_state_dict(cases[case], strict=strict)
            results.append(("ok", repr(r), str(r), tuple(r)))
        except Exception as e:          # noqa: BLE001 (comparing the exact exception)
            results.append((type(e).__name__, str(e)))
    assert results[0] == results[1]


def test_batchnorm_missing_num_batches_tracked():
    m = nn.BatchNorm1d(2)
    sd = {k: v for k, v in m.state_dict().items() if k != "num_batches_tracked"}
    assert repr(m.load_state_dict(sd)) == "<All keys matched successfully>"


def _torch_bits(t):
    t = t.detach()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return t.numpy()


def _same_as_torch(j, t):
    assert repr(j.dtype) == repr(t.dtype) and tuple(j.shape) == tuple(t.shape)
    assert j.stride() == t.stride() and j.storage_offset() == t.storage_offset()
    assert j.requires_grad == t.requires_grad
    assert type(j).__name__ == type(t).__name__
    assert bits(j).tobytes() == _torch_bits(t).tobytes()


@needs_torch
@pytest.mark.parametrize("name", MODELS + ["views", "dtypes", "optim_adam", "legacy"])
@pytest.mark.parametrize("legacy", [False, True])
def test_jtorch_files_load_in_torch(name, legacy):
    """torch file -> jtorch.load -> jtorch.save -> torch.load equals torch's own load, with
    the same storage sharing."""
    original = torch.load(GOLDEN / f"{name}.pt")
    mine = jtorch.load(GOLDEN / f"{name}.pt")
    back = torch.load(roundtrip(mine, _use_new_zipfile_serialization=not legacy),
                      weights_only=True)
    pairs = []

    def walk(a, b, j):
        assert type(a) is type(b) or isinstance(b, torch.Tensor), (type(a), type(b))
        if isinstance(a, torch.Tensor):
            _same_as_torch(j, b)
            assert torch.equal(a, b) or a.dtype == torch.bool
            pairs.append((a, b))
        elif isinstance(a, dict):
            assert list(a) == list(b)
            if hasattr(a, "_metadata"):
                assert a._metadata == b._metadata
            for k in a:
                walk(a[k], b[k], j[k])
        elif isinstance(a, (list, tuple)) and not isinstance(a, torch.Size):
            assert len(a) == len(b)
            for x, y, z in zip(a, b, j):
                walk(x, y, z)
        else:
            assert a == b
    walk(original, back, mine)
    ptr = {}
    for a, b in pairs:                  # same sharing: one storage of a <-> one of b
        pa, pb = a.untyped_storage().data_ptr(), b.untyped_storage().data_ptr()
        assert ptr.setdefault(pa, pb) == pb


@needs_torch
def test_jtorch_whole_module_loads_in_torch():
    jtorch.manual_seed(0)
    m = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 4 * 4, 3),
                      nn.BatchNorm1d(3))
    m.eval()
    t = torch.load(roundtrip(m), weights_only=False)
    assert type(t) is torch.nn.Sequential and type(t[0]) is torch.nn.Conv2d
    assert repr(t) == repr(m)
    x = np.linspace(-1, 1, 36, dtype=np.float32).reshape(1, 1, 6, 6)
    np.testing.assert_allclose(t(torch.tensor(x)).detach().numpy(),
                               m(jtorch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6)
    with pytest.raises(pickle.UnpicklingError, match="Unsupported global"):
        torch.load(roundtrip(m))          # torch's own default refuses a whole module too


@needs_torch
def test_torch_whole_module_roundtrip_through_jtorch():
    torch.manual_seed(0)
    tm = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.LayerNorm(4))
    buf = io.BytesIO()
    torch.save(tm, buf)
    buf.seek(0)
    jm = jtorch.load(buf, weights_only=False)
    assert type(jm[2]) is nn.LayerNorm and repr(jm) == repr(tm)
    back = torch.load(roundtrip(jm), weights_only=False)
    x = torch.linspace(-1, 1, 6).reshape(2, 3)
    assert torch.equal(back(x), tm(x))


@needs_torch
def test_class_paths_table_is_torchs():
    """The recorded module table equals what torch reports now."""
    from jtorch.serialization._class_paths import TORCH_MODULE_OF
    for name, module in TORCH_MODULE_OF.items():
        cls = getattr(torch.nn, name, None)
        if cls is not None:
            assert cls.__module__ == module, name


def test_big_endian_records():
    """A file whose byteorder record says ``big`` (storages byte-swapped) loads the same."""
    from jtorch.serialization._zip import ZipWriter
    src = {"f": jtorch.arange(5.0), "c": jtorch.tensor([1 + 2j, -3j]),
           "i": jtorch.tensor([1, -2, 300], dtype=jtorch.int16)}
    zin = zipfile.ZipFile(roundtrip(src))
    itemsize = {"0": 4, "1": 4, "2": 2}         # complex64 swaps per float32 component
    out = io.BytesIO()
    zw = ZipWriter(out)
    for name in zin.namelist():
        data = zin.read(name)
        if name == "archive/byteorder":
            data = b"big"
        elif "/data/" in name:
            n = itemsize[name.rsplit("/", 1)[1]]
            data = np.frombuffer(data, f"<u{n}").astype(f">u{n}").tobytes()
        zw.write_record(name, data)
    zw.close()
    for lib in (jtorch,) + ((torch,) if torch is not None else ()):
        out.seek(0)
        got = lib.load(out)
        for k, v in src.items():
            assert got[k].tolist() == v.tolist(), (lib.__name__, k)


WHOLE = {
    "lstm": (lambda nn: nn.LSTM(3, 4, num_layers=2), (5, 2, 3)),
    "gru": (lambda nn: nn.GRU(3, 4), (5, 2, 3)),
    "encoder": (lambda nn: nn.TransformerEncoder(nn.TransformerEncoderLayer(
        8, 2, 16, dropout=0.0), 1, enable_nested_tensor=False), (3, 2, 8)),
    "norms": (lambda nn: nn.Sequential(nn.Conv2d(2, 3, 3, padding=1), nn.BatchNorm2d(3),
                                       nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.LayerNorm(3),
                                       nn.GELU()), (1, 2, 5, 5)),
}


@needs_torch
@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("name", sorted(WHOLE))
def test_whole_modules_both_ways(name):
    """torch.save(model) loads in jtorch as jtorch modules computing the same outputs, and
    jtorch's save of it loads back in torch (its pickle names torch's globals only)."""
    make, shape = WHOLE[name]
    torch.manual_seed(0)
    tm = make(torch.nn).eval()
    buf = io.BytesIO()
    torch.save(tm, buf)
    buf.seek(0)
    jm = jtorch.load(buf, weights_only=False)
    assert repr(jm) == repr(tm) and type(jm).__module__.startswith("jtorch.")
    x = np.linspace(-1, 1, int(np.prod(shape)), dtype=np.float32).reshape(shape)
    first = (lambda o: o[0] if isinstance(o, tuple) else o)
    want = first(tm(torch.tensor(x))).detach().numpy()
    np.testing.assert_allclose(first(jm(jtorch.tensor(x))).detach().numpy(), want, rtol=1e-5,
                               atol=1e-6)
    data = roundtrip(jm)
    assert b"jtorch" not in zipfile.ZipFile(data).read("archive/data.pkl")
    data.seek(0)
    back = torch.load(data, weights_only=False)
    assert type(back) is type(tm)
    np.testing.assert_array_equal(first(back(torch.tensor(x))).detach().numpy(), want)


def test_checkpoint_inside_a_larger_file():
    buf = io.BytesIO()
    buf.write(b"header bytes")
    jtorch.save({"a": jtorch.arange(3.0)}, buf)
    buf.seek(12)
    assert jtorch.load(buf)["a"].tolist() == [0.0, 1.0, 2.0]
    if torch is not None:
        buf.seek(12)
        assert torch.load(buf)["a"].tolist() == [0.0, 1.0, 2.0]
