"""torch.func on JAX's transforms: the jtorch function is traced (``jtorch._trace``) and JAX
transforms the traced program, so ``vmap`` is one vectorised program and ``grad`` one
reverse pass; values equal torch.func's. Plus the JAX interop of issue 19:
``to_jax_function(module)`` -> ``(params, fn)`` with ``fn(params, *args)`` pure JAX."""
from __future__ import annotations

import functools

import jax
import numpy as np

import jtorch
from .. import random as _random
from .._api_runtime import check_vmap_randomness
from ..nn.utils.stateless import functional_call
from ._bridge import pure, pure_aux, to_arrays, to_tensors

__all__ = ["functional_call", "grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd",
           "hessian", "vmap", "stack_module_state", "to_jax_function", "linearize"]


def _check_argnums(argnums, n):
    nums = argnums if isinstance(argnums, tuple) else (argnums,)
    for a in nums:
        if not isinstance(a, int):
            raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(argnums)}")
        if not -n <= a < n:
            raise RuntimeError(f"Got argnums={a}, but only {n} positional inputs")
    return argnums


def grad_and_value(func, argnums=0, has_aux=False):
    """``(gradient, value)`` of a scalar-valued ``func`` (``((g, (value, aux))``... as
    torch: with ``has_aux`` the value is ``(output, aux)``)."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        nums = _check_argnums(argnums, len(args))
        f = pure_aux(func, kwargs) if has_aux else pure(func, kwargs)
        out = jax.value_and_grad(f, nums, has_aux=has_aux)(*to_arrays(args))
        (value, g) = out
        return to_tensors(g), to_tensors(value)
    return wrapper


def grad(func, argnums=0, has_aux=False):
    """The gradient of a scalar-valued ``func`` with respect to ``args[argnums]``."""
    gv = grad_and_value(func, argnums, has_aux)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        g, value = gv(*args, **kwargs)
        return (g, value[1]) if has_aux else g
    return wrapper


def vjp(func, *primals, has_aux=False):
    """``(output, vjp_fn)``; ``vjp_fn(cotangents)`` returns one gradient per primal."""
    f = pure_aux(func) if has_aux else pure(func)
    res = jax.vjp(f, *to_arrays(primals), has_aux=has_aux)
    out, fn = res[0], res[1]

    def vjp_fn(*cts):
        cts = cts[0] if len(cts) == 1 else cts
        return to_tensors(tuple(fn(to_arrays(cts))))
    if has_aux:
        return to_tensors(out), vjp_fn, to_tensors(res[2])
    return to_tensors(out), vjp_fn


def jvp(func, primals, tangents, *, strict=False, has_aux=False):
    """``(output, jvp_out)`` of ``func`` at ``primals`` along ``tangents``."""
    if not isinstance(primals, tuple) or not isinstance(tangents, tuple):
        raise RuntimeError("jvp(f, primals, tangents): Expected primals to be a tuple. E.g. "
                           "it should be valid to call f(*primals).")
    f = pure_aux(func) if has_aux else pure(func)
    res = jax.jvp(f, to_arrays(primals), to_arrays(tangents), has_aux=has_aux)
    return to_tensors(tuple(res))


def linearize(func, *primals):
    f = pure(func)
    out, fn = jax.linearize(f, *to_arrays(primals))
    return to_tensors(out), lambda *t: to_tensors(fn(*to_arrays(t)))


def _jac(transform):
    def make(func, argnums=0, *, has_aux=False, **_ignored):
        @functools.wraps(func)
        def wrapper(*args):
            nums = _check_argnums(argnums, len(args))
            f = pure_aux(func) if has_aux else pure(func)
            return to_tensors(transform(f, nums, has_aux=has_aux)(*to_arrays(args)))
        return wrapper
    return make


jacrev = _jac(jax.jacrev)
jacfwd = _jac(jax.jacfwd)


def hessian(func, argnums=0):
    return jacfwd(jacrev(func, argnums), argnums)


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """``func`` mapped over a dimension of its inputs as one vectorised program."""
    check_vmap_randomness(randomness)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        dims = in_dims if isinstance(in_dims, tuple) else (in_dims,) * len(args)
        if len(dims) != len(args):
            raise ValueError(f"vmap(f, in_dims={in_dims}, ...)(<inputs>): in_dims is not "
                             f"compatible with the structure of `inputs`. in_dims has "
                             f"structure {len(dims)} but inputs has structure {len(args)}.")
        dims = tuple(None if not jax.tree_util.tree_leaves(
            a, is_leaf=lambda x: isinstance(x, jtorch.Tensor)) or
            not any(isinstance(x, jtorch.Tensor) for x in jax.tree_util.tree_leaves(
                a, is_leaf=lambda x: isinstance(x, jtorch.Tensor))) else d
            for a, d in zip(args, dims))
        arrays = to_arrays(args)
        if randomness == "error":
            f = _no_random(pure(func, kwargs))
            return to_tensors(jax.vmap(f, dims, out_dims)(*arrays))
        key = _key()
        if randomness == "same":
            f = pure(func, kwargs, key=key)
            return to_tensors(jax.vmap(f, dims, out_dims)(*arrays))
        n = _size(arrays, dims)
        keys = jax.random.key_data(jax.random.split(jax.random.wrap_key_data(key), n))
        g = lambda k, *a: pure(func, kwargs, key=k)(*a)  # noqa: E731
        return to_tensors(jax.vmap(g, (0,) + dims, out_dims)(keys, *arrays))
    return wrapper


def _no_random(f):
    def g(*a):
        try:
            return f(*a)
        except RuntimeError as e:
            if "randomness=" in str(e):
                raise RuntimeError("vmap: called random operation while in randomness error "
                                   "mode. Please either use the 'same' or 'different' "
                                   "randomness flags on vmap or perform the randomness "
                                   "operation out of vmap") from None
            raise
    return g


def _key():
    return np.asarray(_random.default_generator._words(2), np.uint32)


def _size(arrays, dims):
    for a, d in zip(arrays, dims):
        if d is not None:
            return jax.tree_util.tree_leaves(a)[0].shape[d]
    raise ValueError("vmap: at least one input must be mapped")


def stack_module_state(models):
    """``(params, buffers)``: each name's tensors of ``models`` stacked on a new dim 0."""
    params = {n: jtorch.stack([dict(m.named_parameters())[n].detach() for m in models])
              for n, _ in models[0].named_parameters()}
    buffers = {n: jtorch.stack([dict(m.named_buffers())[n] for m in models])
               for n, _ in models[0].named_buffers()}
    for p in params.values():
        p.requires_grad_(True)
    return params, buffers


def from_jax(array):
    """A tensor over the jax array ``array`` (no copy: jax arrays are immutable, and an
    in-place write gives the tensor a new array)."""
    return jtorch.Tensor._make(array)


def to_jax(tensor):
    """The tensor's values as a jax array (no copy for a non-view tensor)."""
    return tensor._value()


def to_jax_function(module):
    """``(params, fn)``: the module's parameters and buffers as a dict of jax arrays and
    ``fn(params, *args)`` the module's forward as a pure JAX function (jit, grad, optax)."""
    params = {n: t._value() for n, t in list(module.named_parameters()) +
              list(module.named_buffers())}

    def fn(params, *args, **kwargs):
        def call(p, *a):
            return functional_call(module, p, a, kwargs)
        return pure(call)(params, *args)
    return params, fn
