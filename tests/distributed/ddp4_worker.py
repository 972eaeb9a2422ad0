"""Run by test_multiprocess.py under jtorch's launcher with 4 workers: DDP training of the
MLP of ddp_part.py (the CNN runs in worker.py's 2-worker launch, to keep the test short; each
rank starts from different weights: DDP broadcasts rank 0's); rank 0 prints
``RESULT <json>`` holding every rank's losses and final parameters."""
import json
import os
import sys

import torch
import torch.distributed as dist

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ddp_part  # noqa: E402


def run(make, r, w, image):
    model = make(torch, seed=r)
    net = torch.nn.parallel.DistributedDataParallel(model)
    losses = ddp_part.train(torch, net, r, w, net.no_sync, image=image)
    return {"losses": losses,
            "params": {k: v.flatten().tolist() for k, v in model.state_dict().items()}}


def main():
    dist.init_process_group("gloo")
    r, w = dist.get_rank(), dist.get_world_size()
    out = {"rank": r, "mlp": run(ddp_part.make_model, r, w, False)}
    results = [None] * w
    dist.all_gather_object(results, out)
    if r == 0:
        print("RESULT " + json.dumps(results), flush=True)


if __name__ == "__main__":
    main()
