"""The main job: replay every seed example on jtorch and report which match torch.

    python -m compat_tests.report [--torch-live] [-j 2] [--md compat_report.md]

Compares with the golden output recorded from torch (or, with --torch-live and torch
installed, with a fresh torch run). Always exits 0: it is a report, not a test.
"""
import argparse
import concurrent.futures
import pathlib
import time

from compat_tests import harness
from compat_tests.expected_failures import EXPECTED_FAILURES


def check(name, live):
    want = harness.run(name, "torch") if live else harness.golden_path(name).read_text()
    t0 = time.time()
    got = harness.run(name, "jtorch")
    res = harness.compare(got, want)
    if res.ok:
        res = harness.compare_doc(got, name)
    return name, res, time.time() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--torch-live", action="store_true")
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--md", default="compat_report.md")
    args = ap.parse_args()
    names = harness.examples()
    with concurrent.futures.ThreadPoolExecutor(args.j) as pool:
        results = list(pool.map(lambda n: check(n, args.torch_live), names))
    width = max(len(n) for n in names)
    rows = []
    for name, res, secs in results:
        status = "MATCH" if res.ok else "DIFF"
        note = res.reason or ("" if name not in EXPECTED_FAILURES
                              else "(listed as expected failure: fixed?)")
        if not res.ok and name in EXPECTED_FAILURES:
            note = f"[known: {EXPECTED_FAILURES[name]}] {res.reason}"
        rows.append((name, status, f"{secs:.1f}s", note))
        print(f"{name:<{width}}  {status:<5}  {secs:5.1f}s  {note[:150]}")
    matched = sum(r[1] == "MATCH" for r in rows)
    summary = f"compat: {matched}/{len(rows)} examples match torch"
    print("\n" + summary)
    lines = ["# Compat report", "", summary, "", "| example | status | time | note |",
             "| --- | --- | --- | --- |"]
    lines += [f"| {n} | {s} | {t} | {note.replace('|', '/')[:200]} |" for n, s, t, note in rows]
    pathlib.Path(args.md).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
