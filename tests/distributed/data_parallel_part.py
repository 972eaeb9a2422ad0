"""Run by tests/test_data_parallel.py in a subprocess: JAX's CPU shows 4 devices
(XLA_FLAGS, set before jax is imported) and jtorch's GPU list is patched to them, so 'cuda:N'
is CPU device N. Prints one JSON line of results for the test to check."""
import copy
import json
import os
import sys
import warnings

os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=4"
import jax  # noqa: E402

import jtorch as torch  # noqa: E402

_devmod = sys.modules["jtorch.device"]
_devmod._gpus = lambda: tuple(jax.devices("cpu"))
nn = torch.nn


class Recorder(nn.Module):
    """An MLP that records which JAX device each replica's input lives on."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 3))
        self.seen = []

    def forward(self, x, scale=1.0):
        self.seen.append((str(x.device), int(x.shape[0]), raw_device(x)))
        return self.net(x) * scale


def cnn():
    return nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 4 * 4, 3))


def raw_device(t):
    from jtorch import _internal
    return [d.id for d in _internal.raw(t).devices()]


def grads(model):
    return {n: p.grad.tolist() for n, p in model.named_parameters()}


def run_pair(make, x, target, steps=1, train=True):
    """(single-device, DataParallel) losses, outputs, gradients and parameters after
    ``steps`` SGD steps from the same start."""
    torch.manual_seed(0)
    ref = make().to("cuda:0")
    dp_model = copy.deepcopy(ref)
    dp = nn.DataParallel(dp_model)
    result = {}
    for name, model in (("ref", ref), ("dp", dp)):
        model.train(train)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        losses = []
        for _ in range(steps):
            opt.zero_grad()
            out = model(x)
            loss = nn.functional.mse_loss(out, target)
            loss.backward()
            losses.append(loss.item())
            last_grads = grads(model.module if name == "dp" else model)
            opt.step()
        params = (model.module if name == "dp" else model).state_dict()
        result[name] = {"losses": losses, "out": out.tolist(), "out_device": str(out.device),
                        "out_raw": raw_device(out), "grads": last_grads,
                        "params": {k: v.tolist() for k, v in params.items()}}
    return result


def main():
    res = {"device_count": torch.cuda.device_count()}
    torch.manual_seed(1)
    x = torch.randn(10, 5, device="cuda:0")
    res["mlp"] = run_pair(lambda: nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 3)),
                          x, torch.randn(10, 3, device="cuda:0"), steps=3)
    img = torch.randn(6, 2, 8, 8, device="cuda:0")
    res["cnn_eval"] = run_pair(cnn, img, torch.randn(6, 3, device="cuda:0"), train=False)

    # where the replicas ran: chunks of ceil(10/4)=3 rows on devices 0..3, kwargs repeated
    rec = Recorder().to("cuda:0")
    out = nn.DataParallel(rec)(x, scale=2.0)
    res["seen"] = [list(s) for s in rec.seen]
    res["kw_out"] = out.tolist()
    res["kw_ref"] = (rec.net(x) * 2.0).tolist()

    # a batch of 2 uses 2 replicas; device_ids and output_device as given
    rec.seen.clear()
    rec.to("cuda:1")
    out = nn.DataParallel(rec, device_ids=[1, 3], output_device=2)(x[:2].to("cuda:1"))
    res["two"] = {"seen": [list(s) for s in rec.seen], "out_device": str(out.device),
                  "out_raw": raw_device(out)}

    # BatchNorm in training mode: statistics per chunk, running stats from chunk 0 only
    torch.manual_seed(2)
    net = cnn().to("cuda:0")
    start = copy.deepcopy(net)
    out = nn.DataParallel(net)(img)
    chunk_outs = []
    for i, chunk in enumerate(img.chunk(4)):
        m = copy.deepcopy(start)
        chunk_outs.append(m(chunk))
        if i == 0:
            first = m
    res["bn"] = {"out": out.tolist(), "ref": torch.cat(chunk_outs).tolist(),
                 "running_mean": net[1].running_mean.tolist(),
                 "ref_running_mean": first[1].running_mean.tolist(),
                 "batches": int(net[1].num_batches_tracked)}

    # containers: a tuple and a dict of outputs are gathered element-wise
    class Multi(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(5, 2)

        def forward(self, inputs):
            y = self.lin(inputs["x"])
            return y, {"sum": y.sum(1), "none": None}

    multi = Multi().to("cuda:0")
    a, b = nn.DataParallel(multi)({"x": x})
    res["multi"] = {"a": a.tolist(), "sum": b["sum"].tolist(), "none": b["none"],
                    "ref": multi.lin(x).tolist()}

    # scalar outputs: torch warns and returns one value per replica
    class Scalar(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(5, 1)

        def forward(self, x):
            return self.lin(x).sum()

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = nn.DataParallel(Scalar().to("cuda:0"))(x)
    res["scalar"] = {"shape": list(s.shape), "warned": [str(w.message) for w in caught]}

    # tied weights: one parameter under two names, its gradient summed over both uses
    torch.manual_seed(3)
    tied = nn.Sequential(nn.Linear(5, 5, bias=False), nn.Tanh(), nn.Linear(5, 5, bias=False))
    tied[2].weight = tied[0].weight
    tied = tied.to("cuda:0")
    ref_tied = copy.deepcopy(tied)
    nn.DataParallel(tied)(x).sum().backward()
    ref_tied(x).sum().backward()
    res["tied"] = [tied[0].weight.grad.tolist(), ref_tied[0].weight.grad.tolist(),
                   tied[2].weight is tied[0].weight]

    # a module not on device_ids[0] is refused as torch does
    try:
        nn.DataParallel(nn.Linear(5, 2).to("cuda:1"))(x)
        res["wrong_device"] = None
    except RuntimeError as e:
        res["wrong_device"] = str(e)
    print("RESULT " + json.dumps(res))


if __name__ == "__main__":
    main()
