"""Misuse of the products, linalg, shape, signal, random and nn ops raises torch's exception
type and message (issue 27; the cases the generated corpus found, fixed here, plus their
neighbours): each case runs the same code on torch and on jtorch."""
import warnings

import numpy as np
import pytest

import jtorch
from tests.test_misuse_errors import _outcome   # (type, first line), or None

torch = pytest.importorskip("torch")


def f(m, *shape):
    """A float64 tensor of ones (a deterministic, well-conditioned input)."""
    return m.ones(*shape, dtype=m.float64)


def i(m, *shape):
    return m.ones(*shape, dtype=m.int64)


def eye(m, n):
    return m.eye(n, dtype=m.float64)


F = "nn.functional."
CASES = {
    # ---------------------------------------------------------------- products
    "addmm_expand": lambda m: m.addmm(f(m, 3, 4), f(m, 3, 4), f(m, 4, 2)),
    "addmm_expand_rank": lambda m: m.addmm(f(m, 2, 3, 2), f(m, 3, 4), f(m, 4, 2)),
    "addmm_self_dtype": lambda m: m.addmm(i(m, 3, 2), f(m, 3, 4), f(m, 4, 2)),
    "addmm_mat1_dtype": lambda m: m.addmm(f(m, 3, 2), i(m, 3, 4), f(m, 4, 2)),
    "addbmm_expand": lambda m: m.addbmm(f(m, 3, 6), f(m, 2, 3, 5), f(m, 2, 5, 4)),
    "addbmm_dtype": lambda m: m.addbmm(f(m, 3, 4), i(m, 2, 3, 5), i(m, 2, 5, 4)),
    "addbmm_sizes": lambda m: m.addbmm(i(m, 3, 4), f(m, 2, 3, 7), f(m, 2, 5, 4)),
    "baddbmm_expand": lambda m: m.baddbmm(f(m, 2, 3, 6), f(m, 2, 3, 5), f(m, 2, 5, 4)),
    "baddbmm_input_dtype": lambda m: m.baddbmm(i(m, 2, 3, 4), f(m, 2, 3, 5), f(m, 2, 5, 4)),
    "baddbmm_batch2_dtype": lambda m: m.baddbmm(f(m, 2, 3, 4), f(m, 2, 3, 5), i(m, 2, 5, 4)),
    "addr_expand": lambda m: m.addr(f(m, 3, 6), f(m, 3), f(m, 4)),
    "addr_inplace_size": lambda m: f(m, 3, 4).addr_(f(m, 5), f(m, 4)),
    "addr_inplace_1d": lambda m: f(m, 4).addr_(f(m, 3), f(m, 4)),
    "bmm_dtype": lambda m: m.bmm(i(m, 2, 3, 4), f(m, 2, 4, 2)),
    "bmm_shape_first": lambda m: m.bmm(i(m, 2, 3, 4), f(m, 2, 5, 2)),
    "matmul_3d_dtype": lambda m: m.matmul(i(m, 2, 3, 4), f(m, 2, 4, 2)),
    "matmul_fold_dtype": lambda m: m.matmul(i(m, 2, 3, 4), f(m, 4, 2)),
    "multi_dot_shapes": lambda m: m.linalg.multi_dot([f(m, 3, 4), f(m, 4, 6), f(m, 4, 3)]),
    "multi_dot_dtype": lambda m: m.linalg.multi_dot([f(m, 3, 4), i(m, 4, 4), f(m, 4, 3)]),
    "multi_dot_rank": lambda m: m.linalg.multi_dot([f(m, 3, 4), f(m, 4), f(m, 4, 2)]),
    "multi_dot_one": lambda m: m.linalg.multi_dot([f(m, 3, 4)]),
    "multi_dot_element": lambda m: m.linalg.multi_dot([f(m, 3, 4), "abc"]),
    "tensordot_dims_big": lambda m: m.tensordot(f(m, 2, 3, 4), f(m, 3, 4, 5), 17),
    "tensordot_dims_str": lambda m: m.tensordot(f(m, 2, 3, 4), f(m, 3, 4, 5), "abc"),
    "tensordot_contracted": lambda m: m.tensordot(f(m, 2, 3, 6), f(m, 3, 4, 5), 2),
    "tensordot_str": lambda m: m.tensordot("abc", f(m, 3, 4, 5), 2),
    "linalg_cross_str": lambda m: m.linalg.cross("abc", f(m, 3)),
    "cross_dim_str": lambda m: m.cross(f(m, 3, 3), f(m, 3, 3), "abc"),
    "einsum_sizes": lambda m: m.einsum("ij,jk->ik", f(m, 3, 4), f(m, 5, 2)),
    "einsum_batch": lambda m: m.einsum("bij,bjk->bik", f(m, 2, 2, 3), f(m, 3, 3, 2)),
    "einsum_repeated": lambda m: m.einsum("ii->i", f(m, 3, 4)),
    "einsum_rank": lambda m: m.einsum("ij->ij", f(m, 3, 4, 5)),
    "svd_lowrank_str": lambda m: m.svd_lowrank("abc"),
    "pca_lowrank_str": lambda m: m.pca_lowrank("abc"),
    # ---------------------------------------------------------------- linalg
    "eigvals_int": lambda m: m.linalg.eigvals(i(m, 3, 3)),
    "eigh_int": lambda m: m.linalg.eigh(i(m, 3, 3)),
    "eigh_int_nonsquare": lambda m: m.linalg.eigh(i(m, 3, 4)),
    "svdvals_int": lambda m: m.linalg.svdvals(i(m, 3, 4)),
    "svd_1d": lambda m: m.linalg.svd(f(m, 3)),
    "qr_int": lambda m: m.linalg.qr(i(m, 3, 4)),
    "cholesky_nonsquare": lambda m: m.linalg.cholesky(f(m, 3, 5)),
    "cholesky_int": lambda m: m.linalg.cholesky(i(m, 3, 3)),
    "cholesky_1d": lambda m: m.linalg.cholesky(f(m, 3)),
    "vector_norm_int": lambda m: m.linalg.vector_norm(i(m, 3, 4)),
    "vector_norm_ord_str": lambda m: m.linalg.vector_norm(f(m, 3, 4), "abc"),
    "vector_norm_dim_str": lambda m: m.linalg.vector_norm(f(m, 3, 4), 2, "abc"),
    "vector_norm_dim_range": lambda m: m.linalg.vector_norm(f(m, 3, 4), 2, 17),
    "matrix_norm_int": lambda m: m.linalg.matrix_norm(i(m, 3, 3)),
    "solve_dtype": lambda m: m.linalg.solve(eye(m, 3), i(m, 3)),
    "lu_factor_int": lambda m: m.linalg.lu_factor(i(m, 4, 4)),
    "lu_factor_1d": lambda m: m.linalg.lu_factor(f(m, 4)),
    "lu_solve_dtype": lambda m: m.linalg.lu_solve(*m.linalg.lu_factor(eye(m, 4)), i(m, 4, 2)),
    "lu_solve_shapes": lambda m: m.linalg.lu_solve(*m.linalg.lu_factor(eye(m, 4)), f(m, 6, 2)),
    "lu_solve_right": lambda m: m.linalg.lu_solve(*m.linalg.lu_factor(eye(m, 4)), f(m, 4, 6),
                                                  left=False),
    "lu_solve_pivots": lambda m: m.linalg.lu_solve(eye(m, 4), m.ones(4, dtype=m.int64),
                                                   f(m, 4, 2)),
    "triangular_dtype": lambda m: m.triangular_solve(f(m, 4, 2), i(m, 4, 4)),
    "triangular_square": lambda m: m.triangular_solve(f(m, 4, 2), f(m, 4, 6)),
    "triangular_sizes": lambda m: m.triangular_solve(f(m, 6, 2), eye(m, 4)),
    "cholesky_solve_sizes": lambda m: m.cholesky_solve(f(m, 6, 2), eye(m, 4)),
    "cholesky_inverse_int": lambda m: m.cholesky_inverse(i(m, 4, 4)),
    "householder_wide": lambda m: m.linalg.householder_product(f(m, 4, 5), f(m, 3)),
    "householder_dtype": lambda m: m.linalg.householder_product(f(m, 4, 3), i(m, 3)),
    "householder_tau": lambda m: m.linalg.householder_product(f(m, 4, 3), f(m, 5)),
    "householder_batch": lambda m: m.linalg.householder_product(f(m, 2, 4, 3), f(m, 3, 3)),
    "geqrf_int": lambda m: m.geqrf(i(m, 4, 4)),
    "geqrf_1d": lambda m: m.geqrf(f(m, 4)),
    "ormqr_dtype": lambda m: m.ormqr(*m.geqrf(eye(m, 4)), i(m, 4, 2)),
    "ormqr_other": lambda m: m.ormqr(*m.geqrf(eye(m, 4)), f(m, 6, 2)),
    "ormqr_tau": lambda m: m.ormqr(eye(m, 4), f(m, 5), f(m, 4, 2)),
    # ---------------------------------------------------------------- shapes
    "broadcast_tensors": lambda m: m.broadcast_tensors(f(m, 3, 1), f(m, 4), f(m, 2)),
    "broadcast_tensors_str": lambda m: m.broadcast_tensors(f(m, 3), "abc"),
    "broadcast_shapes_order": lambda m: m.broadcast_shapes((2, 1), (3,), (18, 18, 20)),
    "broadcast_shapes_str": lambda m: m.broadcast_shapes((2, 1), (3,), "abc"),
    "broadcast_shapes_float": lambda m: m.broadcast_shapes(2.5),
    "tile_str": lambda m: m.tile(f(m, 3, 4), "abc"),
    "tile_float": lambda m: m.tile(f(m, 3, 4), (2.5,)),
    "tile_negative": lambda m: m.tile(f(m, 3, 4), (-1,)),
    "tensor_split_str": lambda m: m.tensor_split(f(m, 7, 2), "a"),
    "tensor_split_float": lambda m: m.tensor_split(f(m, 7, 2), 3.5),
    "atleast_list_str": lambda m: m.atleast_2d([f(m, 3), "abc"]),
    "topk_k_str": lambda m: m.topk(f(m, 3, 5), "abc"),
    "topk_k_float": lambda m: m.topk(f(m, 3, 5), 2.5),
    # ---------------------------------------------------------------- signal
    "fft_str": lambda m: m.fft.fft("abc"),
    "rfft2_str": lambda m: m.fft.rfft2("abc"),
    "stft_int": lambda m: m.stft(i(m, 2, 80), 16, 4, window=f(m, 16), return_complex=True),
    "stft_window": lambda m: m.stft(f(m, 2, 80), 16, 4, window=f(m, 18), return_complex=True),
    "stft_hop": lambda m: m.stft(f(m, 2, 80), 16, 0, window=f(m, 16), return_complex=True),
    "stft_win_length": lambda m: m.stft(f(m, 2, 80), 16, 4, win_length=20,
                                        return_complex=True),
    "stft_3d": lambda m: m.stft(f(m, 2, 2, 80), 16, 4, window=f(m, 16), return_complex=True),
    "stft_str": lambda m: m.stft("abc", 16, 4, window=f(m, 16), return_complex=True),
    "istft_real": lambda m: m.istft(f(m, 9, 17), 16, 4, window=f(m, 16), length=60),
    "istft_window": lambda m: m.istft(m.ones(9, 17, dtype=m.complex128), 16, 4,
                                      window=f(m, 18), length=60),
    "histogram_weight_shape": lambda m: m.histogram(f(m, 14), 4, weight=f(m, 12)),
    "histogram_weight_dtype": lambda m: m.histogram(f(m, 14), 4, weight=i(m, 14)),
    "histogram_bins_dtype": lambda m: m.histogram(f(m, 14), m.tensor([0, 1, 3])),
    "histogram_bins_negative": lambda m: m.histogram(f(m, 14), -1),
    "histogram_range": lambda m: m.histogram(f(m, 14), 4, range=(1.0, 0.0)),
    "histogramdd_weight": lambda m: m.histogramdd(f(m, 7, 2), 2, weight=f(m, 6)),
    "cov_fweights_numel": lambda m: m.cov(f(m, 3, 7), fweights=i(m, 5)),
    "cov_fweights_dtype": lambda m: m.cov(f(m, 3, 5), fweights=f(m, 5)),
    "cov_aweights_dtype": lambda m: m.cov(f(m, 3, 5), aweights=i(m, 5)),
    "cov_aweights_dims": lambda m: m.cov(f(m, 3, 5), aweights=f(m, 5, 1)),
    "cov_fweights_negative": lambda m: m.cov(f(m, 3, 5), fweights=-i(m, 5)),
    "cov_weights_str": lambda m: m.cov(f(m, 3, 5), aweights="abc"),
    "cov_correction_float": lambda m: m.cov(f(m, 3, 5), correction=0.5),
    "cov_3d": lambda m: m.cov(f(m, 2, 3, 5)),
    # ---------------------------------------------------------------- random
    "binomial_shapes": lambda m: m.binomial(f(m, 2, 6), f(m, 4) * 0.5),
    "binomial_prob_int": lambda m: m.binomial(f(m, 2, 4), i(m, 4)),
    "binomial_prob_float32": lambda m: m.binomial(f(m, 2, 4), m.ones(4) * 0.5),
    "poisson_int": lambda m: m.poisson(i(m, 3)),
    "gamma_grad_dtype": lambda m: m._standard_gamma_grad(i(m, 3), f(m, 3)),
    "dirichlet_grad_dtype": lambda m: m._dirichlet_grad(f(m, 3) * 0.5, f(m, 3), i(m, 3)),
    # ---------------------------------------------------------------- nn
    "softmax_int": lambda m: m.nn.functional.softmax(i(m, 3, 4), -1),
    "softmax_int_dim0": lambda m: m.nn.functional.softmax(i(m, 3, 4), 0),
    "log_softmax_int": lambda m: m.nn.functional.log_softmax(i(m, 3, 4), 1),
    "softmax_str": lambda m: m.nn.functional.softmax("abc", 0),
    "softmax_str_no_dim": lambda m: m.nn.functional.softmax("abc"),
    "nll_loss_int": lambda m: m.nn.functional.nll_loss(i(m, 4, 5), i(m, 4)),
    "cross_entropy_int": lambda m: m.nn.functional.cross_entropy(i(m, 4, 5), i(m, 4)),
    "bce_target_dtype": lambda m: m.nn.functional.binary_cross_entropy(f(m, 3, 4) * 0.5,
                                                                       i(m, 3, 4)),
    "bce_logits_target_int": lambda m: m.nn.functional.binary_cross_entropy_with_logits(
        f(m, 3, 4), i(m, 3, 4)),
    "bce_logits_input_int": lambda m: m.nn.functional.binary_cross_entropy_with_logits(
        i(m, 3, 4), f(m, 3, 4)),
    "conv_weight_dtype": lambda m: m.nn.functional.conv2d(f(m, 2, 3, 5, 5), i(m, 4, 3, 3, 3)),
    "conv_float32_input": lambda m: m.nn.functional.conv2d(m.ones(2, 3, 5, 5),
                                                           f(m, 4, 3, 3, 3)),
    "conv_transpose_dtype": lambda m: m.nn.functional.conv_transpose2d(i(m, 2, 3, 4, 4),
                                                                       f(m, 3, 2, 3, 3)),
    "batch_norm_int": lambda m: m.nn.functional.batch_norm(i(m, 2, 3, 4), None, None,
                                                           f(m, 3), f(m, 3), True),
    "batch_norm_mixed": lambda m: m.nn.functional.batch_norm(f(m, 2, 3, 4), None, None,
                                                             i(m, 3), f(m, 3), True),
    "batch_norm_bias": lambda m: m.nn.functional.batch_norm(f(m, 2, 3, 4), None, None,
                                                            f(m, 3), i(m, 3), True),
    "layer_norm_mixed": lambda m: m.nn.functional.layer_norm(i(m, 2, 3, 4), (4,), f(m, 4),
                                                             f(m, 4)),
    "layer_norm_int": lambda m: m.nn.functional.layer_norm(i(m, 2, 3, 4), (3, 4)),
    "group_norm_int": lambda m: m.nn.functional.group_norm(i(m, 3, 2, 4), 1),
    "group_norm_bias": lambda m: m.nn.functional.group_norm(f(m, 3, 2, 4), 1, f(m, 2),
                                                            i(m, 2)),
    "huber_int_input": lambda m: m.nn.functional.huber_loss(i(m, 3, 4), f(m, 3, 4)),
    "smooth_l1_ints": lambda m: m.nn.functional.smooth_l1_loss(i(m, 3, 4), i(m, 3, 4)),
    "soft_margin_ints": lambda m: m.nn.functional.soft_margin_loss(i(m, 3, 4), i(m, 3, 4)),
    "multi_margin_int": lambda m: m.nn.functional.multi_margin_loss(i(m, 3, 4),
                                                                    m.tensor([0, 3, 1])),
    "max_pool1d_int": lambda m: m.nn.functional.max_pool1d(i(m, 3, 5, 6), 2),
    "adaptive_avg_int": lambda m: m.nn.functional.adaptive_avg_pool2d(i(m, 2, 3, 5, 6), 2),
    "adaptive_max_int": lambda m: m.nn.functional.adaptive_max_pool2d(i(m, 2, 3, 5, 6), 2),
    "interpolate_nearest_int": lambda m: m.nn.functional.interpolate(i(m, 1, 2, 3, 4),
                                                                     scale_factor=2),
    "interpolate_linear_uint8": lambda m: m.nn.functional.interpolate(
        m.ones(1, 2, 3, dtype=m.uint8), scale_factor=2, mode="linear"),
    "interpolate_bicubic_int": lambda m: m.nn.functional.interpolate(
        i(m, 1, 2, 3, 4), size=(5, 3), mode="bicubic"),
    "interpolate_aa_int": lambda m: m.nn.functional.interpolate(
        i(m, 1, 2, 3, 4), size=(3, 2), mode="bilinear", antialias=True),
    "unfold_int": lambda m: m.nn.functional.unfold(i(m, 2, 4, 4, 6), 2),
    "max_unpool_int": lambda m: m.nn.functional.max_unpool2d(i(m, 2, 4, 4), i(m, 2, 4, 4), 2),
    "multilabel_int": lambda m: m.nn.functional.multilabel_margin_loss(i(m, 3, 5),
                                                                       i(m, 3, 5)),
    "multilabel_target_dtype": lambda m: m.nn.functional.multilabel_margin_loss(
        f(m, 3, 5), f(m, 3, 5)),
    "multilabel_target_range": lambda m: m.nn.functional.multilabel_margin_loss(
        f(m, 3, 5), m.full((3, 5), 5)),
    "rrelu_int": lambda m: m.nn.functional.rrelu(i(m, 3, 4)),
    "sdpa_value_length": lambda m: m.nn.functional.scaled_dot_product_attention(
        f(m, 2, 3, 4, 5), f(m, 2, 3, 6, 5), f(m, 2, 3, 4, 2)),
    "sdpa_mask": lambda m: m.nn.functional.scaled_dot_product_attention(
        f(m, 2, 3, 4, 5), f(m, 2, 3, 4, 5), f(m, 2, 3, 4, 2), attn_mask=f(m, 2, 3, 4, 7) > 0),
    "embedding_bag_range": lambda m: m.nn.functional.embedding_bag(
        m.tensor([0, 99, 1, 1]), f(m, 5, 3), m.tensor([0, 2]), mode="sum"),
    "weight_norm_int": lambda m: m._weight_norm(i(m, 3, 4, 2), f(m, 3, 1, 1), 0),
    "weight_norm_g_dtype": lambda m: m._weight_norm(f(m, 3, 4, 2), i(m, 3, 1, 1), 0),
    "weight_norm_str": lambda m: m._weight_norm("abc", f(m, 3, 1, 1), 0),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_raises_torchs_error(name):
    want = _outcome(torch, CASES[name])
    assert want is not None, "torch accepts this case: it is not a misuse"
    got = _outcome(jtorch, CASES[name])
    assert got is not None, f"jtorch ran without error; torch raised {want}"
    assert got == want


# inputs torch accepts although they look wrong: jtorch must accept them with torch's values
ACCEPTED = {
    # the reflectors past column m of a wide input are never used
    "ormqr_wide": lambda m: m.ormqr(m.arange(24, dtype=m.float64).reshape(4, 6).sin(),
                                    m.full((4,), 0.5, dtype=m.float64), f(m, 4, 2)),
    # torch's fused kernel reads g as a flat buffer of v.size(dim) values
    "weight_norm_flat_g": lambda m: m._weight_norm(
        m.arange(24, dtype=m.float64).reshape(3, 4, 2).cos(),
        m.arange(9, dtype=m.float64).reshape(3, 1, 3) + 1, 0),
    # histogram flattens a weight like its input
    "histogram_2d_weight": lambda m: m.histogram(
        m.arange(14, dtype=m.float64).reshape(2, 7), 4,
        weight=m.arange(14, dtype=m.float64)).hist,
    "conv_transpose_int_bias": lambda m: m.nn.functional.conv_transpose2d(
        f(m, 1, 2, 3, 3), f(m, 2, 2, 2, 2), i(m, 2)),
    "tensordot_tensor_dims": lambda m: m.tensordot(f(m, 2, 3), f(m, 3, 2), m.tensor(1)),
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_accepts_what_torch_accepts(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = ACCEPTED[name](torch)
        got = ACCEPTED[name](jtorch)
    assert tuple(got.shape) == tuple(want.shape)
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-12, atol=1e-12)
