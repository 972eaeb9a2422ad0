"""Run by test_rank0_fault.py under the launcher with a 2 s process-group timeout: rank 0 (which
hosts JAX's coordination service) dies after one collective (``exit``: os._exit(1); ``raise``:
an exception) while the other ranks wait in an all_reduce it never joins. A survivor ignores
the launcher's SIGTERM for a moment so it can record (in argv[2], one file per rank) what its
blocked collective raised before the launcher's SIGKILL ends it."""
import datetime
import json
import os
import signal
import sys
import time

import torch
import torch.distributed as dist

TIMEOUT = 2.0
mode, out_dir = sys.argv[1], sys.argv[2]
dist.init_process_group("gloo", timeout=datetime.timedelta(seconds=TIMEOUT))
dist.all_reduce(torch.ones(2))
rank = dist.get_rank()
if rank == 0:
    time.sleep(0.5)                       # let the others enter the next collective first
    if mode == "exit":
        os._exit(1)
    raise ValueError("boom from rank 0")
signal.signal(signal.SIGTERM, signal.SIG_IGN)
start = time.monotonic()
try:
    dist.all_reduce(torch.ones(2))
    result = None
except RuntimeError as e:
    result = [type(e).__name__, str(e), time.monotonic() - start]
with open(os.path.join(out_dir, f"rank{rank}.json"), "w") as f:
    json.dump(result, f)
os._exit(3)
