"""torch.linalg: thin wrappers over the linalg ops of the op table (``_ops/linalg.py``)."""

from . import _dtypes, return_types
from ._tensor import Tensor
from ._views import _wrap_dim
from ._ops import linalg as _la
from ._ops import linalg_kernels as _lm
from ._ops.composite import matmul  # noqa: F401  (torch.linalg.matmul)
from ._ops.products import cpp_name as _cpp_name
from ._ops.products import linalg_cross as cross  # noqa: F401


def eig(A, *, out=None):
    """Eigenvalues and eigenvectors of a square matrix (complex results)."""
    return return_types.linalg_eig(*_la.linalg_eig(A))


def eigvals(A, *, out=None):
    return _la.linalg_eigvals(A)


def eigh(A, UPLO="L", *, out=None):
    return return_types.linalg_eigh(*_la.linalg_eigh(A, UPLO))


def eigvalsh(A, UPLO="L", *, out=None):
    return eigh(A, UPLO).eigenvalues


def det(A, *, out=None):
    return _la.linalg_det(A)


def inv(A, *, out=None):
    return _la.linalg_inv(A)


def solve(A, B, *, left=True, out=None):
    if not left:   # X A = B  <=>  A^T X^T = B^T
        return _la.linalg_solve(A.mT, B.mT).mT
    return _la.linalg_solve(A, B)


def _check_norm_input(name, x):
    if not isinstance(x, Tensor):
        raise TypeError(f"linalg_{name}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(x).__name__}")
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        raise RuntimeError(f"linalg.{name}: Expected a floating point or complex tensor as "
                           f"input. Got {_dtypes.torch_type_name(x.dtype)}")


def _vector_norm_args(x, ord, dim):
    """torch's argument parser's and dim wrapping's errors for vector_norm's ord and dim."""
    if isinstance(ord, bool) or not isinstance(ord, (int, float)):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' (position 2) must be Number, "
                        f"not {type(ord).__name__}")
    if dim is None:
        return None
    dims = (dim,) if isinstance(dim, int) else dim
    if not isinstance(dims, (tuple, list)) or not all(isinstance(d, int) for d in dims):
        raise TypeError(f"linalg_vector_norm(): argument 'dim' (position 3) must be tuple of "
                        f"ints, not {type(dim).__name__}")
    for d in dims:
        _wrap_dim(d, x.dim())
    return dim if isinstance(dim, int) else tuple(dim)


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    _check_norm_input("vector_norm", x)
    dim = _vector_norm_args(x, ord, dim)
    return _la.linalg_vector_norm(x if dtype is None else x.to(dtype), float(ord), dim, keepdim)


def norm(A, ord=None, dim=None, keepdim=False, *, out=None, dtype=None):
    """Vector 2-norm by default (all elements), as torch.linalg.norm for ord=None."""
    if isinstance(ord, str) or (ord is not None and (
            (dim is None and A.dim() == 2) or (isinstance(dim, (tuple, list)) and len(dim) == 2))):
        return matrix_norm(A, "fro" if ord is None else ord, (-2, -1) if dim is None else dim,
                           keepdim, dtype=dtype)
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    """torch's compositions: 'fro' a vector norm over both dims, 'nuc' the sum of singular
    values, +-2 their max/min, +-1 and +-inf max/min of column/row absolute sums."""
    _check_norm_input("matrix_norm", A)
    if dtype is not None:
        A = A.to(dtype)
    d0, d1 = (d % A.dim() for d in dim)
    if ord == "fro":
        return vector_norm(A, 2, (d0, d1), keepdim)
    if ord in ("nuc", 2, -2):
        x = A.movedim((d0, d1), (-2, -1))
        s = svdvals(x)
        out = s.sum(-1) if ord == "nuc" else (s.amax(-1) if ord == 2 else s.amin(-1))
    elif ord in (1, -1, float("inf"), float("-inf")):
        sum_dim, red_dim = (d0, d1) if ord in (1, -1) else (d1, d0)
        sums = A.abs().sum(sum_dim, keepdim=keepdim)
        if not keepdim and sum_dim < red_dim:
            red_dim -= 1
        return sums.amax(red_dim, keepdim=keepdim) if ord > 0 else \
            sums.amin(red_dim, keepdim=keepdim)
    else:
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    if keepdim:
        out = out.unsqueeze(min(d0, d1)).unsqueeze(max(d0, d1))
    return out


