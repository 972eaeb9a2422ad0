"""Layers: containers, Linear, Flatten, activations, dropout, the basic losses."""
from __future__ import annotations

import collections
import math
import warnings

import jtorch
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module, _addindent


# ------------------------------------------------------------------ containers
class Sequential(Module):
    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], collections.OrderedDict):
            for name, m in args[0].items():
                self.add_module(name, m)
        else:
            for i, m in enumerate(args):
                self.add_module(str(i), m)

    def forward(self, input):
        for m in self._modules.values():
            input = m(input)
        return input

    def __getitem__(self, idx):
        mods = list(self._modules.items())
        if isinstance(idx, slice):
            return Sequential(collections.OrderedDict(mods[idx]))
        n = len(mods)
        if not -n <= idx < n:
            raise IndexError(f"index {idx} is out of range")
        return mods[idx % n][1]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def append(self, module):
        self.add_module(str(len(self)), module)
        return self


class ModuleList(Module):
    def __init__(self, modules=None):
        super().__init__()
        for m in modules or ():
            self.append(m)

    def append(self, module):
        self.add_module(str(len(self._modules)), module)
        return self

    def extend(self, modules):
        for m in modules:
            self.append(m)
        return self

    def __getitem__(self, idx):
        mods = list(self._modules.values())
        return ModuleList(mods[idx]) if isinstance(idx, slice) else mods[idx]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __repr__(self):
        # torch folds runs of identical children: "(0-5): 6 x Layer(...)"
        reprs = [repr(m) for m in self]
        if not reprs:
            return self._get_name() + "()"
        runs = []                     # [first index, last index, repr]
        for i, r in enumerate(reprs):
            if runs and runs[-1][2] == r:
                runs[-1][1] = i
            else:
                runs.append([i, i, r])
        lines = [_addindent(f"({a}): {r}" if a == b else f"({a}-{b}): {b - a + 1} x {r}", 2)
                 for a, b, r in runs]
        return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"


class ModuleDict(Module):
    def __init__(self, modules=None):
        super().__init__()
        for k, m in (modules or {}).items():
            self.add_module(k, m)

    def __getitem__(self, key):
        return self._modules[key]

    def __setitem__(self, key, module):
        self.add_module(key, module)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def keys(self):
        return self._modules.keys()

    def values(self):
        return self._modules.values()

    def items(self):
        return self._modules.items()


# ------------------------------------------------------------------ layers
def _default_init(weight, bias):
    """torch's default for Linear and ConvNd, in its draw order: kaiming_uniform_(a=sqrt(5))
    on the weight, then U(-1/sqrt(fan_in), 1/sqrt(fan_in)) on the bias."""
    init.kaiming_uniform_(weight, a=math.sqrt(5))
    if bias is not None:
        fan_in, _ = init._calculate_fan_in_and_fan_out(weight)
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
        init.uniform_(bias, -bound, bound)


def _weight_and_bias(module, weight_shape, bias_size, bias, device=None, dtype=None):
    """Register ``module.weight`` (uninitialised, ``weight_shape``) and then ``module.bias``
    (``bias_size``, or None when ``bias`` is off), in torch's registration order."""
    module.weight = Parameter(jtorch.empty(weight_shape, device=device, dtype=dtype))
    if bias:
        module.bias = Parameter(jtorch.empty(bias_size, device=device, dtype=dtype))
    else:
        module.register_parameter("bias", None)


class Identity(Module):
    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input


class Linear(Module):
    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        _weight_and_bias(self, (out_features, in_features), out_features, bias, device, dtype)
        self.reset_parameters()

    def reset_parameters(self):
        _default_init(self.weight, self.bias)

    def forward(self, input):
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Flatten(Module):
    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, input):
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


