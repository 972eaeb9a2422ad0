"""LU factorisation (one op: LAPACK's getrf through ``jax.lax.linalg.lu``) and the torch.*
linear-algebra functions of issue 18 built on the linalg ops: lu, lu_unpack, lu_solve,
triangular_solve, cholesky_solve, cholesky_inverse, the Householder products (geqrf,
orgqr, ormqr), and torch's removed functions (eig, lstsq, solve, symeig, matrix_rank), which
raise torch's message; svd_lowrank and pca_lowrank are in ``api_lowrank.py``."""
import jax
import jax.numpy as jnp

from .. import _dtypes, return_types
from .registry import Promotion, composite, op

lu_unpack_t = return_types._make("lu_unpack", ["P", "L", "U"])
triangular_solve_t = return_types._make("triangular_solve", ["solution", "cloned_coefficient"])
linalg_lu_factor_t = return_types._make("linalg_lu_factor", ["LU", "pivots"])
linalg_lu_factor_ex_t = return_types._make("linalg_lu_factor_ex", ["LU", "pivots", "info"])
linalg_lu_t = return_types._make("linalg_lu", ["P", "L", "U"])
lu_with_info_t = return_types._make("_lu_with_info", ["LU", "pivots", "info"])


def _jt():
    import jtorch
    return jtorch


def _name(t):
    return _dtypes.torch_type_name(t.dtype)


def _not_implemented(kernel, t):
    return NotImplementedError(f"\"{kernel}\" not implemented for '{_name(t)}'")


def _floating(t):
    return t.is_floating_point() or t.is_complex()


def _check_lu(input, *a, **k):
    if input.dim() < 2:
        raise RuntimeError(f"torch.lu_factor: Expected tensor with 2 or more dimensions. Got "
                           f"size: {list(input.shape)} instead")
    if not _floating(input):
        raise _not_implemented("lu_cpu", input)


@op(variants="", promote=Promotion.NONE, grad_fn="LinalgLuFactorExBackward0",
    check=_check_lu)
def api_lu_factor(input):
    """(LU, 1-based int32 pivots) of a (batched) matrix, with partial pivoting."""
    lu, piv, _ = jax.lax.linalg.lu(input)
    return lu, (piv + 1).astype(jnp.int32)


def lu_factor_ex(A, *, pivot=True, check_errors=False, out=None):
    jt = _jt()
    if not pivot:
        raise RuntimeError("linalg.lu_factor: LU without pivoting is not implemented on the "
                           "CPU")
    lu, piv = api_lu_factor(A)
    info = jt.zeros(tuple(A.shape[:-2]), dtype=jt.int32)
    return linalg_lu_factor_ex_t(lu, piv, info)


def lu_factor(A, *, pivot=True, out=None):
    lu, piv, _ = lu_factor_ex(A, pivot=pivot)
    return linalg_lu_factor_t(lu, piv)


def _permutation(pivots, m):
    """The permutation matrices P (A = P L U) of LAPACK's 1-based row swaps."""
    jt = _jt()
    piv = pivots._host() - 1
    import numpy as np
    batch = piv.shape[:-1]
    perms = np.broadcast_to(np.arange(m), batch + (m,)).copy()
    for idx in np.ndindex(*batch):
        p = perms[idx]
        for i, j in enumerate(piv[idx]):
            p[i], p[j] = p[j], p[i]
    eye = np.eye(m)
    return jt.as_tensor(np.swapaxes(eye[perms], -1, -2).copy())


def lu_unpack_impl(LU_data, LU_pivots, unpack_data=True, unpack_pivots=True):
    jt = _jt()
    m, n = LU_data.shape[-2], LU_data.shape[-1]
    k = min(m, n)
    if unpack_data:
        L = LU_data[..., :, :k].tril(-1) + jt.eye(m, k, dtype=LU_data.dtype)
        U = LU_data[..., :k, :].triu()
    else:
        L = U = jt.empty(0, dtype=LU_data.dtype)
    if unpack_pivots:
        P = _permutation(LU_pivots, m).to(LU_data.dtype)
    else:
        P = jt.empty(0, dtype=LU_data.dtype)
    return lu_unpack_t(P, L, U)


@composite(variants="function")
def lu_unpack(LU_data, LU_pivots, unpack_data=True, unpack_pivots=True, *, out=None):
    """P, L, U from lu_factor's packed result."""
    return lu_unpack_impl(LU_data, LU_pivots, unpack_data, unpack_pivots)


