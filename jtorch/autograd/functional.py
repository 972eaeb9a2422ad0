"""torch.autograd.functional: vjp, jvp, jacobian, hessian (built on autograd.grad)."""
from __future__ import annotations

from .. import _grad_mode as grad_mode
from .engine import grad as _grad
from .._tensor import Tensor


def _tuple(x):
    return (x,) if isinstance(x, Tensor) else tuple(x)


def _prep(inputs, create_graph):
    return tuple(x.detach().requires_grad_(True) if not create_graph else
                 (x if x.requires_grad else x.detach().requires_grad_(True)) for x in inputs)


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    single = isinstance(inputs, Tensor)
    inputs = _prep(_tuple(inputs), create_graph)
    with grad_mode.enable_grad():
        out = func(*inputs)
        outs = _tuple(out)
        vs = _tuple(v) if v is not None else None
        grads = _grad(outs, inputs, vs, create_graph=create_graph, allow_unused=True,
                      materialize_grads=True)
    out = out if create_graph else (out.detach() if isinstance(out, Tensor)
                                    else tuple(o.detach() for o in out))
    return out, (grads[0] if single else grads)


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """Rows by reverse mode: one backward per output element."""
    from .. import stack, zeros
    single_in = isinstance(inputs, Tensor)
    inputs = _prep(_tuple(inputs), create_graph)
    with grad_mode.enable_grad():
        out = func(*inputs)
    single_out = isinstance(out, Tensor)
    outs = _tuple(out)
    result = []
    for o in outs:
        per_input = [[] for _ in inputs]
        flat = o.reshape(-1)
        for k in range(flat.numel()):
            with grad_mode.enable_grad():
                gs = _grad(flat[k], inputs, retain_graph=True, create_graph=create_graph,
                           allow_unused=True)
            for i, g in enumerate(gs):
                per_input[i].append(g if g is not None else zeros(inputs[i].shape,
                                                                  dtype=inputs[i].dtype))
        jac = []
        for i, rows in enumerate(per_input):
            j = stack(rows) if rows else zeros((0,) + tuple(inputs[i].shape))
            jac.append(j.reshape(tuple(o.shape) + tuple(inputs[i].shape)))
        result.append(jac[0] if single_in else tuple(jac))
    return result[0] if single_out else tuple(result)


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    def grad_fn(*xs):
        with grad_mode.enable_grad():
            out = func(*xs)
            gs = _grad(out, xs, create_graph=True, allow_unused=True, materialize_grads=True)
        return gs[0] if len(xs) == 1 else gs
    return jacobian(grad_fn, inputs, create_graph=create_graph)


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """J @ v by the double-VJP construction: d/du <J^T u, v> = J v (reverse mode twice)."""
    from .. import zeros_like
    single = isinstance(inputs, Tensor)
    inputs = _prep(_tuple(inputs), create_graph)
    vs = _tuple(v) if v is not None else tuple(zeros_like(x) + 1 for x in inputs)
    with grad_mode.enable_grad():
        out = func(*inputs)
        outs = _tuple(out)
        us = tuple(zeros_like(o).requires_grad_(True) for o in outs)
        gs = _grad(outs, inputs, us, create_graph=True, allow_unused=True,
                   materialize_grads=True)
        total = sum((g * vv).sum() for g, vv in zip(gs, vs))
        jv = _grad(total, us, create_graph=create_graph, allow_unused=True,
                   materialize_grads=True)
    out = out.detach() if isinstance(out, Tensor) else tuple(o.detach() for o in out)
    return out, (jv[0] if isinstance(out, Tensor) else jv)


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """v^T H: the gradient of <grad f, v> (f a scalar function)."""
    single = isinstance(inputs, Tensor)
    inputs = _prep(_tuple(inputs), True)
    with grad_mode.enable_grad():
        out = func(*inputs)
        if out.numel() != 1:
            raise RuntimeError("The function given to vhp should return a Tensor with a "
                               "single element")
        gs = _grad(out, inputs, create_graph=True, allow_unused=True, materialize_grads=True)
        vs = _tuple(v) if v is not None else tuple(x.new_ones(x.shape) for x in inputs)
        dot = sum((g * vv).sum() for g, vv in zip(gs, vs))
        res = _grad(dot, inputs, create_graph=create_graph, allow_unused=True,
                    materialize_grads=True)
    res = res if create_graph else tuple(r.detach() for r in res)
    return out.detach() if not create_graph else out, (res[0] if single else res)


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """H v; the Hessian of a scalar function is symmetric, so it equals v^T H."""
    return vhp(func, inputs, v, create_graph, strict)
