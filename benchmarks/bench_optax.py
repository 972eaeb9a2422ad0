"""An optimizer step: jtorch.optim.Optax(optax.adam) against jtorch.optim.Adam, in one run.

    .venv/bin/python benchmarks/bench_optax.py

Both update the same parameters (a small MLP's six tensors and a 512x512 layer's two) with
fixed gradients; reported: microseconds per ``step()`` and the ratio Optax / Adam (target
<= 1.2). The step alone is timed: the gradients stay in place between steps.
"""
import timeit

import numpy as np
import optax

import jtorch

SMALL = ((5, 1), (5,), (5, 5), (5,), (1, 5), (1,))
LARGE = ((512, 512), (512,))


def _params(shapes):
    rng = np.random.default_rng(0)
    params = [jtorch.tensor(rng.standard_normal(s).astype(np.float32), requires_grad=True)
              for s in shapes]
    for p in params:
        p.grad = jtorch.tensor(rng.standard_normal(p.shape).astype(np.float32) * 1e-3)
    return params


def measure(cases, rounds=9, number=200):
    """Microseconds per step for each (name, step): the minimum over ``rounds`` rounds that
    visit every case in turn (the machine's speed drifts; interleaving keeps ratios honest)."""
    best = {}
    for _, fn in cases:
        for _ in range(5):
            fn()
    for _ in range(rounds):
        for name, fn in cases:
            t = timeit.timeit(fn, number=number) / number * 1e6
            best[name] = min(best.get(name, t), t)
    return best


def main():
    for label, shapes in (("MLP 1-5-5-1", SMALL), ("Linear 512x512", LARGE)):
        adam = jtorch.optim.Adam(_params(shapes), lr=1e-3)
        wrapped = jtorch.optim.Optax(_params(shapes), optax.adam(1e-3))
        injected = jtorch.optim.Optax(_params(shapes),
                                      optax.inject_hyperparams(optax.adam)(learning_rate=1e-3))
        best = measure([("jtorch.optim.Adam", adam.step), ("Optax(optax.adam)", wrapped.step),
                        ("Optax(inject_hyperparams(adam))", injected.step)])
        base = best["jtorch.optim.Adam"]
        print(f"{label}:")
        for name, us in best.items():
            print(f"  {name:34s} {us:8.1f} us/step   {us / base:5.2f}x")


if __name__ == "__main__":
    main()
