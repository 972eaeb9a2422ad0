"""Collectives met inside a compiled program's trace (DDP's gradient all-reduce in a
``torch.compile``d training step).

Eagerly a collective is a program of its own (``_transport``). Inside a trace it must become
part of the traced program instead: an XLA collective over the mesh axis of the ranks
(``lax.psum`` and friends), which exists only while the program is traced as one SPMD
program over that mesh (``jtorch.compiler._ranks``). So a collective traced without that
axis raises ``NeedsRanks``: the compiler traces the step again, under ``bound(group)``.
A group of one rank needs no axis: the reduction of one row is the row.
"""
import contextlib

import jax
import jax.numpy as jnp
from jax import lax

from ._transport import _AXIS, _REDUCERS


class NeedsRanks(Exception):
    """A collective over several processes was traced outside a program over the ranks."""

    def __init__(self, group, what):
        super().__init__(f"torch.distributed.{what} inside a compiled program")
        self.group = group


_BOUND = [None]         # the group whose ranks the program being traced runs over


@contextlib.contextmanager
def bound(group):
    """Trace with ``group``'s ranks as the mesh axis ``_AXIS`` (inside ``shard_map``)."""
    saved = _BOUND[0]
    _BOUND[0] = group
    try:
        yield
    finally:
        _BOUND[0] = saved


def _gathered(kind):
    """A reduction without an XLA primitive: every row gathered, then reduced locally."""
    return lambda a: _REDUCERS[kind](lax.all_gather(a, _AXIS))


_LAX = {
    "sum": lambda a: lax.psum(a, _AXIS),
    "avg": lambda a: (lax.psum(a, _AXIS) / lax.axis_size(_AXIS)).astype(a.dtype),
    "max": lambda a: lax.pmax(a, _AXIS),
    "min": lambda a: lax.pmin(a, _AXIS),
    "gather": lambda a: lax.all_gather(a, _AXIS),
    "product": _gathered("product"), "band": _gathered("band"),
    "bor": _gathered("bor"), "bxor": _gathered("bxor"),
}


def run(group, local, kind, what):
    """The collective ``kind`` of ``local`` (a tracer) as part of the traced program."""
    if group.size() == 1:
        rows = jnp.asarray(local)[None]
        return rows if kind == "gather" else _REDUCERS[kind](rows)
    outer = _BOUND[0]
    if outer is None:
        raise NeedsRanks(group, what)
    if outer._ranks != group._ranks:
        # (a JAXTypeError: the compiler's graph break, so the call runs eagerly)
        raise jax.errors.UnexpectedTracerError(
            f"torch.distributed.{what} over ranks {group._ranks} inside a program compiled "
            f"over ranks {outer._ranks} (a graph break)")
    return _LAX[kind](local)
