"""NumPy memory sharing (issue 18 item 5): ``torch.from_numpy(a)`` and ``t.numpy()`` share
memory both ways on the CPU, as torch's (see
``jtorch/_storage_tensor.py``, ``HostStorage``). Each scenario runs on torch and jtorch and
compares what both print and what the NumPy arrays hold."""
import numpy as np
import pytest

import jtorch

try:
    import torch
except ImportError:         # torch is a test-only dependency
    torch = None

LIBS = [jtorch] if torch is None else [torch, jtorch]


def both(scenario):
    """``scenario(m)`` for torch and jtorch; their results (nested lists, floats, strings,
    tuples) must be equal."""
    out = [scenario(m) for m in LIBS]
    if torch is not None:
        assert out[0] == out[1]
    return out[-1]


def test_a_numpy_write_is_seen_by_the_tensor():
    def run(m):
        a = np.arange(6.0).reshape(2, 3)
        t = m.from_numpy(a)
        before = (t * 2).tolist()         # computed before the write: keeps its values
        a[0, 0] = 100.0
        a[1] += 1
        return before, t.tolist(), str(t), (t + 1).sum().item(), t[1, 2].item()
    both(run)


def test_a_tensor_write_is_seen_by_numpy():
    def run(m):
        a = np.zeros((3, 4), dtype=np.float32)
        t = m.from_numpy(a)
        t.add_(1)
        t[1] = 7
        t[:, 2].mul_(3)
        t.t()[0, 2] = -1          # through a transposed view
        t.view(-1)[11] = 5
        return a.tolist(), t.tolist(), t._version
    both(run)


def test_numpy_of_a_tensor_shares_memory_both_ways():
    def run(m):
        x = m.arange(12.0).reshape(3, 4)
        n = x.numpy()
        n[0, 0] = -5.0
        x[2].fill_(9.0)
        v = x[:, 1]                      # a view: its array shares the base's memory
        nv = v.numpy()
        nv[1] = 42.0
        y = x.detach()
        y.mul_(2)
        return (n.tolist(), nv.tolist(), x.tolist(), nv.strides, v.stride(),
                n.flags.writeable, np.shares_memory(n, nv))
    both(run)


def test_strided_arrays_keep_their_strides():
    def run(m):
        a = np.arange(24, dtype=np.int64).reshape(4, 6)
        s = a[::2, 1::2].T                # non-contiguous, transposed
        t = m.from_numpy(s)
        s[0, 1] = -7
        t[2, 0] = 77
        return (t.shape == (3, 2), t.stride(), t.storage_offset(), t.is_contiguous(),
                t.tolist(), a.tolist())
    both(run)


def test_data_ptr_is_the_arrays_address():
    for m in LIBS:
        a = np.ones((2, 5), dtype=np.float32)
        t = m.from_numpy(a)
        assert t.data_ptr() == a.ctypes.data
        assert t[1].data_ptr() == a[1].ctypes.data
        t.add_(1)                         # the address stays put, as torch's
        assert t.data_ptr() == a.ctypes.data


@pytest.mark.xfail(strict=True, reason="as_tensor/asarray of an ndarray copy: jtorch's own "
                   "callers (default_collate, transforms) pass fresh arrays through them, "
                   "and a shared storage copies on every read (see CONTRIBUTING)")
def test_as_tensor_shares_when_nothing_converts():
    def run(m):
        a = np.arange(4.0)
        same = m.as_tensor(a)
        cast = m.as_tensor(a, dtype=m.float32)     # a conversion: a copy
        arr = m.asarray(a)
        a[0] = 50.0
        return same.tolist(), cast.tolist(), arr.tolist(), str(same.dtype)
    both(run)


def test_dtypes_and_zero_dim():
    def run(m):
        out = []
        for dt in (np.bool_, np.uint8, np.int32, np.float16, np.complex64):
            a = np.zeros((2,), dtype=dt)
            t = m.from_numpy(a)
            a[1] = 1
            out.append((str(t.dtype), t.tolist()))
        z = np.array(3.0)
        t = m.from_numpy(z)
        z[()] = 4.0
        t.add_(1)
        out.append((t.shape == (), t.item(), float(z)))
        return out
    both(run)


