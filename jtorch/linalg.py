"""torch.linalg: thin wrappers over the linalg ops of the op table (``_ops/linalg.py``)."""

from . import return_types
from ._ops import linalg as _la
from ._ops import linalg_more as _lm
from ._ops.composite import matmul  # noqa: F401  (torch.linalg.matmul)
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
    return _la.linalg_solve(A, B)


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    if isinstance(dim, list):
        dim = tuple(dim)
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


def multi_dot(tensors, *, out=None):
    result = tensors[0]
    for t in tensors[1:]:
        result = matmul(result, t)
    return result


def matrix_power(A, n, *, out=None):
    """A @ A @ ... (n times); the inverse's power for negative n; identity for n = 0."""
    if n == 0:
        from . import eye
        return eye(A.shape[-1], dtype=A.dtype).expand(A.shape).clone()
    base = inv(A) if n < 0 else A
    result = base
    for _ in range(abs(n) - 1):
        result = matmul(result, base)
    return result


def slogdet(A, *, out=None):
    return return_types.linalg_slogdet(*_lm.linalg_slogdet(A))


def pinv(A, *, atol=None, rtol=None, hermitian=False, out=None):
    if atol is not None:
        raise NotImplementedError("jtorch: linalg.pinv(atol=) is not implemented")
    return _lm.linalg_pinv(A, rtol, hermitian)


def lstsq(A, B, rcond=None, *, driver=None):
    from . import empty
    x = _lm.linalg_lstsq(A, B)
    return return_types.linalg_lstsq(x, empty(0, dtype=A.dtype), matrix_rank(A),
                                     empty(0, dtype=A.dtype))


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
