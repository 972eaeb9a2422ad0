"""Seed 004's training loop, time per epoch: jtorch eager vs torch eager, in one run.

    .venv/bin/python benchmarks/bench_train.py [--epochs N]

The loop is the seed's own: a Dataset indexing tensors one sample at a time, a shuffling
DataLoader (batch 32, 1000 samples), a 4-layer MLP, MSELoss, Adam, ``zero_grad; backward;
step``. The same program text runs with ``m=torch`` and ``m=jtorch``. torch runs at one
thread (its default of 2 degrades on a loaded 2-core machine). The first epoch (jtorch's
compiles) is reported apart from the steady state.
"""
import argparse
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


def time_epochs(epoch, n):
    t0 = time.perf_counter()
    first_loss = epoch()
    first = time.perf_counter() - t0
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        loss = epoch()
        times.append(time.perf_counter() - t0)
    return first, float(np.median(times)), first_loss, loss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=10)
    args = ap.parse_args()
    rows = []
    j = time_epochs(build(jtorch), args.epochs)
    rows.append(("jtorch eager", j))
    # the same loop with every backward in the per-node engine (no fused programs)
    from jtorch.autograd import engine
    fused_run = engine.fused.try_run
    engine.fused.try_run = lambda *a: False
    rows.append(("jtorch, engine backward", time_epochs(build(jtorch), args.epochs)))
    engine.fused.try_run = fused_run
    if torch is not None:
        torch.set_num_threads(1)
        t = time_epochs(build(torch), args.epochs)
        rows.append(("torch eager (1 thread)", t))
    print(f"{'':24s} {'first epoch':>12s} {'ms/epoch':>10s} {'loss after':>12s}")
    for name, (first, med, _, loss) in rows:
        print(f"{name:24s} {first * 1e3:10.1f}ms {med * 1e3:8.2f}ms {loss:12.6f}")
    if torch is not None:
        print(f"jtorch / torch per epoch: {j[1] / t[1]:.2f}x   (target <= 1.0x)")


if __name__ == "__main__":
    main()
