"""torch.* names added for issue 18 that the op records (compat_tests/op_samples/api_more.py)
do not cover: the functional forms of the nn ops (``jtorch/_functional_forms.py``) and the
runtime controls (``jtorch/_api_runtime.py``), compared with torch."""
import warnings

import numpy as np
import pytest

import jtorch

torch = pytest.importorskip("torch")

RNG = np.random.RandomState(18)
IMG = RNG.randn(2, 3, 6, 6)
SEQ = RNG.randn(2, 3, 8)
W2 = RNG.randn(4, 3, 3, 3)
W1 = RNG.randn(4, 3, 3)
WT = RNG.randn(3, 2, 3, 3)
VEC = RNG.randn(4, 5)
POS = np.abs(RNG.randn(4, 5)) + 0.1


def _t(m, a, grad=False):
    return m.tensor(a, dtype=m.float64, requires_grad=grad)


def _flat(x):
    if isinstance(x, (tuple, list)):
        return [y for e in x for y in _flat(e)]
    return [x]


def _compare(fn, grads=True, names=True):
    """Run fn(m, t) in both libraries; compare values, dtypes, grad_fn names (unless
    ``names`` is false) and the gradients of the inputs created through ``t``."""
    out = {}
    for m in (torch, jtorch):
        leaves = []

        def t(a, m=m, leaves=leaves, grad=grads):
            x = _t(m, a, grad)
            leaves.append(x)
            return x
        res = [r for r in _flat(fn(m, t)) if isinstance(r, (torch.Tensor, jtorch.Tensor))]
        diff = [r for r in res if r.requires_grad]
        if diff:
            sum(r.sum() for r in diff).backward()
        out[m.__name__] = (res, leaves)
    (tres, tleaves), (jres, jleaves) = out["torch"], out["jtorch"]
    assert len(tres) == len(jres)
    for a, b in zip(tres, jres):
        assert repr(a.dtype) == repr(b.dtype) and tuple(a.shape) == tuple(b.shape)
        np.testing.assert_allclose(b.detach().numpy(), a.detach().numpy(), rtol=1e-6,
                                   atol=1e-8)
        tname = a.grad_fn.name() if a.grad_fn is not None else None
        jname = b.grad_fn.name() if b.grad_fn is not None else None
        assert jname == tname or (not names and (jname is None) == (tname is None))
    for a, b in zip(tleaves, jleaves):
        if a.grad is None:
            assert b.grad is None
        else:
            np.testing.assert_allclose(b.grad.numpy(), a.grad.numpy(), rtol=1e-6, atol=1e-8)


