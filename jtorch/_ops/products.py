"""Products built on matrix multiplication: outer, inner, tensordot, einsum, kron, addmv,
addbmm, baddbmm, addr, vdot, cross (and ``linalg.cross``), trace (cdist: linalg_kernels.py).

Split from ``joining.py`` (size); composites of jtorch's own ops where torch writes them so,
so their ``grad_fn`` names are torch's.
"""
import jax
import jax.numpy as jnp

from .. import _dtypes, _errors, _views
from .._dispatch import call_inplace
from .._tensor import Tensor
from .._out_arg import result_into as _out
from .joining import FULL, broadcast_shapes
from .product_checks import (check_addmm_dtypes, check_dot_operands, check_expand,
                             check_mv_shapes, cpp_name)
from .registry import Promotion, composite, op


# ------------------------------------------------------------------ products
@composite()
def outer(input, vec2, *, out=None):
    """Outer product of two 1-D tensors."""
    if input.dim() != 1:
        raise RuntimeError(f"outer: Expected 1-D argument self, but got {input.dim()}-D")
    if vec2.dim() != 1:
        raise RuntimeError(f"outer: Expected 1-D argument vec2, but got {vec2.dim()}-D")
    return _out(input.reshape(-1, 1) * vec2, out)


ger = composite(name="ger")(lambda input, vec2, *, out=None: outer(input, vec2, out=out))


def _tdot_check(a, b):
    if a.dtype is not b.dtype:
        raise RuntimeError("both inputs should have same dtype")


@op(variants="", tensors=("a", "b"), grad_fn="ViewBackward0", name="_tensordot",
    saves=("a:b", "b:a"))
def _tensordot(a, b, dims_a, dims_b):
    return jnp.tensordot(a, b, (dims_a, dims_b))


@composite(variants="function")
def tensordot(a, b, dims=2, out=None):
    """Sum of products over the listed dims of ``a`` and ``b`` (or the last/first ``dims``)."""
    if not isinstance(dims, (tuple, list, Tensor, int)):
        raise RuntimeError(f"tensordot expects dims to be int or tuple[list[int], list[int]] or "
                           f"list[list[int]] containing two lists, but got dims={dims}")
    if isinstance(dims, Tensor):
        dims = dims.tolist() if dims.numel() > 1 else int(dims.item())
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > min(a.dim(), b.dim()):
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        given_a, given_b = tuple(range(-dims, 0)), tuple(range(dims))
    else:
        given_a, given_b = dims
        given_a = (given_a,) if isinstance(given_a, int) else tuple(given_a)
        given_b = (given_b,) if isinstance(given_b, int) else tuple(given_b)
    _tdot_check(a, b)
    if len(given_a) != len(given_b):
        raise RuntimeError("both dimension lists should have same length")
    da = tuple(_views._wrap_dim(d, a.dim()) for d in given_a)
    db = tuple(_views._wrap_dim(d, b.dim()) for d in given_b)
    for x, y, gx, gy in zip(da, db, given_a, given_b):
        # a size-1 contracted dim broadcasts: torch sums the other side's dim first
        if a.shape[x] == 1 and b.shape[y] != 1:
            b = b.sum(y, keepdim=True)
        elif b.shape[y] == 1 and a.shape[x] != 1:
            a = a.sum(x, keepdim=True)
        elif a.shape[x] != b.shape[y]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size "
                               f"{a.shape[x]} in dim {gx} and second has size {b.shape[y]} in "
                               f"dim {gy}")
    return _out(_tensordot(a, b, da, db), out)


tensordot._python_attributes = {"a": "dim", "b": "dim"}   # torch's Python code reads a.dim()


@composite()
def inner(input, other, *, out=None):
    """Sum of products over the last dims (a product when either is 0-d)."""
    if input.dim() == 0 or other.dim() == 0:
        return _out(input * other, out)
    _tdot_check(input, other)
    if input.shape[-1] != other.shape[-1]:
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but "
                           f"got shapes {list(input.shape)} and {list(other.shape)}")
    return _out(_tensordot(input, other, (input.dim() - 1,), (other.dim() - 1,)), out)


