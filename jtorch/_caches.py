"""Every module-level cache of the speed layer, with its bound, in one place.

Two kinds:

- ``Bounded(limit)``: a dict that empties itself when a new key would pass ``limit``. Its
  entries are all rebuilt on demand (compiled programs, device scalars, metadata), so
  clearing costs only recompilation; a loop uses a handful of keys, and a workload whose keys
  never repeat (shapes that change every step) must not grow memory without end.
- ``HotCompiler(threshold, limit)``: "compile when seen N times". A structure (a deferred
  queue, a backward graph) is run the slow way until it has been seen ``threshold`` times;
  from then on its compiled program is kept (in a ``Bounded``). One-off structures never pay
  for a compilation.

``clear_all()`` empties every registered cache (tests, memory debugging).
"""
from __future__ import annotations

_registry = {}      # name -> cache


class Bounded(dict):
    """A dict with a size bound: ``put`` clears it first when full. ``get`` is dict's."""
    __slots__ = ("limit",)

    def __init__(self, limit):
        super().__init__()
        self.limit = limit

    def put(self, key, value):
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


class HotCompiler:
    """``get(key, build)``: the compiled program for ``key`` once it has been asked for
    ``threshold`` times (``build(key)`` makes it), else None."""
    __slots__ = ("threshold", "programs", "seen")

    def __init__(self, threshold, limit):
        self.threshold = threshold
        self.programs = Bounded(limit)
        self.seen = Bounded(4 * limit)  # counts of structures not compiled yet

    def get(self, key, build, threshold=None):
        prog = self.programs.get(key)
        if prog is not None:
            return prog
        n = self.seen.get(key, 0) + 1
        if n < (threshold or self.threshold):
            self.seen.put(key, n)
            return None
        self.seen.pop(key, None)
        return self.programs.put(key, build(key))

    def clear(self):
        self.programs.clear()
        self.seen.clear()


def register(name, cache):
    """Name a module-level cache (listed by ``sizes``, emptied by ``clear_all``)."""
    _registry[name] = cache
    return cache


def bounded(name, limit):
    return register(name, Bounded(limit))


def hot_compiler(name, threshold, limit):
    return register(name, HotCompiler(threshold, limit))


def sizes():
    """{name: entries} of every registered cache (a HotCompiler counts its programs)."""
    return {name: len(c.programs if isinstance(c, HotCompiler) else c)
            for name, c in _registry.items()}


def clear_all():
    for c in _registry.values():
        c.clear()


# ------------------------------------------------------------------ the bounds
# (where each cache lives, and why its bound is what it is)
DEVICE_SCALARS = 16384   # _dispatch: Python numbers as device scalars; a dataset's view
#                          offsets can be many
RESULT_AVALS = 64        # per fast-path entry: operand shapes -> result (Size, dtype)
NODE_STATICS = 64        # per grad fast-path entry: result shape -> the fused static
LAZY_PROGRAMS = 512      # _lazy: compiled deferred queues (a loop needs a few)
LAZY_HOT = 2             # ... compiled on a structure's second run
FUSED_PROGRAMS = 256     # autograd/fused: compiled backward passes (a loop needs one or two)
FUSED_HOT = 3            # ... compiled on a structure's third occurrence
OPTIM_HYPER = 4096       # optim: hyperparameter vectors (a scheduler may change lr each step)
INDEX_META = 256         # _ops/indexing: contiguous view metadata per indexed shape
VIEW_ADJOINTS = 4096     # _view_autograd: compiled adjoints of view reads (lru_cache)
ELEMENTWISE_LAYOUTS = 4096  # _result_layout.elementwise_strides (lru_cache): operand layouts ->
#                          the result's strides; a pure function of small tuples, so an
#                          evicted entry costs one recomputation (a model sees a few hundred)
COPY_LAYOUTS = 1024      # _result_layout.preserve_format_strides (lru_cache): a layout -> the
#                          strides of its preserve_format copy (clone, to)
