"""nn.DataParallel: one process, the batch split over the local accelerator devices.

As torch: the inputs are cut along ``dim`` into chunks of ceil(n/k) rows (``Tensor.chunk``),
chunk i goes to ``device_ids[i]``, replica i runs the module there, and the outputs are
concatenated on ``output_device``. Replica 0 *is* the module (its parameters already live on
``device_ids[0]``, so buffer updates such as BatchNorm's running statistics land in the module,
from the first chunk only, as torch's). The other replicas run the same module object through
``functional_call`` with copies of its parameters on their device: the copies are
differentiable, so backward sums every replica's gradient into the original parameters.
JAX dispatches asynchronously, so the replicas' work on their devices overlaps although they
are launched one after another from Python.

Without accelerator devices DataParallel calls the module, as torch's CPU build does.
"""
import importlib
import warnings

import jtorch

from ..._tensor import Tensor
from ..modules.module import Module
from ..utils.stateless import functional_call


def _devmod():
    # looked up at call time: the device list is cached (and patched by tests) there
    return importlib.import_module("jtorch.device")


def _device_index(d):
    """torch's ``_get_device_index(d, optional=True)`` for cuda devices (-1: the CPU)."""
    if isinstance(d, int):
        return d
    dev = _devmod().device(d) if isinstance(d, str) else d
    if dev.type == "cpu" or dev.index is None:
        raise ValueError(f"Expected a torch.device with a specified index or an integer, "
                         f"but got:{d}")
    return dev.index


def _cuda(index):
    return _devmod().device("cuda", index)


def _scatter_one(obj, indices, dim):
    """``obj`` for each target device: tensors chunked along ``dim`` and copied to them,
    tuples/lists/dicts split element-wise, anything else repeated (torch's scatter_map)."""
    if isinstance(obj, Tensor):
        chunks = obj.chunk(len(indices), dim)
        return [c.to(_cuda(i)) for c, i in zip(chunks, indices)]
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return [type(obj)(*args) for args in zip(*(_scatter_one(o, indices, dim) for o in obj))]
    if isinstance(obj, tuple) and len(obj) > 0:
        return list(zip(*(_scatter_one(o, indices, dim) for o in obj)))
    if isinstance(obj, list) and len(obj) > 0:
        return [list(x) for x in zip(*(_scatter_one(o, indices, dim) for o in obj))]
    if isinstance(obj, dict) and len(obj) > 0:
        return [type(obj)(x) for x in zip(*(_scatter_one(o, indices, dim)
                                             for o in obj.items()))]
    return [obj for _ in indices]


def scatter(inputs, target_gpus, dim=0):
    """Split ``inputs`` (a tensor or nested containers of them) over ``target_gpus``."""
    return _scatter_one(inputs, [_device_index(d) for d in target_gpus], dim)


def scatter_kwargs(inputs, kwargs, target_gpus, dim=0):
    """Per-device (args, kwargs) pairs, the shorter list padded with empty ones (as torch)."""
    scattered_inputs = scatter(inputs, target_gpus, dim) if inputs else []
    scattered_kwargs = scatter(kwargs, target_gpus, dim) if kwargs else []
    if len(scattered_inputs) < len(scattered_kwargs):
        scattered_inputs.extend(() for _ in range(len(scattered_kwargs) - len(scattered_inputs)))
    elif len(scattered_kwargs) < len(scattered_inputs):
        scattered_kwargs.extend({} for _ in range(len(scattered_inputs) - len(scattered_kwargs)))
    return tuple(scattered_inputs), tuple(scattered_kwargs)


def _gather_tensors(tensors, target, dim):
    dest = _devmod().device("cpu") if target == -1 else _cuda(target)
    if all(t.dim() == 0 for t in tensors) and dim == 0:
        warnings.warn("Was asked to gather along dimension 0, but all input tensors were "
                      "scalars; will instead unsqueeze and return a vector.")
        tensors = [t.unsqueeze(0) for t in tensors]
    return jtorch.cat([t.to(dest) for t in tensors], dim)


