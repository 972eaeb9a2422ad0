"""Autocast's casting: torch's per-op policy tables and the cast applied at an op's entry.

``_dispatch.call`` checks one module global, ``_autocast``: None outside autocast; inside, this
module's ``cast_call``, which looks the op up in the device type's table and casts its tensor
arguments by ``.to(dtype)`` (a ``ToCopyBackward0`` node, as torch records: gradients come back
in the parameters' dtype). Policies, as torch names them:
- "lower": floating tensors (float64 excepted) to the autocast dtype (matmuls, convolutions);
- "fp32": floating tensors (float64 excepted) to float32 (losses, linalg, fft...);
- "promote": all floating tensors to the widest floating dtype among them (cat, stack...).
Every other op runs in its inputs' dtypes.

The CPU table was measured: ``tests/golden/make_autocast.py`` runs one call per op under
torch's autocast (torch's C++ lists are not readable from Python) and
``tests/test_autocast.py`` compares jtorch's output dtypes with those records. Torch ops that
decompose into a listed op (einsum, tensordot: bmm) get that op's policy here, where jtorch
runs them as one op. The CUDA table is written from torch's documented CUDA op lists
(the autocast page of torch's docs): no CUDA build is at hand to measure it.

Python-level ops that run several table ops (``F.linear``: addmm or matmul + add; losses
composed of pointwise ops) are wrapped (``wrap_composites``): their arguments are cast once,
at the torch-level op, and the inner ops run with autocast suspended, as torch's autocast
key is excluded below an op it has cast.
"""
from __future__ import annotations

import functools

from . import _dispatch, _dtypes
from ._tensor import Tensor

# device type -> autocast dtype, for the enabled ones (kept by ``_api_runtime.autocast``)
ACTIVE = {}

_LOWER, _FP32, _PROMOTE = "lower", "fp32", "promote"

_CPU_LOWER = ("mm", "bmm", "addmm", "baddbmm", "addbmm", "_matmul_nd", "_conv",
              "_conv_transpose", "_prelu", "_sdpa", "_einsum", "_tensordot",
              # Python-level (wrapped) ops
              "linear", "matmul", "scaled_dot_product_attention", "prelu")
_CPU_FP32 = (
    "_mse_loss", "_l1_loss", "_smooth_l1_loss", "_huber_loss", "_nll_loss", "_bce",
    "_bce_with_logits", "_soft_margin_loss", "_multi_margin_loss", "_multilabel_margin_loss",
    "_ctc_loss", "_cdist", "prod", "trace", "_quantile", "linalg_inv", "linalg_solve",
    "linalg_cholesky", "cholesky", "linalg_qr", "linalg_svd", "linalg_eigh", "linalg_eig",
    "linalg_eigvals", "linalg_lstsq", "linalg_matrix_rank", "linalg_pinv", "_fft",
    "_grid_sample", "_fractional_max_pool", "api_polar", "api_geqrf",
    "api_householder_product", "api_view_as_complex",
    # Python-level (wrapped) ops
    "cross_entropy", "kl_div", "hinge_embedding_loss", "margin_ranking_loss",
    "cosine_embedding_loss", "poisson_nll_loss", "triplet_margin_loss", "mse_loss",
    "l1_loss", "smooth_l1_loss", "huber_loss", "nll_loss", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "soft_margin_loss", "multi_margin_loss",
    "multilabel_margin_loss", "multilabel_soft_margin_loss", "quantile", "nanquantile",
    "cdist", "stft")
_PROMOTE_OPS = ("cat", "stack", "index_copy")

# torch's documented CUDA lists (float16/bfloat16 "lower", float32, promote), by jtorch's op
# names; not measured (see the module doc)
_CUDA_LOWER = _CPU_LOWER + ("mv", "dot", "addmv", "addr", "vdot")
_CUDA_FP32 = (
    "acos", "asin", "cosh", "erfinv", "exp", "expm1", "log", "log10", "log2", "log1p",
    "reciprocal", "rsqrt", "sinh", "tan", "pow", "_softplus", "_layer_norm", "_group_norm",
    "_vector_norm", "linalg_vector_norm", "dist", "_cdist", "logsumexp", "_upsample",
    "_grid_sample", "prod", "sum", "cumprod", "cumsum", "_softmax", "_log_softmax",
    "_pairwise_distance", "_mse_loss", "_l1_loss", "_smooth_l1_loss", "_huber_loss",
    "_nll_loss", "_bce_with_logits", "_soft_margin_loss", "_multi_margin_loss",
    "_multilabel_margin_loss", "api_polar", "cross_entropy", "kl_div",
    "hinge_embedding_loss", "margin_ranking_loss", "cosine_embedding_loss",
    "poisson_nll_loss", "triplet_margin_loss", "mse_loss", "l1_loss", "smooth_l1_loss",
    "huber_loss", "nll_loss", "binary_cross_entropy_with_logits", "soft_margin_loss",
    "multi_margin_loss", "multilabel_margin_loss", "layer_norm", "group_norm",
    "softmax", "log_softmax", "cosine_similarity", "cdist")
_CUDA_PROMOTE = _PROMOTE_OPS + ("addcdiv", "addcmul", "atan2", "_bilinear", "_cross",
                                "_tensordot", "scatter_add", "_index_put")


def _table(lower, fp32, promote):
    t = {n: _LOWER for n in lower}
    t.update({n: _FP32 for n in fp32})
    t.update({n: _PROMOTE for n in promote})
    return t


POLICIES = {"cpu": _table(_CPU_LOWER, _CPU_FP32, _PROMOTE_OPS),
            "cuda": _table(_CUDA_LOWER, _CUDA_FP32, _CUDA_PROMOTE)}
