"""Issue 18's nn breadth against torch: the added layers (run() of test_nn_layers: repr,
state_dict, outputs, grad_fn names and gradients after the same seed), the added functionals,
cross_entropy's label smoothing and probability targets, and the lazy modules."""
import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same, assert_same_error
from tests.test_nn_layers import run

torch = pytest.importorskip("torch")

R = np.random.default_rng(18)
X4 = R.standard_normal((2, 6, 4, 4)).astype(np.float32)
X3 = R.standard_normal((2, 6, 5)).astype(np.float32)
X5 = R.standard_normal((1, 2, 4, 4, 4)).astype(np.float32)


def _unpool(n):
    class Net:
        def __init__(self, m):
            self.m = m
            self.pool = getattr(m.nn, f"MaxPool{n}d")(2, return_indices=True)
            self.unpool = getattr(m.nn, f"MaxUnpool{n}d")(2)

        def __call__(self, x):
            return self.unpool(*self.pool(x))

        def __repr__(self):
            return repr(self.pool) + repr(self.unpool)
    return Net


LAYERS = {
    "rmsnorm": (lambda m: m.nn.RMSNorm(5), [X3]),
    "rmsnorm_eps": (lambda m: m.nn.RMSNorm([6, 5], eps=1e-3), [X3]),
    "rmsnorm_noaffine": (lambda m: m.nn.RMSNorm(4, elementwise_affine=False), [X4]),
    "lrn_3d": (lambda m: m.nn.LocalResponseNorm(3), [X3]),
    "lrn_4d": (lambda m: m.nn.LocalResponseNorm(2, alpha=0.01, beta=0.5, k=2.0), [X4]),
    "lrn_5d": (lambda m: m.nn.LocalResponseNorm(4), [X5]),
    "crossmap_lrn": (lambda m: m.nn.CrossMapLRN2d(3, alpha=0.1), [X4]),
    "crossmap_lrn_even": (lambda m: m.nn.CrossMapLRN2d(4, alpha=0.2, beta=0.5, k=2), [X4]),
    "softmax2d": (lambda m: m.nn.Softmax2d(), [X4]),
    "rrelu_eval": (lambda m: m.nn.RReLU().eval(), [X4]),
    "rrelu_train": (lambda m: m.nn.RReLU(0.1, 0.3), [X4]),
    "unpool1d": (lambda m: _unpool(1)(m), [X3]),
    "unpool2d": (lambda m: _unpool(2)(m), [X4]),
    "unpool3d": (lambda m: _unpool(3)(m), [X5]),
    "lppool3d": (lambda m: m.nn.LPPool3d(2, 2), [X5]),
    "mlm_loss": (lambda m: m.nn.MultiLabelMarginLoss(), [X4[0, 0], np.array(
        [[3, 0, -1, 1], [1, 2, 3, -1], [-1, 0, 0, 0], [0, 1, 2, 3]])]),
    "triplet_dist": (lambda m: m.nn.TripletMarginWithDistanceLoss(swap=True, margin=0.5),
                     [X3[0], X3[1], X3[0] * 0.5]),
    "nll2d": (lambda m: m.nn.NLLLoss2d(), [X4[:, 0, 0, :3], np.array([0, 2])]),
    "adaptive_softmax": (lambda m: m.nn.AdaptiveLogSoftmaxWithLoss(5, 10, [3, 6], div_value=2.),
                         [X3[:, 0], np.array([1, 8])]),
    "bilinear": (lambda m: m.nn.Bilinear(5, 4, 3), [X3[:, 0], X4[:, 0, 0]]),
    "fractional2d": (lambda m: m.nn.FractionalMaxPool2d(2, output_ratio=0.5,
                                                        return_indices=True), [X4]),
    "fractional2d_size": (lambda m: m.nn.FractionalMaxPool2d((2, 3), output_size=(2, 2)),
                          [X4[0]]),
    "fractional3d": (lambda m: m.nn.FractionalMaxPool3d(2, output_size=(2, 2, 1)), [X5]),
    "linear_ce": (lambda m: m.nn.LinearCrossEntropyLoss(5, 4, bias=True), [X3[:, 0],
                                                                          np.array([1, 3])]),
    "linear_ce_kdim": (lambda m: m.nn.LinearCrossEntropyLoss(
        5, 3, out_features=(2,), label_smoothing=0.2), [X3[:, 0], np.array([[1, 2], [0, 0]])]),
    "sync_bn": (lambda m: m.nn.SyncBatchNorm(6), [X3]),
    "data_parallel": (lambda m: m.nn.DataParallel(m.nn.Linear(5, 2)), [X3[0]]),
}


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_layer(name):
    make, arrays = LAYERS[name]
    run(make, arrays, rtol=1e-5, atol=1e-6)


