"""torch.autograd.graph and the rest of torch.autograd's public names, compared with torch:
gradient edges, multi-tensor hooks, saved-tensor hooks, mutation of saved tensors, anomaly
detection, Function extras, grad options, legacy Variable, gradgradcheck, hvp/vhp."""
import warnings

import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same

torch = pytest.importorskip("torch")

MODULES = (jtorch, torch)


def _same_everywhere(fn):
    """fn(m) for jtorch and torch; returns both results (compare them)."""
    return [fn(m) for m in MODULES]


def test_public_names_exist():
    for mod in ("autograd", "autograd.graph", "autograd.forward_ad", "autograd.functional"):
        t = eval("torch." + mod)
        j = eval("jtorch." + mod)
        names = getattr(t, "__all__", None) or [n for n in dir(t) if not n.startswith("_")]
        missing = [n for n in names if not hasattr(j, n)]
        # NestedIOFunction: a legacy Function style no tutorial uses
        assert missing in ([], ["NestedIOFunction"]), (mod, missing)


def test_gradient_edges():
    def run(m):
        G = m.autograd.graph
        x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 2
        e = G.get_gradient_edge(y)
        leaf = G.get_gradient_edge(x)
        g, = m.autograd.grad((y * y).sum(), e)
        return (e.node is y.grad_fn, e.output_nr, e.ownership_token,
                type(leaf.node).__name__, leaf.node.variable is x, g.tolist())
    j, t = _same_everywhere(run)
    assert j == t


def test_gradient_edge_of_tensor_without_grad_raises():
    errors = []
    for m in MODULES:
        with pytest.raises(RuntimeError) as info:
            m.autograd.graph.get_gradient_edge(m.ones(2))
        errors.append(str(info.value))
    assert errors[0] == errors[1]


def test_multi_grad_hook_modes():
    def run(m):
        G = m.autograd.graph
        a, b, c = (m.ones(2, requires_grad=True) for _ in range(3))
        calls = []
        h = G.register_multi_grad_hook(
            (a, b, c), lambda gs: calls.append([None if g is None else g.tolist() for g in gs]))
        (a * 2 + b).sum().backward()
        (a * 3).sum().backward()
        h.remove()
        (a * 3).sum().backward()
        anys = []
        h = G.register_multi_grad_hook((a, b), lambda g: anys.append(g.tolist()), mode="any")
        (a * 2 + b * 2).sum().backward()
        (b * 4).sum().backward()
        return calls, anys
    j, t = _same_everywhere(run)
    assert j == t


