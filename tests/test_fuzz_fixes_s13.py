"""Fuzz classes fixed in session 13 (issue #27): the layout of an integral-to-float result
(TensorIterator casts the integer inputs first), an empty integral softmax's fresh contiguous
copy, torch's "Autograd not support dtype" error for an integer tensor that requires grad.
Each test runs the same code on torch and jtorch and compares the outcome (dtype, shape,
strides, requires_grad and values, or the error's type and text)."""
import math

import numpy as np
import pytest

import jtorch

torch = pytest.importorskip("torch")


def _outcome(fn, lib):
    try:
        r = fn(lib)
    except Exception as e:      # (compared: the type and the message)
        return ("err", type(e).__name__, str(e))
    rs = r if isinstance(r, tuple) else (r,)
    return tuple(("tensor", str(t.dtype), tuple(t.shape), tuple(t.stride()), t.requires_grad,
                  np.asarray(t.detach().numpy()).tolist()) for t in rs)


def _same(fn):
    a, b = _outcome(fn, torch), _outcome(fn, jtorch)
    if a[0] == "err" or b[0] == "err":
        assert a == b
        return
    assert [r[:5] for r in a] == [r[:5] for r in b], (a, b)
    for ra, rb in zip(a, b):    # (float32 transcendentals: within an ulp or two)
        np.testing.assert_allclose(np.asarray(rb[5], float), np.asarray(ra[5], float),
                                   rtol=1e-6, equal_nan=True)


# ------------------------------------------------------------------ int -> float layouts
def _expanded_int(lib):
    x = lib.tensor([[[2, 0, 5]], [[1, -3, 7]], [[-3, 7, 0]], [[-3, -3, 2]]])
    return x.permute(2, 1, 0).expand(2, 3, 1, 4)    # strides (0, 1, 3, 3)


@pytest.mark.parametrize("name", ["sin", "exp", "sqrt", "sigmoid", "reciprocal", "atan"])
def test_int_to_float_unary_follows_the_cast_input(name):
    # torch copies the int input to float (preserve_format: (12, 1, 3, 3)) and lays the
    # result out from that copy: (12, 1, 12, 3)
    _same(lambda lib: getattr(lib, name)(_expanded_int(lib)))


@pytest.mark.parametrize("how", ["atan2", "div", "div_float", "pow_half", "div_number",
                                 "mul_number", "add"])
def test_int_to_float_binary_layouts(how):
    def run(lib):
        p = _expanded_int(lib)
        f = lib.zeros(4, 1, 3).permute(2, 1, 0).expand(2, 3, 1, 4)
        return {"atan2": lambda: lib.atan2(p, p), "div": lambda: p / p,
                "div_float": lambda: p / f, "pow_half": lambda: p ** 0.5,
                "div_number": lambda: p / 2, "mul_number": lambda: p * 2.5,
                "add": lambda: p + p}[how]()
    _same(run)


# ------------------------------------------------------------------ empty softmax
@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
def test_empty_integral_softmax_is_a_contiguous_copy(fn):
    _same(lambda lib: getattr(lib.tensor([], dtype=lib.bool)[None, ..., ::2], fn)(-1))
    _same(lambda lib: getattr(lib.zeros(0, dtype=lib.int64).expand(2, 0), fn)(0))
    _same(lambda lib: getattr(lib.zeros(3, 4, dtype=lib.int64)[:, :0].t(), fn)(0))


# ------------------------------------------------------------------ integer tensors with grad
def _int_with_grad(lib):
    d = lib.tensor([[1, 2, 3], [4, 5, 6]])
    d[0] = lib.tensor(1.5, requires_grad=True)     # CopySlices: d now requires grad
    return d


@pytest.mark.parametrize("how", ["neg", "add", "sum", "clone", "cumsum", "max_dim",
                                 "floordiv", "sin", "double", "ge", "add_"])
def test_integer_output_of_an_input_that_requires_grad(how):
    def run(lib):
        d = _int_with_grad(lib)
        return {"neg": lambda: -d, "add": lambda: d + 1, "sum": lambda: d.sum(),
                "clone": lambda: d.clone(), "cumsum": lambda: d.cumsum(0),
                "max_dim": lambda: d.max(0), "floordiv": lambda: d // 2,
                "sin": lambda: d.sin(), "double": lambda: d.double(),
                "ge": lambda: d.ge(2), "add_": lambda: d.add_(1)}[how]()
    _same(run)


def test_float_input_to_integer_output_has_no_history():
    _same(lambda lib: lib.tensor([1.5, 2.5], requires_grad=True).long())


