"""DDP under torch.compile (2 workers on loopback): the compiled step's trace reaches DDP's
bucket all-reduce, which cannot run inside a program, so the call graph-breaks and runs
eagerly; its losses and weights equal the eager step's, and the ranks' weights agree."""
import json

import numpy as np

from tests.distributed.test_multiprocess import launch


def test_ddp_step_under_compile_equals_eager():
    done = launch("ddp_compile_worker.py", timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [l.split(" ", 2) for l in done.stdout.splitlines() if l.startswith("RESULT ")]
    results = {int(r): json.loads(js) for _, r, js in lines}
    assert sorted(results) == [0, 1]
    for res in results.values():
        assert res["graph_break"]
        np.testing.assert_allclose(res["compiled"][0], res["eager"][0], rtol=1e-6)
        for a, b in zip(res["compiled"][1], res["eager"][1]):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    for a, b in zip(results[0]["compiled"][1], results[1]["compiled"][1]):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)   # DDP kept the ranks equal
