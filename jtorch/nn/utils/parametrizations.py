"""torch.nn.utils.parametrizations: weight_norm, spectral_norm and orthogonal written as
parametrizations (see parametrize.py), with torch's state_dict keys, buffers and random
draws."""
from enum import Enum, auto

import jtorch
from ..functional import normalize
from ..modules.conv import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from ..modules.module import Module
from . import parametrize
from .weight_norm import _weight_norm, norm_except_dim

__all__ = ["orthogonal", "spectral_norm", "weight_norm"]


# ------------------------------------------------------------------ weight_norm
class _WeightNorm(Module):
    """``(g, v) -> g * v / ||v||``; the right inverse splits a weight into its norm and itself."""

    def __init__(self, dim=0):
        super().__init__()
        self.dim = -1 if dim is None else dim

    def forward(self, weight_g, weight_v):
        return _weight_norm(weight_v, weight_g, self.dim)

    def right_inverse(self, weight):
        return norm_except_dim(weight, 2, self.dim), weight


def weight_norm(module, name="weight", dim=0):
    """``module.<name> = g * v / ||v||`` with ``original0`` = g and ``original1`` = v."""
    parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)

    def _compat_hook(state_dict, prefix, local_metadata, strict, missing_keys,
                     unexpected_keys, error_msgs):
        # a state_dict saved with the hook-based weight_norm has <name>_g / <name>_v
        g_key, v_key = f"{prefix}{name}_g", f"{prefix}{name}_v"
        if g_key in state_dict and v_key in state_dict:
            g, v = state_dict.pop(g_key), state_dict.pop(v_key)
            state_dict[f"{prefix}parametrizations.{name}.original0"] = g
            state_dict[f"{prefix}parametrizations.{name}.original1"] = v

    module._register_load_state_dict_pre_hook(_compat_hook)
    return module


# ------------------------------------------------------------------ spectral_norm
class _SpectralNorm(Module):
    """``W -> W / sigma(W)``, sigma by power iteration on the buffers ``_u``, ``_v`` (updated
    in training mode only); a 1-D weight is simply normalized."""

    def __init__(self, weight, n_power_iterations=1, dim=0, eps=1e-12):
        super().__init__()
        ndim = weight.ndim
        if dim >= ndim or dim < -ndim:
            raise IndexError("Dimension out of range (expected to be in range of "
                             f"[-{ndim}, {ndim - 1}] but got {dim})")
        if n_power_iterations <= 0:
            raise ValueError("Expected n_power_iterations to be positive, but "
                             f"got n_power_iterations={n_power_iterations}")
        self.dim = dim if dim >= 0 else dim + ndim
        self.eps = eps
        if ndim > 1:
            self.n_power_iterations = n_power_iterations
            weight_mat = self._reshape_weight_to_matrix(weight)
            h, w = weight_mat.size()
            # u drawn before v: torch's order, so manual_seed gives torch's start
            u = weight_mat.new_empty(h).normal_(0, 1)
            v = weight_mat.new_empty(w).normal_(0, 1)
            self.register_buffer("_u", normalize(u, dim=0, eps=self.eps))
            self.register_buffer("_v", normalize(v, dim=0, eps=self.eps))
            # start from a good estimate: 15 iterations at registration
            self._power_method(weight_mat, 15)

    def _reshape_weight_to_matrix(self, weight):
        if self.dim != 0:
            weight = weight.permute(self.dim, *(d for d in range(weight.dim()) if d != self.dim))
        return weight.flatten(1)

    def _power_method(self, weight_mat, n_power_iterations):
        with jtorch.no_grad():
            # in place into the buffers (out=), u first then v
            for _ in range(n_power_iterations):
                self._u = normalize(jtorch.mv(weight_mat, self._v), dim=0, eps=self.eps,
                                    out=self._u)
                self._v = normalize(jtorch.mv(weight_mat.H, self._u), dim=0, eps=self.eps,
                                    out=self._v)

    def forward(self, weight):
        if weight.ndim == 1:
            return normalize(weight, dim=0, eps=self.eps)
        weight_mat = self._reshape_weight_to_matrix(weight)
        if self.training:
            self._power_method(weight_mat, self.n_power_iterations)
        # clones: the next forward updates the buffers in place after backward saved them
        u = self._u.clone(memory_format=jtorch.contiguous_format)
        v = self._v.clone(memory_format=jtorch.contiguous_format)
        sigma = jtorch.vdot(u, jtorch.mv(weight_mat, v))
        return weight / sigma

    def right_inverse(self, value):
        return value


