"""The gradient of a whole-tensor max/min as torch's evenly_distribute_backward gives it."""
import functools

import jax
import jax.numpy as jnp


@functools.lru_cache(maxsize=None)     # (two picks: jnp.max, jnp.min)
def evenly(pick):
    """``pick`` (an all-reduce max or min) whose gradient is split among the elements equal
    to the result, or among the NaNs when the result is NaN (JAX's rule finds no element
    equal to a NaN result and gives NaN everywhere; torch fills the others with 0)."""
    @jax.custom_jvp
    def f(x):
        return pick(x)

    @f.defjvp
    def _jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        out = pick(x)
        mask = jnp.where(jnp.isnan(out), jnp.isnan(x), x == out)
        share = jnp.sum(jnp.where(mask, t, jnp.zeros((), t.dtype))) / jnp.sum(mask)
        return out, share.astype(out.dtype)
    return f
