"""Tensor creation and Python-protocol conversions, compared with torch."""
import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same

torch = pytest.importorskip("torch")

DATA = [
    [1., 2., 3.], [[1, 2], [3, 4]], [True, False], [1, 2.5], [True, 2], [1 + 2j, 3],
    5, 2.5, True, [], [[]], range(10), [[1., 2.], [3., 4.]], np.float64(1.5), np.int32(3),
    np.array([1., 2.]), np.array([1, 2], dtype=np.int16), np.array([[1, 2]], dtype=np.uint8),
    (1, 2, 3), [np.float32(1), 2],
]


@pytest.mark.parametrize("data", DATA, ids=[repr(d)[:30] for d in DATA])
def test_tensor_infers_dtype_and_values(data):
    assert_same(jtorch.tensor(data), torch.tensor(data))


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "uint8", "bool",
                                   "float16", "bfloat16", "complex64"])
def test_tensor_explicit_dtype(dtype):
    data = [[0, 1, 2], [3, 4, 5]]
    assert_same(jtorch.tensor(data, dtype=getattr(jtorch, dtype)),
                torch.tensor(data, dtype=getattr(torch, dtype)))


def test_from_numpy_keeps_dtype_and_shares():
    a = np.linspace(-5, 5, 10)
    j = jtorch.from_numpy(a)
    assert_same(j, torch.from_numpy(a))
    a[0] = 100.0  # shared memory, as torch's (tests/test_numpy_sharing.py)
    assert j[0].item() == 100.0
    with pytest.raises(TypeError):
        jtorch.from_numpy(np.array(["a"]))


@pytest.mark.parametrize("fn", ["zeros", "ones", "empty"])
@pytest.mark.parametrize("size", [(2, 3), ((2, 3),), ([4],), (0,), ((),)])
def test_fills(fn, size):
    j, t = getattr(jtorch, fn)(*size), getattr(torch, fn)(*size)
    assert_same(j, t, check_values=fn != "empty")


@pytest.mark.parametrize("value", [5, 2.5, True, 1 + 1j])
def test_full_infers_dtype(value):
    assert_same(jtorch.full((2, 2), value), torch.full((2, 2), value))


@pytest.mark.parametrize("args,kwargs", [
    ((5,), {}), ((0, 10), {}), ((1, 2.5, 0.5), {}), ((0., 1, 0.3), {}), ((10, 0, -3), {}),
    ((0, 5), {"dtype": "float64"}), ((-3, 3, 0.1), {}), ((0, 1, 0.1), {"dtype": "float64"}),
])
def test_arange(args, kwargs):
    jk = {k: getattr(jtorch, v) for k, v in kwargs.items()}
    tk = {k: getattr(torch, v) for k, v in kwargs.items()}
    assert_same(jtorch.arange(*args, **jk), torch.arange(*args, **tk), rtol=0, atol=0)


@pytest.mark.parametrize("args", [(-5, 5, 10), (0, 1, 5), (0, 1, 1), (-5, 5, 100), (3, -7, 13),
                                  (0, 1, 0), (-1.7, 2.3, 33)])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_linspace_bit_equal(args, dtype):
    assert_same(jtorch.linspace(*args, dtype=getattr(jtorch, dtype)),
                torch.linspace(*args, dtype=getattr(torch, dtype)), rtol=0, atol=0)


def test_logspace_and_eye():
    assert_same(jtorch.logspace(0, 3, 4), torch.logspace(0, 3, 4))
    assert_same(jtorch.eye(3), torch.eye(3))
    assert_same(jtorch.eye(2, 4, dtype=jtorch.int64), torch.eye(2, 4, dtype=torch.int64))


@pytest.mark.parametrize("fn", ["zeros_like", "ones_like", "empty_like"])
def test_like(fn):
    for data, kw in [([[1, 2, 3]], {}), ([1.5], {"dtype": "bool"})]:
        jk = {k: getattr(jtorch, v) for k, v in kw.items()}
        tk = {k: getattr(torch, v) for k, v in kw.items()}
        assert_same(getattr(jtorch, fn)(jtorch.tensor(data), **jk),
                    getattr(torch, fn)(torch.tensor(data), **tk), check_values=fn != "empty_like")
    assert_same(jtorch.full_like(jtorch.tensor([1, 2]), 7), torch.full_like(torch.tensor([1, 2]), 7))


