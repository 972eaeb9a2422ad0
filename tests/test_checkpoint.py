"""torch.utils.checkpoint: values, gradients and RNG replay equal to running without it, torch's
warnings and errors, and genuine recomputation (activations are not kept)."""
import gc
import warnings
import weakref

import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same

torch = pytest.importorskip("torch")

MODULES = (jtorch, torch)


def _model(m):
    rng = np.random.RandomState(0)
    lin1, lin2 = m.nn.Linear(4, 8), m.nn.Linear(8, 4)
    with m.no_grad():
        for p in list(lin1.parameters()) + list(lin2.parameters()):
            p.copy_(m.tensor(rng.randn(*p.shape).astype(np.float32)))
    x = m.tensor(rng.randn(3, 4).astype(np.float32), requires_grad=True)

    def region(h, scale=2.0):
        h = lin1(h).tanh()
        return lin2(h) * scale
    return lin1, lin2, x, region


def _run(m, mode, dropout=False):
    """(output, x.grad, lin1.weight.grad, grad_fn class) with ``mode`` None (no checkpoint),
    True or False (use_reentrant)."""
    lin1, lin2, x, region = _model(m)
    f = region
    if dropout:
        def f(h):
            return m.nn.functional.dropout(region(h), 0.5, training=True)
    m.manual_seed(1)
    if mode is None:
        y = f(x)
    else:
        y = m.utils.checkpoint.checkpoint(f, x, use_reentrant=mode)
    m.manual_seed(7)            # the generator moves on before backward: replay must not care
    (y ** 2).sum().backward()
    return y, x.grad, lin1.weight.grad, type(y.grad_fn).__name__


@pytest.mark.parametrize("reentrant", [True, False])
def test_values_and_gradients_match_torch_and_plain_run(reentrant):
    y, gx, gw, name = _run(jtorch, reentrant)
    ty, tgx, tgw, tname = _run(torch, reentrant)
    assert name == tname
    assert_same(y, ty, rtol=1e-5, atol=1e-5)
    assert_same(gx, tgx, rtol=1e-4, atol=1e-5)
    assert_same(gw, tgw, rtol=1e-4, atol=1e-5)
    # the first run in a process takes the slow path, whose mm backward reads the transposed
    # weight in another layout than the fast path's; XLA's CPU dot kernels for the two are
    # bit-equal on some CPUs (AVX-512) and an ulp of the largest element apart on AVX2
    py, pgx, pgw, _ = _run(jtorch, None)
    for got, plain in ((gx.numpy(), pgx.numpy()), (gw.numpy(), pgw.numpy())):
        np.testing.assert_allclose(got, plain, rtol=1e-6, atol=1e-6 * np.abs(plain).max())


@pytest.mark.parametrize("reentrant", [True, False])
def test_rng_state_is_replayed_for_dropout(reentrant):
    """jtorch's generator is not torch's: the checkpointed run is compared with jtorch's own
    run without checkpointing (same seed, so the same dropout mask)."""
    y, gx, gw, _ = _run(jtorch, reentrant, dropout=True)
    py, pgx, pgw, _ = _run(jtorch, None, dropout=True)
    np.testing.assert_allclose(y.detach().numpy(), py.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(gx.numpy(), pgx.numpy(), rtol=1e-6)
    np.testing.assert_allclose(gw.numpy(), pgw.numpy(), rtol=1e-6)


def test_missing_use_reentrant_warns_as_torch():
    texts = []
    for m in MODULES:
        x = m.ones(2, requires_grad=True)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            y = m.utils.checkpoint.checkpoint(lambda a: a.sin(), x)
        texts.append([str(i.message) for i in w])
        assert type(y.grad_fn).__name__ == "CheckpointFunctionBackward"
    assert texts[0] == texts[1]


def test_errors_as_torch():
    for make in (
            lambda m: m.utils.checkpoint.checkpoint(lambda a: a, m.ones(1), use_reentrant=True,
                                                    foo=1),
            lambda m: m.utils.checkpoint.checkpoint(lambda a: a, m.ones(1), use_reentrant=True,
                                                    debug=True),
            lambda m: m.utils.checkpoint.checkpoint_sequential([], 1, m.ones(1),
                                                               use_reentrant=True, foo=2)):
        errors = []
        for m in MODULES:
            with pytest.raises(ValueError) as info:
                make(m)
            errors.append(str(info.value))
        assert errors[0] == errors[1]


def test_reentrant_is_incompatible_with_autograd_grad():
    errors = []
    for m in MODULES:
        x = m.ones(2, requires_grad=True)
        y = m.utils.checkpoint.checkpoint(lambda a: a.sin(), x, use_reentrant=True)
        with pytest.raises(RuntimeError) as info:
            m.autograd.grad(y.sum(), x)
        errors.append(str(info.value))
    assert errors[0] == errors[1]


def test_no_input_requires_grad_warns_in_reentrant_mode():
    texts = []
    for m in MODULES:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            y = m.utils.checkpoint.checkpoint(lambda a: a.sin(), m.ones(2), use_reentrant=True)
        texts.append(([str(i.message) for i in w], y.requires_grad))
    assert texts[0] == texts[1]


def test_non_reentrant_keyword_arguments_and_closed_over_parameters():
    grads = []
    for m in MODULES:
        lin1, lin2, x, region = _model(m)
        y = m.utils.checkpoint.checkpoint(region, x.detach(), use_reentrant=False, scale=3.0)
        y.sum().backward()
        grads.append((y, lin1.weight.grad, lin2.bias.grad))
    for j, t in zip(*grads):
        assert_same(j, t, rtol=1e-4, atol=1e-5)


def test_checkpoint_sequential_matches_torch():
    res = []
    for m in MODULES:
        m.manual_seed(0)
        rng = np.random.RandomState(1)
        layers = m.nn.Sequential(m.nn.Linear(4, 4), m.nn.ReLU(), m.nn.Linear(4, 4), m.nn.Tanh(),
                                 m.nn.Linear(4, 2))
        with m.no_grad():
            for p in layers.parameters():
                p.copy_(m.tensor(rng.randn(*p.shape).astype(np.float32)))
        x = m.tensor(rng.randn(3, 4).astype(np.float32), requires_grad=True)
        y = m.utils.checkpoint.checkpoint_sequential(layers, 2, x, use_reentrant=False)
        y.sum().backward()
        res.append((y, x.grad, layers[0].weight.grad, type(y.grad_fn).__name__))
    assert res[0][3] == res[1][3]
    for j, t in zip(res[0][:3], res[1][:3]):
        assert_same(j, t, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("reentrant", [True, False])
def test_activations_are_recomputed_not_kept(reentrant):
    """The region's intermediate tensors are gone once checkpoint returns (their values are
    recomputed in backward), as torch frees them."""
    lin1, lin2, x, _ = _model(jtorch)
    kept = []

    def region(h):
        a = lin1(h).tanh()
        kept.append(weakref.ref(a))
        return lin2(a)
    y = jtorch.utils.checkpoint.checkpoint(region, x, use_reentrant=reentrant)
    gc.collect()
    assert kept[0]() is None
    y.sum().backward()
    assert len(kept) == 2           # the backward ran the region once more
    assert x.grad is not None and lin1.weight.grad is not None


def test_non_reentrant_second_backward_with_retain_graph():
    lin1, lin2, x, region = _model(jtorch)
    y = jtorch.utils.checkpoint.checkpoint(region, x, use_reentrant=False)
    y.sum().backward(retain_graph=True)
    first = x.grad.clone()
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * first.numpy(), rtol=1e-6)