@op(variants="", tensors=("input", "other"), grad_fn="UnsafeViewBackward0", name="_kron",
    saves=("input:other", "other:input"))
def _kron(input, other):
    if input.dtype == jnp.bool_:
        return jnp.kron(input.astype(jnp.int8), other.astype(jnp.int8)).astype(jnp.bool_)
    return jnp.kron(input, other)


@composite()
def kron(input, other, *, out=None):
    """Kronecker product (the smaller-rank input gets leading 1s)."""
    return _out(_kron(input, other), out)


@op(variants="", tensors=("input", "other"), grad_fn="LinalgCrossBackward0", name="_cross",
    saves=("input", "other"))
def _cross(input, other, dim):
    a, b = jnp.broadcast_arrays(input, other)
    a = jnp.moveaxis(a, dim, -1)
    b = jnp.moveaxis(b, dim, -1)
    c = jnp.stack([a[..., 1] * b[..., 2] - a[..., 2] * b[..., 1],
                   a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2],
                   a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]], -1)
    return jnp.moveaxis(c, -1, dim)


@composite()
def cross(input, other, dim=None, *, out=None):
    """Cross product of 3-vectors along ``dim`` (the first dim of size 3 when omitted)."""
    if dim is not None:
        dim = _errors.check_int("cross", "dim", 3, dim)
    if input.dtype is not other.dtype:
        raise RuntimeError(f"expected scalar type {input.dtype._legacy} but found "
                           f"{other.dtype._legacy}")
    if input.dim() != other.dim():
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    if dim is None:
        import warnings
        warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\n"
                      "Please either pass the dim explicitly or simply use torch.linalg.cross."
                      "\nThe default value of dim will change to agree with that of "
                      "linalg.cross in a future release.", UserWarning, stacklevel=2)
        shape = broadcast_shapes(input.shape, other.shape)
        dim = next((i for i, s in enumerate(shape) if s == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    d = _views._wrap_dim(dim, input.dim())
    if input.shape[d] != 3 or other.shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                           f"{input.shape[d]} and {other.shape[d]}")
    return _out(_cross(input, other, d), out)


def _linalg_cross(input, other, *, dim=-1, out=None):
    """torch.linalg.cross (default ``dim=-1``): for ``jtorch.linalg``."""
    return cross(input, other, dim, out=out)


linalg_cross = _errors.guard_arguments(_linalg_cross, "linalg_cross")


def _check_trace(input):
    if input.dim() != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.dim()}")
    if input.dtype is _dtypes.bool:
        raise NotImplementedError("\"trace\" not implemented for 'Bool'")


@op(variants="function method", promote=Promotion.BOOL_TO_LONG, check=_check_trace)
def trace(input):
    """Sum of the main diagonal of a matrix (integers sum in int64)."""
    return jnp.trace(input)


def _einsum_name(targs, sargs, skw):
    eq = sargs[0] if sargs else skw.get("equation")
    lhs, _, rhs = eq.partition("->")
    ins = lhs.split(",")
    letters = set("".join(ins)) - {"."}
    if len(ins) == 1:
        return "SumBackward1" if len(set(rhs) - {"."}) < len(letters) else "PermuteBackward0"
    return "ViewBackward0" if letters - set(rhs) else "MulBackward0"


def _einsum_check(operands, equation):
    ts = [t for t in operands if isinstance(t, Tensor)]
    for t in ts[1:]:
        if t.dtype is not ts[0].dtype:
            raise RuntimeError(f"expected scalar type {ts[0].dtype._legacy} but found "
                               f"{t.dtype._legacy}")
    _einsum_sizes(equation.partition("->")[0].split(","), ts)