FORMS = {
    "conv": lambda m, t: (m.conv2d(t(IMG), t(W2), None, 1, 1), m.conv1d(t(SEQ), t(W1)),
                          m.conv_transpose2d(t(IMG), t(WT), None, 2),
                          m.convolution(t(IMG), t(W2), None, [1, 1], [0, 0], [1, 1], False,
                                        [0, 0], 1)),
    "pool": lambda m, t: (m.max_pool2d(t(IMG), 2), m.max_pool1d(t(SEQ), 2),
                          m.max_pool1d_with_indices(t(SEQ), 3, 2), m.avg_pool1d(t(SEQ), 2),
                          m.adaptive_avg_pool1d(t(SEQ), 3), m.adaptive_max_pool1d(t(SEQ), 3),
                          m.max_pool3d(t(IMG[None]), 2)),
    "norms": lambda m, t: (m.layer_norm(t(VEC), [5], t(POS[0]), t(VEC[0])),
                           m.group_norm(t(IMG), 3), m.rms_norm(t(VEC), [5], t(POS[0])),
                           m.rms_norm(t(VEC), (5,), eps=1e-3),
                           m.batch_norm(t(IMG), t(POS[0, :3]), None,
                                        t(VEC[0, :3], grad=False),
                                        t(POS[1, :3], grad=False), False, 0.1, 1e-5, False),
                           m.instance_norm(t(IMG), None, None, None, None, True, 0.1, 1e-5,
                                           False)),
    "embedding": lambda m, t: (m.embedding(t(VEC), m.tensor([0, 2, 3])),
                               m.embedding(t(VEC), m.tensor([[0, 2], [1, 1]]), 1)),
    "activations": lambda m, t: (m.celu(t(VEC), 0.5), m.selu(t(VEC)),
                                 m.threshold(t(VEC), 0.1, 2.0), m.hardshrink(t(VEC), 0.3),
                                 m.prelu(t(VEC), t(POS[0, :1])),
                                 m.bilinear(t(VEC[:, :2]), t(VEC[:, 2:]),
                                            t(RNG.randn(3, 2, 3)), None)),
    "distances": lambda m, t: (m.cosine_similarity(t(VEC), t(POS)),
                               m.pairwise_distance(t(VEC), t(POS)), m.pdist(t(VEC)),
                               m.pdist(t(VEC), 1.0), m.pixel_unshuffle(t(IMG), 2),
                               m.pixel_shuffle(t(IMG[:, :2].reshape(2, 4, 3, 6)), 2),
                               m.channel_shuffle(t(IMG), 3), m.constant_pad_nd(t(VEC), [1, 2],
                                                                               0.5)),
    "losses": lambda m, t: (
        m.binary_cross_entropy_with_logits(t(VEC), t((VEC > 0) * 1.0), None, None, 1),
        m.kl_div(t(VEC), t(POS), 2), m.kl_div(t(VEC), t(VEC), 0, log_target=True),
        m.hinge_embedding_loss(t(VEC), t(np.sign(POS - 0.8)), 1.0, 1),
        m.margin_ranking_loss(t(VEC[0]), t(VEC[1]), t(np.sign(POS[2] - 0.8)), 0.1, 2),
        m.cosine_embedding_loss(t(VEC), t(POS), t(np.array([1.0, -1, 1, -1])), 0.0, 1),
        m.poisson_nll_loss(t(VEC), t(POS), True, False, 1e-8, 1),
        m.triplet_margin_loss(t(VEC), t(POS), t(VEC[::-1].copy()), 1.0, 2.0, 1e-6, False, 1)),
    "cells": lambda m, t: (
        m.rnn_tanh_cell(t(VEC[:2, :3]), t(VEC[2:, :2]), t(RNG.randn(2, 3)),
                        t(RNG.randn(2, 2)), t(POS[0, :2]), t(POS[1, :2])),
        m.rnn_relu_cell(t(VEC[:2, :3]), t(VEC[2:, :2]), t(RNG.randn(2, 3)),
                        t(RNG.randn(2, 2))),
        m.gru_cell(t(VEC[:2, :3]), t(VEC[2:, :2]), t(RNG.randn(6, 3)), t(RNG.randn(6, 2)),
                   t(RNG.randn(6)), t(RNG.randn(6))),
        m.lstm_cell(t(VEC[:2, :3]), (t(VEC[2:, :2]), t(POS[2:, :2])), t(RNG.randn(8, 3)),
                    t(RNG.randn(8, 2)), t(RNG.randn(8)), t(RNG.randn(8)))),
    "dropout_eval": lambda m, t: (m.dropout(t(VEC), 0.5, False),
                                  m.alpha_dropout(t(VEC), 0.5, False),
                                  m.feature_dropout(t(IMG), 0.5, False),
                                  m.feature_alpha_dropout(t(IMG), 0.5, False)),
}


# compositions whose last node torch names after its own fused kernel (PdistBackward0,
# RmsNormBackward0 / the cells' ops): values and gradients are compared, names are not
_COMPOSED = {"distances", "norms", "cells"}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_functional_forms_match_torch(name):
    # some forms draw extra weights from RNG: both libraries start from the same state
    state = RNG.get_state()

    def seeded(m, t):
        RNG.set_state(state)
        return FORMS[name](m, t)
    _compare(seeded, names=name not in _COMPOSED)


@pytest.mark.parametrize("name", ["dropout", "alpha_dropout", "feature_dropout",
                                  "feature_alpha_dropout"])
def test_dropout_forms_draw_as_torch(name):
    outs = []
    for m in (torch, jtorch):
        m.manual_seed(7)
        x = m.ones(4, 3, 5, dtype=m.float32)
        outs.append(getattr(m, name)(x, 0.4, True).numpy())
    np.testing.assert_allclose(outs[1], outs[0], rtol=1e-6)


def test_unknown_reduction_code_is_elementwise_as_torch():
    for m in (torch, jtorch):
        assert m.kl_div(m.ones(2), m.ones(2), 5).tolist() == [-1.0, -1.0]


def test_autocast_state():
    """autocast keeps torch's state (tests/test_autocast.py checks the casts)."""
    for m in (torch, jtorch):
        assert m.is_autocast_enabled("cpu") is False
        with m.autocast("cpu"):
            assert m.is_autocast_enabled("cpu") is True
            assert m.get_autocast_dtype("cpu") == m.bfloat16
        assert m.is_autocast_enabled("cpu") is False
        with m.autocast(device_type="cpu", dtype=m.bfloat16, enabled=False):
            assert m.is_autocast_enabled("cpu") is False

        @m.autocast("cpu")
        def f():
            return m.is_autocast_enabled("cpu")
        assert f() is True
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        with jtorch.autocast("cpu", dtype=jtorch.float32):
            assert jtorch.is_autocast_enabled("cpu") is False
    assert "CPU Autocast only supports dtypes" in str(w[0].message)
    x = jtorch.ones(2, 2)
    with jtorch.autocast("cpu"):
        assert (x @ x).dtype == jtorch.bfloat16     # torch CPU autocast: mm in bfloat16


