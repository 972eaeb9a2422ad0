"""``weights_only=True`` loading: an unpickler that only builds tensors, containers and
plain values, and only calls the globals on torch's allow-list (or the user's safe globals).

It interprets the same opcodes as torch's weights-only unpickler (protocol 2's) and raises
``pickle.UnpicklingError`` with torch's messages, so a checkpoint whose pickle would run code
(``os.system``, any unknown class) is refused before anything runs.
"""
import _compat_pickle
import codecs
import collections
import pickle
import pickletools
import struct
import warnings

from . import _pickling

_BLOCKED_MODULES = ("sys", "os", "posix", "nt")
_NOT_IMPORTED = {
    "torch.nested._internal.nested_tensor.NestedTensor": "``torch.nested`` and "
    "``torch._dynamo`` must be imported to load nested jagged tensors (NJTs)",
    "torch.nested._internal.nested_tensor._rebuild_njt": "``torch.nested`` and "
    "``torch._dynamo`` must be imported to load nested jagged tensors (NJTs)",
    "torch.distributed.tensor.DTensor": "``torch.distributed.tensor`` must be imported to "
    "load DTensors"}

UNSAFE_MESSAGE = (
    "In PyTorch 2.6, we changed the default value of the `weights_only` argument in "
    "`torch.load` from `False` to `True`. Re-running `torch.load` with `weights_only` set to "
    "`False` will likely succeed, but it can result in arbitrary code execution. Do it only if "
    "you got the file from a trusted source.")
_DOCS = ("\n\nCheck the documentation of torch.load to learn more about types accepted by "
         "default with weights_only https://pytorch.org/docs/stable/generated/torch.load.html.")

# ------------------------------------------------------------------ safe globals
_user_globals = set()


def add_safe_globals(safe_globals):
    """Allow these globals (objects, or ``(object, "module.name")`` pairs) in weights-only
    loads."""
    global _user_globals
    _user_globals = _user_globals | set(safe_globals)


def get_safe_globals():
    return list(_user_globals)


def clear_safe_globals():
    global _user_globals
    _user_globals = set()


def _remove_safe_globals(globs):
    global _user_globals
    _user_globals = _user_globals - set(globs)


class safe_globals:
    """Context manager: these globals are allowed inside the ``with`` block only."""

    def __init__(self, safe_globals):
        self.safe_globals = safe_globals

    def __enter__(self):
        add_safe_globals(self.safe_globals)

    def __exit__(self, *exc):
        _remove_safe_globals(self.safe_globals)


def _user_allowed():
    out = {}
    for g in _user_globals:
        if isinstance(g, tuple):
            if len(g) != 2:
                raise ValueError(f"Expected tuple of length 2 (global, str of callable full "
                                 f"path), but got tuple of length: {len(g)}")
            if type(g[1]) is not str:
                raise TypeError(f"Expected second item in tuple to be str of callable full "
                                f"path, but got: {type(g[1])}")
            out[g[1]] = g[0]
            continue
        out[f"{g.__module__}.{g.__qualname__}"] = g
        torch_key = _pickling.torch_name(g)     # a jtorch class stands for torch's
        if torch_key is not None:
            out[".".join(torch_key)] = g
    return out


_DEFAULT = None


def _default_allowed():
    global _DEFAULT
    if _DEFAULT is None:
        rc = {f"{m}.{n}": obj for (m, n), obj in _pickling.fixed_globals().items()}
        rc.update({"collections.OrderedDict": collections.OrderedDict,
                   "collections.Counter": collections.Counter, "_codecs.encode": codecs.encode,
                   "builtins.bytearray": bytearray, "builtins.set": set,
                   "builtins.complex": complex})
        _DEFAULT = rc
    return _DEFAULT


def _map_name(module, name):
    """Python 2 names in protocol-2 pickles (``__builtin__``), as pickle maps them."""
    if (module, name) in _compat_pickle.NAME_MAPPING:
        return _compat_pickle.NAME_MAPPING[(module, name)]
    return _compat_pickle.IMPORT_MAPPING.get(module, module), name


def _unsupported_global(full):
    if full.startswith("builtins"):
        rest = full[len("builtins"):]
        full = rest[1:] if rest.startswith(".") else "builtins" + rest
    return pickle.UnpicklingError(
        f"Unsupported global: GLOBAL {full} was not an allowed global by default. Please use "
        f"`torch.serialization.add_safe_globals([{full}])` or the "
        f"`torch.serialization.safe_globals([{full}])` context manager to allowlist this "
        "global if you trust this class/function.")