def _einsum_sizes(terms, operands):
    """torch's subscript checks: each operand's rank, a label repeated within an operand,
    and a label's size across operands (size 1 broadcasts)."""
    seen = {}
    for k, (term, t) in enumerate(zip(terms, operands)):
        if "..." in term:
            continue     # (labels around an ellipsis: left to the kernel)
        if len(term) != t.dim():
            raise RuntimeError(f"einsum(): the number of subscripts in the equation "
                               f"({len(term)}) does not match the number of dimensions "
                               f"({t.dim()}) for operand {k} and no ellipsis was given")
        mine = {}
        for label, n in zip(term, t.shape):
            if label in mine and mine[label] != n:
                raise RuntimeError(f"einsum(): subscript {label} is repeated for operand {k} "
                                   f"but the sizes don't match, {n} != {mine[label]}")
            mine[label] = n
        for label, n in mine.items():
            have = seen.get(label, 1)
            if n != have and n != 1 and have != 1:
                raise RuntimeError(f"einsum(): subscript {label} has size {n} for operand {k} "
                                   f"which does not broadcast with previously seen size {have}")
            seen[label] = have if n == 1 else n


@op(variants="", tensors=("operands",), grad_fn=_einsum_name, name="_einsum",
    check=_einsum_check)
def _einsum(operands, equation):
    return jnp.einsum(equation, *operands)


@composite(variants="function")
def einsum(equation, *operands):
    """Einstein summation (``'ij,jk->ik'``; operands as arguments or one list)."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    eq = equation.replace(" ", "")
    if "->" not in eq:
        # implicit output: the letters that appear once, in alphabetical order
        counts = {}
        for ch in eq.replace(",", "").replace(".", ""):
            counts[ch] = counts.get(ch, 0) + 1
        rhs = ("..." if "..." in eq else "") + "".join(sorted(c for c, n in counts.items()
                                                               if n == 1))
        eq = eq + "->" + rhs
    return _einsum(tuple(operands), eq)


def _scaled_sum(input, prod, beta, alpha):
    """``beta * input + alpha * prod``; with ``beta == 0`` the input is ignored (NaN too)."""
    if alpha != 1:
        prod = prod * jnp.asarray(alpha).astype(prod.dtype)
    if beta == 0:
        return jnp.broadcast_to(prod, jnp.broadcast_shapes(prod.shape, input.shape)) + \
            jnp.zeros((), prod.dtype) * jax.lax.stop_gradient(jnp.zeros_like(input))
    return prod + (input if beta == 1 else jnp.asarray(beta).astype(prod.dtype) * input)


def _mm_dtypes(name):
    def check(input, a, b, beta=1, alpha=1):
        if not (input.dtype is a.dtype is b.dtype):
            names = [_dtypes.torch_type_name(t.dtype) for t in (input, a, b)]
            raise RuntimeError(f"{name} input tensors must have the same dtype, but got "
                               f"{names[0]}, {names[1]}, and {names[2]}")
        if name == "addmv":
            check_mv_shapes(tuple(input.shape), a, b)
    return check


@op(variants=FULL, tensors=("input", "mat", "vec"), check=_mm_dtypes("addmv"),
    saves=("mat:vec", "vec:mat"))
def addmv(input, mat, vec, *, beta=1, alpha=1):
    """``beta * input + alpha * (mat @ vec)``."""
    return _scaled_sum(input, jnp.matmul(mat, vec), beta, alpha)


def _check_bmm3(name):
    def check(input, b1, b2, beta=1, alpha=1):
        # torch expands ``input`` to the product's shape before any other check
        if isinstance(input, Tensor) and b1.dim() >= 2 and b2.dim() >= 3:
            lead = (b1.shape[0],) if name == "baddbmm" else ()
            check_expand(input, lead + (b1.shape[1], b2.shape[2]))
        if name == "baddbmm" and input.dtype is not b1.dtype:
            names = [cpp_name(t.dtype) for t in (input, b1, b2)]
            raise RuntimeError(f"Input dtypes must be the same, got: input {names[0]}, "
                               f"batch1: {names[1]}, batch2: {names[2]}")
        if b1.dim() != 3:
            raise RuntimeError("batch1 must be a 3D tensor")
        if b2.dim() != 3:
            raise RuntimeError("batch2 must be a 3D tensor")
        _bmm3_shapes(name, b1, b2)
        if name == "addbmm":
            check_addmm_dtypes(input, b1, b2)
        elif b2.dtype is not b1.dtype:
            raise RuntimeError(f"expected scalar type {b1.dtype._legacy} but found "
                               f"{b2.dtype._legacy}")
    return check


def _bmm3_shapes(name, b1, b2):
    """torch's batch size and contraction checks of addbmm/baddbmm."""
    if name == "baddbmm":
        if tuple(b2.shape[:2]) != (b1.shape[0], b1.shape[2]):
            raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to "
                               f"be: [{b1.shape[0]}, {b1.shape[2]}] but got: [{b2.shape[0]}, "
                               f"{b2.shape[1]}].")
        return
    if b1.shape[0] != b2.shape[0]:
        raise RuntimeError(f"batch1 and batch2 must have same number of batches, got "
                           f"{b1.shape[0]} and {b2.shape[0]}")
    if b1.shape[2] != b2.shape[1]:
        raise RuntimeError(f"Incompatible matrix sizes for bmm ({b1.shape[1]}x{b1.shape[2]} "
                           f"and {b2.shape[1]}x{b2.shape[2]})")