@pytest.mark.parametrize("m", [torch, jtorch], ids=["torch", "jtorch"])
def test_compile_wraps_the_model(m, monkeypatch):
    # (real torch.compile turns torch.distributions' argument validation off process-wide)
    monkeypatch.setattr(torch.distributions.Distribution, "_validate_args",
                        torch.distributions.Distribution._validate_args)
    model = m.nn.Linear(2, 3)
    compiled = m.compile(model)
    assert type(compiled).__name__ == "OptimizedModule" and compiled._orig_mod is model
    assert type(m.compile(mode="reduce-overhead")(model)).__name__ == "OptimizedModule"
    with pytest.raises(RuntimeError, match="Either mode or options"):
        m.compile(model, mode="max-autotune", options={})


def test_vmap_matches_torch():
    x, y = RNG.randn(3, 4), RNG.randn(4)
    cases = [(lambda a: a.sum(), (x,), 0, 0),
             (lambda a, b: a * b, (x, y), (0, None), 1),
             (lambda a, b: (a + b, a - b), (x.T.copy(), y), (1, None), 0)]
    for fn, args, in_dims, out_dims in cases:
        outs = []
        for m in (torch, jtorch):
            res = m.vmap(fn, in_dims=in_dims, out_dims=out_dims)(*(m.tensor(a) for a in args))
            outs.append([r.numpy() for r in _flat(res)])
        for a, b in zip(outs[0], outs[1]):
            np.testing.assert_allclose(b, a, rtol=1e-12)


def test_settings_round_trip_as_torch():
    for m in (torch, jtorch):
        assert m.are_deterministic_algorithms_enabled() is False
        m.use_deterministic_algorithms(True, warn_only=True)
        assert m.is_deterministic_algorithms_warn_only_enabled() is True
        assert m.get_deterministic_debug_mode() == 1
        m.set_deterministic_debug_mode("error")
        assert m.get_deterministic_debug_mode() == 2
        m.use_deterministic_algorithms(False)
        assert m.get_deterministic_debug_mode() == 0
        assert m.get_float32_matmul_precision() == "highest"
        m.set_float32_matmul_precision("high")
        assert m.get_float32_matmul_precision() == "high"
        m.set_float32_matmul_precision("highest")
        assert m.is_warn_always_enabled() is False
        assert m.get_device(m.ones(1)) == -1
        assert str(m.get_default_device()) == "cpu"
        assert m.compiled_with_cxx11_abi() is True
        assert m.typename(m.ones(1)) == "torch.FloatTensor"
        assert m.typename(3) == "int"
        assert m.typename(m.ones(1).double()) == "torch.DoubleTensor"
        assert isinstance(m.get_num_threads(), int)
        assert m.is_anomaly_enabled() is False
    assert issubclass(jtorch.OutOfMemoryError, RuntimeError)
    assert issubclass(jtorch.linalg.LinAlgError, RuntimeError)


def test_set_default_tensor_type_as_torch():
    try:
        for m in (torch, jtorch):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                m.set_default_tensor_type(m.DoubleTensor)
            assert m.ones(1).dtype == m.float64
            m.set_default_dtype(m.float32)
    finally:
        torch.set_default_dtype(torch.float32)
        jtorch.set_default_dtype(jtorch.float32)


def _scaler_run(m):
    m.manual_seed(0)
    model = m.nn.Linear(3, 2)
    opt = m.optim.SGD(model.parameters(), lr=0.1)
    scaler = m.GradScaler("cpu", init_scale=2.0 ** 10, growth_interval=2)
    x = m.tensor(RNG_SCALER.tolist())
    scales = []
    for step in range(5):
        opt.zero_grad()
        loss = model(x).pow(2).sum() * (float("inf") if step == 2 else 1.0)
        scaler.scale(loss).backward()
        scaler.unscale_(opt)
        scaler.step(opt)
        scaler.update()
        scales.append(scaler.get_scale())
    return scales, model.weight.detach().numpy(), scaler.state_dict()


RNG_SCALER = np.random.RandomState(3).randn(4, 3)


def test_grad_scaler_matches_torch():
    t_scales, t_weight, t_state = _scaler_run(torch)
    j_scales, j_weight, j_state = _scaler_run(jtorch)
    assert j_scales == t_scales
    assert j_state == t_state
    np.testing.assert_allclose(j_weight, t_weight, rtol=1e-6)
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        assert jtorch.GradScaler().is_enabled() is torch.GradScaler().is_enabled()
