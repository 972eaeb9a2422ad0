"""DLPack interchange (issue 19 item 4): zero-copy export to JAX, NumPy and torch, import
from them, torch's names and errors."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jtorch

try:
    import torch
except ImportError:         # torch is a test-only dependency
    torch = None


def test_export_is_zero_copy():
    t = jtorch.arange(6.).reshape(2, 3)
    n = np.from_dlpack(t)
    assert np.shares_memory(n, np.asarray(t.to_jax()))
    np.testing.assert_array_equal(n, t.numpy())
    j = jax.dlpack.from_dlpack(t)
    np.testing.assert_array_equal(np.asarray(j), t.numpy())
    assert t.__dlpack_device__() == (jtorch.utils.dlpack.DLDeviceType.kDLCPU, 0)


def test_import_of_a_jax_array_is_zero_copy():
    a = jnp.arange(4.0, dtype=jnp.float32)
    t = jtorch.from_dlpack(a)
    assert t.to_jax() is a and t.dtype == jtorch.float32 and t.shape == (4,)


def test_a_view_exports_its_values():
    t = jtorch.arange(12.).reshape(3, 4)[:, 1]
    np.testing.assert_array_equal(np.from_dlpack(t), [1., 5., 9.])


def test_capsule_round_trip():
    t = jtorch.tensor([[1, 2], [3, 4]])
    back = jtorch.utils.dlpack.from_dlpack(jtorch.utils.dlpack.to_dlpack(t))
    assert back.dtype == jtorch.int64 and back.tolist() == [[1, 2], [3, 4]]
    assert jtorch.from_dlpack(jtorch.to_dlpack(t)).tolist() == [[1, 2], [3, 4]]


def test_requires_grad_refuses_export_as_torch():
    with pytest.raises(BufferError, match="Can't export tensors that require gradient"):
        jtorch.ones(2, requires_grad=True).__dlpack__()


@pytest.mark.skipif(torch is None, reason="torch is not installed")
def test_with_torch_both_ways():
    t = jtorch.arange(6, dtype=jtorch.float64).reshape(2, 3)
    tt = torch.from_dlpack(t)
    assert tt.dtype == torch.float64 and tt.tolist() == t.tolist()
    back = jtorch.from_dlpack(torch.arange(5, dtype=torch.int32))
    assert back.dtype == jtorch.int32 and back.tolist() == list(range(5))
    assert jtorch.from_dlpack(np.arange(3.)).tolist() == [0., 1., 2.]
