"""The warm compiled call's record and run (issue 19, speed): ``compiler/_fast.py`` reads the
recorded containers by C-level maps (``Layout``) and ``compiler/_warm.py`` runs the program
by prebuilt lists. Each container the record reads through must still be seen when it
changes between two warm calls (the call then takes the full guard: a retrace where the
key changed, the same program where it did not), and results, state and version counters
stay eager's."""
import jtorch
from tests.test_compile_fast import Twins, _close, _linear


def _warm(t, x, n=3):
    for _ in range(n):
        t(x)
    assert t.run._guard is not None
    return t.run.compiles


def _twice(t, x):
    t(x)
    t(x)


def test_a_buffer_registered_on_a_leaf_module_retraces():
    t = Twins(_linear)
    x = jtorch.randn(5, 3)
    n = _warm(t, x)
    t.both(lambda m, o: m[1].register_buffer("seen", jtorch.zeros(2)))  # (an empty dict)
    _twice(t, x)
    assert t.run.compiles > n


def test_a_new_param_group_retraces():
    t = Twins(_linear)
    x = jtorch.randn(5, 3)
    n = _warm(t, x)
    extra = [jtorch.nn.Parameter(jtorch.ones(2)) for _ in t.sides]
    for (m, o, _), p in zip(t.sides, extra):
        o.add_param_group({"params": [p]})
    _twice(t, x)
    assert t.run.compiles > n


def test_a_params_list_replaced_by_an_equal_one_keeps_the_program():
    """A new list object with the same parameters: the record misses (identity), the full
    guard finds the same key, so no retrace, and the next calls are warm again."""
    t = Twins(_linear)
    x = jtorch.randn(5, 3)
    n = _warm(t, x)
    t.both(lambda m, o: o.param_groups[0].update(params=list(o.param_groups[0]["params"])))
    _twice(t, x)
    assert t.run.compiles == n and t.run._guard is not None


def test_a_parameter_dropped_from_its_group_retraces():
    t = Twins(_linear)
    x = jtorch.randn(5, 3)
    n = _warm(t, x)
    t.both(lambda m, o: o.param_groups[0]["params"].pop())
    _twice(t, x)
    assert t.run.compiles > n


def test_a_parameters_optimizer_state_dropped_retraces():
    t = Twins(_linear)
    x = jtorch.randn(5, 3)
    n = _warm(t, x)
    t.both(lambda m, o: o.state.pop(m[0].bias))     # (Adam starts that one afresh)
    _twice(t, x)
    assert t.run.compiles > n


def test_a_renamed_parameter_is_seen():
    t = Twins(_linear)
    x = jtorch.randn(5, 3)
    _warm(t, x)

    def rename(m, o):
        d = m[3]._parameters
        d["weight2"] = d.pop("weight")
        d["weight"] = d.pop("weight2")      # (same order, a new key object)
    t.both(rename)
    _twice(t, x)


def test_one_tensor_passed_twice_leaves_the_warm_path():
    lin = jtorch.nn.Linear(3, 3)
    opt = jtorch.optim.SGD(lin.parameters(), lr=0.1)

    def step(x, y):
        opt.zero_grad()
        loss = (lin(x) - y).pow(2).mean()
        loss.backward()
        opt.step()
        return loss
    c = jtorch.compile(step)
    x, y = jtorch.randn(4, 3), jtorch.randn(4, 3)
    for _ in range(3):
        c(x, y)
    n = c.compiles
    c(x, x)
    assert c.compiles > n


def test_a_view_argument_with_grad_on_the_warm_path_follows_eager():
    """An argument that is a view needing grad stays a view (not copied): the record
    compares it one by one, its base's requires_grad included."""
    lin = jtorch.nn.Linear(3, 2)
    c = jtorch.compile(lambda v: lin(v).sum())
    base = jtorch.randn(6, 3, requires_grad=True)
    with jtorch.no_grad():
        v = base[1:5]           # (no history of its own: requires grad through its base)
    for _ in range(3):
        _close(c(v), lin(v).sum())
    assert c._guard is not None
    n = c.compiles
    base.requires_grad_(False)
    assert not v.requires_grad
    _close(c(v), lin(v).sum())
    assert c.compiles > n


def test_warm_calls_make_new_grads_and_leave_the_old_ones_as_they_were():
    t = Twins(_linear)          # (Twins compares values and version counters with eager)
    x = jtorch.randn(5, 3)
    _warm(t, x)
    m = t.sides[1][0]
    grads = [p.grad for p in m.parameters()]
    kept = [g.detach().clone() for g in grads]
    t(x.mul(3))
    assert all(p.grad is not g for p, g in zip(m.parameters(), grads))
    for g, k in zip(grads, kept):
        _close(g, k)


def test_a_captured_numpy_backed_tensor_rewritten_in_numpy_is_read_anew():
    import numpy as np
    arr = np.ones((2, 3), np.float32)
    w = jtorch.from_numpy(arr)
    lin = jtorch.nn.Linear(3, 3)
    c = jtorch.compile(lambda x: (lin(x) * w.sum()).sum())
    x = jtorch.randn(2, 3)
    with jtorch.no_grad():
        for _ in range(3):
            c(x)
        assert c._guard is not None
        assert c._guard.warm.host       # (the captured read goes through its snapshot)
        arr[:] = 2.0                    # (a NumPy write: no version bump)
        _close(c(x), (lin(x) * w.sum()).sum())
        _close(c(x), (lin(x) * 12.0).sum())


def test_a_step_writing_its_argument_in_place_on_the_warm_path():
    lin = jtorch.nn.Linear(3, 3)
    opt = jtorch.optim.SGD(lin.parameters(), lr=0.1)
    ref = jtorch.nn.Linear(3, 3)
    ref.load_state_dict(lin.state_dict())
    ref_opt = jtorch.optim.SGD(ref.parameters(), lr=0.1)

    def make(m, o):
        def step(x):
            o.zero_grad()
            loss = m(x).pow(2).mean()
            loss.backward()
            o.step()
            x.mul_(0.5)                 # (the argument's storage is a program output)
            return loss
        return step
    c, eager = jtorch.compile(make(lin, opt)), make(ref, ref_opt)
    x, xr = jtorch.ones(4, 3), jtorch.ones(4, 3)
    for _ in range(5):
        _close(c(x), eager(xr))
        _close(x, xr)
        assert x._version == xr._version
    assert c._guard is not None and c._guard.warm is not None
    for p, q in zip(lin.parameters(), ref.parameters()):
        _close(p, q)
