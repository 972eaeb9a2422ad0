"""Real torch's reference for p2p_part.py: run by test_multiprocess.py under
``python -m torch.distributed.run --nproc_per_node 2`` (gloo); prints ``RESULT <json>`` per rank."""
import json
import os
import sys

import torch
import torch.distributed as dist

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import p2p_part  # noqa: E402

dist.init_process_group("gloo")
line = "RESULT " + json.dumps(p2p_part.run(torch, dist, "--ours" in sys.argv)) + "\n"
os.write(1, line.encode())      # one write: the two ranks' lines share the launcher's stdout
