"""What the fuzz campaigns found and is not fixed yet.

``KNOWN``: failure class (``programs.signature`` of the failing step) -> why jtorch differs.
A program of the suite's slice that fails in a known class passes (the class is a known
gap); one failing in any other class fails the test. ``PROGRAMS``: the shrunk program of each
class, run as a strict xfail in ``test_fuzz.py`` (it turns red once the class is fixed, and
the class should then leave ``KNOWN``).
"""

inf, nan = float("inf"), float("nan")

KNOWN = {
    'backward':
        "open causes: torch saves a Python number in a tensor's place (x * -1's MulBackward0 saves a wrapped-number tensor: a second backward raises 'Trying to backward through the graph a second time'; jtorch/_record.saved_entries saves no number); the saved-version message names a Backward1 node 'Prod1' in torch ('Prod' in _record.describe); div's gradient w.r.t. other is -g * ((a / b) / b) in torch; atan2's backward with a bool operand raises torch's bool-negation error; a view of a base that later requires grad (see 'print')",
    'binary:div':
        "a view taken before its base's requires_grad_() does not require grad in jtorch (torch's does, so the op on it records a node): view autograd (_view_autograd), not the op. ('torch.float32', (1,), (1,), False, None, True, 0) != torch's ('torch.float32', (1,), (1,), True, 'DivBackward0', False, 0)",
    'binary:pow':
        "a view taken before its base's requires_grad_() does not require grad in jtorch (torch's does, so the op on it records a node): view autograd (_view_autograd), not the op. ('torch.float32', (1,), (1,), False, None, True, 0) != torch's ('torch.float32', (1,), (1,), True, 'PowBackward1', False, 0)",
    'print':
        "a view taken before its base's requires_grad_() requires grad in torch (DifferentiableViewMeta: through its base), with no grad_fn; jtorch's views take requires_grad when made (printed without requires_grad=True)",
    'scalar:add':
        "a view taken before its base's requires_grad_() does not require grad in jtorch (torch's does, so the op on it records a node): view autograd (_view_autograd), not the op. ('torch.float64', (0,), (1,), False, None, True, 0) != torch's ('torch.float64', (0,), (1,), True, 'AddBackward0', False, 0)",
    'unary:bool':
        "conversion of an empty permuted tensor keeps torch's preserve_format strides (conversion.py). ('torch.bool', (0, 2), (2, 1), False, None, True, 0) != torch's ('torch.bool', (0, 2), (1, 1), False, None, True, 0)",
    'unary:clone':
        "clone's preserve_format keeps a dense input's exact strides (size-1 dims too) (shape.py). ('torch.bool', (1, 1), (1, 1), False, None, True, 0) != torch's ('torch.bool', (1, 1), (2, 1), False, None, True, 0)",
    'unary:isinf':
        "isinf/isfinite of an integral tensor is torch's zeros_like/ones_like (preserve_format: a dense input's exact strides, also for empty or size-1 dims), not TensorIterator's layout. ('torch.bool', (0, 2), (2, 1), False, None, True, 0) != torch's ('torch.bool', (0, 2), (1, 1), False, None, True, 0)",
    'unary:square':
        "a view taken before its base's requires_grad_() does not require grad in jtorch (torch's does, so the op on it records a node): view autograd (_view_autograd), not the op. ('torch.float32', (1, 1), (1, 1), False, None, True, 0) != torch's ('torch.float32', (1, 1), (1, 1), True, 'PowBackward0', False, 0)",
    'inplace:copy_':
        'copy_ (shape.py) lacks torch\'s partial-overlap check (a 0-dim tensor copied from its own 1-element reshape): the element-wise families have it (_arguments.check_no_partial_overlap). (\'err\', \'RuntimeError\', "output with shape [] doesn\'t match the broadcast shape [1]") != torch\'s (\'err\', \'RuntimeError\', \'unsupported operation: some elements of the input tensor and the written-to te',
    'inplace:pow_':
        'torch refuses a bool pow in its kernel, after the in-place shape check; jtorch\'s pow check (which must tell pow(t, True) from pow(t, bool tensor)) runs before it. (\'err\', \'NotImplementedError\', \'"pow" not implemented for \\\'Bool\\\'\') != torch\'s (\'err\', \'RuntimeError\', "output with shape [3, 1] doesn\'t match the broadcast shape [3, 3]")',
    'scalar:rsub':
        "a view taken before its base's requires_grad_() does not require grad in jtorch (torch's does, so the op on it records a node): view autograd (_view_autograd), not the op. ('torch.float32', (), (), False, None, True, 0) != torch's ('torch.float32', (), (), True, 'RsubBackward1', False, 0)",
    'unary:long':
        "conversion (_to_copy, conversion.py) of a permuted tensor: torch's preserve_format keeps the layout, jtorch's result is contiguous. ('torch.int64', (3, 2), (2, 1), ...) != torch's ('torch.int64', (3, 2), (1, 3), ...)",
}

