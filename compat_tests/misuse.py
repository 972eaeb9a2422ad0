"""The generated misuse corpus (issue 27, item 1): every op record of ``op_samples`` with each
argument broken in turn, run on torch and on jtorch.

For a record's first sample (in its full dtype), each argument is replaced by a misuse of its
kind:

- a tensor: ``shape`` (the last dim grows by 2; a 0-dim becomes shape (2,)), ``dtype`` (a
  float becomes int64, an integer or bool becomes float64), ``type`` (a str);
  an int64 index tensor also gets ``range`` (every index 99);
- a Python int (dims, sizes, indices): ``range`` (17 and -17), ``type`` (a str);
- a float: ``type`` (a str); a tuple/list: ``type`` (a str), ``range`` (each int + 17).

A case's outcome on each library is "accepted" (with a result) or an exception. They agree on
the type when both accept (and the results compare equal, as in ``test_ops``) or both raise
the same exception type; on the key phrase when, in addition, the messages' key phrases are
equal (``key_phrase``). ``python -m compat_tests.misuse --report`` runs the full corpus and
prints both percentages; ``tests/test_misuse_corpus.py`` runs a fixed slice; known mismatches
are listed in ``misuse_known.py``.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
import warnings

import numpy as np

WRONG_TYPE = "abc"
_FOREIGN = ("jax", "jaxlib", "numpy", "optax")


class Mutation:
    """One broken argument: the sample's inputs with input ``pos`` replaced by ``value``."""

    def __init__(self, record, dtype, sample, pos, kind, value):
        self.record, self.dtype, self.sample = record, dtype, sample
        self.pos, self.kind, self.value = pos, kind, value
        self.id = f"{record.name}-{sample.kind}-arg{pos}-{kind}"

    @property
    def inputs(self):
        ins = list(self.sample.inputs)
        ins[self.pos] = self.value
        return tuple(ins)


def _array_of(spec):
    from .op_samples.base import In
    return spec.array if isinstance(spec, In) else spec


def _tensor_mutations(spec, case_dtype):
    """(kind, replacement) for a tensor input."""
    from .op_samples.base import In
    arr = np.asarray(_array_of(spec))
    dt = (spec.dtype if isinstance(spec, In) else None) or case_dtype
    nc = spec.nc if isinstance(spec, In) else False
    grown = (2,) if arr.ndim == 0 else arr.shape[:-1] + (arr.shape[-1] + 2,)
    out = [("shape", In(np.resize(arr, grown) if arr.size else np.zeros(grown, arr.dtype),
                        dtype=dt, nc=nc, grad=False))]
    if dt.startswith(("float", "complex", "bfloat")):
        ints = np.round(np.nan_to_num(arr.real, posinf=9, neginf=-9)).astype(np.int64)
        out.append(("dtype", In(ints, dtype="int64", nc=nc, grad=False)))
    else:
        out.append(("dtype", In(arr.astype(np.float64), dtype="float64", nc=nc, grad=False)))
    out.append(("type", WRONG_TYPE))
    if dt == "int64" and arr.size:
        out.append(("range", In(np.full(arr.shape, 99, np.int64), dtype="int64", nc=nc,
                                grad=False)))
    return out


def _value_mutations(v):
    if isinstance(v, bool) or v is None:
        return [("type", WRONG_TYPE)]
    if isinstance(v, int):
        return [("range", 17), ("range_neg", -17), ("type", WRONG_TYPE)]
    if isinstance(v, float):
        return [("type", WRONG_TYPE)]
    if isinstance(v, (tuple, list)) and v and all(isinstance(x, int) and not isinstance(x, bool)
                                                  for x in v):
        # (shape: the last size grown by 2, as a tensor's shape mutation)
        return [("type", WRONG_TYPE), ("range", type(v)(x + 17 for x in v)),
                ("shape", type(v)(v[:-1]) + type(v)((v[-1] + 2,)))]
    if isinstance(v, (tuple, list)):
        return [("type", WRONG_TYPE)]
    return []      # strings (modes, reductions): a wrong one is op-specific


