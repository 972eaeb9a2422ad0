"""Every op against torch, sample by sample (records in ``op_samples.py``).

Each case runs the record's lambda with ``m=torch`` and ``m=jtorch`` on the same inputs and
compares: the output structure (tuples, named tuples, ``torch.Size``, Python values), each
tensor's dtype, shape, values (tolerance by dtype), ``requires_grad`` and ``grad_fn`` name,
and then, for float64 cases of differentiable records, every input's ``.grad`` after
backpropagating the same cotangents. Error samples must raise the same exception type with
the same message. ``test_every_op_has_samples`` fails when an op of the table has no record.
"""
import math
import warnings

import jax
import numpy as np
import pytest
import torch

import jtorch
from jtorch._ops.registry import COMPOSITES, OPS

from .op_samples import INTERNAL, RECORDS, G, In

TOL = {  # (rtol, atol) by output dtype
    "float32": (1.3e-6, 1e-5), "float64": (1e-7, 1e-7), "float16": (1e-3, 1e-5),
    "bfloat16": (1.6e-2, 1e-5), "complex64": (1.3e-6, 1e-5), "complex128": (1e-7, 1e-7),
}
GRAD_TOL = {"float64": (1e-6, 1e-7), "float32": (1e-5, 1e-5)}


class Case:
    def __init__(self, record, dtype, sample):
        self.record = record
        self.dtype = dtype
        self.sample = sample
        self.id = f"{record.name}-{dtype}-{sample.kind}"

    def xfail_reason(self):
        x = self.record.xfail
        for key in ((self.dtype, self.sample.kind), self.sample.kind, self.dtype, "*"):
            if key in x:
                return x[key]
        return None


def _cases():
    out = []
    for r in RECORDS:
        for dt in r.dtypes:
            # every edge kind in float64 (or the first dtype); the other dtypes run the main
            # kinds only (dtype coverage without repeating every edge case)
            full = dt == "float64" or ("float64" not in r.dtypes and dt == r.dtypes[0])
            g = G(r.seed + sum(map(ord, dt)), dt, full=full)
            for k, s in enumerate(r.samples(g)):
                if full or k < 2 or s.every:
                    out.append(Case(r, dt, s))
    return out


CASES = _cases()


def _params():
    ps = []
    for c in CASES:
        reason = c.xfail_reason()
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        ps.append(pytest.param(c, id=c.id, marks=marks))
    return ps


# ------------------------------------------------------------------ building inputs
_NP = {"float32": np.float32, "float64": np.float64, "float16": np.float16,
       "int64": np.int64, "int32": np.int32, "int16": np.int16, "int8": np.int8,
       "uint8": np.uint8, "bool": np.bool_, "complex64": np.complex64,
       "complex128": np.complex128}


def _tensor(m, arr, dtype, nc, grad):
    """A tensor of ``dtype`` holding ``arr`` (converted by NumPy, so that building inputs
    compiles nothing); ``nc``: a non-contiguous view (the leaf is its transposed base)."""
    arr = np.asarray(arr)
    base = np.ascontiguousarray(arr.transpose()) if nc and arr.ndim >= 2 else arr
    npdt = _NP.get(dtype, np.float32)          # bfloat16: through float32
    if base.dtype.kind == "c" and np.dtype(npdt).kind != "c":
        base = base.real
    base = np.array(base, dtype=npdt)
    if m is jtorch:
        # jtorch.from_numpy goes through jnp.asarray, which compiles a staging executable per
        # shape and dtype (and makes 0-d arrays 1-d): device_put the array directly
        t = jtorch.Tensor._make(jax.device_put(base))
    else:
        t = torch.from_numpy(base)
    if dtype == "bfloat16":
        t = t.to(m.bfloat16)
    leaf = t
    if grad:
        leaf.requires_grad_(True)
    if nc and arr.ndim >= 2:
        t = leaf.permute(*reversed(range(arr.ndim)))
    return t, leaf


