"""``jtorch.optim.to_optax(optimizer_class, **hyper)``: a jtorch built-in optimizer's
torch-exact update rule as an ``optax.GradientTransformation`` (a jtorch extension).

For plain-JAX training code that wants torch's numbers: ``to_optax(jtorch.optim.Adam, lr=1e-3)``
runs the same pure rule (``_functional.adam``) as ``jtorch.optim.Adam``, so the parameters it
produces are bit-equal to jtorch's (and so to torch's) on the same gradients.

Two details make that hold through optax's interface:
- optax returns *updates* that ``optax.apply_updates`` adds to the parameters. The rule gives
  new parameters; the update is their difference computed in float64 (exact for float32 and
  narrower parameters), so ``params + updates`` rounds back to exactly the rule's parameters.
- the hyperparameters and the rounding fences' traced zero live in the state, so under a
  user's ``jax.jit`` they stay run-time values (a compile-time constant could be folded, and
  torch computes ``1 - beta1`` and the like in double precision at run time).
The transform needs ``params`` in ``update`` (as ``optax.adamw`` does). Hyperparameters are
fixed when the transform is made.
"""
from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax

import jtorch
from .._internal import from_raw, raw
from . import _functional
from .optimizer import _FusedOptimizer

__all__ = ["to_optax", "TorchRuleState"]


class TorchRuleState(NamedTuple):
    """The optax state of a ``to_optax`` transform."""
    hyper: Any      # float64 vector: the optimizer's traced hyperparameters
    zero: Any       # int32 0: the rounding fences' run-time zero
    started: Any    # bool: a buffer created by the first step (SGD's momentum) exists
    buffers: Any    # per parameter leaf: the optimizer's state arrays, in its key order


def to_optax(optimizer_class, **hyper):
    """An optax transform applying ``optimizer_class(params, **hyper)``'s update rule."""
    if not (isinstance(optimizer_class, type) and issubclass(optimizer_class, _FusedOptimizer)
            and optimizer_class._rule is not None):
        raise TypeError("to_optax expects one of jtorch.optim's one-call optimizers (SGD, "
                        "Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam), but "
                        f"got {getattr(optimizer_class, '__name__', optimizer_class)!r}")
    probe = optimizer_class([jtorch.zeros(1, requires_grad=True)], **hyper)
    group = probe.param_groups[0]
    probe._check_group(group)
    flags = probe._flags(group)
    keys = probe._state_keys(group)
    lazy = tuple(k in probe._lazy_keys for k in keys)
    h = np.asarray(probe._hyper(group), dtype=np.float64)
    device = group["params"][0].device
    rule = _functional.compiled(optimizer_class._rule, flags)

    def init_fn(params):
        buffers = []
        for leaf in jax.tree_util.tree_leaves(params):
            st = {}
            probe._init_state(from_raw(jnp.zeros(leaf.shape, leaf.dtype), device), group, st)
            buffers.append(tuple(jnp.zeros(leaf.shape, leaf.dtype) if is_lazy else raw(st[k])
                                 for k, is_lazy in zip(keys, lazy)))
        return TorchRuleState(jnp.asarray(h), jnp.zeros((), jnp.int32),
                              jnp.zeros((), jnp.bool_), tuple(buffers))

    def update_fn(updates, state, params=None):
        if params is None:
            raise ValueError("to_optax's update needs the params argument (torch's rules read "
                             "the parameters)")
        ps, treedef = jax.tree_util.tree_flatten(params)
        gs = tuple(jax.tree_util.tree_leaves(updates))
        new_p, new_s = rule(tuple(ps), gs, state.buffers, state.hyper, state.zero)
        if any(lazy):
            # before the first step the rule sees no buffer (it copies the gradient)
            fresh = tuple(tuple(None if is_lazy else b for b, is_lazy in zip(st, lazy))
                          for st in state.buffers)
            first_p, first_s = rule(tuple(ps), gs, fresh, state.hyper, state.zero)
            pick = lambda a, b: jnp.where(state.started, a, b)   # noqa: E731
            new_p = jax.tree_util.tree_map(pick, new_p, first_p)
            new_s = jax.tree_util.tree_map(pick, new_s, first_s)
        deltas = [_delta(n, p) for n, p in zip(new_p, ps)]
        new_state = TorchRuleState(state.hyper, state.zero, jnp.ones((), jnp.bool_),
                                   tuple(tuple(s) for s in new_s))
        return jax.tree_util.tree_unflatten(treedef, deltas), new_state

    return optax.GradientTransformation(init_fn, update_fn)


def _delta(new, old):
    """``new - old`` such that ``old + delta`` rounds to ``new`` exactly: float64 for real
    parameters of 32 bits or fewer (their difference is exact there)."""
    if jnp.issubdtype(old.dtype, jnp.floating) and jnp.dtype(old.dtype).itemsize <= 4:
        return new.astype(jnp.float64) - old.astype(jnp.float64)
    return new - old
