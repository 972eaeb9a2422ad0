"""Run by test_multiprocess.py under the launcher with a 1 s process-group timeout. ``stuck``:
rank 1 stays alive but never joins rank 0's all_reduce; ``dead``: rank 1 exits before it.
Rank 0 must get a RuntimeError (within the timeout), then an immediate one on the next call."""
import datetime
import json
import os
import sys
import time

import torch
import torch.distributed as dist

TIMEOUT = 1.0
dist.init_process_group("gloo", timeout=datetime.timedelta(seconds=TIMEOUT))
dist.barrier()
mode = sys.argv[1]
if dist.get_rank() == 1:
    if mode == "stuck":
        time.sleep(2.5 * TIMEOUT)
    os._exit(0)
result = {}
for attempt in ("first", "again"):
    start = time.monotonic()
    try:
        dist.all_reduce(torch.ones(3))
        result[attempt] = None
    except RuntimeError as e:
        result[attempt] = [type(e).__name__, str(e), time.monotonic() - start]
print("RESULT " + json.dumps(result), flush=True)
