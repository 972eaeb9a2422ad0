"""Float ``remainder`` and ``fmod`` with torch's derivative formulas (``pointwise``).

torch differentiates ``self`` as ``grad`` and ``other`` as ``-grad * q``, with ``q`` the
quotient rounded as the op rounds it (floor for remainder, trunc for fmod). JAX's autodiff of
its own definitions adds a zero from a branch that was not taken (remainder's ``select``), so
where ``q`` is 0 its gradient is 0. where torch's is -0."""
import jax
import jax.numpy as jnp


def with_torch_grad(value, quotient):
    """``value(a, b)``, differentiated as torch does for float operands; ``quotient(a, b)``
    is a / b rounded as the op rounds it."""
    @jax.custom_jvp
    def f(a, b):
        return value(a, b)

    @f.defjvp
    def _jvp(primals, tangents):
        (a, b), (ta, tb) = primals, tangents
        out = f(a, b)
        q = jax.lax.stop_gradient(quotient(a, b))
        return out, jnp.broadcast_to(ta + tb * -q, out.shape)

    def call(a, b):
        return f(a, b) if jnp.issubdtype(jnp.result_type(a, b), jnp.floating) else value(a, b)
    return call
