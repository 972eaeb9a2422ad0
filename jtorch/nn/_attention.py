"""scaled_dot_product_attention and multi_head_attention_forward, following torch's
composition step by step (projections, masks, bias_k/v, zero attention, head reshapes), so
values, random draws and grad_fn names agree. Re-exported by ``nn.functional``."""
import collections
import math

import jtorch
from .. import _errors
from .._ops import nn_ops
from .._ops.linalg import _cpp_name
from . import functional as F


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None, enable_gqa=False):
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be "
                           "set when is_causal=True")
    if not query.dtype == key.dtype == value.dtype and \
            not jtorch.is_autocast_enabled(query.device.type):
        raise RuntimeError(f"Expected query, key, and value to have the same dtype, but got "
                           f"query.dtype: {_cpp_name(query.dtype)} key.dtype: "
                           f"{_cpp_name(key.dtype)} and value.dtype: {_cpp_name(value.dtype)} "
                           "instead.")
    if query.shape[-1] != key.shape[-1]:
        _embed_dim_error(query, key)
    if dropout_p == 0.0:
        # torch's fused CPU kernel: one op, one backward
        return nn_ops._sdpa(query, key, value, attn_mask, is_causal, scale, enable_gqa)
    # with dropout torch runs its math path: the attention matrix is dropped out with the
    # global generator, as here
    sf = math.sqrt(1.0 / math.sqrt(query.shape[-1]) if scale is None else scale)
    if enable_gqa and key.dim() >= 3 and key.shape[-3] != query.shape[-3]:
        rep = query.shape[-3] // key.shape[-3]
        key = key.repeat_interleave(rep, -3)
        value = value.repeat_interleave(rep, -3)
    attn = jtorch.matmul(query * sf, key.transpose(-2, -1) * sf)
    L, S = attn.shape[-2:]
    if is_causal:
        attn_mask = jtorch.ones(L, S, dtype=jtorch.bool).tril()
    if attn_mask is not None:
        if attn_mask.dtype == jtorch.bool:
            attn_mask = jtorch.zeros(attn_mask.shape, dtype=attn.dtype).masked_fill_(
                attn_mask.logical_not(), float("-inf"))
        attn = attn + attn_mask
    attn = F.softmax(attn, -1)
    attn = F.dropout(attn, dropout_p, True)
    return jtorch.matmul(attn, value)


def _embed_dim_error(query, key):
    """torch's CPU kernel finds mismatched embedding dims in its query @ key.mT product:
    mm's error for matrices, else bmm's on the broadcast batch flattened."""
    d, e = query.shape[-1], key.shape[-1]
    if query.dim() <= 2 and key.dim() <= 2:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({query.shape[0]}x{d} "
                           f"and {e}x{key.shape[0]})")
    n = math.prod(_errors.infer_size(tuple(query.shape[:-2]), tuple(key.shape[:-2])))
    raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                       f"[{n}, {d}] but got: [{n}, {e}].")


def _canonical_mask(mask, name, target_dtype, other=None, other_name=""):
    if mask is None:
        return None
    if mask.dtype == jtorch.bool:
        return jtorch.zeros_like(mask, dtype=target_dtype).masked_fill_(mask, float("-inf"))
    if not mask.is_floating_point():
        raise AssertionError(f"only bool and floating types of {name} are supported")
    return mask


def _in_projection_packed(q, k, v, w, b=None):
    E = q.shape[-1]
    if k is v:
        if q is k:
            proj = F.linear(q, w, b)
            proj = proj.unflatten(-1, (3, E)).unsqueeze(0).transpose(0, -2).squeeze(-2) \
                .contiguous()
            return proj[0], proj[1], proj[2]
        w_q, w_kv = w.split([E, E * 2])
        b_q, b_kv = (None, None) if b is None else b.split([E, E * 2])
        kv = F.linear(k, w_kv, b_kv)
        kv = kv.unflatten(-1, (2, E)).unsqueeze(0).transpose(0, -2).squeeze(-2).contiguous()
        return F.linear(q, w_q, b_q), kv[0], kv[1]
    w_q, w_k, w_v = w.chunk(3)
    b_q, b_k, b_v = (None, None, None) if b is None else b.chunk(3)
    return F.linear(q, w_q, b_q), F.linear(k, w_k, b_k), F.linear(v, w_v, b_v)


