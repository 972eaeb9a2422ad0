"""torch.cuda's random state: one ``Generator`` per GPU (created on first use), its own
stream apart from the CPU generator, as torch's CUDA generators are. Values differ from
torch's Philox-based CUDA generator. Without a GPU: torch's CPU build answers (seeding is a
no-op, state queries raise)."""
from .. import _generator
import importlib

_device_mod = importlib.import_module("jtorch.device")  # (jtorch.device is the class)
from . import _state

_GENERATORS = {}        # device index -> Generator


def generator(device=None):
    idx = _state.index_of(device)
    _state.jax_gpu(idx)
    g = _GENERATORS.get(idx)
    if g is None:
        g = _GENERATORS[idx] = _generator.Generator(device=f"cuda:{idx}")
    return g


def manual_seed(seed):
    if _device_mod._gpus():
        generator().manual_seed(seed)


def manual_seed_all(seed):
    for i in range(len(_device_mod._gpus())):
        generator(i).manual_seed(seed)


def seed():
    if _device_mod._gpus():
        generator().seed()


def seed_all():
    for i in range(len(_device_mod._gpus())):
        generator(i).seed()


def initial_seed():
    return generator().initial_seed()


def get_rng_state(device="cuda"):
    return generator(device).get_state()


def set_rng_state(new_state, device="cuda"):
    if _device_mod._gpus():
        generator(device).set_state(new_state)


def get_rng_state_all():
    return [generator(i).get_state() for i in range(len(_device_mod._gpus()))]


def set_rng_state_all(new_states):
    for i, state in enumerate(new_states):
        set_rng_state(state, i)