def _mutations_of(record, dtype, sample):
    from .op_samples.base import In
    out = []
    for pos, spec in enumerate(sample.inputs):
        if isinstance(spec, (In, np.ndarray)):
            muts = _tensor_mutations(spec, dtype)
        else:
            muts = _value_mutations(spec)
        out += [Mutation(record, dtype, sample, pos, k, v) for k, v in muts]
    return out


def cases():
    """Every mutation of every record's first non-error sample (deterministic order)."""
    from .misuse_known import TORCH_CRASHES
    from .op_samples import RECORDS, G
    out = []
    for r in RECORDS:
        dt = "float64" if "float64" in r.dtypes else r.dtypes[0]
        samples = [s for s in r.samples(G(r.seed + sum(map(ord, dt)), dt, full=True))
                   if not s.raises]
        if samples:
            out += [m for m in _mutations_of(r, dt, samples[0]) if m.id not in TORCH_CRASHES]
    return out


# ------------------------------------------------------------------ running and comparing
class _Shim:
    """What ``test_ops._inputs`` reads from a case."""

    def __init__(self, m):
        self.dtype = m.dtype

        class _S:
            inputs = m.inputs
        self.sample = _S


def _run(lib, mut):
    from .test_ops import _inputs
    try:
        args, _ = _inputs(lib, _Shim(mut), False)
    except Exception as e:   # noqa: BLE001 (an input the library cannot even build)
        return ("build", e)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            res = mut.record.fn(lib, *args)
            _force(res)
        except Exception as e:  # noqa: BLE001 (compared with the other library's)
            return ("raised", e)
    return ("ok", res)


def _force(res):
    """Read every tensor of a result (deferred ops raise here at the latest)."""
    if hasattr(res, "shape") and hasattr(res, "dtype") and hasattr(res, "numpy"):
        if res.dtype.is_floating_point and "bfloat16" in repr(res.dtype):
            res = res.float()
        res.detach().numpy()
    elif isinstance(res, (tuple, list)):
        for x in res:
            _force(x)


# torch's argument parser words a rejected argument type three ways (one overload: "argument
# 'other' (position 2) must be Tensor, not str"; several: "received an invalid combination of
# arguments - got (Tensor, str)", listing the overloads; a list: "expected Tensor as element 0
# in argument 0, but got str"). The key phrase is the rejected type: the position differs
# between a method and a function, and an overload list is torch's signature table, which
# jtorch does not reproduce.
_ARG_TYPE = (re.compile(r"argument '\w+' \(position \d+\) must be [^,]+, not (\w+)"),
             re.compile(r"expected Tensor as element \d+ in argument \d+, but got (\w+)"))
_COMBINATION = re.compile(r"received an invalid combination of arguments - got \((.*?)\)")


def key_phrase(exc):
    """The part of an exception's message that must agree: for an argument of the wrong type,
    the type rejected; else the message's first line."""
    msg = str(exc).split("\n")[0].strip()
    for pattern in _ARG_TYPE:
        m = pattern.search(msg)
        if m:
            return f"argument of type {m.group(1)} rejected"
    m = _COMBINATION.search(msg)
    if m:
        got = [t.strip().split("=")[-1] for t in m.group(1).split(",")]
        odd = [t for t in got if t in ("str", "bytes", "dict", "set")]
        if odd:
            return f"argument of type {odd[0]} rejected"
    return msg


def foreign(exc):
    """Whether an exception comes from JAX or NumPy (never allowed to reach a user): its type
    is theirs, or it was raised inside their code (a builtin TypeError of JAX's tracing)."""
    if type(exc).__module__.split(".")[0] in _FOREIGN:
        return True
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    path = tb.tb_frame.f_code.co_filename if tb is not None else ""
    return any(f"/{name}/" in path for name in _FOREIGN)


