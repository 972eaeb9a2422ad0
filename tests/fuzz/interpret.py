"""Run a fuzz program (``programs.py``) on torch or jtorch and record what a user would see:
for every step its outcome (a tensor's dtype, shape, strides, requires_grad, grad_fn name,
is_leaf, version counter and values; a printed text; the leaves' ``.grad`` after a backward;
or the exception type and key phrase), then compare the two traces."""
from __future__ import annotations

import warnings

import numpy as np

from compat_tests.harness import compare as compare_text
from compat_tests.misuse import foreign, key_phrase

_DT = {"float32": np.float32, "float64": np.float64, "int64": np.int64, "bool": np.bool_}

# Values are compared to the precision of the data they come from: a float64 tensor made from
# float32 values carries float32's rounding (torch's own float32 transcendentals differ by an
# ulp between CPU kernels), so each variable keeps the loosest tolerance among its sources.
_TOL = {"torch.float32": 1e-5, "torch.float64": 1e-10}
# Steps that can cancel (a - b with a ~ b, sums with mixed signs): an input's rounding then
# shows up relative to the inputs' magnitude, not the result's, so the bound scales with them.
_CANCELS = {"binary:add", "binary:sub", "binary:add_alpha", "binary:fmod", "binary:remainder",
            "binary:matmul", "scalar:add", "scalar:sub", "scalar:rsub", "scalar:remainder",
            "reduce:sum", "reduce:mean", "reduce:std", "reduce:var", "unary:cumsum0",
            "inplace:add_", "inplace:sub_", "unary:frac"}


# ------------------------------------------------------------------ the steps
def _new(m, shape, dtype, values, grad):
    arr = np.array(values, dtype=_DT[dtype]).reshape(shape)
    t = m.tensor(arr.tolist() if arr.ndim else arr.item(), dtype=getattr(m, dtype))
    return t.requires_grad_(True) if grad else t


def _unary(m, name, x):
    if name == "cumsum0":
        return x.cumsum(0)
    if name == "softmax_last":
        return x.softmax(-1)
    if name in ("float", "double", "long", "bool", "clone"):
        return getattr(x, name)()
    return getattr(m, name)(x)


def _binary(m, name, x, y):
    if name == "where":
        return m.where(x > 0, x, y)
    if name == "add_alpha":
        return m.add(x, y, alpha=2)
    if name == "copysign" and y.is_floating_point():
        # a NaN's sign bit after arithmetic is unspecified (XLA's fused kernels and torch's
        # vector code set it differently): the sign operand's NaNs are made positive
        if bool(m.isnan(y).any()):
            y = m.where(m.isnan(y), m.abs(y), y)
    return getattr(m, name)(x, y)


def _scalar(m, name, x, s, reverse):
    op = {"add": "__add__", "mul": "__mul__", "sub": "__sub__", "div": "__truediv__",
          "pow": "__pow__", "gt": "__gt__", "remainder": "__mod__", "rsub": "__rsub__"}[name]
    if reverse:
        op = "__r" + op[2:] if not op.startswith("__r") else "__" + op[3:]
    return getattr(x, op)(s)


def _reduce(m, name, x, dim, keepdim):
    if name == "cumprod":
        return x.cumprod(0 if dim is None else dim)
    if name == "norm":
        return x.norm() if dim is None else x.norm(dim=dim, keepdim=keepdim)
    if name in ("max", "min") and dim is not None:
        return getattr(x, name)(dim, keepdim).values
    if name == "logsumexp":
        return x.logsumexp(0 if dim is None else dim, keepdim)
    if dim is None:
        return getattr(x, name)()
    return getattr(x, name)(dim, keepdim=keepdim)


