"""``pow``'s kernels as torch's CPU computes them (``pointwise.pow`` declares the op):
integer pow by square-and-multiply with wrap-around, float pow with the exponents torch
special-cases, differentiated by torch's ``pow_backward``."""
import jax
import jax.numpy as jnp


def int_pow(base, exp):
    """torch's integer pow: square-and-multiply with wrap-around; a negative exponent gives
    1 for base 1, +-1 for base -1 and 0 otherwise (XLA's int64 pow differs on both)."""
    base, exp = jnp.broadcast_arrays(base, exp)
    neg = exp < 0

    def step(_, carry):
        r, b, e = carry
        return jnp.where(e & 1, r * b, r), b * b, e >> 1

    bits = 8 * base.dtype.itemsize
    r, _, _ = jax.lax.fori_loop(0, bits, step, (jnp.ones_like(base), base,
                                                jnp.where(neg, 0, exp)))
    one = jnp.ones_like(base)
    at_neg = jnp.where(base == 1, one, jnp.where(base == -1, jnp.where(exp & 1, -one, one),
                                                  jnp.zeros_like(base)))
    return jnp.where(neg, at_neg, r)


def _pow_special(x, e):
    """torch's pow for the exponents its CPU kernel special-cases (x*x for 2, x*x*x for 3,
    sqrt for 0.5, 1/sqrt for -0.5, 1/x for -1, 1/(x*x) for -2), std::pow otherwise. XLA's
    general pow is off by an ulp on many inputs (17% for 0.5, 25% for 3 in float32), so the
    special cases are selected in the compiled program from the exponent's value. torch
    special-cases a Python-number exponent only; a tensor exponent takes std::pow, whose
    pow(-0., 0.5) is 0. and pow(-inf, 0.5) inf (sqrt gives -0. and NaN). By the time the
    operands arrive here a Python number and a 0-dim tensor look alike, so a 0-dim exponent
    counts as a number (a known departure for 0-dim tensor exponents)."""
    if jnp.ndim(e):
        return jnp.power(x, e)
    one = jnp.ones((), x.dtype)
    return jnp.select([e == 2, e == 3, e == 0.5, e == -0.5, e == -1, e == -2, e == 1],
                      [x * x, x * x * x, jnp.sqrt(x), one / jnp.sqrt(x), one / x,
                       one / (x * x), x], jnp.power(x, e))


@jax.custom_jvp
def float_pow(x, e):
    return _pow_special(x, e)


@float_pow.defjvp
def float_pow_jvp(primals, tangents):
    # torch's pow_backward: no gradient to x where e == 0 (JAX: 0 * 0**-1 = NaN at x == 0),
    # none to e where x == 0 and e >= 0 (JAX: out * log(0) = NaN)
    (x, e), (tx, te) = primals, tangents
    out = _pow_special(x, e)
    zero = jnp.zeros((), out.dtype)
    dx = jnp.where(e == 0, zero, e * _pow_special(x, e - 1))
    de = jnp.where((x == 0) & (e >= 0), zero, out * jnp.log(x))
    return out, tx * dx + te * de