POLICIES["cuda"].pop("_tensordot")      # (lower on CPU: torch decomposes it into bmm there)
POLICIES["cuda"]["_tensordot"] = _PROMOTE


# CPU ops whose policy depends on their arguments: torch lists only the 3-D pooling
# variants and some padding modes as float32
def _pool_3d(args, kwargs):
    x = args[0] if args else None
    return _FP32 if isinstance(x, Tensor) and x.dim() == 5 else None


def _pad_policy(args, kwargs):
    mode = args[2] if len(args) > 2 else kwargs.get("mode")
    return _FP32 if mode in ("reflect", "replicate") else None


_CPU_BY_ARGS = {"_max_pool": _pool_3d, "_avg_pool": _pool_3d, "_adaptive_avg_pool": _pool_3d,
                "_adaptive_max_pool": _pool_3d, "_max_pool_with_indices": _pool_3d,
                "_max_unpool": lambda a, k: _FP32, "_pad": _pad_policy}


def policy(device_type, name, args=(), kwargs=None):
    """The autocast policy of op ``name`` on ``device_type``: "lower", "fp32", "promote" or
    None (runs in its inputs' dtypes)."""
    p = POLICIES.get(device_type, {}).get(name)
    if p is None and device_type == "cpu":
        by_args = _CPU_BY_ARGS.get(name)
        if by_args is not None:
            p = by_args(args, kwargs or {})
    return p


# ------------------------------------------------------------------ casting
def _eligible(t, device_type):
    return isinstance(t, Tensor) and t.dtype.is_floating_point and \
        t.dtype.itemsize != 8 and t.device.type == device_type


def _cast_one(a, dtype, device_type):
    if isinstance(a, (list, tuple)) and a and any(isinstance(e, Tensor) for e in a):
        return type(a)(_cast_one(e, dtype, device_type) for e in a)
    if _eligible(a, device_type) and a.dtype is not dtype:
        return a.to(dtype)
    return a


def _prioritize(values, low, device_type):
    """The promote policy's dtype, as torch's: the autocast dtype unless a float32 operand
    comes before any other lower-precision dtype (which raises torch's error)."""
    current = low
    for a in values:
        for e in (a if isinstance(a, (list, tuple)) else (a,)):
            if not _eligible(e, device_type) or current.itemsize == 4:
                continue
            if e.dtype.itemsize == 4:
                current = e.dtype
            elif e.dtype is not current:
                raise RuntimeError("Unexpected floating ScalarType in "
                                   "at::autocast::prioritize")
    return current


def cast_args(name, args, kwargs):
    """``(args, kwargs)`` cast by op ``name``'s policy under the active autocast contexts."""
    for device_type, low in ACTIVE.items():
        p = policy(device_type, name, args, kwargs)
        if p is None:
            continue
        if p == _LOWER:
            dtype = low
        elif p == _FP32:
            dtype = _dtypes.float32
        else:
            dtype = _prioritize(list(args) + list(kwargs.values() if kwargs else ()), low,
                                device_type)
        args = tuple(_cast_one(a, dtype, device_type) for a in args)
        if kwargs:
            kwargs = {k: _cast_one(v, dtype, device_type) for k, v in kwargs.items()}
    return args, kwargs


def cast_call(d, args, kwargs):
    """The dispatcher's hook (``_dispatch._autocast``)."""
    return cast_args(d.name, args, kwargs)


class suspended:
    """Inner ops of an op autocast has cast run without autocast (torch excludes its
    autocast key below such an op)."""

    def __enter__(self):
        self.prev = _dispatch._autocast
        _dispatch._autocast = None

    def __exit__(self, *exc):
        _dispatch._autocast = self.prev
        return False


def sync(active):
    """Set the enabled device types (device type -> dtype) and the dispatcher's hook."""
    ACTIVE.clear()
    ACTIVE.update(active)
    _dispatch._autocast = cast_call if ACTIVE else None


# ------------------------------------------------------------------ Python-level ops
def _wrapped(name, fn):
    @functools.wraps(fn)
    def run(*args, **kwargs):
        if _dispatch._autocast is None:
            return fn(*args, **kwargs)
        args, kwargs = cast_args(name, args, kwargs)
        with suspended():
            return fn(*args, **kwargs)
    run.__wrapped_autocast__ = True
    return run


def wrap_composites(places):
    """Wrap each ``(owner, attribute)`` Python-level op in ``places`` (its policy is found by
    the attribute's name) so it casts once at entry."""
    for owner, attr in places:
        fn = getattr(owner, attr, None)
        if fn is None or getattr(fn, "__wrapped_autocast__", False):
            continue
        setattr(owner, attr, _wrapped(attr, fn))


def install(jtorch, F, composite):
    """Wrap the Python-level ops listed in the tables (called once by ``jtorch.amp``, with
    the modules that hold them: ``jtorch``, ``jtorch.nn.functional``, ``jtorch._ops.composite``)."""
    names = [n for n in set(POLICIES["cpu"]) | set(POLICIES["cuda"]) if not n.startswith("_")]
    places = [(F, n) for n in names if callable(getattr(F, n, None)) and
              not _is_table_op(getattr(F, n))]
    places += [(composite, "matmul"), (jtorch, "matmul"), (Tensor, "matmul")]
    for n in ("quantile", "nanquantile", "cdist", "stft"):
        places += [(jtorch, n), (Tensor, n)]
    wrap_composites(places)


def _is_table_op(fn):
    """A function derived from a table op (``_variants``): the hook already casts it."""
    return getattr(fn, "__module__", "") == "jtorch._variants"
