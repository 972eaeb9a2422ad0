"""torch.amp.custom_fwd / custom_bwd: decorators for ``autograd.Function``'s forward and
backward. The forward records the autocast state it ran under (optionally casting its
floating inputs to ``cast_inputs`` and running with autocast off); the backward runs under
that same state, as torch's do."""
import functools

from .. import _api_runtime as rt
from .._tensor import Tensor


def _cast(value, dtype):
    if isinstance(value, Tensor) and value.is_floating_point() and value.dtype.itemsize != 8:
        return value.to(dtype)
    if isinstance(value, (list, tuple)):
        return type(value)(_cast(v, dtype) for v in value)
    return value


def custom_fwd(fwd=None, *, device_type, cast_inputs=None):
    if not isinstance(device_type, str):
        raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
    if fwd is None:
        return functools.partial(custom_fwd, device_type=device_type,
                                 cast_inputs=cast_inputs)

    @functools.wraps(fwd)
    def forward(*args, **kwargs):
        ctx = args[0]
        ctx._fwd_used_autocast = rt.is_autocast_enabled(device_type)
        ctx._dtype = rt.get_autocast_dtype(device_type)
        if cast_inputs is None or not ctx._fwd_used_autocast:
            return fwd(*args, **kwargs)
        with rt.autocast(device_type=device_type, enabled=False):
            return fwd(*_cast(args, cast_inputs), **{k: _cast(v, cast_inputs)
                                                      for k, v in kwargs.items()})
    return forward


def custom_bwd(bwd=None, *, device_type):
    if not isinstance(device_type, str):
        raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
    if bwd is None:
        return functools.partial(custom_bwd, device_type=device_type)

    @functools.wraps(bwd)
    def backward(*args, **kwargs):
        ctx = args[0]
        with rt.autocast(device_type=device_type, enabled=getattr(ctx, "_fwd_used_autocast",
                                                                   False),
                         dtype=getattr(ctx, "_dtype", None)):
            return bwd(*args, **kwargs)
    return backward
