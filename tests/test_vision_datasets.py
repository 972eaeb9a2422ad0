"""jtorch.vision.datasets against torchvision 0.28.0 on small files written in torchvision's
on-disk layouts."""
import hashlib
import pickle

import numpy as np
import pytest

import jtorch
import jtorch.vision as jv
from tests.vision_ref import load

torch, tv = load()
Image = pytest.importorskip("PIL.Image")

_RNG = np.random.default_rng(2)


def _same_items(jd, td):
    assert len(jd) == len(td)
    assert repr(jd) == repr(td)
    for i in range(len(td)):
        (ji, jt), (ti, tt) = jd[i], td[i]
        assert jt == tt and type(jt) is type(tt)
        if isinstance(ti, Image.Image):
            assert ji.mode == ti.mode and np.array_equal(np.asarray(ji), np.asarray(ti))
        else:
            assert repr(ji.dtype) == repr(ti.dtype) and np.array_equal(ji.numpy(), ti.numpy())


def _idx(path, arr):
    header = (0x08 << 8 | arr.ndim).to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in arr.shape)
    path.write_bytes(header + arr.astype(np.uint8).tobytes())


@pytest.mark.parametrize("name", ["MNIST", "FashionMNIST"])
def test_mnist(tmp_path, name):
    raw = tmp_path / name / "raw"
    raw.mkdir(parents=True)
    for split, n in (("train", 5), ("t10k", 3)):
        _idx(raw / f"{split}-images-idx3-ubyte", _RNG.integers(0, 256, (n, 28, 28)))
        _idx(raw / f"{split}-labels-idx1-ubyte", _RNG.integers(0, 10, (n,)))
    for train in (True, False):
        kw = dict(root=str(tmp_path), train=train)
        jd, td = getattr(jv.datasets, name)(**kw), getattr(tv.datasets, name)(**kw)
        _same_items(jd, td)
        assert jd.classes == td.classes and jd.class_to_idx == td.class_to_idx
        assert np.array_equal(jd.data.numpy(), td.data.numpy()) and jd.targets.dtype == jtorch.int64
    with_t = dict(root=str(tmp_path), transform=tv.transforms.ToTensor())
    td = getattr(tv.datasets, name)(**with_t)
    jd = getattr(jv.datasets, name)(**dict(with_t, transform=jv.transforms.ToTensor()))
    _same_items(jd, td)


@pytest.mark.parametrize("name", ["MNIST", "CIFAR10", "ImageFolder"])
def test_missing_dataset(tmp_path, name):
    got = []
    for lib in (tv, jv):
        with pytest.raises(Exception) as info:
            getattr(lib.datasets, name)(str(tmp_path / "nowhere" if name == "ImageFolder" else tmp_path))
        got.append((type(info.value), str(info.value)))
    assert got[0] == got[1]


def _md5(path):
    return hashlib.md5(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", ["CIFAR10", "CIFAR100"])
def test_cifar(tmp_path, name, monkeypatch):
    base = tmp_path / tv.datasets.__dict__[name].base_folder
    base.mkdir()
    fine = name == "CIFAR100"
    lists = {}
    for kind, files in (("train_list", ["train"] if fine else [f"data_batch_{i}" for i in range(1, 6)]),
                        ("test_list", ["test"] if fine else ["test_batch"])):
        entries = []
        for f in files:
            entry = {"data": _RNG.integers(0, 256, (2, 3072), dtype=np.uint8),
                     ("fine_labels" if fine else "labels"): _RNG.integers(0, 10, 2).tolist()}
            (base / f).write_bytes(pickle.dumps(entry))
            entries.append([f, _md5(base / f)])
        lists[kind] = entries
    meta_name = "meta" if fine else "batches.meta"
    (base / meta_name).write_bytes(pickle.dumps({("fine_label_names" if fine else "label_names"): list("abcdefghij")}))
    meta = {"filename": meta_name, "key": "fine_label_names" if fine else "label_names", "md5": _md5(base / meta_name)}
    for lib in (tv, jv):  # the checksums of these stand-in files
        cls = getattr(lib.datasets, name)
        monkeypatch.setattr(cls, "train_list", lists["train_list"])
        monkeypatch.setattr(cls, "test_list", lists["test_list"])
        monkeypatch.setattr(cls, "meta", meta)
    for train in (True, False):
        jd = getattr(jv.datasets, name)(str(tmp_path), train=train)
        td = getattr(tv.datasets, name)(str(tmp_path), train=train)
        _same_items(jd, td)
        assert jd.classes == td.classes and jd.class_to_idx == td.class_to_idx


def test_image_folder(tmp_path):
    for cls, n in (("dog", 2), ("cat", 3), ("zebra", 1)):
        (tmp_path / cls / "sub").mkdir(parents=True)
        for i in range(n):
            arr = _RNG.integers(0, 256, (5, 6, 3), dtype=np.uint8)
            Image.fromarray(arr).save(tmp_path / cls / ("sub" if i == 2 else "") / f"{i}.png")
        (tmp_path / cls / "notes.txt").write_text("not an image")
    jd, td = jv.datasets.ImageFolder(str(tmp_path)), tv.datasets.ImageFolder(str(tmp_path))
    _same_items(jd, td)
    assert (jd.classes, jd.class_to_idx, jd.samples, jd.targets) == (td.classes, td.class_to_idx, td.samples, td.targets)
    jd = jv.datasets.DatasetFolder(str(tmp_path), loader=lambda p: open(p).read(), extensions=(".txt",))
    td = tv.datasets.DatasetFolder(str(tmp_path), loader=lambda p: open(p).read(), extensions=(".txt",))
    assert [jd[i] for i in range(len(jd))] == [td[i] for i in range(len(td))]
    (tmp_path / "empty").mkdir()
    got = []
    for lib in (tv, jv):
        with pytest.raises(FileNotFoundError) as info:
            lib.datasets.ImageFolder(str(tmp_path))
        got.append(str(info.value))
    assert got[0] == got[1]


def test_fake_data():
    torch.manual_seed(9)
    jtorch.manual_seed(9)
    kw = dict(size=3, image_size=(3, 8, 10), num_classes=4, random_offset=5)
    td = tv.datasets.FakeData(**kw, transform=tv.transforms.ToTensor())
    jd = jv.datasets.FakeData(**kw, transform=jv.transforms.ToTensor())
    _same_items(jd, td)
    # the global generator is left where it was
    assert np.array_equal(jtorch.rand(3).numpy(), torch.rand(3).numpy())
