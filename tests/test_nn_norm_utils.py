"""nn.utils weight_norm / spectral_norm (hook-based and parametrization-based), parametrize
and orthogonal against torch: after the same seed, print(module), state_dict (keys, values,
power-iteration buffers after several training forwards), outputs, gradients w.r.t. the
input and the underlying parameters (train and eval), load_state_dict, remove_*, errors."""
import copy
import warnings

import numpy as np
import pytest

import jtorch
from jtorch import _cpu_capability
from tests.helpers import assert_same
from tests.test_nn_layers import run

torch = pytest.importorskip("torch")

RS = np.random.RandomState(5)
X2 = RS.randn(5, 4).astype(np.float32)
X4 = RS.randn(2, 3, 6, 6).astype(np.float32)
SEQ = RS.randn(4, 2, 3).astype(np.float32)
IDX = np.array([[1, 0, 4], [4, 9, 2]], np.int64)

LAYERS = {
    "linear": (lambda m: m.nn.Linear(4, 3), X2),
    "conv": (lambda m: m.nn.Conv2d(3, 4, 3), X4),
    "convT": (lambda m: m.nn.ConvTranspose2d(3, 2, 3), X4),
    "embedding": (lambda m: m.nn.Embedding(10, 3), IDX),
    "lstm": (lambda m: m.nn.LSTM(3, 4), SEQ),
}


def P(m):
    return m.nn.utils.parametrizations


