"""The one ``out=`` writer. Table ops (``_dispatch.call_out``) and composites alike write
their results into ``out=`` here, by torch's rules: a result that cannot be cast to ``out``'s
dtype refuses, an ``out`` of another shape is resized (its storage replaced, its version
bumped), and autograd refuses ``out=`` when a result requires grad."""
from . import _dtypes, _errors, return_types
from . import _grad_mode as grad_mode
from ._tensor import Tensor

_OUT_TYPES = {}     # "<name>_out" -> the named tuple torch returns from out=


def write(out, res):
    """Write tensor ``res`` into tensor ``out``."""
    if not _dtypes.can_cast(res._dtype, out._dtype):
        raise RuntimeError(f"result type {_dtypes.torch_type_name(res._dtype)} can't be cast to "
                           f"the desired output type {_dtypes.torch_type_name(out._dtype)}")
    value = res._value().astype(out._dtype._np)
    if out._shape != res._shape:
        out.data = Tensor._make(value, out._dtype, out.device)
        out._storage.version += 1
    else:
        out._write(value)


def _refuse_grad(results):
    # torch checks the inputs; a composite's result requires grad exactly when one did
    if grad_mode.is_grad_enabled() and any(isinstance(r, Tensor) and r.requires_grad
                                           for r in results):
        raise _errors.OutNeedsGrad("functions with out=... arguments don't support automatic "
                                   "differentiation, but one of the arguments requires grad.")


def result_into(res, out):
    """A composite's ``out=``: ``res`` itself when ``out`` is None, else ``out`` written."""
    if out is None:
        return res
    _refuse_grad((res,))
    write(out, res)
    return out


def results_into(res, out):
    """A ``(values, indices)``-style result written into the ``out=`` tensors; torch then
    returns the ``<name>_out`` named tuple of them."""
    if out is None:
        return res
    _refuse_grad(res)
    for o, r in zip(out, res):
        write(o, r)
    fields = getattr(res, "_fields", None)
    if fields is None:
        return tuple(out)
    name = type(res).__name__ + "_out"
    cls = _OUT_TYPES.get(name)
    if cls is None:
        cls = _OUT_TYPES[name] = getattr(return_types, name, None) or \
            return_types._make(name, list(fields))
    return cls(*out)
