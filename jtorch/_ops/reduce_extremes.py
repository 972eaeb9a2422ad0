"""The reductions to an extreme element: max/min (over everything, or values and indices
along a dim), amax/amin and argmax/argmin, with torch's rules for ties: which zero a
signed-zero tie returns (its scalar and vector loops differ) and how the gradient is shared.
"""
import jax
import jax.numpy as jnp

from .. import _dtypes, return_types
from ._even_split import evenly
from .reduction import _axes, no_identity
from .registry import Promotion, op


def _minmax(name, pick, arg):
    def f(input, dim=None, keepdim=False):
        if dim is None:
            if input.size == 0:
                raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                                   "input.numel() == 0. Specify the reduction dim with the 'dim' "
                                   "argument.")
            return pick(input)
        axis = _axes(dim, input.ndim)
        axis = axis[0] if axis else 0
        idx = arg(input, axis=axis, keepdims=True) if input.ndim else jnp.zeros((), jnp.int64)
        if not input.ndim:
            return input, idx
        # gather the value at the index so the gradient goes to that one element (torch)
        vals = jnp.take_along_axis(input, idx, axis=axis)
        if not keepdim:
            vals, idx = jnp.squeeze(vals, axis), jnp.squeeze(idx, axis)
        return vals, idx.astype(jnp.int64)
    f.__name__ = name
    f.__doc__ = (f"``{name}(x)``: the {name}imum element; ``{name}(x, dim)``: a named tuple "
                 f"``(values, indices)`` along ``dim``; ``{name}(a, b)``: see ``{name}imum``.")
    return f


def _make_minmax(name, pick, arg):
    # torch names the per-dim reduction {Max,Min}Backward0 and the full one ...Backward1
    core = op(variants="", promote=Promotion.NONE,
              grad_fn=name.capitalize() + "Backward0", saves=(),   # (torch: the indices)
              name="_" + name + "_dim", check=no_identity(name, int_dim=True))(
                  _minmax(name, pick, arg))
    core.returns = getattr(return_types, name)
    beats = jnp.greater if name == "max" else jnp.less
    allreduce = op(variants="", promote=Promotion.NONE, name="_" + name + "_all",
                   grad_fn=name.capitalize() + "Backward1", check=no_identity(name),
                   saves=("input", "result"))(
                       lambda input: _last_tie(input, evenly(pick)(input), beats))
    return core, allreduce


def _last_tie(x, m, beats):
    """``m``, the max or min of all of ``x``, with the sign torch's whole-tensor kernel gives
    a zero result (XLA orders -0. below 0.). Up to one 32-byte vector it folds the elements
    one by one, replacing its accumulator at a tie (max of [0., -0.] is -0.); past that it
    folds 32-byte lanes (a later row wins a tie), then the lanes by the vector max, which
    keeps its second operand at a tie (``_fold_lanes``). (An x86 kernel's layout.)"""
    lanes = 32 // x.dtype.itemsize
    if not jnp.issubdtype(x.dtype, jnp.floating) or x.size == 0:
        return m
    flat = x.reshape(-1)
    if flat.size < lanes:
        rev = flat[::-1]
        return _signed_zero(m, rev[jnp.argmax(rev == m)])
    rows, t = divmod(flat.size, lanes)
    loser = jnp.full((lanes - t,), -jnp.inf if beats is jnp.greater else jnp.inf, x.dtype)
    seq = flat[:rows * lanes].reshape(rows, lanes)
    if t:
        seq = jnp.concatenate([seq, jnp.concatenate([flat[rows * lanes:], loser])[None]])
    best = jnp.max(seq, axis=0) if beats is jnp.greater else jnp.min(seq, axis=0)
    rev = seq[::-1]
    lane = jnp.take_along_axis(rev, jnp.argmax(rev == best, axis=0)[None], axis=0)[0]
    return _signed_zero(m, _fold_lanes(lane, beats))


