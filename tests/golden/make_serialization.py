"""Records what jtorch's serialization tests compare against, from real torch 2.13.

    .venv/bin/python tests/golden/make_serialization.py

Writes
- ``jtorch/serialization/_class_paths.py``: torch's module path of every ``nn.Module`` class
  (``Linear`` -> ``torch.nn.modules.linear``), which jtorch writes into whole-module pickles
  (a Python module rather than package data, so it ships with the code);
- ``tests/golden/serialization/*.pt``: small checkpoints written by torch (state_dicts, an
  optimizer mid-training, views, every dtype, a whole module, the legacy format) and
  ``expected.npz`` / ``expected.json``: their values, dtypes, strides and the losses of
  resumed training, so the tests run without torch.
"""
import inspect
import json
import os
import pathlib

import numpy as np
import torch
import torch.nn as nn

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "golden" / "serialization"
TABLE = ROOT / "jtorch" / "serialization" / "_class_paths.py"

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32",
          "float64", "complex64", "complex128"]


def class_paths():
    out = {}
    mods = [torch.nn] + [getattr(torch.nn.modules, n) for n in dir(torch.nn.modules)
                         if inspect.ismodule(getattr(torch.nn.modules, n))]
    for mod in mods:
        for name in dir(mod):
            obj = getattr(mod, name)
            if inspect.isclass(obj) and issubclass(obj, nn.Module) and \
                    obj.__module__.startswith("torch.nn.modules"):
                out.setdefault(name, obj.__module__)
    lines = ['"""torch 2.13\'s module of each nn.Module class (recorded by',
             'tests/golden/make_serialization.py; do not edit)."""', "",
             "TORCH_MODULE_OF = {"]
    lines += [f"    {k!r}: {v!r}," for k, v in sorted(out.items())]
    lines += ["}", ""]
    TABLE.write_text("\n".join(lines))


# ---------------------------------------------------------------- the models
def mlp():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))


def cnn():
    return nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(4 * 3 * 3, 5))


def bn_net():
    return nn.Sequential(nn.Linear(4, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 2))


def lstm():
    return nn.LSTM(3, 5, num_layers=2)


def transformer():
    return nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1,
                          dim_feedforward=16, dropout=0.0)


MODELS = {"mlp": mlp, "cnn": cnn, "bn_net": bn_net, "lstm": lstm, "transformer": transformer}


def train_data():
    g = torch.Generator().manual_seed(7)
    return torch.randn(16, 4, generator=g), torch.randn(16, 3, generator=g)


def optimizer_checkpoints(expected):
    """An MLP trained 3 steps with Adam and with SGD+momentum, checkpointed, then 3 more
    steps: the losses after resuming are what jtorch must reproduce."""
    x, y = train_data()
    for name, make in (("adam", lambda p: torch.optim.Adam(p, lr=0.01)),
                       ("sgd", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9))):
        torch.manual_seed(0)
        model = mlp()
        opt = make(model.parameters())
        for _ in range(3):
            opt.zero_grad()
            nn.functional.mse_loss(model(x), y).backward()
            opt.step()
        torch.save({"model": model.state_dict(), "optim": opt.state_dict()},
                   OUT / f"optim_{name}.pt")
        losses = []
        for _ in range(3):
            opt.zero_grad()
            loss = nn.functional.mse_loss(model(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        expected[f"optim_{name}_losses"] = losses


def record_tensor(arrays, meta, key, t):
    arrays[key] = (t.detach().view(torch.int16) if t.dtype == torch.bfloat16
                   else t.detach()).numpy()
    meta[key] = {"dtype": str(t.dtype), "shape": list(t.shape), "stride": list(t.stride()),
                 "offset": t.storage_offset(), "requires_grad": t.requires_grad,
                 "type": type(t).__name__}


def main():
    class_paths()
    OUT.mkdir(parents=True, exist_ok=True)
    arrays, meta = {}, {}
    expected = {"tensors": meta}
    for name, make in MODELS.items():
        torch.manual_seed(0)
        sd = make().state_dict()
        torch.save(sd, OUT / f"{name}.pt")
        for k, v in sd.items():
            record_tensor(arrays, meta, f"{name}/{k}", v)
        expected[f"{name}_keys"] = list(sd.keys())
        expected[f"{name}_metadata"] = {k: v for k, v in sd._metadata.items()}
    optimizer_checkpoints(expected)
    arrays["train/x"], arrays["train/y"] = (t.numpy() for t in train_data())

    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    views = {"base": base, "t": base.t(), "row": base[1], "cols": base[:, 2:5],
             "step": base[::2, ::3], "flat": base.view(-1)[5:17], "other": torch.ones(3)}
    torch.save(views, OUT / "views.pt")
    for k, v in views.items():
        record_tensor(arrays, meta, f"views/{k}", v)

    torch.manual_seed(0)
    dts = {}
    for d in DTYPES:
        dt = getattr(torch, d)
        src = torch.randn(2, 3, dtype=torch.float64) * 50
        t = (src > 0) if d == "bool" else (src.abs() if d == "uint8" else src).to(dt)
        dts[d] = t
        dts[d + "_nc"] = t.t()
        dts[d + "_0d"] = t[0, 0].clone()
        dts[d + "_empty"] = torch.zeros(0, 3, dtype=dt)
    dts["param"] = nn.Parameter(torch.tensor([1.0, 2.0]))
    dts["frozen"] = nn.Parameter(torch.tensor([3.0]), requires_grad=False)
    dts["extras"] = (torch.Size([2, 3]), torch.device("cpu"), torch.float16, {1, 2}, 1 + 2j,
                     [1, "a", None, 2.5, True])
    torch.save(dts, OUT / "dtypes.pt")
    for k, v in dts.items():
        if isinstance(v, torch.Tensor):
            record_tensor(arrays, meta, f"dtypes/{k}", v)

    torch.manual_seed(0)
    whole = cnn()
    torch.save(whole, OUT / "whole_cnn.pt")
    expected["whole_cnn_out"] = whole(torch.ones(1, 1, 8, 8)).tolist()

    torch.manual_seed(0)
    legacy = {"a": torch.arange(6.0).reshape(2, 3), "b": torch.tensor([1, 2], dtype=torch.int64)}
    legacy["a_t"] = legacy["a"].t()
    torch.save(legacy, OUT / "legacy.pt", _use_new_zipfile_serialization=False)
    for k, v in legacy.items():
        record_tensor(arrays, meta, f"legacy/{k}", v)

    np.savez_compressed(OUT / "expected.npz", **arrays)
    (OUT / "expected.json").write_text(json.dumps(expected, indent=1, default=str) + "\n")
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"wrote {len(os.listdir(OUT))} files, {total} bytes, and {TABLE}")


if __name__ == "__main__":
    main()
