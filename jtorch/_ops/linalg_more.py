"""More torch.linalg kernels: slogdet, pinv, lstsq, matrix_exp, matrix_rank,
solve_triangular and the legacy cholesky node (the rest of linalg composes table ops, see
``jtorch/linalg.py``)."""
import functools

import jax
import jax.numpy as jnp
import jax.scipy.linalg as jsl

from .linalg import LA, _float_matrix
from .registry import Promotion, composite, op


@op(grad_fn="LinalgSlogdetBackward0", check=_float_matrix("slogdet"), name="linalg_slogdet",
    **LA)
def linalg_slogdet(input):
    sign, logabsdet = jnp.linalg.slogdet(input)
    return sign, logabsdet


@op(grad_fn="LinalgPinvBackward0", check=_float_matrix("pinv", square=False),
    name="linalg_pinv", tensors=("input", "atol", "rtol"), **LA)
def linalg_pinv(input, atol=None, rtol=None, hermitian=False):
    """torch's pinv: singular values (or |eigenvalues|, reading the lower triangle, for
    ``hermitian``) above max(atol, rtol * largest) are inverted, the rest dropped; atol and
    rtol broadcast over the batch."""
    m, n = input.shape[-2:]
    if input.size == 0:
        return jnp.zeros(input.shape[:-2] + (n, m), input.dtype)
    atol, rtol = _pinv_tolerances(input, atol, rtol)
    return _pinv(input, atol, rtol, hermitian)


def _pinv_value(a, atol, rtol, hermitian):
    if hermitian:
        w, q = jnp.linalg.eigh(_hermitian_from_lower(a), UPLO="L")
        s = jnp.abs(w)
        left, right, vals = q, _mh(q), w
    else:
        u, s, vh = jnp.linalg.svd(a, full_matrices=False)
        left, right, vals = _mh(vh), _mh(u), s
    tol = jnp.maximum(atol[..., None], rtol[..., None] * jnp.max(s, axis=-1, keepdims=True))
    keep = s > tol
    inv = jnp.where(keep, 1 / jnp.where(keep, vals, 1), 0).astype(a.dtype)
    return ((left * inv[..., None, :]) @ right).astype(a.dtype)


@functools.partial(jax.custom_vjp, nondiff_argnums=(3,))
def _pinv(a, atol, rtol, hermitian):
    return _pinv_value(a, atol, rtol, hermitian)


def _pinv_fwd(a, atol, rtol, hermitian):
    p = _pinv_value(a, atol, rtol, hermitian)
    return p, (a, p, atol, rtol)


def _pinv_bwd(hermitian, res, ct):
    """torch's pinv derivative (for hermitian too: it differentiates the whole matrix), on
    torch's conjugate cotangent convention."""
    a, p, atol, rtol = res
    g = jnp.conj(ct)
    gh, ph = _mh(g), _mh(p)
    if a.shape[-2] <= a.shape[-1]:
        k = gh @ p
        kph = k @ ph
        grad = -_mh(p @ k) + kph - (a @ p) @ kph + (ph @ p) @ (gh - k @ a)
    else:
        k = p @ gh
        phk = ph @ k
        grad = -_mh(k @ p) + phk - phk @ p @ a + (gh - a @ k) @ p @ ph
    return jnp.conj(grad), jnp.zeros_like(atol), jnp.zeros_like(rtol)


_pinv.defvjp(_pinv_fwd, _pinv_bwd)


def _hermitian_from_lower(a):
    """The Hermitian matrix that LAPACK's eigh sees: the strict lower triangle mirrored, the
    diagonal's real part (explicit, as JAX's eigh symmetrizes its input when differentiated)."""
    low = jnp.tril(a, -1)
    diag = jnp.real(jnp.diagonal(a, axis1=-2, axis2=-1)).astype(a.dtype)
    return low + _mh(low) + diag[..., None] * jnp.eye(a.shape[-1], dtype=a.dtype)


def _mh(x):
    return jnp.conj(jnp.swapaxes(x, -1, -2))


def _pinv_tolerances(input, atol, rtol):
    """torch's defaults: atol 0; rtol eps * max(m, n), or 0 where a positive atol is given."""
    real = jnp.finfo(input.dtype).dtype
    default = jnp.finfo(real).eps * max(input.shape[-2:])
    if rtol is None:
        rtol = default if atol is None else jnp.where(jnp.asarray(atol) > 0, 0.0, default)
    atol = jnp.zeros((), real) if atol is None else atol
    return jnp.asarray(atol).astype(real), jnp.asarray(rtol).astype(real)