class Verdict:
    def __init__(self, mut, tout, jout):
        self.mut = mut
        self.torch, self.jtorch = tout, jout
        self.type_ok, self.msg_ok, self.detail = self._judge()

    def _judge(self):
        (tk, tv), (jk, jv) = self.torch, self.jtorch
        if tk == "build":
            return True, True, "torch cannot build the input"
        if tk == "ok" and jk == "ok":
            try:
                from .test_ops import _compare
                _compare(jv, tv, "result", {}, False)
            except AssertionError as e:
                return False, False, f"results differ: {str(e).splitlines()[0]}"
            return True, True, "both accept"
        if tk == "ok":
            return False, False, f"torch accepts; jtorch raised {_desc(jv)}"
        if jk == "ok":
            return False, False, f"torch raised {_desc(tv)}; jtorch accepts"
        if type(tv) is not type(jv):
            return False, False, f"jtorch raised {_desc(jv)}; torch raised {_desc(tv)}"
        if key_phrase(tv) != key_phrase(jv):
            return True, False, f"messages: jtorch {key_phrase(jv)!r}; torch {key_phrase(tv)!r}"
        return True, True, "same error"

    @property
    def foreign(self):
        k, v = self.jtorch
        return k != "ok" and foreign(v)


def _desc(e):
    return f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:200]


def judge(mut):
    import torch

    import jtorch
    return Verdict(mut, _run(torch, mut), _run(jtorch, mut))


def suite_slice(every=4):
    """The fixed slice the suite runs: every ``every``-th case (deterministic)."""
    return cases()[::every]


# ------------------------------------------------------------------ the report
def report(muts, out=sys.stdout, verbose=False, trace=False):
    t0 = time.time()
    verdicts = []
    for m in muts:
        if trace:      # a crash (abort) names its case
            print(m.id, file=sys.stderr, flush=True)
        verdicts.append(judge(m))
    n = len(verdicts)
    ty = sum(v.type_ok for v in verdicts)
    ms = sum(v.msg_ok for v in verdicts)
    fr = [v for v in verdicts if v.foreign]
    kinds = {}
    for v in verdicts:
        kinds.setdefault(v.mut.record.name, set()).add(v.mut.kind.split("_")[0])
    print(f"misuse corpus: {n} cases over {len(kinds)} records "
          f"({sum(len(k) >= 3 for k in kinds.values())} with >= 3 kinds of misuse) "
          f"in {time.time() - t0:.0f} s", file=out)
    print(f"type match: {ty}/{n} = {100 * ty / max(n, 1):.2f}%", file=out)
    print(f"key-phrase match: {ms}/{n} = {100 * ms / max(n, 1):.2f}%", file=out)
    print(f"JAX/NumPy exceptions escaping: {len(fr)}", file=out)
    if verbose:
        for v in verdicts:
            if not v.msg_ok or v.foreign:
                print(f"  {v.mut.id}: {v.detail}", file=out)
    return verdicts


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m compat_tests.misuse")
    p.add_argument("--report", action="store_true", help="run the full corpus")
    p.add_argument("--slice", action="store_true", help="only the suite's slice")
    p.add_argument("--records", default="", help="comma-separated record names")
    p.add_argument("-v", "--verbose", action="store_true", help="list every mismatch")
    p.add_argument("--trace", action="store_true", help="name each case before it runs")
    p.add_argument("--write-known", metavar="PATH", help="rewrite KNOWN in this file")
    a = p.parse_args(argv)
    muts = suite_slice() if a.slice else cases()
    if a.records:
        names = set(a.records.split(","))
        muts = [m for m in muts if m.record.name in names]
    verdicts = report(muts, verbose=a.verbose or bool(a.records),
                      trace=a.trace)
    if a.write_known:
        write_known(a.write_known, verdicts)
    return 0


def write_known(path, verdicts):
    """Rewrite ``misuse_known.py``'s KNOWN table from a run's mismatches (TORCH_CRASHES and
    the header are kept)."""
    with open(path) as f:
        text = f.read()
    head = text[:text.index("KNOWN = {")]
    def table(name, vs):
        rows = "".join(f"    {v.mut.id!r}:\n        {v.detail[:300]!r},\n" for v in vs)
        return f"{name} = {{\n{rows}}}\n"
    leaks = [v for v in verdicts if v.foreign]
    with open(path, "w") as f:
        f.write(head + table("KNOWN", [v for v in verdicts if not v.msg_ok]) +
                "\n# cases where a JAX/NumPy exception still reaches the user (a module outside "
                "the op table)\n" + table("LEAKS", leaks))


if __name__ == "__main__":
    sys.exit(main())
