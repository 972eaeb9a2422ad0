"""What the fuzz campaigns found and is not fixed yet.

``KNOWN``: failure class (``programs.signature`` of the failing step) -> why jtorch differs.
A program of the suite's slice that fails in a known class passes (the class is a known
gap); one failing in any other class fails the test. ``PROGRAMS``: the shrunk program of each
class, run as a strict xfail in ``test_fuzz.py`` (it turns red once the class is fixed, and
the class should then leave ``KNOWN``).
"""

inf, nan = float("inf"), float("nan")

KNOWN = {
    'view:getitem_neg':
        "torch's int index on a 0-dim tensor reads the size of a dim the tensor lacks (a stale value): a 0-dim result squeezed in place from a 1-element dim (min/max/kthvalue/mode/aminmax over a dim) takes it as 1, so t[-1] reaches select() ('select() cannot be applied to a 0-dim tensor.') and t[1] says 'with size 1'; jtorch answers as for any other 0-dim tensor (size 0). ('err', 'IndexError', 'index -1 is out of bounds for dimension 0 with size 0') != torch's ('err', 'IndexError', 'select() cannot be applied to a 0-dim tensor.')",
    'setitem:neg':
        "as 'view:getitem_neg': t[-1] = v on a 0-dim tensor squeezed in place from a 1-element dim (max/min/kthvalue/mode/aminmax over a dim) reads a stale size 1 in torch and reaches select() ('select() cannot be applied to a 0-dim tensor.'); jtorch answers as for any 0-dim tensor. ('err', 'IndexError', 'index -1 is out of bounds for dimension 0 with size 0') != torch's ('err', 'IndexError', 'select() cannot be applied to a 0-dim tensor.')",
}

# Causes of a failure that ``interpret.failure_class`` reads from torch's state before the
# failing step (a class ``unary:sqrt@subnormal``): departures recorded in the README's
# "Known differences", known whatever the op.
CAUSES = {
    "subnormal":
        "XLA's CPU backend flushes subnormal floats to zero (no XLA flag lifts it): a value "
        "torch holds as -1e-40 is -0. in jtorch, so e.g. sqrt gives -0. where torch gives NaN",
    "aliased":
        "an in-place op whose operand shares the target's memory (x.add_(x[:, 1:2])): torch's "
        "overlap check answers TOO_HARD and its CPU loop reads elements it has already "
        "written, jtorch reads the whole operand first (torch leaves the result unspecified)",
    "inherited":
        "torch's step run on jtorch's operands gives jtorch's result: every earlier step "
        "agreed with torch within its tolerance (float32 transcendentals differ by an ulp "
        "between torch's vector kernels and XLA's), and this step amplifies that rounding "
        "(cos of a large argument, log near 1, a remainder) beyond its own tolerance",
    "blas_zero_sign":
        "a matrix product over one term whose zeros differ from torch's only in sign: torch's "
        "sign depends on the BLAS routine its shapes pick (gemm keeps -0. * 7. = -0., gemv and "
        "small batched products sum from +0.), XLA's dot always sums from +0.",
    "torch_assert":
        "torch fails an internal assertion (a torch bug: the backward of pow with a bool Python "
        "base reads its saved number as 'unknown ivalue tag 4'); jtorch computes the result",
    "grad_layout":
        "a leaf's first .grad keeps the incoming gradient's strides in torch when they obey the "
        "layout contract (AccumulateGrad steals it), which for a shape with size-1 dims can "
        "differ from the leaf's own strides; jtorch's gradients carry no layout, so .grad is "
        "laid out like the leaf",
    "grad_zero_sign":
        "gradient values equal torch's but for the sign of zeros: torch reduces a broadcast "
        "operand's gradient with a sum that starts from +0. (a single -0. over a size-1 dim "
        "becomes 0.), XLA's reduction of one element is the element itself (-0.); torch's "
        "derivative formulas and JAX's transpose rules also add zero contributions in "
        "different orders",
    "grad_nan":
        "a gradient at a special point (0, inf, NaN inputs) is NaN where torch's is a number or "
        "the reverse: torch's hand-written derivative formulas and JAX's autodiff of the same "
        "function evaluate 0 * inf at different places",
    "grad_rounding":
        "a gradient within 100 times its tolerance of torch's: derivative formulas that cancel "
        "(tanh's 1 - y * y, softmax's y * (g - sum(g * y))) amplify the one-ulp difference of "
        "a saved float32 output (XLA's tanh/exp against torch's vector kernels)",
    "0dim_exponent":
        "torch special-cases only a Python-number exponent of pow (sqrt for 0.5: pow(-0., "
        "0.5) = -0.) and computes a 0-dim tensor exponent with std::pow (+0.); jtorch's pow "
        "kernel receives both as the same 0-dim array and special-cases both",
}


