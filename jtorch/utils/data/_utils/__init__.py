"""Helpers behind the DataLoader: collation and worker information."""
from . import collate, worker  # noqa: F401
