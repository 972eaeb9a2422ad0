"""clip_grads_with_norm_, the conv weight memory-format converters and skip_init."""
from __future__ import annotations

import inspect

import jtorch


def clip_grads_with_norm_(parameters, max_norm, total_norm, foreach=None):
    """Scale the gradients by ``clamp(max_norm / (total_norm + 1e-6), max=1)`` in place (the
    second half of ``clip_grad_norm_``, for a norm computed elsewhere)."""
    if isinstance(parameters, jtorch.Tensor):
        parameters = [parameters]
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return
    with jtorch.no_grad():
        coef = jtorch.clamp(max_norm / (total_norm + 1e-6), max=1.0)
        for g in grads:
            g.mul_(coef.to(g.dtype))


def _convert_weights(module, memory_format, kinds):
    if isinstance(module, kinds):
        with jtorch.no_grad():
            # only the strides change; the values and the Parameter stay
            module.weight.data = module.weight.detach().clone().contiguous(
                memory_format=memory_format)
    for child in module.children():
        _convert_weights(child, memory_format, kinds)
    return module


def convert_conv2d_weight_memory_format(module, memory_format):
    from ..modules.conv import Conv2d, ConvTranspose2d
    return _convert_weights(module, memory_format, (Conv2d, ConvTranspose2d))


def convert_conv3d_weight_memory_format(module, memory_format):
    from ..modules.conv import Conv3d, ConvTranspose3d
    return _convert_weights(module, memory_format, (Conv3d, ConvTranspose3d))


def skip_init(module_cls, *args, **kwargs):
    """Build ``module_cls(*args, **kwargs)`` without its initialisation: the random state is
    left as it was (torch builds on the meta device) and the tensors are fresh, uninitialised
    storage (``to_empty``)."""
    from ..modules.module import Module
    if not (inspect.isclass(module_cls) and issubclass(module_cls, Module)):
        raise RuntimeError(f"Expected a Module; got {module_cls}")
    if "device" not in inspect.signature(module_cls).parameters:
        raise RuntimeError("Module must support a 'device' arg to skip initialization")
    device = kwargs.pop("device", "cpu")
    state = jtorch.get_rng_state()
    try:
        module = module_cls(*args, **kwargs)
    finally:
        jtorch.set_rng_state(state)
    return module.to_empty(device=device)


__all__ = ["clip_grads_with_norm_", "convert_conv2d_weight_memory_format",
           "convert_conv3d_weight_memory_format", "skip_init"]
