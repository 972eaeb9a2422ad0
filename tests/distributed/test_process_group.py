"""torch.distributed in one process: the errors before init_process_group, a world of one
rank (every collective is the identity, as torch's gloo with world_size=1), DDP's wrapper."""
import pytest

import jtorch
import jtorch.distributed as dist
from tests.distributed import ddp_part

torch = pytest.importorskip("torch")
NOT_INIT = ("Default process group has not been initialized, please make sure to call "
            "init_process_group.")


@pytest.fixture
def world_of_one(monkeypatch):
    monkeypatch.setenv("MASTER_ADDR", "127.0.0.1")
    monkeypatch.setenv("MASTER_PORT", "29999")
    dist.init_process_group("gloo", world_size=1, rank=0)
    yield
    dist.destroy_process_group()


@pytest.mark.parametrize("call", [dist.get_rank, dist.get_world_size, dist.get_backend,
                                  dist.barrier, lambda: dist.all_reduce(jtorch.ones(2)),
                                  lambda: dist.broadcast(jtorch.ones(2), 0),
                                  lambda: dist.new_group()])
def test_calls_before_init_raise_torchs_error(call):
    assert not dist.is_initialized() and dist.is_available()
    with pytest.raises(ValueError, match="Default process group has not been initialized") as e:
        call()
    assert str(e.value) == NOT_INIT
    with pytest.raises(AssertionError, match="Process group cannot be None"):
        dist.destroy_process_group()


def test_env_rendezvous_names_the_missing_variable(monkeypatch):
    for name in ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValueError, match="environment variable RANK expected, but not set"):
        dist.init_process_group("gloo")
    with pytest.raises(ValueError, match="environment variable MASTER_ADDR expected"):
        dist.init_process_group("gloo", world_size=1, rank=0)
    assert not dist.is_initialized()


def test_multi_rank_init_after_jax_started_is_a_clear_error():
    # jtorch is imported here, so JAX's backends exist: its runtime cannot start any more
    with pytest.raises(RuntimeError, match="python -m jtorch.distributed.run"):
        dist.init_process_group("gloo", init_method="tcp://127.0.0.1:1", world_size=2, rank=0)
    assert not dist.is_initialized()


def test_reduce_op_names_match_torch():
    for name in ("SUM", "AVG", "PRODUCT", "MIN", "MAX", "BAND", "BOR", "BXOR"):
        ours, ref = getattr(dist.ReduceOp, name), getattr(torch.distributed.ReduceOp, name)
        assert (repr(ours), str(ours)) == (repr(ref), str(ref))


def test_world_of_one(world_of_one):
    assert dist.is_initialized() and dist.group.WORLD is not None
    assert (dist.get_rank(), dist.get_world_size(), dist.get_backend()) == (0, 1, "gloo")
    with pytest.raises(ValueError, match="initialize the default process group twice"):
        dist.init_process_group("gloo", world_size=1, rank=0)
    t = jtorch.arange(4.)
    version = t._version
    for op in (dist.ReduceOp.SUM, dist.ReduceOp.MAX, dist.ReduceOp.AVG):
        assert dist.all_reduce(t, op=op) is None
    assert t.tolist() == [0., 1., 2., 3.] and t._version > version    # written in place
    work = dist.broadcast(t, src=0, async_op=True)
    assert work.wait() and work.is_completed()
    out = jtorch.zeros(1, 4)
    dist.all_gather_into_tensor(out, t)
    assert out.tolist() == [[0., 1., 2., 3.]]
    with pytest.raises(ValueError, match="world_size times input tensor size"):
        dist.all_gather_into_tensor(jtorch.zeros(2, 4), t)
    objs = [None]
    dist.all_gather_object(objs, {"a": (1, "b")})
    assert objs == [{"a": (1, "b")}]
    sub = dist.new_group([0])
    assert (dist.get_rank(sub), dist.get_world_size(sub)) == (0, 1)
    dist.barrier(sub)


def test_ddp_wrapper_in_a_world_of_one(world_of_one):
    plain = ddp_part.make_model(jtorch, 0)
    net = jtorch.nn.parallel.DistributedDataParallel(ddp_part.make_model(jtorch, 0))
    assert isinstance(net.module, jtorch.nn.Sequential)
    ref = torch.nn.parallel.DistributedDataParallel.__name__
    assert type(net).__name__ == ref
    assert list(net.state_dict()) == ["module." + k for k in plain.state_dict()]
    ours = ddp_part.train(jtorch, net, 0, 1, net.no_sync)
    assert ours == pytest.approx(ddp_part.train(jtorch, plain, 0, 1), rel=1e-6)


def test_compiled_ddp_step_in_a_world_of_one_is_one_program(world_of_one):
    """The bucket all-reduce of a world of one is the identity inside the program too: no
    graph break, the same losses as the eager step."""
    import warnings
    losses = []
    for compiled in (False, True):
        jtorch.manual_seed(0)
        model = jtorch.nn.Sequential(jtorch.nn.Linear(3, 4), jtorch.nn.Tanh(),
                                     jtorch.nn.Linear(4, 1))
        net = jtorch.nn.parallel.DistributedDataParallel(model)
        opt = jtorch.optim.SGD(model.parameters(), lr=0.1)

        def step(x):
            opt.zero_grad()
            loss = net(x).pow(2).mean()
            loss.backward()
            opt.step()
            return loss
        run = jtorch.compile(step) if compiled else step
        x = jtorch.arange(6.0).reshape(2, 3)
        with warnings.catch_warnings():
            warnings.simplefilter("error")          # a graph break would warn
            losses.append([run(x).item() for _ in range(3)])
        if compiled:
            assert run.compiles >= 1 and all(p is not None for p in run.cache.values())
    assert losses[1] == pytest.approx(losses[0], rel=1e-6)
