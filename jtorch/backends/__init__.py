"""torch.backends: flags scripts set for reproducibility; they have no effect on XLA."""
import types

cudnn = types.SimpleNamespace(deterministic=False, benchmark=False, enabled=True,
                              allow_tf32=True, is_available=lambda: False)
mps = types.SimpleNamespace(is_available=lambda: False, is_built=lambda: False)
cuda = types.SimpleNamespace(matmul=types.SimpleNamespace(allow_tf32=False))


def _get_cpu_capability():
    """The CPU capability torch's kernels would dispatch on here ("AVX512", "AVX2",
    "DEFAULT"); jtorch reproduces the few results that depend on it."""
    from .. import _cpu_capability
    return _cpu_capability.capability()


cpu = types.SimpleNamespace(get_cpu_capability=_get_cpu_capability)
