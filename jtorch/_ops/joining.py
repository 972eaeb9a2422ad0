"""Joining and splitting helpers (hstack..., tensor_split, meshgrid, atleast_*d), broadcasting
helpers, repeats and combinations. The shape ops that copy (flip, roll, tril/triu, the diag
family) live in ``flips_diagonals.py``, the products built on matrix multiplication in
``products.py``.

Helpers that torch writes in terms of other ops (hstack -> cat, meshgrid -> expand,
tensor_split -> narrow...) are composites of jtorch's own ops, so their results are
the same views and carry the same ``grad_fn`` names as torch's.
"""
import builtins
import itertools

import jax
import numpy as np

from .. import _dtypes, _errors, _views
from .._tensor import Size, Tensor
from .registry import composite
from .cat_stack import _check_tensor_list

FULL = "function method inplace out"   # (with ``_out``: shared by flips_diagonals, products)


# ------------------------------------------------------------------ broadcasting helpers
@composite(variants="function")
def broadcast_shapes(*shapes):
    """The shape that tensors of these shapes broadcast to (torch's reference algorithm:
    each shape in turn against the common shape so far, from the last dim; its messages
    print the shape as given)."""
    shapes = [(s,) if isinstance(s, int) else s for s in shapes if s is not None]
    for s in shapes:
        if not isinstance(s, (tuple, list, str, Size)):
            raise RuntimeError(f"Input shapes should be of type ints, a tuple of ints, or a list "
                               f"of ints, got {s}")
    common = [1] * builtins.max((len(s) for s in shapes), default=0)
    for k, s in enumerate(shapes):
        for i in range(-1, -1 - len(s), -1):
            n = s[i]
            if n == common[i]:
                continue
            if common[i] == 1:
                if n < 0:     # (a str's characters fail here with Python's TypeError)
                    raise ValueError("Attempting to broadcast a dimension with negative length!")
                common[i] = n
            if n != 1 and n != common[i]:
                raise RuntimeError(f"Attempting to broadcast a dimension of length {n} at {i}! "
                                   f"Mismatching argument at index {k} had {s}; but expected "
                                   f"shape should be broadcastable to {common}")
    return Size(common)


@composite(variants="function")
def broadcast_tensors(*tensors):
    """Views of the inputs expanded to their common shape (an input that already has it is
    returned as is, as torch)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    _check_tensor_list(tensors)
    shape = ()
    for t in tensors:     # torch folds the shapes in order: its message names that pair
        shape = _errors.infer_size(shape, tuple(t.shape))
    shape = Size(shape)
    return tuple(t if t.shape == shape else t.expand(shape) for t in tensors)


@composite(variants="function")
def meshgrid(*tensors, indexing=None):
    """Coordinate grids (views): ``indexing='ij'`` (matrix, the default) or ``'xy'``
    (Cartesian: the first two grid dims swapped)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        import warnings
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the "
                      "indexing argument.", UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but "
                           f"received: {indexing}")
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for t in tensors[1:]:
        if t.dtype is not tensors[0].dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    for t in tensors:
        if t.dim() > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list "
                               f"but got: {t}")
    sizes = [t.numel() for t in tensors]
    swap = indexing == "xy" and len(tensors) >= 2
    if swap:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    n = len(tensors)
    out = []
    for i, t in enumerate(tensors):
        pos = 1 - i if swap and i < 2 else i
        shape = [1] * n
        shape[pos] = -1
        out.append(t.view(shape).expand(sizes))
    return tuple(out)


# ------------------------------------------------------------------ atleast_*d and stacks
def _atleast(fn):
    def f(*tensors):
        if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
            _check_tensor_list(tensors[0])
            return tuple(fn(t) for t in tensors[0])
        if len(tensors) == 1:
            return fn(tensors[0])
        _check_tensor_list(tensors)
        return tuple(fn(t) for t in tensors)
    return f


def _a1(t):
    return t.reshape(1) if t.dim() == 0 else t


def _a2(t):
    if t.dim() == 0:
        return t.reshape(1, 1)
    return t.unsqueeze(0) if t.dim() == 1 else t


def _a3(t):
    if t.dim() == 0:
        return t.reshape(1, 1, 1)
    if t.dim() == 1:
        return t.unsqueeze(0).unsqueeze(-1)
    return t.unsqueeze(-1) if t.dim() == 2 else t


