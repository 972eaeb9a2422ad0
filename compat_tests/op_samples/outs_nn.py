"""Records of the out= variants, the nn.functional ops of the table, and the map from internal table ops to the public op that reaches them."""
import numpy as np

from .base import (F32, F64, FLOAT, INF, Idx, In, S, rec)


# ---- out= variants of the new ops (results written into a resized tensor)
def _o(m, dtype=None):
    return m.empty(0) if dtype is None else m.empty(0, dtype=dtype)


rec("out.new_ops", lambda m, a, b: (
    m.atan2(a, b, out=_o(m)), m.cumprod(a, 1, out=_o(m)), m.logaddexp(a, b, out=_o(m)),
    m.kron(a, b, out=_o(m)), m.tril(a, 1, out=_o(m)), m.angle(a, out=_o(m)),
    m.quantile(a, 0.5, dim=1, out=_o(m)), m.xlogy(a, b, out=_o(m)),
    m.index_select(a, 1, m.tensor([2, 0]), out=_o(m)),
    m.gather(a, 0, m.tensor([[1, 0, 0, 2]]), out=_o(m)),
    m.searchsorted(m.tensor([-1.0, 0.0, 1.0]), a, out=_o(m, m.int64)),
    m.cummax(a, 0, out=(_o(m), _o(m, m.int64))), m.aminmax(a, dim=0, out=(_o(m), _o(m))),
    m.addmv(a[:, 0], a, b[0], out=_o(m)), m.vdot(a[0], b[0], out=_o(m))),
    lambda g: [S("m", g.v(3, 4), g.pos(3, 4))], (F32,), grad=False,
    covers=("atan2", "cumprod", "logaddexp", "kron", "tril", "angle", "quantile", "xlogy",
            "index_select", "gather", "searchsorted", "cummax", "aminmax", "addmv", "vdot"))
rec("out.requires_grad", lambda m, a: m.atan2(a, a, out=m.empty(0)),
    lambda g: [S("m", g.v(3), raises=True)], (F64,), covers=("atan2",))
rec("heaviside.grad_fn", lambda m, a, b: (m.heaviside(a, b).requires_grad,
                                          m.heaviside(a, b).grad_fn.name()),
    lambda g: [S("m", g.v(3), g.v(3))], (F64,), covers=("heaviside",))
rec("not_implemented_grad", lambda m, a, b: (m.heaviside(a, b).sum().backward(),),
    lambda g: [S("heaviside", g.v(3), g.v(3), raises=True)], (F64,), covers=("heaviside",))
rec("not_implemented_grad.scatter", lambda m, a: m.scatter(a, 0, m.tensor([0]), 2.0,
                                                           reduce="add").sum().backward(),
    lambda g: [S("scatter", g.v(3), raises=True)], (F64,), covers=("scatter",))
rec("methods.new_ops", lambda m, a, b: (
    a.fmax(b), a.fmin(b), a.hypot(b), a.copysign(b), a.xlogy(b.abs()), a.logaddexp(b),
    a.lerp(b, 0.25), a.addcmul(a, b, value=-1), a.addcdiv(a, b.abs() + 1, value=2),
    a.cumprod(0), a.cummin(1), a.logcumsumexp(0), a.count_nonzero(), a.dist(b), a.roll(1, 0),
    a.rot90(), a.tril(), a.triu(-1), a.diag_embed(), a.trace(), a.kthvalue(2), a.nanmedian(),
    a.quantile(0.3), a.nan_to_num(), a.sgn(), a.signbit(), a.deg2rad(), a.rad2deg(),
    a.sinc(), a.i0(), a.lgamma(), a.digamma(), a.logit(0.1),
    a.index_fill(1, m.tensor([0]), 2.0), a.masked_fill(a > 0, 1.0), a.take(m.tensor([3])),
    a.take_along_dim(m.tensor([[0], [1], [2]]), 1),
    a.scatter_add(0, m.tensor([[1, 0, 2, 1]]), b[:1]),
    a.clone().index_add_(0, m.tensor([2]), b[:1]), a.clone().scatter_(1, m.tensor([[0], [1],
                                                                                   [2]]), 5.0),
    a.clone().tril_(), a.clone().lerp_(b, 0.5), a.clone().hypot_(b), a.clone().xlogy_(2),
    a.clone().copysign_(-1), a.clone().sgn_(), a.clone().logit_(), a.clone().deg2rad_(),
    a.clone().nan_to_num_(), a.clone().masked_scatter_(a > 0, b)),
    lambda g: [S("m", g.v(3, 4), g.v(3, 4))], (F32, F64),
    covers=("fmax", "fmin", "hypot", "copysign", "xlogy", "logaddexp", "lerp", "addcmul",
            "addcdiv", "cumprod", "cummin", "logcumsumexp", "count_nonzero", "dist", "roll",
            "rot90", "tril", "triu", "diag_embed", "trace", "kthvalue", "nanmedian",
            "quantile", "nan_to_num", "sgn", "signbit", "deg2rad", "rad2deg", "sinc", "i0",
            "lgamma", "digamma", "logit", "index_fill", "masked_fill", "take",
            "take_along_dim", "scatter_add", "index_add", "scatter", "masked_scatter"),
    tol={F32: (1e-5, 1e-5)})


