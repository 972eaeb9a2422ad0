"""torch.svd_lowrank and torch.pca_lowrank: randomized low-rank SVD by subspace iteration,
written with jtorch's own ops in torch's order (its Gaussian sketch draws from the default
generator as torch's does, so a seeded call gives torch's factors)."""
from .api_linalg import _jt
from .registry import composite


def _approximate_basis(A, q, niter, M):
    """An orthonormal Q (n x q) with Q Q^H (A - M) ~ A - M: a Gaussian sketch refined by
    ``niter`` subspace iterations (Halko, Martinsson and Tropp 2009, algorithm 4.4), drawing
    from the default generator as torch does."""
    jt = _jt()
    dtype = A.dtype if (A.is_complex() or A.is_floating_point()) else jt.float32
    R = jt.randn(A.shape[-1], q, dtype=dtype)

    def sketch(B, Mb, X):
        Y = jt.matmul(B, X)
        return Y if Mb is None else Y - jt.matmul(Mb, X)

    Q = jt.linalg.qr(sketch(A, M, R)).Q
    for _ in range(niter):
        Q = jt.linalg.qr(sketch(A.mH, None if M is None else M.mH, Q)).Q
        Q = jt.linalg.qr(sketch(A, M, Q)).Q
    return Q


def _svd_lowrank(A, q, niter, M):
    jt = _jt()
    q = 6 if q is None else q
    m, n = A.shape[-2:]
    if M is not None:
        M = M.broadcast_to(A.shape)
    if m < n:
        A = A.mH
        M = None if M is None else M.mH
    Q = _approximate_basis(A, q, 2 if niter is None else niter, M)
    B = jt.matmul(Q.mH, A)
    if M is not None:
        B = B - jt.matmul(Q.mH, M)
    U, S, Vh = jt.linalg.svd(B, full_matrices=False)
    V = Vh.mH
    U = Q.matmul(U)
    if m < n:
        U, V = V, U
    return U, S, V


@composite(variants="function")
def svd_lowrank(A, q=6, niter=2, M=None):
    """An approximate rank-q SVD (U, S, V) of A (or of A - M) by randomized subspace
    iteration."""
    return _svd_lowrank(A, q, niter, M)


svd_lowrank._python_attributes = {"A": "shape"}    # torch's Python code reads A.shape first


@composite(variants="function")
def pca_lowrank(A, q=None, center=True, niter=2):
    """Principal components of the rows of A: svd_lowrank of A with its column means
    removed (when ``center``); q defaults to min(6, m, n)."""
    m, n = A.shape[-2:]
    if q is None:
        q = min(6, m, n)
    elif not (0 <= q <= min(m, n)):
        raise ValueError(f"q(={q}) must be non-negative integer and not greater than "
                         f"min(m, n)={min(m, n)}")
    if not niter >= 0:
        raise ValueError(f"niter(={niter}) must be non-negative integer")
    if not center:
        return _svd_lowrank(A, q, niter, None)
    return _svd_lowrank(A - A.mean(dim=(-2,), keepdim=True), q, niter, None)


pca_lowrank._python_attributes = {"A": "shape"}
