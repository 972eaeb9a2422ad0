"""The warm scan's stacked batches (issue 19, speed: ``ScanSteps._scan_fast`` reads a
``from_numpy`` batch through the runner's bytes snapshot): a batch rewritten in NumPy
between two epochs is read anew, as eager jtorch (and torch) read shared memory."""
import numpy as np

import jtorch
from tests.test_compile_scan import _data, _setup


def _epochs(xs, ys, rewrite):
    """Three scanned epochs over the same stacked tensors; ``rewrite(xs)`` before the
    third. The losses of each epoch."""
    _, _, step = _setup(jtorch, "adam")
    run = jtorch.compiler.scan_steps(step)
    tx, ty = jtorch.from_numpy(xs), jtorch.from_numpy(ys)
    out = []
    for epoch in range(3):
        if epoch == 2:
            rewrite(xs)
        out.append(run(tx, ty).numpy().copy())
    assert run.step._scan_guard is not None          # (the warm path took the last epoch)
    return np.stack(out)


def test_a_stacked_batch_rewritten_in_numpy_is_read_anew():
    xs, ys = _data()

    def rewrite(a):
        a *= 0.5
    shared = _epochs(xs.copy(), ys, rewrite)
    # the same epochs where the third one is given the rewritten values as new tensors
    _, _, step = _setup(jtorch, "adam")
    run = jtorch.compiler.scan_steps(step)
    want = [run(jtorch.from_numpy(x), jtorch.from_numpy(ys)).numpy().copy()
            for x in (xs.copy(), xs.copy(), xs * 0.5)]
    np.testing.assert_array_equal(shared, np.stack(want))
    assert not np.array_equal(shared[2], _epochs(xs.copy(), ys, lambda a: None)[2])
