"""torch.special functions of issue 18: the Bessel and Airy functions (the Cephes
approximations torch's kernels evaluate, tables in ``_special_tables.py``), the classical
orthogonal polynomials (torch's recurrences and closed forms), gammainc/gammaincc and zeta.
torch records no gradient for the Bessel/Airy functions and polynomials (grad_fn None)."""
import math

import jax
import jax.numpy as jnp
import jax.scipy.special as jss

from . import _cephes_zeta
from . import _special_tables as tab
from ._polynomials import polynomial
from .registry import Promotion, op

_U = dict(variants="", promote=Promotion.INT_TO_FLOAT, grad_fn=None)


def _nan_through(fn):
    """NaN in, NaN out (the kernels' comparisons are all false for NaN)."""
    def wrapped(input):
        return jnp.where(jnp.isnan(input), input, fn(input))
    wrapped.__name__ = fn.__name__
    wrapped.__doc__ = fn.__doc__
    return wrapped


def _horner(coefs, z):
    acc = jnp.zeros_like(z)
    for c in coefs:
        acc = acc * z + c
    return acc


def _chebyshev(coefs, y):
    """Clenshaw's sum of a Chebyshev series as Cephes' chbevl: returns (b0, b2)."""
    b0 = jnp.full_like(y, coefs[0])
    b1 = jnp.zeros_like(y)
    b2 = jnp.zeros_like(y)
    for c in coefs[1:]:
        b2 = b1
        b1 = b0
        b0 = y * b1 - b2 + c
    return b0, b2


def _c(x, v):
    return jnp.asarray(v, x.dtype)


_PIO4, _3PIO4, _SQ2OPI = 0.785398163397448309615660845819875721, \
    2.356194490192344928846982537459627163, 0.797884560802865355879892119868763737
_TWOOPI = 0.636619772367581343075535053490057448


# ------------------------------------------------------------------ Bessel J and Y
def _asymptotic(t, x, phase, sign):
    """The large-x form shared by J0/J1/Y0/Y1: sqrt(2/(pi x)) (P cos - 5/x Q sin), or with
    sin/cos swapped for Y (sign +1)."""
    w = _c(x, 5.0) / x
    z = w * w
    pp, pq = _horner(t["PP"], z), _horner(t["PQ"], z)
    qp, qq = _horner(t["QP"], z), _horner(t["QQ"], z)
    s = x - _c(x, phase)
    if sign:
        body = pp / pq * jnp.sin(s) + w * (qp / qq) * jnp.cos(s)
    else:
        body = pp / pq * jnp.cos(s) - w * (qp / qq) * jnp.sin(s)
    return body * _c(x, _SQ2OPI) / jnp.sqrt(x)


def _j0(x):
    x = jnp.abs(x)
    xs = jnp.where(x <= 5, x, 1)
    z = xs * xs
    small = (z - _c(x, 5.78318596294678452118)) * (z - _c(x, 30.4712623436620863991)) * \
        _horner(tab.J0["RP"], z) / _horner(tab.J0["RQ"], z)
    small = jnp.where(xs < 1e-5, 1 - z / 4, small)
    big = _asymptotic(tab.J0, jnp.where(x > 5, x, 10), _PIO4, False)
    return jnp.where(x <= 5, small, big)


def _j1(x):
    ax = jnp.abs(x)
    xs = jnp.where(ax <= 5, ax, 1)
    z = xs * xs
    small = _horner(tab.J1["RP"], z) / _horner(tab.J1["RQ"], z) * xs * \
        (z - _c(x, 14.6819706421238932572)) * (z - _c(x, 49.2184563216946036703))
    big = _asymptotic(tab.J1, jnp.where(ax > 5, ax, 10), _3PIO4, False)
    return jnp.sign(x) * jnp.where(ax <= 5, small, big) + jnp.where(x == 0, x, 0)


def _y0(x):
    xs = jnp.where((x <= 5) & (x > 0), x, 1)
    z = xs * xs
    small = _horner(tab.Y0["YP"], z) / _horner(tab.Y0["YQ"], z) + \
        _c(x, _TWOOPI) * jnp.log(xs) * _j0(xs)
    small = jnp.where(x == 0, -jnp.inf, jnp.where(x < 0, jnp.nan, small))
    big = _asymptotic(tab.Y0, jnp.where(x > 5, x, 10), _PIO4, True)
    return jnp.where(x <= 5, small, big)


