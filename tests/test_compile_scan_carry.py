"""The scan's carry (issue 19, speed: ``compiler/_scan.py`` carries the positions the step
writes from one output once: the Adam family's shared step counter). The epoch equals the
compiled step batch by batch (tests/test_compile_scan.py); here: the counter's positions are
carried once, and positions that no longer hold one array (a write the scan did not make)
are carried apart, with the same results."""
import jax.numpy as jnp
import numpy as np

import jtorch
from jtorch._tensor import Storage
from jtorch.compiler import _scan
from tests.test_compile_scan import _data, _setup


def _warm_scan():
    _, _, step = _setup(jtorch, "adam")
    run = jtorch.compiler.scan_steps(step)
    xs, ys = (jtorch.from_numpy(a) for a in _data())
    for _ in range(2):
        run(xs, ys)
    return run.step._scan_guard, [xs._value(), ys._value()]


def test_the_shared_counter_is_carried_once():
    guard, _ = _warm_scan()
    layout = guard.plan.scan_carry[True]
    counters = [p for p, (kind, j) in enumerate(guard.plan.scan_sources)
                if (kind, j) == guard.plan.scan_sources[layout.dups[0][1]]]
    # (two Linear layers: 4 parameters, one step count each, one shared array)
    assert len(counters) == 4 and len(layout.dups) == 3
    assert all(p not in layout.order for p, _ in layout.dups)


def test_positions_holding_different_arrays_are_carried_apart():
    guard, stacked = _warm_scan()
    plan, sources = guard.plan, guard.plan.scan_sources
    dup, rep = plan.scan_carry[True].dups[0]

    def run(split):
        storages = [Storage(jnp.array(st.array)) for st in guard.storages]
        for p, r in plan.scan_carry[True].dups:
            storages[p].array = storages[r].array           # (one array, as the step left)
        if split:                                           # an equal value, another array
            storages[dup].array = jnp.array(storages[rep].array)
        changed, new, res = _scan._run_scan(plan, sources, storages, stacked, None,
                                            guard.hyper_arrays())
        return [np.asarray(a) for a in changed + new + [res]]
    together, apart = run(False), run(True)
    assert {dedup for _, dedup in plan.scan_exe} == {True, False}
    for a, b in zip(together, apart):
        np.testing.assert_array_equal(a, b)
