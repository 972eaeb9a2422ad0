"""torch.special's own kernels (the rest of torch.special are aliases of table ops, see
``jtorch/special.py``). Each is one op with torch's node name (``Special...Backward0``)."""
import math

import jax
import jax.numpy as jnp
import jax.scipy.special as jss

from .pointwise import _with_derivative
from .registry import Promotion, op

_F = dict(variants="", promote=Promotion.INT_TO_FLOAT)


@op(grad_fn="SpecialNdtriBackward0", saves=("result",), **_F)
def special_ndtri(input):
    # torch's derivative sqrt(2 pi) exp(ndtri(x)^2 / 2), infinite at 0 and 1
    return _with_derivative(jss.ndtri, lambda x, out: math.sqrt(2 * math.pi) *
                            jnp.exp(out * out / 2))(input)


@op(grad_fn="MulBackward1", **_F)
def special_ndtr(input):
    """(1 + erf(x / sqrt(2))) * 0.5, torch's composition (its last node multiplies by a
    scalar)."""
    return (1 + jax.lax.erf(input * jnp.asarray(math.sqrt(0.5), input.dtype))) * 0.5


@op(grad_fn="SpecialLogNdtrBackward0", saves=("input", "result"), **_F)
def special_log_ndtr(input):
    return jss.log_ndtr(input)


@op(grad_fn="SpecialI0EBackward0", saves=("input", "result"), **_F)
def special_i0e(input):
    return jss.i0e(input)


@op(grad_fn="SpecialI1Backward0", saves=("input", "result"), **_F)
def special_i1(input):
    return jss.i1(input)


@op(grad_fn="SpecialI1EBackward0", saves=("input", "result"), **_F)
def special_i1e(input):
    return jss.i1e(input)


@op(grad_fn="SpecialEntrBackward0", saves=("input",), **_F)
def special_entr(input):
    """-x log x for x > 0, 0 at 0, -inf below 0."""
    def fwd(x):
        safe = jnp.where(x > 0, x, 1)
        return jnp.where(x > 0, -x * jnp.log(safe),
                         jnp.where(x == 0, jnp.zeros((), x.dtype), -jnp.inf))
    # torch's derivative -(1 + log x): +inf at 0, NaN below
    return _with_derivative(fwd, lambda x, out: -(1 + jnp.log(x)))(input)


@op(variants="", tensors=("input", "other"), promote=Promotion.INT_TO_FLOAT,
    grad_fn="SpecialXlog1PyBackward0", saves=("input", "other"))
def special_xlog1py(input, other):
    return jss.xlog1py(input, other)


@op(grad_fn="SpecialErfcxBackward0", saves=("input", "result"), **_F)
def special_erfcx(input):
    return jss.erfcx(input)


@op(variants="function method inplace", promote=Promotion.INT_TO_FLOAT,
    grad_fn="MvlgammaBackward0", saves=("input",))
def mvlgamma(input, p):
    """The multivariate log-gamma of dimension ``p``: sum of lgamma(x - i/2), i < p, plus
    p(p-1)/4 log(pi) (torch 2.13 no longer rejects x <= (p-1)/2: lgamma's poles give inf)."""
    i = jnp.arange(p, dtype=input.dtype)
    return jnp.sum(jax.lax.lgamma(input[..., None] - i / 2), axis=-1) + \
        p * (p - 1) / 4 * math.log(math.pi)