# ---- nn.functional ops of the table (jtorch/_ops/nn_ops.py)
rec("nn.softmax", lambda m, x: (m.nn.functional.softmax(x, -1), m.nn.functional.softmax(x, 0),
                                m.nn.functional.log_softmax(x, 1)),
    lambda g: [S("m", g.v(3, 4)), S("ties", g.ties(3, 4)),
               S("inf", np.array([[0.0, -INF, 1.0], [-INF, -INF, 2.0]]))], FLOAT,
    covers=("nn.softmax", "nn.log_softmax"))
rec("nn.activations", lambda m, x: (m.nn.functional.leaky_relu(x, 0.2), m.nn.functional.elu(x),
                                    m.nn.functional.gelu(x),
                                    m.nn.functional.gelu(x, approximate="tanh"),
                                    m.nn.functional.silu(x)),
    lambda g: [S("m", g.v(3, 4)), S("kinks", np.array([-1.0, 0.0, 1.0, -0.0]))], FLOAT,
    covers=("nn.leaky_relu", "nn.elu", "nn.gelu", "nn.silu"))
rec("nn.regression_losses", lambda m, a, b: (m.nn.functional.mse_loss(a, b),
                                             m.nn.functional.l1_loss(a, b, reduction="sum"),
                                             m.nn.functional.mse_loss(a, b, reduction="none")),
    lambda g: [S("m", g.v(3, 4), g.v(3, 4)), S("ties", g.ties(3, 4), g.ties(3, 4))], FLOAT,
    covers=("nn.mse_loss", "nn.l1_loss"))
rec("nn.nll_loss", lambda m, x, t: (m.nn.functional.nll_loss(x, t),
                                    m.nn.functional.cross_entropy(x, t, reduction="sum")),
    lambda g: [S("m", g.v(4, 5), Idx(g.idx(5, 4)))], FLOAT, covers=("nn.nll_loss",))
rec("nn.bce", lambda m, x, t: (m.nn.functional.binary_cross_entropy(m.sigmoid(x), t),
                               m.nn.functional.binary_cross_entropy_with_logits(x, t)),
    lambda g: [S("m", g.v(3, 4), In(g.unit(3, 4), grad=False))], FLOAT,
    covers=("nn.binary_cross_entropy", "nn.binary_cross_entropy_with_logits"))
rec("nn.conv", lambda m, x, w, b: (m.nn.functional.conv2d(x, w, b, padding=1),
                                   m.nn.functional.conv2d(x, w, None, stride=2)),
    lambda g: [S("m", g.v(2, 3, 5, 5), g.v(4, 3, 3, 3), g.v(4))], FLOAT,
    covers=("nn.conv2d",), tol={F32: (1e-5, 1e-5)})
rec("nn.pool", lambda m, x: (m.nn.functional.max_pool2d(x, 2), m.nn.functional.avg_pool2d(x, 2),
                             m.nn.functional.max_pool2d(x, 3, 1, 1)),
    lambda g: [S("m", g.v(2, 3, 4, 4)), S("ties", g.ties(1, 2, 4, 4))], FLOAT,
    covers=("nn.max_pool2d", "nn.avg_pool2d"))