atleast_1d = composite(variants="function", name="atleast_1d")(_atleast(_a1))
atleast_2d = composite(variants="function", name="atleast_2d")(_atleast(_a2))
atleast_3d = composite(variants="function", name="atleast_3d")(_atleast(_a3))


def _cat(tensors, dim, out=None):
    import jtorch
    return jtorch.cat(tensors, dim, out=out) if out is not None else jtorch.cat(tensors, dim)


def _check_seq(name, tensors):
    if isinstance(tensors, Tensor):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, "
                        "not Tensor")
    _check_tensor_list(tensors)
    if len(tensors) == 0:
        raise RuntimeError(f"{name} expects a non-empty TensorList")


@composite(variants="function")
def hstack(tensors, *, out=None):
    """Concatenate column-wise (along dim 1, or dim 0 for 1-D inputs)."""
    _check_seq("hstack", tensors)
    ts = [_a1(t) for t in tensors]
    return _cat(ts, 0 if ts[0].dim() == 1 else 1, out)


@composite(variants="function")
def vstack(tensors, *, out=None):
    """Concatenate row-wise (1-D inputs become rows)."""
    _check_seq("vstack", tensors)
    return _cat([_a2(t) for t in tensors], 0, out)


row_stack = composite(variants="function", name="row_stack")(
    lambda tensors, *, out=None: vstack(tensors, out=out))


@composite(variants="function")
def dstack(tensors, *, out=None):
    """Concatenate depth-wise (along dim 2, after atleast_3d)."""
    _check_seq("dstack", tensors)
    return _cat([_a3(t) for t in tensors], 2, out)


@composite(variants="function")
def column_stack(tensors, *, out=None):
    """1-D (and 0-d) inputs become columns, then everything is joined along dim 1."""
    _check_seq("column_stack", tensors)
    ts = [t.reshape(t.numel(), 1) if t.dim() <= 1 else t for t in tensors]
    return _cat(ts, 1, out)


# ------------------------------------------------------------------ splitting
@composite()
def tensor_split(input, indices_or_sections=None, dim=0, *, sections=None, indices=None,
                 tensor_indices_or_sections=None):
    """Views of ``input`` split into ``n`` nearly equal parts, or at the given indices."""
    for alt in (sections, indices, tensor_indices_or_sections):
        if alt is not None:
            indices_or_sections = alt
    _check_split_args(input, indices_or_sections, dim)
    nd = input.dim()
    if nd == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a "
                           "tensor with 0 dims")
    d = _views._wrap_dim(dim, nd)
    n = input.shape[d]
    ios = indices_or_sections
    if isinstance(ios, Tensor):
        if ios.dim() > 1 or not _dtypes.is_integral(ios.dtype):
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to have "
                               "integer dtype and be a zero-dimensional or one-dimensional "
                               "tensor")
        ios = int(ios.item()) if ios.dim() == 0 else [int(v) for v in ios.tolist()]
    bounds = []
    if isinstance(ios, int):
        if ios <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {ios}")
        base, extra = divmod(n, ios)
        start = 0
        for i in range(ios):
            size = base + (1 if i < extra else 0)
            bounds.append((start, size))
            start += size
    else:
        # a later index before the previous one gives an empty piece (torch's slicing)
        start = 0
        for idx in list(ios) + [n]:
            idx = int(idx)
            if idx < 0:
                idx += n
            stop = builtins.max(0, builtins.min(idx, n))
            s = builtins.min(start, n)
            bounds.append((s, builtins.max(stop - s, 0)))
            start = stop
    return tuple(input.narrow(d, s, length) for s, length in bounds)


def _check_split_args(input, ios, dim):
    """torch's parser's TypeErrors for tensor_split (three overloads: sections, indices,
    tensor_indices_or_sections)."""
    ok_ios = isinstance(ios, (int, Tensor, tuple, list)) and not isinstance(ios, bool)
    if not ok_ios or isinstance(dim, bool) or not isinstance(dim, int):
        given = (input, ios) if dim == 0 else (input, ios, dim)   # (torch lists what was passed)
        got = ", ".join("Tensor" if isinstance(a, Tensor) else type(a).__name__ for a in given)
        raise TypeError(f"tensor_split() received an invalid combination of arguments - got "
                        f"({got}), but expected one of:\n * (Tensor input, int sections, int "
                        f"dim = 0)\n * (Tensor input, tuple of ints indices, int dim = 0)\n * "
                        f"(Tensor input, Tensor tensor_indices_or_sections, int dim = 0)")
    if isinstance(ios, (tuple, list)):
        for i, v in enumerate(ios):
            if isinstance(v, bool) or not isinstance(v, (int, Tensor)):
                raise TypeError(f"tensor_split(): argument 'indices' failed to unpack the object "
                                f"at pos {i + 1} with error \"type must be tuple of ints,but got "
                                f"{type(v).__name__}\"")