def _y1(x):
    xs = jnp.where((x <= 5) & (x > 0), x, 1)
    z = xs * xs
    small = xs * (_horner(tab.Y1["YP"], z) / _horner(tab.Y1["YQ"], z)) + \
        _c(x, _TWOOPI) * (_j1(xs) * jnp.log(xs) - 1 / xs)
    small = jnp.where(x == 0, -jnp.inf, jnp.where(x < 0, jnp.nan, small))
    big = _asymptotic(tab.Y1, jnp.where(x > 5, x, 10), _3PIO4, True)
    return jnp.where(x <= 5, small, big)


@op(**_U)
@_nan_through
def special_bessel_j0(input):
    return _j0(input)


@op(**_U)
@_nan_through
def special_bessel_j1(input):
    return _j1(input)


@op(**_U)
@_nan_through
def special_bessel_y0(input):
    return _y0(input)


@op(**_U)
@_nan_through
def special_bessel_y1(input):
    return _y1(input)


# ------------------------------------------------------------------ modified Bessel
def _k(x, t, order, scaled):
    """K0/K1 (scaled by e^x when ``scaled``): a Chebyshev series below 2, another in 8/x
    above; inf at 0, NaN below."""
    xs = jnp.where((x <= 2) & (x > 0), x, 1)
    a0, a2 = _chebyshev(t["A"], xs * xs - 2)
    if order == 0:
        small = 0.5 * (a0 - a2) - jnp.log(0.5 * xs) * jss.i0(xs)
    else:
        small = jnp.log(0.5 * xs) * jss.i1(xs) + 0.5 * (a0 - a2) / xs
    if scaled:
        small = small * jnp.exp(xs)
    xb = jnp.where(x > 2, x, 4)
    b0, b2 = _chebyshev(t["B"], 8 / xb - 2)
    big = 0.5 * (b0 - b2) / jnp.sqrt(xb)
    if not scaled:
        big = jnp.exp(-xb) * (0.5 * (b0 - b2)) / jnp.sqrt(xb)
    out = jnp.where(x <= 2, small, big)
    return jnp.where(x == 0, jnp.inf, jnp.where(x < 0, jnp.nan, out))


@op(**_U)
@_nan_through
def special_modified_bessel_k0(input):
    return _k(input, tab.K0, 0, False)


@op(**_U)
@_nan_through
def special_modified_bessel_k1(input):
    return _k(input, tab.K1, 1, False)


@op(**_U)
@_nan_through
def special_scaled_modified_bessel_k0(input):
    return _k(input, tab.K0S, 0, True)


@op(**_U)
@_nan_through
def special_scaled_modified_bessel_k1(input):
    return _k(input, tab.K1S, 1, True)


@op(**_U)
@_nan_through
def special_modified_bessel_i0(input):
    return jss.i0(input)


@op(**_U)
@_nan_through
def special_modified_bessel_i1(input):
    return jss.i1(input)


@op(**_U)
@_nan_through
def special_spherical_bessel_j0(input):
    """sin(x)/x, its Taylor series below 0.5, 0 at +-inf."""
    x = input
    z = x * x
    series = 1 + z * (-1 / 6 + z * (1 / 120 + z * (-1 / 5040 + z * (
        1 / 362880 + z * (-1 / 39916800 + z * (1 / 6227020800))))))
    safe = jnp.where(x == 0, 1, x)
    out = jnp.where(jnp.abs(x) < 0.5, series.astype(x.dtype), jnp.sin(safe) / safe)
    return jnp.where(jnp.isinf(x), jnp.zeros_like(x), out)


# ------------------------------------------------------------------ Airy Ai
def _airy_series(x):
    """Ai by its Maclaurin series (|x| < 2.09), run to the dtype's epsilon as torch does."""
    eps = jnp.finfo(x.dtype).eps
    z = x * x * x
    one = jnp.ones_like(x)

    def step(state):
        f, g, k, m, n, t = state
        done = t <= eps
        m2 = m * z
        k2 = k + 1
        m2 = m2 / k2
        n2 = n * z
        k2 = k2 + 1
        n2 = n2 / k2
        m2 = m2 / k2
        f2 = f + m2
        k2 = k2 + 1
        n2 = n2 / k2
        g2 = g + n2
        t2 = jnp.abs(m2 / f2)
        keep = lambda new, old: jnp.where(done, old, new)  # noqa: E731
        return (keep(f2, f), keep(g2, g), keep(k2, k), keep(m2, m), keep(n2, n), keep(t2, t))

    state = (one, x, one, one, x, one)
    state = jax.lax.while_loop(lambda s: jnp.any(s[5] > eps), step, state)
    f, g = state[0], state[1]
    return _c(x, 0.355028053887817239260) * f - _c(x, 0.258819403792806798405) * g


