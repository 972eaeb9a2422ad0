"""DDP under torch.compile (2 workers on loopback): the compiled step is one SPMD program over
the ranks holding DDP's bucket all-reduce (jtorch.compiler._ranks), with no graph break; its
losses and weights equal the eager step's, on both ranks, for an MLP with SGD, a BatchNorm
net with Adam (buffers broadcast inside the program) and a no_sync accumulation step.
Ranks that would run different programs get a RuntimeError at compile time, not a hang."""
import json

import numpy as np
import pytest

from tests.distributed.test_multiprocess import launch

CASES = ("mlp", "bn_adam", "no_sync")


@pytest.fixture(scope="module")
def results():
    done = launch("ddp_compile_worker.py", timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [l.split(" ", 2) for l in done.stdout.splitlines() if l.startswith("RESULT ")]
    out = {int(r): json.loads(js) for _, r, js in lines}
    assert sorted(out) == [0, 1]
    return out


def close(a, b):
    """Equal to float32 rounding (the program's fused kernels round some sums otherwise)."""
    a, b = np.asarray(a), np.asarray(b)
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6 * np.abs(b).max())


@pytest.mark.parametrize("case", CASES)
def test_compiled_step_equals_eager(results, case):
    for res in results.values():
        eager, compiled = res[case]["eager"], res[case]["compiled"]
        close(compiled["losses"], eager["losses"])
        assert len(compiled["params"]) == len(eager["params"]) >= 4
        for a, b in zip(compiled["params"] + compiled["buffers"],
                        eager["params"] + eager["buffers"]):
            close(a, b)
    for a, b in zip(results[0][case]["compiled"]["params"],
                    results[1][case]["compiled"]["params"]):
        close(a, b)         # DDP kept the ranks' parameters equal


@pytest.mark.parametrize("case", CASES)
def test_all_reduce_is_inside_the_program(results, case):
    for res in results.values():
        assert res["graph_break"] == []
        progs = res[case]["compiled"]["programs"]
        # the first step (no .grad yet) and the steady one: both over the ranks, with a psum
        assert progs == {"n": 2, "ranked": [True, True], "psum": [True, True]}


def test_ranks_with_other_shapes_raise_at_compile(results):
    for res in results.values():
        kind, message = res["mismatch"]
        assert kind == "RuntimeError"
        assert "ranks [1] traced the step as a program other than rank 0's" in message
        assert "other shapes" in message


def test_rank_dependent_program_raises_at_compile(results):
    for res in results.values():
        kind, message = res["rank_dependent"]
        assert kind == "RuntimeError" and "branches on the rank" in message


def test_compiled_ddp_module_forward_breaks_and_runs_eagerly(results):
    """torch.compile(ddp_model): the forward's buffer broadcast is a collective in a module
    forward (whose backward is a separate program): a graph break, the results eager's."""
    for res in results.values():
        eager, compiled, breaks = res["module"]
        close(compiled, eager)
        assert len(breaks) == 1 and "graph break" in breaks[0]


def test_collectives_in_a_compiled_function_equal_eager(results):
    for rank, res in results.items():
        eager, compiled, ranked = res["collectives"]
        assert ranked == [True] and compiled == eager
        assert eager[0] == [12.0, 14.0, 16.0] and eager[5] == [11.0, 12.0, 13.0]   # SUM, src 1
