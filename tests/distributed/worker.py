"""Run by test_multiprocess.py under a launcher (jtorch's, or real torchrun for the reference):
every collective on rank-dependent inputs, then DDP training runs (an MLP, a small CNN); rank 0
prints one line ``RESULT <json>`` holding every rank's results."""
import json
import os
import sys

import torch
import torch.distributed as dist

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ddp_part  # noqa: E402
import p2p_part  # noqa: E402


def collectives(r, w):
    out = {"rank": r, "world": w, "backend": str(dist.get_backend()), "init": dist.is_initialized()}
    base = torch.arange(4, dtype=torch.float32) + 10 * r
    for op in ("SUM", "PRODUCT", "MIN", "MAX"):
        t = base.clone()
        dist.all_reduce(t, op=getattr(dist.ReduceOp, op))
        out["all_reduce_" + op] = t.tolist()
    t = torch.tensor([r + 1, 7], dtype=torch.int64)
    work = dist.all_reduce(t, async_op=True)
    out["async"] = [work.wait(), t.tolist(), str(t.dtype)]
    t = base.clone()
    dist.broadcast(t, src=1)
    out["broadcast"] = t.tolist()
    lst = [torch.zeros(4) for _ in range(w)]
    dist.all_gather(lst, base)
    out["all_gather"] = [x.tolist() for x in lst]
    o = torch.zeros(w * 4)
    dist.all_gather_into_tensor(o, base)
    out["all_gather_into_tensor"] = o.tolist()
    o = torch.zeros(4 // w)
    dist.reduce_scatter_tensor(o, base)
    out["reduce_scatter_tensor"] = o.tolist()
    o = torch.zeros(4)
    dist.all_to_all_single(o, base)
    out["all_to_all_single"] = o.tolist()
    t = base.clone()
    dist.reduce(t, dst=0)
    out["reduce"] = t.tolist()
    gl = [torch.zeros(4) for _ in range(w)] if r == 0 else None
    dist.gather(base, gl, dst=0)
    out["gather"] = [x.tolist() for x in gl] if gl else None
    t = torch.zeros(2)
    dist.scatter(t, [torch.full((2,), float(i + 5)) for i in range(w)] if r == 0 else None, src=0)
    out["scatter"] = t.tolist()
    objs = [None] * w
    dist.all_gather_object(objs, {"r": r, "s": "x" * (r + 1)})
    out["all_gather_object"] = objs
    objs = [{"k": 1}, "two"] if r == 0 else [None, None]
    dist.broadcast_object_list(objs, src=0)
    out["broadcast_object_list"] = objs
    dist.barrier()
    return out


def ddp(r, w, make=ddp_part.make_model, image=False):
    model = make(torch, seed=r)        # differs per rank: DDP broadcasts rank 0's
    net = torch.nn.parallel.DistributedDataParallel(model)
    losses = ddp_part.train(torch, net, r, w, net.no_sync, image=image)
    keys = sorted(net.state_dict())
    return {"losses": losses, "keys": keys,
            "params": {k: v.flatten().tolist() for k, v in model.state_dict().items()}}


def mismatch(r):
    """Tensors of different shapes on the ranks: a clear error on every rank, and the group
    still works afterwards."""
    try:
        dist.all_reduce(torch.ones(3 + r))
        message = None
    except RuntimeError as e:
        message = str(e)
    t = torch.ones(2)
    dist.all_reduce(t)
    return [message, t.tolist()]


def loaded_tensor_is_local():
    """Whether a tensor from torch.load lives on this rank's own device (no collective: a
    rank failing alone would leave the other waiting)."""
    import io
    import jax
    buf = io.BytesIO()
    torch.save({"t": torch.ones(2)}, buf)
    buf.seek(0)
    devices = torch.load(buf)["t"].to_jax().devices()
    return all(d.process_index == jax.process_index() for d in devices)


def main():
    dist.init_process_group("gloo")
    r, w = dist.get_rank(), dist.get_world_size()
    out = collectives(r, w)
    out["ddp"] = ddp(r, w)
    out["cnn"] = ddp(r, w, ddp_part.make_cnn, image=True)
    if torch.__name__ == "jtorch":      # torch's gloo would fail or hang here
        out["mismatch"] = mismatch(r)
        out["loaded_local"] = loaded_tensor_is_local()
        out["p2p"] = p2p_part.run(torch, dist, ours=True)   # torch's: p2p_worker.py
    results = [None] * w
    dist.all_gather_object(results, out)
    if r == 0:
        print("RESULT " + json.dumps(results), flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
