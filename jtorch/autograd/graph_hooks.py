"""The rest of torch.autograd.graph: gradient edges, multi-tensor hooks, saved-tensor hooks,
mutation of saved tensors, version bumps (re-exported by graph.py)."""
from __future__ import annotations

import collections
import contextlib
import functools
import threading

from . import dispatch_modes, graph
from .._tensor import Tensor


class GradientEdge(collections.namedtuple("GradientEdge",
                                          ["node", "output_nr", "ownership_token"])):
    """A (node, output index) pair: where a tensor's gradient enters the graph. Usable in
    place of a tensor as an input or output of ``autograd.grad``."""

    def __new__(cls, node, output_nr, ownership_token=None):
        return super().__new__(cls, node, output_nr, ownership_token)


def get_gradient_edge(tensor):
    if not tensor.requires_grad:
        raise RuntimeError("It is not possible to get the gradient edge for a Tensor that does "
                           "not require gradients")
    from .engine import grad_edge
    node, nr = grad_edge(tensor)
    return GradientEdge(node, nr)


def increment_version(tensor):
    for t in ((tensor,) if isinstance(tensor, Tensor) else tensor):
        t._storage.version += 1


# ------------------------------------------------------------------ multi-tensor hooks
class _MultiHandle:
    def __init__(self, handles):
        self.handles = handles

    def remove(self):
        for h in self.handles:
            h.remove()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def register_multi_grad_hook(tensors, fn, *, mode="all"):
    """``mode="all"``: ``fn(grads)`` once per backward that reaches any of the tensors, with
    None for those it did not reach (called when that backward ends); ``mode="any"``:
    ``fn(grad)`` once per backward, with the first of their gradients computed."""
    if mode not in ("all", "any"):
        raise ValueError(f"Expects mode to be one of ('all', 'any') but got {mode}")
    from .engine import queue_callback
    tensors = tuple(tensors)
    lock = threading.Lock()
    pending = {}        # "all": index -> grad of the running backward; "any": {"fired": True}

    def finish():
        with lock:
            grads = [pending.get(i) for i in range(len(tensors))]
            pending.clear()
        fn(grads)

    def reset():
        pending.clear()

    def make_hook(i):
        def hook(grad):
            with lock:
                first = not pending
                if mode == "all":
                    pending[i] = grad
                elif first:
                    pending["fired"] = True
            if first:
                queue_callback(finish if mode == "all" else reset)
                if mode == "any":
                    fn(grad)
        return hook
    return _MultiHandle([t.register_hook(make_hook(i)) for i, t in enumerate(tensors)
                         if t.requires_grad])


# ------------------------------------------------------------------ saved tensors
_hooks_state = threading.local()


def _stack():
    s = getattr(_hooks_state, "stack", None)
    if s is None:
        s = _hooks_state.stack = []
    return s


def current_saved_hooks():
    """The innermost (pack_hook, unpack_hook) pair, or None (read by autograd.Function)."""
    s = _stack()
    return s[-1] if s else None


class saved_tensors_hooks:
    """Pack/unpack hooks for saved tensors: what a custom ``autograd.Function`` saves
    (``ctx.save_for_backward`` packs, ``ctx.saved_tensors`` unpacks and uses the result);
    for a built-in op, the tensors torch saves for it are packed when it is recorded and
    unpacked when its backward runs (``pack_saved``)."""

    def __init__(self, pack_hook, unpack_hook):
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self):
        msg = getattr(_hooks_state, "disabled", None)
        if msg is not None:
            raise RuntimeError(msg)
        _stack().append((self.pack_hook, self.unpack_hook))
        dispatch_modes.refresh()

    def __exit__(self, *exc):
        _stack().pop()
        dispatch_modes.refresh()
        return False


def pack_saved(result, start, hooks):
    """Pack what the node an op just recorded saved (torch's saved tensors of that op, as
    its ``_saved_*`` attributes name them); its backward unpacks them before it runs. The
    backward computes from the values it holds, so an unpack hook's result is not used."""
    from . import saved_attrs
    first = result[0] if isinstance(result, tuple) else result
    node = first._grad_fn if isinstance(first, Tensor) else None
    if node is None or node._seq < start or node._backward_fn is None:
        return
    pack, unpack = hooks
    packed = []
    for read in saved_attrs.tensor_readers(node):
        t = read()
        if isinstance(t, Tensor):
            packed.append(pack(t))
    if packed:
        node._backward_fn = functools.partial(_unpack_then, unpack, packed, node._backward_fn)
        node._fused = None          # the fused program would not call the unpack hook


def _unpack_then(unpack, packed, backward_fn, cts):
    for p in packed:
        unpack(p)
    return backward_fn(cts)


class save_on_cpu(saved_tensors_hooks):
    """Saved tensors moved to the CPU and back (jtorch's tensors live on the CPU already)."""

    def __init__(self, pin_memory=False, device_type="cuda"):
        def pack(t):
            return (t.device, t.cpu())

        def unpack(packed):
            device, t = packed
            return t.to(device)
        super().__init__(pack, unpack)


@contextlib.contextmanager
def disable_saved_tensors_hooks(error_message):
    prev = getattr(_hooks_state, "disabled", None)
    _hooks_state.disabled = error_message
    try:
        yield
    finally:
        _hooks_state.disabled = prev


class _AllowMutationOnSavedContext:
    def __init__(self):
        self.start = None


@contextlib.contextmanager
def allow_mutation_on_saved_tensors():
    """Nodes recorded inside may see their saved tensors modified in place: jtorch's nodes
    hold the values they were recorded with (immutable JAX arrays), so their backward is
    unchanged and only the version check is skipped for them."""
    ctx = _AllowMutationOnSavedContext()
    ctx.start = next(graph._seq)
    span = [ctx.start, None]
    graph.mutation_allowed.append(span)
    try:
        yield ctx
    finally:
        span[1] = next(graph._seq)


@contextlib.contextmanager
def region_activation_memory_budget(budget):
    yield       # a compiler (torch.compile) setting: nothing to do eagerly


def set_warn_on_accumulate_grad_stream_mismatch(enabled):
    pass        # CUDA streams: jtorch has none


def set_override_stale_capture_stream(enabled):
    pass        # CUDA graph capture: jtorch has none
