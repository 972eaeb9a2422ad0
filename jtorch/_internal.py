"""The internal API of the sanctioned speed paths outside the core.

``nn``, ``optim`` and ``utils.data`` use jtorch's public API, with two exceptions measured
worth it, which reach tensors' insides only through these functions (CONTRIBUTING.md,
"Layering"):

- the optimizers' update (``optim/optimizer.py``): one jitted call per parameter group reads
  every parameter, gradient and state buffer as a raw array and writes the results back,
  bumping version counters as torch's kernels do (op-by-op updates cost ~10x);
- the DataLoader's collate plan (``utils/data/_utils/collate.py``): a batch of rows of one
  dataset tensor is one gather from their shared storage, not a stack of row views.
"""
from __future__ import annotations

from ._tensor import Tensor


def raw(t):
    """The tensor's current values as a jax array (a view: gathered)."""
    return t._value()


def replace_values_(t, array, version_bumps=1):
    """``version_bumps`` in-place writes of ``array`` into ``t`` (torch's fused kernels bump
    the version once per kernel): one assignment when ``array`` already has the storage's
    shape and dtype and ``t`` is not a view."""
    st = t._storage
    old = st.array
    if t._view is None and array.shape == old.shape and array.dtype == old.dtype:
        st.array = array
        st.version += version_bumps
        return
    for _ in range(version_bumps):
        t._write(array)


def layout(t):
    """(storage, view metadata or None, dtype, shape, requires_grad) of a tensor."""
    return t._storage, t._view, t._dtype, t._shape, t._requires_grad


def from_raw(array, device):
    """A tensor over ``array`` (its dtype from the array's) on ``device``."""
    return Tensor._make(array, None, device)
