"""The variants derived from an op's declaration: the function, the method, the in-place
method and the operators (``registry.install`` attaches them), all calling ``_dispatch``."""
import functools

from . import _errors
from ._dispatch import (CPU, Tensor, _TENSORLIKE, _run_or_defer, call, call_inplace, call_out,
                        check_inplace)
from ._ops.registry import OPS
from ._tensor import Storage


def make_function(d):
    if d.order is not None:
        return _reordering(d, make_function_internal(d))
    return make_function_internal(d)


def make_function_internal(d):
    if "out" in d.variants:
        def function(*args, out=None, **kwargs):
            if out is not None:
                return call_out(d, args, kwargs, out)
            return call(d, args, kwargs)
    else:
        def function(*args, **kwargs):
            return call(d, args, kwargs)
    function.__name__ = d.name
    function.__qualname__ = d.name
    function.__doc__ = d.fn.__doc__
    return function


def make_method(d):
    if d.order is not None:
        def method(self, *args, **kwargs):
            return call(d, *d.to_internal((self,) + args, kwargs))
    else:
        def method(self, *args, **kwargs):
            return call(d, (self,) + args, kwargs)
    method.__name__ = d.name
    method.__doc__ = d.fn.__doc__
    return method


def make_inplace_composite(fn, name):
    """``Tensor.<name>`` for a composite declared ``variants="inplace"``: torch's autograd
    check of ``self`` (a leaf that requires grad...) runs before the op's own checks, and a
    str where a tensor belongs is torch's TypeError."""
    @functools.wraps(fn)
    def method(self, *args, **kwargs):
        check_inplace(self, args + tuple(kwargs.values()))
        return fn(self, *args, **kwargs)
    return _errors.guard_arguments(method, name, method=True)


def make_inplace(d):
    if d.order is not None:     # (self is the first tensor parameter: it stays first)
        def inplace(self, *args, **kwargs):
            args, kwargs = d.to_internal((self,) + args, kwargs)
            return call_inplace(d, self, args[1:], kwargs)
    else:
        def inplace(self, *args, **kwargs):
            return call_inplace(d, self, args, kwargs)
    inplace.__name__ = d.name + "_"
    inplace.__doc__ = f"In-place version of :func:`{d.name}`."
    return inplace


def _reordering(d, function):
    """``function`` (dispatcher order) taking its arguments in the op's declared order."""
    def declared(*args, **kwargs):
        args, kwargs = d.to_internal(args, kwargs)
        return function(*args, **kwargs)
    declared.__name__ = declared.__qualname__ = d.name
    declared.__doc__ = function.__doc__
    return declared


def _tensorlike(x):
    return isinstance(x, _TENSORLIKE)


def make_dunders(d):
    if d.n_tensors == 1:
        def unary(self):
            return call(d, (self,), {})
        return unary, None, None

    fast = d.fast

    def fwd(self, other):
        # the hottest path: ``a + b`` of two plain CPU tensors without grad, whose signature
        # call() has already compiled (the same key as call's fast path), inlined here
        if isinstance(other, Tensor):
            if self._view is None and other._view is None and not (
                    self._requires_grad or other._requires_grad) and \
                    self._storage.device is CPU and other._storage.device is CPU and \
                    d.check is None:
                hit = fast.get((self._dtype, not self._shape, other._dtype, not other._shape))
                if hit is not None:
                    a, b = self._storage, other._storage
                    pending = type(a) is not Storage or type(b) is not Storage
                    if not pending:     # (else the storages are passed on: see call)
                        a, b = a.array, b.array
                    return _run_or_defer(hit[0], [a, b], [self._shape, other._shape],
                                         pending, hit[1], hit[2])
        elif not isinstance(other, _TENSORLIKE):
            return NotImplemented
        return call(d, (self, other), {})

    if d.dunder == "truediv":
        def rev(self, other):
            # torch's Tensor.__rtruediv__ is ``self.reciprocal() * other``: two roundings and
            # a MulBackward0 node over ReciprocalBackward0, not a division
            if not _tensorlike(other):
                return NotImplemented
            return call(OPS["mul"], (call(OPS["reciprocal"], (self,), {}), other), {})
    else:
        def rev(self, other):
            if not _tensorlike(other):
                return NotImplemented
            return call(d, (other, self), {})

    def inp(self, other):
        if not _tensorlike(other):
            return NotImplemented
        return call_inplace(d, self, (other,), {})
    reflected = d.dunder not in ("eq", "ne", "lt", "le", "gt", "ge")
    return fwd, (rev if reflected else None), (inp if "inplace" in d.variants else None)
