"""Masked normalizations and scans: softmax, log_softmax, softmin, normalize, cumsum,
cumprod, and the binary logaddexp (torch.masked's semantics on strided tensors)."""
import jtorch

from ._core import _canonical_dim, _combine_input_and_mask, _require_strided
from ._reductions import norm


def _softmax_like(name, identity_of, fn, input, dim, dtype, mask):
    """``fn`` along one dim with the masked-out elements set to the identity of the
    reduction ``identity_of`` (0 for sum, 1 for prod, -inf for amax)."""
    if dtype is None:
        dtype = input.dtype
    dim_ = _canonical_dim(dim, input.ndim)[0]
    masked = _combine_input_and_mask(identity_of, input, mask)
    _require_strided(name, masked)
    return fn(masked, dim_, dtype=dtype)


def _scan(name, identity_of, fn, input, dim, dtype, mask):
    dtype = input.dtype if dtype is None else dtype
    return _softmax_like(name, identity_of, fn, input, dim, dtype, mask).to(dtype=dtype)


def cumsum(input, dim, *, dtype=None, mask=None):
    """Cumulative sum along ``dim`` where masked-out elements count as 0."""
    return _scan("cumsum", "sum", jtorch.cumsum, input, dim, dtype, mask)


def cumprod(input, dim, *, dtype=None, mask=None):
    """Cumulative product along ``dim`` where masked-out elements count as 1."""
    return _scan("cumprod", "prod", jtorch.cumprod, input, dim, dtype, mask)


def softmax(input, dim, *, dtype=None, mask=None):
    """Softmax along ``dim`` over the masked-in elements (masked-out ones get 0)."""
    return _softmax_like("softmax", "amax", jtorch.nn.functional.softmax, input, dim, dtype,
                         mask)


def log_softmax(input, dim, *, dtype=None, mask=None):
    """Log-softmax along ``dim`` over the masked-in elements (masked-out ones get -inf)."""
    return _softmax_like("log_softmax", "amax", jtorch.nn.functional.log_softmax, input, dim,
                         dtype, mask)


def softmin(input, dim, *, dtype=None, mask=None):
    """Softmin along ``dim`` over the masked-in elements (masked-out ones get 0)."""
    return _softmax_like("softmin", "amin", jtorch.nn.functional.softmin, input, dim, dtype,
                         mask)


def normalize(input, ord, dim, *, eps=1e-12, dtype=None, mask=None):
    """``input`` divided by its masked ``ord``-norm along ``dim`` (at least ``eps``);
    masked-out elements become 0."""
    if dtype is None:
        dtype = input.dtype
    masked = _combine_input_and_mask("sum", input, mask)
    _require_strided("normalize", masked)
    nrm = norm(input, ord, dim, keepdim=True, dtype=dtype, mask=mask)
    denom = jtorch.maximum(nrm, nrm.new_full([], eps))
    return jtorch.divide(masked, denom)


def logaddexp(input, other, *, dtype=None, input_mask=None, other_mask=None):
    """logaddexp of two tensors whose masked-out elements count as -inf."""
    if dtype is None:
        dtype = input.dtype
    if input.layout != jtorch.strided or other.layout != jtorch.strided:
        raise ValueError(f"masked logaddexp expects strided tensors (got {input.layout} tensor "
                         f"for input, {other.layout} for other)")
    a = _combine_input_and_mask("logaddexp", input, input_mask)
    b = _combine_input_and_mask("logaddexp", other, other_mask)
    return jtorch.logaddexp(a, b).to(dtype=dtype)
