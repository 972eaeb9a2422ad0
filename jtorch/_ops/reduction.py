"""Reductions. ``dim`` is static (int, tuple or None); torch's dtype rules: sum/prod of
bool/integers give int64, mean requires a floating or complex input. The reductions to an
extreme element (max, min, amax, argmax...) are in ``reduce_extremes.py``."""
import functools
import math

import jax
import jax.numpy as jnp

from .. import _dtypes, _rounding
from ._prod_order import ordered_prod
from .registry import Promotion, op


def _by_dim(name):
    """grad_fn name of a reduction: <Name>Backward0 over everything, ...Backward1 with dim."""
    def pick(targs, sargs, skw):
        dim = sargs[0] if sargs else skw.get("dim")
        return f"{name}Backward1" if dim is not None else f"{name}Backward0"
    return pick


def _axes(dim, ndim):
    if dim is None or dim == ():
        return None
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    n = max(ndim, 1)
    out = []
    for d in dims:
        if not isinstance(d, int):   # torch's argument parser: before any range check
            raise TypeError(f"argument 'dim' (position 2) must be tuple of ints, not "
                            f"{type(d).__name__}")
        if not -n <= d < n:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}],"
                             f" but got {d})")
        out.append(d % n)
    return tuple(out) if ndim else None


# ------------------------------------------------------------------ reductions without identity
def no_identity(name, *, no_dim=RuntimeError, hint=True, user_dim=False, int_dim=False):
    """An op check with torch's errors for a max-like reduction over nothing: no ``dim`` on an
    empty input (``no_dim``, with or without the hint), or an empty reduced dim (IndexError
    naming the dim as given when ``user_dim``, else wrapped). ``int_dim``: ``dim`` must be
    one int (torch's argument parser rejects a tuple first)."""
    what = f"{name}(): Expected reduction dim to be specified for input.numel() == 0."
    if hint:
        what += " Specify the reduction dim with the 'dim' argument."

    def check(input, dim=None, *args, **kwargs):
        if int_dim and dim is not None and not isinstance(dim, int):
            raise TypeError(f"{name}(): argument 'dim' (position 1) must be int, not "
                            f"{type(dim).__name__}")
        if input.numel():
            return
        if dim is None or (not isinstance(dim, int) and not len(dim)):
            raise no_dim(what)
        nd = input.dim()
        for d in ((dim,) if isinstance(dim, int) else dim):    # in order, as torch checks
            w = _axes(d, nd)[0]
            if input.shape[w] == 0:
                raise IndexError(f"{name}(): Expected reduction dim {d if user_dim else w} "
                                 f"to have non-zero size.")
    return check


def _plus_zero_value(x):
    # torch's sums start from +0.: an all -0. reduction (one element, for XLA drops the
    # initial value then) is +0.
    if jnp.iscomplexobj(x):
        return jax.lax.complex(_plus_zero_value(x.real), _plus_zero_value(x.imag))
    return jnp.where(x == 0, jnp.zeros((), x.dtype), x)


@jax.custom_jvp
def _plus_zero(x):
    return _plus_zero_value(x)


_plus_zero.defjvp(lambda primals, tangents: (_plus_zero(primals[0]), tangents[0]))


def _signed_sum(x):
    """``x`` (a sum's result) with torch's +0. for a sum of -0. values."""
    return _plus_zero(x) if jnp.issubdtype(x.dtype, jnp.inexact) else x


@op(variants="function method out", promote=Promotion.BOOL_TO_LONG, grad_fn=_by_dim("Sum"))
def sum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum over ``dim`` (all elements by default)."""
    return _signed_sum(jnp.sum(input, axis=_axes(dim, input.ndim), keepdims=keepdim))


@op(variants="function method out", promote=Promotion.BOOL_TO_LONG)
def nansum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum treating NaN as zero."""
    return _signed_sum(jnp.nansum(input, axis=_axes(dim, input.ndim), keepdims=keepdim))


def int_dim(name):
    """An op check: ``dim`` is one int (torch's argument parser rejects a tuple)."""
    def check(input, dim=None, *args, **kwargs):
        if dim is not None and not isinstance(dim, int):
            raise TypeError(f"{name}(): argument 'dim' (position 1) must be int, not "
                            f"{type(dim).__name__}")
    return check


