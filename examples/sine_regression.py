"""Seed 004: fit sin(x) on [0, 2 pi] with a small MLP, a Dataset/DataLoader, MSE and Adam.
Prints a progress bar and the test loss; saves the fit to sine_fit.png when matplotlib is
installed.

    python -m jtorch run examples/sine_regression.py [--epochs 20]
"""
import argparse
import math
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.utils.data as data


class SineDataset(data.Dataset):
    def __init__(self, x, y):
        super().__init__()
        self.x, self.y = x, y

    def __len__(self):
        return self.y.shape[0]

    def __getitem__(self, index):
        return self.x[index], self.y[index]


class SineModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.network = nn.Sequential(nn.Linear(1, 5), nn.ReLU(), nn.Linear(5, 5), nn.ReLU(),
                                     nn.Linear(5, 5), nn.ReLU(), nn.Linear(5, 1))

    def forward(self, x):
        return self.network(x)


def progress(epoch, epochs, loss, width=30):
    done = int(width * epoch / epochs)
    sys.stdout.write(f"\r[{'#' * done}{'.' * (width - done)}] epoch {epoch}/{epochs} "
                     f"loss {loss:.5f}")
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=20)
    args = ap.parse_args()
    np.random.seed(0)
    torch.manual_seed(0)
    x = np.random.rand(1200) * 2 * math.pi
    y = np.sin(x) + np.random.rand(1200) * 0.01
    x_train, y_train = (torch.tensor(a[:1000]).float().view(-1, 1) for a in (x, y))
    x_test, y_test = (torch.tensor(a[1000:]).float().view(-1, 1) for a in (x, y))
    train = data.DataLoader(SineDataset(x_train, y_train), batch_size=32, shuffle=True)
    test = data.DataLoader(SineDataset(x_test, y_test), batch_size=32)

    model = SineModel()
    criterion = nn.MSELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for epoch in range(1, args.epochs + 1):
        for x_i, y_i in train:
            loss = criterion(model(x_i), y_i)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        progress(epoch, args.epochs, loss.item())
    print()

    model.eval()
    with torch.no_grad():
        total = sum(float(criterion(model(x_k), y_k)) for x_k, y_k in test)
    print(f"test loss (sum over {len(test)} batches): {total:.5f}")

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not installed: no plot")
        return
    with torch.no_grad():
        pred = model(x_test)
    plt.scatter(x_test.numpy(), y_test.numpy(), s=4, label="data")
    plt.scatter(x_test.numpy(), pred.numpy(), s=4, label="model")
    plt.legend()
    plt.savefig("sine_fit.png", dpi=100)
    print("saved sine_fit.png")


if __name__ == "__main__":
    main()
