"""nn layers, functionals and losses against torch: default init after the same seed,
print(module), state_dict, forward values and input/parameter gradients (train and eval)."""
import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same

torch = pytest.importorskip("torch")

# kinks and bounds of the activations (-3/3 hardswish, 0, +-0.5 shrink, +-1 hardtanh, 6 relu6,
# 20 softplus threshold) and ordinary values
KINKS = np.array([-25., -4., -3., -1., -0.5, -0.25, 0., 0.25, 0.5, 1., 2.5, 3., 4., 6., 7.,
                  21., 25.], np.float32)


def run(make, arrays, train=True, seed=0, grad=True, rtol=1e-5, atol=1e-6, check=None,
        no_grad=()):
    """Build ``make(m)`` after ``m.manual_seed(seed)`` in both libraries, run it on the same
    inputs and compare repr, parameters, outputs and gradients."""
    res = {}
    for m in (torch, jtorch):
        m.manual_seed(seed)
        mod = make(m)
        if hasattr(mod, "train"):
            mod.train(train)
        xs = [m.tensor(a, requires_grad=grad and a.dtype.kind == "f" and i not in no_grad)
              for i, a in enumerate(arrays)]
        m.manual_seed(seed + 1)
        out = mod(*xs)
        outs = out if isinstance(out, tuple) else (out,)
        outs = [o for o in outs if isinstance(o, (torch.Tensor, jtorch.Tensor))]
        if grad:
            total = sum((o * m.tensor(np.linspace(0.5, 1.5, o.numel(), dtype=np.float32))
                         .reshape(o.shape).to(o.dtype)).sum() for o in outs
                        if o.requires_grad)
            if not isinstance(total, int):
                total.backward()
        params = list(mod.named_parameters()) if hasattr(mod, "named_parameters") else []
        res[m] = (mod, xs, outs, params)
    (tm, tx, to, tp), (jm, jx, jo, jp) = res[torch], res[jtorch]
    assert repr(jm) == repr(tm)
    if hasattr(tm, "state_dict"):
        assert list(jm.state_dict()) == list(tm.state_dict())
        for (k, jv), tv in zip(jm.state_dict().items(), tm.state_dict().values()):
            assert_same(jv, tv, rtol=rtol, atol=atol) if isinstance(tv, torch.Tensor) else None
    assert len(jo) == len(to)
    for a, b in zip(jo, to):
        assert_same(a, b, rtol=rtol, atol=atol)
        assert (a.grad_fn is None) == (b.grad_fn is None)
        if b.grad_fn is not None and check != "no_name":
            assert a.grad_fn.name() == b.grad_fn.name()
    if grad:
        for a, b in zip(jx, tx):
            assert_same(a.grad, b.grad, rtol=rtol, atol=atol)
        for (n1, a), (n2, b) in zip(jp, tp):
            assert n1 == n2
            assert_same(a.grad, b.grad, rtol=rtol, atol=atol)
    return jm, tm


ACTIVATIONS = [
    lambda m: m.nn.ReLU6(), lambda m: m.nn.SELU(), lambda m: m.nn.CELU(0.5),
    lambda m: m.nn.Mish(), lambda m: m.nn.Softplus(), lambda m: m.nn.Softplus(beta=2, threshold=10),
    lambda m: m.nn.Softsign(), lambda m: m.nn.Hardtanh(), lambda m: m.nn.Hardtanh(-2, 2),
    lambda m: m.nn.Hardswish(), lambda m: m.nn.Hardsigmoid(), lambda m: m.nn.LogSigmoid(),
    lambda m: m.nn.Softmin(dim=0), lambda m: m.nn.Threshold(0.1, 20),
    lambda m: m.nn.Tanhshrink(), lambda m: m.nn.Softshrink(), lambda m: m.nn.Hardshrink(0.25),
    lambda m: m.nn.GLU(), lambda m: m.nn.PReLU(), lambda m: m.nn.ELU(alpha=2.0),
    lambda m: m.nn.LeakyReLU(0.2), lambda m: m.nn.GELU("tanh"), lambda m: m.nn.SiLU(),
    lambda m: m.nn.ReLU6(inplace=True), lambda m: m.nn.SELU(inplace=True),
]


