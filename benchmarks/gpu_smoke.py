"""Issue 21's placement, numerics and torch.cuda checks on a GPU, each printed with its
result (a failure prints its traceback and the next check runs). Run before
``gpu_check.py`` on a lent machine; ``--device cpu`` runs the same code anywhere.

    python benchmarks/gpu_smoke.py [--device cuda]
"""
import argparse
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import jtorch as torch  # noqa: E402

CHECKS = []


def check(fn):
    CHECKS.append(fn)
    return fn


@check
def env(dev):
    import jax
    print("jax", jax.__version__, jax.devices(), "default", jax.config.jax_default_device)
    print("cuda available", torch.cuda.is_available(), "count", torch.cuda.device_count())
    if dev.startswith("cuda"):
        print(torch.cuda.get_device_name(0), torch.cuda.get_device_capability(0))
        print(torch.cuda.get_device_properties(0))


@check
def placement(dev):
    cpu = torch.ones(2)
    x = torch.randn(3, 4, device=dev)
    print(repr(x), x.device, x.is_cuda)
    print("cpu tensor's jax device:", cpu._storage.array.devices())
    print("result device:", (x @ x.T).device, (x + 1).device, x.sum().device)
    try:
        x + torch.ones(3, 4)
        print("mixed devices: no error")
    except RuntimeError as e:
        print("mixed devices:", type(e).__name__, e)
    print("to cpu:", x.cpu().device, "cuda():", cpu.to(dev).device)


@check
def training(dev):
    torch.manual_seed(0)
    m = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2))
    m.to(dev)
    opt = torch.optim.Adam(m.parameters(), lr=0.1)
    x, y = torch.randn(4, 8, device=dev), torch.tensor([0, 1, 0, 1], device=dev)
    for _ in range(3):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(m(x), y)
        loss.backward()
        opt.step()
    print("loss", loss, "grad device", m[0].weight.grad.device)
    print("optimizer state device", opt.state[m[0].weight]["exp_avg"].device)
    m.cpu()
    print("after cpu():", m[0].weight.device, m[0].weight.grad.device)


@check
def precision(dev):
    torch.manual_seed(0)
    a = torch.randn(512, 512, dtype=torch.float64)
    want = a @ a
    for p in ("highest", "high", "medium"):
        torch.set_float32_matmul_precision(p)
        af = a.float().to(dev)
        got = (af @ af).double().cpu()
        print(p, "max abs err vs float64:", float((got - want).abs().max()))
    torch.set_float32_matmul_precision("highest")


@check
def autocast(dev):
    lin = torch.nn.Linear(8, 8).to(dev)
    x = torch.randn(2, 8, device=dev)
    with torch.autocast(dev.split(":")[0], dtype=torch.bfloat16):
        y = lin(x)
        s = torch.softmax(y, -1)
    print("linear", y.dtype, "softmax", s.dtype)


@check
def cuda_api(dev):
    if not dev.startswith("cuda"):
        return
    torch.cuda.reset_peak_memory_stats()
    a = torch.empty(256, 1024, 1024, device=dev)   # 1 GiB
    print("allocated", torch.cuda.memory_allocated(), "max", torch.cuda.max_memory_allocated(),
          "reserved", torch.cuda.memory_reserved(), "mem_get_info", torch.cuda.mem_get_info())
    s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    s.record()
    b = a * 2
    e.record()
    torch.cuda.synchronize()
    print("event ms", s.elapsed_time(e), "stream", torch.cuda.current_stream())
    del a, b
    torch.cuda.manual_seed(0)
    r1 = torch.randn(3, device=dev)
    torch.cuda.manual_seed(0)
    print("cuda rng repeat", torch.equal(r1, torch.randn(3, device=dev)), r1)


@check
def default_device(dev):
    torch.set_default_device(dev)
    try:
        print("ones", torch.ones(2).device, "Linear", torch.nn.Linear(2, 2).weight.device,
              "arange", torch.arange(3).device, "get", torch.get_default_device())
    finally:
        torch.set_default_device("cpu")
    with torch.device(dev):
        print("in context:", torch.zeros(1).device)


@check
def compiled(dev):
    torch.manual_seed(0)
    m = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2)).to(dev)
    opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
    x, y = torch.randn(4, 8, device=dev), torch.tensor([0, 1, 0, 1], device=dev)

    @torch.compile
    def step(x, y):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(m(x), y)
        loss.backward()
        opt.step()
        return loss
    t0 = time.perf_counter()
    print("compiled losses", [round(float(step(x, y)), 5) for _ in range(4)],
          f"{time.perf_counter() - t0:.2f} s", m[0].weight.device)
    scan = torch.compiler.scan_steps(step)
    print("scan losses", scan(x.expand(5, 4, 8), y.expand(5, 4)))


@check
def save_load(dev):
    import io
    buf = io.BytesIO()
    torch.save({"w": torch.arange(4.0, device=dev)}, buf)
    buf.seek(0)
    print("load", torch.load(buf)["w"])
    buf.seek(0)
    print("map_location cpu", torch.load(buf, map_location="cpu")["w"].device)


@check   # (last: the first run hung here, filling 320 GiB on the host)
def out_of_memory(dev):
    if not dev.startswith("cuda"):
        return
    try:
        torch.empty(80 * 2 ** 30, device=dev)       # 320 GiB of float32
        print("no error")
    except torch.OutOfMemoryError as e:
        print("OutOfMemoryError:", str(e)[:200])
    except Exception as e:  # noqa: BLE001
        print("other", type(e).__module__, type(e).__name__, str(e)[:300])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--device", default="cuda")
    dev = p.parse_args().device
    failed = 0
    for fn in CHECKS:
        print(f"--- {fn.__name__}", flush=True)
        try:
            fn(dev)
        except Exception:  # noqa: BLE001  (printed; the next check runs)
            failed += 1
            traceback.print_exc(file=sys.stdout)
        sys.stdout.flush()
    print(f"--- {len(CHECKS) - failed}/{len(CHECKS)} checks ran without an exception")


if __name__ == "__main__":
    main()
