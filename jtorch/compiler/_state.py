"""The state a compiled callable reads and writes without receiving it as an argument.

A *slot* is one place that holds a tensor: ``("dict", d, key)`` (a module's parameter or
buffer, an optimizer state entry), ``("grad", p, None)`` (a parameter's ``.grad``) or
``("fixed", t, None)`` (a tensor reached directly: a closure tensor, an optimizer's param).
Slots are enumerated from *roots* (Modules, Optimizers, LR schedulers, Tensors) before a
trace, and again after it, so tensors born during the trace (a ``.grad``, Adam's moments)
are found and become program outputs.
"""
from __future__ import annotations

import functools
import itertools

import jtorch
from jtorch.nn.modules.module import Module
from jtorch.optim.optimizer import Optimizer


def _is_scheduler(obj):
    return hasattr(obj, "optimizer") and isinstance(getattr(obj, "optimizer"), Optimizer)


def _is_root(obj):
    return isinstance(obj, (Module, Optimizer, jtorch.Tensor)) or _is_scheduler(obj)


def roots_of(fn):
    """The Modules, Optimizers, schedulers and Tensors ``fn`` reaches through its closure
    cells, the globals its code names, and its bound ``self``."""
    found, seen = [], set()
    for obj in root_sources(fn):
        if _is_root(obj) and id(obj) not in seen:
            seen.add(id(obj))
            found.append(obj)
    return found


def root_sources(fn):
    """Every object ``roots_of(fn)`` looks at, in order: the same objects (by identity) mean
    the same roots (the warm call's guard compares them instead of searching again)."""
    out = []
    self = getattr(fn, "__self__", None)
    if self is not None:
        _visit(self, out)
    fn = getattr(fn, "__func__", fn)
    code = getattr(fn, "__code__", None)
    if code is not None:
        for cell in fn.__closure__ or ():
            try:
                _visit(cell.cell_contents, out)
            except ValueError:          # an empty cell
                pass
        named = list(map(getattr(fn, "__globals__", {}).get, code.co_names))
        if any(map(isinstance, named, itertools.repeat(_CONTAINERS))):
            for obj in named:
                _visit(obj, out)
        else:                   # (the common case, read on every warm call: no Python loop)
            out += named
    elif isinstance(fn, Module):
        _visit(fn, out)
    return out


_CONTAINERS = (list, tuple, dict)


def _visit(obj, out):
    """``obj``, then what a plain container holds (its first 64 entries, recursively)."""
    out.append(obj)
    if isinstance(obj, _CONTAINERS) and not _is_root(obj):
        for o in (list(obj.values()) if isinstance(obj, dict) else obj)[:64]:
            _visit(o, out)


def slots(roots):
    """Every slot reachable from ``roots``, deduplicated, in a stable order."""
    return survey(roots)[0]


def survey(roots):
    """``(slots, values)``: every slot reachable from ``roots`` (deduplicated, in a stable
    order) and what each holds now. One pass, run on every compiled call: it is the guard's
    cost, so it reads the containers directly."""
    out, values, seen = [], [], set()

    def add(kind, obj, name, value):
        k = (kind, id(obj), name)
        if k not in seen:
            seen.add(k)
            out.append((kind, obj, name))
            values.append(value)

    def optimizer(o):
        for group in o.param_groups:
            for p in group["params"]:
                add("fixed", p, None, p)
                add("grad", p, None, p._grad)
        for st in list(o.state.values()):
            for k, v in st.items():
                add("dict", st, k, v)

    for r in roots:
        if isinstance(r, Module):
            for sub in _submodules(r):
                params = sub._parameters
                for name, p in params.items():
                    add("dict", params, name, p)
                    if p is not None:
                        add("grad", p, None, p._grad)
                buffers = sub._buffers
                for name, b in buffers.items():
                    add("dict", buffers, name, b)
        elif isinstance(r, Optimizer):
            optimizer(r)
        elif isinstance(r, jtorch.Tensor):
            add("fixed", r, None, r)
        elif _is_scheduler(r):
            optimizer(r.optimizer)
    return out, values


def _submodules(m):
    """``m.modules()`` without the generator machinery (same order: depth first)."""
    out, seen, stack = [], set(), [m]
    while stack:
        sub = stack.pop()
        if id(sub) in seen:
            continue
        seen.add(id(sub))
        out.append(sub)
        stack.extend(c for c in reversed(sub._modules.values()) if c is not None)
    return out


def read(slot):
    kind, obj, name = slot
    if kind == "dict":
        return obj.get(name)
    if kind == "grad":
        return obj._grad
    return obj


def write(slot, value):
    kind, obj, name = slot
    if kind == "dict":
        obj[name] = value
    elif kind == "grad":
        obj._grad = value


def setter(slot):
    """``write(slot, .)`` as one bound callable (the warm call's write-back)."""
    kind, obj, name = slot
    if kind == "dict":
        return functools.partial(obj.__setitem__, name)
    if kind == "grad":
        return functools.partial(setattr, obj, "_grad")
    return lambda value: None


def snapshot(roots):
    """A function that puts every slot and container back as it is now (a graph break
    abandons a trace whose Python side effects must not stay)."""
    sl = slots(roots)
    values = [(s, read(s)) for s in sl]
    states = [(o, [(p, st, dict(st)) for p, st in o.state.items()]) for o in _optimizers(roots)]
    dicts = {id(s[1]): (s[1], dict(s[1])) for s in sl if s[0] == "dict"}
    groups = [(g, dict(g)) for o in _optimizers(roots) for g in o.param_groups]
    schedulers = [(r, {k: list(v) if isinstance(v, list) else v for k, v in vars(r).items()})
                  for r in roots if _is_scheduler(r)]

    def restore():
        for o, entries in states:
            o.state.clear()
            for p, st, copy in entries:        # the same dict objects: guards name them
                st.clear()
                st.update(copy)
                o.state[p] = st
        for d, copy in dicts.values():
            d.clear()
            d.update(copy)
        for s, v in values:
            if s[0] == "grad":
                write(s, v)
        for g, copy in groups + schedulers:             # hyperparameters, scheduler state
            (g if isinstance(g, dict) else vars(g)).update(copy)
    return restore


def _optimizers(roots):
    for r in roots:
        if isinstance(r, Optimizer):
            yield r
        elif _is_scheduler(r):
            yield r.optimizer


def hyper_values(roots):
    """Each optimizer group's traced hyperparameters (floats), as run-time inputs."""
    out = []
    for o in _optimizers(roots):
        hyper = getattr(o, "_hyper", None)
        for group in o.param_groups:
            try:
                vals = tuple(float(v) for v in hyper(group))
            except (NotImplementedError, TypeError):
                continue
            out.append(vals)        # per group, in order: the program's input order
    return out


def modes(roots):
    """``module.training`` of every module reached: part of the guard key."""
    return tuple(sub.training for r in roots if isinstance(r, Module)
                 for sub in _submodules(r))