# ------------------------------------------------------------------ activations
def _activation(name, fn, extra=lambda self: "", init_args=()):
    def __init__(self, *args, **kwargs):
        Module.__init__(self)
        for (arg, default), v in zip(init_args, args + (None,) * len(init_args)):
            setattr(self, arg, kwargs.get(arg, v if v is not None else default))

    def forward(self, input):
        return fn(self, input)
    return type(name, (Module,), {"__init__": __init__, "forward": forward,
                                  "extra_repr": extra, "__module__": __name__})


ReLU = _activation("ReLU", lambda s, x: F.relu(x, s.inplace),
                   lambda s: "inplace=True" if s.inplace else "", (("inplace", False),))
LeakyReLU = _activation("LeakyReLU", lambda s, x: F.leaky_relu(x, s.negative_slope, s.inplace),
                        lambda s: f"negative_slope={s.negative_slope}" +
                        (", inplace=True" if s.inplace else ""),
                        (("negative_slope", 0.01), ("inplace", False)))
ELU = _activation("ELU", lambda s, x: F.elu(x, s.alpha, s.inplace),
                  lambda s: f"alpha={s.alpha}" + (", inplace=True" if s.inplace else ""),
                  (("alpha", 1.0), ("inplace", False)))
Sigmoid = _activation("Sigmoid", lambda s, x: jtorch.sigmoid(x))
Tanh = _activation("Tanh", lambda s, x: jtorch.tanh(x))
GELU = _activation("GELU", lambda s, x: F.gelu(x, s.approximate),
                   lambda s: f"approximate='{s.approximate}'", (("approximate", "none"),))
SiLU = _activation("SiLU", lambda s, x: F.silu(x, s.inplace),
                   lambda s: "inplace=True" if s.inplace else "", (("inplace", False),))
Softmax = _activation("Softmax", lambda s, x: F.softmax(x, s.dim),
                      lambda s: f"dim={s.dim}", (("dim", None),))
LogSoftmax = _activation("LogSoftmax", lambda s, x: F.log_softmax(x, s.dim),
                         lambda s: f"dim={s.dim}", (("dim", None),))

_INPLACE = (("inplace", False),)


def _ip(s):
    return ", inplace=True" if s.inplace else ""


ReLU6 = _activation("ReLU6", lambda s, x: F.relu6(x, s.inplace),
                    lambda s: "inplace=True" if s.inplace else "", _INPLACE)
SELU = _activation("SELU", lambda s, x: F.selu(x, s.inplace),
                   lambda s: "inplace=True" if s.inplace else "", _INPLACE)
CELU = _activation("CELU", lambda s, x: F.celu(x, s.alpha, s.inplace),
                   lambda s: f"alpha={s.alpha}" + _ip(s), (("alpha", 1.0), ("inplace", False)))
Mish = _activation("Mish", lambda s, x: F.mish(x, s.inplace),
                   lambda s: "inplace=True" if s.inplace else "", _INPLACE)
Softplus = _activation("Softplus", lambda s, x: F.softplus(x, s.beta, s.threshold),
                       lambda s: f"beta={s.beta}, threshold={s.threshold}",
                       (("beta", 1.0), ("threshold", 20.0)))
Softsign = _activation("Softsign", lambda s, x: F.softsign(x))
Hardtanh = _activation("Hardtanh", lambda s, x: F.hardtanh(x, s.min_val, s.max_val, s.inplace),
                       lambda s: f"min_val={s.min_val}, max_val={s.max_val}" + _ip(s),
                       (("min_val", -1.0), ("max_val", 1.0), ("inplace", False)))
Hardswish = _activation("Hardswish", lambda s, x: F.hardswish(x, s.inplace),
                        lambda s: "inplace=True" if s.inplace else "", _INPLACE)
Hardsigmoid = _activation("Hardsigmoid", lambda s, x: F.hardsigmoid(x, s.inplace),
                          lambda s: "inplace=True" if s.inplace else "", _INPLACE)
