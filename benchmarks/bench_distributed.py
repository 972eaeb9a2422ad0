"""DDP training throughput with 1, 2 and 4 worker processes on this machine.

    .venv/bin/python benchmarks/bench_distributed.py [--procs 1 2 4] [--steps 30] [--no-dp]

Each run launches ``python -m jtorch.distributed.run --nproc_per_node N`` on this file; every
rank trains an MLP (256-512-512-10, SGD) on a local batch of 64 under DistributedDataParallel
and times ``--steps`` steps after warm-up. Reported: global samples/s, scaling efficiency
against one process (samples/s over N x the one-process rate) and the share of step time spent
in DDP's gradient all-reduce (measured around the bucket reductions on rank 0); then the same
step through ``torch.compile`` (one program per call with the all-reduce inside:
``jtorch.compiler._ranks``), its samples/s and its ratio to the eager step. On a machine
with fewer cores than processes the ranks share cores, so efficiency is expected to be low
there: it measures overhead, not the scaling of real multi-device hardware. The all-reduce
timer also counts waiting for slower ranks and any gradient work jtorch deferred until the
bucket reads it, so it is an upper bound on communication time.

Then one process with 4 simulated devices (``XLA_FLAGS=--xla_force_host_platform_device_count=4``,
jtorch's GPU list pointed at them as tests/test_data_parallel.py does): nn.DataParallel of the
same MLP on a global batch of 4 x 64 over the 4 devices, against the same model and batch on
one device; and the whole training step compiled, on one device against one SPMD program
over the 4 devices (``torch.compile(step, options={"mesh": 4})``: batch split, state
replicated, XLA's all-reduce inside). The simulated devices share this machine's cores, so
this measures the overhead of DataParallel (scatter, replica parameter copies, gather) and of
the partitioned program, not a speed-up.

Measured 2026-12-04 on the shared 2-core CPU machine (load average ~17 from other jobs, so
noisy): 1 process 593 samples/s; 2 processes 729 (61%, all-reduce 23%); 4 processes 1734
(73%, all-reduce 84%). Again 19:30 UTC (load ~8, 30 steps): 1 process 6178 samples/s; 2
processes 1613 (13%, all-reduce 48%); 4 processes 2700 (11%, all-reduce 75%); 4 simulated
devices: one device 15681 samples/s, nn.DataParallel over 4 7323 (0.47x). The spread between
the two sessions is the machine's load, not the code. 2026-12-05 10:39 UTC (load ~6, 30
steps, ``--procs 1``): compiled step on one device 32580 samples/s, one SPMD program over the
4 simulated devices 25717 (0.79x; the 4 share 2 cores); DataParallel 0.41x of one eager device.
2026-12-05 17:17 UTC (AMD EPYC 2 cores, load ~1, 30 steps, ``--procs 1 2 4 --no-dp``), with
the DDP step also compiled (one program per call, the all-reduce inside it): 1 process eager
4062 samples/s, compiled 37583 (9.25x: a world of one has no collective); 2 processes eager
4513 (56%, all-reduce 41%), compiled 7394 (1.64x eager); 4 processes eager 4334 (27%,
all-reduce 79%), compiled 8863 (2.05x eager). With more processes than cores, the ranks'
XLA threads and gloo's transfers share 2 cores: the compiled figures measure the removed
Python and dispatch, not a multi-device speed-up.
"""
import argparse
import json
import os
import subprocess
import sys
import time

LOCAL_BATCH = 64


def worker(steps):
    import torch
    import torch.distributed as dist
    from jtorch.nn.parallel import distributed as ddp_module
    dist.init_process_group("gloo")
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(256, 512), torch.nn.ReLU(),
                                torch.nn.Linear(512, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10))
    net = torch.nn.parallel.DistributedDataParallel(model)
    spent = [0.0]
    reduce = ddp_module.DistributedDataParallel._reduce_bucket

    def timed(self, i):
        t = time.perf_counter()
        reduce(self, i)
        spent[0] += time.perf_counter() - t
    ddp_module.DistributedDataParallel._reduce_bucket = timed
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    x = torch.randn(LOCAL_BATCH, 256)
    y = torch.randint(0, 10, (LOCAL_BATCH,))

    def step(x, y):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(x), y).backward()
        opt.step()

    def timed_run(run):
        for _ in range(3):
            run(x, y)
        dist.barrier()
        spent[0] = 0.0
        start = time.perf_counter()
        for _ in range(steps):
            run(x, y)
        loss = torch.nn.functional.cross_entropy(net(x), y).item()  # waits for the last step
        return time.perf_counter() - start, loss
    elapsed, loss = timed_run(step)
    share = spent[0] / elapsed
    # the same step compiled: one program per call, the bucket all-reduces inside it
    compiled_elapsed, _ = timed_run(torch.compile(step))
    if dist.get_rank() == 0:
        world = dist.get_world_size()
        rate = steps * LOCAL_BATCH * world
        print("BENCH " + json.dumps({"procs": world, "samples_per_s": rate / elapsed,
                                     "allreduce_share": share, "loss": loss,
                                     "compiled_samples_per_s": rate / compiled_elapsed}),
              flush=True)
    dist.destroy_process_group()