def _fold_lanes(v, beats):
    """torch's horizontal step: float32 halves its 8 lanes three times (``v[i]`` against
    ``v[i + half]``), float64 folds its 4 lanes in order; a tie keeps the second operand."""
    def pick(a, b):
        return jnp.where(beats(a, b), a, b)
    if v.dtype == jnp.float32:
        while v.size > 1:
            v = pick(v[:v.size // 2], v[v.size // 2:])
        return v[0]
    acc = v[0]
    for i in range(1, v.size):
        acc = pick(acc, v[i])
    return acc


_max_dim, _max_all = _make_minmax("max", jnp.max, jnp.argmax)
_min_dim, _min_all = _make_minmax("min", jnp.min, jnp.argmin)


@op(variants="function method out", promote=Promotion.NONE, saves=("input", "result"),
    check=no_identity("amax", user_dim=True))
def amax(input, dim=(), keepdim=False):
    """Maximum over ``dim``; ties share the gradient evenly (torch's rule)."""
    axes = _axes(dim, input.ndim)
    return _first_tie(input, jnp.max(input, axis=axes, keepdims=keepdim), axes, keepdim)


@op(variants="function method out", promote=Promotion.NONE, saves=("input", "result"),
    check=no_identity("amin", user_dim=True))
def amin(input, dim=(), keepdim=False):
    """Minimum over ``dim``; ties share the gradient evenly."""
    axes = _axes(dim, input.ndim)
    return _first_tie(input, jnp.min(input, axis=axes, keepdims=keepdim), axes, keepdim)


def _first_tie(x, m, axes, keepdim):
    """``m``, the extreme of ``x`` over ``axes``, with the sign of the first element equal to
    it where it is zero: torch's scalar reduction loop keeps its accumulator at a tie, so
    amax of [0., -0.] is 0. and of [-0., 0.] is -0. (XLA orders -0. below 0.). torch's
    vectorized loop (an inner reduction of 128 bytes or more) combines lanes in its own
    order, not modelled."""
    if not jnp.issubdtype(x.dtype, jnp.floating) or x.size == 0 or x.ndim == 0:
        return m
    axes = tuple(range(x.ndim)) if axes is None else axes
    keep = [d for d in range(x.ndim) if d not in axes]
    rows = jnp.transpose(x, keep + list(axes)).reshape([x.shape[d] for d in keep] + [-1])
    ties = rows == m.reshape(rows.shape[:-1] + (1,))
    first = jnp.argmax(ties, axis=-1, keepdims=True)
    v = jnp.take_along_axis(rows, first, axis=-1)
    return _signed_zero(m, v.reshape(m.shape))


@jax.custom_jvp
def _signed_zero(m, v):
    """``m`` where it is not zero, else ``v`` (a zero of the sign wanted); the derivative is
    ``m``'s (``v`` only lends its sign)."""
    return jnp.where(m == 0, v, m)


_signed_zero.defjvp(lambda primals, tangents: (_signed_zero(*primals), tangents[0]))


def _check_arg_extreme(name):
    empty = no_identity(name, no_dim=IndexError, hint=False, int_dim=True)

    def check(input, *args, **kwargs):
        if input.dtype is _dtypes.bool:      # (before any dim check, as torch)
            raise RuntimeError(f"{name}(): does not support bool input")
        empty(input, *args, **kwargs)
        dim = args[0] if args else kwargs.get("dim")
        if dim is not None and input.ndim == 0:
            _axes(dim, 0)       # (a 0-d input's dim is range-checked too)
    return check


@op(variants="function method out", promote=Promotion.NONE, grad_fn=None,
    check=_check_arg_extreme("argmax"))
def argmax(input, dim=None, keepdim=False):
    """Index of the first maximal element (over the flattened tensor without ``dim``)."""
    return _arg_extreme(jnp.argmax, input, dim, keepdim)


def _arg_extreme(arg_fn, input, dim, keepdim):
    """argmax/argmin: ``arg_fn`` over ``dim``, or over the flattened tensor without one (a
    kept dim then makes every dimension 1); int64 as torch's."""
    if dim is None:
        r = arg_fn(input.reshape(-1))
        return (r.reshape((1,) * input.ndim) if keepdim else r).astype(jnp.int64)
    return arg_fn(input, axis=_axes(dim, input.ndim)[0] if input.ndim else None,
                  keepdims=keepdim).astype(jnp.int64)


@op(variants="function method out", promote=Promotion.NONE, grad_fn=None,
    check=_check_arg_extreme("argmin"))
def argmin(input, dim=None, keepdim=False):
    """Index of the first minimal element."""
    return _arg_extreme(jnp.argmin, input, dim, keepdim)
