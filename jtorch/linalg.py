"""torch.linalg: thin wrappers over the linalg ops of the op table (``_ops/linalg.py``)."""
import collections

from . import return_types
from ._ops import linalg as _la
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
    if ord is not None and A.dim() >= 2 and (dim is None or (isinstance(dim, (tuple, list))
                                                             and len(dim) == 2)):
        raise NotImplementedError("jtorch: matrix norms with ord= are not implemented yet")
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)


def svd(A, full_matrices=True, *, driver=None, out=None):
    U, S, Vh = _la.linalg_svd(A, full_matrices)
    return collections.namedtuple("linalg_svd", "U S Vh")(U, S, Vh)


def svdvals(A, *, driver=None, out=None):
    return svd(A, False).S


def qr(A, mode="reduced", *, out=None):
    Q, R = _la.linalg_qr(A, mode)
    return collections.namedtuple("linalg_qr", "Q R")(Q, R)


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
