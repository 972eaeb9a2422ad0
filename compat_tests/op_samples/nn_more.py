"""Records of the nn ops added after the first slice (``_ops/nn_act.py``, ``nn_norm.py``):
the functional forms, compared like every op (values, dtypes, grad_fn names, gradients)."""
import numpy as np

from .base import F32, F64, FLOAT, I64, In, S, rec

_KINKS = np.array([-25., -4., -3., -1., -0.5, -0.25, 0., 0.25, 0.5, 1., 2.5, 3., 4., 6., 7.,
                   21.])
_ACT = lambda g: [S("kinks", _KINKS), S("m", g.v(3, 4))]  # noqa: E731

rec("nn.activations2", lambda m, x: (
    m.nn.functional.hardtanh(x), m.nn.functional.relu6(x), m.nn.functional.threshold(x, 0.5, -2.0),
    m.nn.functional.selu(x), m.nn.functional.celu(x, 0.5), m.nn.functional.softplus(x),
    m.nn.functional.softplus(x, 2, 10), m.nn.functional.mish(x), m.nn.functional.hardswish(x),
    m.nn.functional.hardsigmoid(x), m.nn.functional.logsigmoid(x),
    m.nn.functional.softshrink(x), m.nn.functional.hardshrink(x, 0.25),
    m.nn.functional.glu(x.reshape(-1, 4), 1), m.nn.functional.softsign(x),
    m.nn.functional.tanhshrink(x), m.nn.functional.softmin(x.reshape(-1, 4), 1)),
    _ACT, FLOAT,
    covers=("nn.hardtanh", "nn.threshold", "nn.selu", "nn.celu", "nn.softplus", "nn.mish",
            "nn.hardswish", "nn.hardsigmoid", "nn.logsigmoid", "nn.softshrink",
            "nn.hardshrink", "nn.glu"))
rec("nn.prelu", lambda m, x, w: m.nn.functional.prelu(x, w),
    lambda g: [S("shared", g.v(2, 3, 4), g.v(1)), S("channels", g.v(2, 3, 4), g.v(3)),
               S("1d", g.v(5), g.v(1))], (F64, F32), covers=("nn.prelu",))
rec("nn.batch_norm", lambda m, x, w, b: (
    m.nn.functional.batch_norm(x, None, None, w, b, True),
    m.nn.functional.batch_norm(x, m.zeros(3, dtype=x.dtype), m.ones(3, dtype=x.dtype), w, b,
                               False)),
    lambda g: [S("4d", g.v(2, 3, 4, 4), g.v(3), g.v(3)), S("2d", g.v(5, 3), g.v(3), g.v(3))],
    FLOAT, covers=("nn.batch_norm",))
rec("nn.layer_group_norm", lambda m, x, w, b: (
    m.nn.functional.layer_norm(x, (4,), w, b), m.nn.functional.layer_norm(x, (3, 4)),
    m.nn.functional.group_norm(x.permute(1, 0, 2), 1)),
    lambda g: [S("m", g.v(2, 3, 4), g.v(4), g.v(4))], FLOAT,
    covers=("nn.layer_norm", "nn.group_norm"))
rec("nn.embedding", lambda m, w, i: (m.nn.functional.embedding(i, w),
                                     m.nn.functional.embedding(i, w, padding_idx=1)),
    lambda g: [S("m", g.v(5, 3), In(np.array([[0, 1, 4], [1, 1, 2]], np.int64), I64,
                                      grad=False))], FLOAT, covers=("nn.embedding",))
rec("nn.kernel_losses", lambda m, x, t: (
    m.nn.functional.smooth_l1_loss(x, t), m.nn.functional.smooth_l1_loss(x, t, beta=0.3,
                                                                         reduction="sum"),
    m.nn.functional.huber_loss(x, t, reduction="none", delta=0.5),
    m.nn.functional.pairwise_distance(x, t), m.nn.functional.pairwise_distance(x, t, p=1.5)),
    lambda g: [S("m", g.v(3, 4), g.v(3, 4)), S("ties", g.ties(3, 4), g.ties(3, 4))], FLOAT,
    covers=("nn.smooth_l1_loss", "nn.huber_loss", "nn.pairwise_distance"))
