"""torch.load's safety and robustness: the weights_only=True default refuses anything beyond
tensors and plain data with torch's messages (a pickle that would run a command never runs
it), the safe-globals API, and bad files (every truncation, corruption, non-torch files)
raise torch's exception types instead of returning a partial object."""
import io
import os
import pathlib
import pickle
import zipfile

import pytest

import jtorch
from jtorch import serialization
from jtorch.serialization._zip import ZipWriter

try:
    import torch
except ImportError:
    torch = None
needs_torch = pytest.mark.skipif(torch is None, reason="compares with torch")

GOLDEN = pathlib.Path(__file__).parent / "golden" / "serialization"
BAD_FILE = (RuntimeError, pickle.UnpicklingError, EOFError)


class Point:
    """A user class: not on the allow-list."""

    def __init__(self, x, y):
        self.x, self.y = x, y


class _RunCommand:
    def __init__(self, func, command):
        self.func, self.command = func, command

    def __reduce__(self):
        return (self.func, (self.command,))


def _archive(pkl, extra=()):
    """A torch-format zip around a hand-made pickle."""
    out = io.BytesIO()
    zw = ZipWriter(out)
    zw.write_record("archive/data.pkl", pkl)
    for name, data in extra:
        zw.write_record(name, data)
    zw.write_record("archive/version", b"3\n")
    zw.close()
    return out.getvalue()


def _saved(obj, **kwargs):
    buf = io.BytesIO()
    jtorch.save(obj, buf, **kwargs)
    return buf.getvalue()


def _error(lib, data, **kwargs):
    with pytest.raises(Exception) as info:
        lib.load(io.BytesIO(data), **kwargs)
    return info.value


# ------------------------------------------------------------------ malicious pickles
@pytest.mark.parametrize("func", [os.system, eval])
def test_command_pickle_never_runs(tmp_path, func):
    marker = tmp_path / "ran"
    command = (f"touch {marker}" if func is os.system else
               f"open({str(marker)!r}, 'w').close()")
    pkl = pickle.dumps({"w": 1, "evil": _RunCommand(func, command)}, protocol=2)
    for data in (_archive(pkl), _legacy_bytes(pkl)):
        err = _error(jtorch, data)
        assert type(err) is pickle.UnpicklingError
        assert "Weights only load failed" in str(err) and "weights_only" in str(err)
        if func is eval:
            assert "Unsupported global: GLOBAL eval was not an allowed global by default" in \
                str(err)
            assert "torch.serialization.add_safe_globals([eval])" in str(err)
        else:
            assert f"Trying to load unsupported GLOBAL {os.name == 'nt' and 'nt' or 'posix'}" \
                ".system whose module" in str(err)
        assert not marker.exists()
    # the crafted file is real: the unsafe mode does run it
    jtorch.load(io.BytesIO(_archive(pkl)), weights_only=False)
    assert marker.exists()


def _legacy_bytes(pkl):
    head = b"".join(pickle.dumps(x, protocol=2) for x in (
        serialization.MAGIC_NUMBER, serialization.PROTOCOL_VERSION, {"little_endian": True}))
    return head + pkl + pickle.dumps([], protocol=2)


@needs_torch
@pytest.mark.parametrize("func", [os.system, eval, pathlib.Path])
def test_refusal_messages_match_torch(func, tmp_path):
    pkl = pickle.dumps(_RunCommand(func, str(tmp_path / "x")), protocol=2)
    for data in (_archive(pkl), _legacy_bytes(pkl)):
        mine, theirs = _error(jtorch, data), _error(torch, data)
        assert (type(mine), str(mine)) == (type(theirs), str(theirs))


# ------------------------------------------------------------------ the allow-list
def test_user_class_needs_safe_globals():
    data = _saved({"p": Point(1, 2), "t": jtorch.ones(2)})
    err = _error(jtorch, data)
    name = f"{__name__}.Point"
    assert type(err) is pickle.UnpicklingError
    assert f"GLOBAL {name} was not an allowed global by default" in str(err)
    assert f"torch.serialization.add_safe_globals([{name}])" in str(err)
    assert serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(data)) == [name]
    with serialization.safe_globals([Point]):
        got = jtorch.load(io.BytesIO(data))
        assert serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(data)) == []
    assert (got["p"].x, got["p"].y) == (1, 2) and got["t"].tolist() == [1.0, 1.0]
    with pytest.raises(pickle.UnpicklingError):
        jtorch.load(io.BytesIO(data))
    try:
        serialization.add_safe_globals([(Point, name)])
        assert serialization.get_safe_globals() == [(Point, name)]
        assert jtorch.load(io.BytesIO(data))["p"].y == 2
    finally:
        serialization.clear_safe_globals()
    assert serialization.get_safe_globals() == []
    assert jtorch.load(io.BytesIO(data), weights_only=False)["p"].x == 1


@needs_torch
def test_user_class_message_matches_torch():
    data = _saved({"p": Point(1, 2)})
    mine, theirs = _error(jtorch, data), _error(torch, data)
    assert (type(mine), str(mine)) == (type(theirs), str(theirs))
    assert torch.serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(data)) == \
        serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(data))


