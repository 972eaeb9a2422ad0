"""Neural-network ops: each activation, loss and layer computation is ONE op (one jitted
forward, one VJP), with torch's grad_fn name."""
import jax
import jax.numpy as jnp

from .. import _dtypes, _errors, _views
from ..backends import _precision
from .pointwise import _abs_float
from .registry import Promotion, op

_FLOAT = dict(variants="", promote=Promotion.INT_TO_FLOAT)


def float_kernel(kernel):
    """The check of an activation whose torch kernel exists for floating types only: an
    integer or bool input raises torch's NotImplementedError naming ``kernel``."""
    def check(input, *args, **kwargs):
        dt = input.dtype
        if not (dt.is_floating_point or dt.is_complex):
            raise NotImplementedError(f'"{kernel}" not implemented for '
                                      f"'{_dtypes.torch_type_name(dt)}'")
    return check


def _dim(dim, ndim):
    return dim % max(ndim, 1)


def _check_dim(input, dim):
    _views._wrap_dim(dim, input.dim())


def _softmax_check(name):
    """softmax/log_softmax: a valid dim, then a floating input (torch's kernel names differ
    when the dim is the last one)."""
    def check(input, dim):
        d = _views._wrap_dim(dim, input.dim())
        last = "lastdim_" if d == max(input.dim() - 1, 0) else ""
        float_kernel(f"{name}_{last}kernel_impl")(input)
    return check


@op(grad_fn="SoftmaxBackward0", saves=("result",), check=_softmax_check("softmax"), **_FLOAT)
def _softmax(input, dim):
    if input.ndim == 0:     # a 0-dim tensor is one element along its only "dim"
        return jax.nn.softmax(input.reshape(1), axis=0).reshape(())
    return jax.nn.softmax(input, axis=_dim(dim, input.ndim))


@op(grad_fn="LogSoftmaxBackward0", saves=("result",), check=_softmax_check("log_softmax"),
    **_FLOAT)
def _log_softmax(input, dim):
    if input.ndim == 0:
        return jax.nn.log_softmax(input.reshape(1), axis=0).reshape(())
    return jax.nn.log_softmax(input, axis=_dim(dim, input.ndim))


@op(variants="", promote=Promotion.DEFAULT, grad_fn="LeakyReluBackward0",
    inplace_grad_fn="LeakyReluBackward1", saves=("input",),
    check=float_kernel("leaky_relu_cpu"))
def _leaky_relu(input, negative_slope=0.01):
    return jnp.where(input > 0, input, input * negative_slope)


@op(variants="", promote=Promotion.DEFAULT, grad_fn="EluBackward0", inplace_grad_fn="EluBackward1",
    saves=("result",),
    check=float_kernel("elu_cpu"))
def _elu(input, alpha=1.0):
    # jnp.where, not jnp.minimum: minimum splits the gradient at 0 (torch gives alpha there)
    neg = jnp.where(input > 0, jnp.zeros((), input.dtype), input)
    return jnp.where(input > 0, input, alpha * jnp.expm1(neg))


@op(variants="", promote=Promotion.DEFAULT, grad_fn="GeluBackward0", saves=("input",),
    check=float_kernel("GeluKernelImpl"))
def _gelu(input, approximate="none"):
    return jax.nn.gelu(input, approximate=approximate == "tanh")


@op(variants="", promote=Promotion.DEFAULT, grad_fn="SiluBackward0", saves=("input",),
    check=float_kernel("silu_cpu"))
def _silu(input):
    return input * jax.nn.sigmoid(input)


def _reduce(loss, reduction):
    if reduction == "mean":
        return jnp.mean(loss)
    if reduction == "sum":
        return jnp.sum(loss)
    if reduction == "none":
        return loss
    raise ValueError(f"{reduction} is not a valid value for reduction")


@op(variants="", tensors=("input", "target"), grad_fn="MseLossBackward0",
    saves=("input", "target"))
def _mse_loss(input, target, reduction="mean"):
    return _reduce((input - target) ** 2, reduction)


# torch's l1_loss is composite ((input - target).abs() then the reduction): its output node
# is MeanBackward0, SumBackward0 or AbsBackward0
@op(variants="", tensors=("input", "target"), saves=("input", "target"),
    promote=Promotion.COMPLEX_TO_FLOAT,   # |input - target|: real for complex input
    grad_fn=lambda targs, sargs, skw: {"sum": "SumBackward0", "none": "AbsBackward0"}.get(
        skw.get("reduction", sargs[0] if sargs else "mean"), "MeanBackward0"))
def _l1_loss(input, target, reduction="mean"):
    # torch's abs derivative: 0 where input == target (JAX's jnp.abs gives 1 there)
    return _reduce(_abs_float(input - target), reduction)


