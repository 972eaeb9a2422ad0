"""10^7 float32 normal draws: torch vs jtorch (median of 5, after one untimed call each:
jtorch's first call compiles its kernel), in one run.

    .venv/bin/python benchmarks/bench_random.py
"""
import statistics
import time

import jtorch

try:
    import torch
except ImportError:
    torch = None


def median_time(fn, reps=5):
    fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    n = 10_000_000
    j = median_time(lambda: jtorch.randn(n))
    print(f"jtorch.randn(1e7): {j * 1e3:8.1f} ms")
    if torch is not None:
        t = median_time(lambda: torch.randn(n))
        print(f"torch.randn(1e7):  {t * 1e3:8.1f} ms   ratio {j / t:.2f}x")


if __name__ == "__main__":
    main()