def is_known(cls):
    """A failure class is known by name or by its cause tag."""
    return cls in KNOWN or cls.partition("@")[2] in CAUSES


def reason(cls):
    return KNOWN.get(cls) or CAUSES[cls.partition("@")[2]]


PROGRAMS = [
    ('backward@grad_layout',
     [('new', (1, 3), 'float64', (7.0, -0.0, 1.0), True), ('view', 'permute_rev', 0), ('unary', 'sinh', 1), ('backward', 2, False)]),
    ('view:getitem_neg',
     [('new', (3, 1), 'float64', (-0.0, -0.0, 1e+30), True), ('view', 'select0', 0), ('reduce', 'min', 1, -1, False), ('view', 'getitem_neg', 2)]),
    ('setitem:neg',
     [('new', (3,), 'float32', (2.25, 0.0, -inf), False), ('reduce', 'max', 0, 0, False), ('setitem', 'neg', 1, 2, 0)]),
    ('scalar:pow@0dim_exponent',
     [('new', (), 'float32', (0.5,), False), ('scalar', 'pow', 0, -0.0, True)]),
    ('inplace:sub_@aliased',
     [('new', (2, 3), 'bool', (False, False, True, False, False, True), False), ('binary', 'eq', 0, 0), ('unary', 'rsqrt', 0), ('binary', 'ge', 1, 0), ('binary', 'logical_and', 0, 1), ('view', 'narrow', 2), ('inplace', 'sub_', 2, 5)]),
    ('binary:matmul@blas_zero_sign',
     [('new', (1,), 'int64', (7,), False), ('new', (1, 3), 'float64', (7.0, -0.0, -inf), False), ('unary', 'atan', 1), ('new', (2, 3, 4), 'float32', (-inf, inf, -1e-30, 0.5, nan, 0.0, 0.5, 2.25, 1e+30, 1e-05, nan, nan, -0.0, 123.456, nan, 0.5, 0.5, 0.5, 123.456, -1.5, 0.0, 1e-05, -3.0, 1e-05), True), ('new', (3, 1), 'bool', (False, True, False), False), ('unary', 'atan', 0), ('unary', 'erf', 0), ('view', 'mT', 1), ('nograd', 'asinh', 7), ('binary', 'matmul', 8, 1)]),
    ('backward@grad_rounding',
     [('new', (1, 3), 'float64', (1e+30, -inf, nan), True), ('new', (4, 1, 3), 'float32', (123.456, 0.5, 0.0, 2.25, 2.25, 1.0, 1e-05, 1e-05, -1.5, 123.456, inf, 1e-05), True), ('nograd', 'log1p', 1), ('nograd', 'float', 1), ('unary', 'softmax_last', 3), ('backward', 4, True)]),
    ('unary:neg@inherited',
     [('new', (4, 1, 3), 'int64', (1, -3, 2, 0, 2, 7, 2, 0, -3, 1, 0, 7), False), ('new', (3,), 'int64', (0, 5, -3), False), ('unary', 'tanh', 0), ('binary', 'remainder', 1, 2), ('unary', 'neg', 3)]),
    ('print@subnormal',
     [('new', (4, 1, 3), 'float32', (-1.5, -1e-30, -3.0, 2.25, 7.0, -0.0, 123.456, -3.0, -1e-30, 1e-05, nan, -inf), False), ('scalar', 'div', 0, 10000000000.0, False), ('print', 1)]),
    ('backward@torch_assert',
     [('new', (3,), 'float64', (nan, -3.0, 0.5), True), ('scalar', 'pow', 0, True, True), ('backward', 1, False)]),
    ('backward@grad_nan',
     [('new', (2, 3, 4), 'float64', (1e+30, 123.456, -1.5, 0.5, 7.0, -1e-30, 1.0, -1.5, -1.5, 123.456, -1.5, 0.0, -0.0, -3.0, -1.5, 7.0, -1.5, 0.5, 7.0, 1.0, -inf, 7.0, inf, 0.5), False), ('requires_grad', 0), ('unary', 'log1p', 0), ('reduce', 'prod', 1, None, True), ('reduce', 'prod', 1, 1, True), ('unary', 'sinh', 2), ('unary', 'erf', 4), ('backward', 5, False)]),
]