def scan_check(name):
    """cumsum's and cumprod's check: ``dim`` is one int, and ``dtype=torch.bool`` is refused
    as torch's CPU kernel refuses it (a bool input without ``dtype`` counts in int64)."""
    dims = int_dim(name)

    def check(input, dim=None, *args, dtype=None, **kwargs):
        dims(input, dim)
        if dtype is _dtypes.bool:
            raise NotImplementedError(f"\"{name}_out_cpu\" not implemented for 'Bool'")
    return check


@op(variants="function method out", promote=Promotion.BOOL_TO_LONG, saves=("input", "result"),
    grad_fn=_by_dim("Prod"), check=int_dim("prod"))
def prod(input, dim=None, keepdim=False, *, dtype=None):
    """Product over ``dim``; its gradient is torch's prod_backward."""
    axes = _axes(dim, input.ndim)
    if not jnp.issubdtype(input.dtype, jnp.inexact):
        return jnp.prod(input, axis=axes, keepdims=keepdim)
    return _prod(input, axes, keepdim)


@functools.partial(jax.custom_jvp, nondiff_argnums=(1, 2))
def _prod(x, axes, keepdim):
    if x.ndim == 0 or jnp.issubdtype(x.dtype, jnp.complexfloating):
        return jnp.prod(x, axis=axes, keepdims=keepdim)
    return ordered_prod(x, axes, keepdim)   # torch's order (inf times 0 shows it)


@_prod.defjvp
def _prod_jvp(axes, keepdim, primals, tangents):
    # the derivative torch's prod_backward uses: result / input when no element is zero
    # (NaN at an infinite input, as torch's), else the product of the other elements
    (x,), (t,) = primals, tangents
    out = _prod(x, axes, keepdim)
    if x.ndim == 0:
        return out, t
    if axes is None:
        whole = out.reshape((1,) * x.ndim)
        others = _exclusive_prod(x.reshape(-1), 0).reshape(x.shape)
    else:
        whole = out if keepdim else jnp.expand_dims(out, axes)
        others = _exclusive_prod(x, axes[0])
    factor = jnp.where(jnp.any(x == 0), others, whole / x)
    return out, jnp.sum(factor * t, axis=axes, keepdims=keepdim).astype(out.dtype)


def _exclusive_prod(x, d):
    """The product of every other element along ``d`` (torch's prod_safe_zeros_backward)."""
    n = x.shape[d]
    if n <= 1:
        return jnp.ones_like(x)
    ones = jnp.ones_like(jax.lax.slice_in_dim(x, 0, 1, axis=d))
    before = jnp.cumprod(jnp.concatenate([ones, jax.lax.slice_in_dim(x, 0, n - 1, axis=d)], d),
                         axis=d)
    rest = jnp.flip(jax.lax.slice_in_dim(x, 1, n, axis=d), d)
    after = jnp.flip(jnp.cumprod(jnp.concatenate([ones, rest], d), axis=d), d)
    return before * after


def _float_only(name):
    """mean's dtype check (nanmean's first asks a floating input, whatever ``dtype``)."""
    def check(input, *args, dtype=None, **kwargs):
        inexact = input.dtype.is_floating_point or input.dtype.is_complex
        if name == "nanmean" and not inexact:
            raise RuntimeError(f"nanmean(): expected input to have floating point or complex "
                               f"dtype but got {_dtypes.torch_type_name(input.dtype)}")
        dt = _dtypes.as_dtype(dtype) if dtype is not None else input.dtype
        if not (dt.is_floating_point or dt.is_complex):
            which = "Optional" if dtype is not None else "Input"
            raise RuntimeError(f"{name}(): could not infer output dtype. {which} dtype must be "
                               f"either a floating point or complex dtype. Got: "
                               f"{_dtypes.torch_type_name(dt)}")
    return check


