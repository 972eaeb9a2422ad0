"""VisionDataset and StandardTransform (torchvision.datasets.vision)."""
import os

from jtorch.utils import data


class VisionDataset(data.Dataset):
    _repr_indent = 4

    def __init__(self, root=None, transforms=None, transform=None, target_transform=None):
        if isinstance(root, str):
            root = os.path.expanduser(root)
        self.root = root
        separate = transform is not None or target_transform is not None
        if transforms is not None and separate:
            raise ValueError("Only transforms or transform/target_transform can be passed as argument")
        self.transform, self.target_transform = transform, target_transform
        if separate:
            transforms = StandardTransform(transform, target_transform)
        self.transforms = transforms

    def __getitem__(self, index):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError

    def __repr__(self):
        body = [f"Number of datapoints: {self.__len__()}"]
        if self.root is not None:
            body.append(f"Root location: {self.root}")
        body += self.extra_repr().splitlines()
        if getattr(self, "transforms", None) is not None:
            body += [repr(self.transforms)]
        return "\n".join(["Dataset " + type(self).__name__] + [" " * self._repr_indent + b for b in body])

    def _format_transform_repr(self, transform, head):
        return _indented(transform, head)

    def extra_repr(self):
        return ""

    def _transformed(self, sample, target):
        """(sample, target) through ``transform`` and ``target_transform``, as each dataset's
        ``__getitem__`` returns them."""
        return _apply(self.transform, self.target_transform, sample, target)


class _LocalSplit(VisionDataset):
    """A dataset with a train/test split, read from the files torchvision leaves under root.
    jtorch downloads nothing: ``download()`` passes when the files are there and otherwise
    says where they belong. Subclasses name the check (``_files_present``), torchvision's
    message when the files are missing, and where they belong (``_files_home``)."""

    _missing = "Dataset not found. You can use download=True to download it"

    def __init__(self, root, train, transform, target_transform, download):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        if download:
            self.download()
        if not self._files_present():
            raise RuntimeError(self._missing)

    def download(self):
        if not self._files_present():
            raise RuntimeError(f"jtorch.vision does not download datasets: {self._files_home()}")

    def extra_repr(self):
        return f"Split: {'Train' if self.train is True else 'Test'}"


def _apply(transform, target_transform, sample, target):
    if transform is not None:
        sample = transform(sample)
    if target_transform is not None:
        target = target_transform(target)
    return sample, target


def _indented(transform, head):
    lines = repr(transform).splitlines()
    return [f"{head}{lines[0]}"] + [" " * len(head) + line for line in lines[1:]]


class StandardTransform:
    def __init__(self, transform=None, target_transform=None):
        self.transform, self.target_transform = transform, target_transform

    def __call__(self, input, target):
        return _apply(self.transform, self.target_transform, input, target)

    def __repr__(self):
        body = [type(self).__name__]
        if self.transform is not None:
            body += _indented(self.transform, "Transform: ")
        if self.target_transform is not None:
            body += _indented(self.target_transform, "Target transform: ")
        return "\n".join(body)
