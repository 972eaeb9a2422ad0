"""Closeness and membership tests (isclose, allclose, equal, isin) and small Tensor helpers
torch users reach for often: ``new_*`` constructors, ``softmax``/``log_softmax`` as torch and
Tensor functions, ``clamp_min``/``clamp_max``, ``ravel``, ``diff``, ``msort``, triangle
indices, ``isposinf``/``isneginf``/``isreal``, ``gcd``/``lcm``.
"""
import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtypes
from .._tensor import Tensor
from .registry import Promotion, composite, op

# clamp_min_/clamp_max_ with a number bound: their own cast check names the target's C++ type
CPP_NAMED_CASTS = frozenset(("clamp_min", "clamp_max"))


def _jtorch():
    import jtorch
    return jtorch


# ------------------------------------------------------------------ closeness
def _fmt(x):
    return str(int(x)) if float(x).is_integer() and not isinstance(x, float) else str(x)


def _check_close(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    if not isinstance(other, Tensor):
        raise TypeError(f"isclose(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(other).__name__}")
    if input.dtype is not other.dtype:
        raise RuntimeError(f"{_dtypes.torch_type_name(input.dtype)} did not match "
                           f"{_dtypes.torch_type_name(other.dtype)}")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {_fmt(rtol)}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {_fmt(atol)}")


@op(tensors=("input", "other"), promote=Promotion.ALWAYS_BOOL, grad_fn=None,
    check=_check_close)
def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """``|input - other| <= atol + rtol * |other|`` element-wise; infinities are close only to
    themselves; NaNs are close to each other only with ``equal_nan``."""
    eq = input == other
    a, b = input, other
    if not jnp.issubdtype(a.dtype, jnp.inexact):      # integers and bools: in float64
        a, b = a.astype(jnp.float64), b.astype(jnp.float64)
    finite = jnp.isfinite(a) & jnp.isfinite(b)
    close = eq | (finite & (jnp.abs(a - b) <= atol + rtol * jnp.abs(b)))
    if equal_nan:
        close = close | (jnp.isnan(a) & jnp.isnan(b))
    return close


@composite()
def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether every element of ``input`` is close to ``other``'s (a Python bool)."""
    return bool(isclose(input, other, rtol, atol, equal_nan).all())


@composite()
def equal(input, other):
    """True when both have the same shape and equal elements (NaN is never equal)."""
    if not isinstance(other, Tensor):
        raise TypeError(f"equal(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(other).__name__}")
    if input.shape != other.shape:
        return False
    return bool((input == other).all())


@op(variants="function", tensors=("elements", "test_elements"), promote=Promotion.ALWAYS_BOOL,
    grad_fn=None)
def isin(elements, test_elements, *, assume_unique=False, invert=False):
    """Whether each of ``elements`` occurs in ``test_elements`` (or not, with ``invert``)."""
    return jnp.isin(elements, test_elements, invert=invert)


# ------------------------------------------------------------------ new_* constructors
def _size(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        return tuple(size[0])
    return tuple(size)


def _new(self, make, size, dtype, device, requires_grad, *extra):
    t = make(_size(size), *extra, dtype=self.dtype if dtype is None else dtype,
             device=self.device if device is None else device)
    return t.requires_grad_(requires_grad) if requires_grad else t


def _new_method(name, make_name, doc):
    def method(self, *size, dtype=None, device=None, requires_grad=False, layout=None,
               pin_memory=False):
        return _new(self, getattr(_jtorch(), make_name), size, dtype, device, requires_grad)
    method.__name__ = name
    method.__doc__ = doc
    composite(variants="method", name=name)(method)


_new_method("new_zeros", "zeros", "A zero tensor of ``size`` with this tensor's dtype/device.")
_new_method("new_ones", "ones", "A tensor of ones of ``size`` with this tensor's dtype/device.")
_new_method("new_empty", "empty", "An uninitialised tensor with this tensor's dtype/device.")


@composite(variants="method")
def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False,
             layout=None, pin_memory=False):
    """A tensor of ``size`` filled with ``fill_value``, this tensor's dtype/device."""
    return _new(self, _jtorch().full, (size,), dtype, device, requires_grad, fill_value)


@composite(variants="method")
def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False, layout=None,
               pin_memory=False):
    """``torch.tensor(data)`` with this tensor's dtype/device by default (a copy)."""
    jt = _jtorch()
    if isinstance(data, Tensor):
        t = data.detach().clone().to(self.dtype if dtype is None else dtype)
    else:
        t = jt.tensor(data, dtype=self.dtype if dtype is None else dtype)
    return t.requires_grad_(requires_grad) if requires_grad else t


# ------------------------------------------------------------------ softmax family
@composite()
def softmax(input, dim, dtype=None):
    """``torch.softmax`` / ``Tensor.softmax``: ``nn.functional.softmax`` with a required dim."""
    return _jtorch().nn.functional.softmax(input, dim, dtype=dtype)


@composite()
def log_softmax(input, dim, dtype=None):
    """``torch.log_softmax`` / ``Tensor.log_softmax``."""
    return _jtorch().nn.functional.log_softmax(input, dim, dtype=dtype)


# ------------------------------------------------------------------ clamp_min / clamp_max
def _bound_name(base):
    def name(targs, sargs, skw):
        return base + ("Backward1" if isinstance(targs[1], Tensor) else "Backward0")
    return name


