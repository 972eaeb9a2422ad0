"""torch's ``grad_fn._saved_*`` attributes, read from what a node already holds.

Nothing is stored for them when a node is built (the hot path stays as it was): a recorded
op's node keeps its arguments for its differentiable replay (``Node._diff``, a partial of
``_replay.replay_backward`` holding the op, its static-argument key and its tensor
arguments), and the entries of ``Node._saved`` (what the in-place check watches) hold the
storage of a saved output. The tensors torch saves are the op's ``saves`` declaration (the
same conditions: ``mul`` saves ``other`` only when ``self`` needs a gradient); the names are
torch's derivative-formula names (jtorch's ``input`` is torch's ``self``). Values that are not
tensors (``_saved_alpha``, ``_saved_dim``, sizes) come from a table by node name.
"""
from __future__ import annotations

from .graph import FREED_MESSAGE
from .._tensor import Tensor

# jtorch parameter name -> torch's derivative-formula name, by node name (default: input->self)
_RENAME = {
    "MmBackward0": {"other": "mat2"},
    "BmmBackward0": {"other": "mat2"},
    "MvBackward0": {"other": "vec"},
    "DotBackward0": {"other": "tensor"},
    "PowBackward2": {"exponent": "exponent"},
}

# saved values that are Python numbers in torch (a wrapped-number tensor elsewhere)
_NUMBER = {"PowBackward0": ("exponent",), "PowBackward2": ("self",)}


def _sizes(p):
    return lambda c: tuple(c.arg(p).shape)


def _strides(p):
    return lambda c: tuple(c.arg(p).stride())


def _static(p, convert=None):
    return lambda c: c.static(p) if convert is None else convert(c.static(p))


def _dims(v):
    return tuple(v) if isinstance(v, (list, tuple)) else (v,)


_REDUCTION = {"none": 0, "mean": 1, "sum": 2}

# torch's non-tensor saved values: node name -> {attribute suffix: reader(context)}
_EXTRA = {
    "AddBackward0": {"alpha": _static("alpha")},
    "SubBackward0": {"alpha": _static("alpha")},
    "RsubBackward0": {"alpha": _static("alpha")},
    "RsubBackward1": {"alpha": _static("alpha")},
    "AddmmBackward0": {"alpha": _static("alpha"), "beta": _static("beta"),
                       "mat1_sym_sizes": _sizes("mat1"), "mat1_sym_strides": _strides("mat1"),
                       "mat2_sym_sizes": _sizes("mat2"), "mat2_sym_strides": _strides("mat2")},
    "MmBackward0": {"self_sym_sizes": _sizes("input"), "self_sym_strides": _strides("input"),
                    "mat2_sym_sizes": _sizes("other"), "mat2_sym_strides": _strides("other")},
    "SumBackward0": {"self_sym_sizes": _sizes("input")},
    "SumBackward1": {"dim": _static("dim", _dims), "keepdim": _static("keepdim"),
                     "self_sym_sizes": _sizes("input")},
    "MeanBackward0": {"self_sym_numel": lambda c: c.arg("input").numel(),
                      "self_sym_sizes": _sizes("input")},
    "MeanBackward1": {"dim": _static("dim", _dims), "keepdim": _static("keepdim"),
                      "self_sym_numel": lambda c: c.arg("input").numel(),
                      "self_sym_sizes": _sizes("input")},
    "SoftmaxBackward0": {"dim": _static("dim")},
    "LogSoftmaxBackward0": {"dim": _static("dim")},
    "CatBackward0": {"dim": _static("dim")},
    "GeluBackward0": {"approximate": _static("approximate")},
    "MseLossBackward0": {"reduction": _static("reduction", _REDUCTION.get)},
    "ViewBackward0": {"self_sym_sizes": _sizes("input")},
    # 2 ** x: torch's formula for a number base keeps the exponent whatever needs a gradient
    "PowBackward2": {"exponent": lambda c: c.arg("exponent")},
}


