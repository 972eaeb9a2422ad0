"""torch.compile in jtorch, every figure a ratio measured in one run.

    .venv/bin/python benchmarks/bench_compile.py [sine] [mlp] [startup] [unroll]
                                                 [--no-torch-compile] [--hot]

No section named: the first three. ``sine``: seed 004's sine loop, one epoch (31 batches
of 32, the seed's 1-5-5-5-1 ReLU model, MSE, Adam lr=1e-3), run seven ways: jtorch eager,
a ``jtorch.compile``d training step (zero_grad, forward, loss, backward, step: one XLA
program), the whole epoch as one program (``jtorch.compiler.scan_steps``: the step's
program under ``lax.scan``), a hand-written ``jax.jit`` + optax step and the same JAX
step's epoch under ``lax.scan``, torch eager (1 thread) and torch's own ``torch.compile``
of the same step (1 thread). ``mlp``: an MLP 784-512-512-10 (ReLU, cross-entropy, Adam),
batch 128, 8 steps: the compiled jtorch step, the jax step, torch eager and
``torch.compile``. Reported: milliseconds per epoch (minimum over rounds that interleave
the cases; ``--hot``: each case's rounds back to back, warm CPU caches) and ratios against
torch eager and against the JAX step, also in CPU time (``time.process_time``, all
threads), which a busy shared machine distorts less than the wall clock. ``startup``: in
fresh processes, the first compiled step's seconds (jtorch with its compile cache off and
warm; torch.compile with a warm cache) and the wall time from process start to the first
compiled step's loss, for jtorch and torch (eager and compiled), warm caches, minimum of 3.
``unroll``: the JAX scan's and jtorch's scan's epoch per ``lax.scan(unroll=k)`` (best and
median) and the first call's seconds (compile). The ``sine`` section's ``(extra)`` line is
the JAX scan unrolled twice: not a baseline (the ratios keep ``jax lax.scan epoch``).
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


def jax_step():
    """The seed's model, MSE and Adam written in JAX and optax: (params, opt state, step)."""
    import jax
    import jax.numpy as jnp
    import optax
    rng = np.random.default_rng(0)
    sizes = [(1, 5), (5, 5), (5, 5), (5, 1)]
    params = [(jnp.asarray(rng.standard_normal(s).astype(np.float32) * 0.5),
               jnp.zeros(s[1], jnp.float32)) for s in sizes]
    tx = optax.adam(1e-3)

    def loss_fn(p, x, y):
        h = x
        for i, (w, b) in enumerate(p):
            h = h @ w + b
            if i < len(p) - 1:
                h = jax.nn.relu(h)
        return jnp.mean((h - y) ** 2)

    def step(p, s, x, y):
        loss, g = jax.value_and_grad(loss_fn)(p, x, y)
        upd, s = tx.update(g, s, p)
        return optax.apply_updates(p, upd), s, loss
    return params, tx.init(params), step


def jax_scan_epoch(batches, unroll=1):
    """The JAX step under ``lax.scan`` (what ``scan_steps`` builds from a jtorch step)."""
    import jax
    import jax.numpy as jnp
    params, state, step = jax_step()
    box = [params, state]
    xs = jnp.asarray(np.stack([x for x, _ in batches]))
    ys = jnp.asarray(np.stack([y for _, y in batches]))

    @jax.jit
    def run(p, s, xs, ys):
        def body(carry, xy):
            p, s, loss = step(*carry, *xy)
            return (p, s), loss
        return jax.lax.scan(body, (p, s), (xs, ys), unroll=unroll)

    def epoch():
        (box[0], box[1]), losses = run(box[0], box[1], xs, ys)
        return float(losses[-1])
    return epoch


def jax_epoch(batches):
    import jax
    import jax.numpy as jnp
    params, s0, step = jax_step()
    state = [s0]
    box = [params]
    step = jax.jit(step)
    arrays = [(jnp.asarray(x), jnp.asarray(y)) for x, y in batches]

    def epoch():
        p, s = box[0], state[0]
        for x, y in arrays:
            p, s, loss = step(p, s, x, y)
        box[0], state[0] = p, s
        return float(loss)
    return epoch


def torch_lib():
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


