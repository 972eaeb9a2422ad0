"""Eager dispatch cost: jtorch vs torch vs a raw pre-built jax.jit call, in one run.

    .venv/bin/python benchmarks/bench_dispatch.py

Reports microseconds per tiny op (without and with grad) and a 10-op forward+backward graph.
"""
import timeit

import jax
import jax.numpy as jnp
import numpy as np

import jtorch

try:
    import torch
except ImportError:  # the benchmark still reports jtorch and raw JAX
    torch = None


def measure(cases, rounds=9):
    """Microseconds per call for each (name, fn, number), the minimum over ``rounds`` rounds
    that visit every case in turn: this machine's speed drifts (other tenants), and
    interleaving keeps the ratios between cases honest."""
    best = {}
    for name, fn, number in cases:
        fn()
    for _ in range(rounds):
        for name, fn, number in cases:
            t = timeit.timeit(fn, number=number) / number * 1e6
            best[name] = min(best.get(name, t), t)
    return [(name, best[name]) for name, _, _ in cases]


def graph10(m, x, w):
    y = x * w
    y = y + 1.0
    y = m.tanh(y)
    y = y * y
    y = y - x
    y = m.exp(y * 0.1)
    y = y / 3.0
    y = y.sum(0)
    y = m.sigmoid(y)
    return y.mean()


def main():
    cases = []
    a_np = np.random.rand(8, 8).astype(np.float32)
    ja, jb = jtorch.tensor(a_np), jtorch.tensor(a_np)
    raw = jax.jit(lambda x, y: x + y)
    xa, xb = jnp.asarray(a_np), jnp.asarray(a_np)
    cases.append(("add 8x8: raw jax.jit", lambda: raw(xa, xb), 2000))
    cases.append(("add 8x8: jtorch eager", lambda: ja + jb, 2000))
    jg = jtorch.tensor(a_np, requires_grad=True)
    cases.append(("add 8x8: jtorch eager, requires_grad", lambda: jg + jb, 2000))
    if torch is not None:
        ta, tb = torch.tensor(a_np), torch.tensor(a_np)
        tg = torch.tensor(a_np, requires_grad=True)
        cases.append(("add 8x8: torch eager", lambda: ta + tb, 2000))
        cases.append(("add 8x8: torch eager, requires_grad", lambda: tg + tb, 2000))

    def jstep():
        w = jtorch.tensor(a_np, requires_grad=True)
        graph10(jtorch, jb, w).backward()
    cases.append(("10-op fwd+bwd: jtorch", jstep, 200))
    if torch is not None:
        def tstep():
            w = torch.tensor(a_np, requires_grad=True)
            graph10(torch, tb, w).backward()
        cases.append(("10-op fwd+bwd: torch", tstep, 200))
    rows = measure(cases)
    width = max(len(r[0]) for r in rows)
    for name, us in rows:
        print(f"{name:<{width}}  {us:9.1f} us")
    d = dict(rows)
    print(f"\njtorch eager / raw jit (add): {d['add 8x8: jtorch eager'] / d['add 8x8: raw jax.jit']:.2f}x")
    if torch is not None:
        print(f"jtorch / torch (add):          {d['add 8x8: jtorch eager'] / d['add 8x8: torch eager']:.2f}x")
        print(f"jtorch / torch (10-op graph):  "
              f"{d['10-op fwd+bwd: jtorch'] / d['10-op fwd+bwd: torch']:.2f}x")


if __name__ == "__main__":
    main()
