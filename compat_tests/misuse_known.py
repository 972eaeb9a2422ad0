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
    'lerp-scalar_w-arg0-dtype':
        'jtorch raised NotImplementedError: "lerp_kernel_scalar" not implemented for \'Long\'; torch raised RuntimeError: expected dtype long int for `end` but got dtype double',
    'lerp.inplace-same-arg0-dtype':
        'jtorch raised NotImplementedError: "lerp_kernel_scalar" not implemented for \'Long\'; torch raised RuntimeError: expected dtype long int for `end` but got dtype double',
    'split-m-arg0-type':
        "messages: jtorch 'argument of type str rejected'; torch 'must be str or None, not int'",
    'flip-d0-arg1-type':
        "jtorch raised ValueError: invalid literal for int() with base 10: 'abc'; torch raised TypeError: flip(): argument 'dims' (position 2) must be tuple of ints, not str",
    'roll-flat-arg1-type':
        "jtorch raised RuntimeError: `shifts` required to be of size 1 when `dims` is not specified, but got 3; torch raised TypeError: roll(): argument 'shifts' (position 2) must be tuple of ints, not str",
    'repeat_interleave-int-arg1-type':
        "jtorch raised ValueError: invalid literal for int() with base 10: 'abc'; torch raised TypeError: repeat_interleave() received an invalid combination of arguments - got (Tensor, str), but expected one of:",
    'repeat_interleave.counts-c-arg0-dtype':
        'jtorch raised RuntimeError: repeat_interleave only accept 1D vector as repeat; torch raised NotImplementedError: "repeat_interleave_cpu" not implemented for \'Double\'',
    'out.new_ops-m-arg0-dtype':
        "messages: jtorch 'quantile() input tensor must be either float or double dtype'; torch 'Expected out tensor to have dtype long int, but got float instead'",
    'methods.new_ops-m-arg0-dtype':
        'jtorch raised NotImplementedError: "lerp_kernel_scalar" not implemented for \'Long\'; torch raised RuntimeError: expected dtype long int for `end` but got dtype double',
    'fft-m-arg0-shape':
        "torch raised RuntimeError: Can't call numpy() on Tensor that has conjugate bit set. Use tensor.resolve_conj().numpy() instead.; jtorch accepts",
    'fft-m-arg0-dtype':
        "torch raised RuntimeError: Can't call numpy() on Tensor that has conjugate bit set. Use tensor.resolve_conj().numpy() instead.; jtorch accepts",
    'nn.rrelu-m-arg0-type':
        'messages: jtorch "\'>\' not supported between instances of \'str\' and \'int\'"; torch \'argument of type str rejected\'',
    'igamma-m-arg0-dtype':
        'results differ: ',
    'gradient-m-arg1-type':
        'messages: jtorch "unsupported operand type(s) for /: \'Tensor\' and \'str\'"; torch \'argument of type str rejected\'',
    'unravel_index-m-arg0-type':
        "jtorch raised TypeError: new(): invalid data type 'str'; torch raised AttributeError: 'str' object has no attribute 'is_complex'",
}

# cases where a JAX/NumPy exception still reaches the user (a module outside the op table)
LEAKS = {
}