def test_nll2d_4d_node():
    run(lambda m: m.nn.NLLLoss2d(), [X4[:, :3], np.array([[[0, 1, 2, 0]] * 4,
                                                          [[2, 2, 1, 0]] * 4])])


@pytest.mark.parametrize("shape", [(2, 3, 4), (2, 3, 2, 2, 3)])
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_nll_loss_nd_as_torch_views_it(shape, reduction):
    """torch views a 3-D or 5-D input as (N, C, 1, -1) for its 2-D kernel: the same values,
    gradients and nodes (NllLoss2DBackward0 next to a ViewBackward0)."""
    x = R.standard_normal(shape).astype(np.float32)
    t = np.random.default_rng(1).integers(0, 3, (shape[0], *shape[2:]))
    run(lambda m: m.nn.NLLLoss(reduction=reduction), [x, t])
    names = []
    for m in (torch, jtorch):
        y = m.nn.functional.nll_loss(m.tensor(x, requires_grad=True), m.tensor(t),
                                     reduction=reduction)
        names.append((y.grad_fn.name(), y.grad_fn.next_functions[0][0].name()))
    assert names[0] == names[1]


@pytest.mark.parametrize("shape, tshape", [((2, 3, 4), (2, 5)), ((2, 3, 4, 5), (2, 4, 4)),
                                           ((2, 3, 4, 5), (2, 4)), ((2, 3, 4), (2, 4, 1))])
def test_nll_loss_target_shape_errors(shape, tshape):
    assert_same_error(lambda m: m.nn.functional.nll_loss(
        m.zeros(shape), m.zeros(tshape, dtype=m.long)), (torch, jtorch))


def test_rrelu_train_draws_match_torch_float64():
    x = R.standard_normal((3, 7))
    out = []
    for m in (torch, jtorch):
        m.manual_seed(5)
        out.append(m.nn.functional.rrelu(m.tensor(x), training=True))
        out.append(m.rand(2))          # the generator advanced by the same amount
    assert_same(out[2], out[0])
    assert_same(out[3], out[1])


def test_adaptive_softmax_log_prob_predict():
    for m in (torch, jtorch):
        m.manual_seed(0)
    mods = [m.nn.AdaptiveLogSoftmaxWithLoss(5, 10, [3, 6]) for m in (torch, jtorch)]
    x = R.standard_normal((4, 5)).astype(np.float32)
    for m, mod in zip((torch, jtorch), mods):
        m.manual_seed(0)
    t_mod, j_mod = mods
    j_mod.load_state_dict({k: jtorch.tensor(v.numpy()) for k, v in t_mod.state_dict().items()})
    assert_same(j_mod.log_prob(jtorch.tensor(x)), t_mod.log_prob(torch.tensor(x)),
                rtol=1e-5, atol=1e-6)
    assert_same(j_mod.predict(jtorch.tensor(x)), t_mod.predict(torch.tensor(x)))


def test_errors():
    for m in (torch, jtorch):
        with pytest.raises(ValueError, match="expected input to be 3D or 4D"):
            m.nn.Softmax2d()(m.ones(2, 2))
        with pytest.raises(ValueError, match="expected margin to be greater than 0"):
            m.nn.TripletMarginWithDistanceLoss(margin=0)
        with pytest.raises(ValueError, match="cutoffs should be a sequence"):
            m.nn.AdaptiveLogSoftmaxWithLoss(5, 10, [6, 3])
        with pytest.raises(ValueError, match="Expected 3D or higher"):
            m.nn.functional.local_response_norm(m.ones(2, 2), 2)
        o, i = m.nn.functional.max_pool2d(m.ones(1, 1, 4, 4), 2, return_indices=True)
        with pytest.raises(ValueError, match="invalid output_size"):
            m.nn.functional.max_unpool2d(o, i, 2, output_size=(9, 9))
        with pytest.raises(RuntimeError, match="Found an invalid max index"):
            m.nn.functional.max_unpool2d(o, i * 10, 2)
        with pytest.raises(RuntimeError, match="label_smoothing must be between"):
            m.nn.functional.cross_entropy(m.ones(2, 3), m.tensor([0, 1]), label_smoothing=2.)
        with pytest.raises(RuntimeError, match="ignore_index is not supported"):
            m.nn.functional.cross_entropy(m.ones(2, 3), m.ones(2, 3), ignore_index=1)


