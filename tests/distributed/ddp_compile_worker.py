"""Run by test_ddp_compile.py under the launcher (2 workers): DDP training steps run eagerly
and through torch.compile, whose program holds DDP's bucket all-reduce (one SPMD program
over the ranks: jtorch.compiler._ranks). Prints ``RESULT <rank> <json>`` with both runs'
losses and weights for each case, what the compiled programs hold, and the error a step
compiled for different shapes on the two ranks raises."""
import json
import sys
import warnings

import torch
import torch.distributed as dist


def mlp():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))


def bn_net():
    """Buffers: DDP broadcasts rank 0's running stats in every training forward. (No bias
    before the BatchNorm: its gradient is rounding noise, which Adam scales to lr-size steps.)"""
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(4, 8, bias=False), torch.nn.BatchNorm1d(8),
                               torch.nn.ReLU(), torch.nn.Linear(8, 1))


def plain_step(net, opt):
    def step(x, y):
        opt.zero_grad()
        loss = ((net(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
        return loss
    return step


def accumulating_step(net, opt):
    """Two micro-batches: the first under no_sync (no collective), the second synced."""
    def step(x, y):
        opt.zero_grad()
        with net.no_sync():
            ((net(x[:3]) - y[:3]) ** 2).mean().backward()
        loss = ((net(x[3:]) - y[3:]) ** 2).mean()
        loss.backward()
        opt.step()
        return loss
    return step


def programs(run):
    plans = [p for p in run.cache.values() if p is not None]
    return {"n": len(plans), "ranked": [hasattr(p, "ranks") for p in plans],
            "psum": ["psum" in str(p.jaxpr) for p in plans]}


def train(make, make_step, compiled, rank, opt_name="sgd"):
    model = make()
    net = torch.nn.parallel.DistributedDataParallel(model)
    opt = (torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9) if opt_name == "sgd"
           else torch.optim.Adam(model.parameters(), lr=0.01))
    step = make_step(net, opt)
    run = torch.compile(step) if compiled else step
    g = torch.Generator().manual_seed(rank)
    losses = []
    for _ in range(4):
        x, y = torch.randn(6, 4, generator=g), torch.randn(6, 1, generator=g)
        losses.append(float(run(x, y)))
    # (the running stats are each rank's own after its forward: DDP broadcast them before)
    buffers = [t.flatten().tolist() for t in model.buffers() if t.is_floating_point()]
    return {"losses": losses, "params": [p.flatten().tolist() for p in model.parameters()],
            "buffers": buffers, "programs": programs(run) if compiled else None}


def compiled_module(rank):
    """torch.compile(ddp_model), backward and step outside: the forward broadcasts the
    BatchNorm buffers (a collective in a module forward: a graph break, run eagerly), the
    backward's all-reduce runs eagerly. Losses for eager and compiled, and the warnings."""
    out = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for compiled in (False, True):
            model = bn_net()
            net = torch.nn.parallel.DistributedDataParallel(model)
            run = torch.compile(net) if compiled else net
            opt = torch.optim.SGD(model.parameters(), lr=0.1)
            g = torch.Generator().manual_seed(rank)
            losses = []
            for _ in range(3):
                x, y = torch.randn(6, 4, generator=g), torch.randn(6, 1, generator=g)
                opt.zero_grad()
                loss = ((run(x) - y) ** 2).mean()
                loss.backward()
                opt.step()
                losses.append(float(loss))
            out.append(losses)
    return out + [[str(w.message) for w in caught if "graph break" in str(w.message)]]


def collectives(rank):
    """torch.distributed's collectives called in a compiled function: XLA collectives in
    its program. Eager and compiled results."""
    def f(t):
        out = []
        for op in ("SUM", "AVG", "MAX", "MIN", "PRODUCT"):
            a = t.clone()
            dist.all_reduce(a, op=getattr(dist.ReduceOp, op))
            out.append(a)
        b = t.clone()
        dist.broadcast(b, src=1)
        gathered = [torch.zeros(3) for _ in range(dist.get_world_size())]
        dist.all_gather(gathered, t * 2)
        return out + [b] + gathered
    t = torch.arange(3.0) + 10 * rank + 1
    run = torch.compile(f)
    return [[x.tolist() for x in f(t)], [x.tolist() for x in run(t)],
            [hasattr(p, "ranks") for p in run.cache.values()]]


def mismatched(rank):
    """A compiled DDP step given 6 rows on rank 0 and 5 on rank 1."""
    model = mlp()
    net = torch.nn.parallel.DistributedDataParallel(model)
    run = torch.compile(plain_step(net, torch.optim.SGD(model.parameters(), lr=0.1)))
    try:
        run(torch.randn(6 - rank, 4), torch.randn(6 - rank, 1))
    except RuntimeError as e:
        return [type(e).__name__, str(e)]
    return None


def rank_dependent(rank):
    """A compiled DDP step whose Python branches on the rank: the ranks' programs differ."""
    model = mlp()
    net = torch.nn.parallel.DistributedDataParallel(model)

    def step(x):
        y = net(x * 2 if rank == 1 else x).sum()
        y.backward()
        return y
    try:
        torch.compile(step)(torch.ones(2, 4))
    except RuntimeError as e:
        return [type(e).__name__, str(e)]
    return None


dist.init_process_group("gloo")
r = dist.get_rank()
out = {}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for name, make, make_step, opt in (("mlp", mlp, plain_step, "sgd"),
                                       ("bn_adam", bn_net, plain_step, "adam"),
                                       ("no_sync", mlp, accumulating_step, "sgd")):
        out[name] = {"eager": train(make, make_step, False, r, opt),
                     "compiled": train(make, make_step, True, r, opt)}
    out["graph_break"] = [str(w.message) for w in caught if "graph break" in str(w.message)]
out["module"] = compiled_module(r)
out["collectives"] = collectives(r)
out["mismatch"] = mismatched(r)
out["rank_dependent"] = rank_dependent(r)
# one write with its newline: print() writes the newline apart, and the other rank's
# line could land between them on the shared pipe
sys.stdout.write(f"RESULT {r} {json.dumps(out)}\n")
sys.stdout.flush()
