"""Where a warm compiled training step's time goes, against what issue 19's targets allow.

    .venv/bin/python benchmarks/bench_compile_floor.py [--rounds N] [--hot]

Seed 004's sine step (``bench_compile.sine``'s model, data and Adam), per step, in one run:

- ``jax.jit + optax``: the hand-written JAX step (the baseline of the 1.5x target);
- ``torch eager (1 thread)``: the baseline of the 6x target;
- ``jtorch compiled step``: ``jtorch.compile(step)``, as users run it;
- ``jtorch, guard bypassed``: the same with the warm call's guard answering "matches"
  without looking (``_fast.Guard.matches`` and ``Compiled._root_src`` replaced for that
  case only). NOT a way to run anything: an unsound guard, here only to measure how fast
  the warm path could be if checking the state cost nothing;
- ``jtorch program alone``: the XLA program's call inside the compiled step (time inside
  ``_program.execute``, the jitted call on the flat arrays), measured in a separate pass.

Then the targets' budget per step (the smaller of torch eager / 6 and 1.5 x the JAX step)
and each jtorch row's distance from it. Timings: minimum over interleaved rounds of an
epoch (31 steps), divided by 31 (``--hot``: each case's rounds back to back, as
``bench_compile.py --hot``).
"""
import sys
import time

sys.path[:0] = [".", "benchmarks"]
import bench_compile as B  # noqa: E402
import jtorch  # noqa: E402
from jtorch.compiler import _fast, _program, _wrapper  # noqa: E402

STEPS = B.N // B.BATCH


def bypassed(epoch):
    """``epoch`` with the fast guard answering True unseen, restored after each call."""
    def run():
        keep = _fast.Guard.matches, _wrapper.Compiled._root_src
        _fast.Guard.matches = lambda self, args, root_src: True
        _wrapper.Compiled._root_src = lambda self: None
        try:
            return epoch()
        finally:
            _fast.Guard.matches, _wrapper.Compiled._root_src = keep
    return run


def program_alone(epoch, rounds):
    """Microseconds per step inside ``_program.execute`` (best epoch of ``rounds``)."""
    real, spent = _program.execute, [0]

    def timed(run, ins):
        t0 = time.perf_counter_ns()
        try:
            return real(run, ins)
        finally:
            spent[0] += time.perf_counter_ns() - t0
    _program.execute = timed
    try:
        best = None
        for _ in range(rounds):
            spent[0] = 0
            epoch()
            best = spent[0] if best is None else min(best, spent[0])
    finally:
        _program.execute = real
    return best / STEPS / 1e3


def main(argv):
    rounds = int(argv[argv.index("--rounds") + 1]) if "--rounds" in argv else 30
    batches = B.data()
    compiled = B.lib_epoch(jtorch, batches, True)
    cases = {"jax.jit + optax": B.jax_epoch(batches),
             "jtorch compiled step": compiled,
             "jtorch, guard bypassed": bypassed(B.lib_epoch(jtorch, batches, True))}
    torch = B.torch_lib()
    if torch is not None:
        cases["torch eager (1 thread)"] = B.lib_epoch(torch, batches, False)
    best, _ = B.measure(cases, rounds)
    us = {name: ms * 1e3 / STEPS for name, ms in best.items()}
    us["jtorch program alone"] = program_alone(compiled, rounds)
    jx = us["jax.jit + optax"]
    limits = {"1.5x the jax step": 1.5 * jx}
    if "torch eager (1 thread)" in us:
        limits["torch eager / 6"] = us["torch eager (1 thread)"] / 6
    budget = min(limits.values())
    print(f"seed 004 sine step (batch {B.BATCH}, Adam), microseconds per step, "
          f"best of {rounds} epochs of {STEPS} steps")
    for name, t in us.items():
        print(f"  {name:24s} {t:7.1f} us   {t / jx:5.2f}x the jax step")
    print("  targets' budget per step: " + ", ".join(f"{k} = {v:.1f} us"
                                                      for k, v in limits.items()))
    for name in ("jtorch compiled step", "jtorch, guard bypassed"):
        print(f"  {name:24s} {us[name] - budget:+7.1f} us over the budget")
    alone = us["jtorch program alone"]
    print(f"  jtorch outside its program: {us['jtorch compiled step'] - alone:.1f} us per step "
          f"(guard bypassed: {us['jtorch, guard bypassed'] - alone:.1f} us)")


if __name__ == "__main__":
    main(sys.argv[1:])
