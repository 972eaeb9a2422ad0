"""torch.* math functions of issue 18: element-wise kernels (frexp, ldexp, complex, polar,
nextafter) as ops of the table, and compositions of table ops written in torch's order
(cov, corrcoef, vander, renorm, ...; trapezoid and gradient are in ``api_calculus.py``).
The table ops are named ``api_*`` and have function variants only: the ``Tensor`` methods
are another module's."""
import jax
import jax.numpy as jnp

from .. import _dtypes, return_types
from .._tensor import Tensor
from .pointwise import _not_built
from .registry import Promotion, composite, op

frexp_t = return_types._make("frexp", ["mantissa", "exponent"])

_FLOATS = ("float16", "bfloat16", "float32", "float64")


def _is_float(t):
    return repr(t.dtype)[6:] in _FLOATS


# ------------------------------------------------------------------ element-wise kernels
def _check_frexp(input, *a, **k):
    if not _is_float(input):
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")


@op(variants="", promote=Promotion.NONE, grad_fn="FrexpBackward0", check=_check_frexp)
def api_frexp(input):
    # mantissa in [0.5, 1) by magnitude (0, inf and nan pass through with exponent 0)
    m, e = jnp.frexp(input)
    return m, e.astype(jnp.int32)


api_frexp.returns = frexp_t


@composite(variants="function")
def frexp(input, *, out=None):
    """Decompose into mantissa and int32 exponent: input = mantissa * 2 ** exponent."""
    return api_frexp(input)


@op(variants="", tensors=("input", "other"), promote=Promotion.INT_TO_FLOAT,
    grad_fn="LdexpBackward0", saves=("other",))
def api_ldexp(input, other, int_exponent=False):
    """input * 2 ** other. torch's gradient for input is pow(2, other) in other's dtype: for
    an integer exponent below 0 that integer power is 0, so the gradient is 0 there."""
    scale = jnp.exp2(other)
    if not int_exponent:
        return input * scale
    gscale = jnp.where(other < 0, jnp.zeros_like(scale), scale)
    # the value is input * scale exactly either way; only gscale carries the gradient
    return input * gscale + jax.lax.stop_gradient(input * (scale - gscale))


def _int_exponent(other):
    import jtorch
    return isinstance(other, int) or (isinstance(other, jtorch.Tensor) and not (
        other.is_floating_point() or other.is_complex()))


@composite(variants="function")
def ldexp(input, other, *, out=None):
    """input * 2 ** other."""
    return api_ldexp(input, other, _int_exponent(other))


@composite(variants="function")
def ldexp_(input, other):
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        # the result is floating: torch names the op in its cast error
        raise RuntimeError(f"ldexp can't be cast to the desired output type "
                           f"{_dtypes.torch_type_name(input.dtype)}")
    from .._dispatch import call_inplace
    return call_inplace(api_ldexp, input, (other, _int_exponent(other)), {})


def _check_complex(real, imag, *a, **k):
    import jtorch
    for t in (real, imag):
        if not isinstance(t, jtorch.Tensor):
            raise TypeError(f"complex(): argument 'real' (position 1) must be Tensor, not "
                            f"{type(t).__name__}")
    if not (_is_float(real) and _is_float(imag)) or "bfloat16" in (repr(real.dtype),):
        raise RuntimeError(f"Expected both inputs to be Half, Float or Double tensors but got "
                           f"{real.type()[6:-6]} and {imag.type()[6:-6]}")
    if real.dtype != imag.dtype:
        raise RuntimeError(f"Expected object of scalar type {real.type()[6:-6]} but got scalar "
                           f"type {imag.type()[6:-6]} for second argument")


def _complex_of(dtype):
    return jnp.complex128 if dtype == jnp.float64 else jnp.complex64


@op(variants="", tensors=("real", "imag"), promote=Promotion.NONE, check=_check_complex,
    grad_fn="ComplexBackward0")
def api_complex(real, imag):
    real, imag = jnp.broadcast_arrays(real, imag)
    return jax.lax.complex(real, imag).astype(_complex_of(real.dtype))


@op(variants="", tensors=("abs", "angle"), promote=Promotion.NONE, check=_check_complex,
    grad_fn="PolarBackward0")
def api_polar(abs, angle):
    abs, angle = jnp.broadcast_arrays(abs, angle)
    return jax.lax.complex(abs * jnp.cos(angle), abs * jnp.sin(angle)).astype(
        _complex_of(abs.dtype))


