"""torch.autograd.gradcheck / gradgradcheck: analytical vs finite-difference Jacobians."""
from __future__ import annotations

import numpy as np
from .._tensor import Tensor


class GradcheckError(RuntimeError):
    pass


def _as_tuple(x):
    return x if isinstance(x, tuple) else (x,)


def _numerical_jacobian(fn, inputs, i, eps):
    x = inputs[i]
    base = np.asarray(x.detach()._value()).astype(np.float64)
    cols = []
    for k in range(base.size):
        outs = []
        for sign in (1, -1):
            pert = base.copy().reshape(-1)
            pert[k] += sign * eps
            args = list(inputs)
            args[i] = Tensor._make(_jnp().asarray(pert.reshape(base.shape).astype(base.dtype)),
                                   x.dtype)
            outs.append([np.asarray(o.detach()._value()).astype(np.float64).reshape(-1)
                         for o in _as_tuple(fn(*args))])
        cols.append([(p - m) / (2 * eps) for p, m in zip(*outs)])
    return [np.stack([c[j] for c in cols], axis=1) if cols else None
            for j in range(len(cols[0]) if cols else 0)]


def _jnp():
    import jax.numpy as jnp
    return jnp


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
              check_batched_grad=False, check_batched_forward_grad=False,
              check_forward_ad=False, check_backward_ad=True, fast_mode=False, masked=None):
    """Compare the analytical Jacobian (via autograd.grad) with central differences."""
    from . import grad as autograd_grad
    inputs = _as_tuple(inputs)
    diff_inputs = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    outputs = _as_tuple(func(*inputs))
    for i in diff_inputs:
        numerical = _numerical_jacobian(func, inputs, i, eps)
        for j, out in enumerate(outputs):
            n_out = out.numel()
            analytical = np.zeros((n_out, inputs[i].numel()))
            for r in range(n_out):
                onehot = np.zeros(n_out)
                onehot[r] = 1.0
                g = Tensor._make(_jnp().asarray(onehot.reshape(tuple(out.shape)).astype(
                    out.dtype._np)), out.dtype)
                res = autograd_grad(_as_tuple(func(*inputs))[j], inputs[i], g,
                                    allow_unused=True)[0]
                if res is not None:
                    analytical[r] = np.asarray(res._value()).reshape(-1)
            if not np.allclose(analytical, numerical[j], rtol=rtol, atol=atol):
                if not raise_exception:
                    return False
                raise GradcheckError(
                    f"Jacobian mismatch for output {j} with respect to input {i},\n"
                    f"numerical:{Tensor._make(_jnp().asarray(numerical[j]))}\n"
                    f"analytical:{Tensor._make(_jnp().asarray(analytical))}\n")
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
                  check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False,
                  masked=False):
    """gradcheck of the function (inputs, grad_outputs) -> input gradients (create_graph)."""
    from . import grad as autograd_grad
    inputs = _as_tuple(inputs)
    outputs = _as_tuple(func(*inputs))
    if grad_outputs is None:
        # random cotangents, as torch draws them (fixed seed: the check is repeatable)
        rng = np.random.RandomState(0)
        grad_outputs = tuple(
            Tensor._make(_jnp().asarray(np.asarray(rng.randn(*o.shape)).astype(o.dtype._np)),
                         o.dtype).requires_grad_(True) for o in outputs)
    grad_outputs = _as_tuple(grad_outputs)
    n_in = len(inputs)
    diff = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]

    def first_grads(*args):
        xs, gos = list(args[:n_in]), args[n_in:]
        for i in diff:      # the finite differences pass perturbed copies without grad
            if not xs[i].requires_grad:
                xs[i] = xs[i].detach().requires_grad_(True)
        outs = _as_tuple(func(*xs))
        gs = autograd_grad(outs, [xs[i] for i in diff], gos, create_graph=True,
                           allow_unused=True, materialize_grads=True)
        return tuple(gs)
    return gradcheck(first_grads, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