def sine(rounds=15, torch_compile=True):
    batches = data()
    cases = {"jtorch eager": lib_epoch(jtorch, batches, False),
             "jtorch compiled step": lib_epoch(jtorch, batches, True),
             "jtorch epoch as one scan": scan_epoch(batches),
             "jax.jit + optax": jax_epoch(batches),
             "jax lax.scan epoch": jax_scan_epoch(batches),
             # an extra line, not a baseline: the same JAX scan with its body unrolled twice
             # (what jtorch's scan would be with unroll=2; it keeps 1, see compiler/_scan.py)
             "jax scan unroll=2 (extra)": jax_scan_epoch(batches, unroll=2)}
    torch = torch_lib()
    if torch is not None:
        cases["torch eager (1 thread)"] = lib_epoch(torch, batches, False)
        if torch_compile:
            cases["torch.compile (1 thread)"] = lib_epoch(torch, batches, True)
    best, cpu = measure(cases, rounds)
    print(f"seed 004 sine loop: one epoch = {len(batches)} steps of batch {BATCH}, Adam")
    report(best, "ms/epoch")
    print("  in CPU time:")
    report(cpu, "ms cpu  ")


def unroll(rounds=60):
    """The JAX step's epoch and jtorch's scan under ``lax.scan(..., unroll=k)``: does XLA
    CPU's loop cost matter at this size (best and median ms per epoch, compile seconds)?"""
    from jtorch.compiler import _scan
    batches = data()
    keep = _scan._UNROLL
    for k in (1, 2, 4, 8):
        _scan._UNROLL = k           # (read when the scan program is built: a new one here)
        for name, fn in (("jax lax.scan", jax_scan_epoch(batches, unroll=k)),
                         ("jtorch scan ", scan_epoch(batches))):
            t0 = time.perf_counter()
            fn()
            first = time.perf_counter() - t0
            times = sorted(_timed(fn) for _ in range(rounds))
            print(f"  {name} unroll={k:2d}: best {times[0]:6.3f} median "
                  f"{times[len(times) // 2]:6.3f} ms/epoch, first call {first:5.2f} s")
    _scan._UNROLL = keep


def _timed(fn):
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1e3


HOT = "--hot" in sys.argv     # each case's rounds back to back (warm CPU caches), not
#                               interleaved with the other cases


def measure(cases, rounds):
    """Minimum wall and CPU milliseconds per call of each case, over interleaved rounds
    (``--hot``: each case's rounds back to back)."""
    best, cpu = {}, {}
    for fn in cases.values():
        fn()
        fn()                    # warm: compile every program, the lazy queues' HOT runs
    order = [(name, fn) for name, fn in cases.items() for _ in range(rounds)] if HOT else \
        [(name, fn) for _ in range(rounds) for name, fn in cases.items()]
    for name, fn in order:
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        ms = (time.perf_counter() - t0) * 1e3
        best[name] = min(best.get(name, ms), ms)
        cms = (time.process_time() - c0) * 1e3
        cpu[name] = min(cpu.get(name, cms), cms)
    return best, cpu


def main(argv):
    sections = [a for a in argv if not a.startswith("-")] or ["sine", "mlp", "startup"]
    rounds = 40 if HOT else 15
    torch_compile = "--no-torch-compile" not in argv
    for name in sections:
        {"sine": lambda: sine(rounds, torch_compile=torch_compile),
         "mlp": lambda: mlp(rounds * 2 // 3, torch_compile=torch_compile),
         "startup": lambda: startup(torch_compile=torch_compile),
         "unroll": unroll}[name]()


# ----------------------------------------------------------------- MLP 784-512-512-10
MLP_BATCH, MLP_STEPS = 128, 8


def mlp_data():
    rng = np.random.default_rng(1)
    return [(rng.standard_normal((MLP_BATCH, 784)).astype(np.float32),
             rng.integers(0, 10, MLP_BATCH).astype(np.int64)) for _ in range(MLP_STEPS)]


def mlp_epoch(lib, batches, compiled):
    lib.manual_seed(0)
    nn = lib.nn
    m = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                      nn.Linear(512, 10))
    opt = lib.optim.Adam(m.parameters(), lr=1e-3)

    def step(x, y):
        opt.zero_grad()
        loss = lib.nn.functional.cross_entropy(m(x), y)
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


def mlp_jax_epoch(batches):
    import jax
    import jax.numpy as jnp
    import optax
    rng = np.random.default_rng(0)
    sizes = [(784, 512), (512, 512), (512, 10)]
    params = [(jnp.asarray(rng.standard_normal(s).astype(np.float32) / np.sqrt(s[0])),
               jnp.zeros(s[1], jnp.float32)) for s in sizes]
    tx = optax.adam(1e-3)
    box = [params, tx.init(params)]

    def loss_fn(p, x, y):
        h = x
        for i, (w, b) in enumerate(p):
            h = h @ w + b
            if i < len(p) - 1:
                h = jax.nn.relu(h)
        return optax.softmax_cross_entropy_with_integer_labels(h, y).mean()

    @jax.jit
    def step(p, s, x, y):
        loss, g = jax.value_and_grad(loss_fn)(p, x, y)
        upd, s = tx.update(g, s, p)
        return optax.apply_updates(p, upd), s, loss
    arrays = [(jnp.asarray(x), jnp.asarray(y.astype(np.int32))) for x, y in batches]

    def epoch():
        p, s = box
        for x, y in arrays:
            p, s, loss = step(p, s, x, y)
        box[:] = p, s
        return float(loss)
    return epoch


