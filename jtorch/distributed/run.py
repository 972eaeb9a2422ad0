"""``python -m jtorch.distributed.run --nproc_per_node N [--nnodes M --node_rank R
--master_addr A --master_port P] script.py args``: torchrun for jtorch.

Starts N workers on this node with torchrun's environment (RANK, LOCAL_RANK, WORLD_SIZE,
LOCAL_WORLD_SIZE, GROUP_RANK, MASTER_ADDR, MASTER_PORT), each joining JAX's distributed runtime
before running the script with ``import torch`` aliased to jtorch. The first worker to fail
ends the others; the launcher exits with its code (its traceback is on stderr)."""
import argparse
import os
import signal
import socket
import subprocess
import sys
import time

_WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_worker.py")


def _parser():
    p = argparse.ArgumentParser(prog="python -m jtorch.distributed.run")
    p.add_argument("--nproc_per_node", "--nproc-per-node", type=int, default=1)
    p.add_argument("--nnodes", type=int, default=1)
    p.add_argument("--node_rank", "--node-rank", type=int, default=0)
    p.add_argument("--master_addr", "--master-addr", default="127.0.0.1")
    p.add_argument("--master_port", "--master-port", type=int, default=None)
    p.add_argument("--standalone", action="store_true", help="one node on a free local port")
    p.add_argument("--grace", type=float, default=3.0,
                   help="seconds a worker has to exit after SIGTERM before SIGKILL")
    p.add_argument("script")
    p.add_argument("script_args", nargs=argparse.REMAINDER)
    return p


def free_port(host="127.0.0.1"):
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _worker_env(args, local_rank, port):
    env = dict(os.environ)
    n = args.nproc_per_node
    env.update(RANK=str(args.node_rank * n + local_rank), LOCAL_RANK=str(local_rank),
               WORLD_SIZE=str(args.nnodes * n), LOCAL_WORLD_SIZE=str(n),
               GROUP_RANK=str(args.node_rank), ROLE_RANK=str(args.node_rank * n + local_rank),
               MASTER_ADDR=args.master_addr, MASTER_PORT=str(port),
               TORCHELASTIC_RUN_ID=env.get("TORCHELASTIC_RUN_ID", "none"))
    return env


def _stop(procs, grace):
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    for p in procs:
        try:
            p.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def _watch(procs):
    """Wait until all succeed (0) or one fails (its code)."""
    while True:
        codes = [p.poll() for p in procs]
        failed = [(i, c) for i, c in enumerate(codes) if c not in (None, 0)]
        if failed:
            return failed[0]
        if all(c == 0 for c in codes):
            return None, 0
        time.sleep(0.05)


def _interrupted(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    args = _parser().parse_args(argv)
    if args.nproc_per_node < 1:
        raise SystemExit("--nproc_per_node must be at least 1")
    # a launcher stopped by SIGTERM stops its workers first (as on Ctrl-C)
    signal.signal(signal.SIGTERM, _interrupted)
    port = args.master_port or (free_port(args.master_addr) if args.nnodes == 1 else 29500)
    procs = [subprocess.Popen([sys.executable, _WORKER, args.script, *args.script_args],
                              env=_worker_env(args, i, port))
             for i in range(args.nproc_per_node)]
    try:
        local_rank, code = _watch(procs)
    except KeyboardInterrupt:
        _stop(procs, args.grace)
        return 130
    if code != 0:
        _stop(procs, args.grace)
        rank = args.node_rank * args.nproc_per_node + local_rank
        print(f"jtorch.distributed.run: worker rank {rank} (local rank {local_rank}) failed "
              f"with exit code {code}; the other workers were stopped", file=sys.stderr)
        return code if code > 0 else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
