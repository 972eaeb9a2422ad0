"""The Hurwitz zeta function as torch's CPU kernel computes it (Cephes' ``zeta``: a direct sum
until the terms are negligible or the argument passes 9, then Euler-Maclaurin with twelve
Bernoulli terms), in float64 as torch accumulates float inputs.

JAX's zeta differs for a negative non-integer ``q`` with an integer ``x`` (torch sums the
series from there; JAX returns a different continuation) and for ``q = 0``; polygamma
(n >= 2) is built on this function, so its values at negative x follow too."""
import jax
import jax.numpy as jnp

_MACHEP = 1.11022302462515654042e-16
# (2k)! / B_2k for k = 1..12
_A = (12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9,
      7.47242496e10, -2.950130727918164224e12, 1.1646782814350067249e14,
      -4.5979787224074726105e15, 1.8152105401943546773e17, -7.1661652561756670113e18)


def zeta(x, q):
    """zeta(x, q) element-wise (broadcast), computed in float64, returned in float64."""
    x, q = jnp.broadcast_arrays(jnp.asarray(x, jnp.float64), jnp.asarray(q, jnp.float64))
    pole = (q <= 0) & (q == jnp.floor(q))
    special = jnp.where(x == 1, jnp.inf, jnp.nan)   # x == 1: inf; x < 1 or q^-x undefined: NaN
    special = jnp.where((x > 1) & pole, jnp.inf, special)
    undefined = (x == 1) | (x < 1) | pole | ((q <= 0) & (x != jnp.floor(x)))
    # the undefined elements run the loops on a harmless argument and are replaced at the end
    xs, qs = jnp.where(undefined, 2.0, x), jnp.where(undefined, 1.0, q)
    s, a, b, done = _direct_sum(xs, qs)
    s = _euler_maclaurin(xs, s, a, b, done)
    return jnp.where(undefined, special, s)


def _direct_sum(x, q):
    """s = sum_{k=0}^{i} (q + k)^-x for at least 9 terms and until q + i > 9; an element
    whose last term is below MACHEP * s is finished (its sum is the result)."""
    def cond(state):
        i, s, a, b, done = state
        return jnp.any(~done & ((i < 9) | (a <= 9.0)))

    def body(state):
        i, s, a, b, done = state
        live = ~done & ((i < 9) | (a <= 9.0))
        a2 = jnp.where(live, a + 1.0, a)
        b2 = jnp.where(live, a2 ** -x, b)
        s2 = jnp.where(live, s + b2, s)
        small = (-_MACHEP * s2 < b2) & (b2 < _MACHEP * s2)
        return i + 1, s2, a2, b2, done | (live & small)

    zero = jnp.zeros_like(x)
    init = (jnp.int32(0), q ** -x, q, zero, jnp.zeros(x.shape, bool))
    _, s, a, b, done = jax.lax.while_loop(cond, body, init)
    return s, a, b, done


def _euler_maclaurin(x, s, a, b, done):
    """The tail of the series from w = a: b w / (x - 1) - b / 2 and the Bernoulli terms,
    stopping per element once a term is below MACHEP relative to the sum."""
    w = a
    s2 = s + b * w / (x - 1.0) - 0.5 * b
    fin = done
    s = jnp.where(done, s, s2)
    aa, k = jnp.ones_like(x), 0.0
    for coeff in _A:
        aa = aa * (x + k)
        b = b / w
        t = aa * b / coeff
        s = jnp.where(fin, s, s + t)
        fin = fin | (jnp.abs(t / s) < _MACHEP)
        k += 1.0
        aa = aa * (x + k)
        b = b / w
        k += 1.0
    return s
