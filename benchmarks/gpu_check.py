"""The accelerator check of issue 21, in one command (a machine with an NVIDIA GPU, JAX with
CUDA and torch with CUDA; it installs nothing):

    python benchmarks/gpu_check.py                 # the GPU run (< 8 minutes), report printed
                                                   # and written to benchmarks/results/
    python benchmarks/gpu_check.py --cpu           # dry run anywhere: tiny sizes, a few steps

Parts, each in its own subprocess (JAX and torch never share a process's GPU memory; a part
that runs over its time budget is cut and reports what it finished):
1. env: the devices each library sees.
2. examples: the compat suite's seed examples and examples/ under jtorch and under torch,
   with ``set_default_device(<device>)`` first: how many print the same (device suffixes
   aside, numbers as the compat harness compares them) and the largest numeric differences.
3. bench: a training step (forward, cross entropy, backward, optimizer step) of an MLP
   (784-4096-4096-10, batch 1024), a CIFAR-size CNN (batch 256) and a Transformer encoder
   (batch 64, seq 256, d 512), float32 and bf16 autocast; jtorch eager / jtorch.compile
   against torch eager / torch.compile; ms per step and the issue's target ratios.
4. matmul: the achieved TFLOP/s of the largest bf16 matmul against the chip's peak.
"""
import argparse
import concurrent.futures
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEAK_TFLOPS = 790.0     # H100/H200 SXM dense bf16, the figure
TARGETS = "compiled jtorch <= 1.0x torch eager and <= 1.2x torch.compile; " \
          "jtorch eager <= 2x torch eager; bf16 matmul >= 70% of peak"

# ------------------------------------------------------------------ the benchmark models
SIZES = {   # (gpu, cpu dry run)
    "mlp": (dict(batch=1024, widths=(784, 4096, 4096, 10)),
            dict(batch=8, widths=(16, 32, 32, 10))),
    "cnn": (dict(batch=256, chans=(3, 64, 128, 256), hw=32),
            dict(batch=4, chans=(3, 4, 8, 8), hw=8)),
    "transformer": (dict(batch=64, seq=256, d=512, heads=8, ff=2048, layers=4),
                    dict(batch=2, seq=8, d=16, heads=2, ff=32, layers=1)),
}