def _split_dims(name, min_dim, dim):
    def f(input, indices_or_sections):
        if input.dim() < min_dim:
            raise RuntimeError(f"torch.{name} requires a tensor with at least {min_dim} "
                               f"dimension, but got a tensor with {input.dim()} dimensions!")
        d = 0 if name == "hsplit" and input.dim() == 1 else dim
        if isinstance(indices_or_sections, int) and input.shape[d] % indices_or_sections:
            raise RuntimeError(f"torch.{name} attempted to split along dimension {d}, but the "
                               f"size of the dimension {input.shape[d]} is not divisible by "
                               f"the split_size {indices_or_sections}!")
        return tensor_split(input, indices_or_sections, d)
    f.__name__ = name
    return composite(name=name)(f)


hsplit = _split_dims("hsplit", 1, 1)
vsplit = _split_dims("vsplit", 2, 0)
dsplit = _split_dims("dsplit", 3, 2)


# ------------------------------------------------------------------ repeats and combinations
@composite()
def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Repeat each element ``repeats`` times (an int, or one count per element along
    ``dim``); ``repeat_interleave(counts)`` alone gives ``arange`` repeated by ``counts``."""
    from .index_slices import index_select
    if repeats is None:
        counts = np.asarray(input._value())
        if input.dim() != 1 or not _dtypes.is_integral(input.dtype):
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        if counts.size and counts.min() < 0:
            raise RuntimeError("repeats can not be negative")
        return Tensor._make(jax.device_put(np.repeat(np.arange(counts.size), counts)
                                        .astype(np.int64)), input.dtype)
    x = input.reshape(-1) if dim is None else input
    d = 0 if dim is None else _views._wrap_dim(dim, input.dim())
    if isinstance(repeats, Tensor):
        if repeats.dim() > 1:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        counts = np.asarray(repeats._value()).reshape(-1)
        n = x.shape[d] if x.dim() else 1
        if counts.size == 1:
            counts = np.repeat(counts, n)
        if counts.size != n:
            raise RuntimeError("repeats must have the same size as input along dim, but got "
                               f"repeats.size(0) = {counts.size} and input.size({d}) = {n}")
        if counts.size and counts.min() < 0:
            raise RuntimeError("repeats can not be negative")
        idx = Tensor._make(jax.device_put(np.repeat(np.arange(n), counts).astype(np.int64)))
        return index_select(x, d, idx)
    r = int(repeats)
    if r < 0:
        raise RuntimeError("Repeats must be non-negative")
    if x.dim() == 0:
        x = x.reshape(1)
    shape = list(x.shape)
    expanded = x.unsqueeze(d + 1).expand(shape[:d + 1] + [r] + shape[d + 1:])
    shape[d] *= r
    return expanded.clone().view(shape)


@composite(variants="function")
def cartesian_prod(*tensors):
    """Every combination of one element from each 1-D input, as rows."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    for t in tensors:
        if t.dim() != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    import jtorch
    grids = meshgrid(*tensors, indexing="ij")
    return jtorch.stack([g.flatten() for g in grids], 1)


@composite(variants="function")
def combinations(input, r=2, with_replacement=False):
    """The ``r``-length combinations of the elements of a 1-D tensor, as rows."""
    import jtorch
    from .index_slices import index_select
    if input.dim() != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return jtorch.empty(0, dtype=input.dtype)
    gen = itertools.combinations_with_replacement if with_replacement else \
        itertools.combinations
    combos = np.array(list(gen(range(input.shape[0]), r)), np.int64).reshape(-1, r)
    cols = [index_select(input, 0, Tensor._make(jax.device_put(combos[:, k]))) for k in range(r)]
    return jtorch.stack(cols, 1)
