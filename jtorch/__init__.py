"""jtorch: PyTorch's API on JAX. ``import jtorch as torch``."""
from . import _config  # noqa: F401  (x64 and the compile cache, before any array exists)

from . import _dtypes
from ._dtypes import (  # noqa: F401
    bool, uint8, uint16, uint32, uint64, int8, int16, int32, int64, float16, bfloat16, float32,
    float64, complex64, complex128, half, float, double, short, int, long, cfloat, cdouble,
    dtype, finfo, iinfo, get_default_dtype, promote_types, can_cast)
from ._dtypes import (  # noqa: F401
    float8_e4m3fn, float8_e5m2, float8_e4m3fnuz, float8_e5m2fnuz, float8_e8m0fnu)
from ._tensor import Tensor, Size  # noqa: F401
from .device import device  # noqa: F401
from ._creation import (  # noqa: F401
    tensor, as_tensor, asarray, from_numpy, zeros, ones, empty, full, zeros_like, ones_like,
    empty_like, full_like, eye)
from ._ranges import arange, linspace, logspace  # noqa: F401
from ._tensor_str import set_printoptions, get_printoptions, printoptions  # noqa: F401
from ._grad_mode import (  # noqa: F401
    no_grad, enable_grad, set_grad_enabled, inference_mode, is_grad_enabled,
    is_inference_mode_enabled)

# the op table: every family's declarations registered, then their variants derived
from ._ops import load as _load_ops, registry as _registry  # noqa: E402
_load_ops()
_registry.install(Tensor, globals())
from . import _tensor_methods  # noqa: F401,E402  (after install: it adds what is missing)

from . import autograd, cuda, backends, return_types, linalg, random, special, testing, fft  # noqa: E402,F401,E501
from .random import (  # noqa: E402,F401
    Generator, default_generator, manual_seed, seed, initial_seed, get_rng_state,
    set_rng_state, rand, randn, randint, randperm, rand_like, randn_like, randint_like, normal,
    bernoulli, multinomial)

__version__ = "2.13.0+cpu"  # the torch API version jtorch reproduces (scripts gate on it)
__jtorch_version__ = "0.1.0"

# torch.layout / torch.memory_format: one class each, instances named as torch prints them
layout = type("layout", (), {"__repr__": lambda self: "torch." + self._name, "__module__": "torch"})
memory_format = type("memory_format", (), {"__repr__": lambda self: "torch." + self._name,
                                           "__module__": "torch"})
strided, contiguous_format, preserve_format, channels_last = (
    layout(), memory_format(), memory_format(), memory_format())
strided._name, contiguous_format._name, preserve_format._name, channels_last._name = (
    "strided", "contiguous_format", "preserve_format", "channels_last")


def set_default_dtype(d, /):
    _dtypes.set_default_dtype(d)


def is_tensor(obj, /):
    return isinstance(obj, Tensor)


def is_floating_point(input):
    return input.is_floating_point()


def is_complex(input):
    return input.is_complex()


def numel(input):
    return input.numel()


def result_type(tensor1, tensor2):
    """torch.result_type: the dtype an arithmetic op on these operands would produce."""
    ops = []
    for x in (tensor1, tensor2):
        if isinstance(x, Tensor):
            ops.append((x.dtype, "dim" if x.dim() else "zero"))
        else:
            ops.append((_dtypes.scalar_dtype(x), "wrapped"))
    return _dtypes.result_type_of(ops)


# legacy typed constructors: torch.FloatTensor(2, 3), torch.cuda.FloatTensor(...)
from ._creation import LEGACY_TYPES as _LEGACY  # noqa: E402
for _name, (_cpu_cls, _cuda_cls) in _LEGACY.items():
    globals()[_name] = _cpu_cls
    setattr(cuda, _name, _cuda_cls)
del _name, _cpu_cls, _cuda_cls

from . import nn, optim, utils  # noqa: E402,F401  (last: they use the public namespace above)
from . import masked, signal  # noqa: E402,F401  (issue 18: torch.masked, torch.signal.windows)
from ._ops.api_native_norm import (native_batch_norm, native_layer_norm,  # noqa: E402,F401
                                    native_group_norm)  # (issue 18)
from ._ops.api_private import (  # noqa: E402,F401  (issue 18: ops of torch's OpInfo)
    _chunk_cat, _segment_reduce, _unsafe_masked_index, _unsafe_masked_index_put_accumulate,
    hash_tensor, segment_reduce)
from ._functional_forms import *  # noqa: E402,F401,F403  (torch.conv2d, torch.dropout, ...)
from ._api_runtime import *  # noqa: E402,F401,F403  (autocast, compile, vmap, settings)
from . import compiler, _dynamo  # noqa: E402,F401  (issue 19: torch.compile on JAX tracing)
from . import func  # noqa: E402,F401  (issue 19: torch.func on JAX transforms)
from .func import from_jax  # noqa: E402,F401  (jtorch extension: JAX interop)
from .nn.utils.weight_norm import _weight_norm, norm_except_dim  # noqa: E402,F401
from . import serialization  # noqa: E402,F401  (torch.save / torch.load, torch's file format)
from .serialization import save, load  # noqa: E402,F401
from . import storage  # noqa: E402,F401  (torch.storage: UntypedStorage, TypedStorage, ...)
from .storage import UntypedStorage, TypedStorage, is_storage  # noqa: E402,F401
globals().update(storage.LEGACY)  # torch.FloatStorage, torch.LongStorage, ...
from ._storage_tensor import frombuffer, from_file  # noqa: E402,F401
from ._import_hook import install_alias  # noqa: E402,F401  (import torch -> jtorch, opt-in)
from . import version  # noqa: E402,F401  (torch.version: the CPU build reproduced)
from . import accelerator  # noqa: E402,F401  (torch.accelerator: JAX's GPU, if any)
from . import library  # noqa: E402,F401  (torch.library: Python custom ops)
from .library import ops  # noqa: E402,F401  (torch.ops.<namespace>.<op>)
from . import jit  # noqa: E402,F401  (torch.jit's markers: no TorchScript)
from . import fx  # noqa: E402,F401  (torch.fx's markers: no FX tracer)
from . import distributions  # noqa: E402,F401  (issue 23: torch.distributions)
from . import distributed  # noqa: E402,F401  (issue 22: torch.distributed on JAX's runtime)
from . import amp, cpu  # noqa: E402,F401  (issue 21: torch.amp, torch.cpu)
from .cuda import amp as _cuda_amp  # noqa: E402,F401  (torch.cuda.amp: needs torch.amp)
amp._install()  # autocast casts Python-level ops (F.linear...) once, at entry
