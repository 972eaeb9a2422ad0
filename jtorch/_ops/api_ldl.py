"""torch.linalg.ldl_factor / ldl_factor_ex / ldl_solve: LAPACK's Bunch-Kaufman LDL^T
(``?sytf2`` / ``?hetf2`` with UPLO='L', what ``?sytrf`` runs for matrices below its block size)
and ``?sytrs`` / ``?hetrs``, on the host with NumPy, so the pivots and the compact ``LD``
equal torch's. torch does not differentiate these functions, so no graph is recorded.

``LD`` holds L's strict lower triangle and the (1x1 or 2x2) diagonal blocks of D; its upper
triangle is zero. ``pivots`` are 1-based int32: ``k`` for a 1x1 block that swapped rows k and
pivots[k], ``-p`` on both rows of a 2x2 block that swapped the second row with p.
"""
import numpy as np

from .. import _dtypes, return_types
from .._creation import as_tensor

ldl_factor_t = return_types._make("linalg_ldl_factor", ["LD", "pivots"])
ldl_factor_ex_t = return_types._make("linalg_ldl_factor_ex", ["LD", "pivots", "info"])
_ALPHA = (1.0 + np.sqrt(17.0)) / 8.0


def _abs1(z):
    """LAPACK's magnitude for pivoting: |re| + |im| (CABS1) for complex, |x| for real."""
    return abs(z.real) + abs(z.imag) if np.iscomplexobj(z) else abs(z)


def _argmax1(v):
    return int(np.argmax(_abs1(v))) if v.size else 0


def _swap_symmetric(a, k, kk, kp, kstep, herm):
    """Interchange rows and columns kk and kp of the trailing lower triangle."""
    cj = np.conj if herm else (lambda x: x)
    n = a.shape[0]
    if kp + 1 < n:
        a[kp + 1:, [kk, kp]] = a[kp + 1:, [kp, kk]]
    seg = a[kk + 1:kp, kk].copy()
    a[kk + 1:kp, kk] = cj(a[kp, kk + 1:kp])
    a[kp, kk + 1:kp] = cj(seg)
    if herm:
        a[kp, kk] = np.conj(a[kp, kk])
    a[kk, kk], a[kp, kp] = a[kp, kp], a[kk, kk]
    if kstep == 2:
        a[k + 1, k], a[kp, k] = a[kp, k], a[k + 1, k]


def _choose_pivot(a, k, herm):
    """(kp, kstep) by Bunch-Kaufman's rule at column k."""
    n = a.shape[0]
    diag = (lambda i: abs(a[i, i].real)) if herm else (lambda i: _abs1(a[i, i]))
    absakk = diag(k)
    imax = k + 1 + _argmax1(a[k + 1:, k]) if k + 1 < n else k
    colmax = _abs1(a[imax, k]) if k + 1 < n else 0.0
    if max(absakk, colmax) == 0 or np.isnan(absakk):
        return k, 1, True
    if absakk >= _ALPHA * colmax:
        return k, 1, False
    jmax = k + _argmax1(a[imax, k:imax])
    rowmax = _abs1(a[imax, jmax])
    if imax + 1 < n:
        jmax = imax + 1 + _argmax1(a[imax + 1:, imax])
        rowmax = max(rowmax, _abs1(a[jmax, imax]))
    if absakk >= _ALPHA * colmax * (colmax / rowmax):
        return k, 1, False
    if diag(imax) >= _ALPHA * rowmax:
        return imax, 1, False
    return imax, 2, False


def _factor_one(a, herm):
    """In-place ?sytf2/?hetf2 (lower) of one matrix; returns (pivots, info)."""
    n = a.shape[0]
    cj = np.conj if herm else (lambda x: x)
    piv = np.zeros(n, np.int32)
    info, k = 0, 0
    if herm:
        a[np.diag_indices(n)] = a.diagonal().real
    while k < n:
        kp, kstep, singular = _choose_pivot(a, k, herm)
        if singular and info == 0:
            info = k + 1
        kk = k + kstep - 1
        if kp != kk:
            _swap_symmetric(a, k, kk, kp, kstep, herm)
        if kstep == 1:
            if k + 1 < n and not singular:
                r1 = 1.0 / (a[k, k].real if herm else a[k, k])
                x = a[k + 1:, k].copy()
                a[k + 1:, k + 1:] -= np.tril(r1 * np.outer(x, cj(x)))
                if herm:
                    a[np.arange(k + 1, n), np.arange(k + 1, n)] = \
                        a.diagonal()[k + 1:].real
                a[k + 1:, k] *= r1
            piv[k] = kp + 1
        else:
            _two_by_two(a, k, herm)
            piv[k] = piv[k + 1] = -(kp + 1)
        k += kstep
    return piv, info


def _two_by_two(a, k, herm):
    n = a.shape[0]
    if k + 2 >= n:
        return
    cj = np.conj if herm else (lambda x: x)
    d21 = a[k + 1, k]
    if herm:
        d = abs(d21)
        d11 = a[k + 1, k + 1].real / d
        d22 = a[k, k].real / d
        tt = 1.0 / (d11 * d22 - 1.0)
        d21 = d21 / d
        dd = tt / d
    else:
        d11 = a[k + 1, k + 1] / d21
        d22 = a[k, k] / d21
        dd = (1.0 / (d11 * d22 - 1.0)) / d21
    for j in range(k + 2, n):
        if herm:
            wk = dd * (d11 * a[j, k] - d21 * a[j, k + 1])
            wkp1 = dd * (d22 * a[j, k + 1] - np.conj(d21) * a[j, k])
        else:
            wk = dd * (d11 * a[j, k] - a[j, k + 1])
            wkp1 = dd * (d22 * a[j, k + 1] - a[j, k])
        a[j:, j] -= a[j:, k] * cj(wk) + a[j:, k + 1] * cj(wkp1)
        if herm:
            a[j, j] = a[j, j].real
        a[j, k], a[j, k + 1] = wk, wkp1


