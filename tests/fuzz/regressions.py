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
        "open causes: torch saves a Python number in a tensor's place (x * -1's MulBackward0 saves a wrapped-number tensor: a second backward raises 'Trying to backward through the graph a second time'; jtorch/_record.saved_entries saves no number); the saved-version message names a Backward1 node 'Prod1' in torch ('Prod' in _record.describe); div's gradient w.r.t. other is -g * ((a / b) / b) in torch; atan2's backward with a bool operand raises torch's bool-negation error",
    'view:getitem_neg':
        "torch's int index on a 0-dim tensor reads the size of a dim the tensor lacks (a stale value): a 0-dim result squeezed in place from a 1-element dim (min/max/kthvalue/mode/aminmax over a dim) takes it as 1, so t[-1] reaches select() ('select() cannot be applied to a 0-dim tensor.') and t[1] says 'with size 1'; jtorch answers as for any other 0-dim tensor (size 0). ('err', 'IndexError', 'index -1 is out of bounds for dimension 0 with size 0') != torch's ('err', 'IndexError', 'select() cannot be applied to a 0-dim tensor.')",
    'setitem:neg':
        "as 'view:getitem_neg': t[-1] = v on a 0-dim tensor squeezed in place from a 1-element dim (max/min/kthvalue/mode/aminmax over a dim) reads a stale size 1 in torch and reaches select() ('select() cannot be applied to a 0-dim tensor.'); jtorch answers as for any 0-dim tensor. ('err', 'IndexError', 'index -1 is out of bounds for dimension 0 with size 0') != torch's ('err', 'IndexError', 'select() cannot be applied to a 0-dim tensor.')",
}

PROGRAMS = [
    ('backward',
     [('new', (1,), 'float32', (2.0,), True), ('scalar', 'mul', 0, -1, False), ('backward', 1, False), ('backward', 1, False)]),
    ('view:getitem_neg',
     [('new', (3, 1), 'float64', (-0.0, -0.0, 1e+30), True), ('view', 'select0', 0), ('reduce', 'min', 1, -1, False), ('view', 'getitem_neg', 2)]),
    ('setitem:neg',
     [('new', (3,), 'float32', (2.25, 0.0, -inf), False), ('reduce', 'max', 0, 0, False), ('setitem', 'neg', 1, 2, 0)]),
]