@op(grad_fn="LinalgLstsqBackward0", tensors=("input", "other"), name="linalg_lstsq",
    variants="", promote=Promotion.DEFAULT)
def linalg_lstsq(input, other):
    """The least-squares solution (torch's default CPU driver, gelsy, reports no residuals
    or singular values)."""
    vec = other.ndim == input.ndim - 1
    b = other[..., None] if vec else other
    x = jnp.linalg.pinv(input) @ b
    return x[..., 0] if vec else x


@op(grad_fn="LinalgMatrixExpBackward0", check=_float_matrix("matrix_exp"),
    name="linalg_matrix_exp", **LA)
def linalg_matrix_exp(input):
    # JAX's float32 Pade approximant loses accuracy on larger norms where torch's float32
    # result stays accurate: compute single precision in double
    if input.dtype in (jnp.float32, jnp.complex64):
        wide = jnp.float64 if input.dtype == jnp.float32 else jnp.complex128
        return jsl.expm(input.astype(wide)).astype(input.dtype)
    return jsl.expm(input)


@op(grad_fn=None, name="linalg_matrix_rank", **LA)
def linalg_matrix_rank(input, atol=None, rtol=None, hermitian=False):
    s = jnp.linalg.svd(input, compute_uv=False) if not hermitian else \
        jnp.abs(jnp.linalg.eigvalsh(input))
    smax = jnp.max(s, axis=-1, keepdims=True) if s.shape[-1] else jnp.zeros(s.shape[:-1] + (1,))
    if atol is None and rtol is None:
        rtol = max(input.shape[-2:]) * jnp.finfo(s.dtype).eps
    tol = jnp.maximum(0.0 if atol is None else atol, (0.0 if rtol is None else rtol) * smax)
    return jnp.sum(s > tol, axis=-1).astype(jnp.int64)


def _check_solve_triangular(input, other, *a, **k):
    if input.dim() >= 2 and input.shape[-1] != input.shape[-2]:
        raise RuntimeError(f"linalg.solve_triangular: A must be batches of square matrices, "
                           f"but they are {input.shape[-2]} by {input.shape[-1]} matrices")


@op(grad_fn="LinalgSolveTriangularBackward0", tensors=("input", "other"),
    name="linalg_solve_triangular", variants="", promote=Promotion.DEFAULT,
    check=_check_solve_triangular)
def linalg_solve_triangular(input, other, upper, left=True, unitriangular=False):
    if left:
        return jsl.solve_triangular(input, other, lower=not upper,
                                    unit_diagonal=unitriangular)
    # X A = B  <=>  A^T X^T = B^T
    xt = jsl.solve_triangular(jnp.swapaxes(input, -1, -2), jnp.swapaxes(other, -1, -2),
                              lower=upper, unit_diagonal=unitriangular)
    return jnp.swapaxes(xt, -1, -2)


@op(grad_fn="CholeskyBackward0", name="cholesky", variants="function method",
    promote=Promotion.NONE)
def cholesky(input, upper=False):
    """torch.cholesky (deprecated in torch, kept with its own node name)."""
    low = jnp.linalg.cholesky(input)
    return jnp.swapaxes(low, -1, -2).conj() if upper else low


# ---- torch.* and Tensor methods over torch.linalg (torch's own compositions)
def _linalg():
    from .. import linalg
    return linalg


@composite()
def det(input):
    return _linalg().det(input)


@composite()
def slogdet(input):
    from .. import return_types
    return return_types.slogdet(*linalg_slogdet(input))


@composite()
def logdet(input):
    """log det for real input: NaN where the determinant is negative (torch's where)."""
    from .. import where
    sign, logabsdet = linalg_slogdet(input)
    if input.is_complex():   # torch: log(sign) + log|det|, complex
        return sign.log() + logabsdet
    return where(sign == -1, float("nan"), logabsdet)


@composite()
def inverse(input):
    return _linalg().inv(input)


@composite()
def pinverse(input, rcond=1e-15):
    return linalg_pinv(input, 0.0, rcond, False)


@composite()
def matrix_exp(input):
    return linalg_matrix_exp(input)


@composite()
def matrix_power(input, n):
    return _linalg().matrix_power(input, n)


@composite()
def qr(input, some=True):
    from .. import return_types
    return return_types.qr(*_linalg().qr(input, "reduced" if some else "complete"))


@composite()
def svd(input, some=True, compute_uv=True):
    """torch.svd: V (not Vh), reduced unless ``some=False``."""
    from .. import return_types
    U, S, Vh = _linalg().svd(input, full_matrices=not some)
    return return_types.svd(U, S, Vh.mH)