@composite(variants="function")
def lu(*args, **kwargs):
    """torch.lu(A, pivot=True, get_infos=False): (LU, pivots[, infos])."""
    jt = _jt()
    names = ("A", "pivot", "get_infos", "out")
    bound = dict(zip(names, args))
    bound.update(kwargs)
    lu_, piv, info = lu_factor_ex(bound["A"], pivot=bound.get("pivot", True))
    return lu_with_info_t(lu_, piv, info) if bound.get("get_infos", False) else (lu_, piv)


def _square(prefix, A):
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{prefix}A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")


def _check_lu_solve(LU, pivots, B, left):
    """torch's linalg.lu_solve checks, in its order."""
    if LU.dtype is not B.dtype:
        raise RuntimeError(f"linalg.lu_solve: Expected LU and B to have the same dtype, but "
                           f"found LU of type {_name(LU)} and B of type {_name(B)} instead")
    for name, t in (("LU", LU), ("B", B)):
        if t.dim() < 2:
            raise RuntimeError(f"linalg.lu_solve: The input tensor {name} must have at least 2 "
                               f"dimensions.")
    _square("torch.linalg.lu_solve: ", LU)
    n = LU.shape[-1]
    if pivots.dtype is not _dtypes.int32:
        raise RuntimeError("linalg.lu_solve: pivots should be a Tensor of scalar type "
                           "torch.int32")
    if pivots.dim() == 0 or pivots.shape[-1] != n:
        raise RuntimeError("linalg.lu_solve: Number of pivots per batch should be same as the "
                           "dimension of the matrix")
    if B.shape[-2 if left else -1] != n:
        eq, shown = ("AX = B", (n, n)) if left else ("XA = B", (n, n))
        raise RuntimeError(f"linalg.lu_solve: Incompatible shapes of A and B for the equation "
                           f"{eq} ({shown[0]}x{shown[1]} and {B.shape[-2]}x{B.shape[-1]})")


def _lu_solve_impl(LU, pivots, B, left=True, adjoint=False):
    jt = _jt()
    _check_lu_solve(LU, pivots, B, left)
    P, L, U = lu_unpack_impl(LU, pivots)
    if not left or adjoint:
        A = jt.matmul(jt.matmul(P, L), U)
        return jt.linalg.solve(A.mH if adjoint else A, B, left=left)
    y = jt.linalg.solve_triangular(L, jt.matmul(P.mT, B), upper=False, unitriangular=True)
    return jt.linalg.solve_triangular(U, y, upper=True)


@composite(variants="function")
def lu_solve(b, LU_data, LU_pivots, *, out=None):
    return _lu_solve_impl(LU_data, LU_pivots, b)


def _check_solve_args(name, b, A):
    """triangular_solve's and cholesky_solve's checks, in torch's order."""
    for which, t in (("b", b), ("A", A)):
        if t.dim() < 2:
            raise RuntimeError(f"torch.{name}: Expected {which} to have at least 2 dimensions, "
                               f"but it has {t.dim()} dimensions instead")
    if b.dtype is not A.dtype:
        raise RuntimeError(f"Expected b and A to have the same dtype, but found b of type "
                           f"{_name(b)} and A of type {_name(A)} instead.")
    _square("", A)
    if b.shape[-2] != A.shape[-1]:
        raise RuntimeError(f"Incompatible matrix sizes for {name}: each A matrix is "
                           f"{A.shape[-2]} by {A.shape[-1]} but each b matrix is {b.shape[-2]} "
                           f"by {b.shape[-1]}")


@composite(variants="function")
def triangular_solve(b, A, upper=True, transpose=False, unitriangular=False, *, out=None):
    """Solve A X = b for triangular A: (solution, a copy of A)."""
    jt = _jt()
    _check_solve_args("triangular_solve", b, A)
    M = A.mT if transpose else A
    up = (not upper) if transpose else upper
    x = jt.linalg.solve_triangular(M, b, upper=up, unitriangular=unitriangular)
    return triangular_solve_t(x, A.clone())


@composite(variants="function")
def cholesky_solve(B, L, upper=False, *, out=None):
    """Solve A X = B given A's Cholesky factor (lower L, or upper U when ``upper``)."""
    jt = _jt()
    _check_solve_args("cholesky_solve", B, L)
    if upper:
        y = jt.linalg.solve_triangular(L.mH, B, upper=False)
        return jt.linalg.solve_triangular(L, y, upper=True)
    y = jt.linalg.solve_triangular(L, B, upper=False)
    return jt.linalg.solve_triangular(L.mH, y, upper=True)


