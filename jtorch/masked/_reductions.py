"""Masked reductions: sum, prod, amax, amin, argmax, argmin, mean, median, logsumexp, norm,
var, std (torch.masked's semantics on strided tensors)."""
import jtorch

from ._core import (_canonical_dim, _combine_input_and_mask, _input_mask,
                    _require_strided)

_SMALL_INTS = (jtorch.uint8, jtorch.bool, jtorch.int8, jtorch.int16, jtorch.int32)


def _widened(dtype):
    """sum/prod accumulate bool and integer types narrower than int64 in int64."""
    return jtorch.int64 if dtype in _SMALL_INTS else dtype


def _widened_masked(name, input, dim, dtype, mask):
    """sum/prod's operands: the input with its masked-out elements set to the reduction's
    identity, the canonical dims, and the accumulation dtype."""
    if dtype is None:
        dtype = _widened(input.dtype)
    dim_ = _canonical_dim(dim, input.ndim)
    masked = _combine_input_and_mask(name, input, mask)
    _require_strided(name, masked)
    return masked, dim_, dtype


def sum(input, dim=None, *, keepdim=False, dtype=None, mask=None):
    """Sum of the masked-in elements over ``dim`` (the identity 0 where all are masked)."""
    masked, dim_, dtype = _widened_masked("sum", input, dim, dtype, mask)
    return jtorch.sum(masked, dim_, bool(keepdim), dtype=dtype)


def prod(input, dim=None, *, keepdim=False, dtype=None, mask=None):
    """Product of the masked-in elements over ``dim`` (the identity 1 where all are masked)."""
    result, dim_, dtype = _widened_masked("prod", input, dim, dtype, mask)
    result = result.to(dtype=dtype)
    for d in reversed(dim_):   # prod takes one dim at a time
        result = result.prod(dim=d, keepdim=bool(keepdim))
    return result


def _extreme(name, fn, input, dim, keepdim, dtype, mask):
    if dtype is None:
        dtype = input.dtype
    masked = _combine_input_and_mask(name, input, mask)
    _require_strided(name, masked)
    return fn(masked, _canonical_dim(dim, masked.ndim), bool(keepdim)).to(dtype=dtype)


def amax(input, dim=None, *, keepdim=False, dtype=None, mask=None):
    """Maximum of the masked-in elements (the dtype's lowest value where all are masked)."""
    return _extreme("amax", jtorch.amax, input, dim, keepdim, dtype, mask)


def amin(input, dim=None, *, keepdim=False, dtype=None, mask=None):
    """Minimum of the masked-in elements (the dtype's highest value where all are masked)."""
    return _extreme("amin", jtorch.amin, input, dim, keepdim, dtype, mask)


def _arg_extreme(name, fn, input, dim, keepdim, dtype, mask):
    if dtype is None:
        dtype = input.dtype
    masked = _combine_input_and_mask(name, input, mask)
    _require_strided(name, masked)
    return fn(masked, dim, bool(keepdim)).to(dtype=dtype)


def argmax(input, dim=None, *, keepdim=False, dtype=None, mask=None):
    """Index of the largest masked-in element, cast to ``dtype`` (the input's by default)."""
    return _arg_extreme("argmax", jtorch.argmax, input, dim, keepdim, dtype, mask)


def argmin(input, dim=None, *, keepdim=False, dtype=None, mask=None):
    """Index of the smallest masked-in element, cast to ``dtype`` (the input's by default)."""
    return _arg_extreme("argmin", jtorch.argmin, input, dim, keepdim, dtype, mask)


def _count_and_total(input, dim, keepdim, dtype, mask):
    """Number of masked-in elements and their sum over ``dim``."""
    if mask is None:
        ones = jtorch.ones(input.shape, dtype=jtorch.int64, device=input.device)
        return (sum(ones, dim, keepdim=keepdim),
                sum(input, dim, keepdim=keepdim, dtype=dtype))
    inmask = _input_mask(input, mask=mask)
    return (inmask.sum(dim=dim, keepdim=bool(keepdim)),
            sum(input, dim, keepdim=keepdim, dtype=dtype, mask=inmask))