def old_wn(mod, m, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return m.nn.utils.weight_norm(mod, **kw)


def _norm(which, **kw):
    def apply(mod, m, name):
        if which == "old_wn":
            return old_wn(mod, m, name=name, **kw)
        fns = {"wn": P(m).weight_norm, "sn": P(m).spectral_norm,
               "old_sn": m.nn.utils.spectral_norm}
        return fns[which](mod, name, **kw)
    return apply


NORMS = {"wn": _norm("wn"), "wn_dim1": _norm("wn", dim=1), "wn_none": _norm("wn", dim=None),
         "sn": _norm("sn"), "sn_3it": _norm("sn", n_power_iterations=3),
         "sn_dim1": _norm("sn", dim=1), "old_wn": _norm("old_wn"),
         "old_wn_none": _norm("old_wn", dim=None), "old_sn": _norm("old_sn"),
         "old_sn_2it": _norm("old_sn", n_power_iterations=2)}
CASES = [(layer, norm) for layer in ("linear", "conv", "embedding", "lstm")
         for norm in ("wn", "wn_none", "sn", "old_wn", "old_sn")]
# torch's RNNBase.forward reads each parametrized weight 4 times (hasattr + getattr in
# _weights_have_changed, then again in _init_flat_weights): 4 power iterations per training
# forward; jtorch's rnn.py reads it once (fix: mimic that access pattern in its forward)
RNN_READS = pytest.mark.xfail(strict=True, reason="torch's LSTM reads a parametrized weight "
                              "4 times per forward, jtorch's once")
CASES += [("conv", "wn_dim1"), ("conv", "sn_3it"), ("conv", "sn_dim1"), ("convT", "sn"),
          ("convT", "old_sn"), ("linear", "old_wn_none"), ("linear", "old_sn_2it")]
CASES = [pytest.param(*c, t, marks=RNN_READS) if c == ("lstm", "sn") and t else (*c, t)
         for c in CASES for t in (True, False)]
# torch's DEFAULT build (no AVX2) sums its mv/dot reductions in another order; the power
# iteration on this conv weight (two close singular values) amplifies that: torch's own u
# differs by ~1e-5 between DEFAULT and AVX2, beyond these cases' tolerance in eval mode
SN_DEFAULT = pytest.mark.xfail(_cpu_capability.capability() == "DEFAULT", strict=True,
                               reason="torch's DEFAULT-build reductions round differently and "
                               "the power iteration amplifies it beyond rtol=1e-4")
CASES = [pytest.param(*c, marks=SN_DEFAULT)
         if c in (("conv", "sn", False), ("conv", "sn_3it", False)) else c for c in CASES]


def thrice(make, norm, name):
    """The normed layer called three times (the power iteration advances on each training
    call); the last output is returned."""
    def build(m):
        mod = NORMS[norm](make(m), m, name)

        class Thrice(m.nn.Module):
            def __init__(self):
                super().__init__()
                self.inner = mod

            def forward(self, x):
                self.inner(x)
                self.inner(x)
                return self.inner(x)
        return Thrice()
    return build


@pytest.mark.parametrize("layer,norm,train", CASES)
def test_normed_layer(layer, norm, train):
    make, x = LAYERS[layer]
    name = "weight_hh_l0" if layer == "lstm" else "weight"
    # the output node of torch's LSTM depends on the processor (oneDNN); the old hook-based
    # weight_norm's weight is a WeightNormInterfaceBackward0 in torch (see weight_norm.py)
    jm, tm = run(thrice(make, norm, name), [x], train=train, rtol=1e-4, atol=1e-5,
                 check="no_name" if layer == "lstm" else None)
    assert type(jm.inner).__name__ == type(tm.inner).__name__
    jb, tb = dict(jm.named_buffers()), dict(tm.named_buffers())
    assert list(jb) == list(tb)
    for k in tb:
        assert_same(jb[k], tb[k], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("shape", [(7, 5), (20, 17)])    # normal_'s scalar and vector paths
@pytest.mark.parametrize("old", [False, True])
def test_spectral_norm_initial_draws(shape, old):
    # u and v are drawn with normal_ right after the layer's own init: torch's values, and the
    # generator is left in torch's state
    res = []
    for m in (torch, jtorch):
        m.manual_seed(3)
        mod = m.nn.Linear(*shape)
        if old:
            m.nn.utils.spectral_norm(mod)
            res.append((mod.weight_u, mod.weight_v, mod.weight))
        else:
            P(m).spectral_norm(mod)
            p = mod.parametrizations.weight[0]
            res.append((p._u, p._v, mod.weight))
        res[-1] += (m.get_rng_state().numpy(),)
    for a, b in zip(res[1][:3], res[0][:3]):
        assert_same(a, b, rtol=1e-5, atol=1e-6)
    assert np.array_equal(res[1][3], res[0][3])


def test_eval_freezes_power_iteration():
    res = []
    for m in (torch, jtorch):
        m.manual_seed(0)
        mods = [P(m).spectral_norm(m.nn.Linear(4, 6)), m.nn.utils.spectral_norm(m.nn.Linear(4, 6))]
        x = m.tensor(X2)
        for mod in mods:
            mod(x)
            before = [b.clone() for b in mod.buffers()]
            mod.eval()
            y = mod(x)
            for b0, b1 in zip(before, mod.buffers()):
                assert np.array_equal(b0.numpy(), b1.numpy())
            res.append((y, *mod.buffers()))
    for a, b in zip(res[2] + res[3], res[0] + res[1]):
        assert_same(a, b, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("norm", ["sn", "old_sn", "wn_none", "wn", "old_wn"])
def test_weight_node_name(norm):
    names = []
    for m in (torch, jtorch):
        mod = NORMS[norm](m.nn.Linear(4, 3), m, "weight")
        mod(m.tensor(X2))
        names.append(mod.weight.grad_fn.name())
    assert names[1] == names[0]


@pytest.mark.parametrize("norm", ["wn", "sn", "old_wn", "old_sn"])
def test_state_dict_round_trip(norm):
    x = X2
    outs = {}
    for m in (torch, jtorch):
        m.manual_seed(0)
        a = NORMS[norm](m.nn.Linear(4, 3), m, "weight")
        for _ in range(2):
            a(m.tensor(x))
        b = NORMS[norm](m.nn.Linear(4, 3), m, "weight")
        res = b.load_state_dict(a.state_dict())
        assert list(res.missing_keys) == [] and list(res.unexpected_keys) == []
        for k, v in a.state_dict().items():
            assert np.array_equal(b.state_dict()[k].numpy(), v.numpy())
        b.eval()
        outs[m] = (b(m.tensor(x)), list(b.state_dict()), b)
    assert outs[jtorch][1] == outs[torch][1]
    assert_same(outs[jtorch][0], outs[torch][0], rtol=1e-5, atol=1e-6)
    # torch's values loaded into a freshly seeded jtorch module give torch's output
    jtorch.manual_seed(3)
    j = NORMS[norm](jtorch.nn.Linear(4, 3), jtorch, "weight").eval()
    j.load_state_dict({k: jtorch.tensor(v.numpy()) for k, v in outs[torch][2].state_dict().items()})
    assert_same(j(jtorch.tensor(x)), outs[torch][0], rtol=1e-5, atol=1e-6)


def test_state_dict_metadata_and_strict_errors():
    meta = []
    for m in (torch, jtorch):
        mods = [m.nn.utils.spectral_norm(m.nn.Linear(4, 3)), P(m).spectral_norm(m.nn.Linear(4, 3))]
        meta.append([dict(mod.state_dict()._metadata) for mod in mods])
    assert meta[1] == meta[0]
    msgs = []
    for m in (torch, jtorch):
        mod = P(m).weight_norm(m.nn.Linear(4, 3))
        sd = mod.state_dict()
        del sd["parametrizations.weight.original0"]
        with pytest.raises(RuntimeError) as e:
            mod.load_state_dict(sd)
        msgs.append(str(e.value))
    assert msgs[1] == msgs[0]


def test_weight_norm_loads_old_keys():
    # the parametrization's load hook accepts a state_dict saved with the hook-based version
    outs = []
    for m in (torch, jtorch):
        m.manual_seed(0)
        old = old_wn(m.nn.Linear(4, 3), m)
        new = P(m).weight_norm(m.nn.Linear(4, 3))
        new.load_state_dict(old.state_dict())
        outs.append((new(m.tensor(X2)), old(m.tensor(X2))))
    assert_same(outs[1][0], outs[0][0], rtol=1e-5, atol=1e-6)
    assert_same(outs[1][0], outs[1][1], rtol=1e-6, atol=1e-7)


def test_old_spectral_norm_loads_version0_state_dict():
    # a version-0 checkpoint saved `weight` instead of `weight_v`: v is solved for
    outs = []
    for m in (torch, jtorch):
        m.manual_seed(0)
        # a tall weight: W^T W is invertible (pinverse of a singular one is ill-conditioned)
        mod = m.nn.utils.spectral_norm(m.nn.Linear(4, 6))
        mod(m.tensor(X2))
        sd = mod.state_dict()
        sd["weight"] = mod.weight.detach().clone()
        del sd["weight_v"]
        sd._metadata[""]["spectral_norm"]["weight.version"] = 0
        fresh = m.nn.utils.spectral_norm(m.nn.Linear(4, 6))
        fresh.load_state_dict(sd)
        outs.append(fresh.weight_v)
    assert_same(outs[1], outs[0], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("norm", ["wn", "sn", "old_wn", "old_sn"])
@pytest.mark.parametrize("layer", ["linear", "conv", "lstm"])
def test_remove_restores_plain_parameter(layer, norm):
    make, x = LAYERS[layer]
    name = "weight_hh_l0" if layer == "lstm" else "weight"
    res = []
    for m in (torch, jtorch):
        m.manual_seed(0)
        mod = NORMS[norm](make(m), m, name)
        mod(m.tensor(x))
        if norm.startswith("old_"):
            getattr(m.nn.utils, "remove_" + ("weight_norm" if "wn" in norm
                                             else "spectral_norm"))(mod, name)
        else:
            m.nn.utils.parametrize.remove_parametrizations(mod, name)
        w = getattr(mod, name)
        assert isinstance(w, m.nn.Parameter) and w.requires_grad
        assert not m.nn.utils.parametrize.is_parametrized(mod)
        y = mod(m.tensor(x))
        res.append((w, repr(mod), list(mod.state_dict()), type(mod).__name__,
                    [n for n, _ in mod.named_parameters()], y[0] if layer == "lstm" else y))
    assert res[1][1:5] == res[0][1:5]
    for a, b in zip(res[1][::5], res[0][::5]):
        assert_same(a, b, rtol=1e-4, atol=1e-5)


def _raises_same(fn):
    """fn(m) raises the same exception type and message in both libraries."""
    errs = []
    for m in (torch, jtorch):
        with pytest.raises(Exception) as e:
            fn(m)
        errs.append(e)
    assert errs[1].type is errs[0].type, (errs[1].value, errs[0].value)
    assert str(errs[1].value) == str(errs[0].value)


@pytest.mark.parametrize("fn", [
    lambda m: old_wn(old_wn(m.nn.Linear(2, 3), m), m),
    lambda m: m.nn.utils.spectral_norm(m.nn.utils.spectral_norm(m.nn.Linear(2, 3))),
    lambda m: m.nn.utils.remove_weight_norm(m.nn.Linear(2, 3)),
    lambda m: m.nn.utils.remove_spectral_norm(old_wn(m.nn.Linear(2, 3), m)),
    lambda m: m.nn.utils.spectral_norm(m.nn.Linear(2, 3), n_power_iterations=0),
    lambda m: m.nn.utils.spectral_norm(m.nn.Linear(2, 3, bias=False), name="bias"),
    lambda m: P(m).spectral_norm(m.nn.Linear(2, 3), dim=2),
    lambda m: P(m).spectral_norm(m.nn.Linear(2, 3), n_power_iterations=0),
    lambda m: P(m).spectral_norm(m.nn.Linear(2, 3), name="nope"),
    lambda m: m.nn.utils.parametrize.remove_parametrizations(m.nn.Linear(2, 3), "weight"),
    lambda m: m.nn.utils.parametrize.remove_parametrizations(
        P(m).weight_norm(m.nn.Linear(2, 3)), "weight", leave_parametrized=False),
    lambda m: m.nn.utils.parametrize.register_parametrization(m.nn.Linear(2, 3), "nope",
                                                              m.nn.Identity()),
    lambda m: P(m).orthogonal(m.nn.Linear(2, 3), name="bias"),
    lambda m: P(m).orthogonal(m.nn.Linear(2, 3), orthogonal_map="nope"),
    # a Parameter may not replace a parametrized tensor (its property exists)
    lambda m: setattr(P(m).weight_norm(m.nn.Linear(2, 3)), "weight", m.nn.Parameter(m.ones(3, 2))),
])
def test_errors(fn):
    _raises_same(fn)


def test_old_weight_norm_deprecation_warning():
    caught = []
    for m in (torch, jtorch):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            m.nn.utils.weight_norm(m.nn.Linear(2, 3))
        caught.append([(x.category, str(x.message)) for x in w])
    assert caught[1] == caught[0] and caught[0][0][0] is FutureWarning


# ------------------------------------------------------------------ parametrize
def _symmetric(m):
    class Symmetric(m.nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).transpose(-1, -2)

        def right_inverse(self, A):
            return A.triu()
    return Symmetric()


def _scale(m):
    class Scale(m.nn.Module):
        def __init__(self):
            super().__init__()
            self.s = m.nn.Parameter(m.tensor(2.0))

        def forward(self, X):
            return X * self.s

        def right_inverse(self, A):
            return A / self.s
    return Scale()


def test_parametrize_custom_stack_assign_and_cache():
    res = []
    for m in (torch, jtorch):
        pz = m.nn.utils.parametrize
        m.manual_seed(0)
        lin = m.nn.Linear(4, 4)
        w0 = lin.weight
        pz.register_parametrization(lin, "weight", _symmetric(m))
        pz.register_parametrization(lin, "weight", _scale(m))
        # the original Parameter object is kept (optimizers stay valid)
        assert lin.parametrizations.weight.original is w0
        assert pz.is_parametrized(lin) and pz.is_parametrized(lin, "weight")
        assert not pz.is_parametrized(lin, "bias")
        assert pz.type_before_parametrizations(lin) is m.nn.Linear
        text = repr(lin)
        keys = [n for n, _ in lin.named_parameters()]
        y = lin(m.tensor(X2))
        y.sum().backward()
        grads = [p.grad for _, p in lin.named_parameters()]
        with pz.cached():
            a, b = lin.weight, lin.weight
            assert a is b
        assert lin.weight is not lin.weight
        # assignment goes through the right inverses (last to first)
        lin.weight = m.arange(16.).reshape(4, 4)
        after = (lin.weight.detach().clone(), lin.parametrizations.weight.original.detach())
        pz.register_parametrization(lin, "bias", _scale(m))
        pz.remove_parametrizations(lin, "weight", leave_parametrized=False)
        names = [type(lin).__name__, list(lin.state_dict())]
        pz.remove_parametrizations(lin, "bias")      # the last one: the class is restored
        res.append((text, keys, y, grads, after, lin.weight, names + [type(lin).__name__],
                    lin.weight is w0))
    j, t = res
    assert j[0] == t[0] and j[1] == t[1] and j[6] == t[6] and j[7] == t[7]
    assert_same(j[2], t[2], rtol=1e-5, atol=1e-6)
    for a, b in zip(j[3] + list(j[4]) + [j[5]], t[3] + list(t[4]) + [t[5]]):
        assert_same(a, b, rtol=1e-5, atol=1e-6)


def test_parametrize_buffer_and_transfer():
    res = []
    for m in (torch, jtorch):
        pz = m.nn.utils.parametrize
        bn = m.nn.BatchNorm1d(3)
        bn.running_var.fill_(4.0)
        pz.register_parametrization(bn, "running_var", _scale(m))
        state = list(bn.state_dict())
        buf = [n for n, _ in bn.named_buffers()]
        m.manual_seed(0)
        src = P(m).weight_norm(m.nn.Linear(4, 3))
        dst = pz.transfer_parametrizations_and_params(src, m.nn.Linear(4, 3))
        res.append((repr(bn), state, buf, bn.running_var, repr(dst), list(dst.state_dict()),
                    dst(m.tensor(X2)), dst.parametrizations.weight.original0 is
                    src.parametrizations.weight.original0))
    j, t = res
    assert j[0] == t[0] and j[1] == t[1] and j[2] == t[2] and j[4:6] == t[4:6]
    assert j[7] == t[7]
    assert_same(j[3], t[3])
    assert_same(j[6], t[6], rtol=1e-5, atol=1e-6)


def test_parametrized_module_copy_and_pickle():
    for m in (torch, jtorch):
        mod = P(m).weight_norm(m.nn.Linear(4, 3))
        c = copy.deepcopy(mod)
        assert type(c).__name__ == "ParametrizedLinear"
        assert c.parametrizations.weight.original1 is not mod.parametrizations.weight.original1
        assert np.array_equal(c.weight.detach().numpy(), mod.weight.detach().numpy())
    _raises_same(lambda m: __import__("pickle").dumps(P(m).weight_norm(m.nn.Linear(4, 3))))


# ------------------------------------------------------------------ orthogonal
ORTHO = [(4, 4, {}), (4, 4, {"orthogonal_map": "cayley"}), (3, 5, {}), (5, 3, {}),
         (3, 5, {"orthogonal_map": "matrix_exp"}), (5, 3, {"use_trivialization": False}),
         (5, 3, {"orthogonal_map": "cayley", "use_trivialization": False})]


@pytest.mark.parametrize("fan_in,fan_out,kw", ORTHO)
def test_orthogonal(fan_in, fan_out, kw):
    def build(m):
        mod = P(m).orthogonal(m.nn.Linear(fan_in, fan_out), **kw)
        # step the unconstrained original away from the base point; the householder map
        # reads signs from the diagonal (an int cast), so that stays
        with m.no_grad():
            o = mod.parametrizations.weight.original
            step = m.linspace(-0.3, 0.4, o.numel()).reshape(o.shape)
            step.diagonal(dim1=-2, dim2=-1).zero_()
            o.add_(step)
        return mod
    jm, _ = run(build, [RS.randn(5, fan_in).astype(np.float32)], rtol=1e-4, atol=1e-5)
    w = jm.weight.detach().numpy()
    gram = w @ w.T if fan_out <= fan_in else w.T @ w
    np.testing.assert_allclose(gram, np.eye(min(w.shape)), atol=1e-5)


@pytest.mark.parametrize("kw", [{}, {"use_trivialization": False}, {"orthogonal_map": "cayley"}])
@pytest.mark.parametrize("ks", [(2, 2), (2, 3), (3, 2)])
def test_orthogonal_batched(ks, kw):
    # a Conv2d weight is a (3, 2) batch of kernel matrices, each made orthogonal
    def build(m):
        mod = P(m).orthogonal(m.nn.Conv2d(2, 3, ks), **kw)
        with m.no_grad():
            o = mod.parametrizations.weight.original
            o.add_(m.linspace(-0.3, 0.4, o.numel()).reshape(o.shape).tril(-1))
        return mod
    run(build, [X4[:, :2]], rtol=1e-4, atol=1e-5)
