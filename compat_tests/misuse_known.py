"""Known cases of the misuse corpus (``misuse.py``).

``TORCH_CRASHES``: cases where torch 2.13 itself kills the process (heap corruption in its
C++ kernel), so there is no torch outcome to compare with; the corpus leaves them out.
``KNOWN``: case id -> why jtorch's outcome still differs from torch's (strict xfails in
``tests/test_misuse_corpus.py``).
"""

TORCH_CRASHES = {
    # torch._weight_norm with a g that does not fit v: "munmap_chunk(): invalid pointer"
    "nn.weight_norm-m-arg0-shape",
}

KNOWN = {
    'rsub-same-arg0-shape':
        "messages: jtorch 'The size of tensor a (6) must match the size of tensor b (4) at non-singleton dimension 1'; torch 'The size of tensor a (4) must match the size of tensor b (6) at non-singleton dimension 1'",
    'rsub-same-arg1-shape':
        "messages: jtorch 'The size of tensor a (4) must match the size of tensor b (6) at non-singleton dimension 1'; torch 'The size of tensor a (6) must match the size of tensor b (4) at non-singleton dimension 1'",
    '__rsub__-same-arg0-shape':
        "messages: jtorch 'The size of tensor a (6) must match the size of tensor b (4) at non-singleton dimension 1'; torch 'The size of tensor a (4) must match the size of tensor b (6) at non-singleton dimension 1'",
    '__rsub__-same-arg1-shape':
        "messages: jtorch 'The size of tensor a (4) must match the size of tensor b (6) at non-singleton dimension 1'; torch 'The size of tensor a (6) must match the size of tensor b (4) at non-singleton dimension 1'",
    '__rsub__-same-arg1-type':
        'messages: jtorch \'argument of type str rejected\'; torch "unsupported operand type(s) for -: \'str\' and \'Tensor\'"',
    'round.decimals-mat-arg0-dtype':
        'torch raised NotImplementedError: "round_cpu" not implemented for \'Long\'; jtorch accepts',
    'frac-mat-arg0-dtype':
        'torch raised NotImplementedError: "frac_cpu" not implemented for \'Long\'; jtorch accepts',
    'clamp.inplace-mat-arg0-dtype':
        'messages: jtorch "result type Float can\'t be cast to the desired output type Long"; torch "result type Float can\'t be cast to the desired output type long int"',
    'lerp-scalar_w-arg0-dtype':
        'jtorch raised NotImplementedError: "lerp_kernel_scalar" not implemented for \'Long\'; torch raised RuntimeError: expected dtype long int for `end` but got dtype double',
    'lerp-scalar_w-arg1-dtype':
        "messages: jtorch 'expected dtype double for `end` but got dtype int64'; torch 'expected dtype double for `end` but got dtype long int'",
    'lerp.inplace-same-arg0-dtype':
        'jtorch raised NotImplementedError: "lerp_kernel_scalar" not implemented for \'Long\'; torch raised RuntimeError: expected dtype long int for `end` but got dtype double',
    'lerp.inplace-same-arg1-dtype':
        "messages: jtorch 'expected dtype double for `end` but got dtype int64'; torch 'expected dtype double for `end` but got dtype long int'",
    'hypot-same-arg0-dtype':
        'torch accepts; jtorch raised NotImplementedError: "hypot_cpu" not implemented for \'Long\'',
    'hypot.zero-zeros-arg0-dtype':
        'torch accepts; jtorch raised NotImplementedError: "hypot_cpu" not implemented for \'Long\'',
    'resolve_neg-mat-arg0-type':
        "torch raised TypeError: resolve_neg(): argument 'input' (position 1) must be Tensor, not str; jtorch accepts",
    'logaddexp-same-arg0-dtype':
        'torch accepts; jtorch raised NotImplementedError: "logaddexp_cpu" not implemented for \'Long\'',
    'logaddexp.inf-inf-arg0-dtype':
        'torch accepts; jtorch raised NotImplementedError: "logaddexp_cpu" not implemented for \'Long\'',
    'logaddexp2-same-arg0-dtype':
        'torch accepts; jtorch raised NotImplementedError: "logaddexp2_cpu" not implemented for \'Long\'',
    'nanmean-all-arg0-dtype':
        "messages: jtorch 'nanmean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long'; torch 'nanmean(): expected input to have floating point or complex dtype but got Long'",
    'norm-all-arg0-type':
        "jtorch raised TypeError: norm(): argument 'input' (position 1) must be Tensor, not str; torch raised AttributeError: 'str' object has no attribute 'layout'",
    'norm.nuc-m-arg0-dtype':
        'torch raised RuntimeError: linalg.matrix_norm: Expected a floating point or complex tensor as input. Got Long; jtorch accepts',
    'norm.nuc-m-arg0-type':
        "jtorch raised TypeError: norm(): argument 'input' (position 1) must be Tensor, not str; torch raised AttributeError: 'str' object has no attribute 'layout'",
    'dist-p2-arg0-dtype':
        'torch accepts; jtorch raised RuntimeError: linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long',
    'dist-p2-arg1-dtype':
        'torch accepts; jtorch raised RuntimeError: linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long',
    'kthvalue-k2-arg1-type':
        'messages: jtorch "\'<=\' not supported between instances of \'int\' and \'str\'"; torch \'argument of type str rejected\'',
    'quantile-scalar_q-arg1-type':
        'messages: jtorch "\'<=\' not supported between instances of \'int\' and \'str\'"; torch \'argument of type str rejected\'',
    'quantile.lower-m-arg1-type':
        'messages: jtorch "\'<=\' not supported between instances of \'int\' and \'str\'"; torch \'argument of type str rejected\'',
    'quantile.higher-m-arg1-type':
        'messages: jtorch "\'<=\' not supported between instances of \'int\' and \'str\'"; torch \'argument of type str rejected\'',
    'quantile.midpoint-m-arg1-type':
        'messages: jtorch "\'<=\' not supported between instances of \'int\' and \'str\'"; torch \'argument of type str rejected\'',
    'quantile.nearest-m-arg1-type':
        'messages: jtorch "\'<=\' not supported between instances of \'int\' and \'str\'"; torch \'argument of type str rejected\'',
    'nanquantile-scalar_q-arg1-type':
        'messages: jtorch "\'<=\' not supported between instances of \'int\' and \'str\'"; torch \'argument of type str rejected\'',
    'nanquantile.lower-m-arg1-type':
        'messages: jtorch "\'<=\' not supported between instances of \'int\' and \'str\'"; torch \'argument of type str rejected\'',
    'nanquantile.higher-m-arg1-type':
        'messages: jtorch "\'<=\' not supported between instances of \'int\' and \'str\'"; torch \'argument of type str rejected\'',
    'nanquantile.midpoint-m-arg1-type':
        'messages: jtorch "\'<=\' not supported between instances of \'int\' and \'str\'"; torch \'argument of type str rejected\'',
    'nanquantile.nearest-m-arg1-type':
        'messages: jtorch "\'<=\' not supported between instances of \'int\' and \'str\'"; torch \'argument of type str rejected\'',
    'split-m-arg0-type':
        "messages: jtorch 'argument of type str rejected'; torch 'must be str or None, not int'",
    'flip-d0-arg1-type':
        "jtorch raised ValueError: invalid literal for int() with base 10: 'abc'; torch raised TypeError: flip(): argument 'dims' (position 2) must be tuple of ints, not str",
    'roll-flat-arg1-type':
        "jtorch raised RuntimeError: `shifts` required to be of size 1 when `dims` is not specified, but got 3; torch raised TypeError: roll(): argument 'shifts' (position 2) must be tuple of ints, not str",
    'tile-same-arg1-type':
        "jtorch raised ValueError: invalid literal for int() with base 10: 'abc'; torch raised TypeError: tile(): argument 'dims' (position 2) must be tuple of ints, not str",
    'broadcast_tensors-m-arg0-shape':
        "messages: jtorch 'Attempting to broadcast a dimension of length 4 at -1! Mismatching argument at index 1 had (4,); but expected shape should be broadcastable to [3, 3]'; torch 'The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1'",
    'broadcast_tensors-m-arg2-shape':
        "messages: jtorch 'Attempting to broadcast a dimension of length 2 at -1! Mismatching argument at index 2 had (2,); but expected shape should be broadcastable to [3, 4]'; torch 'The size of tensor a (4) must match the size of tensor b (2) at non-singleton dimension 1'",
    'broadcast_shapes-m-arg2-type':
        "jtorch raised TypeError: '<' not supported between instances of 'str' and 'int'; torch raised RuntimeError: Attempting to broadcast a dimension of length c at -1! Mismatching argument at index 2 had abc; but expected shape should be broadcastable to [1, 2, 3]",
    'broadcast_shapes-m-arg2-range':
        "messages: jtorch 'Attempting to broadcast a dimension of length 18 at -2! Mismatching argument at index 2 had (18, 18, 20); but expected shape should be broadcastable to [18, 2, 3]'; torch 'Attempting to broadcast a dimension of length 20 at -1! Mismatching argument at index 2 had (18, 18, 20); but ",
    'tensor_split-sections-arg1-type':
        "jtorch raised ValueError: invalid literal for int() with base 10: 'a'; torch raised TypeError: tensor_split() received an invalid combination of arguments - got (Tensor, str), but expected one of:",
    'repeat_interleave-int-arg1-type':
        "jtorch raised ValueError: invalid literal for int() with base 10: 'abc'; torch raised TypeError: repeat_interleave() received an invalid combination of arguments - got (Tensor, str), but expected one of:",
    'repeat_interleave.counts-c-arg0-dtype':
        'jtorch raised RuntimeError: repeat_interleave only accept 1D vector as repeat; torch raised NotImplementedError: "repeat_interleave_cpu" not implemented for \'Double\'',
    'atleast.list-l-arg0-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dim'; torch raised TypeError: expected Tensor as element 0 in argument 0, but got str",
    'atleast.list-l-arg1-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dim'; torch raised TypeError: expected Tensor as element 1 in argument 0, but got str",
    'cross-dim1-arg2-type':
        'messages: jtorch "\'<=\' not supported between instances of \'int\' and \'str\'"; torch \'argument of type str rejected\'',
    'linalg.cross-m-arg0-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dtype'; torch raised TypeError: linalg_cross(): argument 'input' (position 1) must be Tensor, not str",
    'linalg.cross-m-arg1-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dtype'; torch raised TypeError: linalg_cross(): argument 'other' (position 2) must be Tensor, not str",
    'tensordot-int-arg0-shape':
        "messages: jtorch 'contracted dimensions need to match, but first has size 6 in dim 2 and second has size 4 in dim 1'; torch 'contracted dimensions need to match, but first has size 6 in dim -1 and second has size 4 in dim 1'",
    'tensordot-int-arg0-type':
        "jtorch raised TypeError: tensordot(): argument 'a' (position 1) must be Tensor, not str; torch raised AttributeError: 'str' object has no attribute 'dim'",
    'tensordot-int-arg1-type':
        "jtorch raised TypeError: tensordot(): argument 'b' (position 2) must be Tensor, not str; torch raised AttributeError: 'str' object has no attribute 'dim'",
    'tensordot-int-arg2-range':
        'jtorch raised IndexError: Dimension out of range (expected to be in range of [-3, 2], but got -14); torch raised RuntimeError: tensordot expects dims < ndim_a or ndim_b, but got dims=17',
    'tensordot-int-arg2-type':
        'jtorch raised ValueError: too many values to unpack (expected 2); torch raised RuntimeError: tensordot expects dims to be int or tuple[list[int], list[int]] or list[list[int]] containing two lists, but got dims=abc',
    'einsum-mm-arg1-shape':
        "jtorch raised ValueError: Size of label 'j' for operand 1 (5) does not match previous terms (3).; torch raised RuntimeError: einsum(): subscript j has size 3 for operand 1 which does not broadcast with previously seen size 5",
    'einsum.list-l-arg0-shape':
        "jtorch raised ValueError: Size of label 'j' for operand 1 (5) does not match previous terms (3).; torch raised RuntimeError: einsum(): subscript j has size 3 for operand 1 which does not broadcast with previously seen size 5",
    'addbmm-m-arg0-shape':
        "messages: jtorch 'The size of tensor a (6) must match the size of tensor b (5) at non-singleton dimension 2'; torch 'The expanded size of the tensor (4) must match the existing size (6) at non-singleton dimension 1.  Target sizes: [3, 4].  Tensor sizes: [3, 6]'",
    'addbmm-m-arg0-dtype':
        "messages: jtorch 'expected scalar type Double but found Long'; torch 'self and mat2 must have the same dtype, but got Long and Double'",
    'addbmm-m-arg1-dtype':
        "messages: jtorch 'expected scalar type Long but found Double'; torch 'mat1 and mat2 must have the same dtype, but got Long and Double'",
    'addbmm-m-arg2-shape':
        "messages: jtorch 'The size of tensor a (4) must match the size of tensor b (5) at non-singleton dimension 2'; torch 'The expanded size of the tensor (6) must match the existing size (4) at non-singleton dimension 1.  Target sizes: [3, 6].  Tensor sizes: [3, 4]'",
    'addbmm-m-arg2-dtype':
        "messages: jtorch 'expected scalar type Double but found Long'; torch 'self and mat2 must have the same dtype, but got Double and Long'",
    'baddbmm-m-arg0-shape':
        "messages: jtorch 'The size of tensor a (6) must match the size of tensor b (5) at non-singleton dimension 2'; torch 'The expanded size of the tensor (4) must match the existing size (6) at non-singleton dimension 2.  Target sizes: [2, 3, 4].  Tensor sizes: [2, 3, 6]'",
    'baddbmm-m-arg0-dtype':
        "messages: jtorch 'expected scalar type Double but found Long'; torch 'Input dtypes must be the same, got: input long int, batch1: double, batch2: double'",
    'baddbmm-m-arg1-dtype':
        "messages: jtorch 'expected scalar type Long but found Double'; torch 'Input dtypes must be the same, got: input double, batch1: long int, batch2: double'",
    'baddbmm-m-arg2-shape':
        "messages: jtorch 'The size of tensor a (4) must match the size of tensor b (5) at non-singleton dimension 2'; torch 'The expanded size of the tensor (6) must match the existing size (4) at non-singleton dimension 2.  Target sizes: [2, 3, 6].  Tensor sizes: [2, 3, 4]'",
    'baddbmm.beta0-nan-arg0-shape':
        "messages: jtorch 'The size of tensor a (4) must match the size of tensor b (3) at non-singleton dimension 2'; torch 'The expanded size of the tensor (2) must match the existing size (4) at non-singleton dimension 2.  Target sizes: [1, 2, 2].  Tensor sizes: [1, 2, 4]'",
    'baddbmm.beta0-nan-arg0-dtype':
        "messages: jtorch 'expected scalar type Double but found Long'; torch 'Input dtypes must be the same, got: input long int, batch1: double, batch2: double'",
    'baddbmm.beta0-nan-arg1-dtype':
        "messages: jtorch 'expected scalar type Long but found Double'; torch 'Input dtypes must be the same, got: input double, batch1: long int, batch2: double'",
    'baddbmm.beta0-nan-arg2-shape':
        "messages: jtorch 'The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 2'; torch 'The expanded size of the tensor (4) must match the existing size (2) at non-singleton dimension 2.  Target sizes: [1, 2, 4].  Tensor sizes: [1, 2, 2]'",
    'addr-m-arg0-shape':
        "messages: jtorch 'The size of tensor a (6) must match the size of tensor b (3) at non-singleton dimension 1'; torch 'The expanded size of the tensor (4) must match the existing size (6) at non-singleton dimension 1.  Target sizes: [3, 4].  Tensor sizes: [3, 6]'",
    'addr-m-arg1-shape':
        "messages: jtorch 'The size of tensor a (4) must match the size of tensor b (5) at non-singleton dimension 1'; torch 'The expanded size of the tensor (5) must match the existing size (3) at non-singleton dimension 0.  Target sizes: [5, 4].  Tensor sizes: [3, 4]'",
    'addr-m-arg2-shape':
        "messages: jtorch 'The size of tensor a (4) must match the size of tensor b (3) at non-singleton dimension 1'; torch 'The expanded size of the tensor (6) must match the existing size (4) at non-singleton dimension 1.  Target sizes: [3, 6].  Tensor sizes: [3, 4]'",
    'addr.inplace-m-arg0-shape':
        "messages: jtorch 'The size of tensor a (6) must match the size of tensor b (3) at non-singleton dimension 1'; torch 'size mismatch, input: [3, 6], v1: [3], v2: [4]'",
    'addr.inplace-m-arg1-shape':
        "messages: jtorch 'The size of tensor a (4) must match the size of tensor b (5) at non-singleton dimension 1'; torch 'size mismatch, input: [3, 4], v1: [5], v2: [4]'",
    'addr.inplace-m-arg2-shape':
        "messages: jtorch 'The size of tensor a (4) must match the size of tensor b (3) at non-singleton dimension 1'; torch 'size mismatch, input: [3, 4], v1: [3], v2: [6]'",
    'bmm-m-arg0-dtype':
        "messages: jtorch 'expected m1 and m2 to have the same dtype, but got: long int != double'; torch 'expected scalar type Long but found Double'",
    'bmm-m-arg1-dtype':
        "messages: jtorch 'expected m1 and m2 to have the same dtype, but got: double != long int'; torch 'expected scalar type Double but found Long'",
    'addmm-m-arg0-shape':
        "messages: jtorch 'The size of tensor a (4) must match the size of tensor b (2) at non-singleton dimension 1'; torch 'The expanded size of the tensor (2) must match the existing size (4) at non-singleton dimension 1.  Target sizes: [3, 2].  Tensor sizes: [3, 4]'",
    'addmm-m-arg0-dtype':
        'torch raised RuntimeError: self and mat2 must have the same dtype, but got Long and Double; jtorch accepts',
    'addmm-m-arg1-dtype':
        'torch raised RuntimeError: mat1 and mat2 must have the same dtype, but got Long and Double; jtorch accepts',
    'addmm-m-arg2-shape':
        "messages: jtorch 'The size of tensor a (2) must match the size of tensor b (4) at non-singleton dimension 1'; torch 'The expanded size of the tensor (4) must match the existing size (2) at non-singleton dimension 1.  Target sizes: [3, 4].  Tensor sizes: [3, 2]'",
    'addmm-m-arg2-dtype':
        'torch raised RuntimeError: self and mat2 must have the same dtype, but got Double and Long; jtorch accepts',
    'linalg.solve-vec-arg1-dtype':
        'torch raised RuntimeError: linalg.solve: Expected A and B to have the same dtype, but found A of type Double and B of type Long instead; jtorch accepts',
    'linalg.eigh-m-arg0-dtype':
        'jtorch raised RuntimeError: linalg.eigh: Expected a floating point or complex tensor as input. Got Long; torch raised NotImplementedError: "linalg_eigh_cpu" not implemented for \'Long\'',
    'linalg.eig-m-arg0-dtype':
        "messages: jtorch 'linalg.eigvals: Expected a floating point or complex tensor as input. Got Long'; torch 'Unknown Complex ScalarType for Long'",
    'linalg.svdvals-m-arg0-dtype':
        'torch raised RuntimeError: linalg.svd: Expected a floating point or complex tensor as input. Got Long; jtorch accepts',
    'linalg.qr-m-arg0-dtype':
        'torch raised RuntimeError: linalg.qr: Expected a floating point or complex tensor as input. Got Long; jtorch accepts',
    'linalg.cholesky-m-arg0-shape':
        "messages: jtorch 'The size of tensor a (5) must match the size of tensor b (3) at non-singleton dimension 1'; torch 'linalg.cholesky: A must be batches of square matrices, but they are 3 by 5 matrices'",
    'linalg.cholesky-m-arg0-dtype':
        'torch raised RuntimeError: linalg.cholesky: Expected a floating point or complex tensor as input. Got Long; jtorch accepts',
    'linalg.vector_norm-p2-arg0-dtype':
        'torch raised RuntimeError: linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long; jtorch accepts',
    'topk-m-arg1-type':
        'messages: jtorch "\'<=\' not supported between instances of \'int\' and \'str\'"; torch \'argument of type str rejected\'',
    'index_put-m-arg0-shape':
        "messages: jtorch 'The size of tensor a (6) must match the size of tensor b (2) at non-singleton dimension 1'; torch 'shape mismatch: value tensor of shape [4] cannot be broadcast to indexing result of shape [2, 6]'",
    'index_put-m-arg0-dtype':
        'torch raised RuntimeError: Index put requires the source and destination dtypes match, got Long for the destination and Double for the source.; jtorch accepts',
    'index_put-m-arg1-type':
        "messages: jtorch 'expected Tensor or number, but got str'; torch 'argument of type str rejected'",
    'index_put-m-arg1-range':
        'torch raised IndexError: index 99 is out of bounds for dimension 0 with size 3; jtorch accepts',
    'index_put-m-arg2-shape':
        "messages: jtorch 'The size of tensor a (4) must match the size of tensor b (2) at non-singleton dimension 1'; torch 'shape mismatch: value tensor of shape [6] cannot be broadcast to indexing result of shape [2, 4]'",
    'index_put-m-arg2-dtype':
        'torch raised RuntimeError: Index put requires the source and destination dtypes match, got Double for the destination and Long for the source.; jtorch accepts',
    'scatter-d0-arg2-shape':
        "messages: jtorch 'Size does not match at dimension 1 expected index [2, 6] to be no larger than self [3, 4] apart from dimension 0'; torch 'Expected index [2, 6] to be no larger than self [3, 4] apart from dimension 0 and to be no larger size than src [2, 4]'",
    'scatter.inplace-m-arg1-shape':
        "messages: jtorch 'Size does not match at dimension 1 expected index [2, 6] to be no larger than self [3, 4] apart from dimension 0'; torch 'Expected index [2, 6] to be no larger than self [3, 4] apart from dimension 0 and to be no larger size than src [2, 4]'",
    'scatter.inplace-m-arg1-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dtype'; torch raised TypeError: scatter_() received an invalid combination of arguments - got (int, str, Tensor), but expected one of:",
    'scatter.reduce-dups-arg1-shape':
        "messages: jtorch 'Size does not match at dimension 1 expected index [3, 6] to be no larger than self [3, 4] apart from dimension 0'; torch 'Expected index [3, 6] to be no larger than self [3, 4] apart from dimension 0 and to be no larger size than src [3, 4]'",
    'scatter_add-dups-arg2-shape':
        "messages: jtorch 'Size does not match at dimension 1 expected index [3, 6] to be no larger than self [3, 4] apart from dimension 0'; torch 'Expected index [3, 6] to be no larger than self [3, 4] apart from dimension 0 and to be no larger size than src [3, 4]'",
    'scatter_add.inplace-m-arg1-shape':
        "messages: jtorch 'Size does not match at dimension 1 expected index [3, 7] to be no larger than src [3, 5]'; torch 'Expected index [3, 7] to be no larger than self [3, 4] apart from dimension 1 and to be no larger size than src [3, 5]'",
    'scatter_reduce.sum.self-dups-arg2-shape':
        "messages: jtorch 'Size does not match at dimension 1 expected index [4, 6] to be no larger than self [3, 4] apart from dimension 0'; torch 'Expected index [4, 6] to be no larger than self [3, 4] apart from dimension 0 and to be no larger size than src [4, 4]'",
    'scatter_reduce.sum.noself-dups-arg2-shape':
        "messages: jtorch 'Size does not match at dimension 1 expected index [4, 6] to be no larger than self [3, 4] apart from dimension 0'; torch 'Expected index [4, 6] to be no larger than self [3, 4] apart from dimension 0 and to be no larger size than src [4, 4]'",
    'scatter_reduce.prod.self-dups-arg2-shape':
        "messages: jtorch 'Size does not match at dimension 1 expected index [4, 6] to be no larger than self [3, 4] apart from dimension 0'; torch 'Expected index [4, 6] to be no larger than self [3, 4] apart from dimension 0 and to be no larger size than src [4, 4]'",
    'scatter_reduce.prod.noself-dups-arg2-shape':
        "messages: jtorch 'Size does not match at dimension 1 expected index [4, 6] to be no larger than self [3, 4] apart from dimension 0'; torch 'Expected index [4, 6] to be no larger than self [3, 4] apart from dimension 0 and to be no larger size than src [4, 4]'",
    'scatter_reduce.mean.self-dups-arg2-shape':
        "messages: jtorch 'Size does not match at dimension 1 expected index [4, 6] to be no larger than self [3, 4] apart from dimension 0'; torch 'Expected index [4, 6] to be no larger than self [3, 4] apart from dimension 0 and to be no larger size than src [4, 4]'",
    'scatter_reduce.mean.noself-dups-arg2-shape':
        "messages: jtorch 'Size does not match at dimension 1 expected index [4, 6] to be no larger than self [3, 4] apart from dimension 0'; torch 'Expected index [4, 6] to be no larger than self [3, 4] apart from dimension 0 and to be no larger size than src [4, 4]'",
    'scatter_reduce.amax.self-dups-arg2-shape':
        "messages: jtorch 'Size does not match at dimension 1 expected index [4, 6] to be no larger than self [3, 4] apart from dimension 0'; torch 'Expected index [4, 6] to be no larger than self [3, 4] apart from dimension 0 and to be no larger size than src [4, 4]'",
    'scatter_reduce.amax.noself-dups-arg2-shape':
        "messages: jtorch 'Size does not match at dimension 1 expected index [4, 6] to be no larger than self [3, 4] apart from dimension 0'; torch 'Expected index [4, 6] to be no larger than self [3, 4] apart from dimension 0 and to be no larger size than src [4, 4]'",
    'scatter_reduce.amin.self-dups-arg2-shape':
        "messages: jtorch 'Size does not match at dimension 1 expected index [4, 6] to be no larger than self [3, 4] apart from dimension 0'; torch 'Expected index [4, 6] to be no larger than self [3, 4] apart from dimension 0 and to be no larger size than src [4, 4]'",
    'scatter_reduce.amin.noself-dups-arg2-shape':
        "messages: jtorch 'Size does not match at dimension 1 expected index [4, 6] to be no larger than self [3, 4] apart from dimension 0'; torch 'Expected index [4, 6] to be no larger than self [3, 4] apart from dimension 0 and to be no larger size than src [4, 4]'",
    'scatter_reduce.inplace-m-arg1-shape':
        "messages: jtorch 'Size does not match at dimension 1 expected index [2, 6] to be no larger than self [3, 4] apart from dimension 0'; torch 'Expected index [2, 6] to be no larger than self [3, 4] apart from dimension 0 and to be no larger size than src [2, 4]'",
    'scatter_reduce.inplace-m-arg1-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dtype'; torch raised TypeError: scatter_reduce_(): argument 'index' (position 2) must be Tensor, not str",
    'scatter_reduce.inplace-m-arg2-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dtype'; torch raised TypeError: scatter_reduce_(): argument 'src' (position 3) must be Tensor, not str",
    'index_add-d0-arg2-range':
        'jtorch raised IndexError: index out of range in self; torch raised RuntimeError: index 99 is out of bounds for dimension 0 with size 3',
    'index_copy-d0-arg2-range':
        "messages: jtorch 'index out of range in self'; torch 'index_copy_(): index 99 is out of bounds for dimension 0 with size 3'",
    'index_copy.inplace-m-arg1-range':
        "messages: jtorch 'index out of range in self'; torch 'index_copy_(): index 99 is out of bounds for dimension 1 with size 4'",
    'index_fill-scalar-arg2-range':
        "messages: jtorch 'index out of range in self'; torch 'index 99 is out of bounds for dimension 1 with size 4'",
    'index_fill.inplace-m-arg1-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dtype'; torch raised TypeError: index_fill_() received an invalid combination of arguments - got (int, str, float), but expected one of:",
    'index_fill.inplace-m-arg1-range':
        "messages: jtorch 'index out of range in self'; torch 'index 99 is out of bounds for dimension 0 with size 3'",
    'masked_fill.inplace-m-arg0-shape':
        "messages: jtorch 'The size of tensor a (4) must match the size of tensor b (6) at non-singleton dimension 1'; torch 'The size of tensor a (6) must match the size of tensor b (4) at non-singleton dimension 1'",
    'masked_fill.inplace-m-arg1-shape':
        "messages: jtorch 'The size of tensor a (6) must match the size of tensor b (4) at non-singleton dimension 1'; torch 'The size of tensor a (4) must match the size of tensor b (6) at non-singleton dimension 1'",
    'masked_scatter-m-arg0-shape':
        "messages: jtorch 'The size of tensor a (6) must match the size of tensor b (4) at non-singleton dimension 1'; torch 'The size of tensor a (4) must match the size of tensor b (6) at non-singleton dimension 1'",
    'masked_scatter-m-arg1-shape':
        "messages: jtorch 'The size of tensor a (4) must match the size of tensor b (6) at non-singleton dimension 1'; torch 'The size of tensor a (6) must match the size of tensor b (4) at non-singleton dimension 1'",
    'masked_scatter-m-arg1-dtype':
        "messages: jtorch 'masked_scatter_ only supports boolean masks, but got mask with dtype double'; torch 'masked_scatter_ only supports boolean masks, but got mask with dtype Double'",
    'masked_scatter.inplace-m-arg0-shape':
        "messages: jtorch 'The size of tensor a (6) must match the size of tensor b (4) at non-singleton dimension 1'; torch 'The expanded size of the tensor (6) must match the existing size (4) at non-singleton dimension 1.  Target sizes: [3, 6].  Tensor sizes: [3, 4]'",
    'masked_scatter.inplace-m-arg1-shape':
        "messages: jtorch 'The size of tensor a (4) must match the size of tensor b (6) at non-singleton dimension 1'; torch 'The expanded size of the tensor (4) must match the existing size (6) at non-singleton dimension 1.  Target sizes: [3, 4].  Tensor sizes: [3, 6]'",
    'masked_scatter.inplace-m-arg1-dtype':
        "messages: jtorch 'masked_scatter_ only supports boolean masks, but got mask with dtype double'; torch 'masked_scatter_ only supports boolean masks, but got mask with dtype Double'",
    'masked_select-m-arg0-shape':
        "messages: jtorch 'The size of tensor a (6) must match the size of tensor b (4) at non-singleton dimension 1'; torch 'The size of tensor a (4) must match the size of tensor b (6) at non-singleton dimension 1'",
    'masked_select-m-arg1-shape':
        "messages: jtorch 'The size of tensor a (4) must match the size of tensor b (6) at non-singleton dimension 1'; torch 'The size of tensor a (6) must match the size of tensor b (4) at non-singleton dimension 1'",
    'take_along_dim-flat-arg1-dtype':
        "messages: jtorch 'torch.take_along_dim(): dtype of indices should be Long but got Double'; torch 'gather(): Expected dtype int32/int64 for index'",
    'take_along_dim-flat-arg1-range':
        'torch raised RuntimeError: index 99 is out of bounds for dimension 0 with size 12; jtorch accepts',
    'searchsorted-1d-arg1-type':
        "messages: jtorch 'unsupported scalar type str'; torch 'argument of type str rejected'",
    'searchsorted.sorter-m-arg0-shape':
        'torch raised RuntimeError: torch.searchsorted(): boundary and sorter must have the same size, but got boundary tensor [5]and got sorter tensor [3]; jtorch accepts',
    'searchsorted.sorter-m-arg1-type':
        "messages: jtorch 'unsupported scalar type str'; torch 'argument of type str rejected'",
    'searchsorted.sorter-m-arg2-shape':
        'torch raised RuntimeError: torch.searchsorted(): boundary and sorter must have the same size, but got boundary tensor [3]and got sorter tensor [5]; jtorch accepts',
    'searchsorted.sorter-m-arg2-dtype':
        "messages: jtorch 'gather(): Expected dtype int32/int64 for index'; torch 'torch.searchsorted(): sorter must be a tensor of long dtype but got dtype Double'",
    'searchsorted.sorter-m-arg2-range':
        "messages: jtorch 'index 99 is out of bounds for dimension 0 with size 3'; torch 'torch.searchsorted(): sorter index out of range'",
    'searchsorted.mixed-m-arg1-type':
        "messages: jtorch 'unsupported scalar type str'; torch 'argument of type str rejected'",
    'bucketize-m-arg0-type':
        "messages: jtorch 'unsupported scalar type str'; torch 'argument of type str rejected'",
    'out.new_ops-m-arg0-dtype':
        'jtorch raised NotImplementedError: "logaddexp_cpu" not implemented for \'Long\'; torch raised RuntimeError: Expected out tensor to have dtype long int, but got float instead',
    'methods.new_ops-m-arg0-dtype':
        'jtorch raised NotImplementedError: "hypot_cpu" not implemented for \'Long\'; torch raised RuntimeError: expected dtype long int for `end` but got dtype double',
    'methods.new_ops-m-arg1-dtype':
        "messages: jtorch 'expected dtype double for `end` but got dtype int64'; torch 'expected dtype double for `end` but got dtype long int'",
    'nn.softmax-m-arg0-dtype':
        'torch raised NotImplementedError: "softmax_lastdim_kernel_impl" not implemented for \'Long\'; jtorch accepts',
    'nn.softmax-m-arg0-type':
        'messages: jtorch "\'str\' object has no attribute \'dim\'"; torch "\'str\' object has no attribute \'softmax\'"',
    'nn.nll_loss-m-arg0-dtype':
        'torch raised NotImplementedError: "nll_loss_out_frame" not implemented for \'Long\'; jtorch accepts',
    'nn.bce-m-arg0-dtype':
        'torch raised RuntimeError: Found dtype Double but expected Float; jtorch accepts',
    'nn.bce-m-arg1-dtype':
        'torch raised RuntimeError: Found dtype Long but expected Double; jtorch accepts',
    'nn.conv-m-arg1-dtype':
        'torch raised RuntimeError: expected scalar type Double but found Long; jtorch accepts',
    'softmax.torch-m-arg0-dtype':
        'torch raised NotImplementedError: "softmax_lastdim_kernel_impl" not implemented for \'Long\'; jtorch accepts',
    'clamp_min.inplace-mat-arg0-dtype':
        'messages: jtorch "result type Float can\'t be cast to the desired output type Long"; torch "result type Float can\'t be cast to the desired output type long int"',
    'diff.pend-m-arg1-type':
        'messages: jtorch \'argument of type str rejected\'; torch "diff(): argument \'prepend\' must be Tensor, not str"',
    'diff.pend-m-arg2-type':
        'messages: jtorch \'argument of type str rejected\'; torch "diff(): argument \'append\' must be Tensor, not str"',
    'fft-m-arg0-shape':
        "torch raised RuntimeError: Can't call numpy() on Tensor that has conjugate bit set. Use tensor.resolve_conj().numpy() instead.; jtorch accepts",
    'fft-m-arg0-dtype':
        "torch raised RuntimeError: Can't call numpy() on Tensor that has conjugate bit set. Use tensor.resolve_conj().numpy() instead.; jtorch accepts",
    'fft-m-arg0-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'is_floating_point'; torch raised TypeError: fft_fft(): argument 'input' (position 1) must be Tensor, not str",
    'nn.batch_norm-4d-arg0-dtype':
        'torch raised NotImplementedError: "batch_norm" not implemented for \'Long\'; jtorch accepts',
    'nn.batch_norm-4d-arg1-dtype':
        'torch raised RuntimeError: mixed dtype (CPU): expect parameter to have scalar type of Float; jtorch accepts',
    'nn.batch_norm-4d-arg2-dtype':
        'torch raised RuntimeError: expected scalar type Double but found Long; jtorch accepts',
    'nn.layer_group_norm-m-arg0-dtype':
        'torch raised RuntimeError: mixed dtype (CPU): expect parameter to have scalar type of Float; jtorch accepts',
    'nn.layer_group_norm-m-arg1-dtype':
        'torch raised RuntimeError: mixed dtype (CPU): expect parameter to have scalar type of Float; jtorch accepts',
    'nn.layer_group_norm-m-arg2-dtype':
        'torch raised RuntimeError: expected scalar type Double but found Long; jtorch accepts',
    'nn.kernel_losses-m-arg0-dtype':
        "torch raised RuntimeError: result type Double can't be cast to the desired output type Long; jtorch accepts",
    'nn.margin_losses-m-arg0-dtype':
        "torch raised RuntimeError: result type Double can't be cast to the desired output type Long; jtorch accepts",
    'nn.pools-m-arg0-dtype':
        'torch raised NotImplementedError: "max_pool1d_impl" not implemented for \'Long\'; jtorch accepts',
    'nn.interpolate-m-arg0-dtype':
        'torch raised NotImplementedError: "upsample_nearest2d_channels_last" not implemented for \'Long\'; jtorch accepts',
    'nn.patches-m-arg0-dtype':
        'torch raised NotImplementedError: "im2col_out_cpu" not implemented for \'Long\'; jtorch accepts',
    'nn.conv_transpose-m-arg0-dtype':
        'torch raised RuntimeError: expected scalar type Long but found Double; jtorch accepts',
    'nn.conv_transpose-m-arg1-dtype':
        'torch raised RuntimeError: expected scalar type Double but found Long; jtorch accepts',
    'nn.packing-m-arg0-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'shape'; torch raised TypeError: _pack_padded_sequence(): argument 'input' (position 1) must be Tensor, not str",
    'nn.sdpa-m-arg0-shape':
        "messages: jtorch 'Expected query, key, and value to have the same embedding dimension, but got query.size(-1)=7, key.size(-1)=5'; torch 'Expected size for first two dimensions of batch2 tensor to be: [6, 7] but got: [6, 5].'",
    'nn.sdpa-m-arg1-shape':
        "messages: jtorch 'Expected query, key, and value to have the same embedding dimension, but got query.size(-1)=5, key.size(-1)=7'; torch 'Expected size for first two dimensions of batch2 tensor to be: [6, 5] but got: [6, 7].'",
    'nn.embedding_bag-m-arg1-range':
        'torch raised RuntimeError: embedding_bag: Expected idx >= 0 && idx < num_embeddings but found idx to be 99; jtorch accepts',
    'nn.grid_sample-m-arg0-dtype':
        'jtorch raised RuntimeError: expected scalar type Long but found Double; torch raised NotImplementedError: "grid_sampler_2d_cpu_kernel_impl" not implemented for \'Long\'',
    'nn.ctc_loss-m-arg0-dtype':
        'messages: jtorch \'"ctc_loss_cpu" not implemented for \\\'Long\\\'\'; torch \'"log_softmax_lastdim_kernel_impl" not implemented for \\\'Long\\\'\'',
    'nn.weight_norm-m-arg0-dtype':
        'jtorch raised RuntimeError: linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long; torch raised NotImplementedError: "weight_norm_kernel" not implemented for \'Long\'',
    'nn.weight_norm-m-arg0-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dim'; torch raised TypeError: _weight_norm(): argument 'v' (position 1) must be Tensor, not str",
    'nn.weight_norm-m-arg1-shape':
        'torch accepts; jtorch raised RuntimeError: The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 2',
    'nn.weight_norm-m-arg1-dtype':
        'torch raised RuntimeError: expected scalar type Double but found Long; jtorch accepts',
    'nn.weight_norm-m-arg2-shape':
        'torch accepts; jtorch raised RuntimeError: The size of tensor a (2) must match the size of tensor b (4) at non-singleton dimension 2',
    'nn.weight_norm-m-arg2-dtype':
        'torch raised RuntimeError: expected scalar type Double but found Long; jtorch accepts',
    'nn.max_unpool-m-arg0-dtype':
        'torch raised NotImplementedError: "max_unpool2d" not implemented for \'Long\'; jtorch accepts',
    'nn.multilabel_margin_loss-m-arg0-dtype':
        'torch raised NotImplementedError: "multilabel_margin_loss_forward_out_frame" not implemented for \'Long\'; jtorch accepts',
    'nn.multilabel_margin_loss-m-arg1-dtype':
        'torch raised RuntimeError: expected scalar type Long but found Double; jtorch accepts',
    'nn.multilabel_margin_loss-m-arg1-range':
        "torch raised RuntimeError: argument #2 'target' is out of range; jtorch accepts",
    'nn.rrelu-m-arg0-dtype':
        'torch raised NotImplementedError: "leaky_relu_cpu" not implemented for \'Long\'; jtorch accepts',
    'nn.rrelu-m-arg0-type':
        'messages: jtorch "\'>\' not supported between instances of \'str\' and \'int\'"; torch \'argument of type str rejected\'',
    'ldexp_-m-arg0-dtype':
        'messages: jtorch "result type Float can\'t be cast to the desired output type Long"; torch "ldexp can\'t be cast to the desired output type Long"',
    'nextafter-same-arg0-dtype':
        'torch raised NotImplementedError: "nextafter_cpu" not implemented for \'Long\'; jtorch accepts',
    'igamma-m-arg0-dtype':
        'results differ: ',
    'cov.weights-w-arg0-shape':
        "messages: jtorch 'The size of tensor a (7) must match the size of tensor b (5) at non-singleton dimension 1'; torch 'cov(): expected fweights to have the same numel as there are observations in the input but got 5 != 7'",
    'cov.weights-w-arg1-shape':
        "messages: jtorch 'The size of tensor a (7) must match the size of tensor b (5) at non-singleton dimension 0'; torch 'cov(): expected fweights to have the same numel as there are observations in the input but got 7 != 5'",
    'cov.weights-w-arg1-dtype':
        'torch raised RuntimeError: cov(): expected fweights to have integral dtype but got fweights with Double dtype; jtorch accepts',
    'cov.weights-w-arg1-type':
        'messages: jtorch \'only integer tensors of a single element can be converted to an index\'; torch "cov(): argument \'fweights\' must be Tensor, not str"',
    'cov.weights-w-arg2-shape':
        "messages: jtorch 'The size of tensor a (5) must match the size of tensor b (7) at non-singleton dimension 0'; torch 'cov(): expected aweights to have the same numel as there are observations in the input but got 7 != 5'",
    'cov.weights-w-arg2-dtype':
        'torch raised RuntimeError: cov(): expected aweights to have floating point dtype but got aweights with Long dtype; jtorch accepts',
    'cov.weights-w-arg2-type':
        'messages: jtorch \'only integer tensors of a single element can be converted to an index\'; torch "cov(): argument \'aweights\' must be Tensor, not str"',
    'trapezoid-m-arg0-shape':
        "messages: jtorch 'The size of tensor a (6) must match the size of tensor b (4) at non-singleton dimension 1'; torch 'trapezoid: There must be one `x` value for each sample point'",
    'trapezoid-m-arg1-shape':
        "messages: jtorch 'The size of tensor a (4) must match the size of tensor b (6) at non-singleton dimension 1'; torch 'trapezoid: There must be one `x` value for each sample point'",
    'trapezoid-m-arg1-type':
        'messages: jtorch "unsupported operand type(s) for /: \'str\' and \'int\'"; torch \'argument of type str rejected\'',
    'gradient-m-arg1-type':
        'messages: jtorch "unsupported operand type(s) for /: \'Tensor\' and \'str\'"; torch \'argument of type str rejected\'',
    'renorm-m-arg0-dtype':
        'torch raised RuntimeError: linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long; jtorch accepts',
    'matrix_norms-m-arg0-dtype':
        'torch raised RuntimeError: norm(): input dtype should be either floating point or complex. Got Long instead.; jtorch accepts',
    'chain_matmul-m-arg0-shape':
        "messages: jtorch 'mat1 and mat2 shapes cannot be multiplied (3x6 and 4x4)'; torch 'multi_dot(): tensors 0 and 1 with shapes [3, 6] and [4, 4] cannot be multiplied'",
    'chain_matmul-m-arg0-dtype':
        "messages: jtorch 'expected m1 and m2 to have the same dtype, but got: long int != double'; torch 'multi_dot(): all tensors must have be the same dtype but tensor 0 is long int and tensor 1 double'",
    'chain_matmul-m-arg1-shape':
        "messages: jtorch 'mat1 and mat2 shapes cannot be multiplied (3x6 and 4x3)'; torch 'multi_dot(): tensors 1 and 2 with shapes [4, 6] and [4, 3] cannot be multiplied'",
    'chain_matmul-m-arg1-dtype':
        "messages: jtorch 'expected m1 and m2 to have the same dtype, but got: double != long int'; torch 'multi_dot(): all tensors must have be the same dtype but tensor 0 is double and tensor 1 long int'",
    'unravel_index-m-arg0-type':
        "jtorch raised TypeError: new(): invalid data type 'str'; torch raised AttributeError: 'str' object has no attribute 'is_complex'",
    'view_as_complex-m-arg0-dtype':
        "messages: jtorch 'view_as_complex is only supported for float and double tensors, but got a tensor of scalar type: Long'; torch 'view_as_complex is only supported for half, float and double tensors, but got a tensor of scalar type: Long'",
    'view_as_complex_copy-m-arg0-dtype':
        "messages: jtorch 'view_as_complex is only supported for float and double tensors, but got a tensor of scalar type: Long'; torch 'view_as_complex is only supported for half, float and double tensors, but got a tensor of scalar type: Long'",
    'lu-m-arg0-shape':
        "messages: jtorch 'linalg.solve_triangular: A must be batches of square matrices, but they are 4 by 6 matrices'; torch 'torch.linalg.lu_solve: A must be batches of square matrices, but they are 4 by 6 matrices'",
    'lu-m-arg0-dtype':
        'jtorch raised RuntimeError: linalg.lu_factor: Expected a floating point or complex tensor as input. Got Long; torch raised NotImplementedError: "lu_cpu" not implemented for \'Long\'',
    'lu-m-arg1-dtype':
        "messages: jtorch 'expected m1 and m2 to have the same dtype, but got: double != long int'; torch 'linalg.lu_solve: Expected LU and B to have the same dtype, but found LU of type Double and B of type Long instead'",
    'triangular-m-arg0-shape':
        "messages: jtorch 'linalg.solve_triangular: A must be batches of square matrices, but they are 4 by 6 matrices'; torch 'A must be batches of square matrices, but they are 4 by 6 matrices'",
    'triangular-m-arg0-dtype':
        'torch raised RuntimeError: Expected b and A to have the same dtype, but found b of type Double and A of type Long instead.; jtorch accepts',
    'triangular-m-arg1-dtype':
        'torch raised RuntimeError: Expected b and A to have the same dtype, but found b of type Long and A of type Double instead.; jtorch accepts',
    'householder-m-arg0-shape':
        'torch raised RuntimeError: torch.linalg.householder_product: input.shape[-2] must be greater than or equal to input.shape[-1]; jtorch accepts',
    'householder-m-arg0-dtype':
        'torch raised RuntimeError: torch.linalg.householder_product: tau dtype Double does not match input dtype Long; jtorch accepts',
    'householder-m-arg1-shape':
        'torch raised RuntimeError: torch.linalg.householder_product: input.shape[-1] must be greater than or equal to tau.shape[-1]; jtorch accepts',
    'householder-m-arg1-dtype':
        'torch raised RuntimeError: torch.linalg.householder_product: tau dtype Long does not match input dtype Double; jtorch accepts',
    'geqrf-m-arg0-shape':
        'torch accepts; jtorch raised RuntimeError: mat1 and mat2 shapes cannot be multiplied (4x6 and 4x2)',
    'geqrf-m-arg0-dtype':
        'jtorch raised TypeError: geqrf does not accept dtype int64 at position 0. Accepted dtypes at position 0 are subtypes of floating, complexfloating.; torch raised NotImplementedError: "geqrf_cpu" not implemented for \'Long\'',
    'geqrf-m-arg1-dtype':
        "messages: jtorch 'expected m1 and m2 to have the same dtype, but got: double != long int'; torch 'torch.ormqr: Expected input and other to have the same dtype, but input has dtypeDouble and other has dtype Long'",
    'lowrank-m-arg0-type':
        "jtorch raised TypeError: svd_lowrank(): argument 'A' (position 1) must be Tensor, not str; torch raised AttributeError: 'str' object has no attribute 'shape'",
    'stft-m-arg0-dtype':
        'torch raised RuntimeError: stft(torch.LongTensor[2, 80], n_fft=16, hop_length=4, win_length=16, window=torch.DoubleTensor{[16]}, normalized=0, onesided=None, return_complex=1, align_to_window=None) : expected a te; jtorch accepts',
    'stft-m-arg0-type':
        "jtorch raised TypeError: stft(): argument 'input' (position 1) must be Tensor, not str; torch raised AttributeError: 'str' object has no attribute 'dim'",
    'stft-m-arg1-shape':
        "messages: jtorch 'stft: expected a 1D window tensor of size equal to win_length=16, but got window with size [18]'; torch 'stft(torch.DoubleTensor[2, 80], n_fft=16, hop_length=4, win_length=16, window=torch.DoubleTensor{[18]}, normalized=0, onesided=None, return_complex=1, align_to_window=None) : ex",
    'istft-m-arg0-dtype':
        'torch raised RuntimeError: stft(torch.LongTensor[2, 80], n_fft=16, hop_length=4, win_length=16, window=torch.DoubleTensor{[16]}, normalized=0, onesided=None, return_complex=1, align_to_window=None) : expected a te; jtorch accepts',
    'istft-m-arg0-type':
        "jtorch raised TypeError: stft(): argument 'input' (position 1) must be Tensor, not str; torch raised AttributeError: 'str' object has no attribute 'dim'",
    'istft-m-arg1-shape':
        "messages: jtorch 'stft: expected a 1D window tensor of size equal to win_length=16, but got window with size [18]'; torch 'stft(torch.DoubleTensor[2, 80], n_fft=16, hop_length=4, win_length=16, window=torch.DoubleTensor{[18]}, normalized=0, onesided=None, return_complex=1, align_to_window=None) : ex",
    'histogram-m-arg0-shape':
        'jtorch raised IndexError: The shape of the mask [14] at index 0 does not match the shape of the indexed tensor [12] at index 0; torch raised RuntimeError: torch.histogramdd: if weight tensor is provided it should have the same shape as the input tensor excluding its innermost dimension, but got inpu',
    'histogram-m-arg1-shape':
        'jtorch raised IndexError: The shape of the mask [12] at index 0 does not match the shape of the indexed tensor [14] at index 0; torch raised RuntimeError: torch.histogramdd: if weight tensor is provided it should have the same shape as the input tensor excluding its innermost dimension, but got inpu',
    'histogram-m-arg1-dtype':
        'torch raised RuntimeError: torch.histogramdd: if weight tensor is provided, input tensor and weight tensor should have the same dtype, but got input(double), and weight(long int); jtorch accepts',
    'poisson-m-arg0-dtype':
        'torch raised NotImplementedError: "poisson_cpu" not implemented for \'Long\'; jtorch accepts',
    'binomial-m-arg0-shape':
        "messages: jtorch 'Attempting to broadcast a dimension of length 4 at -1! Mismatching argument at index 1 had (4,); but expected shape should be broadcastable to [2, 6]'; torch 'The size of tensor a (6) must match the size of tensor b (4) at non-singleton dimension 1'",
    'binomial-m-arg1-shape':
        "messages: jtorch 'Attempting to broadcast a dimension of length 6 at -1! Mismatching argument at index 1 had (6,); but expected shape should be broadcastable to [2, 4]'; torch 'The size of tensor a (4) must match the size of tensor b (6) at non-singleton dimension 1'",
    'binomial-m-arg1-dtype':
        'torch raised ValueError: binomial only supports floating-point dtypes for prob, got: Long; jtorch accepts',
    'Tensor.put-m-arg1-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dtype'; torch raised TypeError: put(): argument 'index' (position 1) must be Tensor, not str",
    'Tensor.put-m-arg2-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dtype'; torch raised TypeError: put(): argument 'source' (position 2) must be Tensor, not str",
    'Tensor.put.accumulate-dups-arg1-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dtype'; torch raised TypeError: put(): argument 'index' (position 1) must be Tensor, not str",
    'Tensor.put.accumulate-dups-arg2-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dtype'; torch raised TypeError: put(): argument 'source' (position 2) must be Tensor, not str",
    'Tensor.index_reduce.prod.self-dups-arg1-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dim'; torch raised TypeError: index_reduce(): argument 'index' (position 2) must be Tensor, not str",
    'Tensor.index_reduce.prod.self-dups-arg2-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dtype'; torch raised TypeError: index_reduce(): argument 'source' (position 3) must be Tensor, not str",
    'Tensor.index_reduce.prod.noself-dups-arg1-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dim'; torch raised TypeError: index_reduce(): argument 'index' (position 2) must be Tensor, not str",
    'Tensor.index_reduce.prod.noself-dups-arg1-range':
        "messages: jtorch 'index out of range in self'; torch 'index 99 is out of bounds for dimension 0 with size 3'",
    'Tensor.index_reduce.prod.noself-dups-arg2-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dtype'; torch raised TypeError: index_reduce(): argument 'source' (position 3) must be Tensor, not str",
    'Tensor.index_reduce.mean.self-dups-arg1-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dim'; torch raised TypeError: index_reduce(): argument 'index' (position 2) must be Tensor, not str",
    'Tensor.index_reduce.mean.self-dups-arg2-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dtype'; torch raised TypeError: index_reduce(): argument 'source' (position 3) must be Tensor, not str",
    'Tensor.index_reduce.mean.noself-dups-arg1-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dim'; torch raised TypeError: index_reduce(): argument 'index' (position 2) must be Tensor, not str",
    'Tensor.index_reduce.mean.noself-dups-arg1-range':
        "messages: jtorch 'index out of range in self'; torch 'index 99 is out of bounds for dimension 0 with size 3'",
    'Tensor.index_reduce.mean.noself-dups-arg2-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dtype'; torch raised TypeError: index_reduce(): argument 'source' (position 3) must be Tensor, not str",
    'Tensor.index_reduce.amax.self-dups-arg1-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dim'; torch raised TypeError: index_reduce(): argument 'index' (position 2) must be Tensor, not str",
    'Tensor.index_reduce.amax.self-dups-arg2-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dtype'; torch raised TypeError: index_reduce(): argument 'source' (position 3) must be Tensor, not str",
    'Tensor.index_reduce.amax.noself-dups-arg1-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dim'; torch raised TypeError: index_reduce(): argument 'index' (position 2) must be Tensor, not str",
    'Tensor.index_reduce.amax.noself-dups-arg1-range':
        "messages: jtorch 'index out of range in self'; torch 'index 99 is out of bounds for dimension 0 with size 3'",
    'Tensor.index_reduce.amax.noself-dups-arg2-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dtype'; torch raised TypeError: index_reduce(): argument 'source' (position 3) must be Tensor, not str",
    'Tensor.index_reduce.amin.self-dups-arg1-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dim'; torch raised TypeError: index_reduce(): argument 'index' (position 2) must be Tensor, not str",
    'Tensor.index_reduce.amin.self-dups-arg2-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dtype'; torch raised TypeError: index_reduce(): argument 'source' (position 3) must be Tensor, not str",
    'Tensor.index_reduce.amin.noself-dups-arg1-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dim'; torch raised TypeError: index_reduce(): argument 'index' (position 2) must be Tensor, not str",
    'Tensor.index_reduce.amin.noself-dups-arg1-range':
        "messages: jtorch 'index out of range in self'; torch 'index 99 is out of bounds for dimension 0 with size 3'",
    'Tensor.index_reduce.amin.noself-dups-arg2-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dtype'; torch raised TypeError: index_reduce(): argument 'source' (position 3) must be Tensor, not str",
    'Tensor.index_reduce.dim1-m-arg1-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dim'; torch raised TypeError: index_reduce(): argument 'index' (position 2) must be Tensor, not str",
    'Tensor.index_reduce.dim1-m-arg2-type':
        "jtorch raised AttributeError: 'str' object has no attribute 'dtype'; torch raised TypeError: index_reduce(): argument 'source' (position 3) must be Tensor, not str",
    'normal.grad-m-arg0-dtype':
        'torch raised NotImplementedError: "normal_kernel_cpu" not implemented for \'Long\'; jtorch accepts',
    'normal.grad-m-arg1-dtype':
        'torch raised NotImplementedError: "normal_kernel_cpu" not implemented for \'Long\'; jtorch accepts',
    '_standard_gamma_grad-regions-arg0-dtype':
        'torch raised RuntimeError: Found dtype Double but expected Long; jtorch accepts',
    '_standard_gamma_grad-regions-arg1-dtype':
        'torch raised RuntimeError: Found dtype Long but expected Double; jtorch accepts',
    '_dirichlet_grad-branches-arg0-dtype':
        'torch raised RuntimeError: Found dtype Double but expected Long; jtorch accepts',
    '_dirichlet_grad-branches-arg1-dtype':
        'torch raised RuntimeError: Found dtype Long but expected Double; jtorch accepts',
    '_dirichlet_grad-branches-arg2-dtype':
        'torch raised RuntimeError: Found dtype Long but expected Double; jtorch accepts',
}

# cases where a JAX/NumPy exception still reaches the user (a module outside the op table)
LEAKS = {
}
