"""Shared test helpers: run the same code on torch and jtorch and compare."""
import warnings

import numpy as np


def to_np(t):
    """Host values of a torch or jtorch tensor (bfloat16 widened to float32)."""
    if t.dtype.__repr__() == "torch.bfloat16":
        t = t.float()
    # np.asarray: a snapshot (a jtorch tensor's .numpy() would make its storage shared)
    return np.array(t.detach().cpu() if hasattr(t, "detach") else t)


def assert_same(j, t, rtol=1e-6, atol=1e-7, check_values=True):
    """jtorch tensor ``j`` equals torch tensor ``t`` in dtype, shape and values."""
    if j is None or t is None:
        assert j is None and t is None, (j, t)
        return
    assert repr(j.dtype) == repr(t.dtype), (j.dtype, t.dtype)
    assert tuple(j.shape) == tuple(t.shape), (j.shape, t.shape)
    if check_values:
        np.testing.assert_allclose(to_np(j), to_np(t), rtol=rtol, atol=atol, equal_nan=True)


def assert_same_error(make, modules):
    """``make(m)`` raises the same exception type with the same text for each module in
    ``modules`` (torch first, then jtorch)."""
    import pytest
    raised = []
    for m in modules:
        with pytest.raises(Exception) as info:
            make(m)
        raised.append((type(info.value), str(info.value)))
    assert raised[0] == raised[1]


def run_recording_warnings(fn):
    """``(fn()'s result or the exception it raised, the warnings it issued)``, for comparing
    a call's outcome with torch's (ResourceWarnings are left out: a gc of another test's
    leak may land in any test)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            out = fn()
        except Exception as e:  # noqa: BLE001 - compared with torch's
            out = e
    return out, caught