def mlp(rounds=10, torch_compile=True):
    batches = mlp_data()
    cases = {"jtorch compiled step": mlp_epoch(jtorch, batches, True),
             "jax.jit + optax": mlp_jax_epoch(batches)}
    torch = torch_lib()
    if torch is not None:
        cases["torch eager (1 thread)"] = mlp_epoch(torch, batches, False)
        if torch_compile:
            cases["torch.compile (1 thread)"] = mlp_epoch(torch, batches, True)
    best, cpu = measure(cases, rounds)
    print(f"MLP 784-512-512-10, cross-entropy, Adam: {MLP_STEPS} steps of batch {MLP_BATCH}")
    report(best, "ms/epoch")
    print("  in CPU time:")
    report(cpu, "ms cpu  ")


# ----------------------------------------------------------------- startup and compile time
_FIRST_STEP = """
import sys, time, json
import numpy as np
kind = sys.argv[1]
if kind == "jtorch":
    import jtorch as lib
else:
    import torch as lib
    lib.set_num_threads(1)
lib.manual_seed(0)
nn = lib.nn
m = nn.Sequential(nn.Linear(1, 5), nn.ReLU(), nn.Linear(5, 5), nn.ReLU(), nn.Linear(5, 5),
                  nn.ReLU(), nn.Linear(5, 1))
opt = lib.optim.Adam(m.parameters(), lr=1e-3)
def step(x, y):
    opt.zero_grad()
    loss = lib.nn.functional.mse_loss(m(x), y)
    loss.backward()
    opt.step()
    return loss
run = step if kind == "torch-eager" else lib.compile(step)
x = lib.from_numpy(np.linspace(0, 6, 32, dtype=np.float32).reshape(-1, 1))
t0 = time.perf_counter()
loss = run(x, lib.sin(x))
loss.item()
first = time.perf_counter() - t0
loss = run(x, lib.sin(x))          # the second call: steady state, a retrace if any
loss.item()
print(json.dumps({"first": first, "two": time.perf_counter() - t0}))
"""


def first_step(kind, env=None):
    """(wall seconds from process start to the first compiled step's loss, that first
    step's seconds) in a fresh process."""
    import json
    import os
    import subprocess
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _FIRST_STEP, kind], capture_output=True,
                         text=True, env={**os.environ, **(env or {})}, check=True,
                         cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    wall = time.perf_counter() - t0
    got = json.loads(out.stdout.strip().splitlines()[-1])
    return wall - (got["two"] - got["first"]), got["first"]


def startup(tries=3, torch_compile=True):
    kinds = ["jtorch"] + (["torch-eager"] + (["torch-compile"] if torch_compile else [])
                          if torch_lib() is not None else [])
    print("startup (seed 004 step, fresh processes, min of %d):" % tries)
    cold_first = min(first_step("jtorch", {"JTORCH_CACHE_DIR": "off"})[1]
                     for _ in range(tries))
    print(f"  jtorch first compiled step, compile cache off: {cold_first:6.2f} s "
          "(trace + XLA compile)")
    rows = {}
    for kind in kinds:
        first_step(kind)            # warms each cache
        runs = [first_step(kind) for _ in range(tries)]
        rows[kind] = min(r[0] for r in runs), min(r[1] for r in runs)
    for kind, (wall, first) in rows.items():
        vs = "".join(f"  {wall / rows[k][0]:5.2f}x {k}'s" for k in kinds[1:] if k != kind)
        print(f"  {kind:14s} start to first step {wall:6.2f} s (first step {first:6.2f} s, "
              f"warm cache){vs}")


def report(best, unit):
    ref = best.get("torch eager (1 thread)")
    jx = best["jax.jit + optax"]
    for name, ms in best.items():
        vs_torch = f"{ref / ms:6.2f}x torch eager" if ref else ""
        print(f"  {name:24s} {ms:8.2f} {unit}  {vs_torch}  {ms / jx:6.2f}x the jax step time")


if __name__ == "__main__":
    main(sys.argv[1:])