rec("nn.margin_losses", lambda m, x, t: (
    m.nn.functional.soft_margin_loss(x, t),
    m.nn.functional.multi_margin_loss(x, m.tensor([0, 3, 1])),
    m.nn.functional.multi_margin_loss(x, m.tensor([2, 3, 1]), p=2, reduction="none")),
    lambda g: [S("m", g.v(3, 4), In(np.sign(g.v(3, 4)), grad=False))], FLOAT,
    covers=("nn.soft_margin_loss", "nn.multi_margin_loss"))

# ---- pooling, padding, resampling, patches (``_ops/nn_pool.py``), transposed convolution
rec("nn.pools", lambda m, x: (
    m.nn.functional.max_pool2d(x, 2, 1, 1, return_indices=True),
    m.nn.functional.max_pool2d(x, 2, dilation=2), m.nn.functional.max_pool1d(x[0], 2),
    m.nn.functional.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False),
    m.nn.functional.adaptive_avg_pool2d(x, (2, 3)), m.nn.functional.adaptive_avg_pool1d(x[0], 2),
    m.nn.functional.adaptive_max_pool2d(x, 3, return_indices=True)),
    lambda g: [S("m", g.v(2, 3, 5, 6)), S("ties", g.ties(1, 2, 5, 6))], FLOAT,
    covers=("nn.max_pool2d_with_indices", "nn.adaptive_avg_pool2d", "nn.adaptive_max_pool2d"))
rec("nn.pad", lambda m, x: (
    m.nn.functional.pad(x, (1, 2, -1, 1)), m.nn.functional.pad(x, (1, 2), value=2.5),
    m.nn.functional.pad(x, (2, 1, 1, 0), mode="reflect"),
    m.nn.functional.pad(x[0], (2, 1), mode="replicate"),
    m.nn.functional.pad(x, (1, 1, 2, 0), mode="circular")),
    lambda g: [S("m", g.v(2, 3, 4, 5))], FLOAT, covers=("nn.pad",))
rec("nn.interpolate", lambda m, x: (
    m.nn.functional.interpolate(x, scale_factor=2), m.nn.functional.interpolate(x, size=(3, 7)),
    m.nn.functional.interpolate(x, scale_factor=1.5, mode="bilinear"),
    m.nn.functional.interpolate(x, size=(5, 3), mode="bicubic", align_corners=True),
    m.nn.functional.interpolate(x, scale_factor=0.5, mode="area"),
    m.nn.functional.interpolate(x, size=(3, 2), mode="bicubic", antialias=True),
    m.nn.functional.interpolate(x, scale_factor=0.6, mode="lanczos", antialias=True)),
    lambda g: [S("m", g.v(1, 2, 4, 5))], FLOAT, covers=("nn.interpolate",),
    tol={F32: (1e-5, 1e-5)})
rec("nn.patches", lambda m, x: (
    m.nn.functional.unfold(x, 2, padding=1),
    m.nn.functional.fold(m.nn.functional.unfold(x, 2), (4, 6), 2),
    m.nn.functional.pixel_shuffle(x, 2), m.nn.functional.pixel_unshuffle(x, 2),
    m.nn.functional.channel_shuffle(x, 2)),
    lambda g: [S("m", g.v(2, 4, 4, 6))], FLOAT,
    covers=("nn.unfold", "nn.fold", "nn.pixel_shuffle", "nn.pixel_unshuffle",
            "nn.channel_shuffle"))
rec("nn.conv_transpose", lambda m, x, w, b: (
    m.nn.functional.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1),
    m.nn.functional.conv_transpose2d(x, w, None, dilation=2)),
    lambda g: [S("m", g.v(2, 3, 4, 4), g.v(3, 2, 3, 3), g.v(2))], FLOAT,
    covers=("nn.conv_transpose2d",), tol={F32: (1e-5, 1e-5)})
