"""Helpers for torch's 1d/2d/3d layer families (Conv, ConvTranspose, MaxPool, LPPool,
MaxUnpool, Dropout): one base class holds the behaviour, the three public classes differ
only in their number of spatial dimensions ``_n`` (and their functional form ``_fn``)."""
from __future__ import annotations

from .._spatial import _ntuple as ntuple  # noqa: F401  (re-exported for the layer modules)


def dimension_family(base, stem, module_name, functions=None):
    """The classes ``{stem}1d``, ``{stem}2d``, ``{stem}3d``: subclasses of ``base`` with
    ``_n`` = 1, 2, 3 (and ``_fn`` = the matching one of ``functions``, the 1d/2d/3d
    functional forms, when given), named and placed (``__module__``) as if written in
    ``module_name``."""
    classes = []
    for n in (1, 2, 3):
        attrs = {"_n": n, "__module__": module_name}
        if functions is not None:
            attrs["_fn"] = functions[n - 1]
        classes.append(type(f"{stem}{n}d", (base,), attrs))
    return tuple(classes)