def svd(A, full_matrices=True, *, driver=None, out=None):
    return return_types.linalg_svd(*_la.linalg_svd(A, full_matrices))


def svdvals(A, *, driver=None, out=None):
    return svd(A, False).S


def qr(A, mode="reduced", *, out=None):
    return return_types.linalg_qr(*_la.linalg_qr(A, mode))


def cholesky(A, *, upper=False, out=None):
    return _la.linalg_cholesky(A, upper)


def _check_multi_dot(tensors):
    """torch's checks, in its order: count, ranks, dtypes, then the chain's shapes."""
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(f"linalg_multi_dot(): argument 'tensors' (position 1) must be tuple of "
                        f"Tensors, not {type(tensors).__name__}")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")
    n = len(tensors)
    if n < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {n}")
    for which, t in (("first", tensors[0]), ("last", tensors[-1])):
        if t.dim() not in (1, 2):
            raise RuntimeError(f"multi_dot(): the {which} tensor must be 1D or 2D but got "
                               f"{t.dim()}D")
    for i, t in enumerate(tensors[1:], 1):
        if i < n - 1 and t.dim() != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {t.dim()}D")
        if t.dtype is not tensors[0].dtype:
            raise RuntimeError(f"multi_dot(): all tensors must have be the same dtype but "
                               f"tensor 0 is {_cpp_name(tensors[0].dtype)} and tensor {i} "
                               f"{_cpp_name(t.dtype)}")
    for i in range(n - 1):
        a, b = tensors[i], tensors[i + 1]
        if a.shape[-1] != b.shape[0]:
            raise RuntimeError(f"multi_dot(): tensors {i} and {i + 1} with shapes "
                               f"{list(a.shape)} and {list(b.shape)} cannot be multiplied")


def multi_dot(tensors, *, out=None):
    _check_multi_dot(tensors)
    result = tensors[0]
    for t in tensors[1:]:
        result = matmul(result, t)
    return result


def matrix_power(A, n, *, out=None):
    """A @ A @ ... (n times); the inverse's power for negative n; identity for n = 0."""
    if n == 0:   # torch copies the identity into a clone of A (a zero gradient to A)
        from . import eye
        return A.clone().copy_(eye(A.shape[-1], dtype=A.dtype).expand(A.shape))
    if n == 1:
        return A.clone()
    base = inv(A) if n < 0 else A
    result = base
    for _ in range(abs(n) - 1):
        result = matmul(result, base)
    return result


def slogdet(A, *, out=None):
    return return_types.linalg_slogdet(*_lm.linalg_slogdet(A))


def pinv(A, *, atol=None, rtol=None, hermitian=False, out=None):
    return _lm.linalg_pinv(A, atol, rtol, hermitian)


def lstsq(A, B, rcond=None, *, driver=None):
    """The solution, and what torch's CPU driver reports besides: residuals for m > n (not
    gelsy, torch's default), the rank (not gels), singular values (gelsd, gelss)."""
    from . import empty, int64
    driver = driver or "gelsy"
    x = _lm.linalg_lstsq(A, B)
    real = A.real.dtype if A.is_complex() else A.dtype
    m, n = A.shape[-2], A.shape[-1]
    vec = B.dim() == A.dim() - 1
    if driver != "gelsy" and m > n:
        diff = (A @ x.unsqueeze(-1) - B.unsqueeze(-1)) if vec else A @ x - B
        residuals = (diff.abs() ** 2).sum(-2)
        residuals = residuals.squeeze(-1) if vec else residuals
    else:
        residuals = empty(0, dtype=real)
    rank = empty(0, dtype=int64) if driver == "gels" else matrix_rank(A)
    sv = svdvals(A) if driver in ("gelsd", "gelss") else empty(0, dtype=real)
    return return_types.linalg_lstsq(x, residuals, rank, sv)


def matrix_exp(A):
    return _lm.linalg_matrix_exp(A)


def matrix_rank(A, *, atol=None, rtol=None, hermitian=False, out=None):
    return _lm.linalg_matrix_rank(A, atol, rtol, hermitian)


def solve_triangular(A, B, *, upper, left=True, unitriangular=False, out=None):
    return _lm.linalg_solve_triangular(A, B, upper, left, unitriangular)


def vecdot(x, y, *, dim=-1, out=None):
    return (x.conj() * y).sum(dim)


def diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    return A.diagonal(offset, dim1, dim2)


def inv_ex(A, *, check_errors=False, out=None):
    from . import zeros, int32
    inverse = inv(A)
    return return_types.linalg_inv_ex(inverse, zeros(A.shape[:-2], dtype=int32))


