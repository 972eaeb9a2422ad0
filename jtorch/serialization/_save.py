"""torch.save: the pickle names only torch's globals, storages go out as persistent ids and
their bytes as separate records (zip format) or after the pickle (legacy format)."""
import collections
import copyreg
import io
import os
import pickle
import random
import types

import numpy as np

from .. import _dtypes, _views
from .._tensor import Tensor
from ..device import device as _device
from . import _rebuild
from ._pickling import TorchName, torch_name
from ._zip import ZipWriter

_REBUILD_V2 = TorchName("torch._utils", "_rebuild_tensor_v2")
_REBUILD_V3 = TorchName("torch._utils", "_rebuild_tensor_v3")
_REBUILD_PARAM = TorchName("torch._utils", "_rebuild_parameter")


class _StorageRef:
    """Stands in a tensor's reduce arguments for its storage: the pickler writes it as a
    persistent id."""

    __slots__ = ("pid",)

    def __init__(self, pid):
        self.pid = pid


class TorchPickler(pickle._Pickler):
    """The pure-Python pickler (its ``save_global`` can be replaced, the C one's cannot),
    writing torch's names for jtorch objects; collects each storage's bytes by key."""

    def __init__(self, file, protocol, legacy=False):
        super().__init__(file, protocol)
        self.legacy = legacy
        self.storages = {}       # key -> the storage's bytes (a flat uint8 NumPy view)
        self._dtypes = {}        # key -> the storage's NumPy dtype
        self.numels = {}         # key -> the numel its persistent id states
        self._keys = {}          # id(jtorch Storage) -> key
        self._alive = []         # keeps the Storages alive so their ids stay unique

    def persistent_id(self, obj):
        return obj.pid if type(obj) is _StorageRef else None

    def reducer_override(self, obj):
        if isinstance(obj, Tensor):
            return self._reduce_tensor(obj)
        if isinstance(obj, _module_class()):
            return _reduce_module(obj)
        if isinstance(obj, _device):
            return (_device, (str(obj),))
        if isinstance(obj, (TorchName, _rebuild.StorageType, _dtypes.dtype)):
            return "global"          # -> save_global below
        return NotImplemented

    def save_global(self, obj, name=None):
        key = (obj.module, obj.name) if isinstance(obj, TorchName) else torch_name(obj)
        if key is None:
            return super().save_global(obj, name)
        module, name = key
        if self.proto >= 4:
            self.save(module)
            self.save(name)
            self.write(pickle.STACK_GLOBAL)
        else:
            self.write(pickle.GLOBAL + f"{module}\n{name}\n".encode("utf-8"))
        self.memoize(obj)

    # the base class dispatches functions to its own save_global, bypassing the override
    dispatch = pickle._Pickler.dispatch.copy()
    dispatch[types.FunctionType] = save_global

    def _reduce_tensor(self, t):
        from ..nn.parameter import Parameter
        if isinstance(t, Parameter):
            plain = Tensor._alias(t)
            return (_REBUILD_PARAM, (plain, t.requires_grad, collections.OrderedDict()))
        ref, typed = self._storage_ref(t)
        shape = tuple(t.shape)
        stride = tuple(t._view[1]) if t._view is not None else _views.contiguous_strides(shape)
        offset = t._view[2] if t._view is not None else 0
        args = (ref, offset, shape, tuple(stride), t.requires_grad, collections.OrderedDict())
        if typed:
            return (_REBUILD_V2, args)
        return (_REBUILD_V3, args + (t.dtype,))

    def _storage_ref(self, t):
        """The persistent id of ``t``'s storage; its bytes are taken the first time (reading
        ``.array`` also runs any deferred op that computes it)."""
        st = t._storage
        typed = t.dtype in _rebuild.BY_DTYPE
        key = self._keys.get(id(st))
        if key is None:
            key = str(len(self._keys)) if not self.legacy else str(id(st))
            data = np.ascontiguousarray(np.asarray(st.array)).reshape(-1)
            self._keys[id(st)] = key
            self._alive.append(st)
            self._dtypes[key] = data.dtype
            self.storages[key] = data.view(np.uint8)     # (bfloat16 has no buffer format)
            self.numels[key] = data.size if typed else data.nbytes
        if self._dtypes[key] != t.dtype._np:
            raise RuntimeError("Cannot save multiple tensors or storages that view the same "
                               "data as different types")
        stype = _rebuild.BY_DTYPE[t.dtype] if typed else _rebuild.UNTYPED
        pid = ("storage", stype, key, _location(st.device), self.numels[key])
        if self.legacy:
            pid += (None,)
        return _StorageRef(pid), typed


# torch's Module attributes that jtorch's Module does not keep (torch's __setstate__ does
# not fill all of them in, so a whole module pickled by jtorch carries them)
_TORCH_MODULE_ATTRS = ("_backward_pre_hooks", "_backward_hooks", "_forward_hooks_with_kwargs",
                       "_forward_hooks_always_called", "_forward_pre_hooks_with_kwargs",
                       "_state_dict_pre_hooks", "_load_state_dict_post_hooks")


def _module_class():
    from ..nn.modules.module import Module
    return Module


def _reduce_module(m):
    state = {k: collections.OrderedDict() for k in _TORCH_MODULE_ATTRS}
    state["_is_full_backward_hook"] = None
    state.update(m.__dict__)
    return (copyreg.__newobj__, (type(m),), state)


def _location(dev):
    if dev.type == "cpu":
        return "cpu"
    return f"{dev.type}:{dev.index or 0}"


def _archive_name(f):
    if isinstance(f, (str, os.PathLike)):
        base = os.path.basename(os.fspath(f))
        return os.path.splitext(base)[0] or "archive"
    return "archive"


def _serialization_id():
    return "".join(random.choice("0123456789") for _ in range(40)).encode()


def save(obj, f, pickle_module=pickle, pickle_protocol=2, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False):
    """Write ``obj`` in torch's checkpoint format (real torch reads it back)."""
    if isinstance(f, (str, os.PathLike)):
        with open(f, "wb") as fh:
            return _save_to(obj, fh, _archive_name(f), pickle_protocol,
                            _use_new_zipfile_serialization, _disable_byteorder_record)
    if not hasattr(f, "write"):
        raise AttributeError(f"'{type(f).__name__}' object has no attribute 'write'")
    return _save_to(obj, f, "archive", pickle_protocol, _use_new_zipfile_serialization,
                    _disable_byteorder_record)


def _save_to(obj, f, name, protocol, zip_format, no_byteorder):
    if not zip_format:
        from ._legacy import save_legacy
        return save_legacy(obj, f, protocol)
    buf = io.BytesIO()
    pickler = TorchPickler(buf, protocol)
    pickler.dump(obj)
    zw = ZipWriter(f)
    zw.write_record(f"{name}/data.pkl", buf.getbuffer())
    zw.write_record(f"{name}/.format_version", b"1")
    zw.write_record(f"{name}/.storage_alignment", b"64")
    if not no_byteorder:
        zw.write_record(f"{name}/byteorder", b"little")
    for key in sorted(pickler.storages):
        zw.write_record(f"{name}/data/{key}", pickler.storages[key])
    zw.write_record(f"{name}/version", b"3\n")
    zw.write_record(f"{name}/.data/serialization_id", _serialization_id())
    zw.close()
    if hasattr(f, "flush"):
        f.flush()
