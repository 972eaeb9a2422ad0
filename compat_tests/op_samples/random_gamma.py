"""Records of torch._standard_gamma, _sample_dirichlet, _standard_gamma_grad and
_dirichlet_grad (``jtorch/_ops/random_gamma.py``): draws equal torch's bit for bit after
manual_seed, and the generator is left where torch leaves it (the draws that follow)."""
import numpy as np

from .base import F32, F64, FLOAT, S, In, Idx, rec
from .outs_nn import INTERNAL

# torch's names for these ops begin with an underscore: they are their own public op
INTERNAL.update({n: n for n in ("_standard_gamma", "_sample_dirichlet",
                                "_standard_gamma_grad", "_dirichlet_grad")})

_SHAPES = np.array([[0.0, 0.01, 0.3, 0.999], [1.0, 2.5, 7.0, 150.0]])


def _gamma(m, alpha):
    m.manual_seed(21)
    # randn(3) in double: the Box-Muller value the sampler may have cached comes first
    return m._standard_gamma(alpha), m.randn(3, dtype=m.float64), m.rand(2)


rec("_standard_gamma", _gamma,
    lambda g: [S("m", _SHAPES), S("pos", g.pos(3, 4)), S("0d", np.asarray(0.4)),
               S("empty", g.pos(0, 2)), S("int", Idx([1, 2]), raises=True)], FLOAT,
    covers=("_standard_gamma", "api_standard_gamma"))


def _dirichlet(m, alpha):
    m.manual_seed(22)
    return m._sample_dirichlet(alpha), m.randn(3, dtype=m.float64)


rec("_sample_dirichlet", _dirichlet,
    lambda g: [S("m", In(_SHAPES + 0.05, grad=False)), S("row", In(g.pos(5), grad=False)),
               S("int", Idx([1, 2]), raises=True)], FLOAT, grad=False,
    covers=("_sample_dirichlet", "api_sample_dirichlet"))

# x against alpha over the regions of the approximation: x < 0.8 (series), alpha > 8
# (saddle point, near and far from x = alpha), the rational fit in between
_GA = np.array([[0.3, 2.0, 5.0, 20.0, 20.0, 50.0], [0.05, 1.0, 7.9, 9.0, 30.0, 100.0]])
_GX = np.array([[0.1, 0.5, 3.0, 19.0, 5.0, 80.0], [0.01, 2.0, 10.0, 9.5, 30.5, 40.0]])
rec("_standard_gamma_grad", lambda m, a, x: m._standard_gamma_grad(a, x),
    lambda g: [S("regions", In(_GA, grad=False), In(_GX, grad=False))], FLOAT, grad=False,
    tol={F32: (1e-5, 1e-6), F64: (1e-10, 1e-12)})

# x, alpha, total = alpha + beta over the branches (x near 0 or 1, both shapes large,
# the rational correction)
_DX = np.array([0.01, 0.97, 0.45, 0.3, 0.6, 0.5])
_DA = np.array([0.5, 3.0, 9.0, 2.0, 0.7, 4.0])
_DB = np.array([2.0, 0.2, 11.0, 3.0, 5.0, 40.0])
rec("_dirichlet_grad", lambda m, x, a, t: m._dirichlet_grad(x, a, t),
    lambda g: [S("branches", In(_DX, grad=False), In(_DA, grad=False),
                 In(_DA + _DB, grad=False))], FLOAT, grad=False,
    tol={F32: (1e-5, 1e-6), F64: (1e-10, 1e-12)})