def test_whole_module_refused_by_default():
    data = _saved(jtorch.nn.Linear(2, 2))
    err = _error(jtorch, data)
    assert "GLOBAL torch.nn.modules.linear.Linear was not an allowed global" in str(err)
    assert type(jtorch.load(io.BytesIO(data), weights_only=False)) is jtorch.nn.Linear
    with pytest.raises(RuntimeError, match="Can not safely load weights when explicit "
                       "pickle_module is specified"):
        jtorch.load(io.BytesIO(data), pickle_module=pickle, weights_only=True)


def test_allowed_builtins_and_containers():
    import collections
    obj = {"set": {1, 2}, "complex": 1 - 2j, "bytes": b"\x00\xff", "ba": bytearray(b"ab"),
           "od": collections.OrderedDict(a=1), "counter": collections.Counter("aab"),
           "nested": [(1, 2.5), {"k": None}], "size": jtorch.Size([2])}
    got = jtorch.load(io.BytesIO(_saved(obj)))
    assert got == obj and type(got["od"]) is collections.OrderedDict


# ------------------------------------------------------------------ bad files
def _truncation_cases():
    return {"torch_mlp": (GOLDEN / "mlp.pt").read_bytes(),
            "jtorch": _saved({"w": jtorch.arange(4.0), "v": jtorch.ones(2, 2).t()}),
            "legacy": (GOLDEN / "legacy.pt").read_bytes()}


@pytest.mark.parametrize("case", ["torch_mlp", "jtorch", "legacy"])
def test_every_truncation_raises(case):
    data = _truncation_cases()[case]
    kinds = []
    for n in range(len(data)):
        with pytest.raises(BAD_FILE) as info:
            jtorch.load(io.BytesIO(data[:n]))
        kinds.append(type(info.value))
        if case != "legacy" and n >= 4:
            assert "PytorchStreamReader failed reading zip archive" in str(info.value)
    assert jtorch.load(io.BytesIO(data))        # the whole file loads


@needs_torch
@pytest.mark.parametrize("case", ["torch_mlp", "jtorch"])
def test_truncation_errors_match_torch(case):
    data = _truncation_cases()[case]
    for n in range(0, len(data), 7):
        mine, theirs = _error(jtorch, data[:n]), _error(torch, data[:n])
        assert type(mine) is type(theirs), n
        if isinstance(theirs, RuntimeError):
            assert str(mine) == str(theirs), n


@pytest.mark.filterwarnings("ignore:Detected pickle protocol")
def test_corrupt_pickle_bytes_raise_or_load():
    data = (GOLDEN / "mlp.pt").read_bytes()
    zf = zipfile.ZipFile(io.BytesIO(data))
    name = zf.namelist()[0]
    pkl = zf.read(name)
    others = [(n, zf.read(n)) for n in zf.namelist()[1:]]
    for i in range(len(pkl)):
        bad = bytearray(pkl)
        bad[i] ^= 0xFF
        out = io.BytesIO()
        zw = ZipWriter(out)
        zw.write_record(name, bytes(bad))
        for n, d in others:
            zw.write_record(n, d)
        zw.close()
        try:
            jtorch.load(io.BytesIO(out.getvalue()))
        except BAD_FILE:
            pass


def test_non_torch_files():
    err = _error(jtorch, b"hello world")
    assert type(err) is pickle.UnpicklingError
    assert type(_error(jtorch, b"")) is EOFError
    flat = io.BytesIO()
    with zipfile.ZipFile(flat, "w") as z:
        z.writestr("x.txt", "hi")
    err = _error(jtorch, flat.getvalue())
    assert type(err) is RuntimeError and "file in archive is not in a subdirectory: x.txt" in \
        str(err)
    err = _error(jtorch, _archive(b"", extra=()).replace(b"data.pkl", b"data.pkX"))
    assert type(err) is RuntimeError and "failed locating file data.pkl" in str(err)
    pkl = _saved(jtorch.ones(3))
    short = zipfile.ZipFile(io.BytesIO(pkl)).read("archive/data.pkl")
    err = _error(jtorch, _archive(short, [("archive/data/0", b"\x00" * 8)]))
    assert type(err) is RuntimeError and "archive/data/0" not in str(err) and \
        "data/0" in str(err)
    with pytest.raises(FileNotFoundError):
        jtorch.load("/nonexistent/ckpt.pt")


def test_failed_load_state_dict_reports_all_problems():
    m = jtorch.nn.Linear(2, 3)
    with pytest.raises(RuntimeError) as info:
        m.load_state_dict({"weight": jtorch.zeros(4, 2), "extra": jtorch.zeros(1)})
    assert str(info.value) == (
        "Error(s) in loading state_dict for Linear:\n\tMissing key(s) in state_dict: \"bias\". "
        "\n\tUnexpected key(s) in state_dict: \"extra\". \n\tsize mismatch for weight: copying "
        "a param with shape torch.Size([4, 2]) from checkpoint, the shape in current model is "
        "torch.Size([3, 2]).")
