"""torch.autograd.forward_ad: dual tensors, tangents pushed forward with ``jax.jvp``.

A dual tensor is a tensor whose ``__dict__`` holds a tangent (``_fw_grad``). While a dual
level is open the dispatcher hands every op to ``_dual_call`` (through
``dispatch_modes.mode_call``: one check of a module global on its path, nothing otherwise): an op with a dual argument runs as usual for its primal
(recording autograd as usual), and its tangent is the JVP of the op itself, traced with
``jax.jvp`` through the op's own jtorch code on the primal values (a view takes the same view
of the tangent). As in torch, one level at a time; leaving it drops every tangent.
"""
from __future__ import annotations

import collections
import weakref

import jax

from .. import _grad_mode as grad_mode
from . import dispatch_modes
from .._tensor import Tensor

__all__ = ["UnpackedDualTensor", "enter_dual_level", "exit_dual_level", "make_dual",
           "unpack_dual", "dual_level"]

_level = [None]                  # the open level (torch allows one: 0), or None
_duals = {}                      # id -> weakref of the tensors given a tangent at this level


class UnpackedDualTensor(collections.namedtuple("UnpackedDualTensor", ["primal", "tangent"])):
    pass


def _view_autograd():
    from .. import _view_autograd as v
    return v


def _dispatch():
    from .. import _dispatch as d
    return d


def enter_dual_level():
    if _level[0] is not None:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    _level[0] = 0
    dispatch_modes.refresh()
    _view_autograd().forward_ad_view = _dual_view
    _patch_tensor_class()
    return 0


def exit_dual_level(*, level=None):
    if level is None:
        level = _level[0]
    if level is None or level < 0:
        raise RuntimeError("Dual level must be a positive number.")
    if level != _level[0]:
        raise RuntimeError("Trying to exit a forward AD level that was not the last one that "
                           "was created. This is not supported.")
    for ref in list(_duals.values()):
        t = ref()
        if t is not None:
            t.__dict__.pop("_fw_grad", None)
    _duals.clear()
    _level[0] = None
    dispatch_modes.refresh()
    _view_autograd().forward_ad_view = None
    for name, fn in _patched.items():
        setattr(Tensor, name, fn)
    _patched.clear()


class dual_level:
    def __enter__(self):
        return enter_dual_level()

    def __exit__(self, *exc):
        exit_dual_level()
        return False


def _tangent(t):
    return t.__dict__.get("_fw_grad") if t is not None else None


def _set_tangent(t, tangent):
    t.__dict__["_fw_grad"] = tangent
    _duals[id(t)] = weakref.ref(t, _forget)


def _forget(ref):
    for key, r in list(_duals.items()):
        if r is ref:
            del _duals[key]


def make_dual(tensor, tangent, *, level=None):
    if _level[0] is None:
        raise RuntimeError("Trying to create a dual Tensor for forward AD but no level exists, "
                           "make sure to enter_dual_level() first.")
    if not (tensor.dtype.is_floating_point or tensor.dtype.is_complex):
        raise ValueError("Expected primal to be floating point or complex, but got: "
                         f"{tensor.dtype}")
    if not (tangent.dtype.is_floating_point or tangent.dtype.is_complex):
        raise ValueError("Expected tangent to be floating point or complex, but got: "
                         f"{tangent.dtype}")
    if tuple(tangent.shape) != tuple(tensor.shape):
        raise RuntimeError(
            "Trying to set a forward gradient that has a different size than that of the "
            f"original Tensor, this is not supported. Tensor is of size {list(tensor.shape)} "
            f"while the given forward gradient is of size {list(tangent.shape)}.")
    dual = tensor.view_as(tensor)       # torch's dual is a view of the primal
    # the tangent itself, as torch keeps it (an in-place op on the dual updates it)
    _set_tangent(dual, tangent if tangent.dtype == tensor.dtype else
                 tangent.detach().to(tensor.dtype))
    return dual


def unpack_dual(tensor, *, level=None):
    tangent = _tangent(tensor) if _level[0] is not None else None
    if tangent is None:
        return UnpackedDualTensor(tensor, None)
    prev = _view_autograd().forward_ad_view
    _view_autograd().forward_ad_view = None     # the primal view carries no tangent
    try:
        primal = tensor.view_as(tensor)
    finally:
        _view_autograd().forward_ad_view = prev
    return UnpackedDualTensor(primal, tangent)


# ------------------------------------------------------------------ the dispatcher's hooks
def _dual_args(args, kwargs):
    """The dual tensors among an op's arguments (top level, in lists, in kwargs)."""
    found = []
    for a in list(args) + list(kwargs.values()):
        if isinstance(a, Tensor):
            if "_fw_grad" in a.__dict__:
                found.append(a)
        elif isinstance(a, (list, tuple)):
            found.extend(e for e in a if isinstance(e, Tensor) and "_fw_grad" in e.__dict__)
    return list(dict.fromkeys(found))   # one entry per tensor object


def _substitute(obj, table, Tensor):
    if isinstance(obj, Tensor):
        return table.get(id(obj), obj)
    if type(obj) in (list, tuple):
        return type(obj)(_substitute(e, table, Tensor) for e in obj)
    return obj


