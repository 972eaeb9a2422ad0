"""Tensor's autograd members: ``requires_grad``, ``grad``, ``grad_fn``, ``is_leaf``, hooks,
``retain_grad`` and ``backward``. Written here as plain functions and properties; ``_tensor``
attaches them to ``Tensor`` as its own (same ``__qualname__`` and ``__module__``, so ``help``
reads ``Tensor.backward``; an attached function is looked up as fast as one defined in the
class body). The hot ``_requires_grad`` read stays in the class.

Like ``_tensor``, a leaf at import: the autograd machinery is imported when a member runs.
"""
from __future__ import annotations


@property
def requires_grad(self):
    return self._requires_grad


@requires_grad.setter
def requires_grad(self, flag):
    # torch's setter refuses any change on a non-leaf (the short message for True) before
    # it looks at the dtype; requires_grad_() lets True through on a non-leaf after the check
    if self._grad_fn is not None:
        _refuse_non_leaf(short=bool(flag))
    self._set_requires_grad(flag, "only Tensors of floating point and complex dtype can "
                                  "require gradients")


def requires_grad_(self, requires_grad=True):
    return self._set_requires_grad(requires_grad, "only Tensors of floating point dtype "
                                                  "can require gradients")


def _refuse_non_leaf(short):
    message = "you can only change requires_grad flags of leaf variables."
    if not short:
        message += (" If you want to use a computed variable in a subgraph that doesn't "
                    "require differentiation use var_no_grad = var.detach().")
    raise RuntimeError(message)


def _set_requires_grad(self, requires_grad, dtype_message):
    if self._grad_fn is not None and not requires_grad:
        _refuse_non_leaf(short=False)
    if requires_grad and not (self._dtype.is_floating_point or self._dtype.is_complex):
        raise RuntimeError(dtype_message)
    if self._grad_fn is None:
        self._requires_grad = bool(requires_grad)
    return self


@property
def grad_fn(self):
    if self._base is not None and self._view_version != self._storage.version:
        return _regenerate_view_grad_fn(self)
    return self._grad_fn


@property
def is_leaf(self):
    return self.grad_fn is None


@property
def grad(self):
    if self._grad_fn is not None and not self._retains_grad:
        import warnings
        warnings.warn(
            "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its "
            ".grad attribute won't be populated during autograd.backward(). If you indeed "
            "want the .grad field to be populated for a non-leaf Tensor, use .retain_grad() "
            "on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure "
            "you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 "
            "for more informations. (Triggered internally at "
            "/pytorch/build/aten/src/ATen/core/TensorBody.h:494.)", UserWarning, stacklevel=2)
    return self._grad


@grad.setter
def grad(self, value):
    if value is not None:
        from ._tensor import Tensor    # (Tensor builds on this module)
        if not isinstance(value, Tensor):
            raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of "
                            f"type {type(value).__name__}")
        if value.dtype != self._dtype:
            raise RuntimeError("attempting to assign a gradient with dtype "
                               f"'{value.dtype.__repr__()[6:]}' to a tensor with dtype "
                               f"'{self._dtype.__repr__()[6:]}'. Please ensure that the "
                               "gradient and the tensor have the same dtype")
        if value.shape != self._shape:
            raise RuntimeError(f"assigned grad has data of a different size")
    self._grad = value


@grad.deleter
def grad(self):
    self._grad = None


def retain_grad(self):
    if self._grad_fn is None:
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        return
    if not self._retains_grad:
        import weakref
        fn = self._grad_fn
        if fn._retained is None:
            fn._retained = {}
        fn._retained[self._out_index] = weakref.ref(self)
    self._retains_grad = True


@property
def retains_grad(self):
    return self._retains_grad


def register_hook(self, hook):
    if not self._requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    from .autograd.graph import RemovableHandle
    if self._hooks is None:
        self._hooks = {}
        fn = self._grad_fn
        if fn is not None:
            # a non-leaf's hooks run when its grad_fn receives the gradient of this output
            if fn._tensor_hooks is None:
                fn._tensor_hooks = {}
            fn._tensor_hooks.setdefault(self._out_index, []).append(self._hooks)
    handle = RemovableHandle(self._hooks)
    self._hooks[handle.id] = hook
    return handle


def register_post_accumulate_grad_hook(self, hook):
    """``hook(tensor)`` after backward accumulated into this leaf's ``.grad``."""
    if not self._requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if self._grad_fn is not None:
        raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf "
                           "tensors")
    from .autograd.graph import RemovableHandle
    hooks = self.__dict__.setdefault("_post_acc_hooks", {})
    handle = RemovableHandle(hooks)
    hooks[handle.id] = hook
    return handle


def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    from .autograd.engine import backward
    backward((self,), None if gradient is None else (gradient,), retain_graph,
             create_graph, inputs=inputs)


def _regenerate_view_grad_fn(view):
    """The storage changed since this view's grad_fn was set (see _view_autograd)."""
    from ._view_autograd import regenerate     # (it builds on Tensor: a function import)
    return regenerate(view)


MEMBERS = {name: globals()[name] for name in (
    "requires_grad", "requires_grad_", "_set_requires_grad", "grad_fn", "is_leaf", "grad",
    "retain_grad", "retains_grad", "register_hook", "register_post_accumulate_grad_hook",
    "backward")}
