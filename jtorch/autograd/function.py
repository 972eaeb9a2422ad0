"""torch.autograd.Function: user-defined forward/backward, recorded as one graph node.

``forward`` runs with grad disabled on the user's tensors; the node (named
``<ClassName>Backward`` as torch names it) calls the user's ``backward`` with Tensors. Under
``create_graph=True`` the user's backward runs with grad enabled, so its ops are recorded.
"""
from __future__ import annotations

import functools

from .. import _grad_mode as grad_mode
from .engine import grad_edge
from .graph import FREED_MESSAGE, Node
from .graph_hooks import current_saved_hooks
from .._tensor import Tensor


def _tensor_cls():
    return Tensor


class FunctionCtx:
    def __init__(self):
        self.needs_input_grad = ()
        self._saved = ()
        self._saved_versions = ()
        self._non_differentiable = set()
        self._materialize_grads = True
        self._freed = False

    def save_for_backward(self, *tensors):
        self._saved = tensors
        self._saved_versions = tuple(None if t is None else t._storage.version for t in tensors)
        # graph.saved_tensors_hooks: pack now, unpack on each read of saved_tensors
        hooks = current_saved_hooks()
        self._packed = None if hooks is None else (
            hooks[1], tuple(None if t is None else hooks[0](t) for t in tensors))

    def save_for_forward(self, *tensors):
        self.saved_for_forward = tensors

    @property
    def saved_tensors(self):
        if self._freed:
            raise RuntimeError(FREED_MESSAGE)
        packed = getattr(self, "_packed", None)
        if packed is not None:
            unpack, values = packed
            return tuple(None if v is None else unpack(v) for v in values)
        return self._saved

    saved_variables = saved_tensors

    def mark_non_differentiable(self, *tensors):
        self._non_differentiable.update(id(t) for t in tensors)

    def mark_dirty(self, *tensors):
        pass

    def set_materialize_grads(self, value):
        self._materialize_grads = bool(value)


class BackwardCFunction(FunctionCtx):
    """The ctx object torch passes to forward/backward."""


class _FunctionNode(Node):
    """A custom Function's node: freeing it frees ``ctx.saved_tensors`` too."""

    __slots__ = ("ctx",)

    def _release(self):
        if self.ctx._saved:
            self.ctx._freed = True
            self._freed = True

    def __getattr__(self, attr):
        # torch's node is the ctx: ``y.grad_fn.saved_tensors``, attributes set in forward
        if attr != "ctx":
            try:
                return getattr(self.ctx, attr)
            except AttributeError:
                pass
        return super().__getattr__(attr)


class _FunctionMeta(type):
    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        cls._backward_name = name + "Backward"
        # torch gives each Function its node class, ``Foo._backward_cls`` named FooBackward
        # (its module shows as torch's: <class 'torch.autograd.function.FooBackward'>)
        cls._backward_cls = type(cls._backward_name, (_FunctionNode,),
                                 {"__slots__": (), "__init__": Node._init, "_forward_cls": cls,
                                  "__module__": "torch.autograd.function"})


class Function(metaclass=_FunctionMeta):
    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for "
                                  "your custom autograd.Function to use it with backward mode "
                                  "AD.")

    vjp = backward

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def jvp(ctx, *grad_inputs):
        raise NotImplementedError("You must implement the jvp function for custom "
                                  "autograd.Function to use it with forward mode AD.")

    @classmethod
    def apply(cls, *args, **kwargs):
        Tensor = _tensor_cls()
        ctx = BackwardCFunction()
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        with grad_mode.no_grad():
            if cls.setup_context is not Function.setup_context:
                # torch's other style: forward(*args) without ctx, then setup_context
                outputs = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, outputs)
            else:
                outputs = cls.forward(ctx, *args, **kwargs)
        single = not isinstance(outputs, tuple)
        outs = (outputs,) if single else outputs
        # an input returned as-is still gets a fresh handle with this node's history
        outs = tuple(Tensor._alias(o) if isinstance(o, Tensor) and
                     any(o is a for a in args) else o for o in outs)
        if grad_mode.is_grad_enabled() and any(ctx.needs_input_grad):
            _record(cls, ctx, args, outs)
        return outs[0] if single else outs


def _record(cls, ctx, args, outs):
    Tensor = _tensor_cls()
    tensor_args = [a for a in args if isinstance(a, Tensor)]
    edges = tuple(grad_edge(a) if a.requires_grad else (None, 0) for a in tensor_args)
    avals = tuple((tuple(o.shape), o.dtype._np) if isinstance(o, Tensor) else ((), None)
                  for o in outs)
    saved = tuple((t._storage, v, functools.partial(_describe, t))
                  for t, v in zip(ctx._saved, ctx._saved_versions) if t is not None)

    def run(grads, as_tensors):
        if not as_tensors:
            grads = [None if g is None else Tensor._make(g) for g in grads]
        result = cls.backward(ctx, *grads)
        if not isinstance(result, tuple):
            result = (result,)
        if len(result) != len(args):
            raise RuntimeError(f"function {cls._backward_name} returned an incorrect number of "
                               f"gradients (expected {len(args)}, got {len(result)})")
        per_tensor = [g for g, a in zip(result, args) if isinstance(a, Tensor)]
        if as_tensors:
            return per_tensor
        return [None if g is None else g._value() for g in per_tensor]

    node = cls._backward_cls(cls._backward_name, lambda cts: run(cts, False), edges, avals,
                             saved, diff=lambda cts: run(cts, True))
    node.ctx = ctx
    for i, o in enumerate(outs):
        if isinstance(o, Tensor) and id(o) not in ctx._non_differentiable and \
                (o.dtype.is_floating_point or o.dtype.is_complex):
            o._grad_fn = node
            o._requires_grad = True
            o._out_index = i


def _describe(t):
    from .._record import describe
    return describe(t)


def once_differentiable(fn):
    """Run a backward with grad disabled (its result is not differentiable again)."""
    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with grad_mode.no_grad():
            return fn(ctx, *args)
    return wrapper