def spectral_norm(module, name="weight", n_power_iterations=1, eps=1e-12, dim=None):
    """``module.<name> = W / sigma(W)``; ``dim`` defaults to 1 for transposed convolutions
    (their output dim), 0 otherwise."""
    weight = getattr(module, name, None)
    if not isinstance(weight, jtorch.Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if dim is None:
        dim = 1 if isinstance(module, (ConvTranspose1d, ConvTranspose2d, ConvTranspose3d)) else 0
    parametrize.register_parametrization(
        module, name, _SpectralNorm(weight, n_power_iterations, dim, eps))
    return module


# ------------------------------------------------------------------ orthogonal
class _OrthMaps(Enum):
    matrix_exp = auto()
    cayley = auto()
    householder = auto()


def _householder_product(a, tau):
    """``(H_1 ... H_k)[:, :k]`` with ``H_i = I - tau_i v_i v_i^H``, ``v_i`` = 1 at row i and
    the i-th column of ``a`` below it (LAPACK's orgqr, composed so it is differentiable)."""
    n, k = a.size(-2), a.size(-1)
    eye = jtorch.eye(n, dtype=a.dtype)
    rows = jtorch.arange(n)[:, None]
    q = eye[:, :k].expand(*a.shape[:-2], n, k)
    for i in reversed(range(k)):      # from the right: H_1 (H_2 (... (H_k E)))
        v = a[..., :, i:i + 1] * (rows > i).to(a.dtype) + eye[:, i:i + 1]
        q = q - tau[..., i, None, None] * (v @ (v.mH @ q))
    return q


def _geqrf(a):
    """LAPACK's geqrf (Householder QR, dlarfg's convention): R on and above the diagonal,
    the reflectors below it, and their tau."""
    a = a.clone()
    n, k = a.size(-2), a.size(-1)
    taus = []
    for j in range(min(n, k)):
        x = a[..., j:, j]
        alpha, xnorm = x[..., 0], jtorch.linalg.vector_norm(x[..., 1:], dim=-1)
        beta = -jtorch.copysign(jtorch.hypot(alpha, xnorm), alpha)
        zero = xnorm == 0          # no reflection (H = I, tau = 0)
        beta = jtorch.where(zero, alpha, beta)
        tau = jtorch.where(zero, jtorch.zeros_like(alpha), (beta - alpha) / beta)
        scale = jtorch.where(zero, jtorch.zeros_like(alpha), 1 / (alpha - beta))
        v = jtorch.cat([jtorch.ones_like(x[..., :1]), x[..., 1:] * scale[..., None]], dim=-1)
        rest = a[..., j:, j + 1:]
        a[..., j:, j + 1:] = rest - tau[..., None, None] * v[..., :, None] * (
            v[..., None, :] @ rest)
        a[..., j, j] = beta
        a[..., j + 1:, j] = v[..., 1:]
        taus.append(tau)
    return a, jtorch.stack(taus, dim=-1)


def _make_orthogonal(a):
    """The Q of a = QR with diag(R) >= 0 (unique for full-rank a)."""
    q, r = jtorch.linalg.qr(a)
    return q * r.diagonal(dim1=-2, dim2=-1).sgn().unsqueeze(-2)


def _is_orthogonal(q):
    n, k = q.size(-2), q.size(-1)
    eye = jtorch.eye(k, dtype=q.dtype)
    return jtorch.allclose(q.mH @ q, eye, atol=10.0 * n * jtorch.finfo(q.dtype).eps)


class _Orthogonal(Module):
    """Maps an unconstrained matrix to an orthogonal (unitary) one of the same shape."""

    def __init__(self, weight, orthogonal_map, *, use_trivialization=True):
        super().__init__()
        if weight.is_complex() and orthogonal_map == _OrthMaps.householder:
            raise ValueError("The householder parametrization does not support complex "
                             "tensors.")
        self.shape = weight.shape
        self.orthogonal_map = orthogonal_map
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, X):
        n, k = X.size(-2), X.size(-1)
        transposed = n < k
        if transposed:
            X = X.mT
            n, k = k, n
        if self.orthogonal_map in (_OrthMaps.matrix_exp, _OrthMaps.cayley):
            # the strictly lower part and diagonal (n k - k(k-1)/2 numbers) define a
            # skew-symmetric A, embedded in an n x n matrix when X is tall
            X = X.tril()
            if n != k:
                X = jtorch.cat([X, X.new_zeros(n, n - k).expand(*X.shape[:-2], -1, -1)], dim=-1)
            A = X - X.mH
            if self.orthogonal_map == _OrthMaps.matrix_exp:
                Q = jtorch.matrix_exp(A)
            else:     # Cayley retraction (I + A/2)(I - A/2)^{-1}
                eye = jtorch.eye(n, dtype=A.dtype)
                Q = jtorch.linalg.solve(jtorch.add(eye, A, alpha=-0.5),
                                        jtorch.add(eye, A, alpha=0.5))
            if n != k:
                Q = Q[..., :k]
        else:
            A = X.tril(diagonal=-1)
            tau = 2.0 / (1.0 + (A * A).sum(dim=-2))
            Q = _householder_product(A, tau)
            # X's diagonal holds the signs (+-1), not differentiated (the int cast)
            Q = Q * X.diagonal(dim1=-2, dim2=-1).int().unsqueeze(-2)
        if hasattr(self, "base"):
            Q = self.base @ Q
        if transposed:
            Q = Q.mT
        return Q

    def right_inverse(self, Q):
        with jtorch.no_grad():
            if Q.shape != self.shape:
                raise ValueError(f"Expected a matrix or batch of matrices of shape "
                                 f"{self.shape}. Got a tensor of shape {Q.shape}.")
            Q_init = Q
            n, k = Q.size(-2), Q.size(-1)
            transpose = n < k
            if transpose:
                Q = Q.mT
                n, k = k, n
            if not hasattr(self, "base"):
                if self.orthogonal_map in (_OrthMaps.cayley, _OrthMaps.matrix_exp):
                    raise NotImplementedError("It is not possible to assign to the matrix "
                                              "exponential or the Cayley parametrizations "
                                              "when use_trivialization=False.")
                # householder without trivialization: the reflectors of Q's QR, with the
                # signs of diag(R) on the diagonal
                A, tau = _geqrf(Q)
                # diag(R) > 0 makes the decomposition unique: keep only its signs, flipped
                # where LAPACK made no reflection
                A.diagonal(dim1=-2, dim2=-1).sign_()
                A.diagonal(dim1=-2, dim2=-1)[tau == 0.0] *= -1
                return A.mT if transpose else A
            if n == k:
                Q = Q.clone() if _is_orthogonal(Q) else _make_orthogonal(Q)
            else:
                # complete Q to an n x n orthogonal matrix with random columns (torch's draw)
                N = jtorch.randn(*(Q.size()[:-2] + (n, n - k)), dtype=Q.dtype)
                Q = _make_orthogonal(jtorch.cat([Q, N], dim=-1))
            self.base = Q
            # -Id: householder of zeros with -1 diagonal is the identity, so Q = base
            neg_id = jtorch.zeros_like(Q_init)
            neg_id.diagonal(dim1=-2, dim2=-1).fill_(-1.0)
            return neg_id


def orthogonal(module, name="weight", orthogonal_map=None, *, use_trivialization=True):
    """Constrain ``module.<name>`` to orthogonal (unitary) matrices."""
    weight = getattr(module, name, None)
    if not isinstance(weight, jtorch.Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if weight.ndim < 2:
        raise ValueError("Expected a matrix or batch of matrices. "
                         f"Got a tensor of {weight.ndim} dimensions.")
    if orthogonal_map is None:
        orthogonal_map = ("matrix_exp" if weight.size(-2) == weight.size(-1)
                          or weight.is_complex() else "householder")
    orth_enum = getattr(_OrthMaps, orthogonal_map, None)
    if orth_enum is None:
        raise ValueError('orthogonal_map has to be one of "matrix_exp", "cayley", '
                         f'"householder". Got: {orthogonal_map}')
    orth = _Orthogonal(weight, orth_enum, use_trivialization=use_trivialization)
    parametrize.register_parametrization(module, name, orth, unsafe=True)
    return module
