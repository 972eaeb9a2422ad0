"""What the fuzz campaigns found and is not fixed yet.

``KNOWN``: failure class (``programs.signature`` of the failing step) -> why jtorch differs.
A program of the suite's slice that fails in a known class passes (the class is a known
gap); one failing in any other class fails the test. ``PROGRAMS``: the shrunk program of each
class, run as a strict xfail in ``test_fuzz.py`` (it turns red once the class is fixed, and
the class should then leave ``KNOWN``).
"""

inf, nan = float("inf"), float("nan")

inf, nan = float("inf"), float("nan")

inf, nan = float("inf"), float("nan")

KNOWN = {
    'backward':
        "('err', 'RuntimeError', 'one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2, 1]], which is output 0 of Prod, is at version 2; expecte",
    'binary:bitwise_and':
        '(\'err\', \'NotImplementedError\', \'"bitwise_and_cpu" not implemented for \\\'Float\\\'\') != torch\'s (\'err\', \'NotImplementedError\', \'"bitwise_and_cpu" not implemented for \\\'Double\\\'\')',
    'binary:copysign':
        "('torch.float64', (1, 3, 1), (3, 1, 1), True, 'CopysignBackward0', False, 0) != torch's ('torch.float64', (1, 3, 1), (3, 1, 3), True, 'CopysignBackward0', False, 0)",
    'binary:div':
        "('torch.float32', (1,), (1,), False, None, True, 0) != torch's ('torch.float32', (1,), (1,), True, 'DivBackward0', False, 0)",
    'binary:floor_divide':
        "('torch.float64', (4, 1, 3), (3, 3, 1), True, 'DivBackward2', False, 0) != torch's ('torch.float64', (4, 1, 3), (3, 3, 1), True, 'torch::autograd::NotImplemented', False, 0)",
    'binary:fmod':
        '(\'tensor\', \'torch.bool\', (1,)) != torch\'s (\'err\', \'NotImplementedError\', \'"fmod_cpu" not implemented for \\\'Bool\\\'\')',
    'binary:ge':
        "('torch.bool', (4, 3, 2), (6, 2, 1), False, None, True, 0) != torch's ('torch.bool', (4, 3, 2), (1, 4, 12), False, None, True, 0)",
    'binary:hypot':
        '(\'err\', \'NotImplementedError\', \'"hypot_cpu" not implemented for \\\'Bool\\\'\') != torch\'s (\'tensor\', \'torch.float32\', (3, 1))',
    'binary:logical_and':
        "('torch.bool', (1, 3, 1), (3, 1, 1), False, None, True, 0) != torch's ('torch.bool', (1, 3, 1), (3, 1, 3), False, None, True, 0)",
    'binary:matmul':
        "('err', 'RuntimeError', 'Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [1, 3].') != torch's ('err', 'RuntimeError', 'mat1 and mat2 shapes cannot be multiplied (6x4 and",
    'binary:maximum':
        "values [0.       2.304886      inf 0.       2.304886      inf] != torch's [ 0.        2.304886       inf -0.        2.304886       inf]",
    'binary:mul':
        "values [0.5 0.  0.  0.  0.  0.  0.  0. ] != torch's [ 0.5  nan  0.   0.   0.  -0.   0.   0. ]",
    'binary:pow':
        '(\'tensor\', \'torch.bool\', (1,)) != torch\'s (\'err\', \'NotImplementedError\', \'"pow" not implemented for \\\'Bool\\\'\')',
    'binary:remainder':
        '(\'tensor\', \'torch.bool\', (2, 3)) != torch\'s (\'err\', \'NotImplementedError\', \'"remainder_cpu" not implemented for \\\'Bool\\\'\')',
    'inplace:add_':
        '(\'err\', \'RuntimeError\', "result type Double can\'t be cast to the desired output type Long") != torch\'s (\'err\', \'RuntimeError\', \'The size of tensor a (3) must match the size of tensor b (4) at non-sing',
    'inplace:clamp_':
        '(\'err\', \'RuntimeError\', "result type Long can\'t be cast to the desired output type Bool") != torch\'s (\'err\', \'RuntimeError\', "result type Long can\'t be cast to the desired output type bool")',
    'inplace:copy_':
        'a builtins.ValueError reached the user: Cannot broadcast to shape with fewer dimensions: arr_shape=(3, 1) shape=(1,)',
    'inplace:div_':
        '(\'err\', \'RuntimeError\', "result type Float can\'t be cast to the desired output type Long") != torch\'s (\'err\', \'RuntimeError\', \'The size of tensor a (2) must match the size of tensor b (3) at non-singl',
    'inplace:index_fill_':
        "('err', 'IndexError', 'index out of range in self') != torch's ('err', 'RuntimeError', 'setStorage: sizes [1], strides [0], storage offset 0, and itemsize 1 requiring a storage size of 1 are out of bo",
    'inplace:masked_fill_':
        "('err', 'RuntimeError', 'The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0') != torch's ('err', 'RuntimeError', 'The size of tensor a (2) must match the size of",
    'inplace:mul_':
        '(\'err\', \'RuntimeError\', "result type Double can\'t be cast to the desired output type Long") != torch\'s (\'err\', \'RuntimeError\', "output with shape [] doesn\'t match the broadcast shape [2, 3, 4]")',
    'inplace:neg_':
        'a builtins.TypeError reached the user: neg does not accept dtype bool. Accepted dtypes are subtypes of integer, floating, complexfloating.',
    'inplace:pow_':
        '(\'err\', \'RuntimeError\', "result type Float can\'t be cast to the desired output type Bool") != torch\'s (\'err\', \'RuntimeError\', "output with shape [1] doesn\'t match the broadcast shape [2, 0]")',
    'inplace:relu_':
        "('tensor', 'torch.bool', (0,)) != torch's ('err', 'RuntimeError', 'Boolean inputs not supported for relu')",
    'inplace:sub_':
        '(\'err\', \'RuntimeError\', "result type Float can\'t be cast to the desired output type Long") != torch\'s (\'err\', \'RuntimeError\', "output with shape [4, 1, 3] doesn\'t match the broadcast shape [4, 2, 3]")',
    'nograd:abs':
        'a builtins.TypeError reached the user: neg does not accept dtype bool. Accepted dtypes are subtypes of integer, floating, complexfloating.',
    'nograd:ceil':
        '(\'tensor\', \'torch.bool\', (4, 1, 3)) != torch\'s (\'err\', \'NotImplementedError\', \'"ceil_vml_cpu" not implemented for \\\'Bool\\\'\')',
    'nograd:floor':
        '(\'tensor\', \'torch.bool\', (1,)) != torch\'s (\'err\', \'NotImplementedError\', \'"floor_vml_cpu" not implemented for \\\'Bool\\\'\')',
    'nograd:frac':
        '(\'tensor\', \'torch.float32\', (2, 3, 4)) != torch\'s (\'err\', \'NotImplementedError\', \'"frac_cpu" not implemented for \\\'Long\\\'\')',
    'nograd:long':
        "values [0] != torch's [-9223372036854775808]",
    'nograd:relu':
        "('tensor', 'torch.bool', (1, 4, 1, 3)) != torch's ('err', 'RuntimeError', 'Boolean inputs not supported for relu')",
    'nograd:softmax_last':
        "('torch.float32', (0,), (1,), False, None, True, 0) != torch's ('torch.bool', (0,), (1,), False, None, True, 0)",
    'nograd:trunc':
        '(\'tensor\', \'torch.bool\', (3, 0)) != torch\'s (\'err\', \'NotImplementedError\', \'"trunc_vml_cpu" not implemented for \\\'Bool\\\'\')',
    'print':
        "printed 'tensor([], dtype=torch.float64)', torch printed 'tensor([], dtype=torch.float64, requires_grad=True)'",
    'reduce:amax':
        'a builtins.ValueError reached the user: zero-size array to reduction operation max which has no identity',
    'reduce:amin':
        'a builtins.ValueError reached the user: zero-size array to reduction operation min which has no identity',
    'reduce:argmax':
        'a builtins.ValueError reached the user: attempt to get argmax of an empty sequence',
    'reduce:cumprod':
        "('tensor', 'torch.float64', ()) != torch's ('err', 'IndexError', 'Dimension out of range (expected to be in range of [-1, 0], but got 1)')",
    'reduce:max':
        'a builtins.ValueError reached the user: zero-size array to reduction operation max which has no identity',
    'reduce:mean':
        "values [-3.  -0.   0.5] != torch's [-3.   0.   0.5]",
    'reduce:min':
        'a builtins.ValueError reached the user: attempt to get argmin of an empty sequence',
    'reduce:std':
        "values [     nan 70.99044      inf      nan] != torch's [         nan 7.099044e+01 5.773503e+29          nan]",
    'requires_grad':
        "('torch.float32', (2, 3), (3, 1), True, 'AsStridedBackward0', False, 1) != torch's ('torch.float32', (2, 3), (3, 1), True, None, True, 1)",
    'scalar:add':
        "('torch.float64', (0,), (1,), False, None, True, 0) != torch's ('torch.float64', (0,), (1,), True, 'AddBackward0', False, 0)",
    'scalar:mul':
        "values [ 0.  0. -0.] != torch's [-0. -0. -0.]",
    'scalar:remainder':
        "('tensor', 'torch.int64', (4, 1, 3)) != torch's ('err', 'RuntimeError', 'ZeroDivisionError')",
    'scalar:rsub':
        "('torch.float32', (4, 2), (2, 1), False, None, True, 0) != torch's ('torch.float32', (4, 2), (1, 4), False, None, True, 0)",
    'setitem:list':
        "('err', 'IndexError', 'index 0 is out of bounds for dimension 0 with size 0') != torch's ('err', 'IndexError', 'index is out of bounds for dimension with size 0')",
    'setitem:tensor_value':
        "('err', 'RuntimeError', 'expand(torch.BoolTensor{[3, 1]}, size=[]): the number of sizes provided (0) must be greater or equal to the number of dimensions in the tensor (2)') != torch's ('err', 'Runtim",
    'unary:abs':
        'a builtins.TypeError reached the user: neg does not accept dtype bool. Accepted dtypes are subtypes of integer, floating, complexfloating.',
    'unary:bool':
        "('torch.bool', (0, 2), (2, 1), False, None, True, 0) != torch's ('torch.bool', (0, 2), (1, 1), False, None, True, 0)",
    'unary:ceil':
        '(\'tensor\', \'torch.bool\', (1, 2, 0)) != torch\'s (\'err\', \'NotImplementedError\', \'"ceil_vml_cpu" not implemented for \\\'Bool\\\'\')',
    'unary:clone':
        "('torch.bool', (1, 1), (1, 1), False, None, True, 0) != torch's ('torch.bool', (1, 1), (2, 1), False, None, True, 0)",
    'unary:cumsum0':
        "values [ 1. -0.  1.] != torch's [1. 0. 1.]",
    'unary:floor':
        '(\'tensor\', \'torch.bool\', (3,)) != torch\'s (\'err\', \'NotImplementedError\', \'"floor_vml_cpu" not implemented for \\\'Bool\\\'\')',
    'unary:frac':
        '(\'tensor\', \'torch.float32\', (0,)) != torch\'s (\'err\', \'NotImplementedError\', \'"frac_cpu" not implemented for \\\'Bool\\\'\')',
    'unary:isinf':
        "('torch.bool', (0, 2), (2, 1), False, None, True, 0) != torch's ('torch.bool', (0, 2), (1, 1), False, None, True, 0)",
    'unary:long':
        "values [0 0 0 0 0 0 0 0] != torch's [0 0 0 0 0 0 0 0]",
    'unary:neg':
        'a builtins.TypeError reached the user: neg does not accept dtype bool. Accepted dtypes are subtypes of integer, floating, complexfloating.',
    'unary:relu':
        "('tensor', 'torch.bool', (1, 3)) != torch's ('err', 'RuntimeError', 'Boolean inputs not supported for relu')",
    'unary:round':
        '(\'tensor\', \'torch.bool\', (0,)) != torch\'s (\'err\', \'NotImplementedError\', \'"round_vml_cpu" not implemented for \\\'Bool\\\'\')',
    'unary:softmax_last':
        '(\'tensor\', \'torch.float32\', (3, 1)) != torch\'s (\'err\', \'NotImplementedError\', \'"softmax_lastdim_kernel_impl" not implemented for \\\'Bool\\\'\')',
    'unary:square':
        "('torch.float32', (1, 1), (1, 1), False, None, True, 0) != torch's ('torch.float32', (1, 1), (1, 1), True, 'PowBackward0', False, 0)",
    'unary:tanh':
        "('torch.float32', (3, 1, 4), (4, 4, 1), True, 'TanhBackward0', False, 0) != torch's ('torch.float32', (3, 1, 4), (1, 3, 3), True, 'TanhBackward0', False, 0)",
    'unary:trunc':
        '(\'tensor\', \'torch.bool\', (2, 3)) != torch\'s (\'err\', \'NotImplementedError\', \'"trunc_vml_cpu" not implemented for \\\'Bool\\\'\')',
    'view:chunk_last':
        "('err', 'IndexError', 'tuple index out of range') != torch's ('tensor', 'torch.bool', (0,))",
    'view:mT':
        "('err', 'RuntimeError', 'tensor.mT is only supported on matrices or batches of matrices. Got 0-D tensor.') != torch's ('tensor', 'torch.bool', ())",
    'view:narrow':
        "('err', 'RuntimeError', 'start (1) + length (1) exceeds dimension size (0).') != torch's ('err', 'IndexError', 'start out of range (expected to be in range of [0, 0], but got 1)')",
    'view:permute_rev':
        '(\'tensor\', \'torch.bool\', ()) != torch\'s (\'err\', \'TypeError\', \'permute() missing 1 required positional arguments: "dims"\')',
    'view:split0':
        "('err', 'IndexError', 'tuple index out of range') != torch's ('err', 'RuntimeError', 'split expects at least a 1-dimensional tensor')",
    'view:unflatten':
        "('err', 'IndexError', 'tuple index out of range') != torch's ('err', 'RuntimeError', 'unflatten got an unexpected error:')",
}