def _check_square(A, name):
    if A.dim() < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")
    if not (A.is_floating_point() or A.is_complex()):
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. "
                           f"Got {A.dtype._legacy}")


def ldl_factor_ex(A, *, hermitian=False, check_errors=False, out=None):
    """(LD, pivots, info) of each matrix of A (batched)."""
    _check_square(A, "torch.linalg.ldl_factor_ex")
    herm = bool(hermitian) and A.is_complex()
    arr = np.array(A.detach().resolve_conj()._host(), copy=True)
    n = arr.shape[-1]
    flat = arr.reshape((int(np.prod(arr.shape[:-2])), n, n))   # -1 is ambiguous when empty
    pivs = np.zeros(flat.shape[:1] + (n,), np.int32)
    infos = np.zeros(flat.shape[:1], np.int32)
    for b in range(flat.shape[0]):
        pivs[b], infos[b] = _factor_one(flat[b], herm)
        flat[b] = np.tril(flat[b])
    batch = tuple(A.shape[:-2])
    if check_errors and infos.any():
        raise RuntimeError("torch.linalg.ldl_factor_ex: The factorization could not be "
                           f"completed because the input is not invertible (info = "
                           f"{int(infos[infos != 0][0])}).")
    return ldl_factor_ex_t(as_tensor(flat.reshape(arr.shape)).to(A.dtype),
                           as_tensor(pivs.reshape(batch + (n,))),
                           as_tensor(infos.reshape(batch)))


def ldl_factor(A, *, hermitian=False, out=None):
    """(LD, pivots): ldl_factor_ex that raises when a diagonal block is singular."""
    LD, pivots, info = ldl_factor_ex(A, hermitian=hermitian)
    if bool((info != 0).any()):
        bad = int(info[info != 0][0])
        raise RuntimeError(f"torch.linalg.ldl_factor: The factorization could not be completed "
                           f"because the input is not invertible (info = {bad}).")
    return ldl_factor_t(LD, pivots)


def _solve_one(a, piv, b, herm):
    """?sytrs/?hetrs (lower): overwrite b (n x k) with A^-1 b."""
    n = a.shape[0]
    cj = np.conj if herm else (lambda x: x)
    k = 0
    while k < n:                       # L D x = b
        if piv[k] > 0:
            kp = piv[k] - 1
            b[[k, kp]] = b[[kp, k]]
            b[k + 1:] -= np.outer(a[k + 1:, k], b[k])
            b[k] /= a[k, k].real if herm else a[k, k]
            k += 1
        else:
            kp = -piv[k] - 1
            b[[k + 1, kp]] = b[[kp, k + 1]]
            b[k + 2:] -= np.outer(a[k + 2:, k], b[k]) + np.outer(a[k + 2:, k + 1], b[k + 1])
            akm1k = a[k + 1, k]
            akm1 = a[k, k] / cj(akm1k)
            ak = a[k + 1, k + 1] / akm1k
            denom = akm1 * ak - 1.0
            bkm1 = b[k] / cj(akm1k)
            bk = b[k + 1] / akm1k
            b[k], b[k + 1] = (ak * bkm1 - bk) / denom, (akm1 * bk - bkm1) / denom
            k += 2
    k = n - 1
    while k >= 0:                      # L^T x = b (L^H for hermitian)
        if piv[k] > 0:
            b[k] -= cj(a[k + 1:, k]) @ b[k + 1:]
            kp = piv[k] - 1
            b[[k, kp]] = b[[kp, k]]
            k -= 1
        else:
            b[k] -= cj(a[k + 1:, k]) @ b[k + 1:]
            b[k - 1] -= cj(a[k + 1:, k - 1]) @ b[k + 1:]
            kp = -piv[k] - 1
            b[[k, kp]] = b[[kp, k]]
            k -= 2
    return b


def ldl_solve(LD, pivots, B, *, hermitian=False, out=None):
    """Solve A X = B from ldl_factor's (LD, pivots), batched (batch dims broadcast)."""
    _check_solve(LD, pivots, B)
    herm = bool(hermitian) and LD.is_complex()
    dtype = _dtypes.promote_types(LD.dtype, B.dtype)
    a = LD.detach().resolve_conj()._host()
    p = pivots._host().astype(np.int64)
    b = B.detach().resolve_conj()._host().astype(dtype._np)
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    size = (int(np.prod(batch)),)
    a = np.broadcast_to(a, batch + a.shape[-2:]).reshape(size + a.shape[-2:])
    p = np.broadcast_to(p, batch + p.shape[-1:]).reshape(size + p.shape[-1:])
    x = np.array(np.broadcast_to(b, batch + b.shape[-2:]).reshape(size + b.shape[-2:]))
    for i in range(x.shape[0]):
        _solve_one(a[i], p[i], x[i], herm)
    return as_tensor(x.reshape(batch + b.shape[-2:])).to(dtype)


def _check_solve(LD, pivots, B):
    if LD.dim() < 2:
        raise RuntimeError("torch.linalg.ldl_solve: The input tensor LD must have at least "
                           "2 dimensions.")
    if B.dim() < 2:   # torch reads B.size(-2) first
        raise IndexError(f"Dimension out of range (expected to be in range of "
                         f"[{-max(B.dim(), 1)}, {max(B.dim(), 1) - 1}], but got -2)")
