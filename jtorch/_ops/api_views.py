"""torch.* functions of issue 18 around views and indexing: the ``*_copy`` forms of the view
ops, the ``*_scatter`` ops (a view of a copy, overwritten), view_as_real/view_as_complex,
split variants, put/index_reduce, and strided constructors (torch.frombuffer is
``_storage_tensor.py``'s).

Departure: view_as_real and view_as_complex return new tensors, not views (jtorch's
storage holds one dtype, so a float view of complex memory cannot alias it); writes
through the result do not reach the input."""
import jax.numpy as jnp

from .registry import Promotion, composite, op


def _jt():
    import jtorch
    return jtorch


# ------------------------------------------------------------------ complex <-> real pairs
def _check_as_real(input, *a, **k):
    if not input.is_complex():
        raise RuntimeError("view_as_real is only supported for complex tensors")


@op(variants="", promote=Promotion.NONE, grad_fn="ViewAsRealBackward0", check=_check_as_real)
def api_view_as_real(input):
    return jnp.stack([jnp.real(input), jnp.imag(input)], axis=-1)


def _check_as_complex(input, *a, **k):
    if repr(input.dtype) not in ("torch.float32", "torch.float64", "torch.float16"):
        raise RuntimeError("view_as_complex is only supported for half, float and double tensors, "
                           f"but got a tensor of scalar type: {input.type()[6:-6]}")
    if input.dim() == 0 or input.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")


@op(variants="", promote=Promotion.NONE, grad_fn="ViewAsComplexBackward0",
    check=_check_as_complex)
def api_view_as_complex(input):
    dt = jnp.complex128 if input.dtype == jnp.float64 else jnp.complex64
    return (input[..., 0] + 1j * input[..., 1]).astype(dt)


@composite(variants="function")
def view_as_real(input):
    """A complex tensor as real (..., 2) pairs (a copy in jtorch, see the module doc)."""
    return api_view_as_real(input)


@composite(variants="function")
def view_as_complex(input):
    """Real (..., 2) pairs as a complex tensor (a copy in jtorch, see the module doc)."""
    return api_view_as_complex(input)


# ------------------------------------------------------------------ *_copy forms
def _copy_form(name, method):
    def fn(input, *args, out=None, **kwargs):
        jt = _jt()
        if hasattr(jt.Tensor, method) and method not in ("view_as_real", "view_as_complex"):
            res = getattr(input, method)(*args, **kwargs)
        else:
            res = getattr(jt, method)(input, *args, **kwargs)
        if isinstance(res, (tuple, list)):
            return tuple(r.clone() for r in res)
        return res.clone()
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"{method}, copied out of the input's memory."
    return composite(variants="function", name=name)(fn)


for _name in ("as_strided", "diagonal", "expand", "narrow", "permute", "select",
              "squeeze", "t", "transpose", "unbind", "unfold", "unsqueeze", "view",
              "view_as_real", "view_as_complex", "split", "split_with_sizes", "detach"):
    _copy_form(_name + "_copy", _name)
del _name


@composite(variants="function")
def alias_copy(input):
    return input.clone()


@composite(variants="function")
def slice_copy(input, dim=0, start=None, end=None, step=1):
    return _slice(input, dim, start, end, step).clone()


def _slice(input, dim, start, end, step):
    index = [slice(None)] * input.dim()
    index[dim] = slice(start, end, step)
    return input[tuple(index)]


# ------------------------------------------------------------------ *_scatter forms
def _scatter_into(input, src, view_of):
    out = input.clone()
    view = view_of(out)
    if tuple(view.shape) != tuple(src.shape):
        raise RuntimeError(f"expected src to have a size equal to the slice of self. src size "
                           f"= {list(src.shape)}, slice size = {list(view.shape)}")
    view.copy_(src)
    return out


@composite(variants="function")
def slice_scatter(input, src, dim=0, start=None, end=None, step=1):
    """input with src written into input[..., start:end:step, ...] (a new tensor)."""
    return _scatter_into(input, src, lambda t: _slice(t, dim, start, end, step))


@composite(variants="function")
def select_scatter(input, src, dim, index):
    return _scatter_into(input, src, lambda t: t.select(dim, index))


@composite(variants="function")
def diagonal_scatter(input, src, offset=0, dim1=0, dim2=1):
    return _scatter_into(input, src, lambda t: t.diagonal(offset, dim1, dim2))


@composite(variants="function")
def as_strided_scatter(input, src, size, stride, storage_offset=None):
    return _scatter_into(input, src, lambda t: t.as_strided(size, stride, storage_offset))


