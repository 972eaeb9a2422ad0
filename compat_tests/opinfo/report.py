"""Summaries and report files of an OpInfo run."""
import dataclasses
import json

from .engine import OpResult


def write_json(path, results):
    path.write_text(json.dumps([dataclasses.asdict(r) for r in results], indent=0))


def load_json(path):
    return [OpResult(**d) for d in json.loads(path.read_text())]



def ran(results):
    """The results that count: ops missing in jtorch, or with a sample torch ran on CPU."""
    return [r for r in results if r.missing or r.samples]


def rates(results):
    """(forward passed, ops, gradient passed, differentiable ops)."""
    results = ran(results)
    fwd = sum(r.forward for r in results)
    graded = [r for r in results if r.grad is not None]
    return fwd, len(results), sum(bool(r.grad) for r in graded), len(graded)


def summary(results, seconds):
    fwd, n, grad, ng = rates(results)
    missing = sum(r.missing for r in results)
    idle = len(results) - len(ran(results))
    return (f"OpInfo: forward {fwd}/{n} ops pass ({100 * fwd / max(n, 1):.1f}%), "
            f"gradient {grad}/{ng} ({100 * grad / max(ng, 1):.1f}%); "
            f"{missing} ops missing in jtorch; {idle} ops not counted (torch ran none of "
            f"their samples on CPU); {seconds:.0f} s")


def _cell(text):
    return text.replace("|", "\\|").replace("\n", " ")[:200]


def write_report(path, results, text):
    lines = ["# OpInfo replay: torch's op_db on jtorch", "", text, "",
             "| op | forward | gradient | first failure |", "|---|---|---|---|"]
    for r in results:
        grad = {True: "ok", False: "FAIL", None: "-"}[r.grad]
        reason = r.forward_reason or r.grad_reason
        lines.append(f"| {r.op} | {'ok' if r.forward else 'FAIL'} | {grad} | {_cell(reason)} |")
    path.write_text("\n".join(lines) + "\n")


def write_known(path, results):
    fwd = {r.op: r.forward_reason for r in results if not r.forward}
    grad = {r.op: r.grad_reason for r in results if r.grad is False}
    out = ['"""OpInfo ops that do not match torch yet: op id -> the first failure\'s reason.',
           "",
           "Written by ``python -m compat_tests.opinfo --report --known FILE`` (then checked by",
           "hand); a fixed op must leave these lists (the tests are strict xfails). \"missing:\"",
           "means jtorch has no counterpart for the op (or for a name its torch lambda calls).",
           '"""', "# flake8: noqa: E501", "FORWARD = {"] + [f"    {k!r}: {_cell(v)!r}," for k, v in sorted(fwd.items())]
    out += ["}", "", "GRAD = {"] + [f"    {k!r}: {_cell(v)!r}," for k, v in sorted(grad.items())]
    path.write_text("\n".join(out + ["}"]) + "\n")
