"""Broadcasting mistakes raise torch's RuntimeError and message (JAX reports them as its own
TypeError/ValueError while tracing: ``_errors`` translates), on the first call and on the
fast and deferred paths alike."""
import pytest

import jtorch

torch = pytest.importorskip("torch")

SHAPES = [((2, 3), (3, 2)), ((2, 3, 4), (3, 2, 4)), ((5,), (3,)), ((2, 1, 3), (4, 2)),
          ((4,), (2, 3))]
OPS = {
    "add": lambda m, a, b: a + b,
    "mul_grad": lambda m, a, b: a.requires_grad_() * b,
    "sub_": lambda m, a, b: a.sub_(b),
    "maximum": lambda m, a, b: m.maximum(a, b),
    "atan2": lambda m, a, b: m.atan2(a, b),
    "where": lambda m, a, b: m.where(a > 0, a, b),
    "lerp": lambda m, a, b: m.lerp(a, b, 0.5),
    "addcmul": lambda m, a, b: m.addcmul(a, a, b),
}


def _error(m, fn, sa, sb):
    try:
        fn(m, m.ones(sa), m.ones(sb))
    except Exception as e:  # noqa: BLE001 - compared with torch's
        return type(e).__name__, str(e)
    return None


@pytest.mark.parametrize("op", sorted(OPS))
@pytest.mark.parametrize("shapes", SHAPES, ids=str)
def test_broadcast_error_is_torchs(op, shapes):
    want = _error(torch, OPS[op], *shapes)
    assert want is not None and want[0] == "RuntimeError"
    for _ in range(3):      # first call, then the fast path (and a deferred neighbour)
        ok = jtorch.ones(shapes[0]) + jtorch.ones(shapes[0])    # warms add's entries
        assert ok.shape == tuple(shapes[0])
        assert _error(jtorch, OPS[op], *shapes) == want