PROGRAMS = [
    ('inplace:neg_',
     [('new', (1, 3), 'float32', (inf, 7.0, -3.0), True), ('new', (2, 3), 'bool', (True, False, False, True, False, False), False), ('inplace', 'neg_', 1, 0)]),
    ('reduce:argmax',
     [('new', (0,), 'float32', (), True), ('reduce', 'argmax', 0, -1, False)]),
    ('reduce:amax',
     [('new', (2, 3), 'float32', (-3.0, 7.0, 1.0, -0.0, -0.0, 0.0), False), ('binary', 'hypot', 0, 0), ('nograd', 'sigmoid', 0), ('unary', 'reciprocal', 0), ('binary', 'minimum', 2, 2), ('unary', 'erf', 2), ('scalar', 'mul', 3, 10000000000.0, False), ('nograd', 'rsqrt', 4), ('new', (2, 3), 'int64', (7, 7, -3, 1, 2, 2), False), ('view', 'unflatten', 4), ('scalar', 'pow', 3, 10000000000.0, False), ('new', (0,), 'float32', (), True), ('reduce', 'amax', 11, 0, True)]),
    ('setitem:tensor_value',
     [('new', (2, 3), 'int64', (7, 5, 7, 5, 5, -3), False), ('new', (), 'bool', (False,), False), ('new', (), 'float64', (0.5,), True), ('view', 'getitem_mask', 0), ('new', (4, 1, 3), 'float64', (1e+30, -1.5, -3.0, 2.25, 1.0, 123.456, 1e-05, -1e-30, -3.0, 1.0, -1e-30, -1e-30), True), ('new', (1,), 'bool', (False,), False), ('unary', 'trunc', 0), ('binary', 'minimum', 1, 2), ('view', 'flatten', 3), ('new', (3, 1), 'bool', (False, False, True), False), ('setitem', 'tensor_value', 3, 0.5, 9)]),
    ('inplace:mul_',
     [('new', (1,), 'bool', (False,), False), ('new', (0,), 'float32', (), True), ('new', (2, 3, 4), 'float64', (-0.0, -3.0, -3.0, -0.0, -1.5, -0.0, inf, -3.0, 0.0, 1e-05, -inf, -0.0, -1.5, nan, nan, -inf, 0.0, -inf, -inf, -3.0, 0.0, -1.5, 0.0, inf), True), ('scalar', 'gt', 0, -1, False), ('new', (4, 1, 3), 'float64', (-0.0, inf, 1e+30, -0.0, -inf, 0.0, -inf, -1.5, 7.0, nan, inf, -3.0), True), ('view', 'contiguous', 2), ('reduce', 'prod', 3, 0, False), ('inplace', 'mul_', 6, 2)]),
    ('unary:softmax_last',
     [('new', (3, 1), 'bool', (False, False, False), False), ('view', 'chunk_last', 0), ('unary', 'softmax_last', 1)]),
    ('print',
     [('new', (), 'bool', (True,), False), ('new', (4, 1, 3), 'float32', (7.0, 1e-05, 7.0, 1e-05, 2.25, nan, -1e-30, 1.0, 0.0, inf, 7.0, 0.5), True), ('new', (0,), 'float64', (), False), ('view', 'unsqueeze0', 0), ('view', 'mT', 2), ('view', 'squeeze', 2), ('requires_grad', 2), ('print', 5)]),
    ('inplace:clamp_',
     [('new', (2, 3, 4), 'bool', (True, False, False, True, False, False, True, True, False, False, False, True, True, False, False, False, False, False, False, False, False, True, True, True), False), ('new', (4, 1, 3), 'float64', (-1.5, nan, 2.25, 7.0, 0.0, nan, -0.0, 7.0, nan, 2.25, -3.0, inf), False), ('reduce', 'any', 1, 0, False), ('unary', 'sigmoid', 0), ('scalar', 'gt', 0, 2, False), ('new', (), 'float64', (123.456,), True), ('inplace', 'clamp_', 0, 5)]),
    ('binary:floor_divide',
     [('new', (4, 1, 3), 'float64', (1e+30, 2.25, 2.25, 1e+30, -0.0, nan, 7.0, 2.25, 7.0, nan, 1e-05, -3.0), True), ('scalar', 'div', 0, 10000000000.0, False), ('binary', 'floor_divide', 0, 1)]),
    ('reduce:cumprod',
     [('new', (), 'float32', (123.456,), True), ('new', (), 'float64', (1e+30,), False), ('unary', 'erf', 0), ('reduce', 'prod', 2, 1, True), ('binary', 'fmod', 1, 2), ('reduce', 'cumprod', 4, 1, True)]),
    ('binary:remainder',
     [('new', (2, 0), 'bool', (), False), ('new', (2, 3), 'bool', (False, True, False, True, True, False), False), ('binary', 'remainder', 1, 1)]),
    ('inplace:relu_',
     [('new', (0,), 'bool', (), False), ('inplace', 'relu_', 0, 0)]),
    ('view:split0',
     [('new', (), 'float64', (1e-05,), False), ('new', (2, 3), 'bool', (False, True, False, True, True, False), False), ('nograd', 'sigmoid', 0), ('reduce', 'min', 2, -1, True), ('view', 'split0', 3)]),
    ('scalar:remainder',
     [('new', (0,), 'int64', (), False), ('new', (4, 1, 3), 'int64', (0, -3, -1, 2, 2, 0, 0, 0, 7, 2, 5, 1), False), ('scalar', 'remainder', 1, 2, True)]),
    ('binary:bitwise_and',
     [('new', (3,), 'float64', (1e+30, 123.456, -1.5), True), ('new', (), 'float32', (inf,), True), ('binary', 'bitwise_and', 1, 0)]),
    ('unary:frac',
     [('new', (4, 1, 3), 'float32', (-inf, nan, 1e-05, 1e+30, 1e-05, nan, inf, 0.0, nan, 0.5, 7.0, inf), False), ('new', (0,), 'bool', (), False), ('new', (4, 1, 3), 'int64', (2, 5, 2, 2, 1, 7, 7, 0, 0, 2, 0, -3), False), ('detach', 1), ('nograd', 'add_self', 3), ('unary', 'frac', 4)]),
    ('scalar:mul',
     [('new', (1, 3), 'bool', (False, False, True), False), ('scalar', 'mul', 0, -0.0, True)]),
    ('nograd:abs',
     [('new', (2, 3), 'bool', (False, False, False, True, False, True), False), ('nograd', 'abs', 0)]),
    ('unary:tanh',
     [('new', (4, 1, 3), 'float32', (2.25, nan, nan, nan, -1.5, 1.0, -1e-30, 0.5, 2.25, 123.456, 1e+30, 7.0), True), ('new', (), 'float64', (nan,), True), ('unary', 'ceil', 1), ('reduce', 'mean', 2, -1, False), ('view', 'transpose', 0), ('unary', 'tanh', 4)]),
    ('nograd:relu',
     [('new', (2, 3), 'float64', (7.0, 0.5, nan, 1e+30, -1e-30, -0.0), False), ('view', 'squeeze', 0), ('new', (0,), 'float32', (), True), ('binary', 'hypot', 0, 1), ('unary', 'sin', 0), ('nograd', 'floor', 0), ('unary', 'frac', 2), ('nograd', 'sin', 0), ('new', (4, 1, 3), 'bool', (True, True, True, False, False, False, True, False, True, True, False, False), False), ('new', (2, 3), 'bool', (True, True, False, True, True, False), False), ('detach', 2), ('new', (1,), 'int64', (0,), False), ('view', 'unflatten', 8), ('nograd', 'relu', 12)]),
    ('inplace:masked_fill_',
     [('new', (1, 3), 'float32', (-inf, 1e-05, 123.456), False), ('new', (3, 1), 'float32', (0.0, 1.0, inf), False), ('reduce', 'amax', 1, 1, True), ('view', 'getitem_mask', 0), ('view', 'select0', 0), ('view', 'expand', 4), ('inplace', 'masked_fill_', 5, 2)]),
    ('binary:logical_and',
     [('new', (3, 1), 'float32', (inf, 0.5, 7.0), True), ('detach', 0), ('unary', 'floor', 1), ('reduce', 'min', 2, 1, True), ('binary', 'atan2', 1, 1), ('view', 'getitem_none', 4), ('binary', 'logical_and', 5, 3)]),
    ('nograd:softmax_last',
     [('new', (0,), 'bool', (), False), ('nograd', 'softmax_last', 0)]),
    ('unary:abs',
     [('new', (1,), 'float32', (1e-05,), False), ('new', (3,), 'bool', (True, True, False), False), ('unary', 'abs', 1)]),
    ('unary:neg',
     [('new', (2, 3), 'bool', (False, True, True, True, False, True), False), ('view', 'unflatten', 0), ('unary', 'neg', 1)]),
    ('view:chunk_last',
     [('new', (0,), 'bool', (), False), ('view', 'chunk_last', 0)]),
    ('nograd:trunc',
     [('new', (), 'float32', (1.0,), False), ('new', (0,), 'int64', (), False), ('new', (3, 1), 'bool', (True, True, True), False), ('view', 'reshape_flat', 1), ('binary', 'eq', 2, 1), ('nograd', 'trunc', 4)]),
    ('unary:trunc',
     [('new', (2, 3), 'bool', (True, False, True, False, False, False), False), ('unary', 'trunc', 0)]),
    ('view:narrow',
     [('new', (0,), 'bool', (), False), ('view', 'narrow', 0)]),
    ('reduce:min',
     [('new', (0,), 'int64', (), False), ('reduce', 'min', 0, -1, False)]),
    ('binary:matmul',
     [('new', (2, 0), 'int64', (), False), ('new', (2, 3, 4), 'bool', (True, False, False, False, True, False, True, True, True, False, True, False, False, False, True, False, True, False, True, False, True, False, True, False), False), ('new', (2, 3, 4), 'bool', (True, True, True, True, True, False, False, False, True, True, True, False, False, True, False, False, False, False, False, True, True, False, False, True), False), ('unary', 'isinf', 0), ('unary', 'logical_not', 1), ('view', 'flatten', 3), ('new', (1, 3), 'float32', (1e-05, -1.5, -0.0), True), ('binary', 'matmul', 1, 6)]),
    ('reduce:amin',
     [('new', (2, 0), 'bool', (), False), ('reduce', 'amin', 0, -1, False)]),
    ('reduce:max',
     [('new', (3, 1), 'float32', (0.0, 2.25, inf), False), ('new', (4, 1, 3), 'int64', (-1, 1, 7, -1, 1, 7, 1, 0, 5, 2, -1, 1), False), ('new', (1, 3), 'bool', (True, True, False), False), ('scalar', 'pow', 2, 2, False), ('reduce', 'norm', 0, 0, False), ('nograd', 'exp2', 3), ('scalar', 'mul', 4, True, True), ('unary', 'asinh', 1), ('reduce', 'norm', 6, None, False), ('unary', 'ceil', 3), ('view', 'contiguous', 6), ('new', (0,), 'float32', (), True), ('reduce', 'max', 11, None, True)]),
    ('inplace:copy_',
     [('new', (2, 0), 'float32', (), False), ('new', (2, 3, 4), 'bool', (False, True, False, False, True, True, True, True, True, False, True, True, True, False, False, True, True, True, True, False, True, True, True, False), False), ('new', (1,), 'bool', (False,), False), ('new', (3, 1), 'float32', (1.0, -1e-30, 1e+30), False), ('inplace', 'copy_', 2, 3)]),
    ('unary:clone',
     [('new', (1,), 'bool', (True,), False), ('reduce', 'sum', 0, 1, False), ('view', 'getitem_none', 1), ('view', 'getitem_none', 0), ('unary', 'abs', 2), ('view', 'permute_rev', 3), ('unary', 'clone', 5)]),
    ('inplace:pow_',
     [('new', (), 'bool', (False,), False), ('new', (1,), 'bool', (False,), False), ('unary', 'bool', 1), ('unary', 'clone', 1), ('new', (2, 0), 'bool', (), False), ('binary', 'minimum', 4, 4), ('nograd', 'log', 2), ('unary', 'atan', 5), ('inplace', 'pow_', 3, 7)]),
    ('view:permute_rev',
     [('new', (), 'bool', (True,), False), ('view', 'permute_rev', 0)]),
    ('unary:isinf',
     [('new', (2, 0), 'bool', (), False), ('view', 'permute_rev', 0), ('unary', 'isinf', 1)]),
    ('binary:fmod',
     [('new', (1,), 'int64', (0,), False), ('new', (1,), 'bool', (False,), False), ('binary', 'fmod', 1, 1)]),
    ('binary:hypot',
     [('new', (1, 3), 'bool', (True, True, True), False), ('new', (1,), 'bool', (True,), False), ('binary', 'div', 1, 1), ('binary', 'where', 2, 1), ('reduce', 'cumprod', 3, 1, True), ('binary', 'add_alpha', 1, 3), ('binary', 'mul', 1, 5), ('new', (4, 1, 3), 'float32', (1.0, -1.5, nan, 1e-05, 0.5, 0.0, -1.5, -3.0, 7.0, 0.0, -1e-30, 1e+30), True), ('new', (3, 1), 'float32', (-0.0, 7.0, 1e+30), True), ('binary', 'hypot', 1, 8)]),
    ('unary:round',
     [('new', (0,), 'bool', (), False), ('detach', 0), ('unary', 'double', 1), ('reduce', 'max', 1, 1, False), ('binary', 'div', 1, 2), ('view', 'flatten', 3), ('new', (2, 3, 4), 'float32', (2.25, 0.0, -1e-30, 1.0, inf, 0.5, 0.5, 7.0, nan, -1e-30, inf, 7.0, 0.0, 123.456, 1e+30, -inf, -3.0, 0.5, 7.0, 1e+30, 7.0, -inf, 1e-05, 123.456), False), ('new', (2, 3, 4), 'float32', (123.456, -0.0, inf, -3.0, 123.456, 1.0, -3.0, -0.0, 1e+30, 2.25, 1e+30, -0.0, 123.456, 0.5, 0.0, 7.0, 0.5, 0.0, -1.5, -1.5, -0.0, -inf, inf, 123.456), True), ('binary', 'ge', 2, 6), ('binary', 'bitwise_and', 0, 1), ('unary', 'round', 9)]),
    ('backward',
     [('new', (2, 3), 'float32', (inf, 1e+30, 7.0, -1e-30, 2.25, 1e-05), True), ('view', 'contiguous', 0), ('binary', 'mul', 1, 1), ('new', (1, 3), 'bool', (False, True, True), False), ('reduce', 'prod', 0, 1, True), ('backward', 4, True)]),
    ('setitem:list',
     [('new', (2, 3), 'float32', (inf, 0.0, 1e-05, 2.25, 0.0, 0.0), True), ('new', (4, 1, 3), 'int64', (2, -3, 7, -1, 0, -1, -3, 2, 1, -3, 5, 0), False), ('new', (0,), 'int64', (), False), ('nograd', 'sqrt', 0), ('new', (3, 1), 'bool', (False, True, False), False), ('new', (0,), 'bool', (), False), ('new', (2, 3, 4), 'int64', (2, -1, 1, 0, 0, 7, -3, -3, 7, 5, 1, 0, 0, 5, -3, 5, 5, 2, 7, -1, 7, 0, 7, 0), False), ('unary', 'rsqrt', 0), ('setitem', 'list', 5, -1, 7)]),
    ('binary:pow',
     [('new', (0,), 'bool', (), False), ('new', (1, 3), 'int64', (-1, 7, -3), False), ('new', (1,), 'bool', (True,), False), ('view', 'flatten', 2), ('binary', 'pow', 3, 3)]),
    ('unary:cumsum0',
     [('new', (1, 3), 'float64', (1.0, -0.0, 1.0), True), ('unary', 'sin', 0), ('scalar', 'add', 0, 10000000000.0, True), ('detach', 1), ('new', (3, 1), 'float32', (2.25, 1e+30, -inf), False), ('view', 'split0', 0), ('unary', 'cumsum0', 5)]),
    ('unary:floor',
     [('new', (3,), 'bool', (True, False, False), False), ('reduce', 'max', 0, None, False), ('new', (3,), 'bool', (True, True, False), False), ('unary', 'floor', 2)]),
    ('inplace:div_',
     [('new', (3, 1), 'bool', (True, True, True), False), ('new', (2, 0), 'int64', (), False), ('new', (3, 1), 'int64', (1, -1, 2), False), ('inplace', 'div_', 1, 2)]),
    ('unary:relu',
     [('new', (1, 3), 'bool', (False, True, False), False), ('unary', 'relu', 0)]),
    ('reduce:mean',
     [('new', (1, 3), 'float64', (-3.0, -0.0, 0.5), True), ('reduce', 'mean', 0, 0, True)]),
    ('unary:long',
     [('new', (2, 3), 'float32', (-inf, 2.25, -1e-30, 123.456, -0.0, 2.25), False), ('new', (2, 0), 'float64', (), False), ('new', (2, 3, 4), 'bool', (False, False, True, False, True, False, False, True, False, False, False, True, False, True, False, True, False, False, True, True, False, False, True, False), False), ('binary', 'div', 1, 2), ('new', (2, 3, 4), 'float64', (0.0, -3.0, -1.5, -3.0, 1.0, 0.5, 2.25, -1.5, -1e-30, 0.5, 0.0, 0.0, 7.0, nan, nan, 1e-05, -1.5, 1.0, -inf, nan, 1e+30, 1e-05, 1e+30, 0.5), False), ('nograd', 'softmax_last', 4), ('unary', 'long', 5)]),
    ('unary:ceil',
     [('new', (2, 3), 'float32', (-1e-30, 0.5, 1e+30, 1e-05, -1e-30, 1e-05), True), ('new', (1, 3), 'float64', (7.0, -inf, inf), False), ('unary', 'sin', 1), ('new', (2, 0), 'bool', (), False), ('scalar', 'rsub', 1, 2, False), ('new', (2, 0), 'bool', (), False), ('view', 'transpose', 0), ('view', 'unflatten', 5), ('unary', 'ceil', 7)]),
    ('nograd:floor',
     [('new', (1,), 'float64', (1.0,), False), ('unary', 'isinf', 0), ('nograd', 'floor', 1)]),
    ('binary:mul',
     [('new', (4, 1, 3), 'float64', (1e+30, nan, 1e-05, 1e-05, 0.5, -1e-30, -0.0, -0.0, 1.0, 1e+30, 1e+30, 0.0), True), ('binary', 'copysign', 0, 0), ('unary', 'sign', 0), ('unary', 'frac', 1), ('scalar', 'gt', 0, True, False), ('binary', 'mul', 4, 3)]),
    ('nograd:frac',
     [('new', (3,), 'int64', (7, 7, 0), False), ('new', (3,), 'int64', (-3, 7, 1), False), ('new', (3,), 'float64', (-1.5, -0.0, 0.0), True), ('new', (1,), 'float64', (1.0,), False), ('view', 'mT', 0), ('scalar', 'mul', 2, 10000000000.0, False), ('new', (2, 3, 4), 'int64', (7, 1, -1, -1, 7, -3, 7, 1, 7, 2, 5, -1, -3, 1, 7, -3, 1, 1, -1, 2, 0, 5, 1, -3), False), ('nograd', 'frac', 6)]),
    ('view:unflatten',
     [('new', (1, 3), 'bool', (False, False, True), False), ('new', (0,), 'float32', (), True), ('new', (), 'bool', (False,), False), ('view', 'getitem_none', 0), ('scalar', 'rsub', 3, -1, False), ('unary', 'float', 2), ('reduce', 'mean', 3, -1, False), ('scalar', 'sub', 0, True, True), ('reduce', 'std', 5, -1, True), ('scalar', 'sub', 8, 0.5, True), ('view', 'unflatten', 9)]),
    ('binary:ge',
     [('new', (1, 3), 'float32', (0.5, 7.0, 1e+30), False), ('view', 'contiguous', 0), ('unary', 'rsqrt', 0), ('binary', 'copysign', 1, 2), ('new', (1,), 'float32', (0.5,), False), ('new', (), 'float32', (-1e-30,), False), ('reduce', 'var', 0, 1, False), ('unary', 'sinh', 0), ('new', (2, 3, 4), 'int64', (0, 0, 5, 7, 5, 2, 1, 5, -1, 0, 1, -1, -1, 1, 7, -3, -1, 0, -1, -1, 1, -3, -1, 7), False), ('view', 'diagonal', 5), ('unary', 'logical_not', 4), ('reduce', 'prod', 2, 1, False), ('scalar', 'pow', 1, 0.5, True), ('binary', 'bitwise_and', 10, 2), ('view', 'permute_rev', 8), ('binary', 'ge', 14, 14)]),
    ('nograd:long',
     [('new', (3, 1), 'float64', (nan, 0.5, 0.0), True), ('reduce', 'min', 0, None, True), ('unary', 'sigmoid', 1), ('nograd', 'long', 2)]),
    ('binary:copysign',
     [('new', (3, 1), 'float64', (0.5, -0.0, -inf), False), ('view', 'getitem_none', 0), ('binary', 'copysign', 1, 0)]),
    ('view:mT',
     [('new', (3,), 'bool', (False, True, False), False), ('backward', 0, True), ('view', 'select0', 0), ('view', 'mT', 1)]),
    ('inplace:add_',
     [('new', (2, 3, 4), 'float64', (inf, -0.0, 1.0, -3.0, 1e-05, 7.0, -3.0, -1.5, 123.456, inf, nan, 7.0, 1e+30, 2.25, -3.0, -3.0, 1e+30, -3.0, -1.5, -3.0, 0.0, -1e-30, -0.0, 2.25), True), ('new', (2, 3), 'int64', (-1, 1, -3, 7, 1, -3), False), ('inplace', 'copy_', 1, 1), ('setitem', 'mask', 0, 3.0, 0), ('backward', 0, False), ('scalar', 'sub', 0, 10000000000.0, True), ('backward', 1, False), ('reduce', 'amin', 0, 0, False), ('reduce', 'logsumexp', 3, 0, False), ('print', 3), ('requires_grad', 3), ('reduce', 'cumprod', 2, None, False), ('detach', 0), ('detach', 1), ('unary', 'rsqrt', 3), ('new', (3, 1), 'bool', (True, False, True), False), ('inplace', 'add_', 1, 6)]),
    ('nograd:ceil',
     [('new', (2, 3, 4), 'float32', (0.5, 0.0, -3.0, 7.0, -1e-30, 2.25, 1e-05, -3.0, -3.0, -1e-30, 2.25, nan, 0.0, 1e-05, -3.0, inf, 1e-05, -inf, -3.0, 2.25, 1.0, 7.0, -inf, -1.5), True), ('new', (1,), 'float64', (1e-05,), True), ('inplace', 'pow_', 1, 1), ('reduce', 'cumprod', 1, 1, True), ('scalar', 'pow', 2, -0.0, True), ('new', (3,), 'float64', (7.0, -0.0, -0.0), True), ('new', (4, 1, 3), 'bool', (False, False, False, True, False, False, True, False, True, True, True, True), False), ('setitem', 'mask', 3, 3.0, 2), ('new', (2, 0), 'float32', (), True), ('detach', 5), ('grad_of', 3), ('binary', 'maximum', 5, 0), ('nograd', 'ceil', 5)]),
    ('binary:div',
     [('new', (), 'float32', (-3.0,), False), ('binary', 'copysign', 0, 0), ('binary', 'where', 0, 1), ('view', 'flatten', 0), ('binary', 'pow', 0, 3), ('setitem', 'int', 3, 0.5, 2), ('view', 'narrow', 4), ('requires_grad', 0), ('backward', 5, False), ('scalar', 'pow', 2, -0.0, False), ('binary', 'mul', 2, 6), ('binary', 'div', 3, 1)]),
    ('scalar:rsub',
     [('new', (2, 3, 4), 'int64', (1, -3, -3, 1, 5, -3, 7, 0, 5, -3, 7, 5, -1, 1, 7, 1, 7, -1, 0, 2, 7, 7, -3, 7), False), ('view', 'diagonal', 0), ('scalar', 'rsub', 1, -0.0, False)]),
    ('requires_grad',
     [('new', (2, 3), 'float32', (1.0, -inf, 7.0, -1.5, 2.25, -1.5), False), ('new', (2, 3, 4), 'bool', (True, False, True, False, True, True, False, False, False, True, True, False, True, True, True, False, False, True, False, True, True, False, False, False), False), ('view', 'squeeze', 0), ('inplace', 'relu_', 0, 2), ('requires_grad', 2)]),
    ('inplace:index_fill_',
     [('new', (0,), 'bool', (), False), ('new', (3,), 'float32', (123.456, inf, -0.0), True), ('inplace', 'index_fill_', 0, 1)]),
    ('unary:square',
     [('new', (1,), 'float32', (inf,), False), ('new', (2, 0), 'float32', (), False), ('new', (2, 3), 'int64', (1, -1, 0, 0, -3, -1), False), ('view', 'getitem_none', 0), ('setitem', 'tensor_value', 1, 0.5, 2), ('binary', 'add_alpha', 0, 2), ('requires_grad', 0), ('unary', 'square', 3)]),
    ('inplace:sub_',
     [('new', (4, 1, 3), 'int64', (7, -3, 2, 2, 5, 7, 5, -1, 1, 2, 2, 5), False), ('new', (), 'float64', (0.5,), True), ('new', (2, 3), 'float32', (123.456, 1e+30, -1e-30, 123.456, 7.0, 2.25), True), ('inplace', 'sub_', 0, 2)]),
    ('scalar:add',
     [('new', (0,), 'float64', (), False), ('new', (3,), 'float32', (1.0, -1.5, inf), True), ('unary', 'bool', 1), ('inplace', 'exp_', 0, 2), ('unary', 'clone', 0), ('new', (0,), 'float64', (), False), ('inplace', 'add_', 4, 3), ('binary', 'pow', 4, 1), ('view', 'permute_rev', 4), ('scalar', 'sub', 2, 2, False), ('inplace', 'div_', 1, 5), ('unary', 'double', 6), ('new', (2, 3), 'float64', (-1.5, -0.0, inf, 1e-05, 2.25, 123.456), False), ('grad_of', 5), ('scalar', 'sub', 8, 3.0, False), ('setitem', 'int', 7, 2, 0), ('view', 'getitem_none', 8), ('binary', 'logical_and', 7, 6), ('requires_grad', 4), ('scalar', 'add', 6, 10000000000.0, False)]),
    ('reduce:std',
     [('new', (0,), 'bool', (), False), ('new', (1, 3), 'float32', (-1e-30, 123.456, 1.0), True), ('view', 't', 0), ('reduce', 'all', 0, None, True), ('new', (4, 1, 3), 'float32', (inf, 123.456, 2.25, 1.0, -1e-30, 123.456, -0.0, 1e+30, 1e-05, nan, -1e-30, inf), False), ('backward', 3, True), ('view', 'unsqueeze0', 3), ('view', 'getitem_mask', 5), ('scalar', 'mul', 5, -0.0, False), ('inplace', 'zero_', 5, 3), ('scalar', 'gt', 3, True, True), ('setitem', 'tensor_value', 0, 3.0, 6), ('view', 'mT', 2), ('new', (2, 3), 'int64', (1, 0, 1, -3, 7, 7), False), ('view', 'transpose', 3), ('reduce', 'std', 4, -1, False)]),
    ('binary:maximum',
     [('new', (2, 3), 'float32', (0.0, 0.5, 123.456, -0.0, 2.25, 1e+30), False), ('backward', 0, False), ('new', (), 'float64', (7.0,), True), ('reduce', 'norm', 0, 0, True), ('binary', 'maximum', 0, 2)]),
    ('unary:bool',
     [('new', (), 'float64', (7.0,), True), ('new', (2, 3), 'int64', (1, -3, -3, 7, 2, 5), False), ('new', (2, 0), 'float64', (), True), ('reduce', 'cumprod', 2, -1, False), ('reduce', 'any', 1, 0, False), ('view', 't', 0), ('backward', 2, True), ('setitem', 'ellipsis', 2, 0.5, 1), ('view', 't', 3), ('unary', 'cos', 2), ('grad_of', 2), ('binary', 'remainder', 2, 1), ('inplace', 'neg_', 7, 7), ('unary', 'sigmoid', 4), ('binary', 'minimum', 9, 0), ('view', 'chunk_last', 4), ('inplace', 'mul_', 0, 3), ('detach', 6), ('new', (0,), 'bool', (), False), ('new', (2, 0), 'bool', (), False), ('inplace', 'fill_', 11, 4), ('scalar', 'div', 14, -1, True), ('unary', 'bool', 12)]),
]
