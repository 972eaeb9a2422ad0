"""Matrix products. ``matmul`` picks torch's underlying op by rank, so grad_fn names match
torch's (DotBackward0, MvBackward0, MmBackward0, BmmBackward0, UnsafeViewBackward0)."""
import jax
import jax.numpy as jnp

from .. import _dtypes, _grad_mode
from .._tensor import Tensor
from . import _vector_norm
from .product_checks import (check_addmm_dtypes, check_dot_operands, check_expand,
                             check_mv_shapes, cpp_name as _cpp_name)
from .registry import Promotion, op

MM = dict(variants="function method out", tensors=("input", "other"),
          saves=("other:input", "input:other"))


def _check_same_dtype(name):
    def check(input, other, *a, **k):
        if input.dtype != other.dtype:
            raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                               f"{_cpp_name(input.dtype)} != {_cpp_name(other.dtype)}")
    return check


def _refuse_bool(kernel, input, other):
    # (torch's CPU kernels return before dispatching on the dtype when an operand is empty)
    if input.dtype is _dtypes.bool and input.numel() and other.numel():
        raise NotImplementedError(f'"{kernel}" not implemented for \'Bool\'')


def _positive_zero(product, k):
    """torch's CPU products sum from +0., so a product over one term that is -0. comes out
    +0.; XLA returns the single term and folds a constant ``+ 0.`` away, so the zero added is
    computed (-0. + +0. is +0.; the gradient is untouched)."""
    if k != 1 or not jnp.issubdtype(product.dtype, jnp.floating):
        return product
    return product + jax.lax.stop_gradient(jnp.where(product == 0, -product, 0))


def _check_mm(input, other):
    """torch's order: ranks and shapes (its meta function), then dtypes (its kernel)."""
    if input.ndim != 2 or other.ndim != 2:
        raise RuntimeError(f"{'self' if input.ndim != 2 else 'mat2'} must be a matrix")
    if input.shape[1] != other.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({input.shape[0]}x"
                           f"{input.shape[1]} and {other.shape[0]}x{other.shape[1]})")
    _check_same_dtype("mm")(input, other)
    _refuse_bool("addmm_impl_cpu_", input, other)


@op(check=_check_mm, **MM)
def mm(input, other):
    """Matrix product of two 2-D tensors (no broadcasting)."""
    return _positive_zero(input @ other, input.shape[-1])


@op(check=check_dot_operands, **MM)
def dot(input, other):
    """Inner product of two 1-D tensors."""
    return _positive_zero(jnp.dot(input, other), input.shape[-1])


def _mv_dtypes(input, other):
    if input.dtype is not other.dtype:   # torch's mv is addmv into a result of vec's dtype
        names = [_dtypes.torch_type_name(t.dtype) for t in (other, input, other)]
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got "
                           f"{names[0]}, {names[1]}, and {names[2]}")


def _check_mv(input, other):
    check_mv_shapes(tuple(input.shape[:1]), input, other)
    _mv_dtypes(input, other)
    _refuse_bool("addmv_impl_cpu", input, other)


@op(check=_check_mv, **MM)
def mv(input, other):
    """Matrix-vector product."""
    return _positive_zero(input @ other, input.shape[-1])


def check_scalar_types(input, other):
    """The batched kernels' dtype check (bmm, matmul of 3-D and more), after the shapes;
    matmul folds a 3-D or more ``input`` times a matrix or vector into mm or mv."""
    folded = input.dim() >= 3 and other.dim() <= 2
    if input.dtype is not other.dtype and folded:
        (_check_same_dtype("mm") if other.dim() == 2 else _mv_dtypes)(input, other)
    if input.dtype is not other.dtype and 0 in (input.numel(), other.numel()):
        # torch's CPU bmm returns before its dtype check when an operand is empty, in the
        # second operand's dtype (so mixed dtypes pass here; the op casts)
        differentiable = other.dtype.is_floating_point or other.dtype.is_complex
        if input.requires_grad and not differentiable and _grad_mode.is_grad_enabled():
            raise RuntimeError(f"Autograd not support dtype: "
                               f"{_dtypes.torch_type_name(other.dtype)}")
        return
    if not folded:      # bmm dispatches on input's dtype before comparing the two
        _refuse_bool("bmm", input, other)
    if input.dtype is not other.dtype:
        raise RuntimeError(f"expected scalar type {_dtypes.torch_type_name(input.dtype)} but "
                           f"found {_dtypes.torch_type_name(other.dtype)}")
    if folded:
        _refuse_bool("addmm_impl_cpu_" if other.dim() == 2 else "addmv_impl_cpu", input, other)