def gather(outputs, target_device, dim=0):
    """Concatenate the replicas' outputs along ``dim`` on ``target_device`` (-1: the CPU),
    walking tuples, lists, namedtuples and dicts as torch's gather_map."""
    target = -1 if target_device in (-1, "cpu") else _device_index(target_device)

    def gather_map(outs):
        out = outs[0]
        if isinstance(out, Tensor):
            return _gather_tensors(outs, target, dim)
        if out is None:
            return None
        if isinstance(out, dict):
            if not all(len(out) == len(d) for d in outs):
                raise ValueError("All dicts must have the same number of keys")
            return type(out)((k, gather_map([d[k] for d in outs])) for k in out)
        if isinstance(out, tuple) and hasattr(out, "_fields"):
            return type(out)._make(map(gather_map, zip(*outs)))
        return type(out)(map(gather_map, zip(*outs)))

    return gather_map(outputs)


def _replica_state(module, index):
    """The module's parameters (differentiable copies) and buffers (plain copies) on device
    ``index``: what ``functional_call`` swaps in for that replica."""
    dest = _cuda(index)
    copies = {}         # id -> copy: tied tensors (shared weights) get one shared copy

    def copy(t, differentiable):
        if id(t) not in copies:
            copies[id(t)] = t.to(dest) if differentiable else t.detach().to(dest)
        return copies[id(t)]
    state = {n: copy(p, True) for n, p in module.named_parameters(remove_duplicate=False)}
    for n, b in module.named_buffers(remove_duplicate=False):
        state[n] = copy(b, b.requires_grad)
    return state


def parallel_apply(module, inputs, kwargs_tup, device_ids):
    """Run replica i of ``module`` on ``inputs[i]`` on ``device_ids[i]``; replica 0 is the
    module itself."""
    outputs = []
    for i, (args, kwargs) in enumerate(zip(inputs, kwargs_tup)):
        if not isinstance(args, (list, tuple)):
            args = (args,)
        if i == 0:
            outputs.append(module(*args, **kwargs))
        else:
            state = _replica_state(module, device_ids[i])
            outputs.append(functional_call(module, state, tuple(args), kwargs))
    return outputs


def _all_device_indices():
    return list(range(len(_devmod()._gpus())))


class DataParallel(Module):
    """Split the batch over local devices, run a replica per device, gather the outputs."""

    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        if not _devmod()._gpus():
            self.module = module
            self.device_ids = []
            return
        if device_ids is None:
            device_ids = _all_device_indices()
        if output_device is None:
            output_device = device_ids[0]
        self.dim = dim
        self.module = module
        self.device_ids = [_device_index(d) for d in device_ids]
        self.output_device = -1 if output_device == -1 else _device_index(output_device)
        self.src_device_obj = _cuda(self.device_ids[0])
        if len(self.device_ids) == 1:
            self.module.to(self.src_device_obj)

    def forward(self, *inputs, **kwargs):
        if not self.device_ids:
            return self.module(*inputs, **kwargs)
        for t in list(self.module.parameters()) + list(self.module.buffers()):
            if t.device != self.src_device_obj:
                raise RuntimeError("module must have its parameters and buffers on device "
                                   f"{self.src_device_obj} (device_ids[0]) but found one of "
                                   f"them on device: {t.device}")
        inputs, module_kwargs = scatter_kwargs(inputs, kwargs, self.device_ids, self.dim)
        if not inputs and not module_kwargs:
            inputs, module_kwargs = ((),), ({},)
        if len(self.device_ids) == 1:
            return self.module(*inputs[0], **module_kwargs[0])
        outputs = parallel_apply(self.module, inputs, module_kwargs,
                                 self.device_ids[:len(inputs)])
        return gather(outputs, self.output_device, self.dim)


def data_parallel(module, inputs, device_ids=None, output_device=None, dim=0,
                  module_kwargs=None):
    """The functional form: one DataParallel forward of ``module`` on ``inputs``."""
    if not isinstance(inputs, tuple):
        inputs = (inputs,) if inputs is not None else ()
    return DataParallel(module, device_ids, output_device, dim)(*inputs, **(module_kwargs or {}))
