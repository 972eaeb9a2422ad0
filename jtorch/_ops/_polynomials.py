"""The classical orthogonal polynomials of torch.special as torch's kernels evaluate them:
the three-term recurrences, and for the Chebyshev kinds the closed trigonometric form above
an order inside (-1, 1). ``api_special`` declares the ops (``polynomial(kind)``)."""
import jax
import jax.numpy as jnp


def _recurrence(x, steps, p, q, step, start):
    """Run ``r = step(k, p, q); p, q = q, r`` for k = start, start + 1, ... ``steps`` times
    per element (a while loop to the largest count; finished elements keep their value)."""
    p = jnp.broadcast_to(p, x.shape).astype(x.dtype)
    q = jnp.broadcast_to(q, x.shape).astype(x.dtype)
    most = jnp.max(steps) if steps.size else 0

    def body(s):
        i, p, q = s
        r = step((i + start).astype(x.dtype), p, q)
        active = i < steps
        return i + 1, jnp.where(active, q, p), jnp.where(active, r, q)

    _, _, q = jax.lax.while_loop(lambda s: s[0] < most, body,
                                 (jnp.asarray(0, steps.dtype), p, q))
    return q


def _int_n(n):
    # torch casts n to int64; the Hermite kernels map NaN and inf to -1 first
    if jnp.issubdtype(n.dtype, jnp.floating):
        return jnp.where(jnp.isfinite(n), n, -1).astype(jnp.int64)
    return n.astype(jnp.int64)


# the order above which torch uses the closed (trigonometric) form inside (-1, 1)
_CLOSED_FROM = {"t": 6, "u": 8, "v": 8, "w": 8, "st": 6, "su": 6, "sv": 6, "sw": 4}


def _cheb(x, n, kind):
    y = x + x - 1 if kind.startswith("s") else x
    k = kind[-1]
    one = jnp.ones_like(x)
    nf = n.astype(x.dtype)
    odd_sign = jnp.where(n % 2 == 0, one, -one)
    base = {"t": y, "u": y + y, "v": y + y - 1, "w": y + y + 1}[k]
    rec = _recurrence(y, jnp.maximum(n - 1, 0), one, base, lambda _, p, q: (y + y) * q - p, 0)
    out = jnp.where(n == 0, one, jnp.where(n == 1, base, rec))
    acos = jnp.arccos(jnp.clip(y, -1, 1))
    if k == "t":
        closed = jnp.cos(nf * acos)
        edge = jnp.where(y > 0, one, odd_sign)
    elif k == "u":
        s = jnp.sin(acos)
        closed = jnp.where(s != 0, jnp.sin((nf + 1) * acos) / jnp.where(s != 0, s, 1),
                           (nf + 1) * jnp.cos((nf + 1) * acos) / y)
        edge = jnp.where(y > 0, nf + 1, odd_sign * (nf + 1))
    elif k == "v":
        h = acos / 2
        closed = jnp.where(jnp.sin(h) != 1, jnp.cos((nf + 0.5) * acos) / jnp.cos(h),
                           odd_sign * (nf + nf + 1))
        edge = jnp.where(y > 0, one, odd_sign * (nf + nf + 1))
    else:
        h = acos / 2
        closed = jnp.where(jnp.cos(h) != 1, jnp.sin((nf + 0.5) * acos) / jnp.sin(h),
                           jnp.where(y > 0, nf + nf + 1, odd_sign))
        edge = jnp.where(y > 0, nf + nf + 1, odd_sign)
    out = jnp.where((n > _CLOSED_FROM[kind]) & (jnp.abs(y) < 1), closed, out)
    out = jnp.where(jnp.abs(y) == 1, edge, out)
    return jnp.where(n < 0, jnp.zeros_like(x), out)


def _other_poly(x, n, kind):
    one = jnp.ones_like(x)
    steps = jnp.maximum(n - 1, 0)
    limit = 128 if x.dtype == jnp.float32 else 512
    if kind == "h":
        base = x + x
        rec = _recurrence(x, steps, one, base, lambda k, p, q: (x + x) * q - (k + k) * p, 1)
        rec = jnp.where(n > limit, jnp.nan, rec)
    elif kind == "he":
        base = x
        rec = _recurrence(x, steps, one, base, lambda k, p, q: x * q - k * p, 1)
        rec = jnp.where(n > limit, jnp.nan, rec)
    elif kind == "l":
        base = 1 - x
        rec = _recurrence(x, steps, one, base,
                          lambda k, p, q: (((k + k) + (1 - x)) * q - k * p) / (k + 1), 1)
    else:
        base = x
        rec = _recurrence(x, steps, one, base,
                          lambda k, p, q: ((k + k + 1) * x * q - k * p) / (k + 1), 1)
    out = jnp.where(n == 0, one, jnp.where(n == 1, base, rec))
    if kind == "l":
        out = jnp.where(jnp.abs(x) == 0, one, out)
    elif kind == "p":
        out = jnp.where(jnp.abs(x) == 1, jnp.where((x > 0) | (n % 2 == 0), one, -one), out)
    return jnp.where(n < 0, jnp.zeros_like(x), out)


def polynomial(kind):
    """The jax function ``(input, n)`` of one polynomial kind (``"t"``, ``"he"``, ``"p"``...)."""
    def fn(input, n):
        nn = _int_n(n) if kind in ("h", "he") else n.astype(jnp.int64)
        x, nn = jnp.broadcast_arrays(input, nn)
        if kind in _CLOSED_FROM:
            return _cheb(x, nn, kind)
        return _other_poly(x, nn, kind)
    return fn
