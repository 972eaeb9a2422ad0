"""True division with torch's derivative formulas (``pointwise.div``)."""
import jax

from .. import _rounding


@jax.custom_jvp
def true_div(a, b):
    """``a / b`` correctly rounded (floating operands)."""
    return _rounding.divide(a, b)


@true_div.defjvp
def _true_div_jvp(primals, tangents):
    # torch's formulas: grad / other, and -grad * ((self / other) / other) for other (JAX's
    # -grad * self / other**2 rounds differently: x / x gives 1e-8, not 0, at x = 7); the
    # barrier keeps XLA from rewriting (a / b) / b into a / (b * b)
    (a, b), (ta, tb) = primals, tangents
    out = true_div(a, b)
    q = _rounding.divide(jax.lax.optimization_barrier(out), b)
    return out, _rounding.divide(ta, b) - tb * q
