"""Ordinary mistakes raise torch's exception type with torch's message, never a JAX or NumPy
error and never a silent result (issue 27's corpus, hand-picked; the generated one drives
every op record with broken arguments)."""
import warnings

import pytest

import jtorch

torch = pytest.importorskip("torch")

CASES = {
    "reshape": lambda m: m.ones(2, 3).reshape(4, 2),
    "view_noncontig": lambda m: m.ones(2, 3).t().view(6),
    "index_oob": lambda m: m.ones(3)[5],
    "cat_mismatch": lambda m: m.cat([m.ones(2, 3), m.ones(3, 2)]),
    "linear_in": lambda m: m.nn.functional.linear(m.ones(2, 3), m.ones(4, 5)),
    "conv_channels": lambda m: m.nn.functional.conv2d(m.ones(1, 3, 5, 5), m.ones(2, 4, 3, 3)),
    "ce_target_shape": lambda m: m.nn.functional.cross_entropy(m.ones(2, 3), m.ones(2, 3, 4)),
    "mm_1d": lambda m: m.mm(m.ones(3), m.ones(3)),
    "bmm": lambda m: m.bmm(m.ones(2, 3, 4), m.ones(3, 4, 5)),
    "sum_dim": lambda m: m.ones(2, 3).sum(5),
    "softmax_dim": lambda m: m.ones(2, 3).softmax(3),
    "transpose_dim": lambda m: m.ones(2, 3).transpose(0, 4),
    "expand": lambda m: m.ones(2, 3).expand(3, 3),
    "gather_idx": lambda m: m.gather(m.ones(2, 3), 1, m.tensor([[5]])),
    "embedding_oob": lambda m: m.nn.functional.embedding(m.tensor([7]), m.ones(3, 2)),
    "int_sqrt_": lambda m: m.ones(2, dtype=m.int64).sqrt_(),
    "stack_mismatch": lambda m: m.stack([m.ones(2), m.ones(3)]),
    "setitem_shape": lambda m: m.ones(2, 3).__setitem__(0, m.ones(4)),
    "matmul_3d": lambda m: m.matmul(m.ones(2, 3, 4), m.ones(2, 5, 4)),
    "layer_norm": lambda m: m.nn.functional.layer_norm(m.ones(2, 3), (4,)),
    "max_pool_big": lambda m: m.nn.functional.max_pool2d(m.ones(1, 1, 2, 2), 3),
    "split_size": lambda m: m.ones(4).split([1, 2]),
    "dot_shapes": lambda m: m.dot(m.ones(3), m.ones(4)),
    "where_float_cond": lambda m: m.where(m.ones(2), m.ones(2), m.ones(2)),
    "nll_target_oob": lambda m: m.nn.functional.nll_loss(m.ones(2, 3), m.tensor([0, 5])),
    "masked_fill_shape": lambda m: m.ones(2, 3).masked_fill(m.ones(3, 2, dtype=m.bool), 0.),
    "index_select_oob": lambda m: m.ones(3).index_select(0, m.tensor([4])),
    "add_float_alpha_int": lambda m: m.add(m.ones(2, dtype=m.int64), m.ones(2, dtype=m.int64),
                                           alpha=0.5),
    "repeat_few": lambda m: m.ones(2, 3).repeat(2),
    "permute_repeated": lambda m: m.ones(2, 3).permute(0, 0),
    "squeeze_dim": lambda m: m.ones(2, 3).squeeze(3),
    "narrow_oob": lambda m: m.ones(3).narrow(0, 2, 3),
    "arange_zero_step": lambda m: m.arange(0, 10, 0),
    "randn_negative": lambda m: m.randn(-1),
    "zeros_negative": lambda m: m.zeros(2, -3),
    "conv_input_dim": lambda m: m.nn.functional.conv2d(m.ones(3, 5), m.ones(2, 3, 3, 3)),
    "bce_shape": lambda m: m.nn.functional.binary_cross_entropy(m.ones(2) * 0.5, m.ones(3)),
    "topk_k": lambda m: m.ones(3).topk(5),
    "cumsum_dim": lambda m: m.ones(3).cumsum(2),
    "flatten_dims": lambda m: m.ones(2, 3).flatten(2),
    "unsqueeze_dim": lambda m: m.ones(2, 3).unsqueeze(4),
    "chunk_zero": lambda m: m.ones(3).chunk(0),
    "item_many": lambda m: m.ones(2).item(),
    "bool_ambiguous": lambda m: bool(m.ones(2)),
    "backward_nonscalar": lambda m: m.ones(2, requires_grad=True).mul(2).backward(),
    "linear_module": lambda m: m.nn.Linear(3, 4)(m.ones(2, 5)),
    "conv_module": lambda m: m.nn.Conv2d(3, 4, 3)(m.ones(1, 2, 8, 8)),
    "bn_module": lambda m: m.nn.BatchNorm1d(3)(m.ones(2, 4)),
    "lstm_module": lambda m: m.nn.LSTM(3, 4)(m.ones(5, 2, 6)),
    "embedding_float": lambda m: m.nn.Embedding(3, 2)(m.ones(2)),
    "broadcast_add": lambda m: m.ones(2, 3) + m.ones(3, 2),
    # arity: a one-signature op names what is missing (torch's grammar, "argument" for two)
    "missing_one": lambda m: m.atan2(m.ones(2)),
    "missing_two": lambda m: m.atan2(),
    "missing_method": lambda m: m.ones(2).atan2(),
    "missing_input": lambda m: m.sin(),
}

# where torch's own message is long, the first line must match (torch appends hints)
KNOWN = {
}


def _outcome(m, fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fn(m)
        except Exception as e:  # noqa: BLE001 - compared with torch's
            return type(e).__name__, str(e).split("\n")[0]
    return None


@pytest.mark.parametrize("name", sorted(CASES))
def test_misuse_raises_torchs_error(name):
    if name in KNOWN:
        pytest.xfail(KNOWN[name])
    want = _outcome(torch, CASES[name])
    assert want is not None
    got = _outcome(jtorch, CASES[name])
    assert got is not None, f"jtorch ran without error; torch raised {want}"
    assert got[0] == want[0], (got, want)
    assert got[1] == want[1], (got, want)
