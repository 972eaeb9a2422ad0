"""torch's OpInfo database (``op_db``) replayed on jtorch: see ``compat_tests/opinfo/``.

The suite runs a fixed-seed slice of the ops (every selected op with all its dtypes and
samples, so its verdict equals the full run's); ``JTORCH_OPINFO=full`` runs every op:

    JTORCH_OPINFO=full .venv/bin/python -m pytest -q compat_tests/test_opinfo.py
    JTORCH_OPINFO_OPS=gather,topk .venv/bin/python -m pytest -q compat_tests/test_opinfo.py
    .venv/bin/python -m compat_tests.opinfo --report     # rates + opinfo_report.md

Known failures are strict xfails (``opinfo/known.py``): a fixed op turns its test red until
its entry is removed.
"""
import functools
import os
import random

import pytest

from .opinfo import known
from .opinfo import engine
from .opinfo.engine import grad_dtype, run_op

FULL = os.environ.get("JTORCH_OPINFO") == "full"
SLICE_SIZE = 40
SLICE_SEED = 2026

OPS = engine.tested_ops()


def _selected():
    names = sorted(OPS)
    if FULL:
        return names
    if os.environ.get("JTORCH_OPINFO_OPS"):   # a chosen few: JTORCH_OPINFO_OPS=gather,topk
        return os.environ["JTORCH_OPINFO_OPS"].split(",")
    return sorted(random.Random(SLICE_SEED).sample(names, SLICE_SIZE))


SELECTED = _selected()


@functools.lru_cache(maxsize=None)
def _result(name):
    return run_op(OPS[name])


def _params(names, failures):
    return [pytest.param(n, id=n, marks=[pytest.mark.xfail(strict=True, reason=failures[n])]
                         if n in failures else []) for n in names]


@pytest.mark.parametrize("name", _params(SELECTED, known.FORWARD))
def test_forward(name):
    r = _result(name)
    assert r.forward, r.forward_reason
    assert r.samples or r.missing, "torch ran none of its samples on CPU"


@pytest.mark.parametrize(
    "name", _params([n for n in SELECTED if grad_dtype(OPS[n])], known.GRAD))
def test_gradient(name):
    r = _result(name)
    assert r.grad, r.grad_reason


def test_known_entries_name_ops():
    """Every known failure names an op of op_db that has the tested property."""
    assert set(known.FORWARD) <= set(OPS), set(known.FORWARD) - set(OPS)
    no_grad = [n for n in known.GRAD if n not in OPS or not grad_dtype(OPS[n])]
    assert not no_grad, no_grad