def test_resize_of_shared_memory_raises_torch_error():
    for m in LIBS:
        t = m.from_numpy(np.zeros(3))
        with pytest.raises(RuntimeError, match="Trying to resize storage that is not "
                                               "resizable"):
            t.resize_(10)
        t.resize_(2)                        # shrinking keeps the memory: allowed
        assert t.shape == (2,)
        x = m.zeros(3)
        x.numpy()                           # NumPy held it once: not resizable from then on
        with pytest.raises(RuntimeError, match="not resizable"):
            x.resize_(4)
        y = m.zeros(3)
        y.resize_(5)                        # memory of its own: grows, keeping its values
        assert y.shape == (5,) and y[:3].tolist() == [0.0] * 3


def test_training_on_a_shared_parameter_updates_the_array():
    """Repeated steps (the deferred queue and the fused backward warm up after a few) on a
    parameter over NumPy memory, with inputs written through NumPy between steps."""
    def run(m):
        w_np = np.linspace(-1, 1, 6).reshape(3, 2)
        x_np = np.ones((4, 3))
        w = m.from_numpy(w_np).requires_grad_()
        x = m.from_numpy(x_np)
        opt = m.optim.SGD([w], lr=0.1)
        losses = []
        for step in range(6):
            x_np[:, 0] = step                 # new data through NumPy each step
            h = (x * 2) @ w                   # a queued result feeding a shared operand
            loss = (h.tanh() * x[:, :2]).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(round(loss.item(), 5))
        return losses, np.round(w_np, 5).tolist(), np.round(w.grad.numpy(), 5).tolist()
    both(run)


def test_numpy_refuses_tensors_that_require_grad():
    for m in LIBS:
        with pytest.raises(RuntimeError, match="Can't call numpy\\(\\) on Tensor that "
                                               "requires grad"):
            m.ones(2, requires_grad=True).numpy()


def test_numpy_of_a_queued_result():
    def run(m):
        x = m.ones(3)
        outs = []
        for _ in range(5):                 # repeats: the additions are deferred (_lazy)
            y = x + x
            n = y.numpy()
            n[0] = 10.0
            outs.append((y * 1).tolist())
        return outs
    both(run)


def test_compiled_step_reads_and_writes_shared_memory():
    """torch.compile traces over storages that share memory with NumPy: a NumPy write
    between calls reaches the program, its parameter update reaches the array."""
    def run(m, compiled):
        a = np.ones((4, 3), dtype=np.float32)
        x = m.from_numpy(a)
        m.manual_seed(0)
        lin = m.nn.Linear(3, 2)
        w = lin.weight.detach().numpy()
        opt = m.optim.SGD(lin.parameters(), lr=0.1)

        def step(x):
            opt.zero_grad()
            loss = lin(x).pow(2).sum()
            loss.backward()
            opt.step()
            return loss
        step = m.compile(step) if compiled else step
        losses = []
        for i in range(4):
            a[0, 0] = i
            losses.append(round(step(x).item(), 3))
        return losses, np.round(w, 4).tolist()
    expected = run(torch, False) if torch is not None else run(jtorch, False)
    assert run(jtorch, True) == expected


def test_strides_torch_rejects_and_read_only_arrays():
    import warnings
    for m in LIBS:
        with pytest.raises(ValueError, match="At least one stride in the given numpy array is "
                                             "negative"):
            m.from_numpy(np.arange(4.0)[::-1])
        odd = np.lib.stride_tricks.as_strided(np.zeros(20, np.float32), (3,), (6,))
        with pytest.raises(ValueError, match="strides not a multiple of the element byte"):
            m.from_numpy(odd)
    b = np.arange(3.0)
    b.flags.writeable = False
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        t = jtorch.from_numpy(b)
        jtorch.from_numpy(b)
    # torch warns once per process (another test may have drawn it already)
    assert len(seen) <= 1 and all("The given NumPy array is not writable" in str(w.message)
                                  for w in seen)
    assert t.tolist() == [0.0, 1.0, 2.0]
