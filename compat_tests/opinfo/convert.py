"""torch sample values -> jtorch values with the same data, dtype, strides and requires_grad."""
import numpy as np
import torch

import jtorch


def jtorch_dtype(dtype):
    return getattr(jtorch, str(dtype).rsplit(".", 1)[1])


def _flat_storage(t):
    """The elements of ``t``'s storage that its view can reach, as NumPy (from offset 0)."""
    span = 1 + sum((s - 1) * st for s, st in zip(t.shape, t.stride())) if t.numel() else 0
    n = t.storage_offset() + span
    return t.as_strided((n,), (1,), 0).numpy()


def to_jtorch_tensor(t):
    """A jtorch leaf equal to torch tensor ``t``: a strided view over a copy of its storage
    when ``t`` is not contiguous, so that kernels see the same layout."""
    requires_grad = t.requires_grad
    t = t.detach().resolve_conj().resolve_neg()
    dt = jtorch_dtype(t.dtype)
    with jtorch.no_grad():
        if t.is_contiguous() and t.storage_offset() == 0:
            out = jtorch.from_numpy(t.contiguous().numpy().copy()).to(dt)
        else:
            flat = jtorch.from_numpy(_flat_storage(t).copy()).to(dt)
            out = jtorch.as_strided(flat, tuple(t.shape), tuple(t.stride()), t.storage_offset())
    if requires_grad:
        out.requires_grad_(True)
    return out


def to_jtorch(obj, leaves=None):
    """Convert tensors inside lists/tuples/dicts; dtypes, devices and Sizes map by name.
    ``leaves`` collects (torch tensor, jtorch tensor) pairs that require grad."""
    if isinstance(obj, torch.Tensor):
        out = to_jtorch_tensor(obj)
        if leaves is not None and obj.requires_grad:
            leaves.append((obj, out))
        return out
    if isinstance(obj, torch.dtype):
        return jtorch_dtype(obj)
    if isinstance(obj, torch.device):
        return jtorch.device(str(obj))
    if isinstance(obj, torch.Size):
        return jtorch.Size(tuple(obj))
    if isinstance(obj, torch.memory_format):
        return getattr(jtorch, str(obj).rsplit(".", 1)[1])
    if isinstance(obj, torch.layout):
        return getattr(jtorch, str(obj).rsplit(".", 1)[1])
    if isinstance(obj, torch.nn.Module) and not any(True for _ in obj.parameters()):
        return _module_to_jtorch(obj)
    if isinstance(obj, dict):
        return {k: to_jtorch(v, leaves) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)) and type(obj) in (list, tuple):
        return type(obj)(to_jtorch(v, leaves) for v in obj)
    return obj


def _module_to_jtorch(mod):
    """A parameterless torch module (a sample's ``distance_function=nn.PairwiseDistance()``)
    as jtorch's module of the same class name with the same plain attributes."""
    cls = getattr(jtorch.nn, type(mod).__name__)
    out = cls.__new__(cls)
    jtorch.nn.Module.__init__(out)
    for k, v in vars(mod).items():
        if not k.startswith("_") and isinstance(v, (bool, int, float, str, type(None))):
            setattr(out, k, v)
    out.train(mod.training)
    return out


def to_numpy(t):
    """Values of a torch or jtorch tensor as NumPy (detached, conj resolved); bfloat16 as
    float32 (NumPy has no bfloat16; the conversion is exact)."""
    if isinstance(t, torch.Tensor):
        t = t.detach().resolve_conj().resolve_neg().cpu()
        return (t.float() if t.dtype == torch.bfloat16 else t).numpy()
    t = t.detach()
    return (t.float() if t.dtype == jtorch.bfloat16 else t).numpy()