# ---- internal table ops -> the public op that reaches them
INTERNAL = {
    "_index": "index", "_index_put": "index_put", "_matmul_nd": "matmul",
    "_max_all": "max", "_max_dim": "max", "_min_all": "min", "_min_dim": "min",
    "_median_all": "median", "_median_dim": "median", "_mode": "mode",
    "_reshape_copy": "reshape", "_sort": "sort", "_topk": "topk", "_to_copy": "type",
    "_clone": "clone",
    "_view_backward": None,   # the create_graph replay of a view's backward (tests/)
    "_angle_complex": "angle", "_angle_real": "angle", "_conj": "conj", "_imag": "imag",
    "_polygamma": "polygamma", "_polygamma_inplace": "polygamma", "_real": "real",
    "_aminmax": "aminmax", "_cummax": "cummax", "_cummin": "cummin", "_kthvalue": "kthvalue",
    "_nanmedian_all": "nanmedian", "_nanmedian_dim": "nanmedian", "_quantile": "quantile",
    "_std_mean": "std_mean", "_var_mean": "var_mean", "_vector_norm": "norm",
    "_block_diag": "block_diag", "_cdist": "cdist", "_cross": "cross", "_diag_copy": "diag",
    "_einsum": "einsum", "_flip": "flip", "_kron": "kron", "_tensordot": "tensordot",
    "_histc": "histc", "_index_fill": "index_fill", "_masked_select": "masked_select",
    "_scatter_legacy_reduce": "scatter", "_scatter_reduce": "scatter_reduce",
    "_scatter_src": "scatter", "_scatter_value": "scatter", "_searchsorted": "searchsorted",
    "_take": "take", "_take_along": "take_along_dim",
    "__pos__": "__pos__", "__rsub__": "__rsub__",
    "cuda": None,            # needs a CUDA device: tests/ covers the no-CUDA error
    "_softmax": "nn.softmax", "_log_softmax": "nn.log_softmax",
    "_leaky_relu": "nn.leaky_relu", "_elu": "nn.elu", "_gelu": "nn.gelu", "_silu": "nn.silu",
    "_mse_loss": "nn.mse_loss", "_l1_loss": "nn.l1_loss", "_nll_loss": "nn.nll_loss",
    "_bce": "nn.binary_cross_entropy", "_bce_with_logits": "nn.binary_cross_entropy_with_logits",
    "_conv": "nn.conv2d", "_max_pool": "nn.max_pool2d", "_avg_pool": "nn.avg_pool2d",
    "linalg_vector_norm": "linalg_vector_norm",
    "_hardtanh": "nn.hardtanh", "_threshold": "nn.threshold", "_selu": "nn.selu",
    "_celu": "nn.celu", "_softplus": "nn.softplus", "_mish": "nn.mish",
    "_hardswish": "nn.hardswish", "_hardsigmoid": "nn.hardsigmoid",
    "_logsigmoid": "nn.logsigmoid", "_softshrink": "nn.softshrink",
    "_hardshrink": "nn.hardshrink", "_prelu": "nn.prelu", "_glu": "nn.glu",
    "_batch_norm": "nn.batch_norm", "_batch_stats": "nn.batch_norm",
    "_layer_norm": "nn.layer_norm", "_group_norm": "nn.group_norm",
    "_embedding": "nn.embedding", "_smooth_l1_loss": "nn.smooth_l1_loss",
    "_huber_loss": "nn.huber_loss", "_soft_margin_loss": "nn.soft_margin_loss",
    "_multi_margin_loss": "nn.multi_margin_loss", "_pairwise_distance": "nn.pairwise_distance",
    "_max_pool_with_indices": "nn.max_pool2d_with_indices",
    "_adaptive_avg_pool": "nn.adaptive_avg_pool2d", "_adaptive_max_pool": "nn.adaptive_max_pool2d",
    "_pad": "nn.pad", "_upsample": "nn.interpolate", "_upsample_aa": "nn.interpolate",
    "_unfold": "nn.unfold", "_fold": "nn.fold",
    "_pixel_shuffle": "nn.pixel_shuffle", "_pixel_unshuffle": "nn.pixel_unshuffle",
    "_channel_shuffle": "nn.channel_shuffle", "_conv_transpose": "nn.conv_transpose2d",
    "_pack_padded": "nn.pack_padded_sequence", "_pad_packed": "nn.pad_packed_sequence",
    "_sdpa": "nn.scaled_dot_product_attention", "_fft": "fft.fft", "_bilinear": "nn.bilinear",
    "_embedding_bag": "nn.embedding_bag", "_grid_sample": "nn.grid_sample",
    "_affine_grid": "nn.affine_grid", "_ctc_loss": "nn.ctc_loss",
    "_weight_norm_interface": "nn.weight_norm",
    "_rnn_layer": None,      # RNN/LSTM/GRU modules: tests/test_nn_rnn.py
}