@pytest.mark.parametrize("name", ["FloatTensor", "LongTensor", "DoubleTensor", "ByteTensor",
                                  "BoolTensor", "IntTensor", "ShortTensor", "HalfTensor"])
def test_legacy_constructors(name):
    assert_same(getattr(jtorch, name)(2, 3), getattr(torch, name)(2, 3), check_values=False)
    assert_same(getattr(jtorch, name)([[1, 2, 3], [4, 5, 6]]),
                getattr(torch, name)([[1, 2, 3], [4, 5, 6]]))
    t = getattr(jtorch, name)([1])
    assert isinstance(t, getattr(jtorch, name)) and isinstance(t, jtorch.Tensor)


def test_tensor_class_constructor():
    assert_same(jtorch.Tensor(2, 3), torch.Tensor(2, 3), check_values=False)
    assert_same(jtorch.Tensor([1, 2]), torch.Tensor([1, 2]))


def test_type_strings_and_casts():
    for data in ([1, 2], [1., 2.], [True], [1 + 1j]):
        assert jtorch.tensor(data).type() == torch.tensor(data).type()
    assert_same(jtorch.tensor([1.5]).type("torch.LongTensor"),
                torch.tensor([1.5]).type("torch.LongTensor"))
    assert_same(jtorch.tensor([1.5]).type(jtorch.int32), torch.tensor([1.5]).type(torch.int32))
    assert_same(jtorch.tensor([1.5]).type(jtorch.DoubleTensor),
                torch.tensor([1.5]).type(torch.DoubleTensor))


@pytest.mark.parametrize("method", ["float", "double", "half", "bfloat16", "long", "int",
                                    "short", "char", "byte", "bool"])
def test_cast_methods(method):
    # negative and out-of-range values: torch truncates then wraps for narrow integer types
    data = [[-1.7, 0.0, 2.5], [300.2, -0.4, 1.0], [-1.3812, 40000.5, -300.2]]
    assert_same(getattr(jtorch.tensor(data), method)(), getattr(torch.tensor(data), method)())


def test_to_variants():
    j, t = jtorch.tensor([1, 2]), torch.tensor([1, 2])
    assert j.to(jtorch.float64).dtype is jtorch.float64
    assert j.to("cpu") is j and j.to(jtorch.int64) is j
    assert j.to(j) is j
    assert j.to(jtorch.tensor([1.])).dtype is jtorch.float32
    assert j.to("cpu", jtorch.float16).dtype is jtorch.float16
    assert j.to(dtype=jtorch.float32, copy=True).dtype is jtorch.float32
    assert str(j.device) == str(t.device) == "cpu"
    assert repr(j.device) == repr(t.device)


def test_size_and_metadata():
    j, t = jtorch.zeros(2, 3, 4), torch.zeros(2, 3, 4)
    assert repr(j.shape) == repr(t.shape) == "torch.Size([2, 3, 4])"
    assert repr(j.size()) == repr(t.size()) and j.size(1) == t.size(1) and j.size(-1) == 4
    assert (j.dim(), j.ndim, j.numel(), j.element_size(), len(j)) == \
        (t.dim(), t.ndim, t.numel(), t.element_size(), len(t))
    assert j.shape[1:] == t.shape[1:] and repr(j.shape[1:]) == repr(t.shape[1:])
    assert j.shape.numel() == 24
    assert j.is_leaf and not j.requires_grad and j.grad is None and j.grad_fn is None


