"""dtype and device conversions: ``to``, ``float()``..``bool()``, ``type()``, ``cpu``/``cuda``."""
import jax

from .. import _dtypes
from .._result_layout import copy_layout
from .._tensor import Tensor
from .. import _grad_mode as grad_mode
from ..autograd.engine import grad_edge
from ..autograd.graph import Node
from ..device import as_device, device as _device_cls, jax_device
from .registry import Promotion, composite, op


@op(variants="", promote=Promotion.NONE, grad_fn="ToCopyBackward0")
def _to_copy(input, dtype):
    return _dtypes.torch_cast(input, dtype._np)


def _parse_to(args, kwargs):
    dtype = kwargs.pop("dtype", None)
    device = kwargs.pop("device", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    fmt = kwargs.pop("memory_format", None)
    for a in args:
        if isinstance(a, Tensor):
            dtype, device = a.dtype, a.device
        elif isinstance(a, _dtypes.dtype):
            dtype = a
        elif isinstance(a, (str, _device_cls, int)) and not isinstance(a, bool):
            device = a
        elif isinstance(a, bool):
            copy = a if a is not args[0] else copy
        elif a is not None:
            raise TypeError(f"to() received an invalid combination of arguments - got "
                            f"({type(a).__name__})")
    if kwargs:
        raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
    return dtype, device, copy, fmt


def to(self, *args, **kwargs):
    """Convert dtype and/or move device; returns ``self`` when nothing changes. A copy is
    laid out as torch's (preserve_format keeps a dense input's strides: ``copy_layout``)."""
    dtype, device, copy, fmt = _parse_to(args, dict(kwargs))
    dt = _dtypes.as_dtype(dtype) if dtype is not None else self.dtype
    dev = as_device(device) if device is not None else self.device
    if dt is self.dtype and dev == self.device and not copy:
        return self
    out = copy_layout(_to_copy(self, dt), self, fmt) if (dt is not self.dtype or copy) \
        else self
    if dev != self.device:
        out = _move(out, dev)
    return out


def _move(t, dev):
    moved = Tensor._make(jax.device_put(t._value(), jax_device(dev)), t.dtype, dev)
    if grad_mode.is_grad_enabled() and t.requires_grad:
        src = jax_device(t.device)
        node = Node("ToCopyBackward0", lambda cts: [jax.device_put(cts[0], src)],
                    (grad_edge(t),), ((tuple(t.shape), t.dtype._np),))
        moved._grad_fn = node
        moved._requires_grad = True
    return moved


Tensor.to = to


def _caster(dtype):
    def cast(self, memory_format=None):
        return to(self, dtype)
    cast.__doc__ = f"``self.to({dtype})``"
    return cast


for _name, _dt in [("float", _dtypes.float32), ("double", _dtypes.float64),
                   ("half", _dtypes.float16), ("bfloat16", _dtypes.bfloat16),
                   ("long", _dtypes.int64), ("int", _dtypes.int32), ("short", _dtypes.int16),
                   ("char", _dtypes.int8), ("byte", _dtypes.uint8), ("bool", _dtypes.bool),
                   ("cfloat", _dtypes.complex64), ("cdouble", _dtypes.complex128)]:
    setattr(Tensor, _name, _caster(_dt))


def _type_name(t):
    prefix = "torch.cuda." if t.device.type == "cuda" else "torch."
    return prefix + (t.dtype._legacy or t.dtype._name) + "Tensor"


@composite(variants="method")
def type(self, dtype=None, non_blocking=False, **kwargs):
    """Without arguments: the legacy type string (``torch.FloatTensor``); else a cast."""
    if dtype is None:
        return _type_name(self)
    if isinstance(dtype, str):
        cuda = dtype.startswith("torch.cuda.")
        stem = dtype.split(".")[-1]
        for d in _dtypes.ALL_DTYPES:
            if d._legacy and d._legacy + "Tensor" == stem:
                return to(self, d, device="cuda" if cuda else (
                    "cpu" if self.device.type == "cuda" else None))
        raise ValueError(f"invalid type: '{dtype}'")
    if isinstance(dtype, _dtypes.dtype):
        return to(self, dtype)
    legacy = getattr(dtype, "_dtype", None)
    if legacy is not None:
        return to(self, legacy, device="cuda" if dtype._cuda else None)
    raise ValueError(f"invalid type: '{dtype}'")


@composite(variants="method")
def type_as(self, other):
    return to(self, other.dtype)


@composite(variants="method")
def cpu(self, memory_format=None):
    return to(self, "cpu")


@composite(variants="method")
def cuda(self, device=None, non_blocking=False, memory_format=None):
    return to(self, "cuda" if device is None else
              (f"cuda:{device}" if isinstance(device, int) else device))
