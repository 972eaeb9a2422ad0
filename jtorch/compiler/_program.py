"""One traced program of a compiled callable, for one guard key.

``trace`` runs the callable under ``_trace.tracing`` with every captured storage's array
swapped for a program input (functionalisation by storage) and returns the jitted, lowered
and compiled program plus the static facts of the trace (``Plan``): which storages changed
and by how many versions, which slots hold tensors born during the trace, the result's
structure, whether random keys were drawn. ``run`` calls it and writes the state back.
"""
from __future__ import annotations

import contextlib

import jax
import numpy as np
from jax.errors import JaxRuntimeError

import jtorch
from .. import _errors, _lazy, _trace, random as _random
from ..optim import optimizer, optax_wrapper
from .._tensor import Size, Storage
from . import _state

Tensor = jtorch.Tensor
ZERO_KEY = jax.device_put(np.zeros(2, np.uint32))     # the key of programs that draw nothing


def _is_tensor(x):
    return isinstance(x, Tensor)


class Plan:
    """A traced program and the static facts of its trace (attributes set as found)."""


def _leaf(t):
    """A result tensor's values and what rebuilds it (dtype, device)."""
    return t._value(), (t.dtype, t.device)


def aliases(storages, candidates):
    """``((k, r), ...)``: the candidate storages ``k`` (captured 0-dim counters) that hold
    the very array of an earlier one ``r``: a group's shared step count (see
    optim/_functional.per_step). The trace gives ``k`` the input of ``r``, so the program
    reads (and advances) the count once; ``k``'s own input goes unused. Part of the key."""
    first, out = {}, []
    for k in candidates:
        r = first.setdefault(id(storages[k].array), k)
        if r != k:
            out.append((k, r))
    return tuple(out)


def _unique(arrays):
    """``(distinct arrays, index of each in them)``: one program output per distinct value
    (storages the trace left holding one array share its output)."""
    out, first = [], {}
    index = [first.setdefault(id(a), len(first)) for a in arrays]
    for a, j in zip(arrays, index):
        if j == len(out):
            out.append(a)
    return out, index


def make_pure(fn, args, kwargs, roots, storages, hyper_vals, plan, grad_enabled,
              alias=()):
    index = {id(st): i for i, st in enumerate(storages)}
    plan.aliases = alias
    plan.donate = [i for i in range(len(storages))
                   if all(i not in pair for pair in alias)]    # (filtered by `changed`)

    def pure(arrays, key, hyper):
        hypermap = {v: hyper[i] for i, v in enumerate(hyper_vals)}
        arrays = list(arrays)
        for k, r in alias:
            arrays[k] = arrays[r]
        with _trace.swap(storages, arrays) as saved, _trace.tracing(key, hypermap) as ctx, \
                jtorch.set_grad_enabled(grad_enabled), _traced_hyper():
            result = fn(*args, **kwargs)
            leaves, tree = jax.tree_util.tree_flatten(result, is_leaf=_is_tensor)
            res, spec = [], []
            for x in leaves:
                if _is_tensor(x):
                    a, meta = _leaf(x)
                    res.append(a)
                    spec.append(("t", meta))
                else:
                    spec.append(("py", x))
            changed = [i for i, st in enumerate(storages) if st.array is not arrays[i]]
            outs, plan.out_of = _unique([storages[i].array for i in changed])
            plan.changed = changed
            plan.deltas = [storages[i].version - saved[i][1] for i in changed]
            written = set(changed)
            plan.donate = [i for i in plan.donate if i in written]
            new, slot_plan, born = [], [], {}
            for s in _state.slots(roots):
                v = _state.read(s)
                if _is_tensor(v):
                    i = index.get(id(v._storage))
                    if i is not None:
                        slot_plan.append((s, "cap", v))
                    else:
                        a = v._value()
                        j = born.setdefault(id(a), len(new))
                        if j == len(new):
                            new.append(a)
                        slot_plan.append((s, "new", (j, v.dtype, v.device,
                                                     v._requires_grad)))
                elif v is None:
                    slot_plan.append((s, "none", None))
            plan.slot_plan, plan.result, plan.n_new = slot_plan, (tree, spec), len(new)
            plan.new_slots = [entry for entry in slot_plan if entry[1] == "new"]
            plan.result_requires_grad = any(_is_tensor(x) and x._requires_grad for x in leaves)
            plan.wrote_grads = any(
                s[0] == "grad" and (kind == "new" or index.get(id(what._storage)) in changed)
                for s, kind, what in slot_plan if kind != "none")   # a backward() inside
            plan.draws = ctx.draws
            return res, outs, new
    return pure


