"""Full OpInfo run: ``python -m compat_tests.opinfo --report [--out FILE] [--ops a,b]``.

Prints the forward and gradient pass rates and writes a Markdown report (per op: forward and
gradient verdicts with the first failure's reason), plus ``--known FILE``: the failures as
``known.py`` dictionaries, ready to paste.
"""
import argparse
import pathlib
import sys
import time

from .engine import run_op, tested_ops
from .report import load_json, summary, write_json, write_known, write_report


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m compat_tests.opinfo")
    p.add_argument("--report", action="store_true", help="run every op and write the report")
    p.add_argument("--out", default="compat_report.opinfo.md")
    p.add_argument("--known", default=None, help="also write the failures as known.py dicts")
    p.add_argument("--ops", default=None, help="comma-separated op ids (default: all)")
    p.add_argument("--shard", default=None, help="I/N: run every N-th op from the I-th (0-based)")
    p.add_argument("--json", default=None, help="also write the results as JSON")
    p.add_argument("--merge", default=None, help="comma-separated JSON files: report only")
    args = p.parse_args(argv)
    if args.merge:
        merged = {}   # a later file's result for an op replaces an earlier one
        for f in args.merge.split(","):
            merged.update((r.op, r) for r in load_json(pathlib.Path(f)))
        current = tested_ops()    # drop ops no longer selected
        return _finish(args, sorted((r for r in merged.values() if r.op in current),
                                    key=lambda r: r.op), 0.0)
    ops = tested_ops()
    names = args.ops.split(",") if args.ops else sorted(ops)
    if args.shard:
        i, n = map(int, args.shard.split("/"))
        names = names[i::n]
    if not (args.report or args.ops):
        p.print_help()
        return 2
    results = []
    start = time.perf_counter()
    for i, name in enumerate(names, 1):
        r = run_op(ops[name])
        results.append(r)
        fwd = "ok" if r.forward else "FAIL"
        grad = {True: "ok", False: "FAIL", None: "-"}[r.grad]
        failed = not r.forward or r.grad is False
        reason = f"  {r.forward_reason or r.grad_reason}" if failed else ""
        print(f"[{i}/{len(names)}] {name}: forward {fwd}, grad {grad} ({r.seconds:.1f} s)"
              f"{reason}", flush=True)
    if args.json:
        write_json(pathlib.Path(args.json), results)
    return _finish(args, results, time.perf_counter() - start)


def _finish(args, results, seconds):
    text = summary(results, seconds)
    print(text)
    write_report(pathlib.Path(args.out), results, text)
    if args.known:
        write_known(pathlib.Path(args.known), results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
