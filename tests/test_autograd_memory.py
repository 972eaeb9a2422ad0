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


def test_a_graph_is_freed_by_reference_counting():
    """Dropping a forward graph frees it at once: no reference cycle is left for the cyclic
    collector (relu saves its output, which holds the node as its grad_fn; the node must not
    hold the output strongly back)."""
    rng = np.random.RandomState(0)
    w = jtorch.tensor(rng.randn(4, 4).astype(np.float32), requires_grad=True)
    x = jtorch.tensor(rng.randn(8, 4).astype(np.float32))

    def steps():
        for _ in range(4):      # the fused backward compiles from the third repeat
            loss = ((x @ w).relu().sigmoid().tanh() * 2).sum()
            del loss
            loss = ((x @ w.t()).relu() ** 2).mean()
            loss.backward()
            del loss
    steps()                     # compiling leaves JAX's own garbage: warm up first
    gc.collect()
    gc.disable()
    try:
        steps()
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_in_place_error_names_a_saved_output_as_torch_does():
    """The saved-output description (held weakly) is torch's text."""
    import pytest
    torch = pytest.importorskip("torch")
    messages = []
    for m in (torch, jtorch):
        a = m.ones(3, requires_grad=True)
        r = (a * 1).relu()
        alias = r.detach()      # shares r's storage
        loss = r.sum()
        del r
        alias.add_(1)
        with pytest.raises(RuntimeError) as info:
            loss.backward()
        messages.append(str(info.value).split(" Hint:")[0])
    assert messages[0] == messages[1]
