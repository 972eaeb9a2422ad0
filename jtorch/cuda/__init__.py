"""torch.cuda on JAX's GPU backend (``cuda:N`` is JAX's N-th GPU).

Without a GPU backend every call answers as torch's CPU build does: queries return
False/0/empty, the rest raise its AssertionError "Torch not compiled with CUDA enabled"
(``_state.require``). With one: memory figures from ``jax_device.memory_stats()``
(``_memory``), ``synchronize`` blocks on the device's pending arrays, ``Event`` timing is
host time after a synchronize and ``Stream`` objects stand for XLA's one compute stream
(``_streams``), and each device has its own ``Generator`` (``_random``)."""
from ..device import device_count, is_available  # noqa: F401
from ._memory import (empty_cache, max_memory_allocated, max_memory_reserved,  # noqa: F401
                      mem_get_info, memory_allocated, memory_reserved, memory_stats,
                      reset_max_memory_allocated, reset_peak_memory_stats)
from ._random import (get_rng_state, get_rng_state_all, initial_seed, manual_seed,  # noqa: F401
                      manual_seed_all, seed, seed_all, set_rng_state, set_rng_state_all)
from ._state import (current_device, device, device_of, get_device_capability,  # noqa: F401
                     get_device_name, get_device_properties, init, ipc_collect,
                     is_bf16_supported, is_initialized, set_device, synchronize)
from ._streams import (CUDAGraph, Event, Stream, StreamContext, current_stream,  # noqa: F401
                       default_stream, graph, set_stream, stream)
from .._api_runtime import OutOfMemoryError  # noqa: F401  (torch.cuda.OutOfMemoryError)
