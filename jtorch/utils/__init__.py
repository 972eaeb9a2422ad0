"""torch.utils: ``data`` (datasets, samplers, DataLoader) and ``hooks``."""
from . import hooks  # noqa: F401
from . import data  # noqa: F401
from . import checkpoint  # noqa: F401
from . import dlpack  # noqa: F401