@composite(variants="function")
def cholesky_inverse(L, upper=False, *, out=None):
    jt = _jt()
    if L.dim() < 2:
        raise RuntimeError("cholesky_inverse: The input tensor A must have at least 2 "
                           "dimensions.")
    _square("cholesky_inverse: ", L)
    if not _floating(L):
        raise _not_implemented("cholesky_inverse_out_cpu", L)
    eye = jt.eye(L.shape[-1], dtype=L.dtype).expand(L.shape)
    return cholesky_solve(eye, L, upper)


# ------------------------------------------------------------------ removed functions
def _raise_removed(name, message):
    def fn(*args, **kwargs):
        sep = "\n" if name == "matrix_rank" else " "
        raise RuntimeError("This function was deprecated since version 1.9 and is now "
                           "removed." + sep + message)
    fn.__name__ = fn.__qualname__ = name
    return composite(variants="function", name=name)(fn)


_raise_removed("eig", "`torch.linalg.eig` returns complex tensors of dtype `cfloat` or "
               "`cdouble` rather than real tensors mimicking complex tensors.\n\nL, _ = "
               "torch.eig(A) should be replaced with:\nL_complex = torch.linalg.eigvals(A)"
               "\n\nand\n\nL, V = torch.eig(A, eigenvectors=True) should be replaced with:"
               "\nL_complex, V_complex = torch.linalg.eig(A)")
_raise_removed("lstsq", "`torch.lstsq` is deprecated in favor of `torch.linalg.lstsq`.\n"
               "`torch.linalg.lstsq` has reversed arguments and does not return the QR "
               "decomposition in the returned tuple (although it returns other information "
               "about the problem).\n\nTo get the QR decomposition consider using "
               "`torch.linalg.qr`.\n\nThe returned solution in `torch.lstsq` stored the "
               "residuals of the solution in the last m - n columns of the returned value "
               "whenever m > n. In torch.linalg.lstsq, the residuals are in the field "
               "'residuals' of the returned named tuple.\n\nThe unpacking of the solution, as "
               "in\nX, _ = torch.lstsq(B, A).solution[:A.size(1)]\nshould be replaced with:\n"
               "X = torch.linalg.lstsq(A, B).solution")
_raise_removed("solve", "`torch.solve` is deprecated in favor of `torch.linalg.solve`. "
               "`torch.linalg.solve` has its arguments reversed and does not return the LU "
               "factorization.\n\nTo get the LU factorization see `torch.lu`, which can be "
               "used with `torch.lu_solve` or `torch.lu_unpack`.\nX = torch.solve(B, A)."
               "solution should be replaced with:\nX = torch.linalg.solve(A, B)")
_raise_removed("symeig", "The default behavior has changed from using the upper triangular "
               "portion of the matrix by default to using the lower triangular portion.\n\n"
               "L, _ = torch.symeig(A, upper=upper) should be replaced with:\nL = "
               "torch.linalg.eigvalsh(A, UPLO='U' if upper else 'L')\n\nand\n\nL, V = "
               "torch.symeig(A, eigenvectors=True) should be replaced with:\nL, V = "
               "torch.linalg.eigh(A, UPLO='U' if upper else 'L')")
_raise_removed("matrix_rank", "Please use the `torch.linalg.matrix_rank` function instead. "
               "The parameter 'symmetric' was renamed in `torch.linalg.matrix_rank()` to "
               "'hermitian'.")


# ------------------------------------------------------------------ Householder products
geqrf_t = return_types._make("geqrf", ["a", "tau"])


def _check_geqrf(input, *a, **k):
    if input.dim() < 2:
        raise RuntimeError("torch.geqrf: input must have at least 2 dimensions.")
    if not _floating(input):
        raise _not_implemented("geqrf_cpu", input)


def _check_reflectors(name, input, tau):
    """The checks householder_product and ormqr share: ranks, then tau's batch shape."""
    if input.dim() < 2:
        raise RuntimeError(f"torch.{name}: input must have at least 2 dimensions.")
    if tau.dim() != input.dim() - 1:
        raise RuntimeError(f"torch.{name}: Expected tau to have one dimension less than input, "
                           f"but got tau.ndim equal to {tau.dim()} and input.ndim is equal to "
                           f"{input.dim()}")


