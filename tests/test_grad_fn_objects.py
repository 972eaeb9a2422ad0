"""grad_fn objects as torch's: one class per node name, AccumulateGrad edges, custom Function
nodes, hooks, metadata and the ``_saved_*`` attributes tutorials print."""
import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same

torch = pytest.importorskip("torch")

MODULES = (jtorch, torch)


def _inputs(m):
    rng = np.random.RandomState(0)
    x = m.tensor(rng.rand(2, 3).astype(np.float32) + 0.5, requires_grad=True)
    y = m.tensor(rng.rand(2, 3).astype(np.float32) + 0.5, requires_grad=True)
    w = m.tensor(rng.rand(3, 3).astype(np.float32), requires_grad=True)
    b = m.tensor(rng.rand(3).astype(np.float32), requires_grad=True)
    return x, y, w, b


# (case, expression): the node classes most tutorials meet
EXPRESSIONS = {
    "add": lambda m, x, y, w, b: x + y,
    "sub": lambda m, x, y, w, b: x - 1,
    "rsub": lambda m, x, y, w, b: 1 - x,
    "mul": lambda m, x, y, w, b: x * y,
    "mul_scalar": lambda m, x, y, w, b: x * 2,
    "div": lambda m, x, y, w, b: x / y,
    "pow": lambda m, x, y, w, b: x ** 2,
    "pow_tensor": lambda m, x, y, w, b: x ** y,
    "rpow": lambda m, x, y, w, b: 2 ** x,
    "exp": lambda m, x, y, w, b: x.exp(),
    "tanh": lambda m, x, y, w, b: x.tanh(),
    "sigmoid": lambda m, x, y, w, b: x.sigmoid(),
    "relu": lambda m, x, y, w, b: x.relu(),
    "log": lambda m, x, y, w, b: x.log(),
    "mm": lambda m, x, y, w, b: x.mm(w),
    "addmm": lambda m, x, y, w, b: m.addmm(b, x, w),
    "linear": lambda m, x, y, w, b: m.nn.functional.linear(x, w, b),
    "sum": lambda m, x, y, w, b: x.sum(),
    "sum_dim": lambda m, x, y, w, b: x.sum(1),
    "mean": lambda m, x, y, w, b: x.mean(),
    "softmax": lambda m, x, y, w, b: x.softmax(1),
    "log_softmax": lambda m, x, y, w, b: x.log_softmax(1),
    "view": lambda m, x, y, w, b: x.view(6),
    "t": lambda m, x, y, w, b: x.t(),
    "cat": lambda m, x, y, w, b: m.cat([x, y]),
    "mse": lambda m, x, y, w, b: m.nn.functional.mse_loss(x, y),
}


@pytest.mark.parametrize("case", sorted(EXPRESSIONS))
def test_node_class_name_and_saved_attributes(case):
    seen = []
    for m in MODULES:
        x, y, w, b = _inputs(m)
        fn = EXPRESSIONS[case](m, x, y, w, b).grad_fn
        names = sorted(a for a in dir(fn) if a.startswith("_saved_"))
        seen.append((type(fn).__name__, fn.name(), names))
        assert isinstance(fn, m.autograd.graph.Node)
        assert fn.metadata == {}
    assert seen[0] == seen[1]


@pytest.mark.parametrize("case", sorted(EXPRESSIONS))
def test_saved_values_as_torch(case):
    values = []
    for m in MODULES:
        x, y, w, b = _inputs(m)
        args = {"x": x, "y": y, "w": w, "b": b}
        fn = EXPRESSIONS[case](m, x, y, w, b).grad_fn
        row = {}
        for name in sorted(a for a in dir(fn) if a.startswith("_saved_")):
            v = getattr(fn, name)
            same = [k for k, a in args.items() if v is a]
            row[name] = ("input", same) if same else v
        values.append(row)
    for name, j in values[0].items():
        t = values[1][name]
        if isinstance(t, torch.Tensor):
            assert_same(j, t, rtol=1e-6, atol=1e-6)
        else:
            assert j == t, (name, j, t)


