"""Replay one OpInfo on torch and jtorch: forward values, then gradients.

Per op: the dtypes of ``DTYPES`` that the OpInfo supports on CPU; per dtype the first
``MAX_SAMPLES`` samples of ``info.sample_inputs``. Gradients run in float64 (else the first
floating dtype the op differentiates) on the first ``GRAD_SAMPLES`` of those samples: the loss
is a weighted sum of the (``output_process_fn_grad``-processed) floating outputs, weights
fixed per sample, and every input that requires grad is compared. Random ops see the same
seed in both libraries (jtorch reproduces torch's generator).
"""
import dataclasses
import os
import signal
import time
import warnings

import numpy as np
import torch

import jtorch

from .compare import GRAD_TOL, Mismatch, compare, compare_tensors, flat_tensors, op_tolerances
from .convert import jtorch_dtype, to_jtorch
from .resolve import Missing, rebuild, resolve

DTYPES = ("float32", "float64", "int64", "bool", "complex64")
GRAD_DTYPES = ("float64", "complex64", "float32")
MAX_SAMPLES = int(os.environ.get("JTORCH_OPINFO_SAMPLES", "3"))
GRAD_SAMPLES = 2
OP_TIMEOUT = 180  # seconds: a runaway op fails instead of stalling the run
SEED = 1234


@dataclasses.dataclass
class OpResult:
    op: str
    forward: bool = True
    grad: bool | None = None        # None: the op has no gradient to test
    forward_reason: str = ""
    grad_reason: str = ""
    missing: bool = False
    samples: int = 0
    seconds: float = 0.0

    def fail_forward(self, reason):
        if self.forward:
            self.forward, self.forward_reason = False, reason

    def fail_grad(self, reason):
        if self.grad is not False:
            self.grad, self.grad_reason = False, reason


def values_defined(info):
    """False for the ``empty`` family: their values are uninitialised memory."""
    return "empty" not in info.name.split(".")[-1]


# outputs defined up to a sign or phase per vector (LAPACK builds pick differently): their
# forward is compared after the sample's output_process_fn_grad, which removes that freedom
GAUGE_OPS = {"linalg.eigh", "linalg.eig", "linalg.svd", "svd", "svd_lowrank", "pca_lowrank"}


def op_id(info):
    return info.name + (f".{info.variant_test_name}" if info.variant_test_name else "")


def op_dtypes(info):
    supported = info.supported_dtypes("cpu")
    return [d for d in DTYPES if getattr(torch, d) in supported]


def grad_dtype(info):
    if not info.supports_autograd:
        return None
    dtypes = op_dtypes(info)
    backward = info.supported_backward_dtypes("cpu")
    for d in GRAD_DTYPES:
        if d in dtypes and getattr(torch, d) in backward:
            return d
    return None


def _short(e):
    text = f"{type(e).__name__}: {e}".splitlines()[0] if str(e) else type(e).__name__
    return text[:300]


def _weighted_loss(outs, rng, lib):
    loss = None
    for o in outs:
        if not (o.dtype.is_floating_point or o.dtype.is_complex) or not o.requires_grad:
            continue
        w = rng.uniform(0.5, 1.5, size=tuple(o.shape))
        if o.dtype.is_complex:
            w = w + 1j * rng.uniform(-1, 1, size=tuple(o.shape))
        wt = lib.from_numpy(np.asarray(w)).to(o.dtype)
        term = (o * wt).sum()
        term = term.real if o.dtype.is_complex else term
        loss = term if loss is None else loss + term
    return loss


def _check_grad(sample, texp, jout, leaves, overrides, k):
    """Compare the inputs' gradients of the weighted output sum; raise Mismatch."""
    pf = sample.output_process_fn_grad
    tout = flat_tensors(pf(texp))
    try:
        jpf = rebuild(pf)
    except Missing as e:
        raise Mismatch(f"missing: {e}") from None
    jouts = flat_tensors(jpf(jout))
    if len(tout) != len(jouts):
        raise Mismatch(f"grad: {len(jouts)} outputs, torch {len(tout)}")
    lt = _weighted_loss(tout, np.random.RandomState(k), torch)
    if lt is None or not leaves:
        return
    for i, (t, j) in enumerate(zip(tout, jouts)):
        if t.requires_grad and (t.dtype.is_floating_point or t.dtype.is_complex) \
                and not j.requires_grad:
            raise Mismatch(f"grad: output {i} does not require grad")
    lj = _weighted_loss(jouts, np.random.RandomState(k), jtorch)
    try:
        tg = torch.autograd.grad(lt, [t for t, _ in leaves], allow_unused=True)
    except Exception:
        return  # torch cannot differentiate this sample: nothing to compare
    try:
        jg = jtorch.autograd.grad(lj, [j for _, j in leaves], allow_unused=True)
    except Exception as e:
        raise Mismatch(f"grad: jtorch raised {_short(e)}") from None
    for i, ((t, _), g, h) in enumerate(zip(leaves, tg, jg)):
        if g is None or g._is_zerotensor():   # torch's symbolic zeros
            g = torch.zeros_like(t)
        if h is None:
            h = jtorch.zeros(tuple(t.shape), dtype=jtorch_dtype(t.dtype))
        compare_tensors(g, h, overrides, f"grad of input {i}", grad=True)


