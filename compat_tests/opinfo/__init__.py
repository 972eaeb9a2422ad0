"""torch's OpInfo database (``op_db``) replayed on torch and jtorch.

Every OpInfo names a torch callable and generates ``SampleInput``s. For each op this package
resolves the jtorch counterpart (``resolve.py``), converts each sample to jtorch tensors with
the same values, dtype, strides and requires_grad (``convert.py``), runs both and compares
values, dtypes and shapes, then the gradients of a fixed weighted sum of the outputs
(``compare.py``, ``engine.py``). Known failures, with a reason per op, are in ``known.py``.

    .venv/bin/python -m compat_tests.opinfo --report      # every op, writes a report file
    JTORCH_OPINFO=full .venv/bin/python -m pytest compat_tests/test_opinfo.py
"""