def _inputs(m, case, grad):
    args, leaves = [], []
    for spec in case.sample.inputs:
        if isinstance(spec, In):
            dt = spec.dtype or case.dtype
            g = grad and spec.grad and _is_float(dt)
            t, leaf = _tensor(m, spec.array, dt, spec.nc, g)
        elif isinstance(spec, np.ndarray):
            t, leaf = _tensor(m, spec, case.dtype, False, grad and _is_float(case.dtype))
        else:
            args.append(spec)
            continue
        args.append(t)
        leaves.append(leaf)
    return args, leaves


def _is_float(dt):
    return dt in ("float32", "float64", "float16", "bfloat16")


# ------------------------------------------------------------------ comparing
def _np(t):
    if isinstance(t, torch.Tensor) and t._is_zerotensor():   # torch's lazy zero gradients
        return np.zeros(tuple(t.shape), np.float32 if t.dtype == torch.bfloat16 else
                        torch.empty(0, dtype=t.dtype).numpy().dtype)
    if t.dtype in (torch.bfloat16, jtorch.bfloat16):
        t = t.float()
    if isinstance(t, torch.Tensor):
        t = t.resolve_conj().resolve_neg()
    return np.asarray(t.detach().cpu().numpy())


def _grad_fn_name(t):
    fn = t.grad_fn
    return None if fn is None else fn.name()


def _compare_tensor(j, t, where, tol, check_grad_fn):
    assert isinstance(j, jtorch.Tensor), f"{where}: expected a Tensor, got {type(j).__name__}"
    assert repr(j.dtype) == repr(t.dtype), f"{where}: dtype {j.dtype} != torch's {t.dtype}"
    assert tuple(j.shape) == tuple(t.shape), f"{where}: shape {tuple(j.shape)} != " \
                                             f"torch's {tuple(t.shape)}"
    assert j.requires_grad == t.requires_grad, f"{where}: requires_grad {j.requires_grad} " \
                                               f"!= torch's {t.requires_grad}"
    if check_grad_fn:
        assert _grad_fn_name(j) == _grad_fn_name(t), \
            f"{where}: grad_fn {_grad_fn_name(j)} != torch's {_grad_fn_name(t)}"
    a, b = _np(j), _np(t)
    name = repr(t.dtype)[6:]
    if name in TOL:
        rtol, atol = tol.get(name, TOL[name])
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, equal_nan=True,
                                   err_msg=f"{where}: values differ")
    else:
        np.testing.assert_array_equal(a, b, err_msg=f"{where}: values differ")


def _compare(j, t, where, tol, check_grad_fn):
    if isinstance(t, torch.Tensor):
        _compare_tensor(j, t, where, tol, check_grad_fn)
    elif isinstance(t, torch.Size):
        assert type(j).__name__ == "Size", f"{where}: {type(j).__name__} is not a Size"
        assert tuple(j) == tuple(t), f"{where}: {tuple(j)} != torch's {tuple(t)}"
    elif isinstance(t, (tuple, list)):
        assert isinstance(j, (tuple, list)), f"{where}: {type(j).__name__} is not a sequence"
        assert type(j).__name__ == type(t).__name__, \
            f"{where}: {type(j).__name__} != torch's {type(t).__name__}"
        if hasattr(t, "_fields"):
            assert tuple(j._fields) == tuple(t._fields), f"{where}: fields differ"
            assert type(j).__module__ == type(t).__module__, f"{where}: module differs"
        assert len(j) == len(t), f"{where}: length {len(j)} != torch's {len(t)}"
        for k, (a, b) in enumerate(zip(j, t)):
            _compare(a, b, f"{where}[{k}]", tol, check_grad_fn)
    elif isinstance(t, float) and math.isnan(t):
        assert isinstance(j, float) and math.isnan(j), f"{where}: {j!r} != nan"
    else:
        assert type(j) is type(t) and j == t, f"{where}: {j!r} != torch's {t!r}"


def _tensors(x):
    if isinstance(x, (torch.Tensor, jtorch.Tensor)):
        return [x]
    if isinstance(x, (tuple, list)) and not isinstance(x, torch.Size):
        return [t for e in x for t in _tensors(e)]
    return []


