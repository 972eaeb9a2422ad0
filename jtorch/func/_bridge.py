"""Between jtorch tensors and JAX arrays: a jtorch function as a function of arrays."""
from __future__ import annotations

import jax

import jtorch
from .. import _trace

Tensor = jtorch.Tensor


def _is_tensor(x):
    return isinstance(x, Tensor)


def to_arrays(tree):
    """Tensors in ``tree`` -> their jax arrays (or tracers)."""
    return jax.tree_util.tree_map(lambda x: x._value() if _is_tensor(x) else x, tree,
                                  is_leaf=_is_tensor)


def to_tensors(tree):
    """jax arrays (or tracers) in ``tree`` -> tensors over them."""
    return jax.tree_util.tree_map(lambda x: Tensor._make(x) if isinstance(x, jax.Array)
                                  else x, tree)


def pure(func, kwargs=None, key=None):
    """``func`` on tensors as a function of arrays, traced in jtorch's tracing mode (no
    autograd recording: JAX differentiates)."""
    kwargs = kwargs or {}

    def f(*arrays):
        with _trace.tracing(key), jtorch.no_grad():
            return to_arrays(func(*to_tensors(arrays), **kwargs))
    return f


def pure_aux(func, kwargs=None):
    """Like ``pure`` for a function returning ``(output, aux)``."""
    f = pure(func, kwargs)

    def g(*arrays):
        out = f(*arrays)
        if not isinstance(out, tuple) or len(out) != 2:
            raise RuntimeError("grad_and_value(f)(*args): output of function f should be a "
                               "tuple: (output, aux) if has_aux is True")
        return out
    return g
