"""Optimizers torch does not have, built on optax (jtorch extensions): ``Lion``, ``LAMB``,
``LARS``, ``Yogi``, ``Novograd``, ``ScheduleFreeAdamW``, ``ScheduleFreeSGD``.

Each takes torch-style arguments (``lr``, ``betas``, ``eps``, ``weight_decay``, ...), keeps them
as group options, and runs optax's own transform through ``Optax``: the updates are optax's
(bit-equal on the same gradients), not a torch-style re-derivation.

``lr``, ``eps``, ``weight_decay`` (and LARS's ``trust_coefficient``, schedule-free's
``weight_lr_power``) enter the jitted update as weakly typed float64 scalars from which optax's
transform is rebuilt inside it: they round exactly as the Python floats of a plain optax call
(``optax.inject_hyperparams`` would cast them to float32 first, and its results would differ
from plain optax's in the last bits), and changing one (an ``lr_scheduler``) recompiles
nothing. The moment decays (``betas``, ``momentum``) stay compile-time constants: traced, they
changed XLA's code for some rules (Yogi's ``b1``: 1 ulp off optax's own), so changing one
compiles anew (state kept), and so does ``nesterov`` or ``warmup_steps`` (optax branches on
them in Python). A scheduler that cycles momentum every step (``OneCycleLR``/``CyclicLR``
with ``cycle_momentum=True``) therefore compiles every step: pass ``cycle_momentum=False``.
"""
from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import optax
import optax.contrib

from .. import _caches
from .._internal import raw, replace_values_
from .optax_wrapper import Optax, _state_key

__all__ = ["Lion", "LAMB", "LARS", "Yogi", "Novograd", "ScheduleFreeAdamW", "ScheduleFreeSGD"]

# transforms kept per optimizer (one per distinct set of static options)
_TRANSFORMS_PER_OPTIMIZER = 16


def _check(lr=0.0, betas=(0.0, 0.0), eps=0.0, weight_decay=0.0, momentum=0.0):
    """torch's constructor checks and messages."""
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")
    if not 0.0 <= eps:
        raise ValueError(f"Invalid epsilon value: {eps}")
    for i, b in enumerate(betas):
        if not 0.0 <= b < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {b}")
    if not 0.0 <= weight_decay:
        raise ValueError(f"Invalid weight_decay value: {weight_decay}")
    if not 0.0 <= momentum:
        raise ValueError(f"Invalid momentum value: {momentum}")


class _Named(Optax):
    """An ``Optax`` whose transform is ``_optax_fn`` built from each group's options."""

    _optax_fn = None
    # never traced: what optax branches on in Python, and the moment decays (see below)
    _static_args = ("b1", "b2", "momentum", "nesterov", "warmup_steps")
    # group options passed to optax under their own names (``betas`` always goes as b1, b2)
    _static_keys = ()

    def __init__(self, params, defaults):
        self._transforms = _caches.Bounded(_TRANSFORMS_PER_OPTIMIZER)
        self._start(params, defaults)

    def __setstate__(self, state):
        self.__dict__.setdefault("_transforms", _caches.Bounded(_TRANSFORMS_PER_OPTIMIZER))
        self.__dict__.setdefault("_eval_saved", None)
        super().__setstate__(state)

    def _static(self, group):
        """optax's keyword arguments other than the learning rate, from the group."""
        static = {k: group[k] for k in self._static_keys}
        if "betas" in group:
            static["b1"], static["b2"] = group["betas"]
        return static

    def _split(self, group):
        """(traced, static) optax keyword arguments of the group: numbers are traced, except
        the ``_static_args`` optax branches on."""
        kwargs = {"learning_rate": group["lr"], **self._static(group)}
        traced = {k: v for k, v in kwargs.items() if k not in self._static_args
                  and not isinstance(v, bool) and isinstance(v, (int, float))}
        static = {k: v for k, v in kwargs.items() if k not in traced}
        return traced, static

    def _transform_for(self, group):
        traced, static = self._split(group)
        key = (tuple(sorted(static.items())), tuple(sorted(traced)))
        tx = self._transforms.get(key)
        if tx is None:
            # the first group's values: this object keys the plan; every update rebuilds
            tx = self._transforms.put(key, type(self)._optax_fn(**traced, **static))
        return tx

    def _rebuild_for(self, group):
        traced, static = self._split(group)
        names = tuple(sorted(traced))
        factory = type(self)._optax_fn

        def rebuild(values):
            return factory(**dict(zip(names, values)), **static)
        return names, tuple(float(traced[n]) for n in names), rebuild

    def _traced_values(self, group, names):
        traced, _ = self._split(group)
        return tuple(_weak_scalar(float(traced[n])) for n in names)


_WEAK = _caches.bounded("optax optimizer hyperparameters", _caches.OPTIM_HYPER)


def _weak_scalar(value):
    """A device scalar that jax types as it types a Python float (weakly), made once per
    value (a Python float argument would be copied to the device on every call)."""
    key = (value, math.copysign(1.0, value))
    arr = _WEAK.get(key)
    if arr is None:
        arr = _WEAK.put(key, jnp.asarray(value))
    return arr


def _adam_like_defaults(lr, betas, eps, weight_decay):
    """The checked defaults of the Adam-like optimizers with decoupled weight decay (LAMB,
    Novograd)."""
    _check(lr, betas, eps, weight_decay)
    return {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay}


class Lion(_Named):
    """Lion (Chen et al., 2023): the sign of an interpolated momentum, with decoupled
    weight decay. ``betas = (b1, b2)`` as in optax.lion. jtorch extension, not in torch."""

    _optax_fn = staticmethod(optax.lion)
    _static_keys = ("weight_decay",)

    def __init__(self, params, lr=1e-4, betas=(0.9, 0.99), weight_decay=1e-3):
        _check(lr, betas, weight_decay=weight_decay)
        super().__init__(params, {"lr": lr, "betas": tuple(betas),
                                  "weight_decay": weight_decay})