def build(lib, name, s):
    nn = lib.nn
    lib.manual_seed(0)
    if name == "mlp":
        w = s["widths"]
        model = nn.Sequential(nn.Linear(w[0], w[1]), nn.ReLU(), nn.Linear(w[1], w[2]),
                              nn.ReLU(), nn.Linear(w[2], w[3]))
        x = lib.randn(s["batch"], w[0])
    elif name == "cnn":
        c = s["chans"]
        model = nn.Sequential(
            nn.Conv2d(c[0], c[1], 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(c[1], c[2], 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(c[2], c[3], 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
            nn.Flatten(), nn.Linear(c[3], 10))
        x = lib.randn(s["batch"], c[0], s["hw"], s["hw"])
    else:
        layer = nn.TransformerEncoderLayer(s["d"], s["heads"], s["ff"], dropout=0.0,
                                           batch_first=True)
        model = nn.Sequential(nn.TransformerEncoder(layer, s["layers"],
                                                    enable_nested_tensor=False),
                              nn.Flatten(1), nn.Linear(s["seq"] * s["d"], 10))
        x = lib.randn(s["batch"], s["seq"], s["d"])
    y = lib.randint(0, 10, (s["batch"],))
    return model, x, y


def make_step(lib, model, device, amp):
    opt = lib.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    dev_type = "cuda" if str(device).startswith("cuda") else "cpu"

    def step(x, y):
        opt.zero_grad()
        with lib.autocast(dev_type, dtype=lib.bfloat16, enabled=amp):
            loss = lib.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss
    return step


def sync(lib, device):
    if str(device).startswith("cuda"):
        lib.cuda.synchronize()


def time_steps(lib, step, x, y, device, warmup, steps):
    for _ in range(warmup):
        loss = step(x, y)
    float(loss.item())
    sync(lib, device)
    t0 = time.perf_counter()
    for _ in range(steps):
        loss = step(x, y)
    float(loss.item())
    sync(lib, device)
    return (time.perf_counter() - t0) / steps * 1000.0


def part_bench(args, engine, compiled):
    lib = _import(engine)
    device = args.device
    steps, warmup = (3, 2) if args.cpu else (20, 3)
    for name in args.models.split(","):
        s = SIZES[name][1 if args.cpu else 0]
        for amp in (False, True):
            key = f"{name}/{'bf16' if amp else 'fp32'}"
            try:
                model, x, y = build(lib, name, s)
                model, x, y = model.to(device), x.to(device), y.to(device)
                step = make_step(lib, model, device, amp)
                if compiled:      # (dry run: torch without inductor's C++ build)
                    step = lib.compile(step, backend="aot_eager") if args.cpu and \
                        engine == "torch" else lib.compile(step)
                ms = time_steps(lib, step, x, y, device, warmup, steps)
                _emit({key: round(ms, 3)})
            except Exception as e:  # noqa: BLE001  (reported, the other cases still run)
                import traceback
                traceback.print_exc()
                _emit({key: f"error: {type(e).__name__}: {str(e)[:160]}"})


def part_matmul(args, engine):
    lib = _import(engine)
    n = 256 if args.cpu else 16384
    a = lib.randn(n, n, dtype=lib.bfloat16).to(args.device)
    b = lib.randn(n, n, dtype=lib.bfloat16).to(args.device)
    reps = 2 if args.cpu else 20
    for _ in range(2):
        c = lib.mm(a, b)
    float(c[0, 0].item())
    sync(lib, args.device)
    t0 = time.perf_counter()
    for _ in range(reps):
        c = lib.mm(a, b)
    float(c[0, 0].item())
    sync(lib, args.device)
    dt = (time.perf_counter() - t0) / reps
    _emit({"n": n, "tflops": round(2 * n ** 3 / dt / 1e12, 2)})


def part_env(args, engine):
    lib = _import(engine)
    info = {"cuda_available": bool(lib.cuda.is_available()),
            "device_count": int(lib.cuda.device_count())}
    if info["cuda_available"]:
        info["name"] = lib.cuda.get_device_name(0)
        info["ones_device"] = str(lib.ones(1, device="cuda").device)
    if engine == "jtorch":
        import jax
        info["jax_devices"] = [str(d) for d in jax.devices()]
        info["jax_default_device"] = str(jax.config.jax_default_device)
    _emit(info)


def _import(engine):
    if engine == "torch":
        import torch
        if torch.get_num_threads() > 4:     # (many parts share the machine)
            torch.set_num_threads(4)
        return torch
    sys.path.insert(0, ROOT)
    import jtorch
    return jtorch


def _emit(obj):
    print("@@ " + json.dumps(obj), flush=True)


# ------------------------------------------------------------------ running the parts
def _env():
    env = dict(os.environ, XLA_PYTHON_CLIENT_PREALLOCATE="false", PYTHONHASHSEED="0",
               PYTHONWARNINGS="ignore", MPLBACKEND="Agg")
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_part(args, part, engine, budget, extra=()):
    """One part in a subprocess (or this process: ``--in-process``, the dry run's test): its
    emitted records, and 'timeout'/'error' notes."""
    flags = ["--part", part, "--engine", engine, "--device", args.device, "--models",
             args.models, *(["--cpu"] if args.cpu else []), *extra]
    if args.in_process:
        import contextlib
        import io
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            main(flags)
        out, note = buf.getvalue(), ""
    else:
        out, note = _subprocess(flags, budget, args.log)
    recs = {}
    for line in out.splitlines():
        if line.startswith("@@ "):
            recs.update(json.loads(line[3:]))
    return recs, note


def _text(s):
    return s.decode(errors="replace") if isinstance(s, bytes) else (s or "")


def _subprocess(flags, budget, log=None):
    cmd = [sys.executable, os.path.abspath(__file__), *flags]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=budget,
                             env=_env(), cwd=ROOT)
        out, err = res.stdout, res.stderr
        note = "" if res.returncode == 0 else f"exit {res.returncode}: {err.strip()[-300:]}"
    except subprocess.TimeoutExpired as e:
        out, err = _text(e.stdout), _text(e.stderr)
        note = f"timeout after {budget} s"
    _log(log, f"part {' '.join(flags)}", out + err)
    return out, note


def _log(log, title, text):
    """Append a part's whole output (tracebacks included) to the ``--log`` file."""
    if log:
        with open(log, "a") as f:
            f.write(f"\n===== {title}\n{text}")


_PRELUDE = ("import runpy, sys, types; {alias}import torch; n = 'torchvision._meta_registrations'; "
            "sys.modules.setdefault(n, types.ModuleType(n)); "
            "torch.set_default_device({device!r}); sys.argv = sys.argv[1:]; "
            "runpy.run_path(sys.argv[0], run_name='__main__')")
_DEVICE_SUFFIX = re.compile(r",?\s*device='cuda:\d+'|\bcuda:\d+\b")
_EXAMPLE_ARGS = {"sine_regression.py": ["--epochs", "3"], "cnn_classifier.py": ["--epochs", "1"],
                 "compiled_training.py": ["--steps", "25"],
                 "cifar10_tutorial.py": ["--epochs", "1"],
                 "transfer_learning.py": ["--epochs", "1"]}


def _scripts(args):
    seeds = sorted(os.path.join(dp, f) for dp, _, fs in
                   os.walk(os.path.join(ROOT, "compat_tests", "seeds"))
                   for f in fs if f.endswith(".py"))
    examples = sorted(os.path.join(ROOT, "examples", f)
                      for f in os.listdir(os.path.join(ROOT, "examples")) if f.endswith(".py"))
    scripts = seeds + examples
    return scripts[:args.examples] if args.examples is not None else scripts


def _run_script(path, engine, device, deadline):
    alias = "import jtorch; jtorch.install_alias(); " if engine == "jtorch" else ""
    cmd = [sys.executable, "-c", _PRELUDE.format(alias=alias, device=device), path,
           *_EXAMPLE_ARGS.get(os.path.basename(path), [])]
    left = deadline - time.monotonic()
    if left < 5:
        return None, ""
    with tempfile.TemporaryDirectory() as cwd:
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=_env(),
                                 timeout=min(left, 120))
        except subprocess.TimeoutExpired:
            return "!! timeout\n", ""
    out, err = res.stdout, [ln for ln in res.stderr.strip().splitlines() if ln.strip()]
    if res.returncode != 0:
        out += "!! " + (err[-1] if err else f"exit {res.returncode}") + "\n"
    return _DEVICE_SUFFIX.sub("", out), "\n".join(err[-15:])


def _max_diff(a, b):
    from compat_tests import harness
    worst = 0.0
    for la, lb in zip(a.splitlines(), b.splitlines()):
        ta, tb = harness._tokens(la), harness._tokens(lb)
        if len(ta) != len(tb):
            continue
        for (ka, va), (kb, vb) in zip(ta, tb):
            if ka == kb == "num":
                try:
                    d = abs(float(va) - float(vb))
                except ValueError:
                    continue
                if d == d:
                    worst = max(worst, d)
    return worst


def part_examples(args, budget):
    sys.path.insert(0, ROOT)
    from compat_tests import harness
    scripts = _scripts(args)
    deadline = time.monotonic() + budget
    jobs = [(p, e) for p in scripts for e in ("torch", "jtorch")]
    with concurrent.futures.ThreadPoolExecutor(args.workers) as pool:
        outs = dict(zip(jobs, pool.map(lambda j: _run_script(j[0], j[1], args.device, deadline),
                                       jobs)))
    same, differ, unrun, diffs = 0, [], 0, []
    for p in scripts:
        (t, t_err), (j, j_err) = outs[(p, "torch")], outs[(p, "jtorch")]
        name = os.path.relpath(p, ROOT)
        if t is None or j is None:
            unrun += 1
            continue
        if harness.compare(j, t).ok:
            same += 1
        else:
            differ.append(name)
            _log(args.log, f"{name} under torch", t + t_err)
            _log(args.log, f"{name} under jtorch", j + j_err)
        diffs.append((_max_diff(j, t), name))
    diffs.sort(reverse=True)
    return {"scripts": len(scripts), "same": same, "differ": differ, "not_run": unrun,
            "largest_diffs": [f"{n}: {d:.3g}" for d, n in diffs[:5]]}


def _ratio(a, b):
    return f"{a / b:.2f}x" if isinstance(a, float) and isinstance(b, float) and b else "-"


def report(args):
    t_start = time.monotonic()
    lines = [f"# jtorch accelerator check, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC"
             f" ({'cpu dry run' if args.cpu else 'gpu'}, device {args.device})"]

    def say(s=""):
        lines.append(s)
        print(s, flush=True)
    print(lines[0], flush=True)
    for engine in ("torch", "jtorch"):
        recs, note = run_part(args, "env", engine, 60)
        say(f"env {engine}: {json.dumps(recs)} {note}")
    ex = part_examples(args, args.examples_budget)
    say(f"\nexamples: {ex['same']}/{ex['scripts']} print the same as torch "
        f"(not run in the budget: {ex['not_run']})")
    say(f"  differ: {', '.join(ex['differ'][:30]) or '-'}")
    say(f"  largest numeric differences: {'; '.join(ex['largest_diffs']) or '-'}")
    b = args.bench_budget
    runs = {}
    for engine, compiled, share in (("torch", False, 0.15), ("torch", True, 0.4),
                                    ("jtorch", False, 0.25), ("jtorch", True, 0.2)):
        label = f"{engine} {'compiled' if compiled else 'eager'}"
        recs, note = run_part(args, "bench", engine, max(30, int(b * share)),
                              ["--compiled"] if compiled else [])
        runs[label] = recs
        if note:
            say(f"  ({label}: {note})")
    say("\nms per training step   " + "  ".join(f"{k:>15}" for k in runs) +
        "   jc/te  jc/tc  je/te")
    for key in (f"{m}/{d}" for m in args.models.split(",") for d in ("fp32", "bf16")):
        v = [runs[k].get(key, "-") for k in runs]
        cells = "  ".join(f"{x:>15.2f}" if isinstance(x, float) else f"{str(x)[:15]:>15}"
                          for x in v)
        te, tc, je, jc = v
        say(f"{key:<22} {cells}   {_ratio(jc, te):>5}  {_ratio(jc, tc):>5}  {_ratio(je, te):>5}")
    errors = {f"{k} {c}": v for k, r in runs.items() for c, v in r.items()
              if isinstance(v, str)}
    for k, v in errors.items():
        say(f"  {k}: {v}")
    for engine in ("torch", "jtorch"):
        recs, note = run_part(args, "matmul", engine, 60)
        tf = recs.get("tflops")
        say(f"\nbf16 matmul {engine}: n={recs.get('n')} {tf} TFLOP/s = "
            f"{(tf or 0) / PEAK_TFLOPS:.0%} of {PEAK_TFLOPS:.0f} {note}".rstrip())
    say(f"\ntargets: {TARGETS}")
    say(f"total {time.monotonic() - t_start:.0f} s")
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as f:
            f.write("\n".join(lines) + "\n")
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cpu", "--dry-run", action="store_true", dest="cpu",
                   help="tiny sizes, a few steps, device cpu")
    p.add_argument("--device", default=None)
    p.add_argument("--part", choices=("env", "bench", "matmul"))
    p.add_argument("--engine", choices=("torch", "jtorch"), default="jtorch")
    p.add_argument("--compiled", action="store_true")
    p.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 2) - 2))
    p.add_argument("--examples-budget", type=int, default=130)
    p.add_argument("--bench-budget", type=int, default=260)
    p.add_argument("--out", default=None)
    p.add_argument("--log", default=None, help="append each part's whole output here")
    p.add_argument("--models", default=",".join(SIZES))
    p.add_argument("--examples", type=int, default=None, help="run only the first N scripts")
    p.add_argument("--in-process", action="store_true",
                   help="run the env/bench/matmul parts in this process (the dry run's test)")
    args = p.parse_args(argv)
    if args.device is None:
        args.device = "cpu" if args.cpu else "cuda"
    if args.cpu and args.examples is None and args.part is None:
        args.examples = 4
    if args.part == "env":
        return part_env(args, args.engine)
    if args.part == "bench":
        return part_bench(args, args.engine, args.compiled)
    if args.part == "matmul":
        return part_matmul(args, args.engine)
    if args.out is None and not args.cpu:
        args.out = os.path.join(ROOT, "benchmarks", "results",
                                f"gpu_check_{datetime.date.today():%Y%m%d}.txt")
    return report(args)


if __name__ == "__main__":
    sys.exit(main())
