"""GradScaler (issue 21) against torch's arithmetic on CPU: ``torch.amp.GradScaler("cpu")``
is enabled there in both, so the same scenario runs in each and the histories are compared."""
import warnings

import pytest

import jtorch

torch = pytest.importorskip("torch")


def _scenario(T, grads_inf=(False, True, False, False, False, True, False, False),
              **kw):
    """A few steps of a Linear model with SGD, some with an inf gradient: the scale,
    growth tracker, parameter values and state_dict after each step."""
    g = T.Generator().manual_seed(0)
    model = T.nn.Linear(3, 2)
    with T.no_grad():
        for p in model.parameters():
            p.copy_(T.rand(p.shape, generator=g))
    opt = T.optim.SGD(model.parameters(), lr=0.1)
    scaler = T.amp.GradScaler("cpu", **kw)
    history = []
    for i, bad in enumerate(grads_inf):
        x = T.rand(4, 3, generator=g)
        opt.zero_grad()
        loss = model(x).pow(2).sum()
        scaled = scaler.scale(loss)
        scaled.backward()
        if bad:
            model.bias.grad[0] = float("inf") if i % 2 else float("nan")
        if i % 3 == 0:      # an explicit unscale_ (gradient clipping's place)
            scaler.unscale_(opt)
        scaler.step(opt)
        scaler.update()
        history.append((float(scaled.item()), scaler.get_scale(), int(scaler._growth_tracker),
                        [round(v, 5) for p in model.parameters()
                         for v in p.detach().reshape(-1).tolist()],
                        sorted(scaler.state_dict().items())))
    return history


@pytest.mark.parametrize("kw", [dict(), dict(init_scale=8.0, growth_interval=2),
                                dict(init_scale=4.0, growth_factor=3.0, backoff_factor=0.25,
                                     growth_interval=3)])
def test_training_history_equals_torch(kw):
    mine, theirs = _scenario(jtorch, **kw), _scenario(torch, **kw)
    for a, b in zip(mine, theirs):
        assert a[1:3] == b[1:3] and a[4] == b[4]
        assert a[0] == pytest.approx(b[0], rel=1e-5)
        assert a[3] == pytest.approx(b[3], abs=1e-4)


def test_growth_to_inf_is_not_taken():
    for T in (jtorch, torch):
        s = T.amp.GradScaler("cpu", init_scale=3e38, growth_interval=1)
        p = T.nn.Parameter(T.ones(1))
        opt = T.optim.SGD([p], lr=0.0)
        s.scale(p.sum()).backward()
        s.step(opt)
        s.update()
        assert s.get_scale() == pytest.approx(3e38, rel=1e-6), T


def test_update_with_new_scale_and_load_state_dict():
    for T in (jtorch, torch):
        s = T.amp.GradScaler("cpu")
        s.scale(T.ones(()))
        s.update(4.0)
        assert s.get_scale() == 4.0
        s.update(T.tensor(2.0))
        assert s.get_scale() == 2.0
        s2 = T.amp.GradScaler("cpu")
        s2.load_state_dict({"scale": 8.0, "growth_factor": 3.0, "backoff_factor": 0.25,
                            "growth_interval": 5, "_growth_tracker": 2})
        assert (s2.get_scale(), s2.get_growth_factor(), s2.get_backoff_factor(),
                s2.get_growth_interval()) == (8.0, 3.0, 0.25, 5)
        assert s2.state_dict()["_growth_tracker"] == 2


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001  (compared: type and message)
        return type(e).__name__, str(e)
    return None


def _misuse(T, which):
    s = T.amp.GradScaler("cpu")
    p = T.nn.Parameter(T.ones(2))
    opt = T.optim.SGD([p], lr=0.1)
    s.scale(p.sum()).backward()
    if which == "double_unscale":
        s.unscale_(opt)
        return _error(lambda: s.unscale_(opt))
    if which == "unscale_after_step":
        s.step(opt)
        return _error(lambda: s.unscale_(opt))
    if which == "double_step":
        s.step(opt)
        return _error(lambda: s.step(opt))
    if which == "update_without_step":
        return _error(lambda: T.amp.GradScaler("cpu").update())
    if which == "closure":
        return _error(lambda: s.step(opt, closure=lambda: 0))
    if which == "fp16_grads":
        q = T.nn.Parameter(T.ones(2, dtype=T.float16))
        q.grad = T.ones(2, dtype=T.float16)
        return _error(lambda: s.unscale_(T.optim.SGD([q], lr=0.1)))
    if which == "empty_state":
        return _error(lambda: T.amp.GradScaler("cpu").load_state_dict({}))
    if which == "growth_factor":
        return _error(lambda: T.amp.GradScaler("cpu", growth_factor=1.0))


@pytest.mark.parametrize("which", ["double_unscale", "unscale_after_step", "double_step",
                                   "update_without_step", "closure", "fp16_grads",
                                   "empty_state"])
def test_misuse_errors_as_torch(which):
    assert _misuse(jtorch, which) == _misuse(torch, which)


def test_names_and_disabled_cuda_scaler():
    assert jtorch.GradScaler is jtorch.amp.GradScaler
    for T in (jtorch, torch):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            s = T.cuda.amp.GradScaler()
        assert [type(x.message) for x in w] == [FutureWarning, UserWarning]
        assert "Disabling" in str(w[1].message)
        assert not s.is_enabled() and s.get_scale() == 1.0 and s.state_dict() == {}
        loss = T.ones(())
        assert s.scale(loss) is loss
