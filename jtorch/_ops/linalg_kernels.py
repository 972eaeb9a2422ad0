"""torch.linalg ops with their own kernels and nodes: slogdet, pinv, lstsq, matrix_exp,
matrix_rank, solve_triangular and the legacy cholesky node (the rest of linalg composes table
ops, see ``jtorch/linalg.py``); cdist."""
import functools
import math

import jax
import jax.numpy as jnp
import jax.scipy.linalg as jsl

from .. import _dtypes
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


# ------------------------------------------------------------------ cdist
def _cdist_value(x1, x2, p, mm):
    if mm:
        # torch's _euclidean_dist: one matmul of [-2 x1, |x1|^2, 1] and [x2, 1, |x2|^2]
        n1 = jnp.sum(x1 * x1, -1, keepdims=True)
        n2 = jnp.sum(x2 * x2, -1, keepdims=True)
        a = jnp.concatenate([-2 * x1, n1, jnp.ones_like(n1)], -1)
        b = jnp.concatenate([x2, jnp.ones_like(n2), n2], -1)
        sq = jnp.matmul(a, jnp.swapaxes(b, -1, -2))
        return jnp.sqrt(jnp.where(sq < 0, jnp.zeros((), sq.dtype), sq))
    diff = jnp.abs(x1[..., :, None, :] - x2[..., None, :, :])
    if p == 0:
        return jnp.sum(diff != 0, -1).astype(x1.dtype)
    if p == 1:
        return jnp.sum(diff, -1)
    if p == 2:
        return jnp.sqrt(jnp.sum(diff * diff, -1))
    if math.isinf(p):
        return jnp.max(diff, -1)
    return jnp.sum(diff ** p, -1) ** (1.0 / p)


def _cdist_pair_grad(diff, dist, g, p):
    """torch's _cdist_backward, per pair: d dist / d x1 times the cotangent."""
    zero = jnp.zeros((), diff.dtype)
    d = dist[..., None]
    gg = g[..., None]
    if p == 0:
        return jnp.zeros_like(diff)
    if p == 1:
        return gg * jnp.sign(diff)
    if p == 2:
        return jnp.where(d == 0, zero, gg * diff / jnp.where(d == 0, 1, d))
    if math.isinf(p):
        return gg * jnp.sign(diff) * (jnp.abs(diff) == d)
    if p < 2:
        r = jnp.sign(diff) * jnp.abs(diff) ** (p - 1) * gg / d ** (p - 1)
    else:
        r = diff * jnp.abs(diff) ** (p - 2) * gg / d ** (p - 1)
    return jnp.where(d == 0, zero, r)


def _make_cdist(p):
    @jax.custom_vjp
    def f(x1, x2):
        return _cdist_value(x1, x2, p, False)

    def fwd(x1, x2):
        out = _cdist_value(x1, x2, p, False)
        return out, (x1, x2, out)

    def bwd(res, g):
        x1, x2, out = res
        diff = x1[..., :, None, :] - x2[..., None, :, :]
        pair = _cdist_pair_grad(diff, out, g, p)
        return pair.sum(-2), -pair.sum(-3)
    f.defvjp(fwd, bwd)
    return f


def _cdist_mm(x1, x2, p, compute_mode):
    if p != 2:
        return False
    if compute_mode == "use_mm_for_euclid_dist":
        return True
    if compute_mode == "donot_use_mm_for_euclid_dist":
        return False
    return x1.shape[-2] > 25 or x2.shape[-2] > 25


def _cdist_name(targs, sargs, skw):
    mm = sargs[1] if len(sargs) > 1 else skw.get("mm", False)
    return "ViewBackward0" if mm else "CdistBackward0"   # the mm path is a composite in torch


@op(variants="", tensors=("x1", "x2"), grad_fn=_cdist_name, name="_cdist",
    saves=("x1", "x2", "result"))
def _cdist(x1, x2, p=2.0, mm=False):
    batch = jnp.broadcast_shapes(x1.shape[:-2], x2.shape[:-2])
    a = jnp.broadcast_to(x1, batch + x1.shape[-2:])
    b = jnp.broadcast_to(x2, batch + x2.shape[-2:])
    if mm:
        return _cdist_value(a, b, p, True)
    return _make_cdist(float(p))(a, b)


@composite(variants="function")
def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """Pairwise p-norm distances between the rows of ``x1`` and of ``x2``."""
    for name, t in (("X1", x1), ("X2", x2)):
        if not t.dtype.is_floating_point:
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: "
                               f"{_dtypes.torch_type_name(t.dtype)}")
    if x1.dim() < 2 or x2.dim() < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, "
                           f"X{1 if x1.dim() < 2 else 2} got: {min(x1.dim(), x2.dim())}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: "
                           f"{x1.shape[-1]} X2: {x2.shape[-1]}")
    if p < 0:
        raise RuntimeError(f"cdist only supports non-negative p values, got: {p}")
    return _cdist(x1, x2, float(p), _cdist_mm(x1, x2, p, compute_mode))
