"""The hook-based ``torch.nn.utils.weight_norm`` (deprecated in torch in favour of
``parametrizations.weight_norm``): ``weight = g * v / ||v||``, with parameters ``weight_g``
and ``weight_v`` and the weight recomputed by a forward pre-hook.

Also ``norm_except_dim`` and ``_weight_norm``, torch's helpers: with ``dim`` 0 or the last
dim torch runs a fused kernel (node ``WeightNormInterfaceBackward0``), and so does jtorch
(``_ops/nn_norm._weight_norm_interface``); other dims compose jtorch ops, as torch does."""
import warnings

from ... import _errors
from ..parameter import Parameter

__all__ = ["WeightNorm", "weight_norm", "remove_weight_norm", "norm_except_dim"]


def norm_except_dim(v, pow=2, dim=0):
    """The ``pow``-norm of ``v`` over every dim but ``dim`` (kept with size 1); ``dim=-1``
    means over all dims (a 0-dim result), as torch's."""
    if dim == -1:
        return v.norm(pow)
    if dim == 0:
        shape = [v.size(0)] + [1] * (v.dim() - 1)
        return v.contiguous().view(v.size(0), -1).norm(pow, 1).view(shape)
    if dim == v.dim() - 1:
        shape = [1] * (v.dim() - 1) + [v.size(-1)]
        return v.contiguous().view(-1, v.size(-1)).norm(pow, 0).view(shape)
    return norm_except_dim(v.transpose(0, dim), pow, 0).transpose(0, dim)


def _weight_norm_impl(v, g, dim=0):
    """``v * (g / norm_except_dim(v, 2, dim))``."""
    if v.dim() and dim in (0, v.dim() - 1):   # torch's CPU condition for the fused kernel
        from ..._ops import nn_norm
        return nn_norm._weight_norm_interface(v, g, dim)
    return v * (g / norm_except_dim(v, 2, dim))


_weight_norm = _errors.guard_arguments(_weight_norm_impl, "_weight_norm")


class WeightNorm:
    """The forward pre-hook that recomputes ``module.<name>`` from ``<name>_g``, ``<name>_v``."""

    def __init__(self, name, dim):
        self.name = name
        self.dim = -1 if dim is None else dim

    def compute_weight(self, module):
        g = getattr(module, self.name + "_g")
        v = getattr(module, self.name + "_v")
        return _weight_norm(v, g, self.dim)

    @staticmethod
    def apply(module, name, dim):
        # torch 2.13 deprecates this method (so weight_norm): a FutureWarning at each call
        warnings.warn("`torch.nn.utils.weight_norm` is deprecated in favor of "
                      "`torch.nn.utils.parametrizations.weight_norm`.", FutureWarning,
                      stacklevel=2)
        for hook in module._forward_pre_hooks.values():
            if isinstance(hook, WeightNorm) and hook.name == name:
                raise RuntimeError(f"Cannot register two weight_norm hooks on the same "
                                   f"parameter {name}")
        fn = WeightNorm(name, dim)
        weight = getattr(module, name)
        # jtorch's lazy modules hold an empty Parameter until the first call
        if getattr(module, "has_uninitialized_params", lambda: False)():
            raise ValueError("The module passed to `WeightNorm` can't have uninitialized "
                             "parameters. Make sure to run the dummy forward before applying "
                             "weight normalization")
        del module._parameters[name]
        # g and v replace the weight, in this order (state_dict keys follow it)
        module.register_parameter(name + "_g", Parameter(norm_except_dim(weight, 2, fn.dim)
                                                         .data))
        module.register_parameter(name + "_v", Parameter(weight.data))
        # the weight stays reachable as a plain attribute, as code may read it before forward
        setattr(module, name, fn.compute_weight(module))
        module.register_forward_pre_hook(fn)
        return fn

    def remove(self, module):
        weight = self.compute_weight(module)
        delattr(module, self.name)
        del module._parameters[self.name + "_g"]
        del module._parameters[self.name + "_v"]
        setattr(module, self.name, Parameter(weight.data))

    def __call__(self, module, inputs):
        setattr(module, self.name, self.compute_weight(module))


def weight_norm(module, name="weight", dim=0):
    """Reparametrize ``module.<name>`` as ``g * v / ||v||`` (norm over all dims but ``dim``;
    over all dims when ``dim`` is None)."""
    WeightNorm.apply(module, name, dim)
    return module


def _pop_norm_hook(module, hook_type, name):
    """Remove ``module``'s forward pre-hook of ``hook_type`` for parameter ``name`` (its
    ``remove`` folds the parameter back); False when there is none."""
    for k, hook in module._forward_pre_hooks.items():
        if isinstance(hook, hook_type) and hook.name == name:
            hook.remove(module)
            del module._forward_pre_hooks[k]
            return True
    return False


def remove_weight_norm(module, name="weight"):
    """Fold ``g`` and ``v`` back into a plain ``module.<name>`` parameter."""
    if _pop_norm_hook(module, WeightNorm, name):
        return module
    raise ValueError(f"weight_norm of '{name}' not found in {module}")
