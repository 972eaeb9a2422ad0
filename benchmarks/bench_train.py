"""Seed 004's training loop, time per epoch: jtorch eager vs torch eager, in one run.

    .venv/bin/python benchmarks/bench_train.py [--epochs N]

The loop is the seed's own: a Dataset indexing tensors one sample at a time, a shuffling
DataLoader (batch 32, 1000 samples), a 4-layer MLP, MSELoss, Adam, ``zero_grad; backward;
step``. The same program text runs with ``m=torch`` and ``m=jtorch``. torch runs at one
thread (its default of 2 degrades on a loaded 2-core machine). The first epoch (jtorch's
compiles) is reported apart from the steady state; then the cases run one epoch each in
turn, ``--epochs`` rounds, and the median and minimum epoch times are compared.
"""
import argparse
import contextlib
import math
import time

import numpy as np

import jtorch

try:
    import torch
except ImportError:
    torch = None


def build(m):
    np.random.seed(0)
    m.manual_seed(0)
    x = np.random.rand(1200) * 2 * math.pi
    y = np.sin(x) + np.random.rand(1200) * 0.01
    x_train = m.tensor(x[:1000]).float().view(-1, 1)
    y_train = m.tensor(y[:1000]).float().view(-1, 1)

    class SineDataset(m.utils.data.Dataset):
        def __init__(self, x, y):
            super().__init__()
            self.x, self.y = x, y

        def __len__(self):
            return self.y.shape[0]

        def __getitem__(self, index):
            return self.x[index], self.y[index]

    loader = m.utils.data.DataLoader(SineDataset(x_train, y_train), batch_size=32,
                                     shuffle=True)
    nn = m.nn
    model = nn.Sequential(nn.Linear(1, 5), nn.ReLU(), nn.Linear(5, 5), nn.ReLU(),
                          nn.Linear(5, 5), nn.ReLU(), nn.Linear(5, 1))
    criterion = nn.MSELoss()
    optimizer = m.optim.Adam(model.parameters(), lr=0.01)

    def epoch():
        for x_i, y_i in loader:
            loss = criterion(model(x_i), y_i)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        return float(loss)
    return epoch


def interleaved(cases, n):
    """First-epoch time, then per-epoch times of ``n`` rounds that run one epoch of every
    case in turn: this shared machine's speed drifts by 10-30% within a minute, and
    alternating keeps the cases' ratios honest. Returns {name: (first, median, min, loss)}."""
    first, times, losses = {}, {name: [] for name, _, _, _ in cases}, {}
    states = {name: m.get_rng_state() for name, m, _, _ in cases}

    def run(name, m, epoch, setup):
        # each case draws its shuffles from its own stream (two jtorch cases share one
        # global generator): its losses are those of running alone
        m.set_rng_state(states[name])
        with setup():
            t0 = time.perf_counter()
            losses[name] = epoch()
            elapsed = time.perf_counter() - t0
        states[name] = m.get_rng_state()
        return elapsed

    for case in cases:
        first[case[0]] = run(*case)
    for _ in range(n):
        for case in cases:
            times[case[0]].append(run(*case))
    return {name: (first[name], float(np.median(times[name])), min(times[name]), losses[name])
            for name, _, _, _ in cases}


@contextlib.contextmanager
def plain():
    yield


@contextlib.contextmanager
def engine_backward():
    """Every backward in the per-node engine (the fused programs off)."""
    from jtorch.autograd import engine
    fused_run = engine.fused.try_run
    engine.fused.try_run = lambda *a: False
    try:
        yield
    finally:
        engine.fused.try_run = fused_run


@contextlib.contextmanager
def no_deferral():
    """Every op run at once (jtorch._lazy off): one compiled call per op."""
    from jtorch import _lazy
    _lazy.flush()
    _lazy.ENABLED = False
    try:
        yield
    finally:
        _lazy.ENABLED = True


@contextlib.contextmanager
def torch_one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=15)
    args = ap.parse_args()
    cases = [("jtorch eager", jtorch, build(jtorch), plain),
             ("jtorch, ops not deferred", jtorch, build(jtorch), no_deferral),
             ("jtorch, engine backward", jtorch, build(jtorch), engine_backward)]
    if torch is not None:
        cases.append(("torch eager (1 thread)", torch, build(torch), torch_one_thread))
    res = interleaved(cases, args.epochs)
    print(f"{'':26s} {'first epoch':>12s} {'median':>10s} {'min':>10s} {'loss after':>12s}")
    for name, (first, med, low, loss) in res.items():
        print(f"{name:26s} {first * 1e3:10.1f}ms {med * 1e3:8.2f}ms {low * 1e3:8.2f}ms "
              f"{loss:12.6f}")
    if torch is not None:
        j, t = res["jtorch eager"], res["torch eager (1 thread)"]
        print(f"jtorch / torch per epoch: {j[1] / t[1]:.2f}x median, {j[2] / t[2]:.2f}x min   "
              "(target <= 1.0x)")


if __name__ == "__main__":
    main()
