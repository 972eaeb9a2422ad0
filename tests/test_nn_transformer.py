"""scaled_dot_product_attention, MultiheadAttention and the Transformer modules against
torch: init after the same seed, print(module), outputs, attention weights, gradients and
dropout draws in train mode."""
import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same
from tests.test_nn_layers import run
from tests.test_nn_spatial import functional

torch = pytest.importorskip("torch")

RS = np.random.RandomState(5)
X = RS.randn(5, 3, 8).astype(np.float32)       # (L, N, E)
MEM = RS.randn(4, 3, 8).astype(np.float32)
KV = RS.randn(6, 3, 3).astype(np.float32)
PAD = np.array([[False] * 5, [False] * 3 + [True] * 2, [False] * 4 + [True]])
CAUSAL = np.triu(np.ones((5, 5), bool), 1)
FMASK = RS.randn(5, 5).astype(np.float32)


def _mha(kw, call):
    def make(m):
        mod = m.nn.MultiheadAttention(8, 2, **kw)

        def fwd(x):
            args = {k: (m.tensor(v) if isinstance(v, np.ndarray) else v) for k, v in
                    call.items()}
            if kw.get("batch_first"):
                x = x.transpose(0, 1)
            out, w = mod(x, x, x, **args)
            return (out,) if w is None else (out, w)
        f = functional(m, fwd)
        f.mha = mod
        return f
    return make


MHA = [
    ({}, {}), ({}, {"need_weights": False}), ({"batch_first": True}, {}),
    ({"bias": False}, {"average_attn_weights": False}),
    ({"add_bias_kv": True, "add_zero_attn": True}, {"attn_mask": CAUSAL}),
    ({}, {"key_padding_mask": PAD}), ({}, {"key_padding_mask": PAD, "need_weights": False}),
    ({}, {"attn_mask": CAUSAL, "is_causal": True, "need_weights": False}),
    ({}, {"attn_mask": FMASK}), ({}, {"attn_mask": FMASK, "need_weights": False}),
    ({"dropout": 0.3}, {}), ({"dropout": 0.3}, {"need_weights": False}),
]


@pytest.mark.parametrize("train", [True, False])
@pytest.mark.parametrize("k", range(len(MHA)))
def test_mha(k, train):
    kw, call = MHA[k]
    run(_mha(kw, call), [X], train=train, rtol=1e-4, atol=1e-5)


def test_mha_kdim_vdim_and_unbatched():
    def make(m):
        mod = m.nn.MultiheadAttention(8, 4, kdim=3, vdim=3)
        f = functional(m, lambda kv: mod(m.tensor(X[:, 0]) * 1, kv, kv))
        f.mha = mod
        return f
    run(make, [KV[:, 0]], rtol=1e-4, atol=1e-5)

    def make_cross(m):
        mod = m.nn.MultiheadAttention(8, 2, kdim=3, vdim=3, batch_first=True)
        f = functional(m, lambda kv: mod(m.tensor(X).transpose(0, 1), kv, kv * 2))
        f.mha = mod
        return f
    run(make_cross, [KV.transpose(1, 0, 2).copy()], rtol=1e-4, atol=1e-5)


SDPA = [
    {}, {"is_causal": True}, {"attn_mask": CAUSAL[None, None]}, {"attn_mask": FMASK},
    {"scale": 0.3}, {"dropout_p": 0.4}, {"dropout_p": 0.2, "is_causal": True},
]


@pytest.mark.parametrize("k", range(len(SDPA)))
def test_sdpa(k):
    kw = SDPA[k]
    q = X.reshape(5, 3, 2, 4).transpose(1, 2, 0, 3).copy()      # (N, H, L, E)

    def make(m):
        args = {a: (m.tensor(v) if isinstance(v, np.ndarray) else v) for a, v in kw.items()}
        return functional(m, lambda t: m.nn.functional.scaled_dot_product_attention(
            t, t * 0.5, t.flip(-2), **args))
    run(make, [q], rtol=1e-4, atol=1e-5)