@composite(variants="function")
def complex(real, imag, *, out=None):
    """real + i imag, both Half, Float or Double of one dtype."""
    return api_complex(real, imag)


@composite(variants="function")
def polar(abs, angle, *, out=None):
    """abs * (cos(angle) + i sin(angle))."""
    return api_polar(abs, angle)


@jax.custom_jvp
def _nextafter(input, other):
    return jnp.nextafter(input, other)


@_nextafter.defjvp
def _nextafter_jvp(primals, tangents):
    # torch's derivative: the identity for input, zero for other
    out = _nextafter(*primals)
    return out, jnp.broadcast_to(tangents[0], out.shape).astype(out.dtype)


@op(variants="", tensors=("input", "other"), promote=Promotion.DEFAULT,
    grad_fn="NextafterBackward0")
@_not_built("nextafter_cpu", "bool int")
def api_nextafter(input, other):
    return _nextafter(input, other)


@composite(variants="function")
def nextafter(input, other, *, out=None):
    """The next representable float after input towards other."""
    for pos, (name, x) in enumerate((("input", input), ("other", other)), 1):
        if not isinstance(x, Tensor):           # (torch takes no Python number here)
            raise TypeError(f"nextafter(): argument '{name}' (position {pos}) must be Tensor, "
                            f"not {type(x).__name__}")
    return api_nextafter(input, other)


# ------------------------------------------------------------------ statistics
def _check_cov_weights(name, w, n_obs):
    """torch's checks of cov's fweights (integral) or aweights (floating), in its order."""
    import jtorch
    if w is None:
        return
    if not isinstance(w, jtorch.Tensor):
        raise TypeError(f"cov(): argument '{name}' must be Tensor, not {type(w).__name__}")
    if w.dim() > 1:
        raise RuntimeError(f"cov(): expected {name} to have one or fewer dimensions but got "
                           f"{name} with {w.dim()} dimensions")
    integral = name == "fweights"
    if (w.is_floating_point() or w.is_complex() or w.dtype == jtorch.bool) == integral:
        kind = "integral" if integral else "floating point"
        raise RuntimeError(f"cov(): expected {name} to have {kind} dtype but got {name} with "
                           f"{w.type()[6:-6]} dtype")
    if w.numel() != n_obs:
        raise RuntimeError(f"cov(): expected {name} to have the same numel as there are "
                           f"observations in the input but got {w.numel()} != {n_obs}")
    if w.numel() and bool(w.min() < 0):
        raise RuntimeError(f"cov(): {name} cannot be negative")


@composite(variants="function")
def cov(input, *, correction=1, fweights=None, aweights=None):
    """Covariance of the rows (variables) of input over its columns (observations), with
    optional integer frequency and float observation weights (torch's formula)."""
    import jtorch
    if isinstance(correction, bool) or not isinstance(correction, int):
        raise TypeError(f"cov(): argument 'correction' must be int, not "
                        f"{type(correction).__name__}")
    if input.dim() > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an "
                           f"input with {input.dim()} dimensions")
    if input.dtype == jtorch.bool:
        raise RuntimeError("cov(): bool dtype is not supported for input")
    if not (input.is_floating_point() or input.is_complex()):
        input = input.to(jtorch.get_default_dtype())   # integers: in the default float type
    x = input.view(1, -1) if input.dim() < 2 else input
    n_obs = x.shape[1]
    _check_cov_weights("fweights", fweights, n_obs)
    _check_cov_weights("aweights", aweights, n_obs)
    w = None
    if fweights is not None:
        w = fweights
    if aweights is not None:
        w = aweights if w is None else w * aweights
    if w is None:
        avg = x.mean(1)
        w_sum = jtorch.tensor(n_obs, dtype=jtorch.int64)
    else:
        w_sum = w.sum()
        avg = (x * w).sum(1) / w_sum
    if w is None:
        norm_factor = w_sum - correction
    elif correction == 0:
        norm_factor = w_sum
    elif aweights is None:
        norm_factor = w_sum - correction
    else:
        norm_factor = w_sum - correction * (w * aweights).sum() / w_sum
    norm_factor = jtorch.clamp(norm_factor, min=0) if not norm_factor.is_floating_point() \
        else norm_factor.clamp(min=0)
    xm = x - avg.unsqueeze(1)
    c = jtorch.mm(xm, (xm if w is None else xm * w).t().conj())
    return c.div(norm_factor).squeeze()