def test_python_conversions():
    j, t = jtorch.tensor([[1.5, 2.0]]), torch.tensor([[1.5, 2.0]])
    assert j.tolist() == t.tolist()
    assert jtorch.tensor(3.5).item() == 3.5 and isinstance(jtorch.tensor(3).item(), int)
    assert isinstance(jtorch.tensor(True).item(), bool)
    assert float(jtorch.tensor([2.5])) == 2.5 and int(jtorch.tensor(7)) == 7
    assert bool(jtorch.tensor([1])) and not bool(jtorch.tensor(0.))
    assert [0, 1, 2][jtorch.tensor(1)] == 1
    assert f"{jtorch.tensor(3.14159):.2f}" == f"{torch.tensor(3.14159):.2f}"
    np.testing.assert_array_equal(np.asarray(j), t.numpy())
    assert [x.tolist() for x in jtorch.tensor([[1, 2], [3, 4]])] == [[1, 2], [3, 4]]
    arr = jtorch.tensor([1., 2.]).numpy()
    assert arr.dtype == np.float32 and arr.flags.writeable       # shares memory, as torch


def test_conversion_errors_match_torch():
    cases = [
        (lambda m: m.tensor([1., 2.]).item(), RuntimeError,
         "a Tensor with 2 elements cannot be converted to Scalar"),
        (lambda m: bool(m.tensor([1, 2])), RuntimeError,
         "Boolean value of Tensor with more than one value is ambiguous"),
        (lambda m: len(m.tensor(1)), TypeError, "len() of a 0-d tensor"),
        (lambda m: iter(m.tensor(1)), TypeError, "iteration over a 0-d tensor"),
        (lambda m: [1][m.tensor(0.5)], TypeError,
         "only integer tensors of a single element can be converted to an index"),
        (lambda m: m.tensor([1.], requires_grad=True).numpy(), RuntimeError,
         "Can't call numpy() on Tensor that requires grad"),
        (lambda m: m.tensor([1, 2]).requires_grad_(), RuntimeError,
         "only Tensors of floating point dtype can require gradients"),
        (lambda m: m.tensor([1, 2], requires_grad=True), RuntimeError,
         "Only Tensors of floating point and complex dtype can require gradients"),
        (lambda m: m.tensor([[1, 2], [3]]), ValueError, "expected sequence of length 2 at dim 1"),
        (lambda m: m.zeros(-1), RuntimeError, "zeros: Dimension size must be non-negative."),
        (lambda m: m.zeros(2, 3).view(4), RuntimeError, "is invalid for input of size 6"),
        (lambda m: m.zeros(2, 3).t().view(6), RuntimeError,
         "view size is not compatible with input tensor's size and stride"),
        (lambda m: m.zeros(2, 3).bfloat16().numpy(), TypeError,
         "Got unsupported ScalarType BFloat16"),
    ]
    for fn, exc, phrase in cases:
        for mod in (torch, jtorch):
            with pytest.raises(exc) as info:
                fn(mod)
            assert phrase in str(info.value), (mod.__name__, phrase, str(info.value))


def test_cuda_is_answered_from_jax():
    assert jtorch.cuda.is_available() == (jtorch.cuda.device_count() > 0)
    d = jtorch.device("cuda:0")
    assert (d.type, d.index, str(d), repr(d)) == ("cuda", 0, "cuda:0",
                                                  "device(type='cuda', index=0)")
    if not jtorch.cuda.is_available():
        with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
            jtorch.zeros(2).cuda()
        with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
            jtorch.zeros(2, device="cuda")
        for m in (torch, jtorch):
            with pytest.raises(TypeError, match="type torch.cuda.FloatTensor not available. "
                                                "Torch not compiled with CUDA enabled."):
                m.cuda.FloatTensor(3, 3)


def test_importing_jtorch_does_not_import_torch():
    import subprocess
    import sys
    code = "import sys, jtorch; jtorch.tensor([1.]) + 1; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_run_entry_point_aliases_torch(tmp_path):
    import subprocess
    import sys
    script = tmp_path / "s.py"
    script.write_text("import torch, torch.nn\nimport jtorch\nprint(torch is jtorch, "
                      "torch.tensor([1, 2]).dtype)\n")
    out = subprocess.run([sys.executable, "-m", "jtorch", "run", str(script)],
                         capture_output=True, text=True)
    assert out.stdout.strip() == "True torch.int64", out.stderr
