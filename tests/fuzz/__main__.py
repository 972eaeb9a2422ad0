"""``python -m tests.fuzz --programs N [--seed S] [--new-only] [--log F]``: a fuzz campaign.

Program ``k`` is drawn from ``random.Random(seed * 10**9 + k)``, so any failure is replayed
by its number. A failure is classed by its step and the cause torch's state shows
(``interpret.failure_class``); a class listed in ``regressions.KNOWN`` or tagged with a cause
of ``regressions.CAUSES`` counts as known, any other is new. A failing program is cut after its
failing step and shrunk (one greedy pass of step removals) and printed as a Python literal,
ready for ``regressions.py``. ``--log F`` appends ``seed program class`` for every failing
program, and ``--replay F`` reruns exactly those programs: after a fix, a replay of a
campaign's log shows each of its failures agreeing or known without rerunning the rest.
"""
import argparse
import random
import sys
import time

from .interpret import compare, failure_class
from .programs import Chooser, program
from .regressions import is_known


def shrink(steps, bad):
    """A shorter program failing in the same class: the prefix up to the failing step, then
    one pass of single-step removals (a removal that shifts variable numbers and so stops
    the failure is undone)."""
    sig = failure_class(steps, bad)
    best = list(steps[:bad[0] + 1])
    for k in range(len(best) - 2, -1, -1):
        trial = best[:k] + best[k + 1:]
        try:
            b = compare(trial)
        except Exception:  # noqa: BLE001 (a reference past the end after a removal)
            b = None
        if b is not None and failure_class(trial, b) == sig:
            best = trial
    return best


def _numbers(a):
    """(seed, program number) pairs: a range of one seed, or the failures of a --log file."""
    if not a.replay:
        return [(a.seed, k) for k in range(a.start, a.start + a.programs)]
    with open(a.replay) as f:
        pairs = {(int(w[0]), int(w[1])) for w in (line.split() for line in f) if w}
    return sorted(pairs)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m tests.fuzz")
    p.add_argument("--programs", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--start", type=int, default=0, help="first program number")
    p.add_argument("--new-only", action="store_true", help="print only unknown classes")
    p.add_argument("--no-shrink", action="store_true")
    p.add_argument("--log", help="append 'seed program class' for each failing program")
    p.add_argument("--replay", help="run only the programs listed in a --log file")
    a = p.parse_args(argv)
    numbers = _numbers(a)
    log = open(a.log, "a") if a.log else None
    t0 = time.time()
    classes, new = {}, 0
    for done, (seed, k) in enumerate(numbers):
        if done and done % 500 == 0:
            print(f"... {done} programs, {time.time() - t0:.0f} s", file=sys.stderr, flush=True)
        steps = program(Chooser(random.Random(seed * 10 ** 9 + k)))
        bad = compare(steps)
        if bad is None:
            continue
        sig = failure_class(steps, bad)
        if log:
            print(seed, k, sig, file=log, flush=True)
        first = sig not in classes
        classes[sig] = classes.get(sig, 0) + 1
        if is_known(sig) and a.new_only:
            continue
        new += not is_known(sig)
        if first:
            small = steps[:bad[0] + 1] if a.no_shrink else shrink(steps, bad)
            tag = "known" if is_known(sig) else "NEW"
            print(f"{tag} {sig} (program {k}, step {bad[0]}): {bad[1][:300]}\n"
                  f"    {small!r},", flush=True)
    n = len(numbers)
    known = sum(c for s, c in classes.items() if is_known(s))
    print(f"{n} programs in {time.time() - t0:.0f} s: {n - sum(classes.values())} agree, "
          f"{known} stop at a known class, {sum(classes.values()) - known} at a new one "
          f"({len([s for s in classes if not is_known(s)])} new classes)")
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