class _Context:
    """A dispatch node's op, tensor arguments and static arguments."""

    def __init__(self, node):
        from .._replay import replay_backward as _replay_backward
        from .._view_autograd import view_replay as _view_replay
        diff = node._diff
        self.d = None
        func = getattr(diff, "func", None)
        if func is _replay_backward:
            self.d, key, self.targs = diff.args[:3]
            self.sargs, self.skw = key.statics, dict(key.static_kwargs)
        elif func is _view_replay:
            self.targs, self.sargs, self.skw = (diff.args[1],), (), {}
        else:
            raise AttributeError

    def param(self, i):
        return self.d.params[i] if self.d is not None else "input"

    def arg(self, name):
        if self.d is None:
            return self.targs[0]
        return self.targs[self.d.tensors.index(name)]

    def static(self, name):
        d = self.d
        i = d.params.index(name) - d.n_tensors
        if 0 <= i < len(self.sargs):
            return self.sargs[i]
        return self.skw.get(name, d.defaults.get(name))


def _tensor_saves(node, ctx):
    """{torch name: reader} for the tensors this node saved (its op's ``saves``)."""
    out = {}
    d = ctx.d
    if d is None or not d.saves:
        return out
    from .._record import needs_grad as _needs_grad
    rename = _RENAME.get(node._name, {})
    numbers = _NUMBER.get(node._name, ())
    for what, wi, ci in d.saves:
        torch_name = rename.get(what, "self" if what == "input" else what)
        cond = ctx.targs[ci] if ci is not None else None
        if ci is not None and not (isinstance(cond, Tensor) if wi is None else
                                   _needs_grad(cond)):
            # saved only when that argument needs a gradient: None if it is a tensor that
            # doesn't; no attribute at all if it is a number (torch's other overload)
            if isinstance(ctx.targs[ci], Tensor) or not numbers:
                out.setdefault(torch_name, lambda: None)
            continue
        if wi is None:
            out[torch_name] = lambda: _saved_output(node)
        else:
            a = ctx.targs[wi]
            out[torch_name] = (lambda a=a: a) if torch_name in numbers else \
                (lambda a=a: _as_tensor(a))
    return out


def _as_tensor(a):
    if a is None or isinstance(a, Tensor):
        return a
    from .. import _creation, float64, complex128
    # torch saves a Python number as a 0-dim int64/float64/complex128 tensor
    dtype = float64 if isinstance(a, float) else complex128 if isinstance(a, complex) else None
    return _creation.tensor(a, dtype=dtype)


def _saved_output(node):
    """The output torch saved, rebuilt from the storage the in-place check holds (the output
    itself is held weakly; torch also hands back a new tensor object, equal in value)."""
    from .._record import describe_result as _describe_result
    for storage, _, describe in node._saved:
        if getattr(describe, "func", None) is _describe_result:
            _, shape, dtype, _ = describe.args
            t = Tensor._make_storage(storage, shape, dtype)
            t._grad_fn = node
            t._requires_grad = True
            t._out_index = 0
            return t
    return None


def _readers(node):
    try:
        ctx = _Context(node)
    except AttributeError:
        return {}
    readers = _tensor_saves(node, ctx)
    for suffix, fn in _EXTRA.get(node._name, {}).items():
        readers[suffix] = (lambda fn=fn: fn(ctx))
    return readers


def tensor_readers(node):
    """Readers of the tensors the node saved (graph_hooks.pack_saved)."""
    try:
        ctx = _Context(node)
    except AttributeError:
        return []
    return list(_tensor_saves(node, ctx).values())


def lookup(node, attr):
    if node._freed:
        raise RuntimeError(FREED_MESSAGE)
    reader = _readers(node).get(attr[len("_saved_"):])
    if reader is None:
        raise AttributeError(f"'{type(node).__name__}' object has no attribute '{attr}'")
    return reader()


def names(node):
    if node._freed:
        return []
    return ["_saved_" + k for k in _readers(node)]
