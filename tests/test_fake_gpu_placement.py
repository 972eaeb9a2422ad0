"""Placement on a second JAX device (issue 21), with XLA's CPU client split in two: ``cuda:0``
is mapped onto the second CPU device, so tensors really live apart and every rule that
decides where a result goes runs. The first accelerator check on the H200 found the rules
below broken (factories ignoring ``set_default_device``, CUDA draws from the CPU generator,
constant fills made on the host); each is checked here. The checks run in a child process:
the device count is fixed when JAX starts."""
import os
import subprocess
import sys

import pytest


def test_placement_on_a_second_device():
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=2",
               JAX_PLATFORMS="cpu")
    res = subprocess.run([sys.executable, __file__], capture_output=True, text=True, env=env,
                         timeout=240)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    assert res.stdout.strip().endswith("all placement checks passed")


# ------------------------------------------------------------------ the child process
def _on_gpu(t):
    return t.device.type == "cuda" and t._value().devices() == {_GPU}


def _raises(exc, phrase, fn):
    with pytest.raises(exc) as info:
        fn()
    assert phrase in str(info.value), str(info.value)


def check_ops_and_moves(torch):
    x = torch.randn(3, 4, device="cuda")
    assert _on_gpu(x) and repr(x).endswith("device='cuda:0')")
    for y in (x @ x.T, x + 1, x.sum(), x[1:], torch.relu(x)):
        assert _on_gpu(y)
    _raises(RuntimeError, "Expected all tensors to be on the same device, but found at least "
            "two devices, cuda:0 and cpu!", lambda: x + torch.ones(3, 4))
    assert x.cpu().device.type == "cpu" and _on_gpu(torch.ones(2).cuda())
    _raises(TypeError, "can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() "
            "to copy the tensor to host memory first.", lambda: x.numpy())
    assert x.type() == "torch.cuda.FloatTensor"


def check_default_device(torch):
    torch.set_default_device("cuda")
    try:
        made = [torch.zeros(2), torch.ones(2), torch.empty(2, 3), torch.full((2,), 7.0),
                torch.arange(3), torch.linspace(0, 1, 5), torch.eye(2), torch.tensor([1, 2]),
                torch.tensor(torch.ones(2, device="cpu")), torch.as_tensor([1.0]),
                torch.randn(2), torch.rand(2), torch.randint(0, 5, (3,)), torch.randperm(4),
                torch.nn.Linear(2, 2).weight]
        assert all(_on_gpu(t) for t in made), [t.device for t in made]
        assert torch.get_default_device() == torch.device("cuda:0")
        assert torch.from_numpy(__import__("numpy").ones(2)).device.type == "cpu"
    finally:
        torch.set_default_device("cpu")
    assert torch.ones(1).device.type == "cpu"
    with torch.device("cuda"):
        assert _on_gpu(torch.zeros(1))
    with torch.device("meta"):          # no meta tensors: real CPU ones
        assert torch.zeros(1).device.type == "cpu"
    assert torch.zeros(1).device.type == "cpu"


def check_generators(torch):
    torch.manual_seed(0)
    cpu_first = torch.rand(3)
    torch.cuda.manual_seed(0)
    a = torch.randn(3, device="cuda")
    torch.cuda.manual_seed(0)
    assert torch.equal(a, torch.randn(3, device="cuda"))
    draws = []
    for _ in range(2):                  # torch.manual_seed seeds every device's generator
        torch.manual_seed(3)
        draws.append(torch.randn(4, device="cuda"))
    assert torch.equal(*draws)
    torch.manual_seed(0)                # CUDA draws leave the CPU stream alone
    torch.randn(5, device="cuda")
    assert torch.equal(torch.rand(3), cpu_first)
    torch.cuda.manual_seed(1)
    drop = torch.nn.functional.dropout(torch.ones(8, device="cuda"))
    torch.cuda.manual_seed(1)
    assert torch.equal(drop, torch.nn.functional.dropout(torch.ones(8, device="cuda")))
    # torch's error when a CPU generator meets a CUDA draw (read on the H200: a shuffling
    # DataLoader under set_default_device("cuda") raises it)
    phrase = "Expected a 'cuda' device type for generator but found 'cpu'"
    _raises(RuntimeError, phrase,
            lambda: torch.randperm(4, generator=torch.Generator(), device="cuda"))
    torch.set_default_device("cuda")
    try:
        loader = torch.utils.data.DataLoader(list(range(8)), batch_size=4, shuffle=True)
        _raises(RuntimeError, phrase, lambda: next(iter(loader)))
    finally:
        torch.set_default_device("cpu")


def check_training(torch):
    torch.manual_seed(0)
    m = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    m.to("cuda")
    opt = torch.optim.Adam(m.parameters(), lr=0.1)
    x, y = torch.randn(5, 4, device="cuda"), torch.tensor([0, 1, 0, 1, 1], device="cuda")
    losses = []
    for _ in range(3):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(m(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert all(_on_gpu(p) and _on_gpu(p.grad) for p in m.parameters())
    assert _on_gpu(opt.state[m[0].weight]["exp_avg"])
    assert losses[2] < losses[0]

    @torch.compile
    def step(x, y):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(m(x), y)
        loss.backward()
        opt.step()
        return loss
    assert _on_gpu(step(x, y)) and all(_on_gpu(p) for p in m.parameters())
    m.cpu()
    assert all(p.device.type == "cpu" for p in m.parameters())


def check_backward(torch):
    """The fused backward runs for a one-device GPU graph and gives the engine's gradients;
    a CPU scalar leaf joined to GPU ops gets its gradient on the CPU, as in torch."""
    from jtorch.autograd import engine, fused

    def grads(use_fused):
        saved = engine.fused.try_run
        ran = []
        if not use_fused:
            engine.fused.try_run = lambda *a: False
        else:
            engine.fused.try_run = lambda *a: ran.append(saved(*a)) or ran[-1]
        try:
            torch.manual_seed(0)
            m = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(),
                                    torch.nn.Linear(8, 2)).to("cuda")
            x = torch.randn(3, 4, device="cuda")
            for _ in range(4):
                m(x).pow(2).sum().backward()
            return [p.grad for p in m.parameters()], ran
        finally:
            engine.fused.try_run = saved
    (plain, _), (fast, ran) = grads(False), grads(True)
    assert True in ran and all(_on_gpu(g) for g in fast)
    assert all(torch.equal(a, b) for a, b in zip(plain, fast))
    for _ in range(3):
        x = torch.randn(3, device="cuda", requires_grad=True)
        s = torch.tensor(2.0, requires_grad=True)
        (x * s).sum().backward()
        assert _on_gpu(x.grad)
        assert s.grad.device.type == "cpu" and s.grad._value().devices() == {_CPU}


def _main():
    import jax
    import jtorch
    devmod = sys.modules["jtorch.device"]        # (jtorch.device is the class)
    global _GPU, _CPU
    _GPU, _CPU = jax.devices("cpu")[1], jax.devices("cpu")[0]
    devmod._gpus = lambda: (_GPU,)
    for check in (check_ops_and_moves, check_default_device, check_generators,
                  check_training, check_backward):
        check(jtorch)
        print(check.__name__, "ok", flush=True)
    print("all placement checks passed")


_GPU = _CPU = None
if __name__ == "__main__":
    _main()
