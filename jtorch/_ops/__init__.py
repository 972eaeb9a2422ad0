"""The op table: ``registry`` (``@op``, ``@composite``, ``alias``) and one module per op
family. ``load()`` imports every family, which registers its declarations; ``jtorch``
calls it once, then ``registry.install`` derives the variants. (Importing this package
itself imports nothing: the families import the dispatcher, which imports the registry.)
"""
import importlib

FAMILIES = (
    "pointwise", "elementwise_minmax", "compare_ops", "unary_ops", "reduction",
    "reduce_extremes", "linalg", "shape", "cat_stack", "indexing", "index_put", "conversion",
    "composite",
    "sorting", "nn_ops", "math_ops", "math_unary", "scans", "moments", "vector_norms",
    "order_stats", "joining", "flips_diagonals", "products",
    "gather_scatter", "closeness", "nn_act", "nn_norm", "nn_loss", "nn_pool",
    "nn_resample", "nn_rnn",
    "special_ops", "linalg_kernels", "fft_ops", "nn_sample", "nn_ctc", "nn_unpool",
    "index_slices", "masked_ops", "bucketing",   # with gather_scatter: the index-driven ops
    # torch.* and Tensor names beyond the first table (issue 18)
    "api_math", "api_calculus", "api_views", "api_linalg", "api_lowrank", "api_signal",
    "api_special", "api_random", "put_index_reduce",
    "random_gamma",  # _standard_gamma, _sample_dirichlet and their gradients (issue 23)
)


def load():
    for name in FAMILIES:
        importlib.import_module(f"{__name__}.{name}")