def _check_bmm(input, other):
    if input.ndim != 3 or other.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor" if input.ndim != 3 else
                           "batch2 must be a 3D tensor")
    want = [input.shape[0], input.shape[2]]
    if [other.shape[0], other.shape[1]] != want:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"{want} but got: {[other.shape[0], other.shape[1]]}.")
    check_scalar_types(input, other)


@op(check=_check_bmm, promote=Promotion.NONE, **MM)
def bmm(input, other):
    """Batched matrix product of two 3-D tensors."""
    return _batched(input, other)


@op(variants="", grad_fn="UnsafeViewBackward0", check=check_scalar_types,
    promote=Promotion.NONE, **{
    k: v for k, v in MM.items() if k != "variants"})
def _matmul_nd(input, other):
    return _batched(input, other)


def _batched(input, other):
    # mixed dtypes reach here only with an empty operand: the result is other's dtype
    return _positive_zero(jnp.matmul(input.astype(other.dtype), other), input.shape[-1])


def _check_addmm(input, mat1, mat2, *, beta=1, alpha=1):
    # (tuple unpacking, not Size indexing: this runs in every Linear's forward)
    if isinstance(input, Tensor):
        check_addmm_dtypes(input, mat1, mat2)
    s1, s2 = tuple(mat1.shape), tuple(mat2.shape)
    if len(s1) != 2 or len(s2) != 2:
        raise RuntimeError(f"{'mat1' if len(s1) != 2 else 'mat2'} must be a matrix, got "
                           f"{len(s1) if len(s1) != 2 else len(s2)}-D tensor")
    (_, k1), (k2, _) = s1, s2
    if k1 != k2:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({mat1.shape[0]}x"
                           f"{mat1.shape[1]} and {mat2.shape[0]}x{mat2.shape[1]})")
    if isinstance(input, Tensor) and tuple(input.shape) != (s1[0], s2[1]):
        check_expand(input, (s1[0], s2[1]))


@op(variants="function method out", tensors=("input", "mat1", "mat2"),
    saves=("mat1:mat2", "mat2:mat1"), check=_check_addmm)
def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """``beta * input + alpha * (mat1 @ mat2)``."""
    prod = mat1 @ mat2
    if alpha != 1:
        prod = alpha * prod
    if beta == 0:
        return jnp.broadcast_to(prod, prod.shape)
    return prod + (input if beta == 1 else beta * input)


# ------------------------------------------------------------------ torch.linalg
LA = dict(variants="", promote=Promotion.NONE)


def _not_float(name):
    return lambda dt: RuntimeError(f"linalg.{name}: Expected a floating point or complex tensor "
                                   f"as input. Got {_dtypes.torch_type_name(dt)}")


def _float_matrix(name, square=True, dtype_first=True, dtype_error=None):
    """torch's checks of a linalg input: a float or complex dtype (``dtype_error``: torch's
    exception for another dtype; checked after the shapes unless ``dtype_first``), at least
    2 dims, square matrices (``square``)."""
    bad_dtype = dtype_error or _not_float(name)

    def check(input, *a, **k):
        floating = input.dtype.is_floating_point or input.dtype.is_complex
        if dtype_first and not floating:
            raise bad_dtype(input.dtype)
        if input.dim() < 2:
            raise RuntimeError(f"linalg.{name}: The input tensor A must have at least 2 "
                               f"dimensions.")
        if square and input.shape[-1] != input.shape[-2]:
            raise RuntimeError(f"linalg.{name}: A must be batches of square matrices, but they "
                               f"are {input.shape[-2]} by {input.shape[-1]} matrices")
        if not floating:
            raise bad_dtype(input.dtype)
    return check


# eig's dtype check is its complex result type's (an integer input has none)
_NO_COMPLEX = (lambda dt: RuntimeError(f"Unknown Complex ScalarType for "
                                       f"{_dtypes.torch_type_name(dt)}"))


@op(grad_fn="LinalgEigBackward0", check=_float_matrix("eig", dtype_error=_NO_COMPLEX),
    name="linalg_eig", **LA)
def linalg_eig(input):
    # JAX differentiates eigenvectors only on request (valid for distinct eigenvalues, as
    # torch's formula is too)
    if input.shape[-1] == 0:       # (JAX's eigenvector derivative rejects empty matrices)
        cdt = jnp.result_type(input.dtype, jnp.complex64)
        return jnp.zeros(input.shape[:-1], cdt), jnp.zeros(input.shape, cdt)
    w, v = jax.lax.linalg.eig(input, compute_left_eigenvectors=False,
                              enable_eigvec_derivs=True)
    return w, v


