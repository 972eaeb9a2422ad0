"""DDP training throughput with 1, 2 and 4 worker processes on this machine.

    .venv/bin/python benchmarks/bench_distributed.py [--procs 1 2 4] [--steps 30]

Each run launches ``python -m jtorch.distributed.run --nproc_per_node N`` on this file; every
rank trains an MLP (256-512-512-10, SGD) on a local batch of 64 under DistributedDataParallel
and times ``--steps`` steps after warm-up. Reported: global samples/s, scaling efficiency
against one process (samples/s over N x the one-process rate) and the share of step time spent
in DDP's gradient all-reduce (measured around the bucket reductions on rank 0). On a machine
with fewer cores than processes the ranks share cores, so efficiency is expected to be low
there: it measures overhead, not the scaling of real multi-device hardware. The all-reduce
timer also counts waiting for slower ranks and any gradient work jtorch deferred until the
bucket reads it, so it is an upper bound on communication time.

Measured 2026-12-04 on the shared 2-core CPU machine (load average ~17 from other jobs, so
noisy): 1 process 593 samples/s; 2 processes 729 (61%, all-reduce 23%); 4 processes 1734
(73%, all-reduce 84%). Not done: 4 simulated devices in one process (no nn.DataParallel yet).
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

    def step():
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(x), y).backward()
        opt.step()
    for _ in range(3):
        step()
    dist.barrier()
    spent[0] = 0.0
    start = time.perf_counter()
    for _ in range(steps):
        step()
    loss = torch.nn.functional.cross_entropy(net(x), y).item()      # waits for the last step
    elapsed = time.perf_counter() - start
    if dist.get_rank() == 0:
        world = dist.get_world_size()
        print("BENCH " + json.dumps({"procs": world, "samples_per_s": steps * LOCAL_BATCH * world / elapsed,
                                     "allreduce_share": spent[0] / elapsed, "loss": loss}), flush=True)
    dist.destroy_process_group()


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
    args = p.parse_args()
    if args.worker:
        return worker(args.steps)
    print(f"cores: {os.cpu_count()}, local batch {LOCAL_BATCH}, {args.steps} steps")
    base = None
    for n in args.procs:
        r = launch(n, args.steps)
        base = base or (r["samples_per_s"] if n == 1 else None)
        eff = f"{r['samples_per_s'] / (n * base):.0%}" if base else "n/a"
        print(f"{n} process(es): {r['samples_per_s']:9.0f} samples/s  efficiency {eff:>5}  "
              f"all-reduce {r['allreduce_share']:.0%} of step time")


if __name__ == "__main__":
    main()
