"""Run by test_multiprocess.py under the launcher: rank 1 fails (raises, or kills itself with
``--kill``) while rank 0 waits in a collective that can never finish."""
import os
import signal
import sys

import torch
import torch.distributed as dist

dist.init_process_group("gloo")
if dist.get_rank() == 1:
    if "--kill" in sys.argv:
        os.kill(os.getpid(), signal.SIGKILL)
    raise ValueError("boom from rank 1")
dist.barrier()
dist.barrier()
print("rank 0 should never get here", flush=True)
