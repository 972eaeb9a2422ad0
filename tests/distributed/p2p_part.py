"""Point-to-point between ranks 0 and 1 (send/recv, any source, isend/irecv, tags,
batch_isend_irecv, errors), shared by worker.py (jtorch's launch) and p2p_worker.py (real
torch's, for the reference). ``torch``/``dist`` are the modules in use."""
import datetime


def run(torch, dist, ours):
    """Every point-to-point check between ranks 0 and 1; ``ours`` adds the size mismatch."""
    rank = dist.get_rank()
    other = 1 - rank
    res = {"rank": rank}

    # send/recv, 0 -> 1, then 1 -> 0 received from any source
    t = torch.arange(4, dtype=torch.float32) * 1.5
    if rank == 0:
        dist.send(t, dst=1)
        buf = torch.zeros(2, 3, dtype=torch.int64)
        res["any_source"] = dist.recv(buf)
        res["from_1"] = buf.tolist()
    else:
        buf = torch.zeros(4)
        res["recv_returns"] = dist.recv(buf, src=0)
        res["from_0"] = buf.tolist()
        dist.send(torch.arange(6, dtype=torch.int64).reshape(2, 3) - 2, dst=0)

    # isend/irecv both ways at once, waited in either order
    mine = torch.tensor([10.0 * rank + 1, 10.0 * rank + 2], dtype=torch.float64)
    got = torch.zeros(2, dtype=torch.float64)
    send_work = dist.isend(mine, dst=other)
    recv_work = dist.irecv(got, src=other)
    recv_work.wait()
    send_work.wait()
    res["exchanged"] = got.tolist()

    # tags: two messages received in the opposite order of sending (isend: gloo's blocking send
    # would wait for the matching recv)
    if rank == 0:
        works = [dist.isend(torch.tensor([1.0]), dst=1, tag=1),
                 dist.isend(torch.tensor([2.0]), dst=1, tag=2)]
        for w in works:
            w.wait()
    else:
        a, b = torch.zeros(1), torch.zeros(1)
        dist.recv(b, src=0, tag=2)
        dist.recv(a, src=0, tag=1)
        res["tags"] = [a.item(), b.item()]

    # batch_isend_irecv: receive listed before send
    ring_in = torch.zeros(3)
    ops = [dist.P2POp(dist.irecv, ring_in, other),
           dist.P2POp(dist.isend, torch.full((3,), rank + 0.5), other)]
    for w in dist.batch_isend_irecv(ops):
        w.wait()
    res["batch"] = ring_in.tolist()

    # sending to oneself is refused
    try:
        dist.send(t, dst=rank)
    except ValueError as e:
        res["self_send"] = str(e)

    if ours:
        if rank == 0:
            dist.send(torch.ones(3), dst=1)
        else:
            try:
                dist.recv(torch.zeros(4), src=0)
            except RuntimeError as e:
                res["mismatch"] = str(e)
    dist.barrier()

    # an irecv nobody answers: wait(timeout) raises. gloo then closes the pair, so rank 0
    # waits for it on a second group (its own connections): were rank 0 gone, the irecv
    # would fail with "Connection closed by peer" instead
    side = dist.new_group([0, 1])
    if rank == 1:
        try:
            dist.irecv(torch.zeros(1), src=0, tag=7).wait(datetime.timedelta(milliseconds=500))
            res["timeout"] = None
        except RuntimeError as e:
            res["timeout"] = [type(e).__name__, "Timed out waiting 500ms for recv" in str(e)]
    dist.barrier(group=side)
    return res
