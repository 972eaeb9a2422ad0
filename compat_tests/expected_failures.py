"""Seed examples known not to match torch yet, with the missing feature. They run as
strict xfails: an example that starts matching fails the suite until its entry is removed.

Empty: every seed example matches torch 2.13's output."""

EXPECTED_FAILURES = {}
