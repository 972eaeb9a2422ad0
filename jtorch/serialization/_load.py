"""torch.load: reads torch's zip checkpoints (and legacy ones, through ``_legacy``) written by
torch or jtorch; storages are read straight into 64-byte aligned NumPy buffers (or viewed in
a memory map), which jax adopts without a copy."""
import contextlib
import io
import os
import pickle

import numpy as np

from . import _pickling, _rebuild, _weights_only
from ._zip import ZipReader

# --------------------------------------------------------------- storage locations
_packages = []     # (priority, tagger, deserializer), torch's register_package registry


def register_package(priority, tagger, deserializer):
    """Register how to tag (save) and restore (load) storages of a device type: on load the
    deserializers are tried by priority until one returns a storage."""
    if not callable(tagger):
        raise TypeError(f"tagger must be callable but got {type(tagger)}")
    if not callable(deserializer):
        raise TypeError(f"deserializer must be callable but got {type(deserializer)}")
    _packages.append((priority, tagger, deserializer))
    _packages.sort(key=lambda p: p[0])


def _cpu_tag(obj):
    return "cpu" if getattr(obj, "device", None) is not None and obj.device.type == "cpu" \
        else None


def _cpu_deserialize(obj, location):
    if location == "cpu":
        return obj.cpu() if hasattr(obj, "cpu") else obj
    return None


def _cuda_tag(obj):
    d = getattr(obj, "device", None)
    return f"cuda:{d.index or 0}" if d is not None and d.type == "cuda" else None


def _cuda_deserialize(obj, location):
    if not (location == "cuda" or location.startswith("cuda:") or
            (location.startswith("cuda") and location[4:].isdigit())):
        return None
    from .. import cuda
    from ..device import device
    index = int(location.split(":")[1]) if ":" in location else 0
    if not cuda.is_available():
        raise RuntimeError(
            "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() "
            "is False. If you are running on a CPU-only machine, please use torch.load with "
            "map_location=torch.device('cpu') to map your storages to the CPU.")
    if index >= cuda.device_count():
        raise RuntimeError(
            f"Attempting to deserialize object on CUDA device {index} but "
            f"torch.cuda.device_count() is {cuda.device_count()}. Please use torch.load with "
            "map_location to map your storages to an existing device.")
    return obj.to(device("cuda", index))


register_package(10, _cpu_tag, _cpu_deserialize)
register_package(20, _cuda_tag, _cuda_deserialize)


def default_restore_location(storage, location):
    for _, _, deserialize in _packages:
        out = deserialize(storage, location)
        if out is not None:
            return out
    raise RuntimeError(f"don't know how to restore data location of torch.storage.UntypedStorage"
                       f" (tagged with {location})")


def _restore(storage, location, map_location):
    if map_location is None:
        out = default_restore_location(storage, location)
    elif isinstance(map_location, dict):
        out = default_restore_location(storage, map_location.get(location, location))
    elif isinstance(map_location, str):
        out = default_restore_location(storage, map_location)
    elif callable(map_location):
        out = map_location(storage, location)
        if out is None:
            out = default_restore_location(storage, location)
    else:      # a torch.device
        out = default_restore_location(storage, str(map_location))
    if not isinstance(out, _rebuild.LoadedStorage):
        raise RuntimeError(f"map_location returned {type(out).__name__}, expected the storage "
                           "it was given (or one moved with .to/.cpu/.cuda)")
    return out


# --------------------------------------------------------------- reading records
def aligned_empty(nbytes):
    """A writable 64-byte aligned byte buffer (jax then uses its memory without a copy)."""
    raw = np.empty(nbytes + 64, np.uint8)
    start = (-raw.ctypes.data) % 64
    return raw[start:start + nbytes]


def _read_record(reader, name, np_dtype, nbytes, mm):
    offset, size = reader.data_offset(name)
    if size != nbytes:
        raise RuntimeError(f"PytorchStreamReader failed reading file {name}: the record holds "
                           f"{size} bytes but its storage needs {nbytes}")
    if mm is not None:
        if offset + size > mm.size:
            raise RuntimeError(f"PytorchStreamReader failed reading file {name}: file read "
                               "failed (truncated archive)")
        return mm[offset:offset + size].view(np_dtype)
    buf = aligned_empty(size)
    reader.read_into(name, buf)
    return buf.view(np_dtype)


def _ascii(x):
    return x.decode("ascii") if isinstance(x, bytes) else x