def test_sdpa_gqa():
    q = RS.randn(2, 4, 5, 3).astype(np.float32)
    kv = RS.randn(2, 2, 6, 3).astype(np.float32)
    run(lambda m: functional(m, lambda a, b: m.nn.functional.scaled_dot_product_attention(
        a, b, b, enable_gqa=True)), [q, kv], rtol=1e-5, atol=1e-6)


LAYERS = [
    lambda m: m.nn.TransformerEncoderLayer(8, 2, 16),
    lambda m: m.nn.TransformerEncoderLayer(8, 2, 16, norm_first=True, activation="gelu"),
    lambda m: m.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True, bias=False),
    lambda m: m.nn.TransformerEncoderLayer(8, 4, 12, activation=m.nn.GELU()),
    lambda m: m.nn.TransformerEncoder(m.nn.TransformerEncoderLayer(8, 2, 16), 2,
                                      enable_nested_tensor=False),
    lambda m: m.nn.TransformerEncoder(m.nn.TransformerEncoderLayer(8, 2, 16), 2,
                                      m.nn.LayerNorm(8), enable_nested_tensor=False),
]


@pytest.mark.parametrize("train", [True, False])
@pytest.mark.parametrize("k", range(len(LAYERS)))
def test_encoder(k, train):
    run(LAYERS[k], [X], train=train, rtol=1e-4, atol=1e-5)


def test_encoder_masks():
    def make(m):
        enc = m.nn.TransformerEncoder(m.nn.TransformerEncoderLayer(8, 2, 16), 2,
                                      enable_nested_tensor=False)
        mask = m.nn.Transformer.generate_square_subsequent_mask(5)
        f = functional(m, lambda x: enc(x, mask=mask, src_key_padding_mask=m.tensor(PAD)))
        f.enc = enc
        return f
    run(make, [X], rtol=1e-4, atol=1e-5)


DECODERS = [
    lambda m: m.nn.TransformerDecoderLayer(8, 2, 16),
    lambda m: m.nn.TransformerDecoderLayer(8, 2, 16, norm_first=True, batch_first=True),
    lambda m: m.nn.TransformerDecoder(m.nn.TransformerDecoderLayer(8, 2, 16), 2,
                                      m.nn.LayerNorm(8)),
]


@pytest.mark.parametrize("train", [True, False])
@pytest.mark.parametrize("k", range(len(DECODERS)))
def test_decoder(k, train):
    tgt, mem = (X, MEM) if k != 1 else (X.transpose(1, 0, 2).copy(), MEM.transpose(1, 0, 2).copy())
    run(DECODERS[k], [tgt, mem], train=train, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("train", [True, False])
def test_transformer(train):
    def make(m):
        tr = m.nn.Transformer(8, 2, 2, 1, 16)
        mask = tr.generate_square_subsequent_mask(4)
        f = functional(m, lambda s, t: tr(s, t, tgt_mask=mask))
        f.tr = tr
        return f
    run(make, [X, MEM], train=train, rtol=1e-4, atol=1e-5)


def test_square_subsequent_mask():
    assert_same(jtorch.nn.Transformer.generate_square_subsequent_mask(4),
                torch.nn.Transformer.generate_square_subsequent_mask(4))


ERRORS = [
    (AssertionError, lambda m: m.nn.MultiheadAttention(8, 3)),
    (RuntimeError, lambda m: m.nn.MultiheadAttention(8, 2)(
        m.ones(5, 3, 8), m.ones(5, 3, 8), m.ones(5, 3, 8), attn_mask=m.ones(4, 5))),
    (RuntimeError, lambda m: m.nn.MultiheadAttention(8, 2)(
        m.ones(5, 3, 8), m.ones(5, 3, 8), m.ones(5, 3, 8), is_causal=True)),
    (RuntimeError, lambda m: m.nn.functional.scaled_dot_product_attention(
        m.ones(2, 3, 4), m.ones(2, 3, 4), m.ones(2, 3, 4), attn_mask=m.ones(3, 3),
        is_causal=True)),
    (RuntimeError, lambda m: m.nn.TransformerEncoderLayer(8, 2, activation="tanh")),
    (RuntimeError, lambda m: m.nn.Transformer(8, 2, 1, 1, 16)(m.ones(5, 3, 8),
                                                              m.ones(4, 2, 8))),
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
