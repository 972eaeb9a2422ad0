"""jtorch.utils.tensorboard.SummaryWriter: event files read back through TensorBoard's own
EventAccumulator hold the logged values, and the same records torch's SummaryWriter writes."""
import os
import subprocess
import sys

import numpy as np
import pytest

import jtorch

pytest.importorskip("tensorboard")
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator  # noqa: E402

from jtorch.utils.tensorboard import SummaryWriter  # noqa: E402

_SIZE = {"images": 0, "histograms": 0, "scalars": 0, "tensors": 0}


def _log(m, SW, log_dir):
    """The same logging calls on framework `m` with its SummaryWriter class `SW`."""
    with SW(log_dir=str(log_dir)) as w:
        for step in range(3):
            w.add_scalar("loss", 1.0 / (step + 1), step)
            w.add_scalar("acc", m.tensor(0.25 * step), step)
        w.add_scalars("run", {"a": 1.5, "b": m.tensor(2.5)}, 7)
        rng = np.random.default_rng(0)
        w.add_histogram("weights", m.from_numpy(rng.normal(size=500).astype(np.float32)), 1)
        w.add_histogram("ints", np.arange(10), 2, bins=4)
        w.add_image("img", m.from_numpy(rng.random((3, 8, 6), dtype=np.float32)), 0)
        w.add_images("batch", m.from_numpy(rng.integers(0, 256, (5, 1, 4, 4), dtype=np.uint8)), 0)
        w.add_image("hwc", rng.random((4, 5, 3)), 1, dataformats="HWC")
        w.add_text("note", "hello jtorch", 3)
        w.add_hparams({"lr": 0.1, "bs": 16, "opt": "sgd", "flag": True},
                      {"hparam/acc": 0.75}, run_name="hp")


def _events(log_dir):
    acc = EventAccumulator(str(log_dir), size_guidance=_SIZE)
    acc.Reload()
    return acc


def _strip(events):
    return [(e.step, e.value) for e in events]


def test_values_read_back(tmp_path):
    _log(jtorch, SummaryWriter, tmp_path)
    acc = _events(tmp_path)
    assert _strip(acc.Scalars("loss")) == [(0, 1.0), (1, 0.5), (2, pytest.approx(1 / 3))]
    assert _strip(acc.Scalars("acc")) == [(0, 0.0), (1, 0.25), (2, 0.5)]
    hist = acc.Histograms("weights")[0].histogram_value
    assert hist.num == 500 and sum(hist.bucket) == 500
    ints = acc.Histograms("ints")[0].histogram_value
    assert (ints.min, ints.max, ints.sum, ints.sum_squares) == (0, 9, 45, 285)
    img = acc.Images("img")[0]
    assert (img.height, img.width, img.step) == (8, 6, 0)
    assert (acc.Images("batch")[0].height, acc.Images("batch")[0].width) == (4, 20)
    text = acc.Tensors("note/text_summary")[0]
    assert text.step == 3 and text.tensor_proto.string_val == [b"hello jtorch"]
    run_a = _events(tmp_path / "run_a")
    assert _strip(run_a.Scalars("run")) == [(7, 1.5)]
    hp = _events(tmp_path / "hp")
    assert _strip(hp.Scalars("hparam/acc")) == [(0, 0.75)]
    assert set(hp.PluginTagToContent("hparams")) == {
        "_hparams_/experiment", "_hparams_/session_start_info", "_hparams_/session_end_info"}


def _records(log_dir):
    """Every record of every event file under log_dir, by run, without wall times."""
    from tensorboard.backend.event_processing.event_file_loader import EventFileLoader
    out = {}
    for root, _, files in os.walk(log_dir):
        for name in sorted(files):
            run = os.path.relpath(root, log_dir)
            for event in EventFileLoader(os.path.join(root, name)).Load():
                event.wall_time = 0
                out.setdefault(run, []).append(event.SerializeToString())
    return out


def test_records_equal_torch(tmp_path):
    torch = pytest.importorskip("torch")
    from torch.utils.tensorboard import SummaryWriter as TorchWriter
    _log(jtorch, SummaryWriter, tmp_path / "j")
    _log(torch, TorchWriter, tmp_path / "t")
    mine, theirs = _records(tmp_path / "j"), _records(tmp_path / "t")
    assert sorted(mine) == sorted(theirs)
    for run in theirs:
        assert mine[run] == theirs[run], run


def test_default_log_dir_and_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    w = SummaryWriter(comment="_x")
    assert w.get_logdir().startswith("runs" + os.sep) and w.get_logdir().endswith("_x")
    with pytest.raises(NotImplementedError, match="add_graph"):
        w.add_graph(jtorch.nn.Linear(2, 2), jtorch.zeros(1, 2))
    with pytest.raises(TypeError, match="hparam_dict and metric_dict should be dictionary"):
        w.add_hparams([1], {})
    with pytest.raises(AssertionError, match="Tensor should contain one element"):
        w.add_scalar("bad", jtorch.zeros(2))
    w.close()
    w.close()  # a second close does nothing, as torch's


def test_missing_tensorboard_says_so():
    code = ("import sys; sys.modules['tensorboard'] = None\n"
            "try:\n    import jtorch.utils.tensorboard\n"
            "except ModuleNotFoundError as e:\n    print(type(e).__name__, '|', e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ModuleNotFoundError | No module named 'tensorboard'")
    assert "jtorch[tensorboard]" in out.stdout