def _storage_loader(read, map_location, byteorder):
    """persistent_load for torch's storage ids: each record is read once."""
    loaded = {}

    def persistent_load(pid):
        if not isinstance(pid, tuple) or not pid or _ascii(pid[0]) != "storage":
            raise RuntimeError(f"Unknown typename for persistent_load, expected 'storage' but "
                               f"got '{_ascii(pid[0]) if isinstance(pid, tuple) and pid else pid}'")
        stype, key, location, numel = pid[1:5]
        key, location = _ascii(key), _ascii(location)
        if key in loaded:
            return loaded[key]
        if not isinstance(stype, _rebuild.StorageType):
            raise pickle.UnpicklingError(f"persistent id names {stype}, not a storage type")
        dtype = stype.dtype
        data = read(key, dtype._np, int(numel) * dtype.itemsize)
        if byteorder == "big" and dtype.itemsize > 1:
            data = data.byteswap()
        storage = _restore(_rebuild.LoadedStorage(data, dtype, location), location,
                           map_location)
        loaded[key] = storage
        return storage
    return persistent_load


class _FullUnpickler(pickle.Unpickler):
    """weights_only=False: any global, torch's names resolved to jtorch's objects."""

    def find_class(self, module, name):
        module, name = _weights_only._map_name(module, name)
        return _pickling.resolve(module, name)


def unpickle(data_file, persistent_load, weights_only, pickle_load_args):
    if weights_only:
        try:
            return _weights_only.unpickle(data_file, persistent_load, **pickle_load_args)
        except pickle.UnpicklingError as e:
            raise pickle.UnpicklingError(_weights_only.wrap_message(str(e))) from None
    unpickler = _FullUnpickler(data_file, **pickle_load_args)
    unpickler.persistent_load = persistent_load
    out = unpickler.load()
    _pickling.fix_modules(out)
    return out


def _load_zip(reader, map_location, weights_only, mm, pickle_load_args):
    data = reader.read("data.pkl")
    byteorder = reader.read("byteorder").decode() if reader.has("byteorder") else "little"

    def read(key, np_dtype, nbytes):
        return _read_record(reader, f"data/{key}", np_dtype, nbytes, mm)
    persistent_load = _storage_loader(read, map_location, byteorder)
    return unpickle(io.BytesIO(data), persistent_load, weights_only, pickle_load_args)


# --------------------------------------------------------------- torch.load
@contextlib.contextmanager
def _opened(f):
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as fh:
            yield fh
        return
    if not (hasattr(f, "read") and hasattr(f, "seek")):
        raise AttributeError(f"'{type(f).__name__}' object has no attribute 'read'")
    try:
        f.seek(f.tell())
    except (OSError, AttributeError, io.UnsupportedOperation):
        yield io.BytesIO(f.read())      # a pipe or socket: torch needs seek too, so buffer it
        return
    yield f


def _is_zip(fh):
    start = fh.tell()
    head = fh.read(4)
    fh.seek(start)
    return head == b"PK\x03\x04"


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
         **pickle_load_args):
    """Read a checkpoint written by torch.save (torch's or jtorch's)."""
    if weights_only is None:
        weights_only = pickle_module is None
    elif weights_only and pickle_module is not None:
        raise RuntimeError("Can not safely load weights when explicit pickle_module is "
                           "specified")
    pickle_load_args.setdefault("encoding", "utf-8")
    with _opened(f) as fh:
        if _is_zip(fh):
            reader = ZipReader(fh)
            mm = None
            if mmap:
                if not isinstance(f, (str, os.PathLike)):
                    raise ValueError("f must be a file path in order to use the mmap argument")
                mm = np.memmap(f, dtype=np.uint8, mode="c")
            return _load_zip(reader, map_location, weights_only, mm, pickle_load_args)
        if mmap:
            name = f"{f}, " if isinstance(f, str) else ""
            raise RuntimeError("mmap can only be used with files saved with "
                               f"`torch.save({name}_use_new_zipfile_serialization=True), please "
                               "torch.save your checkpoint with this option in order to use "
                               "mmap.")
        from ._legacy import load_legacy
        return load_legacy(fh, map_location, weights_only, pickle_load_args)


def get_unsafe_globals_in_checkpoint(f):
    """The globals a checkpoint names that weights_only=True would refuse (nothing is run)."""
    with _opened(f) as fh:
        if not _is_zip(fh):
            raise ValueError("Expected input to be a checkpoint returned by torch.save")
        data = ZipReader(fh).read("data.pkl")
    return _weights_only.unsafe_globals(data)
