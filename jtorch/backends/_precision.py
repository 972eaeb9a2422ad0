"""torch's float32 precision settings and the JAX precision each one yields, in one place.

torch's defaults: ``get_float32_matmul_precision() == "highest"`` (so
``backends.cuda.matmul.allow_tf32`` is False) and ``backends.cudnn.allow_tf32`` True.
``allow_tf32`` on cuBLAS is the matmul precision seen as a bool ("highest" <-> False; True
sets "high"). JAX's names: "highest" -> ``Precision.HIGHEST`` (full float32), "high" ->
``Precision.HIGH`` (TF32 on NVIDIA GPUs), "medium" -> ``Precision.DEFAULT`` (bfloat16 passes
allowed). On the CPU backend XLA computes float32 dots in float32 for each of them, as
torch's CPU build does (its settings touch only CUDA kernels).

How ops see them: the matmul level is JAX's process-wide ``jax_default_matmul_precision``
(every dot an op traces without its own ``precision=`` follows it, and JAX's compile caches
key on it, so a change retraces); convolutions pass ``conv_precision()`` explicitly, and a
change of cuDNN's switch clears JAX's caches so that they are traced again.
"""
import warnings

import jax

MATMUL = ["highest"]            # torch.get_float32_matmul_precision()
CUDNN_TF32 = [True]             # torch.backends.cudnn.allow_tf32

_JAX = {"highest": jax.lax.Precision.HIGHEST, "high": jax.lax.Precision.HIGH,
        "medium": jax.lax.Precision.DEFAULT}
# jax.default_matmul_precision's names for the same levels
_JAX_NAMES = {"highest": "float32", "high": "tensorfloat32", "medium": "bfloat16"}


def set_matmul(precision):
    if precision not in _JAX:
        warnings.warn(f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
                      "setFloat32MatmulPrecision call has no effect.")
        return
    MATMUL[0] = precision
    jax.config.update("jax_default_matmul_precision", _JAX_NAMES[precision])


def set_cudnn_tf32(value):
    if CUDNN_TF32[0] != value:
        CUDNN_TF32[0] = value
        jax.clear_caches()        # (the convolutions traced with the old precision)


def get_matmul():
    return MATMUL[0]


def matmul_precision():
    """The ``precision=`` for float32 matmuls (dot, mm, bmm, linear...)."""
    return _JAX[MATMUL[0]]


def matmul_precision_name():
    """The same, as ``jax.default_matmul_precision`` names it."""
    return _JAX_NAMES[MATMUL[0]]


def conv_precision():
    """The ``precision=`` for float32 convolutions: cuDNN's TF32 switch (torch's default
    allows TF32 convolutions on GPUs)."""
    return jax.lax.Precision.HIGH if CUDNN_TF32[0] else jax.lax.Precision.HIGHEST


set_matmul(MATMUL[0])           # torch's default, "highest", for the ops' dots from the start
