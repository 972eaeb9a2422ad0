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
        "open causes: a leaf's first .grad keeps the incoming gradient's strides in torch when they obey the layout contract (AccumulateGrad steals it: sinh(x.permute(1, 0)) gives x of shape (1, 3) a .grad with strides (1, 1)); jtorch's gradients carry no layout and .grad is laid out like the leaf; gradient values at special points where torch's derivative formulas and JAX's differ in the sign of a zero or NaN against 0 (e.g. -0. against 0. in a sum of gradient contributions); a failed backward still frees (and accumulates) the nodes torch ran before the failing one",
    'view:getitem_neg':
        "torch's int index on a 0-dim tensor reads the size of a dim the tensor lacks (a stale value): a 0-dim result squeezed in place from a 1-element dim (min/max/kthvalue/mode/aminmax over a dim) takes it as 1, so t[-1] reaches select() ('select() cannot be applied to a 0-dim tensor.') and t[1] says 'with size 1'; jtorch answers as for any other 0-dim tensor (size 0). ('err', 'IndexError', 'index -1 is out of bounds for dimension 0 with size 0') != torch's ('err', 'IndexError', 'select() cannot be applied to a 0-dim tensor.')",
    'setitem:neg':
        "as 'view:getitem_neg': t[-1] = v on a 0-dim tensor squeezed in place from a 1-element dim (max/min/kthvalue/mode/aminmax over a dim) reads a stale size 1 in torch and reaches select() ('select() cannot be applied to a 0-dim tensor.'); jtorch answers as for any 0-dim tensor. ('err', 'IndexError', 'index -1 is out of bounds for dimension 0 with size 0') != torch's ('err', 'IndexError', 'select() cannot be applied to a 0-dim tensor.')",
}

PROGRAMS = [
    ('backward',
     [('new', (1, 3), 'float64', (7.0, -0.0, 1.0), True), ('view', 'permute_rev', 0), ('unary', 'sinh', 1), ('backward', 2, False)]),
    ('view:getitem_neg',
     [('new', (3, 1), 'float64', (-0.0, -0.0, 1e+30), True), ('view', 'select0', 0), ('reduce', 'min', 1, -1, False), ('view', 'getitem_neg', 2)]),
    ('setitem:neg',
     [('new', (3,), 'float32', (2.25, 0.0, -inf), False), ('reduce', 'max', 0, 0, False), ('setitem', 'neg', 1, 2, 0)]),
]
