"""Compiled modules: torch's ``OptimizedModule`` wrapper, and the differentiable program.

Under grad a compiled forward records ONE autograd node (``CompiledFunctionBackward``, as
torch names it) whose backward is one compiled program: JAX's VJP of the traced forward
with respect to the arrays of the parameters and inputs that require grad (the forward is
recomputed inside it, so nothing but the input arrays is held between the two calls).
"""
from __future__ import annotations

import jax
import numpy as np
from jax.extend.core import jaxpr_as_fun

import jtorch
from ..autograd.function import Function
from ..nn.modules.module import Module
from . import _program, _state
from ._wrapper import Compiled, _hyper

Tensor = jtorch.Tensor


class CompiledFunction(Function):
    """The one node a compiled forward records; ``payload`` is the call's backward."""

    @staticmethod
    def forward(ctx, payload, *tensors):
        ctx.payload = payload
        return tuple(payload["outs"])

    @staticmethod
    def backward(ctx, *grads):
        p = ctx.payload
        cts = [np.zeros(o.shape, jax.dtypes.float0) if not _floating(o)
               else (jax.numpy.zeros(o.shape, o._value().dtype) if g is None else g._value())
               for o, g in zip(p["outs"], grads)]
        gs = p["bwd"](p["arrays"], p["key"], p["hyper"], cts)
        return (None,) + tuple(Tensor._make(g, t.dtype, t.device)
                               for g, t in zip(gs, p["diff_tensors"]))


def _floating(t):
    return t.dtype.is_floating_point or t.dtype.is_complex


class DiffCompiled(Compiled):
    """A module forward that records one autograd node when grad is needed."""

    def _compile(self, key, args, kwargs, roots, storages):
        if not jtorch.is_grad_enabled():
            return super()._compile(key, args, kwargs, roots, storages)
        plan = super()._compile(key, args, kwargs, roots, storages, grad_inside=False)
        if plan is None:
            return None
        forward = jaxpr_as_fun(plan.jaxpr)     # the traced forward, not the Python again

        def bwd(arrays, key_, hyper, cts):
            def f(d):
                full = list(arrays)
                for j, i in enumerate(plan.diff):
                    full[i] = d[j]
                out = forward(*jax.tree_util.tree_leaves((full, key_, hyper)))
                return jax.tree_util.tree_unflatten(plan.out_tree, out)[0]
            return jax.vjp(f, [arrays[i] for i in plan.diff])[1](cts)[0]
        plan.bwd = jax.jit(bwd)
        return plan

    def _execute(self, plan, storages, roots, hyper=None):
        if getattr(plan, "bwd", None) is None:
            return super()._execute(plan, storages, roots, hyper)
        arrays = [st.array for st in storages]
        steady = hyper is not None          # a fast-guard call (Compiled._run_fast)
        if not steady:
            hyper = _hyper(_state.hyper_values(roots))
        key = _program.draw_key(plan)
        res, changed, new = plan.exe(arrays, key, hyper)
        made = _program.write_back(plan, storages, changed, new, steady)
        outs = [Tensor._make(a, m[0], m[1]) for a, (k, m) in
                zip(res, [s for s in plan.result[1] if s[0] == "t"])]
        diff_tensors = [self._owner[i] for i in plan.diff]
        payload = {"outs": outs, "bwd": plan.bwd, "arrays": arrays, "key": key,
                   "hyper": hyper, "diff_tensors": diff_tensors}
        if diff_tensors:
            outs = list(CompiledFunction.apply(payload, *diff_tensors))
        it = iter(outs)
        return _program.rebuild(plan, res, wrap=lambda a, meta: next(it)), made


class FunctionCompiled(DiffCompiled):
    """A compiled plain function. Traced as called; when its results require grad and it
    ran no ``backward()`` (a differentiable function, not a training step), it is traced
    again as a module forward is: one ``CompiledFunctionBackward`` node on its results."""

    def _compile(self, key, args, kwargs, roots, storages):
        plan = Compiled._compile(self, key, args, kwargs, roots, storages)
        if plan is None or not jtorch.is_grad_enabled() or not plan.result_requires_grad \
                or plan.wrote_grads:
            return plan
        del self.cache[key]
        self.compiles -= 1
        return super()._compile(key, args, kwargs, roots, storages)


class OptimizedModule(Module):
    """torch._dynamo.eval_frame.OptimizedModule: the original module under ``_orig_mod``;
    attribute access forwarded; calls run the compiled forward."""

    def __init__(self, mod, fullgraph=False):
        super().__init__()
        self._orig_mod = mod
        object.__setattr__(self, "_compiled", DiffCompiled(mod, fullgraph, roots=[mod]))

    def __call__(self, *args, **kwargs):
        return self._compiled(*args, **kwargs)

    def forward(self, *args, **kwargs):
        return self._compiled(*args, **kwargs)

    def __getattr__(self, name):
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self._modules["_orig_mod"], name)


OptimizedModule.__module__ = "torch._dynamo.eval_frame"