@op(variants="", tensors=("input", "target", "weight"), promote=Promotion.NONE,
    grad_fn=lambda targs, sargs, skw:     # torch's 2-D kernel takes (N, C, H, W) inputs
        "NllLoss2DBackward0" if targs[0].dim() == 4 else "NllLossBackward0",
    saves=("input", "target"),
    check=lambda input, *a, **k: float_kernel(
        "nll_loss_out_frame" if input.dim() <= 2 else "nll_loss2d_forward_out_frame")(input))
def _nll_loss(input, target, weight=None, reduction="mean", ignore_index=-100):
    """Negative log-likelihood over class dim 1; weights and ignore_index as torch."""
    n_cls = input.shape[1] if input.ndim > 1 else input.shape[0]
    x = input if input.ndim > 1 else input[None]
    t = target if input.ndim > 1 else target[None]
    x = jnp.moveaxis(x, 1, -1)
    valid = t != ignore_index
    safe_t = jnp.where(valid, t, 0)
    picked = -jnp.take_along_axis(x, safe_t[..., None], axis=-1)[..., 0]
    w = jnp.ones((n_cls,), input.dtype) if weight is None else weight.astype(input.dtype)
    wt = jnp.where(valid, w[safe_t], 0)
    loss = picked * wt
    if reduction == "mean":
        return jnp.sum(loss) / jnp.sum(wt)
    if reduction == "sum":
        return jnp.sum(loss)
    return loss if input.ndim > 1 else loss[0]


def _check_bce_logits(input, target, *a, **k):
    float_kernel("log_sigmoid_cpu")(input)
    if not (target.dtype.is_floating_point or target.dtype.is_complex):
        # torch writes the loss into a buffer of target's dtype first
        raise RuntimeError(f"result type {_dtypes.torch_type_name(input.dtype)} can't be cast "
                           f"to the desired output type {_dtypes.torch_type_name(target.dtype)}")


def _check_bce(input, target, *a, **k):
    if target.dtype is not input.dtype:
        raise RuntimeError(f"Found dtype {_dtypes.torch_type_name(target.dtype)} but expected "
                           f"{_dtypes.torch_type_name(input.dtype)}")


@op(variants="", tensors=("input", "target", "weight", "pos_weight"),
    grad_fn="BinaryCrossEntropyWithLogitsBackward0", saves=("input", "target"),
    check=_check_bce_logits)
def _bce_with_logits(input, target, weight=None, pos_weight=None, reduction="mean"):
    log_sig = jax.nn.log_sigmoid(input)
    log_one_minus = jax.nn.log_sigmoid(-input)
    coef = 1.0 if pos_weight is None else pos_weight
    loss = -(coef * target * log_sig + (1 - target) * log_one_minus)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


@op(variants="", tensors=("input", "target", "weight"), grad_fn="BinaryCrossEntropyBackward0",
    saves=("input", "target"), check=_check_bce)
def _bce(input, target, weight=None, reduction="mean"):
    # torch clamps the logs at -100
    loss = -(target * jnp.maximum(jnp.log(input), -100.0) +
             (1 - target) * jnp.maximum(jnp.log1p(-input), -100.0))
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def _conv_dims(n):
    spatial = "DHW"[-n:]
    return (f"NC{spatial}", f"OI{spatial}", f"NC{spatial}")


def _check_conv_types(input, weight, *a, **k):
    """torch's convolution dtype check of input against weight (the bias is checked by the
    caller, before): float32 input goes to the oneDNN path, whose message differs."""
    if input.dtype is weight.dtype:
        return
    if input.dtype is _dtypes.float32:
        raise RuntimeError(f"Input type ({input.type()}) and weight type ({weight.type()}) "
                           f"should be the same or input should be a MKLDNN tensor and weight "
                           f"is a dense tensor")
    raise RuntimeError(f"expected scalar type {_dtypes.torch_type_name(input.dtype)} but found "
                       f"{_dtypes.torch_type_name(weight.dtype)}")


@op(variants="", tensors=("input", "weight", "bias"), grad_fn="ConvolutionBackward0",
    saves=("input", "weight"), check=_check_conv_types)
def _conv(input, weight, bias=None, stride=(1,), padding=(0,), dilation=(1,), groups=1):
    n = weight.ndim - 2
    batched = input.ndim == n + 2
    x = input if batched else input[None]
    pad = padding if isinstance(padding, str) else [(p, p) for p in padding]
    if isinstance(pad, str):
        pad = pad.upper()
    out = jax.lax.conv_general_dilated(
        x, weight, window_strides=stride, padding=pad, rhs_dilation=dilation,
        dimension_numbers=_conv_dims(n), feature_group_count=groups,
        precision=_precision.conv_precision())
    if bias is not None:
        out = out + bias.reshape((1, -1) + (1,) * n)
    return out if batched else out[0]


