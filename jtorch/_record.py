"""Recording an op call in the autograd graph: its ``Node`` (torch's grad_fn name and class),
its edges, the versions of what torch saves for its backward (checked at backward time for
torch's in-place error), and its backward as a pure function (``FusedBackward``) for the
fused backward program.

Two recorders: ``record`` for the full path (any arguments, several outputs, in-place) and
``record_plain`` for the grad fast path (every argument a tensor or a number, one output),
which takes what it needs from a ``NodeRecipe`` made once per fast-path signature.
"""
from __future__ import annotations

import functools
import re
import weakref
from typing import NamedTuple, Optional

import numpy as np

from . import _dtypes
from ._compile import run_vjp, zero_cotangent
from ._tensor import Tensor
from .autograd.engine import grad_edge
from .autograd.graph import FusedBackward, _classes as _node_classes, node_class

_EMPTY = {}
_new = tuple.__new__        # builds a FusedBackward without NamedTuple.__new__'s overhead


class NodeRecipe(NamedTuple):
    """What ``record_plain`` needs beyond the call, made once per grad fast-path signature."""
    grad_fn_name: Optional[str]  # None: ``d.grad_fn(args, sargs, skw)`` names the node
    diff_slots: tuple            # the edge position of each differentiable argument
    edge_mask: tuple             # which edges receive a gradient
    statics: tuple               # static args as bound (a grad_fn name may depend on them)
    static_kwargs: dict
    recompute: object            # compile.recompute_vjp's run, or None: the node keeps the VJP
    shared_statics: dict         # (result shape, dtype) -> (out_avals, static): one object
    #                              per result shape, so the fused key compares by identity


class OpStatic(NamedTuple):
    """``fused_op``'s static: how to turn per-output cotangents into per-edge gradients."""
    single: bool                 # one output (its cotangent passed bare)
    out_avals: tuple             # ((shape, np dtype), ...) per output
    diff_slots: tuple            # per differentiable arg: an edge position, or a list of them
    n_edges: int


class RecomputeStatic(NamedTuple):
    """``fused_recompute``'s static: the op's jitted recompute VJP and the edge layout."""
    run: object
    out_avals: tuple
    diff_slots: tuple
    n_edges: int


# ------------------------------------------------------------------ saved tensors
def describe(t, saver=None):
    """torch's text for a saved tensor in the in-place error: "[torch.FloatTensor [2]], which
    is output 0 of Mul,". A saved input names its grad_fn as it is at error time; a saved
    output names the node that saved it (``saver``); both without "Backward<N>"."""
    text = _type_text(t._dtype, t._shape, t._storage.device.type)
    fn = saver if saver is not None else t.grad_fn
    if fn is not None:
        # torch's node name without "Backward0", keeping an overload's number (Clamp1)
        name = fn if isinstance(fn, str) else fn.name()
        name = re.sub(r"Backward0?$", "", name)      # (CopySlices keeps its namespace)
        name = re.sub(r"Backward(\d+)$", r"\1", name)
        return text + f", which is output {t._out_index} of {name},"
    return text


# the dtypes whose C++ type string is a legacy tensor type name; the others print as
# "CPUBoolType", "CPUComplexFloatType", ...
_LEGACY_TEXT = {"Float", "Double", "Half", "Long", "Int", "Short", "Char", "Byte"}


def _type_text(dtype, shape, device_type):
    stem = dtype._legacy or dtype._name
    if stem not in _LEGACY_TEXT:
        return f"[{'CUDA' if device_type == 'cuda' else 'CPU'}{stem}Type {list(shape)}]"
    prefix = "torch.cuda." if device_type == "cuda" else "torch."
    return f"[{prefix}{stem}Tensor {list(shape)}]"


def describe_result(ref, shape, dtype, device_type, saver=None):
    """describe for a saved output, held weakly: the output holds its node as grad_fn, so a
    strong reference from the node back to it would make every graph that saves an output
    (relu's, for one) a reference cycle, freed only by the cyclic collector. ``saver``: the
    name of the node that saved it (an in-place op saving the same tensor later, x.sqrt()
    then relu_, does not rename it)."""
    t = ref()
    if t is not None:
        return describe(t, saver or t._saved_by)
    # the output is gone (its storage lived on through a detached alias): its node saved it
    return _type_text(dtype, shape, device_type)


