"""torch.testing.assert_close against torch: which inputs pass, and the exact failure text."""
import pytest

import jtorch

torch = pytest.importorskip("torch")


def _cases(m):
    nan = float("nan")
    return [
        (m.tensor([1., 2., 3.]), m.tensor([1., 2.5, 3.]), {}),
        (m.tensor([1., 2., 3.]), m.tensor([1., 2., 3.], dtype=m.float64), {}),
        (m.tensor([1., 2.]), m.tensor([1., 2.], dtype=m.float64), {"check_dtype": False}),
        (m.tensor([1, 2]), m.tensor([1, 3]), {}), (m.ones(2, 2), m.ones(3), {}),
        (m.tensor([[1., nan]]), m.tensor([[1., nan]]), {}),
        (m.tensor([1., nan]), m.tensor([1., nan]), {"equal_nan": True}),
        (1.0, 1.5, {}), (3, 3, {}), (True, False, {}), ([m.ones(2)], [m.zeros(2)], {}),
        ({"a": m.ones(1)}, {"a": m.zeros(1)}, {}),
        (m.tensor([1., 2.]), m.tensor([1., 2.1]), {"rtol": 0.1, "atol": 0}),
        (m.tensor([0., 2.]), m.tensor([1e-9, 3.]), {}), (m.tensor(True), m.tensor(False), {}),
        (m.tensor(1.5), m.tensor(1.0), {}),
        (m.tensor([1., 2.]), m.tensor([1., 2.]), {"rtol": 0.1}),
        (m.tensor([[1., 2.], [3, 4]]), m.tensor([[1., 2.], [3, 4.5]]), {}),
        (m.tensor([1., 2.]), m.tensor([1., 2.5]), {"msg": "custom"}),
        (m.ones(3).half(), m.ones(3).half() * 1.0005, {}),
    ]


@pytest.mark.parametrize("k", range(len(_cases(torch))))
def test_assert_close(k):
    results = []
    for m in (torch, jtorch):
        a, b, kw = _cases(m)[k]
        try:
            m.testing.assert_close(a, b, **kw)
            results.append("ok")
        except Exception as e:   # noqa: BLE001 - comparing which exception and its text
            results.append((type(e).__name__, str(e)))
    assert results[1] == results[0]
