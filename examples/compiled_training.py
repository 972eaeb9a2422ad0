"""A compiled training step: torch.compile over zero_grad, forward, loss, backward and the
optimizer step (under jtorch: one XLA program per call, parameters and optimizer state
written back after it).

    python -m jtorch run examples/compiled_training.py [--steps 60] [--backend inductor]
"""
import argparse

import torch
import torch.nn as nn


def make_data(n=512):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, 8, generator=g)
    w = torch.randn(8, 1, generator=g)
    y = torch.tanh(x @ w) + 0.05 * torch.randn(n, 1, generator=g)
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--backend", default="inductor")
    args = ap.parse_args()
    torch.manual_seed(0)
    x, y = make_data()
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                          nn.Linear(32, 1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=20, gamma=0.5)

    @torch.compile(backend=args.backend)
    def train_step(xb, yb):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(xb), yb)
        loss.backward()
        opt.step()
        return loss

    batches = x.shape[0] // args.batch
    for step in range(args.steps):
        i = step % batches
        loss = train_step(x[i * args.batch:(i + 1) * args.batch],
                          y[i * args.batch:(i + 1) * args.batch])
        sched.step()        # outside the compiled step: the new lr is a run-time input
        if step % 10 == 0 or step == args.steps - 1:
            print(f"step {step:3d}  lr {sched.get_last_lr()[0]:.4f}  loss {loss.item():.4f}")
    with torch.no_grad():
        print(f"final train loss {nn.functional.mse_loss(model(x), y).item():.4f}")


if __name__ == "__main__":
    main()
