"""create_graph=True: a node's backward run as an op call, so it is recorded and can be
differentiated again.

Each recorded op's node holds ``Node._diff = partial(replay_backward, d, key, ...)``. The
replay builds (once per op, key and argument structure) a table op computing the op's input
gradients from (input leaves, cotangents) with ``jax.vjp`` of the same compiled forward, and
calls it through the dispatcher: its node is "<Name>BackwardBackward0". torch differentiates
its derivative formula op by op instead (CONTRIBUTING.md, "Higher-order gradients").
"""
from __future__ import annotations

import re

import jax

from . import _dispatch                   # (a cycle by nature: a replay is an op call)
from ._compile import build, conj_complex
from ._ops.registry import OpDef, Promotion
from ._record import op_cotangent
from ._tensor import Tensor


def _flatten_args(targs):
    """Leaves of the tensor-like args, one per autograd edge (None kept as a leaf, exactly as
    ``_record.record`` lays edges out), and the structure to rebuild them."""
    return jax.tree_util.tree_flatten(list(targs), is_leaf=lambda v: v is None)


def _vjp_opdef(d, key, tdef, diff_leaves, out_avals, single):
    """An op computing ``d``'s input gradients from (input leaves, cotangents)."""
    vkey = ("vjp", key, tdef, diff_leaves, single)
    vd = d.cache.get(vkey)
    if vd is None:
        f = build(d, key.statics, dict(key.static_kwargs), key.compute_dtype, key.out_dtype)

        def vjp_fn(xs, cts):
            def g(*dx):
                leaves = list(xs)
                for i, v in zip(diff_leaves, dx):
                    leaves[i] = v
                return f(*jax.tree_util.tree_unflatten(tdef, leaves))
            _, pullback = jax.vjp(g, *[xs[i] for i in diff_leaves])
            ct = op_cotangent(single, out_avals, cts)
            return conj_complex(tuple(pullback(conj_complex(ct))))
        vd = OpDef(d.name + "_backward", vjp_fn, ("xs", "cts"), "", None, Promotion.NONE,
                   _backward_name(d), (), None, ())
        d.cache[vkey] = vd
    return vd


def _backward_name(d):
    """The replayed backward's node name: "MulBackward0" -> "MulBackwardBackward0"; an op
    whose node name depends on its arguments is named from the op, in CamelCase ("pow" ->
    "PowBackwardBackward0")."""
    if isinstance(d.grad_fn, str) and "Backward" in d.grad_fn:
        return re.sub(r"Backward\d*$", "BackwardBackward0", d.grad_fn)
    return "".join(p[:1].upper() + p[1:] for p in d.name.split("_")) + "BackwardBackward0"


def replay_backward(d, key, targs, diff_idx, n_edges, out_avals, single, cts):
    """``Node._diff`` of a dispatched op: its input gradients, recorded."""
    leaves, tdef = _flatten_args(targs)
    owner = []  # top-level argument index of each leaf
    for i, a in enumerate(targs):
        owner.extend([i] * len(_flatten_args([a])[0]))
    diff_leaves = tuple(k for k, (i, leaf) in enumerate(zip(owner, leaves))
                        if i in diff_idx and isinstance(leaf, Tensor) and leaf._requires_grad)
    vd = _vjp_opdef(d, key, tdef, diff_leaves, out_avals, single)
    grads = _dispatch.call(vd, (tuple(leaves), tuple(cts)), {})
    res = [None] * n_edges
    for k, g in zip(diff_leaves, grads):
        res[k] = g
    return res
