"""The dispatcher's mode hook: while a forward-AD level or saved-tensor hooks are active,
``_dispatch.call`` hands every op to ``mode_call`` (one module-global check on its path,
``_dispatch._forward_ad``; None otherwise), which runs the op on the plain dispatcher and then
applies each active mode to its result."""
from __future__ import annotations

from . import graph


def _dispatch():
    from .. import _dispatch as d
    return d


def refresh():
    """Install or remove the hook after a mode was entered or left."""
    from . import forward_ad, graph_hooks
    active = forward_ad._level[0] is not None or graph_hooks.current_saved_hooks() is not None
    _dispatch()._forward_ad = mode_call if active else None


def mode_call(d, args, kwargs, inplace_target):
    from . import forward_ad, graph_hooks
    dp = _dispatch()
    dp._forward_ad = None       # the op itself (and a JVP trace of it) runs plainly
    try:
        start = next(graph._seq)
        if forward_ad._level[0] is not None:
            result = forward_ad._dual_call(dp, d, args, kwargs, inplace_target)
        else:
            result = dp.call(d, args, kwargs, inplace_target)
        hooks = graph_hooks.current_saved_hooks()
        if hooks is not None:
            graph_hooks.pack_saved(result, start, hooks)
    finally:
        dp._forward_ad = mode_call
    return result