# ------------------------------------------------------------------ functionals
def _fn_case(fn, arrays, grad_first=True, tol=(1e-6, 1e-7)):
    res = []
    for m in (torch, jtorch):
        xs = [m.tensor(a, requires_grad=grad_first and i == 0) for i, a in enumerate(arrays)]
        out = fn(m, *xs)
        out.sum().backward()
        res.append((out, xs[0].grad))
    (jo, jg), (to, tg) = res[1], res[0]
    assert_same(jo, to, rtol=tol[0], atol=tol[1])
    assert_same(jg, tg, rtol=tol[0], atol=tol[1])
    return jo, to


TGT = np.array([1, 0, 4, -100, 2])
W5 = R.random(5)
P = R.random((5, 5, 2))

CE = {
    "smooth_mean": (lambda m, x, t: m.nn.functional.cross_entropy(x, t, label_smoothing=0.2),
                    [R.standard_normal((5, 5)), TGT]),
    "smooth_sum_w": (lambda m, x, t, w: m.nn.functional.cross_entropy(
        x, t, w, label_smoothing=0.3, reduction="sum"), [R.standard_normal((5, 5)), TGT, W5]),
    "smooth_none_kdim": (lambda m, x, t, w: m.nn.functional.cross_entropy(
        x, t, w, label_smoothing=0.3, reduction="none"),
        [R.standard_normal((5, 5, 2)), np.array([[1, 2], [0, 0], [4, 3], [2, 2], [1, 1]]), W5]),
    "smooth_mean_w_kdim": (lambda m, x, t, w: m.nn.functional.cross_entropy(
        x, t, w, label_smoothing=0.3),
        [R.standard_normal((5, 5, 2)), np.array([[1, 2], [0, 0], [4, 3], [2, 2], [1, 1]]), W5]),
    "probs_sum_w": (lambda m, x, t, w: m.nn.functional.cross_entropy(
        x, t, w, label_smoothing=0.1, reduction="sum"), [R.standard_normal((5, 5, 2)), P, W5]),
    "probs_none": (lambda m, x, t: m.nn.functional.cross_entropy(x, t, reduction="none"),
                   [R.standard_normal((5, 5, 2)), P]),
    "probs_1d": (lambda m, x, t: m.nn.functional.cross_entropy(x, t, reduction="sum"),
                 [R.standard_normal(5), P[:, 0, 0]]),
    "module_smooth": (lambda m, x, t: m.nn.CrossEntropyLoss(label_smoothing=0.25)(x, t),
                      [R.standard_normal((5, 5)), np.array([1, 0, 4, 3, 2])]),
}


@pytest.mark.parametrize("name", sorted(CE))
def test_cross_entropy(name):
    fn, arrays = CE[name]
    jo, to = _fn_case(fn, arrays)
    assert jo.grad_fn.name() == to.grad_fn.name()


@pytest.mark.xfail(strict=True, reason="torch divides by a C++ double (DivBackward1); jtorch's "
                   "tensor / number node is DivBackward0")
def test_cross_entropy_probs_mean_node():
    jo, to = _fn_case(lambda m, x, t: m.nn.functional.cross_entropy(x, t),
                      [R.standard_normal((5, 5, 2)), P])
    assert jo.grad_fn.name() == to.grad_fn.name()


FUNCTIONALS = {
    "rms_norm_w": (lambda m, x, w: m.nn.functional.rms_norm(x, (4, 4), w),
                   [X4.astype(np.float64), R.standard_normal((4, 4))]),
    "lp_pool3d": (lambda m, x: m.nn.functional.lp_pool3d(x, 3, (2, 1, 2), stride=1),
                  [X5.astype(np.float64)]),
    "mlm_none_1d": (lambda m, x, t: m.nn.functional.multilabel_margin_loss(
        x, t, reduction="none"), [R.standard_normal(5), np.array([3, 0, -1, 1, 2])]),
    "mlm_sum": (lambda m, x, t: m.nn.functional.multilabel_margin_loss(x, t, reduction="sum"),
                [R.standard_normal((2, 5)), np.array([[3, 0, -1, 1, 2], [4, 4, 4, 4, 4]])]),
    "triplet_custom": (lambda m, a, p, n: m.nn.functional.triplet_margin_with_distance_loss(
        a, p, n, distance_function=lambda u, v: 1 - m.nn.functional.cosine_similarity(u, v),
        reduction="none"), list(R.standard_normal((3, 4, 5)))),
    "l1_weight": (lambda m, x, t, w: m.nn.functional.l1_loss(x, t, weight=w),
                  [R.standard_normal(5), R.standard_normal(5), W5]),
    "unpool_output_size": (lambda m, x: m.nn.functional.max_unpool2d(
        *m.nn.functional.max_pool2d(x, 2, return_indices=True), 2, output_size=(5, 5)),
        [X4.astype(np.float64)]),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONALS))
