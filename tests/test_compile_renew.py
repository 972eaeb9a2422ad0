"""The warm compiled step's created tensors (issue 19, speed: ``_warm.WarmRun._renew``): a
step that makes a fresh ``.grad`` per call writes it into the previous call's tensor and
storage objects when nothing but jtorch holds them. Whatever the user holds, sees or set
stays as torch has it: an old ``.grad`` kept, a detached alias, a weak reference, an
attribute, an in-place write (the new ``.grad`` starts at version 0)."""
import gc
import weakref

import numpy as np
import pytest

import jtorch
from jtorch.compiler import _warm

torch = pytest.importorskip("torch")


def _pair(lib):
    lib.manual_seed(0)
    model = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.Tanh(), lib.nn.Linear(4, 1))
    opt = lib.optim.Adam(model.parameters(), lr=1e-2)

    def step(x):
        opt.zero_grad()
        loss = (model(x) ** 2).mean()
        loss.backward()
        opt.step()
        return loss
    return model, (lib.compile(step) if lib is jtorch else step)


X = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)


def _warm_pair():
    (jm, jstep), (tm, tstep) = _pair(jtorch), _pair(torch)
    for _ in range(4):
        jstep(jtorch.from_numpy(X))
        tstep(torch.from_numpy(X))
    return jm, jstep, tm, tstep


def _grads(model):
    return [p.grad.detach().clone().numpy() for p in model.parameters()]


def _check(jm, tm):
    for a, b in zip(_grads(jm), _grads(tm)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    for p, q in zip(jm.parameters(), tm.parameters()):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-5, atol=1e-6)
        assert p.grad._version == q.grad._version == 0


def test_renewed_in_place_when_only_jtorch_holds_them(monkeypatch):
    jm, jstep, tm, tstep = _warm_pair()
    calls = []
    real = _warm.WarmRun._renew
    monkeypatch.setattr(_warm.WarmRun, "_renew",
                        lambda self, new: calls.append(real(self, new)) or calls[-1])
    for _ in range(3):
        jstep(jtorch.from_numpy(X))
        tstep(torch.from_numpy(X))
        _check(jm, tm)
    assert calls == [True] * 3


@pytest.mark.parametrize("hold", ["tensor", "detached", "weakref", "attribute", "in_place"])
def test_what_the_user_holds_or_set_is_not_renewed(hold):
    jm, jstep, tm, tstep = _warm_pair()
    kept = {}
    for lib, m in (("j", jm), ("t", tm)):
        g = next(iter(m.parameters())).grad
        kept[lib, "values"] = g.detach().clone().numpy()
        if hold == "tensor":
            kept[lib] = g
        elif hold == "detached":
            kept[lib] = g.detach()
        elif hold == "weakref":
            kept[lib] = weakref.ref(g)
        elif hold == "attribute":
            g.tag = 1
        else:
            g.add_(1.0)
        del g
    jstep(jtorch.from_numpy(X))
    tstep(torch.from_numpy(X))
    _check(jm, tm)
    for lib, m in (("j", jm), ("t", tm)):
        grad = next(iter(m.parameters())).grad
        if hold in ("tensor", "detached"):
            assert kept[lib] is not grad and kept[lib]._version == 0
            np.testing.assert_array_equal(kept[lib].numpy(), kept[lib, "values"])
        elif hold == "weakref":
            gc.collect()
            assert kept[lib]() is None              # (the old .grad is gone, as in torch)
        elif hold == "attribute":
            assert not hasattr(grad, "tag")