@op(variants="function method out", check=_float_only("mean"), grad_fn=_by_dim("Mean"))
def mean(input, dim=None, keepdim=False, *, dtype=None):
    """Arithmetic mean over ``dim``: the sum divided by the count, as torch (jnp.mean's
    division by a constant would become a multiplication: ``_rounding.divide``)."""
    axes = _axes(dim, input.ndim)
    total = _signed_sum(jnp.sum(input, axis=axes, keepdims=keepdim))
    count = input.size // max(total.size, 1) if input.size else 0
    return _rounding.divide(total, jnp.asarray(count, total.dtype))


# torch's nanmean is composite (nansum / count): its output node is DivBackward0
@op(variants="function method out", check=_float_only("nanmean"), grad_fn="DivBackward0")
def nanmean(input, dim=None, keepdim=False, *, dtype=None):
    """Mean ignoring NaN."""
    return jnp.nanmean(input, axis=_axes(dim, input.ndim), keepdims=keepdim)


def _correction(unbiased, correction):
    if correction is not None:
        return correction
    return 1 if unbiased in (None, True) else 0


def _check_moments(name, input):
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise RuntimeError(f"{name} only support floating point and complex dtypes")


def _check_var_std(input, *args, **kwargs):
    _check_moments("std and var", input)


# complex input: a real result (COMPLEX_TO_FLOAT), as torch's
@op(variants="function method out", promote=Promotion.COMPLEX_TO_FLOAT, check=_check_var_std,
    saves=("input",))
def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Variance with Bessel's correction by default (``correction=1``)."""
    if isinstance(dim, bool):  # var(x, False): the old positional ``unbiased``
        dim, unbiased = None, dim
    v = _var(input, _axes(dim, input.ndim), keepdim, _correction(unbiased, correction))
    return v.astype(jnp.finfo(input.dtype).dtype)


@op(variants="function method out", promote=Promotion.COMPLEX_TO_FLOAT, check=_check_var_std,
    saves=("input", "result"))
def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Standard deviation with Bessel's correction by default."""
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    v = _var(input, _axes(dim, input.ndim), keepdim, _correction(unbiased, correction))
    return _sqrt0(v).astype(jnp.finfo(input.dtype).dtype)    # the root of the wide variance


@jax.custom_vjp
def _sqrt0(v):
    """sqrt with torch's std_backward: grad / (2 std), 0 where std == 0 (JAX's is NaN)."""
    return jnp.sqrt(v)


def _sqrt0_fwd(v):
    out = jnp.sqrt(v)
    return out, out


def _sqrt0_bwd(out, g):
    return (jnp.where(out == 0, jnp.zeros((), g.dtype), g / (2 * jnp.where(out == 0, 1, out))),)


_sqrt0.defvjp(_sqrt0_fwd, _sqrt0_bwd)


# torch's CPU kernels accumulate moments in a wider type (float32 -> double): 1e30 squared
# is finite there
_ACC = {jnp.dtype(jnp.float32): jnp.float64, jnp.dtype(jnp.float16): jnp.float32,
        jnp.dtype(jnp.bfloat16): jnp.float32, jnp.dtype(jnp.complex64): jnp.complex128}


def accumulate(x):
    """``x`` in the type torch's CPU kernels accumulate its moments in."""
    acc = _ACC.get(jnp.dtype(x.dtype))
    return x if acc is None else x.astype(acc)


@functools.partial(jax.custom_jvp, nondiff_argnums=(1, 2, 3))
def _var(x, axes, keepdim, ddof):
    """The variance in the accumulation type (``accumulate``)."""
    return var_value(x, axes, keepdim, ddof)


def var_value(x, axis, keepdim, correction):
    """The variance in torch's accumulation type (float32 -> double), divided as torch's by
    max(N - correction, 0): a positive sum over zero degrees of freedom is inf, and 0 / 0 the
    CPU's NaN (jnp.var gives a positive NaN constant for both)."""
    n = x.size if axis is None else math.prod(x.shape[a] for a in axis)
    x = accumulate(x)
    dev = x - jnp.mean(x, axis=axis, keepdims=True)
    sq = (dev * jnp.conj(dev)).real if jnp.iscomplexobj(dev) else dev * dev
    return jnp.sum(sq, axis=axis, keepdims=keepdim) / max(n - correction, 0)