def mean(input, dim=None, *, keepdim=False, dtype=None, mask=None):
    """Mean of the masked-in elements (NaN where all are masked)."""
    source = "Optional"
    if dtype is None:
        dtype, source = input.dtype, "Input"
    if not (dtype.is_floating_point or dtype.is_complex):
        raise ValueError(f"mean(): Could not infer output dtype. {source} dtype must be either "
                         f"a floating point or complex dtype. Got: {dtype}")
    _require_strided("mean", input)
    count, total = _count_and_total(input, dim, keepdim, dtype, mask)
    return total / count


def median(input, dim=-1, *, keepdim=False, dtype=None, mask=None):
    """Median of the masked-in elements along one dim (NaN where all are masked)."""
    if dtype is None:
        dtype = input.dtype
    dim_ = _canonical_dim(dim, input.ndim)[0]
    is_float = input.dtype.is_floating_point
    if not is_float:
        input = input.to(dtype=jtorch.float)
    masked = _combine_input_and_mask("median", input, mask)
    _require_strided("median", masked)
    output = jtorch.nanmedian(masked, dim_, keepdim).values
    if is_float:
        return output
    if not jtorch.isnan(output).any():
        return output.to(dtype=dtype)
    raise ValueError("masked median expects no fully masked out rows if dtype is not "
                     "floating point")


def logsumexp(input, dim=None, *, keepdim=False, dtype=None, mask=None):
    """log(sum(exp)) of the masked-in elements (-inf where all are masked)."""
    if dtype is None:
        dtype = input.dtype
    dim_ = _canonical_dim(dim, input.ndim)
    masked = _combine_input_and_mask("logsumexp", input, mask)
    _require_strided("logsumexp", masked)
    return jtorch.logsumexp(masked, dim_, keepdim=keepdim).to(dtype=dtype)


def norm(input, ord=2.0, dim=None, *, keepdim=False, dtype=None, mask=None):
    """Vector norm of the masked-in elements (masked-out ones count as 0, or +inf for
    ``ord=-inf``)."""
    if dtype is None:
        dtype = input.dtype
    masked = _combine_input_and_mask("norm", input, mask, ord)
    _require_strided("norm", masked)
    return jtorch.linalg.vector_norm(masked, ord, _canonical_dim(dim, input.ndim),
                                     bool(keepdim), dtype=dtype)


def _real_dtype(dtype):
    return {jtorch.complex64: jtorch.float32,
            jtorch.complex128: jtorch.float64}.get(dtype, dtype)


def _std_var(input, dim, unbiased, correction_opt, keepdim, dtype, mask, take_sqrt):
    if unbiased is not None and correction_opt is not None:
        raise AssertionError("Only one of unbiased and correction may be given")
    correction = 1.0
    if unbiased is not None:
        correction = 1.0 if unbiased else 0.0
    if correction_opt is not None:
        correction = float(correction_opt)
    if dtype is None:
        dtype = input.dtype
        if not (dtype.is_floating_point or dtype.is_complex):
            dtype = jtorch.float32
    compute = dtype if (dtype.is_floating_point or dtype.is_complex) else jtorch.float32
    _require_strided("std/var", input)
    count, sample_total = _count_and_total(input, dim, True, dtype, mask)
    x = jtorch.subtract(input, jtorch.divide(sample_total, count))
    inmask = None if mask is None else _input_mask(input, mask=mask)
    total = sum(x * x.conj(), dim, keepdim=keepdim, dtype=compute, mask=inmask)
    if not keepdim:
        count = count.reshape(total.shape)
    if correction != 0:
        count = count.to(_real_dtype(compute))
        count = jtorch.subtract(count, correction)
        count = jtorch.maximum(count, count.new_zeros([]))
    output = jtorch.divide(total, count).to(dtype=dtype)
    return jtorch.sqrt(output) if take_sqrt else output


def var(input, dim=None, unbiased=None, *, correction=None, keepdim=False, dtype=None,
        mask=None):
    """Variance of the masked-in elements (NaN where all are masked)."""
    return _std_var(input, dim, unbiased, correction, keepdim, dtype, mask, take_sqrt=False)


def std(input, dim=None, unbiased=None, *, correction=None, keepdim=False, dtype=None,
        mask=None):
    """Standard deviation of the masked-in elements (NaN where all are masked)."""
    return _std_var(input, dim, unbiased, correction, keepdim, dtype, mask, take_sqrt=True)
