"""The differential fuzzer (issue 27, item 2): random programs run on torch and jtorch,
compared step by step. ``programs.py`` draws them, ``interpret.py`` runs and compares,
``python -m tests.fuzz --programs N`` runs a campaign (shrinking what it finds), and
``test_fuzz.py`` runs a fixed-seed slice plus the kept regressions (``regressions.py``)."""
