"""The examples in examples/ print under jtorch (``python -m jtorch run``) exactly what they
print under torch (short runs: a few epochs)."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = [("quickstart.py",), ("gradient_descent.py",), ("sine_regression.py", "--epochs", "3"),
         ("cnn_classifier.py", "--epochs", "1"),
         # torch's run compiles with aot_eager (dynamo's trace without inductor's C++ build)
         ("compiled_training.py", "--steps", "25", "--backend", "aot_eager"),
         ("cifar10_tutorial.py", "--epochs", "1"), ("transfer_learning.py", "--epochs", "1")]
# The real torchvision 0.28 wheel needs an empty torchvision._meta_registrations beside CPU
# torch (see tests/vision_ref.py); the torch run of a torchvision example starts with it.
_TORCHVISION_STUB = ["-c", "import runpy, sys, types; n = 'torchvision._meta_registrations'; "
                     "sys.modules[n] = types.ModuleType(n); sys.argv = sys.argv[1:]; "
                     "runpy.run_path(sys.argv[0], run_name='__main__')"]
_USES_TORCHVISION = {"cifar10_tutorial.py", "transfer_learning.py"}


def _run(prefix, script, args, cwd):
    cmd = [sys.executable, *prefix, os.path.join(ROOT, "examples", script), *args]
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=600,
                         env={**os.environ, "MPLBACKEND": "Agg"})
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_example_prints_what_torch_prints(case, tmp_path):
    pytest.importorskip("torch")
    script, args = case[0], case[1:]
    (tmp_path / "j").mkdir()
    (tmp_path / "t").mkdir()
    mine = _run(["-m", "jtorch", "run"], script, args, tmp_path / "j")
    stub = _TORCHVISION_STUB if script in _USES_TORCHVISION else []
    torchs = _run(stub, script, args, tmp_path / "t")
    assert mine.strip(), "the example printed nothing"
    assert mine == torchs
