"""Start JAX's multi-process runtime for one torch rank (one JAX process per rank).

``jax.distributed.initialize`` must run before JAX creates its backends, and ``import jtorch``
creates them (it places arrays at import). So the launcher's worker (``_worker.py``, run by
path so the jtorch package is not imported first) calls :func:`start` before anything else;
``init_process_group`` calls it too, which works only while JAX's backends are untouched.
This module imports only jax (never the jtorch package) for that reason.
"""
import glob
import os

import jax


def runtime_started():
    """Whether JAX's distributed client is up in this process."""
    from jax._src import distributed as jax_dist
    return jax_dist.global_state.client is not None


def backends_created():
    from jax._src import xla_bridge
    return xla_bridge.backends_are_initialized()


def start(coordinator, world_size, rank, timeout_s=300, local_device_ids=None):
    """Join the JAX runtime of ``world_size`` processes as process ``rank``; rank 0 serves the
    coordinator at ``coordinator`` (host:port). On CPU, cross-process collectives use gloo.
    ``local_device_ids``: the GPUs this process owns (JAX ignores it on CPU)."""
    jax.config.update("jax_cpu_collectives_implementation", "gloo")
    jax.distributed.initialize(coordinator_address=coordinator, num_processes=world_size,
                               process_id=rank, initialization_timeout=int(timeout_s),
                               local_device_ids=local_device_ids)


def local_device_ids(env, gpu_count=None):
    """The GPU each rank owns under the launcher: [LOCAL_RANK], as torchrun scripts call
    ``torch.cuda.set_device(LOCAL_RANK)``. None (JAX's default: every visible GPU) when the
    user already chose (JAX_LOCAL_DEVICE_IDS, or one GPU in CUDA_VISIBLE_DEVICES), when the
    platform is CPU only, with one worker per node, or when the node has no GPU LOCAL_RANK
    (more workers than GPUs, e.g. gloo workers on CPU): naming a missing GPU would break
    JAX's start. ``gpu_count``: the node's visible GPUs (default: counted, ``_gpu_count``)."""
    if "LOCAL_RANK" not in env or int(env.get("LOCAL_WORLD_SIZE", "1")) < 2:
        return None
    if env.get("JAX_LOCAL_DEVICE_IDS"):
        return None
    platforms = env["JAX_PLATFORMS"] if "JAX_PLATFORMS" in env else jax.config.jax_platforms
    if (platforms or "") and not any(p in platforms.lower() for p in ("cuda", "gpu")):
        return None
    count = _gpu_count(env) if gpu_count is None else gpu_count
    local_rank = int(env["LOCAL_RANK"])
    return [local_rank] if count > 1 and local_rank < count else None


def _gpu_count(env):
    """NVIDIA GPUs this node shows a process, without starting CUDA (JAX must not have
    created its backends yet): CUDA_VISIBLE_DEVICES' entries, else /dev/nvidiaN files."""
    visible = env.get("CUDA_VISIBLE_DEVICES")
    if visible is not None:
        return len([v for v in visible.split(",") if v.strip()])
    return len(glob.glob("/dev/nvidia[0-9]*"))


def start_from_env():
    """The launcher's worker: join using torchrun's environment variables."""
    world = int(os.environ["WORLD_SIZE"])
    if world > 1:
        coordinator = f"{os.environ['MASTER_ADDR']}:{os.environ['MASTER_PORT']}"
        start(coordinator, world, int(os.environ["RANK"]),
              float(os.environ.get("JTORCH_DIST_INIT_TIMEOUT", "300")),
              local_device_ids(os.environ))


def keep_arrays_local():
    """If a JAX default device is configured that belongs to another process (e.g.
    ``jax.devices("cpu")[0]`` is rank 0's CPU in every rank), use this process's own device
    of that platform instead: arrays cannot be placed on another process's device."""
    current = jax.config.jax_default_device
    if isinstance(current, str) or current is None or not runtime_started():
        return
    if current.process_index != jax.process_index():
        jax.config.update("jax_default_device", jax.local_devices(backend=current.platform)[0])
