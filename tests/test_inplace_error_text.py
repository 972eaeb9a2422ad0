"""The "modified by an inplace operation" error names the saved tensor as torch's C++ does:
its type string (legacy names for the classic dtypes, "CPUBoolType"-style for the others)
and the node that made it, without "Backward0" but keeping an overload's number
("Clamp1", "Pow1") and CopySlices' namespace."""
import pytest

import jtorch

torch = pytest.importorskip("torch")


def _message(T, case):
    a = T.tensor([0.5, 2.0], requires_grad=True)
    if case == "bool":
        m = T.tensor([True, False])
        r = T.where(m, a, a * 2)
        m.logical_not_()
    elif case == "int":
        m = T.tensor([1, 2])
        r = a * m
        m.zero_()
    elif case == "clamp_tensor":           # a saved input, named by its grad_fn
        x = a.clamp(T.tensor([0.0, 0.0]), T.tensor([1.0, 1.0]))
        r = x * x
        with T.no_grad():
            x.add_(1)
    elif case == "pow_scalar_base":        # a saved output, named by the node that saved it
        x = 2.0 ** a
        x.mul_(2)
        r = x
    elif case == "copy_slices":
        x = a * 1
        x[0] = 3.0
        r = x * x
        with T.no_grad():
            x.add_(1)
    try:
        r.sum().backward()
    except RuntimeError as e:
        return str(e)
    return None


@pytest.mark.parametrize("case", ["bool", "int", "clamp_tensor", "pow_scalar_base",
                                  "copy_slices"])
def test_saved_tensor_text_as_torch(case):
    want = _message(torch, case)
    assert want is not None
    assert _message(jtorch, case) == want