@op(variants=FULL, tensors=("input", "batch1", "batch2"), check=_check_bmm3("addbmm"),
    saves=("batch1:batch2", "batch2:batch1"))
def addbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """``beta * input + alpha * sum_b(batch1[b] @ batch2[b])``."""
    prod = jnp.einsum("bij,bjk->ik", batch1, batch2)
    return _scaled_sum(input, prod, beta, alpha)


@op(variants=FULL, tensors=("input", "batch1", "batch2"), check=_check_bmm3("baddbmm"),
    saves=("batch1:batch2", "batch2:batch1"))
def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """``beta * input + alpha * (batch1 @ batch2)`` per batch."""
    return _scaled_sum(input, jnp.matmul(batch1, batch2), beta, alpha)


def _check_addr(input, vec1, vec2, beta=1, alpha=1):
    if vec1.dim() != 1:
        raise RuntimeError(f"addr: Expected 1-D argument vec1, but got {vec1.dim()}-D")
    if vec2.dim() != 1:
        raise RuntimeError(f"addr: Expected 1-D argument vec2, but got {vec2.dim()}-D")
    if isinstance(input, Tensor):
        check_expand(input, (vec1.shape[0], vec2.shape[0]))


@op(variants=FULL, tensors=("input", "vec1", "vec2"), check=_check_addr,
    saves=("vec1:vec2", "vec2:vec1"))
def addr(input, vec1, vec2, *, beta=1, alpha=1):
    """``beta * input + alpha * outer(vec1, vec2)``."""
    if input.dtype == jnp.bool_:
        prod = vec1[:, None] & vec2[None, :]
        return (input & bool(beta)) | (prod & bool(alpha)) if beta else prod & bool(alpha)
    return _scaled_sum(input, vec1[:, None] * vec2[None, :], beta, alpha)


@composite(variants="method", name="addr_")
def addr_(self, vec1, vec2, *, beta=1, alpha=1):
    """In-place ``addr``: ``self`` must already have the outer product's shape."""
    _check_addr(None, vec1, vec2)
    if self.dim() != 2:
        raise RuntimeError(f"2D tensor expected, got {self.dim()}D tensor for input")
    if tuple(self.shape) != (vec1.shape[0], vec2.shape[0]):
        raise RuntimeError(f"size mismatch, input: {list(self.shape)}, v1: {list(vec1.shape)}, "
                           f"v2: {list(vec2.shape)}")
    return call_inplace(addr, self, (vec1, vec2), {"beta": beta, "alpha": alpha})


@op(variants="function method out", tensors=("input", "other"), check=check_dot_operands,
    saves=("input:other", "other:input"))
def vdot(input, other):
    """``sum(conj(input) * other)`` of two 1-D tensors."""
    return jnp.vdot(input, other)