_VIEWS = {
    "t": lambda m, x: x.t(),
    "transpose": lambda m, x: x.transpose(0, -1),
    "reshape_flat": lambda m, x: x.reshape(-1),
    "view_flat": lambda m, x: x.view(-1),
    "unsqueeze0": lambda m, x: x.unsqueeze(0),
    "squeeze": lambda m, x: x.squeeze(),
    "slice0": lambda m, x: x[1:],
    "select0": lambda m, x: x[0],
    "expand": lambda m, x: x.expand(2, *x.shape),
    "flatten": lambda m, x: x.flatten(),
    "permute_rev": lambda m, x: x.permute(*reversed(range(x.dim()))),
    "narrow": lambda m, x: x.narrow(-1, 1, 1),
    "diagonal": lambda m, x: x.diagonal(),
    "mT": lambda m, x: x.mT,
    "unflatten": lambda m, x: x.unflatten(0, (1, -1)),
    "getitem_neg": lambda m, x: x[-1],
    "getitem_none": lambda m, x: x[None, ..., ::2],
    "getitem_mask": lambda m, x: x[x > 0],
    "contiguous": lambda m, x: x.contiguous(),
    "split0": lambda m, x: x.split(1)[0],
    "chunk_last": lambda m, x: x.chunk(2, -1)[-1],
}


def _inplace(m, name, x, y):
    if name in ("add_", "mul_", "sub_", "div_", "copy_", "pow_"):
        return getattr(x, name)(y)
    if name == "fill_":
        return x.fill_(2)
    if name == "clamp_":
        return x.clamp_(-1, 1)
    if name == "masked_fill_":
        return x.masked_fill_(y > 0, 0)
    if name == "index_fill_":
        return x.index_fill_(0, m.tensor([0]), -1)
    return getattr(x, name)()


def _setitem(m, how, x, s, y):
    if how == "int":
        x[0] = s
    elif how == "slice":
        x[1:] = s
    elif how == "neg":
        x[-1] = s
    elif how == "ellipsis":
        x[..., 0] = s
    elif how == "mask":
        x[x > 0] = s
    elif how == "tensor_value":
        x[0] = y
    else:
        x[[0, -1]] = s
    return x


# ------------------------------------------------------------------ recording
def summary(t, tol=0.0, scale=None):
    """What a user sees of a tensor (values as an array; nan-aware comparison later), with
    the tolerance its values are compared to and, after a cancelling step, the magnitude of
    its inputs."""
    fn = t.grad_fn
    return ("tensor", repr(t.dtype), tuple(t.shape), tuple(t.stride()), t.requires_grad,
            None if fn is None else type(fn).__name__ if not hasattr(fn, "name") else fn.name(),
            t.is_leaf, t._version, t.detach().numpy().copy(),
            max(tol, _TOL.get(repr(t.dtype), 0.0)), scale)


