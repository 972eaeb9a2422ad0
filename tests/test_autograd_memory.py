"""Backward frees what it saved: 10,000 training steps leave no growing graph behind."""
import gc

import numpy as np

import jtorch
from jtorch.autograd.graph import Node


def _live():
    gc.collect()
    objs = gc.get_objects()
    return (sum(isinstance(o, Node) for o in objs),
            sum(isinstance(o, jtorch.Tensor) for o in objs))


def test_ten_thousand_steps_do_not_grow():
    rng = np.random.RandomState(0)
    w1 = jtorch.tensor(rng.randn(4, 8).astype(np.float32), requires_grad=True)
    w2 = jtorch.tensor(rng.randn(8, 1).astype(np.float32), requires_grad=True)
    x = jtorch.tensor(rng.randn(16, 4).astype(np.float32))
    y = jtorch.tensor(rng.randn(16, 1).astype(np.float32))
    live = []
    for i in range(10_000):
        loss = (((x @ w1).relu() @ w2 - y) ** 2).mean()
        loss.backward()
        with jtorch.no_grad():
            w1 -= 0.01 * w1.grad
            w2 -= 0.01 * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()
        if i in (999, 9_999):
            del loss
            live.append(_live())
    assert live[0] == live[1], live
    assert live[1][0] <= 2  # only the two leaves' AccumulateGrad nodes remain
