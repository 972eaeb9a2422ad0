"""torch.special: its own kernels (``_ops/special_ops.py``) and its aliases of torch ops."""
import jtorch
# torch.special's aliases of torch ops: the very same functions
from jtorch import (  # noqa: F401  (in __all__)
    digamma, erf, erfc, erfinv, exp2, expm1, i0, log1p, logit, logsumexp, polygamma, sinc,
    xlogy)
from jtorch import digamma as psi, lgamma as gammaln, sigmoid as expit  # noqa: F401
from ._ops.registry import OPS
from ._variants import make_function

ndtri = make_function(OPS["special_ndtri"])
log_ndtr = make_function(OPS["special_log_ndtr"])
i0e = make_function(OPS["special_i0e"])
i1 = make_function(OPS["special_i1"])
i1e = make_function(OPS["special_i1e"])
entr = make_function(OPS["special_entr"])
xlog1py = make_function(OPS["special_xlog1py"])
erfcx = make_function(OPS["special_erfcx"])
ndtr = make_function(OPS["special_ndtr"])


def multigammaln(input, p):
    return jtorch.mvlgamma(input, p)


def round(input, decimals=0):
    return jtorch.round(input, decimals=decimals)


def softmax(input, dim, dtype=None):
    return jtorch.softmax(input, dim, dtype=dtype)


def log_softmax(input, dim, dtype=None):
    return jtorch.log_softmax(input, dim, dtype=dtype)


# issue 18: Bessel/Airy functions, orthogonal polynomials, incomplete gamma, zeta
# (``_ops/api_special.py``)
airy_ai = make_function(OPS["special_airy_ai"])
bessel_j0 = make_function(OPS["special_bessel_j0"])
bessel_j1 = make_function(OPS["special_bessel_j1"])
bessel_y0 = make_function(OPS["special_bessel_y0"])
bessel_y1 = make_function(OPS["special_bessel_y1"])
modified_bessel_i0 = make_function(OPS["special_modified_bessel_i0"])
modified_bessel_i1 = make_function(OPS["special_modified_bessel_i1"])
modified_bessel_k0 = make_function(OPS["special_modified_bessel_k0"])
modified_bessel_k1 = make_function(OPS["special_modified_bessel_k1"])
scaled_modified_bessel_k0 = make_function(OPS["special_scaled_modified_bessel_k0"])
scaled_modified_bessel_k1 = make_function(OPS["special_scaled_modified_bessel_k1"])
spherical_bessel_j0 = make_function(OPS["special_spherical_bessel_j0"])
gammainc = make_function(OPS["special_gammainc"])
gammaincc = make_function(OPS["special_gammaincc"])
_POLYNOMIALS = ("chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v",
                "chebyshev_polynomial_w", "shifted_chebyshev_polynomial_t",
                "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
                "shifted_chebyshev_polynomial_w", "hermite_polynomial_h",
                "hermite_polynomial_he", "laguerre_polynomial_l", "legendre_polynomial_p")


def _polynomial(name):
    table_op = make_function(OPS["special_" + name])

    def polynomial(input, n, *, out=None):
        return table_op(input, n)
    polynomial.__name__ = polynomial.__qualname__ = name
    return polynomial


for _name in _POLYNOMIALS:
    globals()[_name] = _polynomial(_name)
del _name


def zeta(input, other, *, out=None):
    """The Hurwitz zeta function sum_k (other + k) ** -input."""
    return _zeta(input, other)


_zeta = make_function(OPS["special_zeta"])

__all__ = ["ndtri", "log_ndtr", "i0e", "i1", "i1e", "entr", "xlog1py", "erfcx", "ndtr",
           "multigammaln", "round", "softmax", "log_softmax", "expit", "logit", "erf", "erfc",
           "erfinv", "gammaln", "digamma", "psi", "polygamma", "i0", "sinc", "xlogy", "log1p",
           "expm1", "exp2", "logsumexp", "airy_ai", "bessel_j0", "bessel_j1", "bessel_y0",
           "bessel_y1", "modified_bessel_i0", "modified_bessel_i1", "modified_bessel_k0",
           "modified_bessel_k1", "scaled_modified_bessel_k0", "scaled_modified_bessel_k1",
           "spherical_bessel_j0", "gammainc", "gammaincc", "zeta"] + list(_POLYNOMIALS)