def _one_sided(keep):
    def f(input, bound):
        out = jnp.where(keep(input, bound), input, bound)
        if jnp.issubdtype(out.dtype, jnp.floating):
            # NaN passes, without a gradient (clamp's rule)
            out = jnp.where(jnp.isnan(input), jax.lax.stop_gradient(input), out)
        return out
    return f


@op(variants="function method inplace out", tensors=("input", "min"), saves=("input",),
    grad_fn=_bound_name("ClampMin"))
def clamp_min(input, min):
    """``max(input, min)`` with clamp's gradient rule (passes where input >= min)."""
    return _one_sided(lambda x, b: x >= b)(input, min)


@op(variants="function method inplace out", tensors=("input", "max"), saves=("input",),
    grad_fn=_bound_name("ClampMax"))
def clamp_max(input, max):
    """``min(input, max)`` with clamp's gradient rule (passes where input <= max)."""
    return _one_sided(lambda x, b: x <= b)(input, max)


# ------------------------------------------------------------------ reshaping helpers
@composite()
def ravel(input):
    """The flattened tensor: a view when contiguous, else a contiguous copy's view."""
    return input.contiguous().view(-1)


@composite()
def diff(input, n=1, dim=-1, prepend=None, append=None):
    """``n``-th forward difference along ``dim`` (after concatenating prepend/append)."""
    jt = _jtorch()
    if input.dim() == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    for name, t in (("prepend", prepend), ("append", append)):
        if t is not None and not isinstance(t, type(input)):
            raise TypeError(f"diff(): argument '{name}' must be Tensor, not {type(t).__name__}")
    parts = [p if p.dim() else p.expand(input.shape[:dim % input.dim()] + (1,) +
                                         input.shape[dim % input.dim() + 1:])
             for p in (prepend,) if p is not None] + [input] + \
        [a for a in (append,) if a is not None]
    x = jt.cat(parts, dim) if len(parts) > 1 else input
    for _ in range(n):
        size = x.shape[dim]
        if size == 0:
            break
        if x.dtype is _dtypes.bool:
            x = x.narrow(dim, 1, size - 1) ^ x.narrow(dim, 0, size - 1)
        else:
            x = x.narrow(dim, 1, size - 1) - x.narrow(dim, 0, size - 1)
    return x


@composite()
def msort(input):
    """Sorted along the first dimension (values only)."""
    return _jtorch().sort(input, 0).values


def _tri_indices(row, col, offset, upper):
    r, c = np.indices((row, col)) if row and col else (np.zeros((0,)), np.zeros((0,)))
    keep = (c - r >= offset) if upper else (c - r <= offset)
    return np.stack([r[keep], c[keep]]).astype(np.int64).reshape(2, -1)


def _tri(name, upper):
    def fn(row, col, offset=0, *, dtype=None, device=None, layout=None):
        if row < 0 or col < 0:
            raise RuntimeError(f"row must be non-negative, got{row}" if row < 0 else
                               f"col must be non-negative, got{col}")
        jt = _jtorch()
        return jt.tensor(_tri_indices(row, col, offset, upper),
                         dtype=jt.long if dtype is None else dtype)
    fn.__name__ = name
    fn.__doc__ = f"Indices (2 x N) of the {'upper' if upper else 'lower'} triangle of a " \
                 "row x col matrix, row-major."
    composite(variants="function", name=name)(fn)


_tri("tril_indices", False)
_tri("triu_indices", True)


# ------------------------------------------------------------------ predicates and integer math
@op(grad_fn=None, promote=Promotion.NONE)
def isposinf(input):
    """True where the element is +inf."""
    return jnp.isposinf(input) if jnp.issubdtype(input.dtype, jnp.floating) else \
        jnp.zeros(input.shape, bool)


@op(grad_fn=None, promote=Promotion.NONE)
def isneginf(input):
    """True where the element is -inf."""
    return jnp.isneginf(input) if jnp.issubdtype(input.dtype, jnp.floating) else \
        jnp.zeros(input.shape, bool)


@op(grad_fn=None, promote=Promotion.NONE)
def isreal(input):
    """True where the imaginary part is zero (always, for real dtypes)."""
    if jnp.issubdtype(input.dtype, jnp.complexfloating):
        return jnp.imag(input) == 0
    return jnp.ones(input.shape, bool)


def _int_args(name):
    def check(input, other):
        for x in (input, other):
            if isinstance(x, Tensor) and not _dtypes.is_integral(x.dtype):
                raise NotImplementedError(f'"{name}_cpu" not implemented for '
                                          f"'{_dtypes.torch_type_name(x.dtype)}'")
    return check


@op(variants="function method inplace out", tensors=("input", "other"), grad_fn=None,
    check=_int_args("gcd"))
def gcd(input, other):
    """Greatest common divisor (non-negative) of integers."""
    return jnp.gcd(input, other)


@op(variants="function method inplace out", tensors=("input", "other"), grad_fn=None,
    check=_int_args("lcm"))
def lcm(input, other):
    """Least common multiple (non-negative) of integers."""
    return jnp.lcm(input, other)


# ------------------------------------------------------------------ queries
@composite()
def is_nonzero(self):
    """The truth value of a one-element tensor."""
    if self.numel() == 0:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
    if self.numel() > 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return bool(self.item() != 0)


@composite()
def is_same_size(self, other):
    """Whether both tensors have the same shape."""
    return self.shape == other.shape
