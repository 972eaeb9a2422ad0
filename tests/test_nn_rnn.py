"""RNN/LSTM/GRU, their cells and nn.utils.rnn against torch: default init after the same seed,
print(module), state_dict keys, outputs, final states and gradients (train and eval, dropout
draws included), PackedSequence layouts and errors."""
import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same
from tests.test_nn_layers import run
from tests.test_nn_spatial import functional

torch = pytest.importorskip("torch")

RS = np.random.RandomState(11)
SEQ = RS.randn(5, 3, 4).astype(np.float32)       # (T, B, I)

CONFIGS = [
    ("RNN", {}), ("RNN", {"nonlinearity": "relu", "num_layers": 2}),
    ("RNN", {"bias": False, "batch_first": True}), ("RNN", {"bidirectional": True}),
    ("LSTM", {}), ("LSTM", {"num_layers": 2, "dropout": 0.5}),
    ("LSTM", {"bidirectional": True, "batch_first": True}), ("LSTM", {"proj_size": 2}),
    ("LSTM", {"num_layers": 3, "bidirectional": True, "dropout": 0.3, "proj_size": 3}),
    ("GRU", {}), ("GRU", {"num_layers": 2, "bidirectional": True, "dropout": 0.2}),
    ("GRU", {"bias": False}),
]


def _names_checked(name, kw):
    # torch's CPU LSTM may run through oneDNN, whose output node (MkldnnRnnLayerBackward0)
    # depends on the processor
    if name == "LSTM" and not kw.get("bidirectional") and not kw.get("batch_first"):
        return "no_name"
    return None


@pytest.mark.parametrize("train", [True, False])
@pytest.mark.parametrize("k", range(len(CONFIGS)))
def test_rnn(k, train):
    name, kw = CONFIGS[k]
    run(lambda m: getattr(m.nn, name)(4, 6, **kw), [SEQ], train=train, rtol=1e-4, atol=1e-5,
        check=_names_checked(name, kw))


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_initial_state_and_unbatched(name):
    is_lstm = name == "LSTM"
    h0 = RS.randn(2, 3, 6).astype(np.float32)

    def make(m):
        mod = getattr(m.nn, name)(4, 6, num_layers=2)

        def fwd(x, h, c):
            return mod(x, (h, c)) if is_lstm else mod(x, h)
        return functional3(m, fwd, mod)
    run(make, [SEQ, h0, h0 * 0.5], rtol=1e-4, atol=1e-5,
        check=_names_checked(name, {}), no_grad=() if is_lstm else (2,))
    # unbatched: (T, I) input, (L, H) state
    run(lambda m: getattr(m.nn, name)(4, 6, bidirectional=True), [SEQ[:, 0]], rtol=1e-4,
        atol=1e-5)


def functional3(m, fn, mod):
    class F(m.nn.Module):
        def __init__(self):
            super().__init__()
            self.mod = mod

        def forward(self, x, h, c):
            out, state = fn(x, h, c)
            return (out,) + (state if isinstance(state, tuple) else (state,))
    return F()


@pytest.mark.parametrize("enforce_sorted,lengths", [(True, [5, 3, 2]), (False, [2, 5, 3])])
@pytest.mark.parametrize("name,kw", [("GRU", {"bidirectional": True}),
                                     ("LSTM", {"num_layers": 2, "dropout": 0.4}),
                                     ("RNN", {"batch_first": True})])
def test_packed(name, kw, enforce_sorted, lengths):
    x = SEQ.transpose(1, 0, 2).copy() if kw.get("batch_first") else SEQ

    def make(m):
        mod = getattr(m.nn, name)(4, 6, **kw)
        rnn = m.nn.utils.rnn

        def fwd(t):
            packed = rnn.pack_padded_sequence(t, lengths, batch_first=kw.get("batch_first",
                                                                             False),
                                              enforce_sorted=enforce_sorted)
            out, h = mod(packed)
            padded, lens = rnn.pad_packed_sequence(out, batch_first=kw.get("batch_first",
                                                                           False))
            h = h if isinstance(h, tuple) else (h,)
            return (padded, out.data, out.batch_sizes, lens) + h
        return functional(m, fwd)
    run(make, [x], rtol=1e-4, atol=1e-5, check="no_name")


