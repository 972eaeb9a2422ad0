"""Autocast cases: one torch-level call per op, each a function of the module (``torch`` or
``jtorch``) returning a tensor (or a tuple: its first tensor counts). Shared by the recorder
(``make_autocast.py``, run under torch) and ``tests/test_autocast.py`` (run under jtorch): the
output dtype of each case under ``autocast("cpu", dtype)`` with float32 inputs is torch's op
list made observable (torch's C++ lists cannot be read from Python)."""


_INPUT = ["float32"]     # the cases' input dtype, set by ``run``


def _t(T, *shape, seed=0):
    g = T.Generator().manual_seed(seed)
    return (T.rand(*shape, generator=g) + 0.5).to(getattr(T, _INPUT[0]))


def _spd(T):
    a = _t(T, 3, 3)
    return a @ a.mT + 3 * T.eye(3)


def _cases():
    F = lambda T: T.nn.functional  # noqa: E731
    x = lambda T: _t(T, 2, 3, 4, 4)  # noqa: E731
    m = lambda T: _t(T, 3, 3)  # noqa: E731
    v = lambda T: _t(T, 3)  # noqa: E731
    b = lambda T: _t(T, 2, 3, 3)  # noqa: E731
    tgt = lambda T: T.tensor([0, 2])  # noqa: E731
    lo = lambda T: _t(T, 2, 3)  # noqa: E731
    return {
        # ---- torch's CPU lower-precision list
        "mm": lambda T: T.mm(m(T), m(T)),
        "matmul": lambda T: T.matmul(b(T), m(T)),
        "matmul_2d": lambda T: m(T) @ m(T),
        "bmm": lambda T: T.bmm(b(T), b(T)),
        "addmm": lambda T: T.addmm(m(T), m(T), m(T)),
        "baddbmm": lambda T: T.baddbmm(b(T), b(T), b(T)),
        "addbmm": lambda T: T.addbmm(m(T), b(T), b(T)),
        "linear_2d": lambda T: F(T).linear(m(T), m(T), v(T)),
        "linear_3d": lambda T: F(T).linear(b(T), m(T), v(T)),
        "linear_nobias": lambda T: F(T).linear(b(T), m(T)),
        "conv1d": lambda T: F(T).conv1d(_t(T, 1, 3, 5), _t(T, 2, 3, 2), _t(T, 2)),
        "conv2d": lambda T: F(T).conv2d(x(T), _t(T, 2, 3, 2, 2), _t(T, 2)),
        "conv3d": lambda T: F(T).conv3d(_t(T, 1, 2, 3, 3, 3), _t(T, 2, 2, 2, 2, 2)),
        "conv_transpose1d": lambda T: F(T).conv_transpose1d(_t(T, 1, 3, 5), _t(T, 3, 2, 2)),
        "conv_transpose2d": lambda T: F(T).conv_transpose2d(x(T), _t(T, 3, 2, 2, 2)),
        "conv_transpose3d": lambda T: F(T).conv_transpose3d(_t(T, 1, 2, 3, 3, 3),
                                                            _t(T, 2, 2, 2, 2, 2)),
        "prelu": lambda T: F(T).prelu(x(T), _t(T, 1)),
        "sdpa": lambda T: F(T).scaled_dot_product_attention(b(T), b(T), b(T)),
        "nn_linear": lambda T: T.nn.Linear(3, 2)(m(T)),
        "nn_conv2d": lambda T: T.nn.Conv2d(3, 2, 2)(x(T)),
        # ---- torch's CPU float32 list
        "mse_loss": lambda T: F(T).mse_loss(lo(T), lo(T)),
        "l1_loss": lambda T: F(T).l1_loss(lo(T), lo(T)),
        "smooth_l1_loss": lambda T: F(T).smooth_l1_loss(lo(T), lo(T)),
        "huber_loss": lambda T: F(T).huber_loss(lo(T), lo(T)),
        "nll_loss": lambda T: F(T).nll_loss(lo(T), tgt(T)),
        "cross_entropy": lambda T: F(T).cross_entropy(lo(T), tgt(T)),
        "kl_div": lambda T: F(T).kl_div(lo(T), lo(T), reduction="batchmean"),
        "bce": lambda T: F(T).binary_cross_entropy(lo(T) / 2, lo(T) / 2),
        "bce_logits": lambda T: F(T).binary_cross_entropy_with_logits(lo(T), lo(T) / 2),
        "soft_margin_loss": lambda T: F(T).soft_margin_loss(lo(T), lo(T)),
        "margin_ranking_loss": lambda T: F(T).margin_ranking_loss(v(T), v(T), v(T)),
        "hinge_embedding_loss": lambda T: F(T).hinge_embedding_loss(lo(T), lo(T)),
        "poisson_nll_loss": lambda T: F(T).poisson_nll_loss(lo(T), lo(T)),
        "multi_margin_loss": lambda T: F(T).multi_margin_loss(lo(T), tgt(T)),
        "cdist": lambda T: T.cdist(m(T), m(T)),
        "prod": lambda T: T.prod(m(T)),
        "trace": lambda T: T.trace(m(T)),
        "quantile": lambda T: T.quantile(v(T), 0.5),
        "inverse": lambda T: T.inverse(_spd(T)),
        "linalg_inv": lambda T: T.linalg.inv(_spd(T)),
        "linalg_solve": lambda T: T.linalg.solve(_spd(T), m(T)),
        "linalg_cholesky": lambda T: T.linalg.cholesky(_spd(T)),
        "cholesky": lambda T: T.cholesky(_spd(T)),
        "linalg_qr": lambda T: T.linalg.qr(m(T))[0],
        "linalg_svd": lambda T: T.linalg.svd(m(T))[1],
        "linalg_eigh": lambda T: T.linalg.eigh(_spd(T))[0],
        "linalg_matrix_rank": lambda T: T.linalg.matrix_rank(m(T)),
        "fft_fft": lambda T: T.fft.fft(v(T)),
        "fft_rfft": lambda T: T.fft.rfft(v(T)),
        "max_pool3d": lambda T: F(T).max_pool3d(_t(T, 1, 2, 4, 4, 4), 2),
        "avg_pool3d": lambda T: F(T).avg_pool3d(_t(T, 1, 2, 4, 4, 4), 2),
        "adaptive_avg_pool3d": lambda T: F(T).adaptive_avg_pool3d(_t(T, 1, 2, 4, 4, 4), 2),
        "reflection_pad2d": lambda T: F(T).pad(x(T), (1, 1, 1, 1), mode="reflect"),
        "replication_pad2d": lambda T: F(T).pad(x(T), (1, 1, 1, 1), mode="replicate"),
        "grid_sample": lambda T: F(T).grid_sample(x(T), _t(T, 2, 2, 2, 2) - 1,
                                                  align_corners=False),
        # ---- promote list (inputs float32 and bfloat16: widest wins)
        "cat_mixed": lambda T: T.cat([v(T), v(T).bfloat16()]),
        "stack_mixed": lambda T: T.stack([v(T), v(T).bfloat16()]),
        "index_copy_mixed": lambda T: v(T).bfloat16().index_copy(0, T.tensor([0]),
                                                                 _t(T, 1)),
        # ---- not in a list: run in their inputs' dtype
        "relu": lambda T: T.relu(m(T)),
        "softmax": lambda T: T.softmax(m(T), -1),
        "log_softmax": lambda T: F(T).log_softmax(m(T), -1),
        "layer_norm": lambda T: F(T).layer_norm(lo(T), (3,)),
        "group_norm": lambda T: F(T).group_norm(x(T), 3),
        "batch_norm": lambda T: F(T).batch_norm(x(T), None, None, training=True),
        "exp": lambda T: T.exp(m(T)),
        "log": lambda T: T.log(m(T)),
        "pow": lambda T: T.pow(m(T), 2),
        "sum": lambda T: T.sum(m(T)),
        "mean": lambda T: T.mean(m(T)),
        "add": lambda T: m(T) + m(T),
        "add_mixed": lambda T: v(T) + v(T).bfloat16(),
        "gelu": lambda T: F(T).gelu(m(T)),
        "tanh": lambda T: T.tanh(m(T)),
        "max_pool2d": lambda T: F(T).max_pool2d(x(T), 2),
        "avg_pool2d": lambda T: F(T).avg_pool2d(x(T), 2),
        "dropout_eval": lambda T: F(T).dropout(m(T), 0.5, training=False),
        "norm": lambda T: T.linalg.vector_norm(m(T)),
        "cumsum": lambda T: T.cumsum(m(T), 0),
        "mv": lambda T: T.mv(m(T), v(T)),
        "dot": lambda T: T.dot(v(T), v(T)),
        "addmv": lambda T: T.addmv(v(T), m(T), v(T)),
        "einsum": lambda T: T.einsum("ij,jk->ik", m(T), m(T)),
        "tensordot": lambda T: T.tensordot(m(T), m(T), 1),
        "bilinear": lambda T: F(T).bilinear(lo(T), lo(T), _t(T, 2, 3, 3)),
        "embedding": lambda T: F(T).embedding(tgt(T), m(T)),
        "nn_layernorm_module": lambda T: T.nn.LayerNorm(3)(lo(T)),
        "mha": lambda T: T.nn.MultiheadAttention(4, 2, batch_first=True)(
            _t(T, 2, 3, 4), _t(T, 2, 3, 4), _t(T, 2, 3, 4))[0],
        "float64_mm": lambda T: T.mm(m(T).double(), m(T).double()),
        "int_add": lambda T: T.arange(3) + 1,
    }


CASES = _cases()


def run(T, name, dtype_name, input_dtype="float32"):
    """The case's first output under ``T.autocast("cpu", dtype)`` with inputs of
    ``input_dtype`` (float32: shows the lower-precision list; the autocast dtype itself:
    shows the float32 list): its dtype name, or "raises" when the call raises."""
    _INPUT[0] = input_dtype
    with T.autocast("cpu", dtype=getattr(T, dtype_name)):
        try:
            out = CASES[name](T)
        except Exception:  # noqa: BLE001  (recorded: torch's own answer)
            return "raises"
        finally:
            _INPUT[0] = "float32"
    if isinstance(out, tuple):
        out = out[0]
    return str(out.dtype).replace("torch.", "")