def needs_grad(a):
    if isinstance(a, Tensor):
        return a._requires_grad
    if isinstance(a, (list, tuple)):
        return any(isinstance(e, Tensor) and e._requires_grad for e in a)
    return False


# ops whose Python-number operand torch saves as a wrapped 0-dim tensor (x * 2's
# MulBackward0 saves other): a backward frees it, so a second one raises. (Scalar
# overloads, lerp's weight or clamp's bounds, save a number that is never freed.)
_WRAPS_NUMBERS = frozenset(("mul", "div", "true_divide"))


class _NumberStorage:
    version = 0     # (a saved number: no in-place write can reach it)


_NUMBER_SAVED = (_NumberStorage(), 0, functools.partial(str, "a saved number"))
_ORIGINAL_SELF = (_NumberStorage(), 0, functools.partial(str, "a copy of the original self"))


def _gets_grad(a):
    """Whether a gradient flows into ``a``: a view made before its base required grad
    requires grad but has no edge, so torch saves nothing for its derivative."""
    if isinstance(a, Tensor):
        return a._requires_grad and grad_edge(a)[0] is not None
    return needs_grad(a)


def saved_entries(d, targs, results, inplace_target, saver=None):
    """(storage, version, description) of each tensor torch saves for ``d``'s backward
    (``saver``: the node's name)."""
    if not d.saves or saver in NO_DERIVATIVE:    # (a node whose backward raises saves none)
        return ()
    entries = []
    for what, wi, ci in d.saves:
        if ci is not None and not (isinstance(targs[ci], Tensor) if wi is None else
                                   _gets_grad(targs[ci])):
            continue
        if wi is None:  # "result"
            t = inplace_target if inplace_target is not None else \
                (results[0] if isinstance(results, tuple) else results)
            entries.append((t._storage, t._storage.version + (inplace_target is not None),
                            functools.partial(describe_result, weakref.ref(t), t._shape,
                                              t._dtype, t._storage.device.type,
                                              saver=saver)))
            continue
        a = targs[wi]
        if inplace_target is not None and wi == 0:
            # torch saves a copy of the original self for in-place ops (x.mul_(x) saves x
            # itself as other, whose version the write then bumps): no version to check,
            # but the node saves something, so backward frees it
            entries.append(_ORIGINAL_SELF)
            continue
        if isinstance(a, Tensor):
            entries.append((a._storage, a._storage.version, functools.partial(describe, a)))
        elif isinstance(a, tuple):
            entries.extend(_saved_indices(a))
        elif a is not None and d.name in _WRAPS_NUMBERS:
            entries.append(_NUMBER_SAVED)
    return tuple(entries)


def _saved_indices(indices):
    """An index op's saved index tensors (masks too: a later in-place write to one is caught
    by backward, as torch's); a key of slices alone still marks the node as saving."""
    entries = [(t._storage, t._storage.version, functools.partial(describe, t))
               for t in indices if isinstance(t, Tensor)]
    return entries or [_NUMBER_SAVED]


def _saves_result(d):
    return any(wi is None for _, wi, _ in d.saves)


# ------------------------------------------------------------------ nodes
# Nodes torch records but whose backward raises (it has no formula for that overload); an
# op's ``aten_name`` names it in the message where its table name differs
NO_DERIVATIVE = {"AsinhBackward1", "AcoshBackward1", "AtanhBackward1",
                 "torch::autograd::NotImplemented"}


def _raise_no_derivative(name, opname, cts):
    if name == "torch::autograd::NotImplemented":
        raise RuntimeError(f"derivative for aten::{opname} is not implemented")
    raise NotImplementedError(f"the derivative for 'inplace version of {opname}' is not "
                              "implemented.")


_NEGATION = ("Negation, the `-` operator, on a bool tensor is not supported. If you are "
             "trying to invert a mask, use the `~` or `logical_not()` operator instead.")