rec("nn.packing", lambda m, x: (
    m.nn.utils.rnn.pack_padded_sequence(x, [4, 2, 1]).data,
    m.nn.utils.rnn.pad_packed_sequence(m.nn.utils.rnn.pack_padded_sequence(
        x, [3, 3, 1], enforce_sorted=False), total_length=5)[0]),
    lambda g: [S("m", g.v(4, 3, 2))], FLOAT,
    covers=("nn.pack_padded_sequence", "nn.pad_packed_sequence"))
rec("nn.sdpa", lambda m, q, k, v: (
    m.nn.functional.scaled_dot_product_attention(q, k, v),
    m.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True, scale=0.5),
    m.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=k[0, 0, :, :4] > 0)),
    lambda g: [S("m", g.v(2, 3, 4, 5), g.v(2, 3, 4, 5), g.v(2, 3, 4, 2))], FLOAT,
    covers=("nn.scaled_dot_product_attention",), tol={F32: (1e-5, 1e-5)})
rec("nn.bilinear", lambda m, a, b, w, bias: (m.nn.functional.bilinear(a, b, w, bias),
                                            m.nn.functional.bilinear(a, b, w)),
    lambda g: [S("m", g.v(4, 3), g.v(4, 2), g.v(5, 3, 2), g.v(5))], FLOAT,
    covers=("nn.bilinear",), tol={F32: (1e-5, 1e-5)})
rec("nn.embedding_bag", lambda m, w, i: (
    m.nn.functional.embedding_bag(i, w, m.tensor([0, 2]), mode="sum"),
    m.nn.functional.embedding_bag(i.reshape(2, 2), w)),
    lambda g: [S("m", g.v(5, 3), In(np.array([0, 4, 1, 1], np.int64), I64, grad=False))],
    FLOAT, covers=("nn.embedding_bag",))
rec("nn.grid_sample", lambda m, x, grid, theta: (
    m.nn.functional.grid_sample(x, grid, align_corners=False),
    m.nn.functional.grid_sample(x, grid, "nearest", "border", True),
    m.nn.functional.grid_sample(x, grid, "bicubic", "reflection", False),
    m.nn.functional.grid_sample(x, m.nn.functional.affine_grid(theta, (2, 1, 3, 4), False),
                                "bilinear", "reflection", True),
    m.nn.functional.grid_sample(x.unsqueeze(2), m.cat([grid, grid[..., :1]], -1).unsqueeze(1),
                                align_corners=True)),
    lambda g: [S("m", g.v(2, 3, 4, 5), g.v(2, 3, 2, 2, lo=-1.5, hi=1.5),
                 g.v(2, 2, 3, lo=-1, hi=1))], FLOAT,
    covers=("nn.grid_sample", "nn.affine_grid"), tol={F32: (1e-5, 1e-5)})
rec("nn.ctc_loss", lambda m, x: (
    m.nn.functional.ctc_loss(x.log_softmax(2), m.tensor([[1, 2, 2], [3, 1, 0]]), [5, 4],
                             [3, 2], reduction="none"),
    m.nn.functional.ctc_loss(x.log_softmax(2), m.tensor([1, 2, 3, 1]), [5, 3], [2, 2]),
    m.nn.functional.ctc_loss(x, m.tensor([[2, 2, 2], [1, 1, 1]]), [5, 4], [3, 3],
                             reduction="sum", zero_infinity=True)),
    lambda g: [S("m", g.v(5, 2, 4))], FLOAT, covers=("nn.ctc_loss",), tol={F32: (1e-5, 1e-5)})
rec("nn.weight_norm", lambda m, v, g, g1: (m._weight_norm(v, g, 0), m._weight_norm(v, g1, 2),
                                         m._weight_norm(v, g1.sum(), -1)),
    lambda g: [S("m", g.v(3, 4, 2), g.v(3, 1, 1), g.v(1, 1, 2))], FLOAT,
    covers=("nn.weight_norm",))
