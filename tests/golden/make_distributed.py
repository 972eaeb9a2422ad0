"""Record real torch's answers for tests/distributed: tests/distributed/worker.py run by
torchrun on 2 CPU ranks with the gloo backend (every collective, then the DDP training runs of
the MLP and the small CNN).

    .venv/bin/python tests/golden/make_distributed.py   # writes distributed_gloo.json
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER = os.path.join(HERE, "..", "distributed", "worker.py")


def main():
    out = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone",
                          "--nproc_per_node", "2", WORKER],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    line = next(l for l in out.splitlines() if l.startswith("RESULT "))
    import torch
    record = {"torch": torch.__version__, "world": 2, "ranks": json.loads(line[len("RESULT "):])}
    with open(os.path.join(HERE, "distributed_gloo.json"), "w") as f:
        json.dump(record, f, indent=1)


if __name__ == "__main__":
    main()
