"""Start JAX's multi-process runtime for one torch rank (one JAX process per rank).

``jax.distributed.initialize`` must run before JAX creates its backends, and ``import jtorch``
creates them (it places arrays at import). So the launcher's worker (``_worker.py``, run by
path so the jtorch package is not imported first) calls :func:`start` before anything else;
``init_process_group`` calls it too, which works only while JAX's backends are untouched.
This module imports only jax (never the jtorch package) for that reason.
"""
import os

import jax


def runtime_started():
    """Whether JAX's distributed client is up in this process."""
    from jax._src import distributed as jax_dist
    return jax_dist.global_state.client is not None


def backends_created():
    from jax._src import xla_bridge
    return xla_bridge.backends_are_initialized()


def start(coordinator, world_size, rank, timeout_s=300):
    """Join the JAX runtime of ``world_size`` processes as process ``rank``; rank 0 serves the
    coordinator at ``coordinator`` (host:port). On CPU, cross-process collectives use gloo."""
    jax.config.update("jax_cpu_collectives_implementation", "gloo")
    jax.distributed.initialize(coordinator_address=coordinator, num_processes=world_size,
                               process_id=rank, initialization_timeout=int(timeout_s))


def start_from_env():
    """The launcher's worker: join using torchrun's environment variables."""
    world = int(os.environ["WORLD_SIZE"])
    if world > 1:
        coordinator = f"{os.environ['MASTER_ADDR']}:{os.environ['MASTER_PORT']}"
        start(coordinator, world, int(os.environ["RANK"]),
              float(os.environ.get("JTORCH_DIST_INIT_TIMEOUT", "300")))


def keep_arrays_local():
    """If a JAX default device is configured that belongs to another process (e.g.
    ``jax.devices("cpu")[0]`` is rank 0's CPU in every rank), use this process's own device
    of that platform instead: arrays cannot be placed on another process's device."""
    current = jax.config.jax_default_device
    if isinstance(current, str) or current is None or not runtime_started():
        return
    if current.process_index != jax.process_index():
        jax.config.update("jax_default_device", jax.local_devices(backend=current.platform)[0])