def test_saved_tensors_hooks_on_custom_function():
    def run(m):
        log = []

        class Scale(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * 2

            @staticmethod
            def backward(ctx, g):
                x, = ctx.saved_tensors
                return g * x

        with m.autograd.graph.saved_tensors_hooks(lambda t: (log.append("pack"), t * 10)[1],
                                                  lambda t: (log.append("unpack"), t)[1]):
            x = m.tensor([3.0], requires_grad=True)
            out = Scale.apply(x)
        out.backward()
        return x.grad.tolist(), log
    j, t = _same_everywhere(run)
    assert j == t


def test_disable_saved_tensors_hooks():
    errors = []
    for m in MODULES:
        G = m.autograd.graph
        with G.disable_saved_tensors_hooks("no hooks here"):
            with pytest.raises(RuntimeError) as info:
                with G.saved_tensors_hooks(lambda t: t, lambda t: t):
                    pass
        errors.append(str(info.value))
        with G.save_on_cpu():
            y = (m.ones(2, requires_grad=True) * 3).sum()
        y.backward()
    assert errors[0] == errors[1] == "no hooks here"


def test_allow_mutation_on_saved_tensors():
    def run(m):
        x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        with m.autograd.graph.allow_mutation_on_saved_tensors():
            w = x.clone()
            q = (w * w).sum()
            w.mul_(2)
            q.backward()
        return x.grad.tolist()
    j, t = _same_everywhere(run)
    assert j == t


def test_increment_version_trips_the_saved_tensor_check():
    errors = []
    for m in MODULES:
        x = m.ones(2, requires_grad=True)
        z = x.exp()
        m.autograd.graph.increment_version(z)
        assert z._version == 1
        with pytest.raises(RuntimeError) as info:
            z.sum().backward()
        errors.append(str(info.value))
    assert errors[0] == errors[1]


def _nan_function(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, g):
            return g * float("nan")
    return F


def test_detect_anomaly_names_the_node_that_returned_nan():
    results = []
    for m in MODULES:
        a = m.ones(2, requires_grad=True)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            with m.autograd.detect_anomaly():
                assert m.autograd.grad_mode is not None
                with pytest.raises(RuntimeError) as e1:
                    _nan_function(m).apply(a).sum().backward()
                with pytest.raises(RuntimeError) as e2:
                    m.autograd.grad(a.div(a * 0).sum(), a)
        results.append((str(e1.value), str(e2.value), str(w[0].message)))
        # off again: the same backward runs through
        _nan_function(m).apply(a).sum().backward()
    assert results[0] == results[1]


def test_set_detect_anomaly_function_and_context_forms():
    for m in MODULES:
        A = m.autograd
        A.set_detect_anomaly(True)
        assert torch.is_anomaly_enabled() if m is torch else A.is_anomaly_enabled()
        A.set_detect_anomaly(False)
        with A.set_detect_anomaly(True, check_nan=False):
            _nan_function(m).apply(m.ones(1, requires_grad=True)).sum().backward()


def test_function_setup_context_style():
    def run(m):
        class Sq(m.autograd.Function):
            @staticmethod
            def forward(x):
                return x * x

            @staticmethod
            def setup_context(ctx, inputs, output):
                ctx.save_for_backward(inputs[0])

            @staticmethod
            def backward(ctx, g):
                x, = ctx.saved_tensors
                return 2 * x * g

        a = m.tensor([3.0], requires_grad=True)
        y = Sq.apply(a)
        y.backward()
        return a.grad.tolist(), type(y.grad_fn).__name__
    j, t = _same_everywhere(run)
    assert j == t


def test_grad_allow_unused_and_materialize():
    def run(m):
        b = m.ones(1, requires_grad=True)
        c = m.ones(1, requires_grad=True)
        out = m.autograd.grad((b * 2).sum(), [b, c], allow_unused=True)
        mat = m.autograd.grad((b * 2).sum(), [b, c], materialize_grads=True)
        with pytest.raises(RuntimeError) as info:
            m.autograd.grad((b * 2).sum(), [b, c])
        return out[1], mat[1].tolist(), str(info.value)
    j, t = _same_everywhere(run)
    assert j == t


def test_post_accumulate_grad_hook():
    def run(m):
        log = []
        x = m.ones(2, requires_grad=True)
        h = x.register_post_accumulate_grad_hook(lambda t: log.append((t is x, t.grad.tolist())))
        for k in range(4):          # past the fused backward's warm-up
            (x * k).sum().backward()
        h.remove()
        (x * 5).sum().backward()
        errors = []
        for bad in (lambda: (x * 2).register_post_accumulate_grad_hook(lambda t: None),
                    lambda: m.ones(2).register_post_accumulate_grad_hook(lambda t: None)):
            with pytest.raises(RuntimeError) as info:
                bad()
            errors.append(str(info.value))
        return log, errors, x.retains_grad
    j, t = _same_everywhere(run)
    assert j == t


def test_legacy_variable():
    def run(m):
        x = m.tensor([1.0, 2.0])
        v = m.autograd.Variable(x, requires_grad=True)
        with pytest.raises(TypeError) as info:
            m.autograd.Variable(3)
        return (isinstance(x, m.autograd.Variable), v.requires_grad, v is x, v.is_leaf,
                v.tolist(), str(info.value))
    j, t = _same_everywhere(run)
    assert j == t


def test_gradgradcheck_and_gradcheck():
    for m in MODULES:
        x = m.tensor([0.5, -1.0, 2.0], dtype=m.float64, requires_grad=True)
        assert m.autograd.gradgradcheck(lambda x: (x.sin() * x), (x,))
        assert m.autograd.gradgradcheck(lambda x: (x.tanh() * x).sum(), (x,))


def test_hvp_vhp():
    res = []
    for m in MODULES:
        x = m.tensor([0.5, -1.0, 2.0], dtype=m.float64)
        v = m.tensor([1.0, 2.0, 3.0], dtype=m.float64)

        def f(x):
            return (x * x * x).sum() + (x[0] * x[1])
        res.append(m.autograd.functional.hvp(f, x, v) + m.autograd.functional.vhp(f, x, v))
    for j, t in zip(*res):
        assert_same(j, t)


def test_gradient_edge_materialized_for_unreached_leaf():
    b = jtorch.ones(2, requires_grad=True)
    c = jtorch.ones(3, requires_grad=True)
    edge = jtorch.autograd.graph.get_gradient_edge(c)
    g = jtorch.autograd.grad((b * 2).sum(), [b, edge], materialize_grads=True)
    assert np.asarray(g[1].numpy()).tolist() == [0.0, 0.0, 0.0]


def test_set_materialize_grads():
    def run(m):
        seen = []
        for materialize in (True, False):
            class Two(m.autograd.Function):
                @staticmethod
                def forward(ctx, x):
                    ctx.set_materialize_grads(materialize)
                    return x * 2, x * 3

                @staticmethod
                def backward(ctx, g1, g2):
                    seen.append((g1 is None, g2 is None))
                    return g1 if g2 is None else g1 + g2
            x = m.ones(2, requires_grad=True)
            a, _ = Two.apply(x)
            a.sum().backward()
            seen.append(x.grad.tolist())
        return seen
    j, t = _same_everywhere(run)
    assert j == t


def test_grad_is_grads_batched():
    def run(m):
        x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        g, = m.autograd.grad(x * x, x, m.eye(3), is_grads_batched=True)
        return g.tolist()
    j, t = _same_everywhere(run)
    assert j == t


def test_saved_tensors_hooks_on_built_in_ops():
    def run(m):
        log = []

        def pack(t):
            log.append(("pack", tuple(t.shape)))
            return t

        def unpack(t):
            log.append(("unpack", tuple(t.shape)))
            return t
        x = m.ones(2, 3, requires_grad=True)
        w = m.ones(3, requires_grad=True)
        with m.autograd.graph.saved_tensors_hooks(pack, unpack):
            y = (x * x).sum() + (x.exp() * w).sum() + x.sin().sum() + (x + 1).sum()
        packed = sorted(log)
        log.clear()
        y.backward()
        return packed, sorted(log), x.grad.tolist()
    j, t = _same_everywhere(run)
    assert j[:2] == t[:2]
    np.testing.assert_allclose(j[2], t[2], rtol=1e-6)