def test_accumulate_grad_edges_and_variable():
    for m in MODULES:
        x, y, _, _ = _inputs(m)
        z = m.tensor([1.0, 2.0, 3.0])
        fn = (x * y).grad_fn
        (a, ia), (b, ib) = fn.next_functions
        assert type(a).__name__ == "AccumulateGrad" and a.variable is x and ia == 0
        assert b.variable is y
        assert (x[0] * z).grad_fn.next_functions[1] == (None, 0)
        assert x.grad_fn is None
        assert repr(fn).startswith("<MulBackward0 object at 0x")


def test_custom_function_node_class():
    for m in MODULES:
        class Foo(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                ctx.scale = 3.0
                return x * 3

            @staticmethod
            def backward(ctx, g):
                return g * ctx.scale

        x = m.ones(2, requires_grad=True)
        out = Foo.apply(x)
        assert type(out.grad_fn).__name__ == "FooBackward"
        assert type(out.grad_fn) is Foo._backward_cls
        assert out.grad_fn.name() == "FooBackward"
        assert out.grad_fn.saved_tensors[0] is x
        assert out.grad_fn.scale == 3.0
        assert out.grad_fn.next_functions[0][0].variable is x


def test_one_class_per_name():
    x = jtorch.ones(2, requires_grad=True)
    assert type((x * 2).grad_fn) is type((x * x).grad_fn)
    assert type((x + 1).grad_fn) is not type((x * 2).grad_fn)


def test_node_hooks_run_as_torch():
    logs = []
    for m in MODULES:
        log = []
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        y.grad_fn.register_prehook(lambda go: log.append(("pre", go[0].tolist())))
        h = y.grad_fn.register_hook(lambda gi, go: log.append(("post", gi[0].tolist())))
        y.sum().backward(retain_graph=True)
        h.remove()
        y.sum().backward()
        logs.append(log)
    assert logs[0] == logs[1]


def test_saved_tensor_after_backward_raises_as_torch():
    errors = []
    for m in MODULES:
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = x.exp()
        y.sum().backward()
        with pytest.raises(RuntimeError) as info:
            y.grad_fn._saved_result
        errors.append(str(info.value))
        assert (x + 1).grad_fn._saved_alpha == 1     # nothing freed: still readable
    assert errors[0] == errors[1]


def test_saved_result_is_the_output_value():
    for m in MODULES:
        x = m.tensor([0.5, -1.0], requires_grad=True)
        y = x.relu()
        r = y.grad_fn._saved_result
        assert r.tolist() == y.tolist()
        assert r.grad_fn is y.grad_fn


def test_missing_saved_attribute_is_attribute_error():
    for m in MODULES:
        fn = (m.ones(2, requires_grad=True) * 2).grad_fn
        with pytest.raises(AttributeError):
            fn._saved_nothing_like_this
        assert not hasattr(fn, "_saved_exponent")


def test_higher_order_nodes_are_camel_case():
    x = jtorch.tensor([1.0, 2.0], requires_grad=True)
    for f in (lambda x: x ** 2, lambda x: x.tanh(), lambda x: x.softmax(0)):
        g, = jtorch.autograd.grad(f(x).sum(), x, create_graph=True)
        name = type(g.grad_fn).__name__
        assert name[0].isupper() and name.endswith("Backward0"), name


def test_calling_a_node_runs_its_backward():
    res = []
    for m in MODULES:
        x = m.ones(3, requires_grad=True)
        y = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        single = x.exp().grad_fn(m.ones(3))
        pair = (x * y).grad_fn(m.ones(3))
        fn = (x * y).grad_fn
        with m.no_grad():
            plain = fn(m.full((3,), 2.0))
        res.append((single.tolist(), [g.tolist() for g in pair], [g.tolist() for g in plain]))
    assert res[0] == res[1]


def test_node_class_reprs_as_torch():
    out = []
    for m in MODULES:
        x = m.ones(2, requires_grad=True)

        class Foo(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return g * 2
        y = x * 2
        out.append([repr(type(y.grad_fn)), repr(type(Foo.apply(x).grad_fn)),
                    repr(type(y.grad_fn.next_functions[0][0])), repr(type(x.view(2).grad_fn))])
    assert out[0] == out[1]