@op(grad_fn="LinalgEigBackward0", check=_float_matrix("eigvals", dtype_error=_NO_COMPLEX),
    name="linalg_eigvals", **LA)
def linalg_eigvals(input):
    return jnp.linalg.eigvals(input)


@op(grad_fn="LinalgEighBackward0", name="linalg_eigh",
    check=_float_matrix("eigh", dtype_first=False, dtype_error=lambda dt: NotImplementedError(
        f"\"linalg_eigh_cpu\" not implemented for '{_dtypes.torch_type_name(dt)}'")), **LA)
def linalg_eigh(input, UPLO="L"):
    # LAPACK reads one triangle (and the diagonal's real part); jnp's eigh would average
    # the matrix with its transpose instead. The gradient flows to the whole input, made
    # Hermitian, as torch's eigh backward does.
    tri = jnp.tril(input, -1) if UPLO == "L" else jnp.triu(input, 1)
    diag = jnp.real(jnp.diagonal(input, axis1=-2, axis2=-1)).astype(input.dtype)
    herm = tri + jnp.conj(jnp.swapaxes(tri, -1, -2)) + diag[..., None] * jnp.eye(
        input.shape[-1], dtype=input.dtype)
    sym = (input + jnp.conj(jnp.swapaxes(input, -1, -2))) / 2
    used = sym + jax.lax.stop_gradient(herm - sym)
    return tuple(jnp.linalg.eigh(used, UPLO=UPLO, symmetrize_input=False))  # a plain tuple


@op(grad_fn="LinalgDetBackward0", check=_float_matrix("det"), name="linalg_det", **LA)
def linalg_det(input):
    if input.shape[-1] == 0:   # the empty product: jnp's LU path cannot index a 0x0 matrix
        return jnp.ones(input.shape[:-2], input.dtype)
    return jnp.linalg.det(input)


@op(grad_fn="LinalgInvExBackward0", check=_float_matrix("inv"), name="linalg_inv", **LA)
def linalg_inv(input):
    return jnp.linalg.inv(input)


def _check_solve(input, other, *a, **k):
    """torch's linalg.solve shape checks (JAX's vectorize errors otherwise)."""
    _float_matrix("solve")(input)
    if input.dtype is not other.dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found A "
                           f"of type {_dtypes.torch_type_name(input.dtype)} and B of type "
                           f"{_dtypes.torch_type_name(other.dtype)} instead")
    vec = other.dim() == input.dim() - 1 or other.dim() == 1
    rows, cols = (other.shape[-1], 1) if vec else tuple(other.shape[-2:])
    if rows != input.shape[-1]:
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation "
                           f"AX = B ({input.shape[-2]}x{input.shape[-1]} and {rows}x{cols})")


@op(grad_fn="LinalgSolveExBackward0", tensors=("input", "other"), name="linalg_solve",
    variants="", promote=Promotion.DEFAULT, check=_check_solve)
def linalg_solve(input, other):
    if other.ndim == input.ndim - 1:
        return jnp.linalg.solve(input, other[..., None])[..., 0]
    return jnp.linalg.solve(input, other)


@op(grad_fn="LinalgVectorNormBackward0", name="linalg_vector_norm", variants="",
    promote=Promotion.COMPLEX_TO_FLOAT)
def linalg_vector_norm(input, ord=2, dim=None, keepdim=False):
    axis = None if dim is None else (dim if isinstance(dim, tuple) else (dim,))
    if input.ndim == 0:
        axis = None   # torch accepts dim 0 / -1 on a 0-dim input
    return _vector_norm.vector_norm(input, ord, axis, keepdim)


@op(grad_fn="LinalgSvdBackward0", name="linalg_svd", check=_float_matrix("svd", False), **LA)
def linalg_svd(input, full_matrices=True):
    return tuple(jnp.linalg.svd(input, full_matrices=full_matrices))


@op(grad_fn="LinalgQrBackward0", name="linalg_qr", check=_float_matrix("qr", False), **LA)
def linalg_qr(input, mode="reduced"):
    return tuple(jnp.linalg.qr(input, mode=mode))   # a plain tuple: the VJP's tree


@op(grad_fn="LinalgCholeskyExBackward0", name="linalg_cholesky",
    check=_float_matrix("cholesky", dtype_first=False), **LA)
def linalg_cholesky(input, upper=False):
    low = jnp.linalg.cholesky(input)
    return jnp.swapaxes(low, -1, -2).conj() if upper else low
