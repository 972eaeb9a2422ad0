"""torch.special: its own kernels (``_ops/special_ops.py``) and its aliases of torch ops."""
import jtorch
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


expit = jtorch.sigmoid
logit = jtorch.logit
erf = jtorch.erf
erfc = jtorch.erfc
erfinv = jtorch.erfinv
gammaln = jtorch.lgamma
digamma = psi = jtorch.digamma
polygamma = jtorch.polygamma
i0 = jtorch.i0
sinc = jtorch.sinc
xlogy = jtorch.xlogy
log1p = jtorch.log1p
expm1 = jtorch.expm1
exp2 = jtorch.exp2
logsumexp = jtorch.logsumexp

__all__ = ["ndtri", "log_ndtr", "i0e", "i1", "i1e", "entr", "xlog1py", "erfcx", "ndtr",
           "multigammaln", "round", "softmax", "log_softmax", "expit", "logit", "erf", "erfc",
           "erfinv", "gammaln", "digamma", "psi", "polygamma", "i0", "sinc", "xlogy", "log1p",
           "expm1", "exp2", "logsumexp"]
