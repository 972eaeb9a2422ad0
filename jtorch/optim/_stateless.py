"""``swap_in_optimizer_params_and_state``: run an optimizer's APIs on other parameters and
state for the length of a ``with`` block (torch 2.13), the live ones restored on exit.

The swap-in state is ``optimizer.state_dict()``-shaped: ``"state"`` keyed by packed integer
parameter ids, ``"param_groups"`` one dict per live group with the same keys and a
``"params"`` list of those ids. The explicit parameters come in the live groups' order.
Inside the block each per-parameter state dict is a shallow copy of the supplied one: an
in-place edit of a state tensor reaches the caller's dict, a new tensor assigned does not.
"""
from __future__ import annotations

import contextlib
from collections import defaultdict

import jtorch

_WHO = "swap_in_optimizer_params_and_state requires "


def _check_state(state):
    """The ``"state"`` entry: a dict of packed id -> per-parameter dict."""
    if not isinstance(state, dict):
        raise RuntimeError(f"{_WHO}swapin_optim_state['state'] to be a dict mapping packed "
                           "parameter ids to per-param state dicts, got "
                           f"{type(state).__name__}.")
    if any(isinstance(k, jtorch.Tensor) for k in state):
        raise RuntimeError(f"{_WHO}optimizer.state_dict()-style state keyed by packed "
                           "parameter ids.")
    if any(isinstance(k, int) and not isinstance(v, dict) for k, v in state.items()):
        raise RuntimeError(f"{_WHO}per-parameter optimizer state entries to be dictionaries.")
    return state


def _check_groups(optimizer, groups):
    """The ``"param_groups"`` entry: a list, one group per live group."""
    if not isinstance(groups, list):
        raise RuntimeError(f"{_WHO}swapin_optim_state['param_groups'] to be a list of "
                           f"param-group dicts, got {type(groups).__name__}.")
    if len(groups) != len(optimizer.param_groups):
        raise RuntimeError("swapin_optim_state has a different number of parameter groups "
                           "than the live optimizer.")
    return groups


def _group_ids(idx, live, group):
    """Group ``idx``'s packed parameter ids, checked against its live group."""
    if not isinstance(group, dict):
        raise RuntimeError(f"{_WHO}each optimizer param group to be a dictionary.")
    ids = group.get("params")
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        raise RuntimeError(f"{_WHO}optimizer.state_dict()-style param_groups[*]['params'] "
                           "entries keyed by packed parameter ids.")
    if len(ids) != len(live["params"]):
        raise RuntimeError(f"swapin_optim_state param group {idx} has a different number of "
                           "params than the live optimizer param group.")
    only_new = [k for k in group if k not in live]
    only_live = [k for k in live if k not in group]
    if only_new or only_live:
        raise RuntimeError(f"{_WHO}optimizer.state_dict()-style param group keys to exactly "
                           f"match the live optimizer group keys for group {idx}. Keys only "
                           f"in swap-in: {only_new}. Keys only in live: {only_live}.")
    return ids


def _plan(optimizer, parameters, optim_state):
    """(the packed state, [(live group, swap-in group, its parameters)]), validated."""
    if not optimizer.state:
        raise RuntimeError(f"{_WHO}initialized optimizer state.")
    if not isinstance(optim_state, dict):
        raise RuntimeError(f"{_WHO}a DCP-style optimizer state_dict.")
    state = _check_state(optim_state.get("state"))
    groups = _check_groups(optimizer, optim_state.get("param_groups"))
    flat, offset, seen, plan = list(parameters.values()), 0, set(), []
    for idx, (live, group) in enumerate(zip(optimizer.param_groups, groups)):
        ids = _group_ids(idx, live, group)
        seen.update(ids)
        if offset + len(ids) > len(flat):
            raise RuntimeError(f"{_WHO}the explicit parameter state to match "
                               "optimizer.param_groups ordering.")
        plan.append((live, group, flat[offset:offset + len(ids)]))
        offset += len(ids)
    extra = [k for k in state if k not in seen]
    if extra:
        raise RuntimeError(f"{_WHO}swapin_optim_state['state'] to be keyed only by packed "
                           f"parameter ids from param_groups[*]['params']; got extra keys "
                           f"{extra!r}.")
    return state, plan


@contextlib.contextmanager
def swap_in_optimizer_params_and_state(optimizer, swapin_parameters, swapin_optim_state):
    """Inside the block, ``optimizer`` works on ``swapin_parameters`` (a dict, in the live
    groups' parameter order) and ``swapin_optim_state`` (a ``state_dict()``-shaped dict);
    on exit its groups and state are the live ones again (module doc)."""
    state, plan = _plan(optimizer, swapin_parameters, swapin_optim_state)
    live_state = optimizer.state
    saved = [dict(g) for g in optimizer.param_groups]   # (the same ``params`` list objects)
    try:
        swapped = defaultdict(dict)
        for live, group, params in plan:
            live.update((k, v) for k, v in group.items() if k != "params")
            live["params"] = params
            for p, i in zip(params, group["params"]):
                swapped[p] = dict(state.get(i, {}))
        optimizer.state = swapped
        yield
    finally:
        for live, snapshot in zip(optimizer.param_groups, saved):
            live.clear()
            live.update(snapshot)
        optimizer.state = live_state