class _Dims(collections.namedtuple("_Dims", "tgt_len bsz num_heads head_dim embed_dim")):
    """The sizes multi-head attention reshapes by."""


def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads,
                                 in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn,
                                 dropout_p, out_proj_weight, out_proj_bias, training=True,
                                 key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None,
                                 k_proj_weight=None, v_proj_weight=None, static_k=None,
                                 static_v=None, average_attn_weights=True, is_causal=False):
    # torch's steps in torch's order: the ops (and so the autograd graph, its backward order
    # and the dropout draws) are the same
    is_batched, query, key, value, key_padding_mask = _as_batched(query, key, value,
                                                                  key_padding_mask)
    tgt_len, bsz, embed_dim = query.shape
    src_len = key.shape[0]
    attn_mask, key_padding_mask, is_causal = _canonical_masks(
        attn_mask, key_padding_mask, is_causal, need_weights, query.dtype)
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but "
                             f"got {embed_dim}")
    dims = _Dims(tgt_len, bsz, num_heads, embed_dim // num_heads, embed_dim)
    if not use_separate_proj_weight:
        q, k, v = _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias)
    else:
        q, k, v = _in_projection(query, key, value, (q_proj_weight, k_proj_weight,
                                                      v_proj_weight), in_proj_bias)
    attn_mask = _checked_attn_mask(attn_mask, dims, src_len)
    if bias_k is not None and bias_v is not None:
        k = jtorch.cat([k, bias_k.repeat(1, bsz, 1)])
        v = jtorch.cat([v, bias_v.repeat(1, bsz, 1)])
        attn_mask, key_padding_mask = _pad_key_column(attn_mask, key_padding_mask)
    q = _split_heads(q, dims, None)
    k, v = _split_heads(k, dims, static_k), _split_heads(v, dims, static_v)
    if add_zero_attn:
        k, v = _with_zero_key(k, dims), _with_zero_key(v, dims)
        attn_mask, key_padding_mask = _pad_key_column(attn_mask, key_padding_mask)
    src_len = k.shape[1]
    attn_mask = _merge_padding_mask(attn_mask, key_padding_mask, dims, src_len)
    if not training:
        dropout_p = 0.0
    out_proj = (out_proj_weight, out_proj_bias)
    if need_weights:
        out, weights = _attention_with_weights(q, k, v, attn_mask, dropout_p, out_proj, dims)
        weights = weights.view(bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            weights = weights.mean(dim=1)
        if not is_batched:
            out, weights = out.squeeze(1), weights.squeeze(0)
        return out, weights
    out = _attention_sdpa(q, k, v, attn_mask, dropout_p, is_causal, out_proj, dims)
    if not is_batched:
        out = out.squeeze(1)
    return out, None


def _as_batched(query, key, value, key_padding_mask):
    """(is_batched, and the inputs with a batch dimension of 1 added when unbatched)."""
    is_batched = query.dim() == 3
    if query.dim() not in (2, 3):
        raise AssertionError(f"query should be unbatched 2D or batched 3D tensor but received "
                             f"{query.dim()}-D query tensor")
    if not is_batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    return is_batched, query, key, value, key_padding_mask


def _canonical_masks(attn_mask, key_padding_mask, is_causal, need_weights, dtype):
    """Both masks as float additive masks, and whether sdpa may apply the causal mask."""
    key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask", dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the "
                           "Transformer module method `generate_square_subsequent_mask` to "
                           "create this mask.")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None       # sdpa applies its own causal mask
    else:
        attn_mask = _canonical_mask(attn_mask, "attn_mask", dtype)
        if key_padding_mask is not None:
            is_causal = False
    return attn_mask, key_padding_mask, is_causal


def _in_projection(q, k, v, weights, b=None):
    """Separate query, key and value projections; ``b`` is the packed bias of all three."""
    b_q, b_k, b_v = (None, None, None) if b is None else b.chunk(3)
    w_q, w_k, w_v = weights
    return F.linear(q, w_q, b_q), F.linear(k, w_k, b_k), F.linear(v, w_v, b_v)


