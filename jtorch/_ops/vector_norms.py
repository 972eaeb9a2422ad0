"""Vector norms: torch.norm (p-norms, 'fro', 'nuc') and dist. Gradients are torch's
norm_backward (0 at a zero norm)."""
import math

import jax
import jax.numpy as jnp

from .. import _dtypes
from . import _vector_norm as _vn
from .._out_arg import result_into as _out
from .reduction import _axes
from .registry import Promotion, composite, op


def _pnorm_value(x, p, axis, keepdim, single):
    r = _vn.size_one_norm(x, p, axis, keepdim) if single else None
    if r is not None:
        return r
    a = jnp.abs(x)
    if p == math.inf:
        return jnp.max(a, axis=axis, keepdims=keepdim)
    if p == -math.inf:
        return jnp.min(a, axis=axis, keepdims=keepdim)
    if p == 0:
        return jnp.sum(a != 0, axis=axis, keepdims=keepdim).astype(a.dtype)
    if p == 1:
        return jnp.sum(a, axis=axis, keepdims=keepdim)
    if p == 2:
        return jnp.sqrt(_vn.guard_single(jnp.sum(a * a, axis=axis, keepdims=keepdim)))
    return _vn.guard_single(jnp.sum(a ** p, axis=axis, keepdims=keepdim)) ** (1.0 / p)


def _sgn(x):
    if jnp.iscomplexobj(x):
        a = jnp.abs(x)
        return jnp.where(a == 0, 0, x / jnp.where(a == 0, 1, a))
    return jnp.sign(x)


def _pnorm_grad(x, p, axis, keepdim, norm, g):
    """torch's norm_backward."""
    if not keepdim and axis is not None:
        norm = jnp.expand_dims(norm, axis)
        g = jnp.expand_dims(g, axis)
    elif not keepdim:
        norm = norm.reshape((1,) * x.ndim)
        g = g.reshape((1,) * x.ndim)
    zero = jnp.zeros((), x.dtype)
    if p == 0:
        return jnp.zeros_like(x)
    if p == 1:
        return _sgn(x) * g
    if p == 2:
        return g * jnp.where(norm == 0, zero, x / jnp.where(norm == 0, 1, norm))
    if math.isinf(p):
        a = jnp.abs(x)
        mask = (a == norm) | jnp.isnan(a)
        cnt = jnp.sum(mask, axis=axis, keepdims=True).astype(g.dtype)
        return _sgn(x) * ((g / cnt) * mask)
    a = jnp.abs(x)
    if p < 1:
        scaled = _sgn(x) * jnp.where(x == 0, zero, a ** (p - 1))
        return scaled * g * norm ** (1 - p)
    scaled = _sgn(x) * a ** (p - 1) if p < 2 else x * a ** (p - 2)
    scale = jnp.where(norm == 0, jnp.zeros((), g.dtype), g / norm ** (p - 1))
    return scaled * scale


def _make_pnorm(p, axis, keepdim, single=True):
    @jax.custom_vjp
    def f(x):
        return _pnorm_value(x, p, axis, keepdim, single)

    def fwd(x):
        out = _pnorm_value(x, p, axis, keepdim, single)
        return out, (x, out)

    def bwd(res, g):
        x, out = res
        return (_pnorm_grad(x, p, axis, keepdim, out, g).astype(x.dtype),)
    f.defvjp(fwd, bwd)
    return f


def _vector_norm(x, p, dim, keepdim):
    axis = None if dim is None or dim == () else _axes(dim, x.ndim)
    # an explicit dim on a 0-dim input skips torch's size-1 shortcut (it reads past the shape)
    single = x.ndim != 0 or dim is None or dim == ()
    if x.ndim == 0:
        axis = None
    return _make_pnorm(float(p), axis, keepdim, single)(x)


@op(variants="", promote=Promotion.COMPLEX_TO_FLOAT, grad_fn="LinalgVectorNormBackward0",
    name="_vector_norm", saves=("input", "result"))
def _vector_norm_op(input, ord=2.0, dim=None, keepdim=False):
    return _vector_norm(input, ord, dim, keepdim)


def _check_float_norm(input, name="linalg.vector_norm"):
    dt = input.dtype
    if not (dt.is_floating_point or dt.is_complex):
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. "
                           f"Got {_dtypes.torch_type_name(dt)}")


@composite()
def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """torch.norm: a vector norm over ``dim`` (every element by default); ``'fro'`` is the
    2-norm, ``'nuc'`` the nuclear norm."""
    if isinstance(dim, int):
        dim = (dim,)
    elif isinstance(dim, list):
        dim = tuple(dim)
    x = input if dtype is None else input.to(dtype)
    if isinstance(p, str):
        if p == "fro" and (dim is None or len(dim) <= 2):
            _check_float_norm(x)
            return _out(_vector_norm_op(x, 2.0, dim, keepdim), out)
        if p == "nuc":
            _check_float_norm(x, "linalg.matrix_norm")
            from .. import linalg as _linalg
            d = dim if dim is not None else tuple(range(x.dim()))
            m = x.movedim(d, (-2, -1))
            res = _linalg.svdvals(m).sum(-1)
            if keepdim:
                for k in sorted(a % x.dim() for a in d):
                    res = res.unsqueeze(k)
            return _out(res, out)
        raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")
    _check_float_norm(x)
    return _out(_vector_norm_op(x, 2.0 if p is None else float(p), dim, keepdim), out)


def _check_dist(input, other, p=2):
    """torch's dist is norm(input - other): the difference's errors (two bools), then a
    non-floating difference (mixed int/float operands promote and are fine)."""
    if input.dtype is _dtypes.bool and other.dtype is _dtypes.bool:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    dt = _dtypes.promote_types(input.dtype, other.dtype)
    if not (dt.is_floating_point or dt.is_complex):
        raise RuntimeError(f"norm(): input dtype should be either floating point or complex. "
                           f"Got {_dtypes.torch_type_name(dt)} instead.")


@op(variants="function method", tensors=("input", "other"), check=_check_dist,
    promote=Promotion.COMPLEX_TO_FLOAT,
    saves=("input", "other", "result"))
def dist(input, other, p=2):
    """``norm(input - other, p)`` over every element."""
    return _vector_norm(input - other, float(p), None, False)


# torch.norm is Python code that reads ``input.layout`` first (an AttributeError for a str)
norm._python_attributes = {"input": "layout"}
