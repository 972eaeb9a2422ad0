"""Recurrent layers: one op per (layer, direction) runs the whole sequence in a ``lax.scan``
(the input projection of every time step is one matmul before the scan), and packing ops for
``PackedSequence``. Gate layouts and formulas are torch's: LSTM (i, f, g, o), GRU (r, z, n)
with ``n = tanh(x_n + r * (W_hn h + b_hn))``."""
import jax
import jax.numpy as jnp
import numpy as np

from .registry import Promotion, op



def _cell(mode, w_hh, b_hh, w_hr):
    def step(carry, inp):
        h, c = carry
        xg, m = inp
        hg = jnp.matmul(h, w_hh.T)
        if b_hh is not None:
            hg = hg + b_hh
        if mode == "lstm":
            i, f, g, o = jnp.split(xg + hg, 4, axis=-1)
            c_new = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
            h_new = jax.nn.sigmoid(o) * jnp.tanh(c_new)
            if w_hr is not None:
                h_new = jnp.matmul(h_new, w_hr.T)
        elif mode == "gru":
            xr, xz, xn = jnp.split(xg, 3, axis=-1)
            hr, hz, hn = jnp.split(hg, 3, axis=-1)
            r = jax.nn.sigmoid(xr + hr)
            z = jax.nn.sigmoid(xz + hz)
            n = jnp.tanh(xn + r * hn)
            h_new, c_new = (h - n) * z + n, c
        else:
            pre = xg + hg
            h_new, c_new = (jnp.tanh(pre) if mode == "tanh" else jax.nn.relu(pre)), c
        if m is not None:
            # packed sequences: a finished sequence keeps its state and outputs zeros
            keep = m[:, None]
            h_new = jnp.where(keep, h_new, h)
            c_new = jnp.where(keep, c_new, c) if mode == "lstm" else c
            return (h_new, c_new), jnp.where(keep, h_new, jnp.zeros_like(h_new))
        return (h_new, c_new), h_new
    return step


@op(variants="", tensors=("input", "h0", "c0", "w_ih", "w_hh", "b_ih", "b_hh", "w_hr", "mask"),
    grad_fn="StackBackward0", promote=Promotion.NONE)
def _rnn_layer(input, h0, c0, w_ih, w_hh, b_ih=None, b_hh=None, w_hr=None, mask=None,
               mode="tanh", reverse=False):
    """One direction of one layer over a (T, B, I) sequence: (outputs, h_T) or, for LSTM,
    (outputs, h_T, c_T)."""
    xw = jnp.einsum("tbi,gi->tbg", input, w_ih)
    if b_ih is not None:
        xw = xw + b_ih
    c_init = c0 if c0 is not None else jnp.zeros((), input.dtype)
    step = _cell(mode, w_hh, b_hh, w_hr)
    if mask is None:
        (h, c), ys = jax.lax.scan(lambda carry, x: step(carry, (x, None)), (h0, c_init), xw,
                                  reverse=reverse)
    else:
        (h, c), ys = jax.lax.scan(step, (h0, c_init), (xw, mask), reverse=reverse)
    return (ys, h, c) if mode == "lstm" else (ys, h)


def _packed_index(batch_sizes, batch_first):
    """Flat (time-major or batch-major) positions of a padded batch's valid entries in
    PackedSequence order (time step by time step)."""
    bs = np.asarray(batch_sizes)
    t_len, b_len = len(bs), int(bs[0]) if len(bs) else 0
    t = np.repeat(np.arange(t_len), bs)
    b = np.concatenate([np.arange(n) for n in bs]) if len(bs) else np.zeros(0, np.int64)
    return (b * t_len + t) if batch_first else (t * b_len + b)


@op(variants="", grad_fn="PackPaddedSequenceBackward0", promote=Promotion.NONE)
def _pack_padded(input, batch_sizes, batch_first=False):
    flat = input.reshape((-1,) + input.shape[2:])
    return flat[_packed_index(batch_sizes, batch_first)]


@op(variants="", grad_fn="torch::autograd::CopySlices", promote=Promotion.NONE)
def _pad_packed(input, batch_sizes, total_length, padding_value=0.0):
    """PackedSequence data -> time-major (total_length, B, *) with ``padding_value``."""
    b_len = int(batch_sizes[0]) if batch_sizes else 0
    data = input
    out = jnp.full((total_length * b_len,) + data.shape[1:], padding_value, data.dtype)
    out = out.at[_packed_index(batch_sizes, False)].set(data)
    return out.reshape((total_length, b_len) + data.shape[1:])