def _checked_attn_mask(attn_mask, dims, src_len):
    """A 2D mask gains a leading dimension; either form must match the attention's shape."""
    if attn_mask is None:
        return None
    if attn_mask.dim() == 2:
        if tuple(attn_mask.shape) != (dims.tgt_len, src_len):
            raise RuntimeError(f"The shape of the 2D attn_mask is {attn_mask.shape}, but "
                               f"should be {(dims.tgt_len, src_len)}.")
        return attn_mask.unsqueeze(0)
    if attn_mask.dim() == 3:
        expected = (dims.bsz * dims.num_heads, dims.tgt_len, src_len)
        if tuple(attn_mask.shape) != expected:
            raise RuntimeError(f"The shape of the 3D attn_mask is {attn_mask.shape}, but "
                               f"should be {expected}.")
        return attn_mask
    raise RuntimeError(f"attn_mask's dimension {attn_mask.dim()} is not supported")


def _pad_key_column(attn_mask, key_padding_mask):
    """Both masks widened by one key (bias_k/bias_v or the zero attention), unmasked."""
    if attn_mask is not None:
        attn_mask = F.pad(attn_mask, (0, 1))
    if key_padding_mask is not None:
        key_padding_mask = F.pad(key_padding_mask, (0, 1))
    return attn_mask, key_padding_mask


def _split_heads(x, dims, static):
    """(length, bsz, embed) -> (bsz * heads, length, head_dim), unless ``static`` is given."""
    if static is not None:
        return static
    return x.view(x.shape[0], dims.bsz * dims.num_heads, dims.head_dim).transpose(0, 1)


def _with_zero_key(x, dims):
    zeros = (dims.bsz * dims.num_heads, 1, dims.head_dim)
    return jtorch.cat([x, jtorch.zeros(zeros, dtype=x.dtype)], dim=1)


def _merge_padding_mask(attn_mask, key_padding_mask, dims, src_len):
    """The key padding mask, one row per head, added to the attention mask."""
    if key_padding_mask is None:
        return attn_mask
    bsz, num_heads = dims.bsz, dims.num_heads
    if tuple(key_padding_mask.shape) != (bsz, src_len):
        raise AssertionError(f"expecting key_padding_mask shape of {(bsz, src_len)}, but "
                             f"got {key_padding_mask.shape}")
    key_padding_mask = key_padding_mask.view(bsz, 1, 1, src_len) \
        .expand(-1, num_heads, -1, -1).reshape(bsz * num_heads, 1, src_len)
    return key_padding_mask if attn_mask is None else attn_mask + key_padding_mask


def _out_projection(out, out_proj, dims):
    out = F.linear(out, *out_proj)
    return out.view(dims.tgt_len, dims.bsz, out.shape[1])


def _attention_with_weights(q, k, v, attn_mask, dropout_p, out_proj, dims):
    """The explicit path (the weights are returned): (projected output, weights)."""
    q_scaled = q * math.sqrt(1.0 / float(q.shape[-1]))
    if attn_mask is not None:
        weights = jtorch.baddbmm(attn_mask, q_scaled, k.transpose(-2, -1))
    else:
        weights = jtorch.bmm(q_scaled, k.transpose(-2, -1))
    weights = F.softmax(weights, dim=-1)
    if dropout_p > 0.0:
        weights = F.dropout(weights, p=dropout_p)
    out = jtorch.bmm(weights, v)
    out = out.transpose(0, 1).contiguous().view(dims.tgt_len * dims.bsz, dims.embed_dim)
    return _out_projection(out, out_proj, dims), weights


def _attention_sdpa(q, k, v, attn_mask, dropout_p, is_causal, out_proj, dims):
    """The fused path (no weights): heads as a dimension of their own, then sdpa."""
    bsz, num_heads, tgt_len = dims.bsz, dims.num_heads, dims.tgt_len
    src_len = k.shape[1]
    if attn_mask is not None:
        if attn_mask.shape[0] == 1 and attn_mask.dim() == 3:
            attn_mask = attn_mask.unsqueeze(0)
        else:
            attn_mask = attn_mask.view(bsz, num_heads, -1, src_len)
    q = q.view(bsz, num_heads, tgt_len, dims.head_dim)
    k = k.view(bsz, num_heads, src_len, dims.head_dim)
    v = v.view(bsz, num_heads, src_len, dims.head_dim)
    out = scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal)
    out = out.permute(2, 0, 1, 3).contiguous().view(bsz * tgt_len, dims.embed_dim)
    return _out_projection(out, out_proj, dims)