LogSigmoid = _activation("LogSigmoid", lambda s, x: F.logsigmoid(x))
Softmin = _activation("Softmin", lambda s, x: F.softmin(x, s.dim),
                      lambda s: f"dim={s.dim}", (("dim", None),))
Threshold = _activation("Threshold", lambda s, x: F.threshold(x, s.threshold, s.value,
                                                              s.inplace),
                        lambda s: f"threshold={s.threshold}, value={s.value}" + _ip(s),
                        (("threshold", None), ("value", None), ("inplace", False)))
Tanhshrink = _activation("Tanhshrink", lambda s, x: F.tanhshrink(x))
Softshrink = _activation("Softshrink", lambda s, x: F.softshrink(x, s.lambd),
                         lambda s: str(s.lambd), (("lambd", 0.5),))
Hardshrink = _activation("Hardshrink", lambda s, x: F.hardshrink(x, s.lambd),
                         lambda s: str(s.lambd), (("lambd", 0.5),))
GLU = _activation("GLU", lambda s, x: F.glu(x, s.dim), lambda s: f"dim={s.dim}",
                  (("dim", -1),))


class PReLU(Module):
    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None):
        super().__init__()
        self.num_parameters, self.init = num_parameters, init
        self.weight = Parameter(jtorch.empty(num_parameters, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self):
        from .. import init as nn_init
        nn_init.constant_(self.weight, self.init)

    def forward(self, input):
        return F.prelu(input, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


class _DropoutNd(Module):
    """The dropout layers (Dropout here, the channel and alpha dropouts in spatial.py):
    one probability check and repr; ``_fn`` is the functional form."""
    _fn = None

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.inplace = p, inplace

    def forward(self, input):
        return type(self)._fn(input, self.p, self.training, self.inplace)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    _fn = F.dropout


# ------------------------------------------------------------------ losses
class _Loss(Module):
    def __init__(self, size_average=None, reduce=None, reduction="mean"):
        super().__init__()
        self.reduction = F._reduction(size_average, reduce, reduction)


class MSELoss(_Loss):
    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    def forward(self, input, target):
        return F.l1_loss(input, target, reduction=self.reduction)


class CrossEntropyLoss(_Loss):
    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean", label_smoothing=0.0):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.ignore_index, self.label_smoothing = ignore_index, label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(input, target, self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


class NLLLoss(_Loss):
    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return F.nll_loss(input, target, self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)


class BCELoss(_Loss):
    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean",
                 pos_weight=None):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, self.weight,
                                                  reduction=self.reduction,
                                                  pos_weight=self.pos_weight)


class Bilinear(Module):
    def __init__(self, in1_features, in2_features, out_features, bias=True, device=None,
                 dtype=None):
        super().__init__()
        self.in1_features, self.in2_features = in1_features, in2_features
        self.out_features = out_features
        _weight_and_bias(self, (out_features, in1_features, in2_features), out_features, bias,
                         dtype=dtype)
        self.reset_parameters()

    def reset_parameters(self):
        bound = 1 / math.sqrt(self.weight.shape[1])
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1, input2):
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self):
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")


class RReLU(Module):
    def __init__(self, lower=1.0 / 8, upper=1.0 / 3, inplace=False):
        super().__init__()
        self.lower, self.upper, self.inplace = lower, upper, inplace

    def forward(self, input):
        return F.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self):
        return f"lower={self.lower}, upper={self.upper}" + (", inplace=True" if self.inplace
                                                            else "")


class Softmax2d(Module):
    def forward(self, input):
        if input.dim() not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {input.dim()}D "
                             "instead")
        return F.softmax(input, -3)


class Container(Module):
    def __init__(self, **kwargs):
        super().__init__()
        warnings.warn("`nn.Container` is deprecated. All of its functionality is now "
                      "implemented in `nn.Module`. Subclass that instead.", stacklevel=2)
        for key, value in kwargs.items():
            self.add_module(key, value)