def _cotangents(touts):
    rng = np.random.RandomState(7)
    cts = []
    for t in touts:
        cts.append(rng.uniform(0.5, 1.5, tuple(t.shape)) if t.requires_grad else None)
    return cts


def _raised(fn):
    try:
        fn()
    except Exception as e:      # noqa: BLE001 (compared with torch's below)
        return e
    return None


# ------------------------------------------------------------------ the tests
@pytest.mark.parametrize("case", _params())
def test_op(case):
    r = case.record
    grad = r.grad and case.dtype in r.grad_dtypes
    tol = {name: r.tol[case.dtype] for name in TOL} if case.dtype in r.tol else {}
    targs, tleaves = _inputs(torch, case, grad)
    jargs, jleaves = _inputs(jtorch, case, grad)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if case.sample.raises:
            with pytest.raises(Exception) as texc:
                r.fn(torch, *targs)
            with pytest.raises(Exception) as jexc:
                r.fn(jtorch, *jargs)
            assert type(jexc.value) is type(texc.value), \
                f"jtorch raised {type(jexc.value).__name__}: {jexc.value}; torch raised " \
                f"{type(texc.value).__name__}: {texc.value}"
            assert str(jexc.value) == str(texc.value)
            return
        tres = r.fn(torch, *targs)
        jres = r.fn(jtorch, *jargs)
    _compare(jres, tres, "result", tol, r.check_grad_fn)
    if not grad:
        return
    touts, jouts = _tensors(tres), _tensors(jres)
    cts = _cotangents(touts)
    pairs = [(t, j, c) for t, j, c in zip(touts, jouts, cts) if c is not None]
    if not pairs:
        return
    texc = _raised(lambda: torch.autograd.backward(
        [p[0] for p in pairs],
        [_tensor(torch, p[2], repr(p[0].dtype)[6:], False, False)[0] for p in pairs]))
    jexc = _raised(lambda: jtorch.autograd.backward(
        [p[1] for p in pairs],
        [_tensor(jtorch, p[2], repr(p[1].dtype)[6:], False, False)[0] for p in pairs]))
    # where torch has no derivative (its node's backward raises), jtorch must raise the same
    assert (type(jexc), str(jexc)) == (type(texc), str(texc)), (jexc, texc)
    if texc is not None:
        return
    gtol = GRAD_TOL.get(case.dtype, (1e-5, 1e-5))
    for k, (jl, tl) in enumerate(zip(jleaves, tleaves)):
        where = f"grad of input {k}"
        if tl.grad is None or jl.grad is None:
            assert tl.grad is None and jl.grad is None, \
                f"{where}: jtorch {jl.grad is not None}, torch {tl.grad is not None}"
            continue
        assert tuple(jl.grad.shape) == tuple(tl.grad.shape), f"{where}: shape differs"
        assert repr(jl.grad.dtype) == repr(tl.grad.dtype), f"{where}: dtype differs"
        np.testing.assert_allclose(_np(jl.grad), _np(tl.grad), rtol=gtol[0], atol=gtol[1],
                                   equal_nan=True, err_msg=f"{where} differs")


def _public(name):
    if name in INTERNAL:
        return INTERNAL[name]
    return name


def test_every_op_has_samples():
    """Every op in the table (and every composite) has at least one record; an internal op
    (leading underscore) must be mapped to the public op that reaches it in INTERNAL."""
    covered = {c for r in RECORDS for c in r.covers}
    missing = []
    for name in list(OPS) + list(COMPOSITES):
        if name in INTERNAL and INTERNAL[name] is None:
            continue
        if name.startswith("_") and name not in INTERNAL:
            missing.append(f"{name} (internal: map it to its public op in INTERNAL)")
            continue
        if _public(name) not in covered:
            missing.append(name)
    assert not missing, "ops without samples: " + ", ".join(sorted(missing))


def test_enough_variants():
    """The suite is a broad sweep: at least 400 op x dtype x sample-kind variants, and known
    gaps (strict xfails) stay under 5%."""
    assert len(CASES) >= 400
    xfails = sum(1 for c in CASES if c.xfail_reason())
    assert xfails < 0.05 * len(CASES), (xfails, len(CASES))
