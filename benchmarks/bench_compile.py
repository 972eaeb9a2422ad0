"""torch.compile in jtorch: seed 004's sine loop (batch 32, Adam), one epoch, in one run.

    .venv/bin/python benchmarks/bench_compile.py

Five ways to run the same epoch (31 batches of 32, the seed's 1-5-5-5-1 ReLU model, MSE,
Adam lr=1e-3): jtorch eager, a ``jtorch.compile``d training step (zero_grad, forward,
loss, backward, step: one XLA program), the whole epoch as one program
(``jtorch.compiler.scan_steps``: the step's program under ``lax.scan``), torch eager (1 thread), and a hand-written
``jax.jit`` + optax step. Reported: milliseconds per epoch (minimum over interleaved
rounds) and ratios against torch eager and against the JAX step; then the same ratios in
CPU time (``time.process_time``, all threads), which a busy shared machine distorts less
than the wall clock.
"""
import sys
import time

import numpy as np

sys.path.insert(0, ".")
import jtorch  # noqa: E402

BATCH, N = 32, 992


def data():
    rng = np.random.default_rng(0)
    x = (rng.random(N) * 2 * np.pi).astype(np.float32).reshape(-1, 1)
    y = (np.sin(x) + rng.random((N, 1)) * 0.01).astype(np.float32)
    return [(x[i:i + BATCH], y[i:i + BATCH]) for i in range(0, N, BATCH)]


def model(lib):
    lib.manual_seed(0)
    nn = lib.nn
    return nn.Sequential(nn.Linear(1, 5), nn.ReLU(), nn.Linear(5, 5), nn.ReLU(),
                         nn.Linear(5, 5), nn.ReLU(), nn.Linear(5, 1))


def scan_epoch(batches):
    """The epoch as one program: ``jtorch.compiler.scan_steps`` over the stacked batches."""
    m = model(jtorch)
    opt = jtorch.optim.Adam(m.parameters(), lr=1e-3)

    def step(x, y):
        opt.zero_grad()
        loss = jtorch.nn.functional.mse_loss(m(x), y)
        loss.backward()
        opt.step()
        return loss
    run = jtorch.compiler.scan_steps(step)
    xs = jtorch.from_numpy(np.stack([x for x, _ in batches]))
    ys = jtorch.from_numpy(np.stack([y for _, y in batches]))

    def epoch():
        return float(run(xs, ys)[-1].item())
    return epoch


def lib_epoch(lib, batches, compiled):
    m = model(lib)
    opt = lib.optim.Adam(m.parameters(), lr=1e-3)

    def step(x, y):
        opt.zero_grad()
        loss = lib.nn.functional.mse_loss(m(x), y)
        loss.backward()
        opt.step()
        return loss
    run = lib.compile(step) if compiled else step
    tensors = [(lib.from_numpy(x), lib.from_numpy(y)) for x, y in batches]

    def epoch():
        for x, y in tensors:
            loss = run(x, y)
        return float(loss.item())
    return epoch


def jax_epoch(batches):
    import jax
    import jax.numpy as jnp
    import optax
    rng = np.random.default_rng(0)
    sizes = [(1, 5), (5, 5), (5, 5), (5, 1)]
    params = [(jnp.asarray(rng.standard_normal(s).astype(np.float32) * 0.5),
               jnp.zeros(s[1], jnp.float32)) for s in sizes]
    tx = optax.adam(1e-3)
    state = [tx.init(params)]
    box = [params]

    def loss_fn(p, x, y):
        h = x
        for i, (w, b) in enumerate(p):
            h = h @ w + b
            if i < len(p) - 1:
                h = jax.nn.relu(h)
        return jnp.mean((h - y) ** 2)

    @jax.jit
    def step(p, s, x, y):
        loss, g = jax.value_and_grad(loss_fn)(p, x, y)
        upd, s = tx.update(g, s, p)
        return optax.apply_updates(p, upd), s, loss
    arrays = [(jnp.asarray(x), jnp.asarray(y)) for x, y in batches]

    def epoch():
        p, s = box[0], state[0]
        for x, y in arrays:
            p, s, loss = step(p, s, x, y)
        box[0], state[0] = p, s
        return float(loss)
    return epoch


def main(rounds=15):
    batches = data()
    cases = {"jtorch eager": lib_epoch(jtorch, batches, False),
             "jtorch compiled step": lib_epoch(jtorch, batches, True),
             "jtorch epoch as one scan": scan_epoch(batches),
             "jax.jit + optax": jax_epoch(batches)}
    try:
        import torch
        torch.set_num_threads(1)
        cases["torch eager (1 thread)"] = lib_epoch(torch, batches, False)
    except ImportError:
        pass
    best, cpu = {}, {}
    for fn in cases.values():
        fn()
        fn()                    # warm: compile every program, the lazy queues' HOT runs
    for _ in range(rounds):
        for name, fn in cases.items():
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            ms = (time.perf_counter() - t0) * 1e3
            best[name] = min(best.get(name, ms), ms)
            cms = (time.process_time() - c0) * 1e3
            cpu[name] = min(cpu.get(name, cms), cms)
    print(f"seed 004 sine loop: one epoch = {len(batches)} steps of batch {BATCH}, Adam")
    report(best, "ms/epoch")
    print("  in CPU time:")
    report(cpu, "ms cpu  ")


def report(best, unit):
    ref = best.get("torch eager (1 thread)")
    jx = best["jax.jit + optax"]
    for name, ms in best.items():
        vs_torch = f"{ref / ms:6.2f}x torch eager" if ref else ""
        print(f"  {name:24s} {ms:8.2f} {unit}  {vs_torch}  {ms / jx:6.2f}x the jax step time")


if __name__ == "__main__":
    main()
