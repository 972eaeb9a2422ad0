"""torch.backends: the precision switches (mapped onto JAX's precision in ``_precision``),
and flags scripts set for reproducibility (accepted and reported back; XLA has no cuDNN
autotuner or algorithm choice to switch)."""
import types

from . import _precision


class _Flags:
    """A module-like object of boolean flags that rejects unknown names and non-bools, as
    torch's backend modules do."""
    _names = ()

    def __setattr__(self, name, value):
        if isinstance(getattr(type(self), name, None), property):
            return object.__setattr__(self, name, value)    # (its setter checks the value)
        if name not in self._names:
            raise AttributeError(f"Unknown attribute {name}")
        if not isinstance(value, bool):
            raise RuntimeError(f"set_{name} expects a bool, but got {type(value).__name__}")
        object.__setattr__(self, name, value)


class _CuBLAS(_Flags):
    """torch.backends.cuda.matmul: ``allow_tf32`` is the float32 matmul precision as a bool."""
    _names = ("allow_fp16_reduced_precision_reduction",
              "allow_bf16_reduced_precision_reduction")

    def __init__(self):
        object.__setattr__(self, "allow_fp16_reduced_precision_reduction", True)
        object.__setattr__(self, "allow_bf16_reduced_precision_reduction", True)

    @property
    def allow_tf32(self):
        return _precision.get_matmul() != "highest"

    @allow_tf32.setter
    def allow_tf32(self, value):
        if not isinstance(value, bool):
            raise RuntimeError(f"set_allow_tf32_cublas expects a bool, but got "
                               f"{type(value).__name__}")
        _precision.set_matmul("high" if value else "highest")


class _CuDNN(_Flags):
    _names = ("deterministic", "benchmark", "enabled", "allow_tf32", "benchmark_limit")

    def __init__(self):
        for name, value in (("deterministic", False), ("benchmark", False), ("enabled", True)):
            object.__setattr__(self, name, value)

    @property
    def allow_tf32(self):
        return _precision.CUDNN_TF32[0]

    @allow_tf32.setter
    def allow_tf32(self, value):
        if not isinstance(value, bool):
            raise RuntimeError(f"set_allow_tf32 expects a bool, but got "
                               f"{type(value).__name__}")
        _precision.set_cudnn_tf32(value)

    @staticmethod
    def is_available():
        return False

    @staticmethod
    def version():
        return None


cudnn = _CuDNN()
cuda = types.SimpleNamespace(matmul=_CuBLAS(), is_built=lambda: False)
mps = types.SimpleNamespace(is_available=lambda: False, is_built=lambda: False)


def _get_cpu_capability():
    """The CPU capability torch's kernels would dispatch on here ("AVX512", "AVX2",
    "DEFAULT"); jtorch reproduces the few results that depend on it."""
    from .. import _cpu_capability
    return _cpu_capability.capability()


cpu = types.SimpleNamespace(get_cpu_capability=_get_cpu_capability)