@composite(variants="function")
def corrcoef(input):
    """Pearson correlation coefficients: cov normalised by the standard deviations, clipped
    to [-1, 1] (real and imaginary parts for complex input)."""
    import jtorch
    c = cov(input)
    if c.dim() == 0:
        return c / c
    d = jtorch.diagonal(c)
    stddev = jtorch.sqrt(d.real if d.is_complex() else d)
    c = c / stddev.view(-1, 1)
    c = c / stddev.view(1, -1)
    if c.is_complex():
        return jtorch.complex(c.real.clip(-1, 1), c.imag.clip(-1, 1))
    return c.clip(-1, 1)


@composite(variants="function")
def vander(x, N=None, increasing=False):
    """Columns x^0 .. x^(N-1) (reversed unless increasing): a cumulative product."""
    import jtorch
    if x.dim() != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = x.shape[0] if N is None else N
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    dtype = jtorch.promote_types(x.dtype, jtorch.int64)
    result = jtorch.ones(x.shape[0], n, dtype=dtype)
    if n > 1:
        powers = jtorch.cumprod(x.to(dtype).unsqueeze(1).expand(x.shape[0], n - 1), dim=1)
        result = jtorch.cat([result[:, :1], powers], dim=1)
    return result if increasing else result.flip(1)


@composite(variants="function")
def renorm(input, p, dim, maxnorm, *, out=None):
    """Sub-tensors along dim whose p-norm exceeds maxnorm are rescaled to maxnorm."""
    import jtorch
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm}")
    d = dim % input.dim()
    dims = [i for i in range(input.dim()) if i != d]
    norm = jtorch.linalg.vector_norm(input, p, dims, keepdim=True)
    # the factor depends on the norm, as in torch's derivative
    factor = jtorch.where(norm > maxnorm, maxnorm / (norm + 1e-7), jtorch.ones_like(norm))
    return input * factor


@composite(variants="function")
def frobenius_norm(input, dim, keepdim=False, *, out=None):
    import jtorch
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise RuntimeError("norm(): input dtype should be either floating point or complex. "
                           f"Got {_dtypes.torch_type_name(input.dtype)} instead.")
    return jtorch.linalg.vector_norm(input, 2, dim, keepdim)


@composite(variants="function")
def nuclear_norm(input, dim=None, keepdim=False, *, out=None):
    import jtorch
    if isinstance(dim, bool):
        dim, keepdim = None, dim
    return jtorch.linalg.matrix_norm(input, "nuc", (-2, -1) if dim is None else dim, keepdim)


@composite(variants="function")
def chain_matmul(*matrices, out=None):
    import warnings
    import jtorch
    warnings.warn("torch.chain_matmul is deprecated and will be removed in a future PyTorch "
                  "release. Use torch.linalg.multi_dot instead, which accepts a list of two or "
                  "more tensors rather than multiple parameters.")
    if len(matrices) == 1:
        return matrices[0].clone()
    return jtorch.linalg.multi_dot(list(matrices))


@composite(variants="function")
def unravel_index(indices, shape):
    """The coordinates of flat indices in a tensor of ``shape`` (a tuple of tensors)."""
    import jtorch
    if not isinstance(indices, jtorch.Tensor):    # torch's Python body asks it is_complex()
        raise AttributeError(f"'{type(indices).__name__}' object has no attribute "
                             f"'is_complex'")
    if indices.is_floating_point() or indices.is_complex() or indices.dtype == jtorch.bool:
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices.dtype}")
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    if any(s < 0 for s in shape):
        raise ValueError("'shape' cannot have negative values, but got " + str(shape))
    coords = []
    rest = indices.to(jtorch.int64)
    for size in reversed(shape):
        coords.append(jtorch.remainder(rest, size))
        rest = jtorch.div(rest, size, rounding_mode="floor")
    return tuple(reversed(coords))


@composite(variants="function")
def adjoint(input):
    """The conjugate transpose of the last two dims (a view)."""
    return input.transpose(-2, -1).conj()


@composite(variants="function")
def igamma(input, other, *, out=None):
    """The regularized lower incomplete gamma function (torch.special.gammainc)."""
    from .registry import OPS
    return OPS["special_gammainc"](input, other)


@composite(variants="function")
def igammac(input, other, *, out=None):
    """The regularized upper incomplete gamma function (torch.special.gammaincc)."""
    from .registry import OPS
    return OPS["special_gammaincc"](input, other)