def test_functional(name):
    fn, arrays = FUNCTIONALS[name]
    jo, to = _fn_case(fn, arrays)
    assert jo.grad_fn.name() == to.grad_fn.name()


# ------------------------------------------------------------------ lazy modules
LAZY = {
    "linear": (lambda m: m.nn.LazyLinear(3), [X3[0]]),
    "linear_nobias": (lambda m: m.nn.LazyLinear(3, bias=False), [X4[0, 0]]),
    "conv1d": (lambda m: m.nn.LazyConv1d(4, 3, padding=1), [X3]),
    "conv2d_unbatched": (lambda m: m.nn.LazyConv2d(4, 3, groups=2), [X4[0]]),
    "conv3d": (lambda m: m.nn.LazyConv3d(2, 2, bias=False), [X5]),
    "convt1d": (lambda m: m.nn.LazyConvTranspose1d(4, 3, groups=2), [X3]),
    "convt2d": (lambda m: m.nn.LazyConvTranspose2d(3, 2, stride=2), [X4]),
    "convt3d": (lambda m: m.nn.LazyConvTranspose3d(2, 2), [X5]),
    "bn1d": (lambda m: m.nn.LazyBatchNorm1d(), [X3]),
    "bn2d": (lambda m: m.nn.LazyBatchNorm2d(momentum=0.3), [X4]),
    "bn3d_noaffine": (lambda m: m.nn.LazyBatchNorm3d(affine=False), [X5]),
    "in1d": (lambda m: m.nn.LazyInstanceNorm1d(), [X3]),
    "in2d": (lambda m: m.nn.LazyInstanceNorm2d(affine=False), [X4]),
    "in3d": (lambda m: m.nn.LazyInstanceNorm3d(track_running_stats=False), [X5]),
}


@pytest.mark.parametrize("name", sorted(LAZY))
def test_lazy_before_and_after(name):
    make, arrays = LAZY[name]
    t_mod, j_mod = make(torch), make(jtorch)
    assert repr(j_mod) == repr(t_mod)
    assert {k: repr(v) if "Uninit" in type(v).__name__ else v.tolist()
            for k, v in j_mod.state_dict().items()} == \
        {k: repr(v) if "Uninit" in type(v).__name__ else v.tolist()
         for k, v in t_mod.state_dict().items()}
    assert j_mod.has_uninitialized_params() == t_mod.has_uninitialized_params()
    jm, tm = run(make, arrays)      # the first call: inferred sizes, torch's draws
    assert type(jm).__name__ == type(tm).__name__
    assert not hasattr(jm, "has_uninitialized_params")
    assert not jm._forward_pre_hooks


def test_lazy_instance_norm_unbatched_error():
    # torch infers num_features from dim 1 even for unbatched input, then fails
    for m in (torch, jtorch):
        with pytest.raises(ValueError, match="to match num_features \\(4\\), but got: 6"):
            m.nn.LazyInstanceNorm2d()(m.ones(6, 4, 4))


def test_instance_norm_feature_size_check():
    """affine: torch's ValueError naming the feature dim; without affine only a warning."""
    assert_same_error(lambda m: m.nn.InstanceNorm1d(4, affine=True)(m.ones(2, 6, 5)),
                      (torch, jtorch))
    outs = []
    for m in (torch, jtorch):
        with pytest.warns(UserWarning) as got:
            y = m.nn.InstanceNorm2d(4)(m.ones(6, 4, 4))
        outs.append((tuple(y.shape), [str(w.message) for w in got]))
    assert outs[0] == outs[1] and "dim=0 does not match num_features" in outs[0][1][0]


def test_uninitialized_parameter():
    for m in (torch, jtorch):
        u = m.nn.UninitializedParameter()
        assert repr(u) == "<UninitializedParameter>"
        assert u.requires_grad and u.dtype == m.float32
        assert m.nn.parameter.is_lazy(u) if m is torch else jtorch.nn.modules.lazy.is_lazy(u)
        with pytest.raises(RuntimeError, match="Can't access the shape of an uninitialized"):
            u.shape
        u.materialize((2, 3))
        assert type(u) is m.nn.Parameter and tuple(u.shape) == (2, 3)
        b = m.nn.UninitializedBuffer()
        assert repr(b) == "<UninitializedBuffer>" and not b.requires_grad
        b.materialize(4, dtype=m.float64)
        assert type(b) is m.Tensor and b.dtype == m.float64


def test_lazy_load_state_dict_materializes():
    src = jtorch.nn.Linear(4, 2)
    lazy = jtorch.nn.LazyLinear(2)
    lazy.load_state_dict(src.state_dict())
    assert tuple(lazy.weight.shape) == (2, 4)
    assert_same(lazy.weight, src.weight)