@pytest.mark.parametrize("k", range(len(ACTIVATIONS)))
def test_activation(k):
    make = ACTIVATIONS[k]
    x = KINKS[:16] if k == 17 else KINKS      # GLU halves its input
    inplace = "inplace=True" in repr(make(torch))
    if inplace:   # in-place on a leaf is an error: run on a non-leaf copy

        def wrapped(m):
            mod = make(m)

            class Pre(m.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.act = mod

                def forward(self, x):
                    return self.act(x * 1)
            return Pre()
        run(wrapped, [x])
    else:
        run(make, [x])


def test_prelu_channels_and_error():
    x = np.random.RandomState(0).randn(2, 3, 4).astype(np.float32)
    run(lambda m: m.nn.PReLU(3, init=0.1), [x])
    for m in (torch, jtorch):
        with pytest.raises(RuntimeError, match="Mismatch of parameter numbers"):
            m.nn.PReLU(2)(m.tensor(x))


def test_glu_odd_dim_error():
    for m in (torch, jtorch):
        with pytest.raises(RuntimeError, match="Halving dimension must be even"):
            m.nn.functional.glu(m.ones(3))


def test_functional_inplace_activations():
    for name, args in [("hardtanh_", ()), ("threshold_", (0.5, -1.0)), ("selu_", ()),
                       ("celu_", ()), ("elu_", ()), ("leaky_relu_", ()), ("relu_", ())]:
        outs = []
        for m in (torch, jtorch):
            x = m.tensor(KINKS, requires_grad=True)
            y = x * 2
            getattr(m.nn.functional, name)(y, *args)
            y.sum().backward()
            outs.append((y, x.grad))
        assert_same(outs[1][0], outs[0][0], rtol=1e-6)
        assert outs[1][0].grad_fn.name() == outs[0][0].grad_fn.name()
        assert_same(outs[1][1], outs[0][1], rtol=1e-6)


# ------------------------------------------------------------------ normalisation, embedding
RS = np.random.RandomState(3)
X4 = RS.randn(3, 4, 5, 5).astype(np.float32)
X3 = RS.randn(3, 4, 6).astype(np.float32)
X2 = RS.randn(6, 4).astype(np.float32)

NORMS = [
    (lambda m: m.nn.BatchNorm2d(4), X4), (lambda m: m.nn.BatchNorm1d(4), X2),
    (lambda m: m.nn.BatchNorm1d(4), X3), (lambda m: m.nn.BatchNorm1d(4, momentum=None), X3),
    (lambda m: m.nn.BatchNorm2d(4, affine=False), X4),
    (lambda m: m.nn.BatchNorm2d(4, track_running_stats=False), X4),
    (lambda m: m.nn.LayerNorm(5), X4), (lambda m: m.nn.LayerNorm((5, 5)), X4),
    (lambda m: m.nn.LayerNorm(4, elementwise_affine=False), X2),
    (lambda m: m.nn.LayerNorm(4, bias=False), X2),
    (lambda m: m.nn.GroupNorm(2, 4), X4), (lambda m: m.nn.GroupNorm(4, 4, affine=False), X3),
    (lambda m: m.nn.InstanceNorm2d(4), X4), (lambda m: m.nn.InstanceNorm1d(4, affine=True), X3),
    (lambda m: m.nn.InstanceNorm2d(4, track_running_stats=True), X4),
]


@pytest.mark.parametrize("train", [True, False])
@pytest.mark.parametrize("k", range(len(NORMS)))
def test_norm_layer(k, train):
    make, x = NORMS[k]

    def twice(m):
        # two forward passes: the running statistics after the first feed the second (eval)
        mod = make(m)

        class Two(m.nn.Module):
            def __init__(self):
                super().__init__()
                self.norm = mod

            def forward(self, x):
                self.norm(x * 0.5 + 1)
                return self.norm(x)
        return Two()
    run(twice, [x], train=train, rtol=1e-4, atol=1e-5, check="no_name" if "Instance" in
        repr(make(torch)) else None)


def test_norm_errors():
    for m in (torch, jtorch):
        with pytest.raises(ValueError, match="expected 4D input"):
            m.nn.BatchNorm2d(3)(m.ones(2, 3, 4))
        with pytest.raises(ValueError, match="Expected more than 1 value per channel"):
            m.nn.BatchNorm2d(3)(m.ones(1, 3, 1, 1))
        with pytest.raises(RuntimeError, match="running_mean should contain 4 elements not 3"):
            m.nn.BatchNorm2d(3)(m.ones(2, 4, 3, 3))
        with pytest.raises(RuntimeError, match=r"expected input with shape \[\*, 4\]"):
            m.nn.LayerNorm(4)(m.ones(2, 5))


@pytest.mark.parametrize("kw", [{}, {"padding_idx": 0}, {"padding_idx": -1},
                                {"max_norm": 1.0}])
def test_embedding(kw):
    idx = np.array([[1, 0, 4], [4, 9, 0]], np.int64)
    run(lambda m: m.nn.Embedding(10, 3, **kw), [idx], grad=False)

    outs = []
    for m in (torch, jtorch):
        m.manual_seed(0)
        e = m.nn.Embedding(10, 3, **kw)
        y = e(m.tensor(idx))
        (y * m.arange(18.).reshape(2, 3, 3)).sum().backward()
        outs.append((y, e.weight.grad, e.weight))
    for a, b in zip(outs[1], outs[0]):
        assert_same(a, b, rtol=1e-6)
    assert outs[1][0].grad_fn.name() == outs[0][0].grad_fn.name()


def test_embedding_from_pretrained():
    w = np.arange(12, dtype=np.float32).reshape(4, 3)
    res = [m.nn.Embedding.from_pretrained(m.tensor(w))(m.tensor([2, 0])) for m in (torch, jtorch)]
    assert_same(res[1], res[0])
    assert repr(res[1]) == repr(res[0])


# ------------------------------------------------------------------ nn.utils
def _params(m):
    p = [m.nn.Parameter(m.tensor([3., 4.])), m.nn.Parameter(m.tensor([[1., 2.], [2., 1.]]))]
    for q in p:
        q.grad = q.detach() * 2
    return p


@pytest.mark.parametrize("norm_type", [2.0, 1, "inf", 3.5])
def test_clip_grad_norm(norm_type):
    res = []
    for m in (torch, jtorch):
        p = _params(m)
        total = m.nn.utils.clip_grad_norm_(p, 1.0, norm_type=norm_type)
        res.append((total, p[0].grad, p[1].grad))
    for a, b in zip(res[1], res[0]):
        assert_same(a, b, rtol=1e-6)


def test_clip_grad_value_and_vectors():
    res = []
    for m in (torch, jtorch):
        p = _params(m)
        assert m.nn.utils.clip_grad_value_(p, 0.5) is None
        v = m.nn.utils.parameters_to_vector(p)
        m.nn.utils.vector_to_parameters(v * 3, p)
        res.append((p[0].grad, p[1].grad, v, p[1]))
    for a, b in zip(res[1], res[0]):
        assert_same(a, b)
    assert repr(res[1][3]) == repr(res[0][3])


def test_clip_grad_norm_nonfinite_error():
    for m in (torch, jtorch):
        q = m.nn.Parameter(m.tensor([float("nan")]))
        q.grad = m.tensor([float("nan")])
        with pytest.raises(RuntimeError, match="is non-finite, so it cannot be clipped"):
            m.nn.utils.clip_grad_norm_([q], 1.0, error_if_nonfinite=True)
        assert_same(m.nn.utils.clip_grad_norm_([], 1.0), torch.tensor(0.))


# ------------------------------------------------------------------ losses and distances
R2 = np.random.RandomState(5)
A, B, C = (R2.randn(4, 3).astype(np.float32) for _ in range(3))
Y = np.array([1., -1., 1., -1.], np.float32)
LOSSES = [
    (lambda m: m.nn.SmoothL1Loss(), [A, B]), (lambda m: m.nn.SmoothL1Loss(beta=0.5), [A, B]),
    (lambda m: m.nn.HuberLoss(delta=0.7), [A, B]),
    (lambda m: m.nn.KLDivLoss(reduction="batchmean"), [A, np.abs(B) / 3]),
    (lambda m: m.nn.KLDivLoss(reduction="sum", log_target=True), [A, B]),
    (lambda m: m.nn.SoftMarginLoss(), [A, np.sign(B)]),
    (lambda m: m.nn.MarginRankingLoss(margin=0.1), [A[:, 0], A[:, 1], Y]),
    (lambda m: m.nn.HingeEmbeddingLoss(), [A, np.sign(B)]),
    (lambda m: m.nn.CosineEmbeddingLoss(margin=0.2), [A, B, Y]),
    (lambda m: m.nn.TripletMarginLoss(), [A, B, C]),
    (lambda m: m.nn.TripletMarginLoss(p=1, swap=True), [A, B, C]),
    (lambda m: m.nn.PoissonNLLLoss(), [A, np.abs(B)]),
    (lambda m: m.nn.PoissonNLLLoss(log_input=False, full=True), [np.abs(A), np.abs(B) * 3]),
    (lambda m: m.nn.GaussianNLLLoss(), [A, B, np.abs(C) + 0.1]),
    (lambda m: m.nn.MultiLabelSoftMarginLoss(), [A, (B > 0).astype(np.float32)]),
    (lambda m: m.nn.MultiMarginLoss(), [A, np.array([0, 1, 2, 0])]),
    (lambda m: m.nn.MultiMarginLoss(p=2, margin=0.5), [A, np.array([2, 1, 2, 0])]),
    (lambda m: m.nn.CosineSimilarity(), [A, B]),
    (lambda m: m.nn.PairwiseDistance(), [A, B]),
    (lambda m: m.nn.PairwiseDistance(p=1, keepdim=True), [A, B]),
]


DISTANCES = LOSSES[-3:]
LOSSES = LOSSES[:-3]
CASES = [(k, r) for k in range(len(LOSSES)) for r in ("mean", "sum", "none")
         if "batchmean" not in repr(LOSSES[k][0](torch).reduction) or r == "mean"]


@pytest.mark.parametrize("k,reduction", CASES)
def test_loss(k, reduction):
    make, arrays = LOSSES[k]

    def with_reduction(m):
        mod = make(m)
        if mod.reduction != "batchmean":
            mod.reduction = reduction
        return mod
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # torch does not differentiate soft_margin_loss w.r.t. its target
        run(with_reduction, arrays, rtol=1e-5, atol=1e-6,
            no_grad=(1,) if "SoftMargin" in repr(make(torch)) else ())


@pytest.mark.parametrize("k", range(len(DISTANCES)))
def test_distance(k):
    make, arrays = DISTANCES[k]
    run(make, arrays, rtol=1e-5, atol=1e-6)


def test_normalize_functional():
    x = A * 3
    res = [(m.nn.functional.normalize(m.tensor(x, requires_grad=True)),
            m.nn.functional.normalize(m.tensor(x), p=1, dim=0)) for m in (torch, jtorch)]
    for a, b in zip(res[1], res[0]):
        assert_same(a, b, rtol=1e-6)
    assert res[1][0].grad_fn.name() == res[0][0].grad_fn.name()


# ------------------------------------------------------------------ more layers and init
def test_bilinear():
    a, b = RS.randn(4, 3).astype(np.float32), RS.randn(4, 5).astype(np.float32)
    run(lambda m: m.nn.Bilinear(3, 5, 2), [a, b])
    run(lambda m: m.nn.Bilinear(3, 5, 2, bias=False), [a, b])


def test_lazy_linear():
    x = RS.randn(4, 3).astype(np.float32)
    reprs = []
    for m in (torch, jtorch):
        m.manual_seed(0)
        lazy = m.nn.LazyLinear(2)
        reprs.append((repr(lazy), lazy.has_uninitialized_params()))
    assert reprs[1] == reprs[0]
    run(lambda m: m.nn.LazyLinear(2), [x])


@pytest.mark.parametrize("kw,call", [
    ({"mode": "sum"}, "offsets"), ({}, "offsets"), ({"mode": "max"}, "offsets"),
    ({"mode": "sum"}, "weights"), ({"padding_idx": 2}, "offsets"), ({}, "2d"),
    ({"mode": "max", "padding_idx": 0}, "2d"), ({"include_last_offset": True}, "last"),
])
def test_embedding_bag(kw, call):
    idx = np.array([1, 2, 4, 5, 4, 3, 2, 9], np.int64)
    w = RS.rand(8).astype(np.float32)

    def make(m):
        bag = m.nn.EmbeddingBag(10, 3, **kw)
        ix = m.tensor(idx)

        class Call(m.nn.Module):
            def __init__(self):
                super().__init__()
                self.bag = bag

            def forward(self, weights):
                if call == "2d":
                    return self.bag(ix.reshape(2, 4))
                if call == "weights":
                    return self.bag(ix, m.tensor([0, 3, 3]), per_sample_weights=weights)
                if call == "last":
                    return self.bag(ix, m.tensor([0, 3, 8]))
                return self.bag(ix, m.tensor([0, 3, 3]))
        return Call()
    run(make, [w], no_grad=(0,) if call != "weights" else ())


def test_parameter_containers():
    reprs, names = [], []
    for m in (torch, jtorch):
        pl = m.nn.ParameterList([m.nn.Parameter(m.ones(2)), m.zeros(3, 2)])
        pl.append(m.nn.Parameter(m.ones(())))
        pd = m.nn.ParameterDict({"a": m.nn.Parameter(m.ones(2)),
                                 "b": m.zeros(3, dtype=m.float64)})
        pd["c"] = m.nn.Parameter(m.ones(1, 1))

        class Holder(m.nn.Module):
            def __init__(self):
                super().__init__()
                self.pl, self.pd = pl, pd
        h = Holder()
        reprs.append(repr(h))
        names.append(([n for n, _ in h.named_parameters()], len(pl), len(pd), list(pd.keys()),
                      type(pl[1]).__name__, pd.pop("a").shape, "a" in pd, pl[-1].shape))
    assert reprs[1] == reprs[0]
    assert names[1] == names[0]


INITS = [("eye_", (3, 4), {}), ("dirac_", (4, 2, 3, 3), {"groups": 2}),
         ("trunc_normal_", (50,), {}),
         ("trunc_normal_", (200,), {"mean": 1.0, "std": 0.5, "a": 1.5, "b": 3.0}),
         ("orthogonal_", (3, 5), {"gain": 2.0}), ("orthogonal_", (6, 2, 2), {}),
         ("sparse_", (6, 4), {"sparsity": 0.5})]


@pytest.mark.parametrize("name,shape,kw", INITS)
def test_init_functions(name, shape, kw):
    """Values (and the generator state after them) equal torch's after the same seed."""
    res = []
    for m in (torch, jtorch):
        m.manual_seed(0)
        t = m.empty(shape)
        getattr(m.nn.init, name)(t, **kw)
        res.append((t, m.rand(2)))
    assert_same(res[1][0], res[0][0], rtol=1e-5, atol=1e-6)
    assert_same(res[1][1], res[0][1])