# ------------------------------------------------------------------ prod's order
def test_prod_multiplies_in_torchs_order_inf_times_zero():
    # -1e-30 * -0. = 0 first in torch's order: the 1e30s never overflow (XLA's tree: NaN)
    vals = [-1e-30, -0.0, 1e30, 123.456, 123.456, 1e30, 7.0, 1.0, 1e30, 0.5, 1.0, 1e30]
    for dt in ("float32", "float64"):
        _same(lambda lib: lib.tensor(vals, dtype=getattr(lib, dt)).reshape(4, 1, 3).prod())
        _same(lambda lib: lib.tensor(vals, dtype=getattr(lib, dt)).reshape(4, 3).prod(0))


@pytest.mark.parametrize("dt", ["float32", "float64"])
@pytest.mark.parametrize("shape,dim", [((70,), None), ((3, 45), 1), ((45, 3), 0), ((2, 33, 2), 1)])
def test_prod_is_bitwise_torchs(dt, shape, dim):
    a = np.random.default_rng(1).uniform(0.5, 2.0, shape).astype(dt)

    def run(lib):
        t = lib.tensor(a)
        return t.prod() if dim is None else t.prod(dim)
    got, want = run(jtorch).numpy(), run(torch).numpy()
    assert got.tobytes() == want.tobytes(), (got, want)


# ------------------------------------------------------------------ saved tensors, freeing
def _backward_outcome(fn, lib):
    try:
        return ("ok", fn(lib))
    except RuntimeError as e:
        return ("err", str(e)[:60])


def test_copyslices_is_freed_by_a_backward():
    # torch's CopySlices drops the node it wraps after a backward: a second one raises, even
    # when the first stopped at a later node's version error
    def twice(lib):
        x = lib.tensor([1., 2., 3.], requires_grad=True)
        y = x + 1
        y[0] = 3.0
        y.sum().backward()
        y.sum().backward()

    def after_version_error(lib):
        x = lib.tensor([0.0, 0.5, -3.0], requires_grad=True)
        v = lib.tanh(x)
        v[-1] = 3.0         # tanh's saved result changes
        w = v / -0.0
        out = []
        for r in (v, w):
            out.append(_backward_outcome(lambda lib: r.sum().backward(), lib))
        return out
    for fn in (twice,):
        assert _backward_outcome(fn, jtorch) == _backward_outcome(fn, torch)
    assert after_version_error(jtorch) == after_version_error(torch)


def test_view_made_before_its_base_required_grad_saves_nothing():
    # v requires grad (through z) but has no gradient edge: remainder saves no input for
    # v's derivative, so the in-place write to a raises nothing
    def run(lib):
        x = lib.tensor([1e-05, -1e-30, 2.0], dtype=lib.float64, requires_grad=True)
        z = lib.tensor([[[1., 2., 3.]], [[4., 5., 6.]]])
        v = z.unflatten(0, (1, -1))
        z.requires_grad_()
        a = lib.fmod(x, v)
        r = lib.remainder(a, v)
        a.relu_()
        r.sum().backward()
        return x.grad.tolist(), z.grad, r.requires_grad
    assert repr(_backward_outcome(run, jtorch)) == repr(_backward_outcome(run, torch))


@pytest.mark.parametrize("op", ["pow", "float_power"])
@pytest.mark.parametrize("exponent", ["tensor", "tensor64", "number"])
def test_pow_with_a_tensor_exponent_saves_its_result(op, exponent):
    # PowBackward1 saves its result even when the exponent needs no gradient
    def run(lib):
        x = lib.tensor([0.5, 2.0, 7.0], requires_grad=True)
        e = {"tensor": lambda: lib.tensor([2.0, 3.0, 1.5]),
             "tensor64": lambda: lib.tensor([2.0, 3.0, 1.5], dtype=lib.float64),
             "number": lambda: 2.5}[exponent]()
        y = getattr(lib, op)(x, e)
        saved = getattr(y.grad_fn, "_saved_result", "absent")
        saved = saved if isinstance(saved, str) else saved.tolist()
        y.mul_(1)
        y.sum().backward()
        return saved, x.grad.tolist()
    a, b = _backward_outcome(run, jtorch), _backward_outcome(run, torch)
    assert repr(a) == repr(b)


