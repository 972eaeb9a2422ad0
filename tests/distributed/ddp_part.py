"""The DDP half of worker.py and ddp4_worker.py, importable by the test for the
single-process reference: an MLP (or a small CNN) trained a few SGD steps on a fixed global
batch, each rank taking its slice. ``T`` is the torch module in use (jtorch, or real torch
for the reference)."""

STEPS, BATCH, LR = 3, 8, 0.1


def make_model(T, seed):
    T.manual_seed(seed)
    return T.nn.Sequential(T.nn.Linear(5, 16), T.nn.Tanh(), T.nn.Linear(16, 3))


def make_cnn(T, seed):
    T.manual_seed(seed)
    nn = T.nn
    return nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(4, 4, 3), nn.Tanh(), nn.Flatten(), nn.Linear(4, 3))


def global_batch(T, image=False):
    g = T.Generator().manual_seed(123)
    shape = (2, 6, 6) if image else (5,)
    x = T.randn(STEPS + 2, BATCH, *shape, generator=g)
    y = T.randn(STEPS + 2, BATCH, 3, generator=g)
    return x, y


def train(T, model, rank, world, no_sync=None, image=False):
    """Losses of STEPS plain steps then one step accumulated over two micro-batches (the
    first inside ``no_sync`` when given); rank r uses the r-th contiguous slice of the batch."""
    opt = T.optim.SGD(model.parameters(), lr=LR)
    x, y = global_batch(T, image)
    n = BATCH // world
    part = slice(rank * n, (rank + 1) * n)
    losses = []
    for s in range(STEPS):
        opt.zero_grad()
        loss = T.nn.functional.mse_loss(model(x[s, part]), y[s, part])
        loss.backward()
        opt.step()
        losses.append(loss.item())
    opt.zero_grad()
    ctx = no_sync() if no_sync else _null()
    with ctx:
        T.nn.functional.mse_loss(model(x[STEPS, part]), y[STEPS, part]).backward()
    loss = T.nn.functional.mse_loss(model(x[STEPS + 1, part]), y[STEPS + 1, part])
    loss.backward()
    opt.step()
    losses.append(loss.item())
    return losses


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