_SUBTRACTION = ("Subtraction, the `-` operator, with a bool tensor is not supported. If you "
                "are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
# torch's derivative formulas that negate or subtract a bool operand raise at backward:
# atan2's other gradient negates self, pow's self gradient computes exponent - 1,
# logaddexp's subtracts its operands (op -> (operand position or None for any, message))
_BOOL_BACKWARD = {"atan2": (0, _NEGATION), "pow": (1, _SUBTRACTION),
                  "logaddexp": (None, _SUBTRACTION)}


def _bool_backward_error(d, args):
    hit = _BOOL_BACKWARD.get(d.name)
    if hit is None:
        return None
    pos, msg = hit
    for a in (args if pos is None else args[pos:pos + 1]):
        if isinstance(a, Tensor) and a._dtype is _dtypes.bool:
            return msg
    return None


def _raise_runtime(msg, cts):
    raise RuntimeError(msg)


def _node(d, name, fused, edges, out_avals, saved, args=()):
    """A recorded op's node: its backward is ``fused.apply(static, dynamic, cotangents)``,
    also its fused form (``Node._fused``), unless torch has no derivative for it."""
    if name in NO_DERIVATIVE:
        backward = functools.partial(_raise_no_derivative, name, d.aten_name or d.name)
        return node_class(name)(name, backward, edges, out_avals, saved)
    err = _bool_backward_error(d, args)
    if err is not None:
        return node_class(name)(name, functools.partial(_raise_runtime, err), edges,
                                out_avals, saved)
    cls = _node_classes.get(name)       # one class per node name (graph.node_class)
    if cls is None:
        cls = node_class(name)
    node = cls(name, functools.partial(fused[0], fused[1], fused[2]), edges, out_avals, saved)
    node._fused = fused
    return node


def record(d, targs, diff_idx, vjp, results, inplace_target, sargs=(), skw=_EMPTY):
    """The node of a full-path call (``vjp``: the forward's VJP closure)."""
    outs = results if isinstance(results, tuple) else (results,)
    edges, slots = [], []   # slots: for each diff arg, the edge positions of its tensors
    for i, a in enumerate(targs):
        if isinstance(a, (list, tuple)):
            pos = []
            for e in a:
                pos.append(len(edges))
                edges.append(grad_edge(e) if isinstance(e, Tensor) else (None, 0))
            slots.append(pos if i in diff_idx else None)
        elif isinstance(a, Tensor) or a is not None:
            slots.append(len(edges) if i in diff_idx else None)
            edges.append(grad_edge(a) if isinstance(a, Tensor) else (None, 0))
        else:
            slots.append(None)
    out_avals = tuple((o._shape, o._dtype._np) for o in outs)
    name = d.grad_fn if inplace_target is None or d.inplace_grad_fn is None \
        else d.inplace_grad_fn
    if callable(name):
        name = name(targs, sargs, skw)
    saved = saved_entries(d, targs, results, inplace_target, name)
    # the hashable static and the edge mask are made by prepare_op_static, only when the
    # fused planner needs them
    static = OpStatic(not isinstance(results, tuple), out_avals,
                      [slots[i] for i in diff_idx], len(edges))
    fused = _new(FusedBackward, (fused_op, static, vjp, None, prepare_op_static))
    node = _node(d, name, fused, tuple(edges), out_avals, saved, targs)
    # an in-place op keeps its history whatever the target's dtype, as torch's (``m[0] = s``
    # into an integer m); its copy_ alone (a hand-written kernel there) keeps none
    any_dtype = inplace_target is not None and d.name != "copy"
    if not any_dtype:
        _check_output_dtype(outs[0]._dtype, targs, name)
    for i, o in enumerate(outs):
        if any_dtype or o._dtype.is_floating_point or o._dtype.is_complex:
            o._grad_fn = node
            o._requires_grad = True
            o._out_index = i
    if saved and _saves_result(d):      # it saved its own output
        (inplace_target if inplace_target is not None else outs[0])._saved_by = node
    return node


def _check_output_dtype(dt, inputs, name):
    """torch's set_history: an integral input that requires grad (an integer tensor written
    into from a float one, ``m[0] = x``) into a differentiable op whose (first) output is
    integral raises; a float input's integral output (``x.long()``) just has no history, nor
    has an op without a derivative (floor_divide's NotImplemented node)."""
    if dt.is_floating_point or dt.is_complex or str(name).endswith("NotImplemented") or \
            name == "ToCopyBackward0":      # (torch's _to_copy to an integral dtype: no history)
        return
    for a in inputs:
        if isinstance(a, Tensor) and a._requires_grad and \
                not (a._dtype.is_floating_point or a._dtype.is_complex):
            raise RuntimeError(f"Autograd not support dtype: {_dtypes.torch_type_name(dt)}")


def record_plain(d, args, dynamic, res, recipe):
    """``record`` for the grad fast path: every arg a tensor or a Python number (one edge
    each), one output. ``dynamic`` is the op's jit arguments, whose VJP the backward reruns
    (``fused_recompute``), or else the forward's VJP closure (``fused_op``); either backward
    is the node's fused form too, with its hashable static and edge mask made here rather
    than by the fused planner."""
    name, diff_slots, mask, sargs, skw, run, statics = recipe
    if name is None:
        name = d.grad_fn(args, sargs, skw)
    edges = tuple([grad_edge(a) if isinstance(a, Tensor) else (None, 0) for a in args])
    # one (out_avals, static) object per result shape: the fused planner's cache key then
    # compares equal by identity, step after step
    hit = statics.get((res._shape, res._dtype))
    if hit is None:
        out_avals = ((res._shape, res._dtype._np),)
        static = OpStatic(True, out_avals, diff_slots, len(args)) if run is None else \
            RecomputeStatic(run, out_avals, diff_slots, len(args))
        hit = statics.put((res._shape, res._dtype), (out_avals, static))
    out_avals, static = hit
    apply = fused_op if run is None else fused_recompute
    saved = saved_entries(d, args, res, None, name) if d.saves else ()
    node = _node(d, name, _new(FusedBackward, (apply, static, dynamic, mask, None)), edges,
                 out_avals, saved, args)
    dt = res._dtype
    _check_output_dtype(dt, args, name)
    if dt.is_floating_point or dt.is_complex:
        res._grad_fn = node
        res._requires_grad = True
    if saved and _saves_result(d):      # it saved its own output
        res._saved_by = node
    return node


# ------------------------------------------------------------------ pure backward functions
def op_cotangent(single, out_avals, cts):
    """The VJP's cotangent from a node's per-output cotangents (float0 zeros for integer
    outputs, which JAX's VJP expects there)."""
    return cts[0] if single else tuple(
        c if np.dtype(av[1]).kind in "fc" else zero_cotangent(av[0], av[1])
        for c, av in zip(cts, out_avals))


def _edge_grads(diff_slots, n_edges, grads):
    """One gradient (or None) per autograd edge from the VJP's per-argument gradients; a slot
    is an edge position, or a list/tuple of them for a tensor-list argument."""
    res = [None] * n_edges
    for slot, g in zip(diff_slots, grads):
        if isinstance(slot, (list, tuple)):
            for p, ge in zip(slot, g):
                res[p] = ge
        else:
            res[slot] = g
    return res


def fused_op(static, vjp, cts):
    """A recorded op's backward from its forward's VJP closure (the jitted ``run_vjp``
    inlines into the fused program)."""
    single, out_avals, diff_slots, n_edges = static
    return _edge_grads(diff_slots, n_edges,
                       run_vjp(vjp, op_cotangent(single, out_avals, cts)))


def fused_recompute(static, arrays, cts):
    """A fast-path node's backward from the op's jit arguments (``RecomputeStatic``)."""
    run, out_avals, diff_slots, n_edges = static
    return _edge_grads(diff_slots, n_edges, run(arrays, cts[0]))


def prepare_op_static(raw):
    """(hashable static, edge mask) of a full-path node's backward, from ``record``'s data."""
    mask = [False] * raw.n_edges
    for slot in raw.diff_slots:
        for p in (slot if isinstance(slot, list) else (slot,)):
            mask[p] = True
    slots = tuple(tuple(s) if isinstance(s, list) else s for s in raw.diff_slots)
    return raw._replace(diff_slots=slots), tuple(mask)