@op(**_U)
@_nan_through
def special_airy_ai(input):
    x = input
    # below -2.09: the oscillating asymptotic form
    xn = jnp.where(x < -2.09, x, -4)
    w = -2.0 * xn * jnp.sqrt(-xn) / 3.0
    zn = 1 / w
    zz = zn * zn
    afn, afd = _horner(tab.AIRY["AFN"], zz), _horner(tab.AIRY["AFD"], zz)
    agn, agd = _horner(tab.AIRY["AGN"], zz), _horner(tab.AIRY["AGD"], zz)
    t = w + 0.25 * _c(x, math.pi)
    neg = _c(x, 5.64189583547756286948e-01) / jnp.sqrt(jnp.sqrt(-xn)) * (
        jnp.sin(t) * (1 + zz * afn / afd) - jnp.cos(t) * (zn * agn / agd))
    # from 2.09: the exponentially decaying form
    xp = jnp.where(x >= 2.09, x, 4)
    zeta = 2.0 * xp * jnp.sqrt(xp) / 3.0
    an, ad = _horner(tab.AIRY["AN"], 1 / zeta), _horner(tab.AIRY["AD"], 1 / zeta)
    pos = _c(x, 5.64189583547756286948e-01) * (an / ad) / (
        2.0 * jnp.sqrt(jnp.sqrt(xp)) * jnp.exp(zeta))
    mid = _airy_series(jnp.where((x >= -2.09) & (x < 2.09), x, 0))
    out = jnp.where(x < -2.09, neg, jnp.where(x >= 2.09, pos, mid))
    out = jnp.where(x > 103.892, jnp.zeros_like(x), out)
    return jnp.where(jnp.isinf(x), jnp.nan, out)


# ------------------------------------------------------------------ orthogonal polynomials
# (their kernels: _polynomials.py)
_P = dict(variants="", tensors=("input", "n"), promote=Promotion.INT_TO_FLOAT, grad_fn=None)

_KINDS = {"chebyshev_polynomial_t": "t", "chebyshev_polynomial_u": "u",
          "chebyshev_polynomial_v": "v", "chebyshev_polynomial_w": "w",
          "shifted_chebyshev_polynomial_t": "st", "shifted_chebyshev_polynomial_u": "su",
          "shifted_chebyshev_polynomial_v": "sv", "shifted_chebyshev_polynomial_w": "sw",
          "hermite_polynomial_h": "h", "hermite_polynomial_he": "he",
          "laguerre_polynomial_l": "l", "legendre_polynomial_p": "p"}

POLYNOMIAL_OPS = {}
for _name, _kind in _KINDS.items():
    _f = polynomial(_kind)
    _f.__name__ = "special_" + _name
    POLYNOMIAL_OPS[_name] = op(name="special_" + _name, **_P)(_f)
del _name, _kind, _f


# ------------------------------------------------------------------ gamma family, zeta
@op(variants="", tensors=("input", "other"), promote=Promotion.INT_TO_FLOAT,
    grad_fn="IgammaBackward0", saves=("input", "other"))
def special_gammainc(input, other):
    return jss.gammainc(input, other)


@op(variants="", tensors=("input", "other"), promote=Promotion.INT_TO_FLOAT,
    grad_fn="IgammacBackward0", saves=("input", "other"))
def special_gammaincc(input, other):
    return jss.gammaincc(input, other)


@op(variants="", tensors=("input", "other"), promote=Promotion.INT_TO_FLOAT,
    grad_fn="SpecialZetaBackward0", saves=("input", "other"))
def special_zeta(input, other):
    return _zeta(*jnp.broadcast_arrays(input, other))


@jax.custom_vjp
def _zeta(x, q):
    """torch's zeta (``_cephes_zeta``); derivative in q: -x zeta(x + 1, q); torch has none in
    x (zero here)."""
    return _cephes_zeta.zeta(x, q).astype(jnp.result_type(x, q))


def _zeta_fwd(x, q):
    return _zeta(x, q), (x, q)


def _zeta_bwd(res, g):
    x, q = res
    dq = g * (-x * _cephes_zeta.zeta(x + 1, q)).astype(g.dtype)
    return jnp.zeros_like(x), dq


_zeta.defvjp(_zeta_fwd, _zeta_bwd)
