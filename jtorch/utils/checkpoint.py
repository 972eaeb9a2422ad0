"""torch.utils.checkpoint: trade compute for memory by recomputing a region in backward.

``use_reentrant=True`` (torch's old default): the region runs under no_grad as one custom
Function (``CheckpointFunctionBackward``); its backward reruns the region on detached inputs
with grad enabled and runs a nested backward through it, which accumulates into the
parameters' ``.grad`` (so, as in torch, it needs ``.backward()`` without ``inputs``).

``use_reentrant=False``: the region runs recording its graph, so the outputs carry the real
ops' nodes (``SinBackward0``...) and closed-over parameters get gradients; then each node the
region created is stripped of what it holds (its VJP residuals, saved tensors, replay
arguments), which frees the region's activations. The first of those nodes that backward
reaches reruns the region (same inputs, RNG state restored) and pairs the new graph's nodes
with the stripped ones, walking both from the outputs; each stripped node then runs its
partner's backward.
"""
from __future__ import annotations

import contextlib
import enum
import functools
import warnings

from .. import random as _random
from .. import _grad_mode as grad_mode
from ..autograd import graph as _graph
from ..autograd.engine import grad_edge, is_checkpoint_valid
from ..autograd.function import Function

__all__ = ["checkpoint", "checkpoint_sequential", "CheckpointError", "CheckpointFunction",
           "noop_context_fn", "detach_variable", "check_backward_validity",
           "set_checkpoint_early_stop", "set_checkpoint_debug_enabled", "DefaultDeviceType",
           "get_device_states", "set_device_states", "CheckpointPolicy",
           "SelectiveCheckpointContext", "create_selective_checkpoint_contexts",
           "SAC_IGNORED_OPS", "GraphExecGroup"]


class CheckpointError(RuntimeError):
    pass


def noop_context_fn():
    return contextlib.nullcontext(), contextlib.nullcontext()


def _tensor_cls():
    from .._tensor import Tensor
    return Tensor


def detach_variable(inputs):
    if not isinstance(inputs, tuple):
        raise RuntimeError("Only tuple of tensors is supported. Got Unsupported input type: "
                           f"{type(inputs).__name__}")
    Tensor = _tensor_cls()
    out = []
    for x in inputs:
        if not isinstance(x, Tensor):
            out.append(x)
            continue
        y = x.detach()
        y.requires_grad = x.requires_grad
        out.append(y)
    return tuple(out)


def check_backward_validity(inputs):
    Tensor = _tensor_cls()
    if not any(isinstance(x, Tensor) and x.requires_grad for x in inputs):
        warnings.warn("None of the inputs have requires_grad=True. Gradients will be None",
                      stacklevel=2)


@contextlib.contextmanager
def set_checkpoint_early_stop(enable):
    yield    # jtorch's recomputation always reruns the whole region


class set_checkpoint_debug_enabled(contextlib.ContextDecorator):
    def __init__(self, enabled):
        self.enabled = enabled

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class DefaultDeviceType:
    _default_device_type = "cuda"

    @staticmethod
    def set_device_type(device="cuda"):
        DefaultDeviceType._default_device_type = device

    @staticmethod
    def get_device_type():
        return DefaultDeviceType._default_device_type


def get_device_states(*args):
    """(device ids, RNG states) of the accelerator tensors among ``args``: jtorch's tensors
    live on the CPU, whose generator checkpoint saves itself."""
    return [], []


def set_device_states(devices, states, *, device_type=None):
    pass


class CheckpointPolicy(enum.Enum):
    MUST_SAVE = 0
    PREFER_SAVE = 1
    MUST_RECOMPUTE = 2
    PREFER_RECOMPUTE = 3
    MUST_CPU_OFFLOAD = 4
    PREFER_CPU_OFFLOAD = 5


class SelectiveCheckpointContext:
    def __init__(self, *, is_recompute, op_output=None):
        self.is_recompute = is_recompute
        self.op_output = op_output


SAC_IGNORED_OPS = set()     # torch's aten ops a policy never sees; jtorch has none


def create_selective_checkpoint_contexts(policy_fn_or_list, allow_cache_entry_mutation=False):
    """Selective activation checkpointing: jtorch accepts the policy but recomputes every op
    of the region (values and gradients are the same; the policy function is not called)."""
    if isinstance(policy_fn_or_list, list):
        for op in policy_fn_or_list:
            if not callable(op):
                raise ValueError(f"Expected op in `op_list` to be an OpOverload but got {op} "
                                 f"of type {type(op)}. If you are passing an OpOverloadPacket, "
                                 "please use the OpOverload instead.")
    elif not callable(policy_fn_or_list):
        raise TypeError("policy_fn_or_list must be either a function or a list of ops.")
    return contextlib.nullcontext(), contextlib.nullcontext()