@_var.defjvp
def _var_jvp(axes, keepdim, ddof, primals, tangents):
    # torch's var_backward, 2 / (N - c) * (x - mean): JAX's own derivative also differentiates
    # the mean, which is exactly zero in theory but NaN when the input holds an inf
    (x,), (t,) = primals, tangents
    n = x.size if axes is None or x.ndim == 0 else math.prod(x.shape[a] for a in axes)
    scale = 2 / (n - ddof) if n > ddof else math.inf
    centered = x - jnp.mean(x, axis=axes, keepdims=True)
    # complex input: the variance is real, its derivative Re(conj(x - mean) * t)
    prod = (jnp.conj(centered) * t).real if jnp.iscomplexobj(x) else centered * t
    out = _var(x, axes, keepdim, ddof)
    return out, (jnp.sum(prod, axis=axes, keepdims=keepdim) * scale).astype(out.dtype)


@op(variants="function method out", promote=Promotion.NONE, grad_fn=None)
def all(input, dim=None, keepdim=False):
    """True when every element is non-zero."""
    r = jnp.all(input != 0, axis=_axes(dim, input.ndim), keepdims=keepdim)
    return r if input.dtype != jnp.uint8 else r.astype(jnp.uint8)


@op(variants="function method out", promote=Promotion.NONE, grad_fn=None)
def any(input, dim=None, keepdim=False):
    """True when some element is non-zero."""
    r = jnp.any(input != 0, axis=_axes(dim, input.ndim), keepdims=keepdim)
    return r if input.dtype != jnp.uint8 else r.astype(jnp.uint8)


@op(variants="function method out", promote=Promotion.BOOL_TO_LONG, check=scan_check("cumsum"))
def cumsum(input, dim, *, dtype=None):
    """Cumulative sum along ``dim``."""
    axis = _axes(dim, input.ndim)
    if input.ndim == 0:      # jnp.cumsum flattens a 0-d input to shape (1,)
        return input
    return _signed_sum(cpu_acc_scan(jnp.cumsum, input, axis[0]))


# torch's CPU acc_type: the type a CPU scan carries its running value in
_CPU_ACC = {jnp.dtype(jnp.float16): jnp.float32, jnp.dtype(jnp.bfloat16): jnp.float32,
            jnp.dtype(jnp.float32): jnp.float64, jnp.dtype(jnp.complex64): jnp.complex128}


def cpu_acc_scan(scan, x, axis):
    """``scan`` (cumsum, cumprod) as torch's CPU kernel: the running value is carried at
    acc_type and each output rounded to x's dtype, so a float32 running product that passes
    float32's range still comes back to a finite value (or 0 after a zero) where torch's does."""
    acc = _CPU_ACC.get(jnp.dtype(x.dtype))
    if acc is None:
        return scan(x, axis=axis)
    return scan(x.astype(acc), axis=axis).astype(x.dtype)


@op(variants="function method out", promote=Promotion.INT_TO_FLOAT, saves=("input", "result"))
def logsumexp(input, dim, keepdim=False):
    """``log(sum(exp(x)))`` computed stably."""
    axes = _axes(dim, input.ndim)
    if input.size == 0 or input.ndim == 0:
        import jax.scipy.special as jss
        return jss.logsumexp(input, axis=axes, keepdims=keepdim)
    out = _logsumexp(input, axes if axes is not None else tuple(range(input.ndim)))
    return out if keepdim else jnp.squeeze(out, axes)


@functools.partial(jax.custom_jvp, nondiff_argnums=(1,))
def _logsumexp(x, axes):
    # torch's: shift by the max (an infinite max shifts by 0), keep the reduced dims
    m = jnp.max(x, axis=axes, keepdims=True)
    m = jnp.where(jnp.isinf(m), jnp.zeros_like(m), m)
    return jnp.log(jnp.sum(jnp.exp(x - m), axis=axes, keepdims=True)) + m


@_logsumexp.defjvp
def _logsumexp_jvp(axes, primals, tangents):
    # torch's formula, grad * exp(x - result): an element below an infinite result gets 0
    # (JAX's autodiff of the shifted form gives NaN there)
    (x,), (t,) = primals, tangents
    out = _logsumexp(x, axes)
    return out, jnp.sum(t * jnp.exp(x - out), axis=axes, keepdims=True)