def _check_batch(name, input, tau):
    if tuple(tau.shape[:-1]) != tuple(input.shape[:-2]):
        raise RuntimeError(f"torch.{name}: Expected batch dimensions of tau to be equal to "
                           f"input.shape[:-2], but got {list(tau.shape[:-1])}")


def _check_householder(input, tau):
    name = "linalg.householder_product"
    _check_reflectors(name, input, tau)
    if input.shape[-2] < input.shape[-1]:
        raise RuntimeError(f"torch.{name}: input.shape[-2] must be greater than or equal to "
                           f"input.shape[-1]")
    if input.shape[-1] < tau.shape[-1]:
        raise RuntimeError(f"torch.{name}: input.shape[-1] must be greater than or equal to "
                           f"tau.shape[-1]")
    _check_batch(name, input, tau)
    if tau.dtype is not input.dtype:
        raise RuntimeError(f"torch.{name}: tau dtype {_name(tau)} does not match input dtype "
                           f"{_name(input)}")


def _check_ormqr(input, tau, other, left):
    _check_reflectors("ormqr", input, tau)
    if other.dim() < 2:
        raise RuntimeError("torch.ormqr: other must have at least 2 dimensions.")
    if other.dim() != input.dim():
        raise RuntimeError(f"torch.ormqr: Expected other to have the same number of dimensions "
                           f"as input, but got other.ndim equal to {other.dim()} and input.ndim "
                           f"is equal to {input.dim()}")
    side = -2 if left else -1
    if other.shape[side] != input.shape[-2]:
        raise RuntimeError(f"torch.ormqr: other.shape[{side}] must be equal to input.shape[-2]")
    if tau.shape[-1] > min(other.shape[side], input.shape[-1]):
        raise RuntimeError(f"torch.ormqr: tau.shape[-1] must be equal to min(other.shape"
                           f"[{side}], input.shape[-1])")
    _check_batch("ormqr", input, tau)
    for what, t in (("tau", tau), ("other", other)):
        if t.dtype is not input.dtype:
            raise RuntimeError(f"torch.ormqr: Expected input and {what} to have the same dtype, "
                               f"but input has dtype{_name(input)} and {what} has dtype "
                               f"{_name(t)}")


@op(variants="", tensors=("input", "tau"), promote=Promotion.DEFAULT,
    grad_fn="LinalgHouseholderProductBackward0", check=_check_householder)
def api_householder_product(input, tau):
    """Q = H_1 ... H_k with H_i = I - tau_i v_i v_i^H (v_i: 1 at i, column i below it);
    written out (not LAPACK's orgqr, which JAX cannot differentiate)."""
    m, n = input.shape[-2], input.shape[-1]
    rows = jnp.arange(m)[:, None]
    cols = jnp.arange(n)[None, :]
    v = jnp.where(rows > cols, input, jnp.where(rows == cols, 1, 0).astype(input.dtype))
    q = jnp.broadcast_to(jnp.eye(m, n, dtype=input.dtype), input.shape)
    for i in reversed(range(tau.shape[-1])):
        vi = v[..., :, i:i + 1]
        q = q - tau[..., i, None, None] * (vi @ (jnp.conj(vi).swapaxes(-1, -2) @ q))
    return q


@op(variants="", promote=Promotion.NONE, grad_fn=None, check=_check_geqrf)
def api_geqrf(input):
    # geqrf is not in jax.lax.linalg's public names (its primitive is, under _src)
    from jax._src.lax import linalg as lax_linalg
    return lax_linalg.geqrf(input)


api_geqrf.returns = geqrf_t


@composite(variants="function")
def geqrf(input, *, out=None):
    """LAPACK's geqrf: R above the diagonal, Householder vectors below, and their scales."""
    return api_geqrf(input)


@composite(variants="function")
def orgqr(input, tau):
    return api_householder_product(input, tau)


@composite(variants="function")
def ormqr(input, tau, other, left=True, transpose=False, *, out=None):
    """other multiplied by the (conjugate-transposed when ``transpose``) full Q of geqrf."""
    jt = _jt()
    _check_ormqr(input, tau, other, left)
    m = input.shape[-2]
    full = input[..., :m]     # Q is m x m: the reflectors past column m are never used
    if input.shape[-1] < m:
        full = jt.nn.functional.pad(input, (0, m - input.shape[-1]))
    taus = jt.nn.functional.pad(tau, (0, m - tau.shape[-1])) if tau.shape[-1] < m else tau
    q = api_householder_product(full, taus)
    if transpose:
        q = q.mH
    return jt.matmul(q, other) if left else jt.matmul(other, q)