# ------------------------------------------------------------------ the unpickler
class _Dispatch(dict):
    def __missing__(self, code):
        raise pickle.UnpicklingError(f"Unsupported operand {code}")


_ALLOWED_OPS = ("GLOBAL NEWOBJ REDUCE BUILD APPEND APPENDS SETITEM SETITEMS MARK TUPLE TUPLE1 "
                "TUPLE2 TUPLE3 NONE NEWFALSE NEWTRUE EMPTY_TUPLE EMPTY_LIST EMPTY_DICT "
                "EMPTY_SET BININT BININT1 BININT2 BINFLOAT BINUNICODE SHORT_BINSTRING BINPERSID "
                "BINGET LONG_BINGET BINPUT LONG_BINPUT LONG1 PROTO STOP").split()


class WeightsUnpickler(pickle._Unpickler):
    """The pure-Python unpickler with only the allowed opcodes, and checked versions of
    those that look up or call anything."""

    dispatch = _Dispatch({getattr(pickle, op)[0]: pickle._Unpickler.dispatch[
        getattr(pickle, op)[0]] for op in _ALLOWED_OPS})

    def __init__(self, file, persistent_load, **kwargs):
        super().__init__(file, **kwargs)
        self._persistent = persistent_load
        self._allowed = _default_allowed()
        self._user = _user_allowed()
        ids = {id(v) for v in self._allowed.values()} | {id(v) for v in self._user.values()}
        self._callable_ids = ids

    def _ok(self, obj):
        return id(obj) in self._callable_ids

    def load_global(self):
        module = self.readline()[:-1].decode("utf-8")
        name = self.readline()[:-1].decode("utf-8")
        module, name = _map_name(module, name)
        full = f"{module}.{name}"
        if module in _BLOCKED_MODULES:
            raise pickle.UnpicklingError(f"Trying to load unsupported GLOBAL {full} whose "
                                         f"module {module} is blocked.")
        if full in self._allowed:
            self.append(self._allowed[full])
        elif full in self._user:
            self.append(self._user[full])
        elif full in _NOT_IMPORTED:
            raise pickle.UnpicklingError(_NOT_IMPORTED[full])
        else:
            raise _unsupported_global(full)
    dispatch[pickle.GLOBAL[0]] = load_global

    def load_newobj(self):
        from ..nn.parameter import Parameter
        args = self.stack.pop()
        cls = self.stack.pop()
        if cls is Parameter:
            self.append(Parameter(*args))
        elif self._ok(cls):
            self.append(cls.__new__(cls, *args))
        else:
            raise pickle.UnpicklingError(
                "Can only create new object for nn.Parameter or classes allowlisted via "
                f"`add_safe_globals` but got {cls}")
    dispatch[pickle.NEWOBJ[0]] = load_newobj

    def load_reduce(self):
        args = self.stack.pop()
        func = self.stack[-1]
        if not self._ok(func):
            msg = f"Trying to call reduce for unrecognized function {func}"
            if hasattr(func, "__self__"):
                msg += f" which belongs to {func.__self__}"
            raise pickle.UnpicklingError(msg)
        self.stack[-1] = func(*args)
    dispatch[pickle.REDUCE[0]] = load_reduce

    def load_build(self):
        from ..nn.parameter import Parameter
        state = self.stack.pop()
        inst = self.stack[-1]
        if type(inst) is collections.OrderedDict or type(inst) is Parameter:
            inst.__dict__.update(state)
        elif self._ok(type(inst)):
            setstate = getattr(inst, "__setstate__", None)
            if setstate is not None and type(inst).__setstate__ is not object.__setstate__:
                setstate(state)
                return
            slots = None
            if isinstance(state, tuple) and len(state) == 2:
                state, slots = state
            if state:
                inst.__dict__.update(state)
            for k, v in (slots or {}).items():
                setattr(inst, k, v)
        else:
            raise pickle.UnpicklingError(
                "Can only build Tensor, Parameter, OrderedDict or types allowlisted via "
                f"`add_safe_globals`, but got {type(inst)}")
    dispatch[pickle.BUILD[0]] = load_build

    def load_append(self):
        item = self.stack.pop()
        if type(self.stack[-1]) is not list:
            raise pickle.UnpicklingError(
                f"Can only append to lists, but got {type(self.stack[-1])}")
        self.stack[-1].append(item)
    dispatch[pickle.APPEND[0]] = load_append

    def load_appends(self):
        items = self.pop_mark()
        if type(self.stack[-1]) is not list:
            raise pickle.UnpicklingError(f"Can only extend lists, but got {type(self.stack[-1])}")
        self.stack[-1].extend(items)
    dispatch[pickle.APPENDS[0]] = load_appends

    def _check_mapping(self, op):
        if type(self.stack[-1]) not in (dict, collections.OrderedDict, collections.Counter):
            raise pickle.UnpicklingError(
                f"Can only {op} for dict, collections.OrderedDict, collections.Counter, but "
                f"got {type(self.stack[-1])}")

    def load_setitem(self):
        value, key = self.stack.pop(), self.stack.pop()
        self._check_mapping("SETITEM")
        self.stack[-1][key] = value
    dispatch[pickle.SETITEM[0]] = load_setitem

    def load_setitems(self):
        items = self.pop_mark()
        self._check_mapping("SETITEMS")
        target = self.stack[-1]
        for i in range(0, len(items), 2):
            target[items[i]] = items[i + 1]
    dispatch[pickle.SETITEMS[0]] = load_setitems

    def load_binpersid(self):
        pid = self.stack.pop()
        if type(pid) is not tuple and type(pid) is not int:
            raise pickle.UnpicklingError(
                f"persistent_load id must be tuple or int, but got {type(pid)}")
        if type(pid) is tuple and pid and _ascii(pid[0]) != "storage":
            raise pickle.UnpicklingError(
                f"Only persistent_load of storage is allowed, but got {type(pid[0])}")
        self.append(self._persistent(pid))
    dispatch[pickle.BINPERSID[0]] = load_binpersid

    def load_proto(self):
        proto = self.read(1)[0]
        if proto != 2:
            warnings.warn(f"Detected pickle protocol {proto} in the checkpoint, which was not "
                          "the default pickle protocol used by `torch.load` (2). The "
                          "weights_only Unpickler might not support all instructions "
                          "implemented by this protocol, please file an issue for adding "
                          "support if you encounter this.", stacklevel=2)
        self.proto = proto
    dispatch[pickle.PROTO[0]] = load_proto