@pytest.mark.parametrize("cell,kw", [("RNNCell", {}), ("RNNCell", {"nonlinearity": "relu"}),
                                     ("LSTMCell", {}), ("LSTMCell", {"bias": False}),
                                     ("GRUCell", {})])
def test_cells(cell, kw):
    run(lambda m: getattr(m.nn, cell)(4, 5, **kw), [SEQ[0]], rtol=1e-5, atol=1e-6)
    run(lambda m: getattr(m.nn, cell)(4, 5, **kw), [SEQ[0, 0]], rtol=1e-5, atol=1e-6)
    h = RS.randn(3, 5).astype(np.float32)

    def make(m):
        mod = getattr(m.nn, cell)(4, 5, **kw)
        if cell == "LSTMCell":
            return functional(m, lambda x: mod(x[:, :4], (x[:, 4:9], x[:, 9:])))
        return functional(m, lambda x: mod(x[:, :4], x[:, 4:]))
    run(make, [np.concatenate([SEQ[0], h, h * 2][:3 if cell == "LSTMCell" else 2], 1)],
        rtol=1e-5, atol=1e-6)


def test_rnn_utils():
    seqs = [RS.randn(n, 2).astype(np.float32) for n in (3, 5, 1)]
    res = []
    for m in (torch, jtorch):
        rnn = m.nn.utils.rnn
        ts = [m.tensor(s, requires_grad=True) for s in seqs]
        outs = [rnn.pad_sequence(ts), rnn.pad_sequence(ts, batch_first=True, padding_value=-1),
                rnn.pad_sequence(ts, batch_first=True, padding_side="left")]
        packed = rnn.pack_sequence(ts, enforce_sorted=False)
        outs += list(packed)
        outs += rnn.unpack_sequence(packed)
        padded, lens = rnn.pad_packed_sequence(packed, total_length=7, padding_value=9)
        outs += [padded, lens] + rnn.unpad_sequence(padded, lens)
        sum(o.sum() for o in outs if o.dtype == m.float32).backward()
        outs += [t.grad for t in ts]
        res.append((outs, repr(packed)))
    (t_outs, t_repr), (j_outs, j_repr) = res
    assert j_repr == t_repr
    for a, b in zip(j_outs, t_outs):
        assert_same(a, b)
        if b.grad_fn is not None:
            assert a.grad_fn.name() == b.grad_fn.name()


ERRORS = [
    (RuntimeError, lambda m: m.nn.GRU(4, 6)(m.ones(5, 3, 2))),
    (RuntimeError, lambda m: m.nn.GRU(4, 6)(m.ones(5, 3, 4), m.ones(2, 3, 6))),
    (RuntimeError, lambda m: m.nn.LSTM(4, 6)(m.ones(5, 3, 4), (m.ones(1, 3, 6),
                                                              m.ones(1, 3, 5)))),
    (RuntimeError, lambda m: m.nn.RNN(4, 6)(m.ones(5, 3, 4), m.ones(3, 6))),
    (ValueError, lambda m: m.nn.GRU(4, 6)(m.ones(5, 3, 4, 1))),
    (ValueError, lambda m: m.nn.RNN(4, 6, nonlinearity="sigmoid")),
    (ValueError, lambda m: m.nn.LSTM(4, 6, dropout=1.5)),
    (ValueError, lambda m: m.nn.LSTM(4, 6, proj_size=6)),
    (RuntimeError, lambda m: m.nn.utils.rnn.pack_padded_sequence(m.ones(4, 3, 2), [2, 4, 3])),
    (RuntimeError, lambda m: m.nn.LSTMCell(4, 6)(m.ones(3, 5))),
    (ValueError, lambda m: m.nn.utils.rnn.pad_packed_sequence(
        m.nn.utils.rnn.pack_sequence([m.ones(3)]), total_length=2)),
]


@pytest.mark.parametrize("k", range(len(ERRORS)))
def test_errors(k):
    exc, fn = ERRORS[k]
    msgs = []
    for m in (torch, jtorch):
        with pytest.raises(exc) as info:
            fn(m)
        msgs.append(str(info.value))
    assert msgs[1] == msgs[0]


def test_dropout_warning():
    for m in (torch, jtorch):
        with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater"):
            m.nn.GRU(3, 4, dropout=0.5)
