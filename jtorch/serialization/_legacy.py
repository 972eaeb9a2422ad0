"""torch's pre-1.6 checkpoint format (``_use_new_zipfile_serialization=False``): a magic
number, the protocol version and system info, the object's pickle, the sorted list of
storage keys, then each storage as an int64 element count and its raw bytes.

The storages' bytes come after the pickle that builds the tensors, so loading unpickles the
object over placeholder storages (sized from their persistent ids) and then fills them:
a jtorch ``Storage`` is a mutable cell, so the tensors see the values.
"""
import pickle
import struct
import sys

import jax

from . import _rebuild, _weights_only
from ._load import _restore, _ascii, aligned_empty, unpickle

MAGIC_NUMBER = 0x1950A86A20F9469CFC6C
PROTOCOL_VERSION = 1001


def _plain(fh, weights_only, args):
    """One of the header pickles (plain ints and dicts)."""
    if weights_only:
        try:
            return _weights_only.unpickle(fh, _no_storage, **args)
        except pickle.UnpicklingError as e:
            raise pickle.UnpicklingError(_weights_only.wrap_message(str(e))) from None
    return pickle.load(fh, **args)


def _no_storage(pid):
    raise pickle.UnpicklingError("unsupported persistent id encountered")


def load_legacy(fh, map_location, weights_only, args):
    magic = _plain(fh, weights_only, args)
    if magic != MAGIC_NUMBER:
        raise RuntimeError("Invalid magic number; corrupt file?")
    version = _plain(fh, weights_only, args)
    if version != PROTOCOL_VERSION:
        raise RuntimeError(f"Invalid protocol version: {version}")
    sys_info = _plain(fh, weights_only, args)
    if isinstance(sys_info, dict) and sys_info.get("little_endian") is False:
        raise RuntimeError("jtorch cannot load big-endian legacy checkpoints")
    storages = {}

    def persistent_load(pid):
        if not isinstance(pid, tuple) or not pid or _ascii(pid[0]) != "storage":
            raise RuntimeError(f"Unknown saved id type: {pid[0] if pid else pid}")
        stype, key, location, numel, view = pid[1:6]
        key, location = _ascii(key), _ascii(location)
        if view is not None:
            raise RuntimeError("jtorch cannot load legacy checkpoints of storage views")
        if key not in storages:
            placeholder = _rebuild.LoadedStorage(None, stype.dtype, location, int(numel))
            storages[key] = _restore(placeholder, location, map_location)
        return storages[key]

    obj = unpickle(fh, persistent_load, weights_only, args)
    keys = _plain(fh, weights_only, args)
    for key in keys:
        _fill(fh, storages.get(key), key)
    return obj


def _fill(fh, storage, key):
    head = fh.read(8)
    if len(head) != 8:
        raise RuntimeError(f"unexpected end of file reading legacy storage {key}")
    (numel,) = struct.unpack("<q", head)
    if storage is None:
        raise RuntimeError(f"legacy checkpoint lists storage {key} that no tensor uses")
    if numel != storage.numel:
        raise RuntimeError(f"legacy storage {key} holds {numel} elements, its tensors expect "
                           f"{storage.numel}")
    dtype = storage.dtype
    buf = aligned_empty(numel * dtype.itemsize)
    if fh.readinto(buf) != buf.nbytes:
        raise RuntimeError(f"unexpected end of file reading legacy storage {key}")
    data = buf.view(dtype._np)
    st = storage._storage
    if st is None:
        storage.data = data
    else:
        from ..device import as_device, jax_device
        st.array = jax.device_put(data, jax_device(as_device(storage.device))).reshape(
            st.array.shape)


def save_legacy(obj, f, protocol):
    from ._save import TorchPickler
    sys_info = {"protocol_version": PROTOCOL_VERSION, "little_endian": sys.byteorder == "little",
                "type_sizes": {"short": 2, "int": 4, "long": 8}}
    pickle.dump(MAGIC_NUMBER, f, protocol=protocol)
    pickle.dump(PROTOCOL_VERSION, f, protocol=protocol)
    pickle.dump(sys_info, f, protocol=protocol)
    pickler = TorchPickler(f, protocol, legacy=True)
    pickler.dump(obj)
    keys = sorted(pickler.storages)
    pickle.dump(keys, f, protocol=protocol)
    for key in keys:
        f.write(struct.pack("<q", pickler.numels[key]))
        f.write(memoryview(pickler.storages[key]))
    if hasattr(f, "flush"):
        f.flush()
