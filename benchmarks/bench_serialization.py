"""Save and load of a ~100 MB state_dict (100 float32 tensors of 1 MB each, as a model's
layers): jtorch vs torch, median of 5 interleaved runs after a warm-up, in one run. Loads use
the default weights_only=True; mmap=True maps the file instead of reading it.

    .venv/bin/python benchmarks/bench_serialization.py
"""
import os
import statistics
import tempfile
import time

import numpy as np

import jtorch

try:
    import torch
except ImportError:
    torch = None

N_TENSORS, NUMEL = 100, 256 * 1024          # 100 x 1 MiB float32


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main():
    rng = np.random.default_rng(0)
    arrays = {f"layer{i}.weight": rng.standard_normal(NUMEL, dtype=np.float32)
              for i in range(N_TENSORS)}
    libs = {"jtorch": jtorch}
    if torch is not None:
        libs["torch"] = torch
    sds = {name: {k: lib.tensor(v) for k, v in arrays.items()} for name, lib in libs.items()}
    tmp = tempfile.mkdtemp()
    paths = {name: os.path.join(tmp, f"{name}.pt") for name in libs}
    results = {(name, op): [] for name in libs for op in ("save", "load", "mmap load")}
    for rep in range(6):                       # rep 0 is the warm-up
        for name, lib in libs.items():
            ops = {"save": lambda: lib.save(sds[name], paths[name]),
                   "load": lambda: lib.load(paths[name]),
                   "mmap load": lambda: lib.load(paths[name], mmap=True)}
            for op, fn in ops.items():
                dt, out = timed(fn)
                if op != "save":
                    assert out["layer7.weight"].shape == (NUMEL,)
                if rep:
                    results[(name, op)].append(dt)
    size = os.path.getsize(paths["jtorch"]) / 2**20
    print(f"state_dict of {N_TENSORS} float32 tensors, file {size:.1f} MiB")
    for op in ("save", "load", "mmap load"):
        j = statistics.median(results[("jtorch", op)])
        line = f"{op:10s} jtorch {j * 1e3:8.1f} ms"
        if torch is not None:
            t = statistics.median(results[("torch", op)])
            line += f"   torch {t * 1e3:8.1f} ms   ratio {j / t:.2f}x"
        print(line)
    for p in paths.values():
        os.remove(p)
    os.rmdir(tmp)


if __name__ == "__main__":
    main()