class GraphExecGroup:
    """Backward calls inside share one recomputation per region: jtorch reruns a region
    once per backward that reaches it, so the grouping changes nothing."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@contextlib.contextmanager
def _rng_restored(state):
    """Run with the default generator at ``state`` (None: as it is), restored after."""
    if state is None:
        yield
        return
    with _random.fork_rng():
        _random.set_rng_state(state)
        yield


# ------------------------------------------------------------------ use_reentrant=True
class CheckpointFunction(Function):
    @staticmethod
    def forward(ctx, run_function, preserve_rng_state, *args):
        check_backward_validity(args)
        ctx.run_function = run_function
        ctx.rng_state = _random.get_rng_state() if preserve_rng_state else None
        Tensor = _tensor_cls()
        ctx.inputs = [None if isinstance(a, Tensor) else a for a in args]
        ctx.tensor_indices = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        ctx.save_for_backward(*[a for a in args if isinstance(a, Tensor)])
        return run_function(*args)

    @staticmethod
    def backward(ctx, *grads):
        if not is_checkpoint_valid():
            raise RuntimeError(
                "When use_reentrant=True, torch.utils.checkpoint is incompatible with .grad() "
                "or passing an `inputs` parameter to .backward(). To resolve this error, you "
                "can either set use_reentrant=False, or call .backward() without passing the "
                "`inputs` argument.")
        inputs = list(ctx.inputs)
        for i, t in zip(ctx.tensor_indices, ctx.saved_tensors):
            inputs[i] = t
        inputs = detach_variable(tuple(inputs))
        with _rng_restored(ctx.rng_state), grad_mode.enable_grad():
            outputs = ctx.run_function(*inputs)
        Tensor = _tensor_cls()
        outputs = (outputs,) if isinstance(outputs, Tensor) else tuple(outputs)
        pairs = [(o, g) for o, g in zip(outputs, grads)
                 if isinstance(o, Tensor) and o.requires_grad]
        if not pairs:
            raise RuntimeError("none of output has requires_grad=True, this checkpoint() is "
                               "not necessary")
        from ..autograd import backward
        backward([o for o, _ in pairs], [g for _, g in pairs])
        return (None, None) + tuple(x.grad if isinstance(x, Tensor) else None for x in inputs)


# ------------------------------------------------------------------ use_reentrant=False
def _tensors(obj):
    """The tensors in a (nested) output, in order."""
    Tensor = _tensor_cls()
    if isinstance(obj, Tensor):
        return [obj]
    if isinstance(obj, (list, tuple)):
        return [t for o in obj for t in _tensors(o)]
    if isinstance(obj, dict):
        return [t for o in obj.values() for t in _tensors(o)]
    return []


def _inside(node, start):
    return node is not None and node._seq >= start and \
        node.__class__ is not _graph.AccumulateGrad


def _region_nodes(outputs, start):
    """The nodes created since sequence number ``start`` that the outputs reach."""
    seen = {}
    stack = [grad_edge(t)[0] for t in outputs if t.requires_grad]
    while stack:
        n = stack.pop()
        if not _inside(n, start) or n in seen:
            continue
        seen[n] = None
        stack.extend(nxt for nxt, _ in n.next_functions)
    return list(seen)


class _Recomputation:
    """Reruns a stripped region on demand and pairs its new nodes with the stripped ones."""

    def __init__(self, function, args, kwargs, rng_state, context, start, outputs, check):
        self.function, self.args, self.kwargs = function, args, kwargs
        self.rng_state, self.context, self.check = rng_state, context, check
        self.start = start
        self.out_edges = [grad_edge(t) for t in outputs]
        self.partners = {}

    def partner(self, node):
        new = self.partners.pop(node, None)
        if new is None:
            self._rerun()
            new = self.partners.pop(node, None)
            if new is None:
                raise CheckpointError(
                    "torch.utils.checkpoint: Recomputed values for the following tensors have "
                    "different metadata than during the forward pass.")
        return new

    def _rerun(self):
        from .. import _lazy
        start = next(_graph._seq)
        with _rng_restored(self.rng_state), grad_mode.enable_grad(), self.context:
            outputs = _tensors(self.function(*self.args, **self.kwargs))
        _lazy.flush()
        new_edges = [grad_edge(t) for t in outputs]
        if len(new_edges) != len(self.out_edges):
            raise CheckpointError("torch.utils.checkpoint: the recomputed region returned "
                                  f"{len(new_edges)} tensors, the forward {len(self.out_edges)}")
        stack = [(o, n) for (o, _), (n, _) in zip(self.out_edges, new_edges)]
        while stack:
            old, new = stack.pop()
            if old is None or old in self.partners or old._seq >= start or \
                    old.__class__ is _graph.AccumulateGrad:
                continue
            if new is None or (self.check and (old._name != new._name or
                                               len(old.next_functions) !=
                                               len(new.next_functions))):
                raise CheckpointError(
                    "torch.utils.checkpoint: Recomputed values for the following tensors have "
                    "different metadata than during the forward pass.\n"
                    f"forward node: {old.name()}, recomputed node: "
                    f"{None if new is None else new.name()}")
            self.partners[old] = new
            for (o, _), (n, _) in zip(old.next_functions, new.next_functions):
                if _inside(o, self.start):
                    stack.append((o, n))


def _stub_backward(rec, node, cts):
    return rec.partner(node)._backward_fn(cts)


def _stub_replay(rec, node, cts):
    new = rec.partner(node)
    if new._diff is None:
        raise NotImplementedError("jtorch: create_graph=True (higher-order gradients) is not "
                                  f"supported yet through {new.name()}")
    return new._diff(cts)


def _strip(nodes, rec):
    for node in nodes:
        node._backward_fn = functools.partial(_stub_backward, rec, node)
        node._diff = functools.partial(_stub_replay, rec, node)
        node._fused = None      # the fused backward program takes the engine's path instead
        node._saved = ()


def _checkpoint_without_reentrant(function, preserve, context_fn, determinism_check, args,
                                  kwargs):
    rng_state = _random.get_rng_state() if preserve else None
    forward_ctx, recompute_ctx = context_fn()
    start = next(_graph._seq)
    with forward_ctx:
        result = function(*args, **kwargs)
    if not grad_mode.is_grad_enabled():
        return result
    outputs = _tensors(result)
    nodes = _region_nodes(outputs, start)
    if nodes:
        rec = _Recomputation(function, args, kwargs, rng_state, recompute_ctx, start, outputs,
                             determinism_check != "none")
        _strip(nodes, rec)
    return result


# ------------------------------------------------------------------ public functions
def checkpoint(function, *args, use_reentrant=None, context_fn=noop_context_fn,
               determinism_check="default", debug=False, early_stop=True, **kwargs):
    if use_reentrant is None:
        warnings.warn(
            "torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly. "
            "Starting in PyTorch 2.9, calling checkpoint without use_reentrant will raise an "
            "exception. use_reentrant=False is recommended, but if you need to preserve the "
            "current default behavior, you can pass use_reentrant=True. Refer to docs for more "
            "details on the differences between the two variants.", stacklevel=2)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs and use_reentrant:
        raise ValueError("Unexpected keyword arguments: " + ",".join(arg for arg in kwargs))
    if determinism_check not in ("default", "none"):
        raise ValueError("determinism_check should be one of ['default', 'none'], but got "
                         f"{determinism_check}")
    if use_reentrant:
        if context_fn is not noop_context_fn or debug is not False:
            raise ValueError("Passing `context_fn` or `debug` is only supported when "
                             "use_reentrant=False.")
        return CheckpointFunction.apply(function, preserve, *args)
    return _checkpoint_without_reentrant(function, preserve, context_fn, determinism_check,
                                         args, kwargs)


def checkpoint_sequential(functions, segments, input, use_reentrant=None, **kwargs):
    if use_reentrant is None:
        warnings.warn(
            "torch.utils.checkpoint.checkpoint_sequential: the use_reentrant parameter should "
            "be passed explicitly. In version 2.9 we will raise an exception if use_reentrant "
            "is not passed. use_reentrant=False is recommended, but if you need to preserve "
            "the current default behavior, you can pass use_reentrant=True. Refer to docs for "
            "more details on the differences between the two variants.", stacklevel=2)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs:
        raise ValueError("Unexpected keyword arguments: " + ",".join(arg for arg in kwargs))
    from ..nn import Sequential
    if isinstance(functions, Sequential):
        functions = list(functions.children())

    def run(start, end):
        def forward(x):
            for j in range(start, end + 1):
                x = functions[j](x)
            return x
        return forward

    # torch's split: equal segments of len // segments, the rest in the last (run plainly)
    size = len(functions) // segments
    end = -1
    for start in range(0, size * (segments - 1), size):
        end = start + size - 1
        input = checkpoint(run(start, end), input, use_reentrant=use_reentrant,
                           preserve_rng_state=preserve)
    return run(end + 1, len(functions) - 1)(input)