def _outcome(m, fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ("ok", fn())
        except Exception as e:  # noqa: BLE001 (compared with the other library's)
            return ("err", e)


class Run:
    """A program's trace on one library: a list of (step index, record)."""

    def __init__(self, m, steps):
        self.m = m
        self.vars = []
        self.tols = []        # per variable: the loosest tolerance among its sources
        self.scales = []      # per variable (torch's run): the magnitude scale it compares at
        self.leaves = []
        self.trace = []
        self.leak = None      # a JAX/NumPy exception that reached the user
        for i, s in enumerate(steps):
            self._step(i, s)

    def _record(self, i, what):
        self.trace.append((i, what))

    def _step(self, i, s):
        m, kind = self.m, s[0]
        from .programs import makes_var
        args = self._args(s)
        if args is None:                      # an operand a failed step never made
            if makes_var(s):
                self._add_var(None, 0.0, None)
            self._record(i, ("skip",))
            return
        kind, res = _outcome(m, lambda: self._apply(s, args))
        if kind == "err":
            if foreign(res) and self.leak is None:
                self.leak = (i, res)
            self._record(i, ("err", type(res).__name__, key_phrase(res)))
            if makes_var(s):
                self._add_var(None, 0.0, None)
            return
        tol = self._tolerance(s, res)
        record = self._describe(s, res, tol, args)
        scale = record[10] if record[0] == "tensor" else None
        if makes_var(s):
            self._add_var(res, tol, scale)
        elif s[0] in ("inplace", "setitem"):
            self.tols[s[2]] = tol
            self.scales[s[2]] = scale
        self._record(i, record)

    def _add_var(self, res, tol, scale):
        self.vars.append(res)
        self.tols.append(tol)
        self.scales.append(scale)

    def _tolerance(self, s, res):
        """The loosest tolerance among a step's operands and its result's dtype."""
        srcs = [self.tols[s[k]] for k in _refs(s)]
        if s[0] in ("backward", "grad_of"):
            srcs = self.tols           # gradients mix every variable's values
        own = _TOL.get(repr(getattr(res, "dtype", None)), 0.0)
        return max([own] + srcs) if own or not hasattr(res, "dtype") else 0.0

    def _args(self, s):
        out = [self.vars[s[k]] for k in _refs(s)]
        return None if any(o is None for o in out) else out

    def _apply(self, s, a):
        m, kind = self.m, s[0]
        if kind == "new":
            t = _new(m, *s[1:])
            self.leaves.append(t)
            return t
        if kind == "unary":
            return _unary(m, s[1], a[0])
        if kind == "binary":
            return _binary(m, s[1], a[0], a[1])
        if kind == "scalar":
            return _scalar(m, s[1], a[0], s[3], s[4])
        if kind == "reduce":
            return _reduce(m, s[1], a[0], s[3], s[4])
        if kind == "view":
            return _VIEWS[s[1]](m, a[0])
        if kind == "inplace":
            return _inplace(m, s[1], a[0], a[1])
        if kind == "setitem":
            return _setitem(m, s[1], a[0], s[3], a[1])
        if kind == "nograd":
            with m.no_grad():
                return a[0] + a[0] if s[1] == "add_self" else _unary(m, s[1], a[0])
        if kind == "detach":
            return a[0].detach()
        if kind == "requires_grad":
            return a[0].requires_grad_()
        if kind == "print":
            return repr(a[0])
        if kind == "grad_of":
            g = a[0].grad
            return None if g is None else g.clone()
        if kind == "backward":
            a[0].sum().backward(retain_graph=s[2])
            return [None if t.grad is None else t.grad.clone() for t in self.leaves]
        raise AssertionError(kind)

    def _describe(self, s, res, tol, args):
        if isinstance(res, str):
            return ("text", res)
        if isinstance(res, list):
            return ("grads", [None if g is None else summary(g, tol) for g in res])
        if res is None:
            return ("none",)
        if self.m.__name__ != "torch":
            return summary(res, tol)
        scale = _scale(s, args, res)
        if scale is None and s[0] in _ALIASES:
            # a view or alias of a cancelling step's result shows its rounding at the same
            # scale (the largest of the source's, as the view rearranges elements)
            scale = _largest(self.scales[s[2] if s[0] == "view" else s[1]])
        return summary(res, tol, scale)


_ALIASES = ("view", "detach", "requires_grad")


def _largest(scale):
    if scale is None or np.isscalar(scale):
        return scale
    finite = np.asarray(scale)[np.isfinite(scale)]
    return float(finite.max()) if finite.size else None


def _refs(s):
    """The positions of a step's variable operands."""
    if s[0] == "new":
        return ()
    if s[0] in ("detach", "requires_grad", "print", "grad_of", "backward"):
        return (1,)
    return {"binary": (2, 3), "inplace": (2, 3), "setitem": (2, 4)}.get(s[0], (2,))


def _scale(s, args, res):
    """After a cancelling step, the magnitude of its inputs (per element for element-wise
    ops, the largest finite one for reductions and matmul); else None."""
    if f"{s[0]}:{s[1]}" not in _CANCELS or not res.dtype.is_floating_point:
        return None
    mags = [np.abs(a.detach().double().numpy()) for a in args] + \
        ([abs(float(s[3]))] if s[0] == "scalar" else [])
    if s[0] == "reduce" or s[1] in ("matmul", "cumsum0"):
        finite = [m[np.isfinite(m)] for m in mags]
        return float(max((f.max() for f in finite if f.size), default=0.0))
    try:
        return np.broadcast_to(np.maximum.reduce(np.broadcast_arrays(*mags)), res.shape)
    except ValueError:        # in-place ops whose operand broadcasts differently
        return None


# ------------------------------------------------------------------ comparing
def _same(a, b):
    """None when two records agree, else why not."""
    if a[0] != b[0]:
        return f"{a[:3]} != torch's {b[:3]}"
    if a[0] == "tensor":
        if a[1:8] != b[1:8]:
            return f"{a[1:8]} != torch's {b[1:8]}"
        return _values(a[8], b[8], b[9], b[10])
    if a[0] == "text":
        c = compare_text(a[1], b[1])
        return None if c.ok else f"printed {a[1]!r}, torch printed {b[1]!r}"
    if a[0] == "grads":
        for k, (x, y) in enumerate(zip(a[1], b[1])):
            if (x is None) != (y is None):
                return f"leaf {k}: grad {x is not None} != torch's {y is not None}"
            why = x is not None and _same(x, y)
            if why:
                return f"leaf {k} grad: {why}"
        return None
    return None if a == b else f"{a} != torch's {b}"


def _values(a, b, tol, scale):
    if a.dtype.kind == "f":
        with np.errstate(invalid="ignore", over="ignore"):
            zeros = (a == 0) & (b == 0)        # -0. prints as -0.: the sign must agree
            close = np.isclose(a, b, rtol=tol, atol=tol * 1e-3, equal_nan=True)
            if scale is not None:
                close |= np.abs(a.astype(np.float64) - b) <= tol * np.asarray(scale)
            ok = close.all() and np.array_equal(np.signbit(a[zeros]), np.signbit(b[zeros]))
        return None if ok else f"values {a.ravel()[:8]} != torch's {b.ravel()[:8]}"
    return None if np.array_equal(a, b) else f"values {a.ravel()[:8]} != torch's {b.ravel()[:8]}"


def compare(steps):
    """(step index, why) of the first disagreement of jtorch with torch, or None."""
    import torch

    import jtorch
    t, j = Run(torch, steps), Run(jtorch, steps)
    if j.leak is not None:
        i, e = j.leak
        return i, f"a {type(e).__module__}.{type(e).__name__} reached the user: {e}"
    for (i, a), (_, b) in zip(j.trace, t.trace):
        why = _same(a, b)
        if why:
            return i, why
    return None


# ------------------------------------------------------------------ classifying
def failure_class(steps, bad):
    """A failure's class: the failing step's signature (``unary:neg``), tagged with a known
    cause when torch's state before the step shows one (``inplace:add_@aliased``)."""
    from .programs import signature
    i, why = bad[:2]
    tag = None
    if "INTERNAL ASSERT FAILED" in why:
        tag = "torch_assert"
    elif why.startswith("leaf"):
        tag = _cause(steps, i) or _grad_cause(steps, i)
    elif why.startswith(("values", "printed")):
        tag = _cause(steps, i)
        if tag is None and why.startswith("values"):
            tag = "inherited" if _inherited(steps, i) else \
                "blas_zero_sign" if _zero_signs_only(steps, i) else None
    return signature(steps[i]) + (f"@{tag}" if tag else "")


def _cause(steps, i):
    """``aliased``: an in-place step whose operand shares the target's memory (the order in
    which torch's loop reads what it has already written is unspecified); ``subnormal``:
    an operand (for a backward, any variable) holds subnormal floats, which XLA's CPU
    backend flushes to zero; ``0dim_exponent``: pow with a 0-dim tensor exponent (see
    ``regressions.CAUSES``)."""
    import torch
    s = steps[i]
    run = Run(torch, steps[:i])
    ops = [run.vars[s[k]] for k in _refs(s)]
    if s[0] == "backward":
        ops = run.vars
    ops = [o for o in ops if isinstance(o, torch.Tensor)]
    if s[0] in ("inplace", "setitem") and len(ops) == 2 and ops[0].numel() and \
            ops[0].untyped_storage().data_ptr() == ops[1].untyped_storage().data_ptr():
        return "aliased"
    if any(_has_subnormal(o) for o in ops):
        return "subnormal"
    if s[1] in ("pow", "pow_") and ops and ops[-1].dim() == 0 and (s[0] != "scalar" or s[4]):
        return "0dim_exponent"
    return None


_LOCAL = ("unary", "binary", "scalar", "reduce", "view", "inplace", "setitem", "nograd",
          "detach", "requires_grad")


def _inherited(steps, i):
    """torch's step on jtorch's operands agrees with jtorch's result: every earlier step
    agreed within its tolerance, and this one amplifies their rounding (cos of a large
    argument, log near 1, a remainder) rather than computing differently."""
    import torch

    import jtorch
    s = steps[i]
    if s[0] not in _LOCAL:
        return False
    args = [Run(jtorch, steps[:i]).vars[s[k]] for k in _refs(s)]
    mine = Run(jtorch, steps[:i + 1]).trace[-1][1]
    if mine[0] != "tensor" or any(a is None for a in args):
        return False
    copies = [torch.from_numpy(a.detach().numpy().copy()) for a in args]
    kind, res = _outcome(torch, lambda: Run(torch, [])._apply(s, copies))
    if kind == "err" or not isinstance(res, torch.Tensor):
        return False
    expected = res.detach().numpy()
    return mine[8].shape == expected.shape and \
        _values(mine[8], expected, mine[9], _scale(s, copies, res)) is None


def _grad_cause(steps, i):
    """Why a leaf's ``.grad`` after a backward differs: ``grad_layout``, only the strides of
    a shape with size-1 dims (torch's AccumulateGrad keeps the incoming gradient's strides
    there); ``grad_zero_sign``, values equal but for the sign of zeros; ``grad_nan``, NaN
    against a number at a special point of a derivative formula; ``grad_rounding``, within
    100 times the tolerance (a formula that cancels, 1 - y * y, amplifies a saved output's
    ulp). None for anything else."""
    import torch

    import jtorch
    mine, theirs = (Run(m, steps[:i + 1]).trace[-1][1] for m in (jtorch, torch))
    for a, b in zip(mine[1], theirs[1]):
        if a is None or b is None or not _same(a, b):
            continue
        if a[1:8] != b[1:8]:
            only_strides = a[1:3] == b[1:3] and a[4:8] == b[4:8]
            return "grad_layout" if only_strides and 1 in a[2] else None
        x, y = a[8], b[8]
        with np.errstate(invalid="ignore"):
            close = np.isclose(x, y, rtol=b[9], atol=b[9] * 1e-3, equal_nan=True)
            if close.all():
                return "grad_zero_sign"
            if (close | np.isnan(x) | np.isnan(y)).all():
                return "grad_nan"
            if np.isclose(x, y, rtol=100 * b[9], atol=0.1 * b[9], equal_nan=True).all():
                return "grad_rounding"
        return None
    return None


def _zero_signs_only(steps, i):
    """A matrix product whose values equal torch's but for the sign of zeros: torch's sign
    of a one-term product's zero depends on which BLAS routine its size picks."""
    import torch

    import jtorch
    if steps[i][:2] != ("binary", "matmul"):
        return False
    a, b = Run(jtorch, steps[:i + 1]).trace[-1][1], Run(torch, steps[:i + 1]).trace[-1][1]
    if a[0] != "tensor" or b[0] != "tensor" or a[8].shape != b[8].shape:
        return False
    with np.errstate(invalid="ignore"):
        return bool(np.isclose(a[8], b[8], rtol=b[9], atol=b[9] * 1e-3, equal_nan=True).all())


def _has_subnormal(t):
    if not t.is_floating_point():
        return False
    a = t.detach().numpy()
    with np.errstate(invalid="ignore"):
        return bool(((a != 0) & (np.abs(a) < np.finfo(a.dtype).tiny)).any())
