"""OpInfo ops that do not match torch yet: op id -> the first failure's reason.

Written by ``python -m compat_tests.opinfo --report --known FILE`` (then checked by
hand); a fixed op must leave these lists (the tests are strict xfails). "missing:"
means jtorch has no counterpart for the op (or for a name its torch lambda calls).
"""
# flake8: noqa: E501
FORWARD = {
    '_batch_norm_with_update': 'missing: torch.ops.aten._batch_norm_with_update',
    '_chunk_cat': 'missing: torch._chunk_cat',
    '_native_batch_norm_legit': 'missing: torch._native_batch_norm_legit',
    '_segment_reduce.lengths': 'missing: torch._segment_reduce',
    '_segment_reduce.offsets': 'missing: torch._segment_reduce',
    '_softmax_backward_data': 'missing: torch.ops.aten._softmax_backward_data',
    '_unsafe_masked_index': 'missing: torch._unsafe_masked_index',
    '_unsafe_masked_index_put_accumulate': 'missing: torch._unsafe_masked_index_put_accumulate',
    '_upsample_bilinear2d_aa': 'missing: torch.ops.aten._upsample_bilinear2d_aa',
    'argsort': 'output: 7999/8000 values differ (first at (np.int64(1),): np.int64(0) vs torch np.int64(5328))',
    'chalf': "missing: 'Tensor' object has no attribute 'chalf'",
    'hash_tensor': 'missing: torch.hash_tensor',
    'istft': 'output: 2/2 values differ (first at (np.int64(0),): np.float32(-1.0616382) vs torch np.float32(-0.9996384))',
    'linalg.eig': 'jtorch raised NotImplementedError: Derivatives of non-symmetric eigenvectors are only valid under assumptions on the input that JAX cannot check (see the enable_eigvec_derivs argument to jax.lax.linal',
    'matrix_exp': 'output: 24/125 values differ (first at (np.int64(1), np.int64(0), np.int64(3)): np.float32(-5395.5923) vs torch np.float32(-5395.583))',
    'max_pool2d_with_indices_backward': "missing: module 'jtorch' has no attribute 'ops'",
    'native_dropout_backward': 'missing: torch.ops.aten.native_dropout_backward',
    'nn.functional.conv_transpose3d': 'output: 2/648 values differ (first at (np.int64(0), np.int64(1), np.int64(2), np.int64(0), np.int64(3)): np.complex64(7.1706586+4.2167177j) vs torch np.complex64(7.1706467+4.2166977j))',
    'normal.in_place': 'output: 25/25 values differ (first at (np.int64(0), np.int64(0)): np.complex64(9.634577+0j) vs torch np.complex64(6.8126745+5.258343j))',
    'rand_like': 'output: 1/1 values differ (first at (): array(0.33669037+0.j, dtype=complex64) vs torch array(0.23807603+0.09108201j, dtype=complex64))',
    'randn': 'output: 10/10 values differ (first at (np.int64(0),): np.complex64(0.33669037+0j) vs torch np.complex64(1.3625349+1.0516686j))',
    'randn_like': 'output: 1/1 values differ (first at (): array(0.33669037+0.j, dtype=complex64) vs torch array(0.23807603+0.09108201j, dtype=complex64))',
    'slice': 'missing: torch.ops.aten.slice',
    'sort': 'output[1]: 7999/8000 values differ (first at (np.int64(1),): np.int64(0) vs torch np.int64(5328))',
    'sparse.mm.reduce': 'missing: torch.sparse.mm',
    'sparse.sampled_addmm': 'missing: torch.sparse.sampled_addmm',
    'to_sparse': "missing: 'Tensor' object has no attribute 'to_sparse'",
    'topk': 'output[1]: 16/150 values differ (first at (np.int64(0), np.int64(4), np.int64(2)): np.int64(3) vs torch np.int64(4))',
    'torch.ops.aten._safe_softmax.default': 'missing: torch.ops.aten.torch.ops.aten._safe_softmax.default',
    'uniform': 'output: 10/10 values differ (first at (np.int64(0),): np.complex64(76.45385+0j) vs torch np.complex64(76.45385+83.00079j))',
}

GRAD = {
    '_batch_norm_with_update': 'missing: torch.ops.aten._batch_norm_with_update',
    '_native_batch_norm_legit': 'missing: torch._native_batch_norm_legit',
    '_segment_reduce.lengths': 'missing: torch._segment_reduce',
    '_segment_reduce.offsets': 'missing: torch._segment_reduce',
    '_softmax_backward_data': 'missing: torch.ops.aten._softmax_backward_data',
    '_unsafe_masked_index': 'missing: torch._unsafe_masked_index',
    '_unsafe_masked_index_put_accumulate': 'missing: torch._unsafe_masked_index_put_accumulate',
    '_upsample_bilinear2d_aa': 'missing: torch.ops.aten._upsample_bilinear2d_aa',
    'as_strided.partial_views': 'grad of input 0: 4/10 values differ (first at (np.int64(0),): np.float64(0.917022004702574) vs torch np.float64(0.0))',
    'as_strided_scatter': 'grad of input 0: 1/1 values differ (first at (np.int64(0),): np.float64(0.0) vs torch np.float64(1.0488135039273248))',
    'chalf': "forward failed: jtorch raised AttributeError: 'Tensor' object has no attribute 'chalf'",
    'istft': 'forward failed: output: 2/2 values differ (first at (np.int64(0),): np.float32(-1.0616382) vs torch np.float32(-0.9996384))',
    'linalg.eig': 'forward failed: jtorch raised NotImplementedError: Derivatives of non-symmetric eigenvectors are only valid under assumptions on the input that JAX cannot check (see the enable_eigvec_derivs argument ',
    'linalg.lstsq': 'grad: output 1 does not require grad',
    'linalg.lstsq.grad_oriented': 'grad: output 1 does not require grad',
    'max_pool2d_with_indices_backward': "forward failed: jtorch raised AttributeError: module 'jtorch' has no attribute 'ops'",
    'native_dropout_backward': 'missing: torch.ops.aten.native_dropout_backward',
    'slice': 'missing: torch.ops.aten.slice',
    'sparse.mm.reduce': 'missing: torch.sparse.mm',
    'sparse.sampled_addmm': 'missing: torch.sparse.sampled_addmm',
    'to_sparse': "forward failed: jtorch raised AttributeError: 'Tensor' object has no attribute 'to_sparse'",
    'torch.ops.aten._safe_softmax.default': 'missing: torch.ops.aten.torch.ops.aten._safe_softmax.default',
}