PROGRAMS = [
    ('print',
     [('new', (), 'bool', (True,), False), ('new', (4, 1, 3), 'float32', (7.0, 1e-05, 7.0, 1e-05, 2.25, nan, -1e-30, 1.0, 0.0, inf, 7.0, 0.5), True), ('new', (0,), 'float64', (), False), ('view', 'unsqueeze0', 0), ('view', 'mT', 2), ('view', 'squeeze', 2), ('requires_grad', 2), ('print', 5)]),
    ('unary:clone',
     [('new', (1,), 'bool', (True,), False), ('reduce', 'sum', 0, 1, False), ('view', 'getitem_none', 1), ('view', 'getitem_none', 0), ('unary', 'abs', 2), ('view', 'permute_rev', 3), ('unary', 'clone', 5)]),
    ('unary:isinf',
     [('new', (2, 0), 'bool', (), False), ('view', 'permute_rev', 0), ('unary', 'isinf', 1)]),
    ('backward',
     [('new', (1,), 'float32', (2.0,), True), ('scalar', 'mul', 0, -1, False), ('backward', 1, False), ('backward', 1, False)]),
    ('binary:div',
     [('new', (), 'float32', (-3.0,), False), ('binary', 'copysign', 0, 0), ('binary', 'where', 0, 1), ('view', 'flatten', 0), ('binary', 'pow', 0, 3), ('setitem', 'int', 3, 0.5, 2), ('view', 'narrow', 4), ('requires_grad', 0), ('backward', 5, False), ('scalar', 'pow', 2, -0.0, False), ('binary', 'mul', 2, 6), ('binary', 'div', 3, 1)]),
    ('unary:square',
     [('new', (1,), 'float32', (inf,), False), ('new', (2, 0), 'float32', (), False), ('new', (2, 3), 'int64', (1, -1, 0, 0, -3, -1), False), ('view', 'getitem_none', 0), ('setitem', 'tensor_value', 1, 0.5, 2), ('binary', 'add_alpha', 0, 2), ('requires_grad', 0), ('unary', 'square', 3)]),
    ('scalar:add',
     [('new', (0,), 'float64', (), False), ('new', (3,), 'float32', (1.0, -1.5, inf), True), ('unary', 'bool', 1), ('inplace', 'exp_', 0, 2), ('unary', 'clone', 0), ('new', (0,), 'float64', (), False), ('inplace', 'add_', 4, 3), ('binary', 'pow', 4, 1), ('view', 'permute_rev', 4), ('scalar', 'sub', 2, 2, False), ('inplace', 'div_', 1, 5), ('unary', 'double', 6), ('new', (2, 3), 'float64', (-1.5, -0.0, inf, 1e-05, 2.25, 123.456), False), ('grad_of', 5), ('scalar', 'sub', 8, 3.0, False), ('setitem', 'int', 7, 2, 0), ('view', 'getitem_none', 8), ('binary', 'logical_and', 7, 6), ('requires_grad', 4), ('scalar', 'add', 6, 10000000000.0, False)]),
    ('unary:bool',
     [('new', (), 'float64', (7.0,), True), ('new', (2, 3), 'int64', (1, -3, -3, 7, 2, 5), False), ('new', (2, 0), 'float64', (), True), ('reduce', 'cumprod', 2, -1, False), ('reduce', 'any', 1, 0, False), ('view', 't', 0), ('backward', 2, True), ('setitem', 'ellipsis', 2, 0.5, 1), ('view', 't', 3), ('unary', 'cos', 2), ('grad_of', 2), ('binary', 'remainder', 2, 1), ('inplace', 'neg_', 7, 7), ('unary', 'sigmoid', 4), ('binary', 'minimum', 9, 0), ('view', 'chunk_last', 4), ('inplace', 'mul_', 0, 3), ('detach', 6), ('new', (0,), 'bool', (), False), ('new', (2, 0), 'bool', (), False), ('inplace', 'fill_', 11, 4), ('scalar', 'div', 14, -1, True), ('unary', 'bool', 12)]),
    ('binary:pow',
     [('new', (3,), 'float32', (2.25, 1.0, 123.456), False), ('view', 'split0', 0), ('requires_grad', 0), ('binary', 'pow', 1, 1)]),
    ('inplace:copy_',
     [('new', (), 'bool', (False,), False), ('detach', 0), ('view', 'reshape_flat', 0), ('inplace', 'copy_', 1, 2)]),
    ('inplace:pow_',
     [('new', (3, 1), 'bool', (False, False, False), False), ('new', (1, 3), 'bool', (False, True, False), False), ('inplace', 'pow_', 0, 1)]),
    ('scalar:rsub',
     [('new', (), 'float32', (2.25,), False), ('view', 'squeeze', 0), ('requires_grad', 0), ('scalar', 'rsub', 1, -0.0, False)]),
    ('unary:long',
     [('new', (2, 3), 'float32', (1e-05, 123.456, 7.0, -3.0, 1e+30, 7.0), False), ('view', 'transpose', 0), ('scalar', 'rsub', 1, 2, True), ('unary', 'long', 2)]),
]