class LAMB(_Named):
    """LAMB (You et al., 2019): Adam's direction scaled per parameter by the trust ratio
    ``||p|| / ||update||``. jtorch extension (optax.lamb), not in torch."""

    _optax_fn = staticmethod(optax.lamb)
    _static_keys = ("eps", "weight_decay")

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-6, weight_decay=0.0):
        super().__init__(params, _adam_like_defaults(lr, betas, eps, weight_decay))


class LARS(_Named):
    """LARS (You et al., 2017): SGD with momentum whose per-parameter step is scaled by
    ``trust_coefficient * ||p|| / ||g + weight_decay * p||``. jtorch extension (optax.lars)."""

    _optax_fn = staticmethod(optax.lars)
    _static_keys = ("momentum", "weight_decay", "trust_coefficient", "eps", "nesterov")

    def __init__(self, params, lr=1.0, momentum=0.9, weight_decay=0.0, trust_coefficient=1e-3,
                 eps=0.0, nesterov=False):
        _check(lr, eps=eps, weight_decay=weight_decay, momentum=momentum)
        super().__init__(params, {"lr": lr, "momentum": momentum, "weight_decay": weight_decay,
                                  "trust_coefficient": trust_coefficient, "eps": eps,
                                  "nesterov": nesterov})


class Yogi(_Named):
    """Yogi (Zaheer et al., 2018): Adam with an additive second-moment update that cannot
    grow the effective step quickly. jtorch extension (optax.yogi), not in torch."""

    _optax_fn = staticmethod(optax.yogi)
    _static_keys = ("eps",)

    def __init__(self, params, lr=1e-2, betas=(0.9, 0.999), eps=1e-3):
        _check(lr, betas, eps)
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps})


class Novograd(_Named):
    """NovoGrad (Ginsburg et al., 2019): Adam-like with a per-layer (per-parameter) second
    moment of the gradient's norm. jtorch extension (optax.novograd), not in torch."""

    _optax_fn = staticmethod(optax.novograd)
    _static_keys = ("eps", "weight_decay")

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.25), eps=1e-6, weight_decay=0.0):
        super().__init__(params, _adam_like_defaults(lr, betas, eps, weight_decay))


class _ScheduleFree(_Named):
    """Schedule-free training (Defazio et al., 2024): the parameters hold the interpolation
    ``y`` where gradients are taken; ``eval()`` swaps in the averaged iterate ``x`` to
    evaluate or save, ``train()`` swaps ``y`` back (as the ``schedulefree`` package's
    optimizers do)."""


    def __init__(self, params, defaults):
        self._eval_saved = None
        super().__init__(params, defaults)

    def _static(self, group):
        static = super()._static(group)
        static["warmup_steps"] = group["warmup_steps"] or None
        if "momentum" in group:
            if not group["weight_decay"]:
                static["weight_decay"] = None   # schedule_free_sgd's default: no decay term
            static["b1"] = group["momentum"]
        return static

    def eval(self):
        """Write the averaged iterate ``x`` into the parameters (``y`` is kept)."""
        if self._eval_saved is not None:
            return
        self._eval_saved = []
        for index, group in enumerate(self.param_groups):
            plan = self._plan_for(index, group)
            leaves = [raw(t) for t in self.state[_state_key(index)]["leaves"]]
            state = jax.tree_util.tree_unflatten(plan.treedef, leaves)
            ys = [raw(p) for p in group["params"]]
            tree = ys if plan.container is None else dict(zip(plan.container, ys))
            xs = optax.contrib.schedule_free_eval_params(state, tree)
            xs = list(xs) if plan.container is None else [xs[n] for n in plan.container]
            for p, x in zip(group["params"], xs):
                replace_values_(p, x)
            self._eval_saved.append(ys)

    def train(self):
        """Restore the training iterate ``y`` after ``eval()``."""
        if self._eval_saved is None:
            return
        for group, ys in zip(self.param_groups, self._eval_saved):
            for p, y in zip(group["params"], ys):
                replace_values_(p, y)
        self._eval_saved = None


class ScheduleFreeAdamW(_ScheduleFree):
    """Schedule-free AdamW (optax.contrib.schedule_free_adamw): no learning-rate schedule
    needed; call ``eval()`` before evaluating and ``train()`` after. jtorch extension."""

    _optax_fn = staticmethod(optax.contrib.schedule_free_adamw)
    _static_keys = ("eps", "weight_decay", "weight_lr_power")

    def __init__(self, params, lr=2.5e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 warmup_steps=0, weight_lr_power=2.0):
        _check(lr, betas, eps, weight_decay)
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps,
                                  "weight_decay": weight_decay, "warmup_steps": warmup_steps,
                                  "weight_lr_power": weight_lr_power})


class ScheduleFreeSGD(_ScheduleFree):
    """Schedule-free SGD (optax.contrib.schedule_free_sgd; ``momentum`` is its ``b1``);
    call ``eval()`` before evaluating and ``train()`` after. jtorch extension."""

    _optax_fn = staticmethod(optax.contrib.schedule_free_sgd)
    _static_keys = ("weight_decay", "weight_lr_power")

    def __init__(self, params, lr=1.0, momentum=0.9, weight_decay=0.0, warmup_steps=0,
                 weight_lr_power=2.0):
        _check(lr, weight_decay=weight_decay, momentum=momentum)
        super().__init__(params, {"lr": lr, "momentum": momentum,
                                  "weight_decay": weight_decay, "warmup_steps": warmup_steps,
                                  "weight_lr_power": weight_lr_power})