def dp_worker(steps):
    """One process, 4 simulated devices: samples/s of one device vs nn.DataParallel over 4."""
    import jax
    import jtorch as torch
    sys.modules["jtorch.device"]._gpus = lambda: tuple(jax.devices("cpu"))
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(256, 512), torch.nn.ReLU(),
                                torch.nn.Linear(512, 512), torch.nn.ReLU(),
                                torch.nn.Linear(512, 10)).to("cuda:0")
    x = torch.randn(4 * LOCAL_BATCH, 256, device="cuda:0")
    y = torch.randint(0, 10, (4 * LOCAL_BATCH,), device="cuda:0")
    rates = {}
    for name, net in (("one_device", model), ("data_parallel_4", torch.nn.DataParallel(model))):
        opt = torch.optim.SGD(model.parameters(), lr=0.01)

        def step():
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(x), y).backward()
            opt.step()
        for _ in range(3):
            step()
        model[0].weight.sum().item()
        start = time.perf_counter()
        for _ in range(steps):
            step()
        model[0].weight.sum().item()                    # waits for the last step
        rates[name] = steps * 4 * LOCAL_BATCH / (time.perf_counter() - start)
    rates.update(spmd_rates(torch, steps))
    print("BENCH " + json.dumps(rates), flush=True)


def spmd_rates(torch, steps):
    """The whole training step compiled: one device vs one SPMD program over the 4 devices
    (``options={"mesh": 4}``: the batch split, parameters replicated, XLA's all-reduce)."""
    rates = {}
    x = torch.randn(4 * LOCAL_BATCH, 256)
    y = torch.randint(0, 10, (4 * LOCAL_BATCH,))
    for name, options in (("compiled_one_device", None), ("compiled_spmd_4", {"mesh": 4})):
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(256, 512), torch.nn.ReLU(),
                                    torch.nn.Linear(512, 512), torch.nn.ReLU(),
                                    torch.nn.Linear(512, 10))
        opt = torch.optim.SGD(model.parameters(), lr=0.01)

        def step(x, y):
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            return loss
        compiled = torch.compile(step, options=options)
        for _ in range(3):
            compiled(x, y)
        model[0].weight.sum().item()
        start = time.perf_counter()
        for _ in range(steps):
            compiled(x, y)
        model[0].weight.sum().item()                    # waits for the last step
        rates[name] = steps * 4 * LOCAL_BATCH / (time.perf_counter() - start)
    return rates


def launch_dp(steps):
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=4")
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--dp-worker", "--steps",
                          str(steps)], capture_output=True, text=True, timeout=900, env=env,
                         cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    line = next((l for l in out.stdout.splitlines() if l.startswith("BENCH ")), None)
    if line is None:
        raise SystemExit(f"DataParallel run failed:\n{out.stderr[-2000:]}")
    return json.loads(line[len("BENCH "):])


def launch(n, steps):
    cmd = [sys.executable, "-m", "jtorch.distributed.run", "--nproc_per_node", str(n),
           os.path.abspath(__file__), "--worker", "--steps", str(steps)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=900,
                         cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    line = next((l for l in out.stdout.splitlines() if l.startswith("BENCH ")), None)
    if line is None:
        raise SystemExit(f"{n} processes failed:\n{out.stderr[-2000:]}")
    return json.loads(line[len("BENCH "):])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--procs", type=int, nargs="+", default=[1, 2, 4])
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--worker", action="store_true")
    p.add_argument("--dp-worker", action="store_true")
    p.add_argument("--no-dp", action="store_true", help="skip the simulated-devices run")
    args = p.parse_args()
    if args.worker:
        return worker(args.steps)
    if args.dp_worker:
        return dp_worker(args.steps)
    print(f"cores: {os.cpu_count()}, local batch {LOCAL_BATCH}, {args.steps} steps")
    base = None
    for n in args.procs:
        r = launch(n, args.steps)
        base = base or (r["samples_per_s"] if n == 1 else None)
        eff = f"{r['samples_per_s'] / (n * base):.0%}" if base else "n/a"
        print(f"{n} process(es): {r['samples_per_s']:9.0f} samples/s  efficiency {eff:>5}  "
              f"all-reduce {r['allreduce_share']:.0%} of step time; compiled step "
              f"{r['compiled_samples_per_s']:9.0f} samples/s "
              f"({r['compiled_samples_per_s'] / r['samples_per_s']:.2f}x eager)")
    if not args.no_dp:
        r = launch_dp(args.steps)
        print(f"4 simulated devices in one process: one device {r['one_device']:9.0f} samples/s, "
              f"nn.DataParallel over 4 {r['data_parallel_4']:9.0f} samples/s "
              f"({r['data_parallel_4'] / r['one_device']:.2f}x)")
        print(f"4 simulated devices in one process, compiled step: one device "
              f"{r['compiled_one_device']:9.0f} samples/s, SPMD over 4 (options={{'mesh': 4}}) "
              f"{r['compiled_spmd_4']:9.0f} samples/s "
              f"({r['compiled_spmd_4'] / r['compiled_one_device']:.2f}x)")


if __name__ == "__main__":
    main()