@op(variants="", tensors=("input", "weight", "bias"), grad_fn="ConvolutionBackward0",
    saves=("input", "weight"), check=_check_conv_types)
def _conv_transpose(input, weight, bias=None, stride=(1,), padding=(0,), output_padding=(0,),
                    groups=1, dilation=(1,)):
    """The gradient of a convolution as a convolution: the input dilated by ``stride``, the
    kernel flipped with its in/out channel roles swapped per group."""
    n = weight.ndim - 2
    batched = input.ndim == n + 2
    x = input if batched else input[None]
    cin, cout_g = weight.shape[:2]
    k = weight.shape[2:]
    w = weight.reshape((groups, cin // groups, cout_g) + k)
    w = jnp.swapaxes(w, 1, 2).reshape((groups * cout_g, cin // groups) + k)
    w = jnp.flip(w, axis=tuple(range(2, 2 + n)))
    pads = [(d * (kk - 1) - p, d * (kk - 1) - p + op_) for kk, d, p, op_ in
            zip(k, dilation, padding, output_padding)]
    out = jax.lax.conv_general_dilated(
        x, w, window_strides=(1,) * n, padding=pads, lhs_dilation=stride,
        rhs_dilation=dilation, dimension_numbers=_conv_dims(n), feature_group_count=groups,
        precision=_precision.conv_precision())
    if bias is not None:
        out = out + bias.reshape((1, -1) + (1,) * n)
    return out if batched else out[0]


def _check_sdpa(query, key, value, attn_mask=None, is_causal=False, scale=None,
                enable_gqa=False):
    """The shape errors of torch's math path: its two batched products and the mask's
    broadcast against the scores (L x S)."""
    if enable_gqa or query.dim() < 2 or key.dim() < 2 or value.dim() < 2:
        return
    (L, E), S = tuple(query.shape[-2:]), key.shape[-2]
    batch = query.numel() // max(L * E, 1)
    for want, got in ((E, key.shape[-1]), (S, value.shape[-2])):
        if want != got:
            raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                               f"[{batch}, {want}] but got: [{batch}, {got}].")
    if attn_mask is not None:
        _errors.infer_size(tuple(query.shape[:-1]) + (S,), tuple(attn_mask.shape))


@op(variants="", tensors=("query", "key", "value", "attn_mask"), check=_check_sdpa,
    # torch's fused CPU kernel takes float32 (and half types); float64 runs its math path,
    # whose last node is the matmul's UnsafeViewBackward0
    grad_fn=lambda targs, sargs, skw: "UnsafeViewBackward0" if str(
        targs[0].dtype) == "torch.float64" else "ScaledDotProductFlashAttentionForCpuBackward0",
    saves=("query", "key", "value"),
    promote=Promotion.NONE)
def _sdpa(query, key, value, attn_mask=None, is_causal=False, scale=None, enable_gqa=False):
    """softmax(q k^T * scale + mask) v over the last two dims; a boolean mask keeps True."""
    e = query.shape[-1]
    sc = 1.0 / (e ** 0.5) if scale is None else scale
    if enable_gqa and key.ndim >= 3 and key.shape[-3] != query.shape[-3]:
        rep = query.shape[-3] // key.shape[-3]
        key = jnp.repeat(key, rep, axis=-3)
        value = jnp.repeat(value, rep, axis=-3)
    scores = jnp.matmul(query * jnp.asarray(sc, query.dtype), jnp.swapaxes(key, -1, -2))
    neg = jnp.asarray(-jnp.inf, scores.dtype)
    if is_causal:
        L, S = scores.shape[-2:]
        scores = jnp.where(jnp.tril(jnp.ones((L, S), bool)), scores, neg)
    if attn_mask is not None:
        scores = jnp.where(attn_mask, scores, neg) if attn_mask.dtype == jnp.bool_ else \
            scores + attn_mask.astype(scores.dtype)
    # torch's safe softmax: a row with every key masked attends to nothing (zeros, not NaN)
    top = jnp.max(scores, axis=-1, keepdims=True)
    empty = top == neg
    e = jnp.exp(scores - jax.lax.stop_gradient(jnp.where(empty, 0, top)))
    probs = jnp.where(empty, 0, e / jnp.where(empty, 1, jnp.sum(e, axis=-1, keepdims=True)))
    return jnp.matmul(probs, value)


@op(variants="", tensors=("input1", "input2", "weight"), grad_fn="ViewBackward0",
    saves=("input1", "input2", "weight"))
def _bilinear(input1, input2, weight):
    """``x1^T W_o x2`` for every output feature o (torch's _trilinear, whose output is a
    view)."""
    return jnp.einsum("...i,oij,...j->...o", input1, weight, input2)
