"""MNIST and FashionMNIST from torchvision's on-disk layout: root/<Name>/raw/*-ubyte (the IDX
files, gunzipped). Nothing is downloaded."""
import os

import numpy as np

import jtorch as torch

from ..transforms import _pil_ops
from .vision import _LocalSplit

_IDX_TYPES = {8: ">u1", 9: ">i1", 11: ">i2", 12: ">i4", 13: ">f4", 14: ">f8"}


def read_sn3_pascalvincent_tensor(path, strict=True):
    """An IDX file: a big-endian magic (type code * 256 + ndim), the dims, then the data."""
    with open(path, "rb") as f:
        raw = f.read()
    magic = int.from_bytes(raw[0:4], "big")
    nd, ty = magic % 256, magic // 256
    if not (1 <= nd <= 3 and 8 <= ty <= 14):
        raise AssertionError
    dims = [int.from_bytes(raw[4 * (i + 1):4 * (i + 2)], "big") for i in range(nd)]
    arr = np.frombuffer(raw, dtype=_IDX_TYPES[ty], offset=4 * (nd + 1))
    if strict and arr.shape[0] != int(np.prod(dims)):
        raise AssertionError
    return torch.as_tensor(arr.astype(arr.dtype.newbyteorder("="))).view(*dims)


def read_label_file(path):
    x = read_sn3_pascalvincent_tensor(path, strict=False)
    if x.dtype != torch.uint8 or x.ndimension() != 1:
        raise TypeError(f"x should be of dtype torch.uint8 and of ndimension 1, got {x.dtype} and {x.ndimension()}")
    return x.long()


def read_image_file(path):
    x = read_sn3_pascalvincent_tensor(path, strict=False)
    if x.dtype != torch.uint8 or x.ndimension() != 3:
        raise TypeError(f"x should be of dtype torch.uint8 and of ndimension 3, got {x.dtype} and {x.ndimension()}")
    return x


class MNIST(_LocalSplit):
    resources = [("train-images-idx3-ubyte.gz", None), ("train-labels-idx1-ubyte.gz", None),
                 ("t10k-images-idx3-ubyte.gz", None), ("t10k-labels-idx1-ubyte.gz", None)]
    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six",
               "7 - seven", "8 - eight", "9 - nine"]

    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        super().__init__(root, train, transform, target_transform, download)
        split = "train" if self.train else "t10k"
        self.data = read_image_file(os.path.join(self.raw_folder, f"{split}-images-idx3-ubyte"))
        self.targets = read_label_file(os.path.join(self.raw_folder, f"{split}-labels-idx1-ubyte"))

    def __getitem__(self, index):
        img, target = self.data[index], int(self.targets[index])
        _pil_ops.require()
        return self._transformed(_pil_ops.Image.fromarray(img._host(), mode="L"), target)

    def __len__(self):
        return len(self.data)

    @property
    def raw_folder(self):
        return os.path.join(self.root, type(self).__name__, "raw")

    @property
    def processed_folder(self):
        return os.path.join(self.root, type(self).__name__, "processed")

    @property
    def class_to_idx(self):
        return {c: i for i, c in enumerate(self.classes)}

    def _check_exists(self):
        return all(os.path.isfile(os.path.join(self.raw_folder, os.path.splitext(name)[0]))
                   for name, _ in self.resources)

    def _files_present(self):
        return self._check_exists()

    def _files_home(self):
        return f"put torchvision's files under {self.raw_folder}"


class FashionMNIST(MNIST):
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
               "Bag", "Ankle boot"]


class KMNIST(MNIST):
    """Kuzushiji-MNIST: MNIST's file layout, ten hiragana classes."""
    classes = ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"]
