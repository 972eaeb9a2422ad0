"""What the session-15 code-health changes must keep equal to torch: module reprs written by
one ``extra_repr`` helper (``nn/modules/_repr.py``), ops declared from shared bodies carrying
torch's ``__name__``, and every ``out=`` written by the one writer (``_out_arg``)."""
import pytest
import torch

import jtorch
from tests.helpers import assert_same, assert_same_error

MODULES = [
    ("RNN", (3, 4), {}),
    ("LSTM", (3, 4), dict(num_layers=2, bias=False, batch_first=True, dropout=0.5,
                          bidirectional=True, proj_size=2)),
    ("GRU", (3, 4), dict(bias=False)),
    ("RNNCell", (3, 4), dict(bias=False, nonlinearity="relu")),
    ("LSTMCell", (3, 4), {}),
    ("Conv2d", (3, 4, 3), dict(padding=1, dilation=2, bias=False, padding_mode="reflect")),
    ("Conv1d", (3, 4, 3), dict(padding="same")),
    ("ConvTranspose2d", (4, 4, 3), dict(output_padding=1, stride=2, groups=2)),
    ("Conv3d", (3, 3, 1), {}),
    ("Embedding", (10, 3), dict(padding_idx=0, max_norm=1.0, norm_type=1.0,
                                scale_grad_by_freq=True, sparse=True)),
    ("Embedding", (10, 3), {}),
    ("EmbeddingBag", (10, 3), dict(max_norm=2.0, mode="max", padding_idx=1)),
    ("EmbeddingBag", (10, 3), {}),
]


@pytest.mark.parametrize("name,args,kwargs", MODULES)
def test_module_repr_lists_changed_settings_as_torch(name, args, kwargs):
    assert repr(getattr(jtorch.nn, name)(*args, **kwargs)) == \
        repr(getattr(torch.nn, name)(*args, **kwargs))


@pytest.mark.parametrize("name", ["swapaxes", "swapdims", "moveaxis", "ger", "atleast_1d",
                                  "resolve_conj", "resolve_neg", "is_conj", "is_neg",
                                  "split_with_sizes", "unsafe_split", "unsafe_chunk",
                                  "unsafe_split_with_sizes"])
def test_ops_from_shared_bodies_carry_torch_name(name):
    assert getattr(jtorch, name).__name__ == getattr(torch, name).__name__ == name


def test_unsafe_splits_equal_torch():
    for m in (torch, jtorch):
        m.x = m.arange(7.)
    for j, t in zip(jtorch.unsafe_split(jtorch.x, 3), torch.unsafe_split(torch.x, 3)):
        assert_same(j, t)
    for j, t in zip(jtorch.unsafe_chunk(jtorch.x, 2), torch.unsafe_chunk(torch.x, 2)):
        assert_same(j, t)
    for j, t in zip(jtorch.unsafe_split_with_sizes(jtorch.x, [2, 5]),
                    torch.unsafe_split_with_sizes(torch.x, [2, 5])):
        assert_same(j, t)


def _out_cases(m):
    x = m.tensor([[3., 1., 2.], [0., 5., 4.]])
    yield "take", lambda o: m.take(x, m.tensor([0, 4]), out=o), m.empty(0)
    yield "kron", lambda o: m.kron(x, x, out=o), m.empty(1)
    yield "cummax", lambda o: m.cummax(x, 1, out=o), (m.empty(0), m.empty(0, dtype=m.long))
    yield "kthvalue", lambda o: m.kthvalue(x, 2, 1, out=o), (m.empty(0), m.empty(0, dtype=m.long))
    yield "searchsorted", lambda o: m.searchsorted(m.tensor([1., 3.]), x, out=o), \
        m.empty(0, dtype=m.long)


def test_out_writer_resizes_and_returns_as_torch():
    for (name, jf, jo), (_, tf, to) in zip(_out_cases(jtorch), _out_cases(torch)):
        jr, tr = jf(jo), tf(to)
        assert type(jr).__name__ == type(tr).__name__, name
        if isinstance(tr, tuple):
            assert all(a is b for a, b in zip(jr, jo)), name
            for a, b in zip(jr, tr):
                assert_same(a, b)
        else:
            assert jr is jo, name
            assert_same(jr, tr)


def test_out_writer_refuses_as_torch():
    assert_same_error(lambda m: m.take(m.ones(3), m.tensor([0]), out=m.empty(1, dtype=m.long)),
                      (torch, jtorch))
    g = dict(requires_grad=True)
    assert_same_error(lambda m: m.take(m.ones(2, **g), m.tensor([0]), out=m.empty(1)),
                      (torch, jtorch))
    for op in ("cummax", "kthvalue"):   # (values, indices) results: torch names the op
        assert_same_error(lambda m: getattr(m, op)(m.ones(2, **g), 1 if op == "kthvalue" else 0,
                                                   out=(m.empty(1), m.empty(1, dtype=m.long))),
                          (torch, jtorch))


@pytest.mark.parametrize("make", [
    lambda m: m.take(m.ones(3), m.tensor([0], dtype=m.int32)),
    lambda m: m.ones(3).put_(m.tensor([0], dtype=m.int32), m.ones(1)),
    lambda m: m.ones(3).index_copy_(0, m.tensor([0], dtype=m.int32), m.ones(1)),
])
def test_long_index_check_as_torch(make):
    assert_same_error(make, (torch, jtorch))