@contextlib.contextmanager
def _traced_hyper():
    """Optimizers read their hyperparameters through ``_hyper_array``: inside the trace it
    answers with the program's hyperparameter inputs, so a new lr does not retrace."""
    orig = optimizer._hyper_array

    def traced(values):
        a = _trace.hyper_array(float(v) for v in values)
        return orig(values) if a is None else a
    optimizer._hyper_array = optax_wrapper._hyper_array = traced
    try:
        yield
    finally:
        optimizer._hyper_array = optax_wrapper._hyper_array = orig


def trace(pure, arrays, key, hyper, plan):
    """Lower and compile ``pure`` at these inputs (raises JAX's errors on a graph break)."""
    jitted = jax.jit(pure)
    _lazy.flush()       # queued eager ops run now: inside the trace their inputs are tracers
    traced = jitted.trace(arrays, key, hyper)   # plan's facts; graph breaks raise here
    plan.jaxpr, plan.out_tree = traced.jaxpr, traced.out_tree   # replayed by scan_steps
    plan.exe = jitted       # (the compiled forward of a module; steps run _runner's)
    return plan


def execute(run, ins):
    """``run`` (a ``_runner.Runner``) on the flat inputs ``ins``; a failed device allocation
    raises torch's OutOfMemoryError."""
    try:
        return run(ins)
    except JaxRuntimeError as e:
        oom = _errors.out_of_memory(e)
        if oom is None:
            raise
        raise oom from None


def draw_key(plan):
    """A uint32[2] key from jtorch's default generator when the program draws numbers (the
    generator advances once per call, as torch.compile's Philox offset does)."""
    if not plan.draws:
        return ZERO_KEY
    return jax.device_put(np.asarray(_random.default_generator._words(2), np.uint32))


def write_back(plan, storages, changed_arrays, new_arrays, steady=False):
    """The program's state outputs into the captured storages and the slots; returns the
    tensors it created (one per ``new`` slot, in the plan's order). ``steady``: a call the
    fast guard let through, whose slots already hold what the program leaves in them
    (``_fast``), so only the created tensors are written."""
    for i, o, d in zip(plan.changed, plan.out_of, plan.deltas):
        st = storages[i]
        st.array = changed_arrays[o]
        st.version += d
    if steady:
        return write_new(plan, new_arrays)
    made = []
    for s, kind, what in plan.slot_plan:
        if kind == "none":
            _state.write(s, None)
        elif kind == "cap":
            cur = _state.read(s)
            if cur is not what:
                _state.write(s, what)
        else:
            j, dtype, device, rg = what
            t = Tensor._make(new_arrays[j], dtype, device)
            if rg:
                t.requires_grad_(True)
            _state.write(s, t)
            made.append(t)
    return made


def write_new(plan, new_arrays):
    """The created tensors into their slots, by a plan made at the first such write: each
    slot's bound setter and the tensor's Size (fixed by the program), no per-call lookups."""
    fast = getattr(plan, "new_fast", None)
    if fast is None:
        fast = plan.new_fast = [
            (_state.setter(s), j, Size(new_arrays[j].shape), dtype, device, rg)
            for s, _, (j, dtype, device, rg) in plan.new_slots]
    make = Tensor._make_storage
    made = []
    for set_slot, j, size, dtype, device, rg in fast:
        t = make(Storage(new_arrays[j], device), size, dtype)
        if rg:
            t.requires_grad_(True)
        set_slot(t)
        made.append(t)
    return made


def rebuild(plan, res_arrays, wrap=None):
    """The call's result from the program's result arrays."""
    tree, spec = plan.result
    it = iter(res_arrays)
    leaves = []
    for kind, meta in spec:
        if kind == "t":
            a = next(it)
            leaves.append(wrap(a, meta) if wrap else Tensor._make(a, meta[0], meta[1]))
        else:
            leaves.append(meta)
    return jax.tree_util.tree_unflatten(tree, leaves)
