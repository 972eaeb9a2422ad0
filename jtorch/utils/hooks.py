"""torch.utils.hooks: the handle returned by every ``register_*_hook``."""
from ..autograd.graph import RemovableHandle  # noqa: F401

__all__ = ["RemovableHandle"]
