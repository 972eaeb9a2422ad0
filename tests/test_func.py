"""torch.func on JAX transforms (issue 19): values against torch.func on the same inputs,
the per-sample-gradient and ensembling examples of torch's docs, JAX interop."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jtorch
import jtorch.func as jf

torch = pytest.importorskip("torch")
import torch.func as tf  # noqa: E402


def _both(shape, seed=0):
    a = np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
    return torch.from_numpy(a.copy()), jtorch.from_numpy(a.copy())


def _close(t, j, rtol=1e-5, atol=1e-6):
    if isinstance(t, dict):
        assert set(t) == set(j)
        for k in t:
            _close(t[k], j[k], rtol, atol)
    elif isinstance(t, (tuple, list)):
        assert len(t) == len(j)
        for a, b in zip(t, j):
            _close(a, b, rtol, atol)
    else:
        assert tuple(t.shape) == tuple(j.shape)
        np.testing.assert_allclose(j.detach().numpy(), t.detach().numpy(), rtol=rtol,
                                   atol=atol)


def _models():
    torch.manual_seed(0)
    tm = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 2))
    jm = jtorch.nn.Sequential(jtorch.nn.Linear(4, 8), jtorch.nn.Tanh(),
                              jtorch.nn.Linear(8, 2))
    jm.load_state_dict({k: jtorch.from_numpy(v.detach().numpy().copy())
                        for k, v in tm.state_dict().items()})
    return tm, jm


def test_per_sample_gradients_example():
    tm, jm = _models()
    tx, jx = _both((6, 4))
    ty, jy = _both((6, 2), 1)

    def make(lib, model):
        def loss(params, buffers, x, y):
            out = lib.func.functional_call(model, (params, buffers), (x.unsqueeze(0),))
            return lib.nn.functional.mse_loss(out, y.unsqueeze(0))
        params = {k: v.detach() for k, v in model.named_parameters()}
        buffers = {k: v.detach() for k, v in model.named_buffers()}
        return lib.func.vmap(lib.func.grad(loss), in_dims=(None, None, 0, 0)), params, buffers
    ft, pt, bt = make(torch, tm)
    fj, pj, bj = make(jtorch, jm)
    _close(ft(pt, bt, tx, ty), fj(pj, bj, jx, jy))


def test_model_ensembling_example():
    import copy
    tms, jms = zip(*[_models() for _ in range(3)])
    for i, (a, b) in enumerate(zip(tms, jms)):   # distinct members
        with torch.no_grad():
            a[0].weight.add_(i)
        with jtorch.no_grad():
            b[0].weight.add_(i)
    tx, jx = _both((5, 4))

    def run(lib, models, x):
        params, buffers = lib.func.stack_module_state(list(models))
        base = copy.deepcopy(models[0])

        def f(p, b, x):
            return lib.func.functional_call(base, (p, b), (x,))
        return lib.func.vmap(f, in_dims=(0, 0, None))(params, buffers, x)
    _close(run(torch, tms, tx), run(jtorch, jms, jx))


def test_grad_argnums_has_aux_and_value():
    (ta, ja), (tb, jb) = _both((3,)), _both((3,), 1)

    def f(lib):
        return lambda a, b: ((a.sin() * b).sum(), a.cos())
    gt = tf.grad_and_value(f(torch), argnums=(0, 1), has_aux=True)(ta, tb)
    gj = jf.grad_and_value(f(jtorch), argnums=(0, 1), has_aux=True)(ja, jb)
    _close(gt[0], gj[0])
    _close(gt[1], gj[1])
    _close(tf.grad(lambda a: a.pow(3).sum())(ta), jf.grad(lambda a: a.pow(3).sum())(ja))


def test_vjp_jvp_jacobians_hessian():
    tx, jx = _both((4,))
    tv, jv = _both((4,), 2)
    _close(tf.vjp(torch.sin, tx)[1](tv), jf.vjp(jtorch.sin, jx)[1](jv))
    _close(tf.jvp(torch.tanh, (tx,), (tv,)), jf.jvp(jtorch.tanh, (jx,), (jv,)))
    for name in ("jacrev", "jacfwd"):
        _close(getattr(tf, name)(lambda x: x.sin() * x.sum())(tx),
               getattr(jf, name)(lambda x: x.sin() * x.sum())(jx))
    _close(tf.hessian(lambda x: x.pow(3).sum())(tx), jf.hessian(lambda x: x.pow(3).sum())(jx))


def test_vmap_dims_and_randomness():
    tx, jx = _both((3, 5))
    _close(tf.vmap(torch.outer, in_dims=(1, None), out_dims=1)(tx, tx[0]),
           jf.vmap(jtorch.outer, in_dims=(1, None), out_dims=1)(jx, jx[0]))
    _close(tf.vmap(tf.vmap(torch.dot))(tx.reshape(3, 5, 1).expand(3, 5, 2), tx.reshape(3, 5, 1)
                                       .expand(3, 5, 2)),
           jf.vmap(jf.vmap(jtorch.dot))(jx.reshape(3, 5, 1).expand(3, 5, 2),
                                         jx.reshape(3, 5, 1).expand(3, 5, 2)))
    with pytest.raises(RuntimeError, match="randomness error mode"):
        jf.vmap(lambda x: x + jtorch.randn_like(x))(jx)
    same = jf.vmap(lambda x: jtorch.randn(2) + 0 * x.sum(), randomness="same")(jx)
    assert np.allclose(same[0].numpy(), same[1].numpy())
    diff = jf.vmap(lambda x: jtorch.randn(2) + 0 * x.sum(), randomness="different")(jx)
    assert not np.allclose(diff[0].numpy(), diff[1].numpy())


def test_jax_interop():
    a = jnp.arange(6.0, dtype=jnp.float32).reshape(2, 3)
    t = jtorch.from_jax(a)
    assert t.dtype == jtorch.float32 and t.to_jax() is a
    _, jm = _models()
    params, fn = jf.to_jax_function(jm)
    x = jnp.ones((5, 4), jnp.float32)
    with jtorch.no_grad():
        ref = jm(jtorch.from_jax(x)).numpy()
    np.testing.assert_allclose(np.asarray(jax.jit(fn)(params, x)), ref, rtol=1e-6)
    g = jax.grad(lambda p: fn(p, x).sum())(params)
    jm(jtorch.from_jax(x)).sum().backward()
    np.testing.assert_allclose(np.asarray(g["0.weight"]), jm[0].weight.grad.numpy(),
                               rtol=1e-5, atol=1e-6)