def _dual_call(dp, d, args, kwargs, inplace_target):
    """An op while a level is open (dispatch_modes.mode_call; the dispatcher's hook is off
    meanwhile, so the primal and the JVP trace run the plain dispatcher)."""
    duals = _dual_args(args, kwargs)
    result = dp.call(d, args, kwargs, inplace_target)
    if duals:
        _push_tangent(dp, d, args, kwargs, duals, result)
        first = result[0] if isinstance(result, tuple) else result
        if inplace_target is not None and _tangent(first) is not None:
            _update_tangent(inplace_target, _tangent(first))
    return result


def _push_tangent(dp, d, args, kwargs, duals, result):
    from .. import _lazy
    outs = result if isinstance(result, tuple) else (result,)
    if not any(isinstance(o, Tensor) and (o.dtype.is_floating_point or o.dtype.is_complex)
               for o in outs):
        return
    primals = tuple(t._value() for t in duals)
    tangents = tuple(_tangent(t)._value().astype(p.dtype) for t, p in zip(duals, primals))

    def f(*xs):
        table = {id(t): Tensor._make(x, t.dtype, t.device) for t, x in zip(duals, xs)}
        with grad_mode.no_grad():
            out = dp.call(d, _substitute(tuple(args), table, Tensor),
                          {k: _substitute(v, table, Tensor) for k, v in kwargs.items()})
        out = out if isinstance(out, tuple) else (out,)
        return tuple(o._value() if isinstance(o, Tensor) else o for o in out)

    lazy = _lazy.ENABLED
    _lazy.ENABLED = False           # traced values must not enter the deferred-op queue
    try:
        touts = _jvp(f, primals, tangents)
    except jax.errors.JAXTypeError as e:
        raise RuntimeError(f"jtorch: forward-mode AD is not supported through {d.name} "
                           "(its result depends on the input values)") from e
    finally:
        _lazy.ENABLED = lazy
    for o, tg in zip(outs, touts):
        if isinstance(o, Tensor) and (o.dtype.is_floating_point or o.dtype.is_complex):
            _set_tangent(o, Tensor._make(tg, o.dtype, o.device))


def _jvp(f, primals, tangents):
    try:
        return jax.jvp(f, primals, tangents)[1]
    except TypeError as e:
        if "custom_vjp" not in str(e):
            raise
    # an op with a hand-written VJP (jax.custom_vjp: torch's subgradient choices) has no JVP
    # rule: its VJP is linear in the cotangent, and its transpose is the JVP
    out, vjp_fn = jax.vjp(f, *primals)
    return jax.linear_transpose(vjp_fn, out)(tuple(tangents))[0]


def _update_tangent(target, new):
    """An in-place op on a dual tensor: torch updates its tangent in place (make_dual keeps
    the tangent given, so that tensor sees the update too)."""
    old = _tangent(target)
    if old is None:
        _set_tangent(target, new)
    else:
        with grad_mode.no_grad():
            old.copy_(new)


_patched = {}       # Tensor attributes replaced while a level is open -> the originals


def _patch_tensor_class():
    """Two Tensor paths skip the dispatcher once warm: the binary operators of two plain
    tensors (``_variants.make_dunders`` looks the compiled call up inline) and int indexing
    (``indexing.getitem``). While a level is open, a dual operand takes the dispatcher."""
    for name, fn in list(vars(Tensor).items()):
        if getattr(fn, "__name__", "") == "fwd" and fn.__closure__:
            cells = dict(zip(fn.__code__.co_freevars, (c.cell_contents for c in fn.__closure__)))
            if "d" in cells:
                _patched[name] = fn
                setattr(Tensor, name, _dual_operator(fn, cells["d"], Tensor))
    _patched["__getitem__"] = Tensor.__dict__["__getitem__"]
    Tensor.__getitem__ = _getitem(Tensor.__getitem__)


def _dual_operator(orig, d, Tensor):
    def operator(self, other):
        if isinstance(other, Tensor) and ("_fw_grad" in self.__dict__ or
                                          "_fw_grad" in other.__dict__):
            return _dispatch().call(d, (self, other), {})
        return orig(self, other)
    return operator


def _getitem(orig):
    """Tensor.__getitem__ while a level is open: indexing a plain tensor by an int takes a
    fast path that builds its view without the dispatcher; the tangent is indexed alike."""
    def getitem(self, key):
        out = orig(self, key)
        tangent = _tangent(self)
        if tangent is not None and _tangent(out) is None:
            _set_tangent(out, orig(tangent, key))
        return out
    return getitem


def _dual_view(x, view, meta_fn, args, grad_fn_name):
    """A view of a dual tensor: its tangent is the same view of the tangent."""
    tangent = _tangent(x)
    if tangent is not None:
        va = _view_autograd()
        prev = va.forward_ad_view
        va.forward_ad_view = None
        try:
            tv = va.make_view(tangent.contiguous(), meta_fn, args, grad_fn_name)
        finally:
            va.forward_ad_view = prev
        _set_tangent(view, tv)
    return view