@composite(variants="function")
def as_strided_(input, size, stride, storage_offset=None):
    """input re-viewed in place with the given size, strides and offset."""
    from .shape import _restride_
    return _restride_(input, input.as_strided(size, stride, storage_offset),
                      "AsStridedBackward1")


# ------------------------------------------------------------------ splits
def _split_sizes(input, split_sizes, dim=0):
    return _jt().split(input, list(split_sizes), dim)


def _split(input, split_size, dim=0):
    return _jt().split(input, split_size, dim)


def _chunk(input, chunks, dim=0):
    return _jt().chunk(input, chunks, dim)


# torch's unsafe_* forms differ from the safe ones only in autograd's view checks
for _name, _fn in (("split_with_sizes", _split_sizes), ("unsafe_split", _split),
                   ("unsafe_split_with_sizes", _split_sizes), ("unsafe_chunk", _chunk)):
    composite(variants="function", name=_name)(_fn)


# ------------------------------------------------------------------ small tensor functions
@composite(variants="function")
def detach(input):
    return input.detach()


@composite(variants="function")
def detach_(input):
    return input.detach_()


@composite(variants="function")
def is_inference(input):
    return input.is_inference() if hasattr(input, "is_inference") else False


@composite(variants="function")
def is_signed(input):
    return input.is_signed()


@composite(variants="function")
def is_distributed(input):
    return False


@composite(variants="function")
def put(input, index, source, accumulate=False):
    """input with source written (or added) at the flat indices, as a new tensor: the
    method's table op (torch's PutBackward0)."""
    from .put_index_reduce import method_put
    return method_put(input, index, source, accumulate)


@composite(variants="function")
def index_reduce(input, dim, index, source, reduce, *, include_self=True, out=None):
    """Reduce rows of source into input[index] along dim ('prod', 'mean', 'amax', 'amin'):
    the method's table op (torch's IndexReduceBackward0)."""
    from .put_index_reduce import method_index_reduce
    res = method_index_reduce(input, dim, index, source, reduce, include_self=include_self)
    if out is not None:
        return out.copy_(res)
    return res


@composite(variants="function")
def nonzero_static(input, *, size, fill_value=-1):
    """nonzero() padded with fill_value (or truncated) to exactly ``size`` rows."""
    jt = _jt()
    nz = jt.nonzero(input)
    if nz.shape[0] >= size:
        return nz[:size].clone()
    pad = jt.full((size - nz.shape[0], input.dim()), fill_value, dtype=jt.int64)
    return jt.cat([nz, pad])


@composite(variants="function")
def scalar_tensor(s, *, dtype=None, layout=None, device=None, pin_memory=None,
                  requires_grad=False):
    jt = _jt()
    return jt.tensor(s, dtype=dtype or jt.get_default_dtype(), device=device,
                     requires_grad=requires_grad)


@composite(variants="function")
def empty_strided(size, stride, *, dtype=None, layout=None, device=None,
                  requires_grad=False, pin_memory=False):
    """Uninitialised (zero-filled) memory viewed with the given strides."""
    jt = _jt()
    size, stride = tuple(size), tuple(stride)
    extent = 1 + sum((s - 1) * st for s, st in zip(size, stride)) if all(size) else 0
    base = jt.zeros(extent, dtype=dtype, device=device)
    return base.as_strided(size, stride).requires_grad_(requires_grad)


@composite(variants="function")
def empty_permuted(size, physical_layout, *, dtype=None, layout=None, device=None,
                   requires_grad=False, pin_memory=False):
    """Memory laid out in the order physical_layout, viewed back in logical order."""
    jt = _jt()
    size, perm = tuple(size), tuple(physical_layout)
    if sorted(perm) != list(range(len(size))):
        raise RuntimeError("Dimension order must be a permutation")
    phys = jt.zeros([size[p] for p in perm], dtype=dtype, device=device)
    inverse = [perm.index(i) for i in range(len(perm))]
    return phys.permute(inverse).requires_grad_(requires_grad)


@composite(variants="function", name="range")
def range_(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
          requires_grad=False):
    """Deprecated: like arange but including ``end`` and float by default."""
    import warnings
    jt = _jt()
    if end is None:
        start, end = 0, start
    warnings.warn("torch.range is deprecated and will be removed in a future release "
                  "because its behavior is inconsistent with Python's range builtin. "
                  "Instead, use torch.arange, which produces values in [start, end).")
    n = int((end - start) // step) + 1
    dt = dtype or jt.get_default_dtype()
    return (jt.arange(n, dtype=jt.float64) * step + start).to(dt).requires_grad_(requires_grad)