def _ascii(x):
    return x.decode("ascii") if isinstance(x, bytes) else x


def unpickle(file, persistent_load, **kwargs):
    """Run the weights-only unpickler; malformed data becomes an UnpicklingError too."""
    try:
        return WeightsUnpickler(file, persistent_load, **kwargs).load()
    except (KeyError, IndexError, struct.error, UnicodeDecodeError, ValueError,
            AttributeError) as e:
        if isinstance(e, pickle.UnpicklingError):
            raise
        raise pickle.UnpicklingError(f"pickle data is corrupt or truncated: {type(e).__name__}: "
                                     f"{e}") from None


def wrap_message(message):
    """torch.load's text around a weights-only refusal (how to load it anyway, and the risk)."""
    import re
    if re.search(r"GLOBAL (\S+) was not an allowed global by default.", message):
        out = ("Weights only load failed. This file can still be loaded, to do so you have two "
               "options, \033[1mdo those steps only if you trust the source of the "
               f"checkpoint\033[0m. \n\t(1) {UNSAFE_MESSAGE}\n\t(2) Alternatively, to load with "
               "`weights_only=True` please check the recommended steps in the following error "
               "message.\n\tWeightsUnpickler error: " + message)
    elif re.search(r"(\S+) must be (\S+) to load", message):
        return f"Weights only load failed. {message}\n {UNSAFE_MESSAGE}\n"
    else:
        out = f"Weights only load failed. {UNSAFE_MESSAGE}\n"
        if not re.search(r"whose module (\S+) is blocked", message):
            out += ("Please file an issue with the following so that we can make "
                    "`weights_only=True` compatible with your use case: WeightsUnpickler "
                    "error: ")
        out += "\n\n" + message
    return out + _DOCS


def globals_in_pickle(data):
    """Every ``module.name`` a pickle's GLOBAL opcodes name (nothing is run)."""
    out = []
    for op, arg, _ in pickletools.genops(data):
        if op.name == "GLOBAL":
            module, name = _map_name(*arg.split(" ", 1))
            out.append(f"{module}.{name}")
        elif op.name == "STACK_GLOBAL":
            raise pickle.UnpicklingError("Unsupported operand STACK_GLOBAL")
    return out


def unsafe_globals(data):
    allowed = set(_default_allowed()) | set(_user_allowed())
    return sorted({g for g in globals_in_pickle(data) if g not in allowed})