def test_div_gradient_uses_torchs_formula():
    # d(x / x)/dx: 1/x - ((x / x) / x) is exactly 0 at x = 7 (JAX's -x / x**2: 1.5e-8)
    def run(lib):
        x = lib.tensor([[7.0], [0.0], [2.25], [0.1]], requires_grad=True)
        (x / x).sum().backward()
        a = lib.tensor([1.5, -3.0, 1e-30, 0.0], dtype=lib.float64, requires_grad=True)
        b = lib.tensor([[0.7], [3.0]], dtype=lib.float64, requires_grad=True)
        (a / b).sum().backward()
        return x.grad.flatten().tolist(), a.grad.tolist(), b.grad.flatten().tolist()
    assert repr(run(jtorch)) == repr(run(torch))


@pytest.mark.parametrize("case", ["pow_bool_exponent", "atan2_bool_self", "pow_inplace",
                                  "logaddexp_bool_other", "atan2_bool_other", "pow_bool_base"])
def test_backward_of_a_bool_operand_raises_torchs_error(case):
    # torch's formulas compute exponent - 1 (pow), -self (atan2), a - b (logaddexp)
    def run(lib):
        x = lib.tensor([0.5, 2.0, 3.0], requires_grad=True)
        b = lib.tensor([True, False, True])
        y = {"pow_bool_exponent": lambda: lib.pow(x, b), "atan2_bool_self": lambda: lib.atan2(b, x),
             "pow_inplace": lambda: x.clone().pow_(b),
             "logaddexp_bool_other": lambda: lib.logaddexp(x, b),
             "atan2_bool_other": lambda: lib.atan2(x, b),
             "pow_bool_base": lambda: lib.pow(b, x)}[case]()
        y.sum().backward()
        return x.grad.tolist()
    assert _backward_outcome(run, jtorch) == _backward_outcome(run, torch)


@pytest.mark.parametrize("case", ["x*-1", "2*x", "x/2", "mul_", "div_", "x+2", "lerp",
                                  "remainder", "clamp_min"])
def test_a_saved_python_number_is_freed_like_a_tensor(case):
    # torch's MulBackward0/DivBackward0 save a Python-number operand as a wrapped tensor: a
    # second backward raises; Scalar overloads (lerp's weight) save a number never freed
    def run(lib):
        x = lib.tensor([0.5, 2.0, 3.0], requires_grad=True)
        y = {"x*-1": lambda: x * -1, "2*x": lambda: 2 * x, "x/2": lambda: x / 2,
             "mul_": lambda: x.clone().mul_(2), "div_": lambda: x.clone().div_(2),
             "x+2": lambda: x + 2, "lerp": lambda: lib.lerp(x, lib.ones(3), 0.5),
             "remainder": lambda: lib.remainder(x, 2),
             "clamp_min": lambda: lib.clamp_min(x, 0.5)}[case]()
        y.sum().backward()
        y.sum().backward()
        return x.grad.tolist()
    assert _backward_outcome(run, jtorch) == _backward_outcome(run, torch)


@pytest.mark.parametrize("vals", [[1.0, float("nan"), 3.0, float("nan")], [1.0, 3.0, 3.0, 2.0],
                                  [-0.0, 0.0], [[1.0, float("nan")], [2.0, 3.0]]])
@pytest.mark.parametrize("fn", ["max", "min"])
def test_whole_max_min_gradient_is_split_evenly(vals, fn):
    # a NaN result sends the gradient to the NaNs only (torch's evenly_distribute_backward)
    def run(lib):
        x = lib.tensor(vals, requires_grad=True)
        getattr(x, fn)().backward()
        return x.grad.tolist()
    assert repr(run(jtorch)) == repr(run(torch))


@pytest.mark.parametrize("dt", ["float32", "float64"])
def test_exp2_gradient_past_overflow_is_inf(dt):
    # torch: grad * result * ln 2, inf where 2**x overflowed (jtorch's split of x gave NaN)
    def run(lib):
        x = lib.tensor([1e-05, 2.25, 1e30, -1e30, 0.0, 25.0, -3.5, 200.0],
                       dtype=getattr(lib, dt), requires_grad=True)
        lib.exp2(x).sum().backward()
        return x.grad.tolist()
    # the rule: inf where 2**x overflowed, torch's value elsewhere to an ulp (torch's float64
    # exp2 kernel rounds its last bit by the CPU's vector ISA: AVX2 and AVX-512 differ)
    j, t = run(jtorch), run(torch)
    assert [math.isinf(v) for v in j] == [math.isinf(v) for v in t]
    np.testing.assert_allclose(j, t, rtol=2 * np.finfo(dt).eps, atol=0)