def _unique_leaves(pairs):
    seen, out = set(), []
    for t, j in pairs:
        if id(t) not in seen:
            seen.add(id(t))
            out.append((t, j))
    return out


def run_sample(info, jfn, sample, overrides, k, want_grad, result):
    leaves = []
    targs = (sample.input, *sample.args)
    jargs = to_jtorch(targs, leaves)
    jkw = to_jtorch(dict(sample.kwargs), leaves)
    leaves = _unique_leaves(leaves)
    torch.manual_seed(SEED)
    try:
        texp = info.op(*targs, **sample.kwargs)
    except Exception:
        return  # torch rejects it (a sample for another device or backend): not a case
    result.samples += 1
    jtorch.manual_seed(SEED)
    try:
        jout = jfn(*jargs, **jkw)
        if info.name in GAUGE_OPS:
            compare(sample.output_process_fn_grad(texp),
                    rebuild(sample.output_process_fn_grad)(jout), overrides)
        else:
            compare(texp, jout, overrides, values=values_defined(info))
    except Mismatch as e:
        result.fail_forward(str(e))
        if want_grad:
            result.fail_grad(f"forward failed: {e}")
        return
    except Exception as e:
        if _is_missing_name(e):   # a lambda of torch's test code calls a name jtorch lacks
            result.missing = True
            result.fail_forward(f"missing: {e}")
        result.fail_forward(f"jtorch raised {_short(e)}")
        if want_grad:
            result.fail_grad(f"forward failed: jtorch raised {_short(e)}")
        return
    if want_grad:
        try:
            _check_grad(sample, texp, jout, leaves, overrides, k)
        except Mismatch as e:
            result.fail_grad(str(e))
        except Exception as e:
            result.fail_grad(f"grad: jtorch raised {_short(e)}")


def _is_missing_name(e):
    text = str(e)
    return isinstance(e, AttributeError) and "has no attribute" in text and (
        text.startswith("module 'jtorch") or text.startswith("'Tensor' object")
        or text.startswith("type object 'Tensor'"))


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def run_op(info):
    """Run every selected sample of ``info``; returns an OpResult."""
    start = time.perf_counter()
    result = OpResult(op_id(info))
    gd = grad_dtype(info)
    result.grad = True if gd else None
    try:
        jfn = resolve(info)
    except Missing as e:
        result.missing = True
        result.fail_forward(f"missing: {e}")
        if gd:
            result.fail_grad(f"missing: {e}")
        return result
    overrides = op_tolerances(info)
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(OP_TIMEOUT)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for dt in op_dtypes(info):
                _run_dtype(info, jfn, dt, dt == gd, overrides, result)
    except _Timeout:
        result.fail_forward(f"timeout after {OP_TIMEOUT} s")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    result.seconds = time.perf_counter() - start
    return result


def _run_dtype(info, jfn, dt, with_grad, overrides, result):
    torch.manual_seed(SEED)
    try:
        samples = info.sample_inputs("cpu", getattr(torch, dt), requires_grad=with_grad)
        for k, sample in enumerate(samples):
            if k >= MAX_SAMPLES:
                break
            run_sample(info, jfn, sample, overrides, k, with_grad and k < GRAD_SAMPLES, result)
    except _Timeout:
        raise
    except Exception:  # torch's own sample generator failed for this dtype: nothing to run
        pass


def tested_ops():
    """{op id: OpInfo} for every op of op_db with a CPU dtype among DTYPES."""
    from torch.testing._internal.common_methods_invocations import op_db
    out = {}
    for info in op_db:
        if (getattr(type(info.op), "__module__", "") or "").startswith("torch.cuda"):
            continue  # jiterator ops: CUDA kernels compiled at run time, nothing on CPU
        if op_dtypes(info):
            out.setdefault(op_id(info), info)
    return out
