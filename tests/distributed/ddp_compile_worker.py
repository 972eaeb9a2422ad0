"""Run by test_ddp_compile.py under the launcher (2 workers): the same DDP training step run
eagerly and through torch.compile (whose trace meets DDP's bucket all-reduce, a graph break,
so the step runs eagerly); prints ``RESULT <rank> <json>`` with both runs' losses and weights."""
import json
import sys
import warnings

import torch
import torch.distributed as dist


def make():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))


def train(compiled, rank):
    model = make()
    net = torch.nn.parallel.DistributedDataParallel(model)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)

    def step(x, y):
        opt.zero_grad()
        loss = ((net(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
        return loss

    run = torch.compile(step) if compiled else step
    g = torch.Generator().manual_seed(rank)
    losses = []
    for _ in range(3):
        x, y = torch.randn(6, 4, generator=g), torch.randn(6, 1, generator=g)
        losses.append(float(run(x, y)))
    return [losses, [p.flatten().tolist() for p in model.parameters()]]


dist.init_process_group("gloo")
r = dist.get_rank()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    out = {"eager": train(False, r), "compiled": train(True, r),
           "graph_break": any("graph break" in str(w.message) for w in caught)}
# one write with its newline: print() writes the newline apart, and the other rank's
# line could land between them on the shared pipe
sys.stdout.write(f"RESULT {r} {json.dumps(out)}\n")
sys.stdout.flush()
