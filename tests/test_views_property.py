"""Property tests: random view/in-place sequences and random index keys, torch vs jtorch."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jtorch

torch = pytest.importorskip("torch")

SETTINGS = settings(max_examples=300, derandomize=True, deadline=None,
                    suppress_health_check=list(HealthCheck))


def _apply(step, m, v):
    """Apply one step to view ``v`` of module ``m``; returns the new current view."""
    kind, a, b, c = step
    nd = v.dim()
    if kind == "transpose" and nd >= 2:
        return v.transpose(a % nd, b % nd)
    if kind == "select" and nd >= 1 and v.shape[a % nd] > 0:
        d = a % nd
        return v.select(d, b % v.shape[d])
    if kind == "slice" and nd >= 1:
        d = a % nd
        n = v.shape[d]
        start = (b % (n + 1)) - (n if c % 2 else 0)
        return v[(slice(None),) * d + (slice(start, None, 1 + c % 3),)]
    if kind == "narrow" and nd >= 1 and v.shape[a % nd] > 0:
        d = a % nd
        n = v.shape[d]
        s = b % n
        return v.narrow(d, s, 1 + c % (n - s))
    if kind == "unsqueeze":
        return v.unsqueeze(a % (nd + 1))
    if kind == "squeeze":
        return v.squeeze()
    if kind == "permute" and nd >= 1:
        perm = list(np.random.RandomState(a).permutation(nd))
        return v.permute(*perm)
    if kind == "diagonal" and nd >= 2:
        return v.diagonal(b % 3 - 1, 0, 1)
    if kind == "view_flat":
        return v.view(-1)   # may raise: both libraries must then raise
    if kind == "add_":
        return v.add_(a - 2)
    if kind == "mul_":
        return v.mul_(b % 3 - 1)
    if kind == "fill_":
        return v.fill_(c)
    if kind == "zero_":
        return v.zero_()
    if kind == "setitem" and nd >= 1 and v.shape[0] > 0:
        v[a % v.shape[0]] = b
        return v
    if kind == "copy_":
        v.copy_(m.full(tuple(v.shape[1:]) if nd else (), float(c)))
        return v
    return v


KINDS = ["transpose", "select", "slice", "narrow", "unsqueeze", "squeeze", "permute",
         "diagonal", "view_flat", "add_", "mul_", "fill_", "zero_", "setitem", "copy_"]
steps = st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 7), st.integers(0, 7),
                           st.integers(0, 7)), min_size=1, max_size=8)
shapes = st.lists(st.integers(1, 4), min_size=1, max_size=4)


@SETTINGS
@given(shape=shapes, seq=steps)
def test_random_view_and_inplace_sequences(shape, seq):
    n = int(np.prod(shape))
    bases = {m: m.arange(float(n)).view(*shape) for m in (torch, jtorch)}
    views = dict(bases)
    for step in seq:
        errors = {}
        for m in (torch, jtorch):
            try:
                views[m] = _apply(step, m, views[m])
            except (RuntimeError, IndexError, ValueError) as e:
                errors[m] = type(e)
        assert errors.get(torch) == errors.get(jtorch), (step, errors)
        if errors:
            break
        tv, jv = views[torch], views[jtorch]
        assert tuple(tv.shape) == tuple(jv.shape)
        assert tv.stride() == jv.stride(), step
        assert tv.is_contiguous() == jv.is_contiguous()
    np.testing.assert_array_equal(bases[jtorch].numpy(), bases[torch].numpy())
    np.testing.assert_array_equal(views[jtorch].numpy(), views[torch].numpy())
    assert bases[jtorch]._version == bases[torch]._version


def _key_part(draw, size):
    kind = draw(st.sampled_from(["int", "slice", "none", "list", "mask", "ellipsis", "neg"]))
    if kind == "int":
        return draw(st.integers(-size - 1, size))   # may be out of range
    if kind == "neg":
        return slice(None, None, -1)
    if kind == "slice":
        lo = draw(st.one_of(st.none(), st.integers(-size - 2, size + 2)))
        hi = draw(st.one_of(st.none(), st.integers(-size - 2, size + 2)))
        return slice(lo, hi, draw(st.one_of(st.none(), st.integers(1, 3))))
    if kind == "none":
        return None
    if kind == "list":
        return draw(st.lists(st.integers(-size, size), min_size=1, max_size=3))
    if kind == "mask":
        return ("mask", draw(st.lists(st.booleans(), min_size=size, max_size=size)))
    return Ellipsis


@st.composite
def keys(draw):
    shape = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    parts, dim = [], 0
    for _ in range(draw(st.integers(1, 3))):
        size = shape[dim] if dim < len(shape) else 1
        p = _key_part(draw, size)
        if p is Ellipsis and Ellipsis in parts:
            continue
        parts.append(p)
        if p is not None and p is not Ellipsis:
            dim += 1
    return shape, tuple(parts)


def _materialise(m, key):
    return tuple(m.tensor(k[1]) if isinstance(k, tuple) else
                 (m.tensor(k) if isinstance(k, list) else k) for k in key)


@SETTINGS
@given(case=keys(), value=st.sampled_from(["scalar", "row"]))
def test_random_getitem_setitem(case, value):
    shape, key = case
    n = int(np.prod(shape))
    outs = {}
    for m in (torch, jtorch):
        x = m.arange(float(n)).view(*shape)
        k = _materialise(m, key)
        try:
            got = x[k].clone()
        except (IndexError, ValueError, RuntimeError) as e:
            outs[m] = ("error", type(e))
            continue
        y = m.zeros(*shape)
        try:
            if value == "scalar":
                y[k] = 5.0
            else:
                y[k] = m.arange(float(got.shape[-1])) if got.dim() else 3.0
            outs[m] = ("ok", got.numpy(), y.numpy())
        except (IndexError, ValueError, RuntimeError) as e:
            outs[m] = ("set-error", got.numpy(), type(e))
    t, j = outs[torch], outs[jtorch]
    assert t[0] == j[0], (shape, key, t, j)
    if t[0] == "error":
        assert t[1] is j[1], (shape, key, t[1], j[1])
        return
    np.testing.assert_array_equal(j[1], t[1])
    if t[0] == "ok":
        np.testing.assert_array_equal(j[2], t[2])
    else:
        assert t[2] is j[2]
