"""torch.library's Python custom operators, and ``torch.ops.<namespace>.<name>``.

Libraries register operators at import (``custom_op`` with a Python implementation, a fake
(shape) function, an autograd formula). jtorch honours the Python implementation: the op
calls it, and with ``register_autograd`` its gradient is the registered backward (through an
``autograd.Function``). Fake functions only matter to torch's tracers; they are recorded.
Schemas are accepted as text and not parsed.
"""
import types

from . import _grad_mode
from ._tensor import Tensor
from .autograd import Function


class CustomOpDef:
    """A registered Python operator: callable; ``register_*`` methods as torch's."""

    def __init__(self, namespace, name, fn, mutates_args=(), schema=None):
        self._namespace, self._name = namespace, name
        self._init_fn = fn
        self._kernels = {}
        self._fake = None
        self._backward = self._setup_context = None
        self._function = None
        self._schema = schema
        _namespace(namespace)._ops[name] = self

    def __repr__(self):
        return f"<CustomOpDef({self._namespace}::{self._name})>"

    def register_fake(self, fn):
        self._fake = fn
        return fn

    def register_kernel(self, device_types, fn=None):
        def reg(f):
            for d in ([device_types] if isinstance(device_types, str) or device_types is None
                      else device_types):
                self._kernels[d] = f
            return f
        return reg(fn) if fn is not None else reg

    def register_autograd(self, backward, *, setup_context=None):
        self._backward, self._setup_context = backward, setup_context
        self._function = None

    def _autograd_function(self):
        """An autograd.Function running the op forward and the registered backward."""
        if self._function is None:
            op = self

            def forward(ctx, *args):
                with _grad_mode.no_grad():
                    out = op._kernel(args)(*args)
                if op._setup_context is not None:
                    op._setup_context(ctx, args, out)
                return out

            def backward(ctx, *grads):
                return op._backward(ctx, *grads)
            # torch names the node GeneratedBackwardFor_<namespace>_<op>_defaultBackward
            name = f"GeneratedBackwardFor_{self._namespace}_{self._name}_default"
            self._function = type(name, (Function,), {"forward": staticmethod(forward),
                                                      "backward": staticmethod(backward)})
        return self._function

    def _kernel(self, args):
        for a in args:
            if isinstance(a, Tensor):
                kernel = self._kernels.get(a.device.type)
                if kernel is not None:
                    return kernel
        return self._kernels.get(None, self._init_fn)

    def __call__(self, *args, **kwargs):
        if kwargs or self._backward is None or not _grad_mode.is_grad_enabled() or not any(
                isinstance(a, Tensor) and a.requires_grad for a in args):
            return self._kernel(args)(*args, **kwargs)
        return self._autograd_function().apply(*args)


def _split(qualname):
    if "::" not in qualname:
        raise ValueError(f"Expected there to be a namespace in {qualname}, i.e. The operator "
                         "name should look something like ns::foo")
    return qualname.split("::", 1)


def custom_op(name, fn=None, /, *, mutates_args, device_types=None, schema=None, tags=None):
    """Register ``fn`` as operator ``name`` ("namespace::op"); as a decorator without ``fn``."""
    def make(f):
        namespace, opname = _split(name)
        op = CustomOpDef(namespace, opname, f, mutates_args, schema)
        if device_types is not None:
            op._kernels = {d: f for d in ([device_types] if isinstance(device_types, str)
                                          else device_types)}
        return op
    return make(fn) if fn is not None else make


def _op(op):
    if isinstance(op, CustomOpDef):
        return op
    namespace, opname = _split(op)
    found = _namespace(namespace)._ops.get(opname)
    if found is None:
        raise ValueError(f"register: operator {op} does not exist (jtorch registers only "
                         "Python custom ops)")
    return found


def register_fake(op, fn=None, /, *, lib=None, _stacklevel=1, allow_override=False):
    reg = _op(op).register_fake
    return reg(fn) if fn is not None else reg


register_meta = register_fake


def register_autograd(op, backward, /, *, setup_context=None, lib=None):
    _op(op).register_autograd(backward, setup_context=setup_context)


def register_kernel(op, device_types, func=None, /, *, lib=None):
    return _op(op).register_kernel(device_types, func)


# ---------------------------------------------------------------- torch.ops
class _OpNamespace(types.ModuleType):
    """``torch.ops.<namespace>``: the custom ops registered under that namespace."""

    def __init__(self, name):
        super().__init__("torch.ops." + name)
        self._ops = {}

    def __getattr__(self, name):
        ops = self.__dict__["_ops"]
        if name in ops:
            return ops[name]
        raise AttributeError(f"'_OpNamespace' '{self.__name__[10:]}' object has no attribute "
                             f"'{name}'")


class _Ops(types.ModuleType):
    def __init__(self):
        super().__init__("torch.ops")
        self._namespaces = {}

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _namespace(name)


ops = _Ops()


def _namespace(name):
    spaces = ops.__dict__["_namespaces"]
    if name not in spaces:
        spaces[name] = _OpNamespace(name)
    return spaces[name]