def cholesky_ex(A, *, upper=False, check_errors=False, out=None):
    from . import zeros, int32
    return return_types.linalg_cholesky_ex(cholesky(A, upper=upper),
                                           zeros(A.shape[:-2], dtype=int32))


# ------------------------------------------------------------------ issue 18 additions
from ._ops import api_linalg as _al  # noqa: E402
from ._ops.api_ldl import ldl_factor, ldl_factor_ex, ldl_solve  # noqa: E402,F401  (issue 18)


class LinAlgError(RuntimeError):
    """Raised by linalg functions on singular or non-definite input (torch.linalg.LinAlgError)."""


LinAlgError.__module__ = "torch.linalg"


def lu_factor(A, *, pivot=True, out=None):
    """Packed LU factorisation with partial pivoting: (LU, 1-based int32 pivots)."""
    return _al.lu_factor(A, pivot=pivot)


def lu_factor_ex(A, *, pivot=True, check_errors=False, out=None):
    return _al.lu_factor_ex(A, pivot=pivot, check_errors=check_errors)


def lu(A, *, pivot=True, out=None):
    """P, L, U with A = P L U."""
    lu_, piv = lu_factor(A, pivot=pivot)
    P, L, U = _al.lu_unpack_impl(lu_, piv)
    return _al.linalg_lu_t(P, L, U)


def lu_solve(LU, pivots, B, *, left=True, adjoint=False, out=None):
    return _al._lu_solve_impl(LU, pivots, B, left, adjoint)


def solve_ex(A, B, *, left=True, check_errors=False, out=None):
    from . import zeros, int32
    return return_types._make("linalg_solve_ex", ["result", "info"])(
        solve(A, B, left=left), zeros(A.shape[:-2], dtype=int32))


def householder_product(A, tau, *, out=None):
    """The product of the Householder reflectors stored in A's columns (with scales tau)."""
    return _al.api_householder_product(A, tau)


def cond(A, p=None, *, out=None):
    """The condition number of A in the p-norm (2-norm by default: via singular values)."""
    if p is None or p in (2, -2):
        s = svdvals(A)
        if p == -2:
            return s[..., -1] / s[..., 0]
        return s[..., 0] / s[..., -1]
    return matrix_norm(A, p) * matrix_norm(inv(A), p)


def tensorinv(A, ind=2, *, out=None):
    """The inverse of A seen as a map from its first ``ind`` dims to the rest."""
    import math
    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    rows, cols = A.shape[:ind], A.shape[ind:]
    if math.prod(rows) != math.prod(cols):
        raise RuntimeError("Expected self to satisfy the requirement prod(self.shape[ind:]) "
                           "== prod(self.shape[:ind]), but got "
                           f"{math.prod(cols)} != {math.prod(rows)}")
    return inv(A.reshape(math.prod(rows), -1)).reshape(tuple(cols) + tuple(rows))


def tensorsolve(A, B, dims=None, *, out=None):
    """X with tensordot(A, X, X.dim()) == B."""
    import math
    if dims is not None:
        dims = [d % A.dim() for d in dims]
        rest = [d for d in range(A.dim()) if d not in dims]
        A = A.permute(rest + dims)
    x_shape = tuple(A.shape[B.dim():])
    n = math.prod(x_shape)
    if B.numel() != n:
        raise RuntimeError("Expected self to satisfy the requirement prod(self.shape[other."
                           f"ndim:]) == prod(self.shape[:other.ndim]), but got {n} != "
                           f"{B.numel()}")
    return solve(A.reshape(n, n), B.reshape(n)).reshape(x_shape)


def vander(x, *, N=None):
    """Columns x^0, x^1, ..., x^(N-1) (increasing powers, batched over leading dims)."""
    from . import cat, cumprod, ones, promote_types, int64
    if x.dim() < 1:
        x = x.reshape(1)   # torch treats a 0-dim x as one value
    n = x.shape[-1] if N is None else N
    if n <= 1:
        raise RuntimeError("N must be greater than 1.")
    dtype = promote_types(x.dtype, int64) if not (x.is_floating_point() or x.is_complex()) \
        else x.dtype
    first = ones(tuple(x.shape) + (1,), dtype=dtype)
    powers = cumprod(x.to(dtype).unsqueeze(-1).expand(tuple(x.shape) + (n - 1,)), dim=-1)
    return cat([first, powers], dim=-1)
