"""torch.utils: ``data`` (datasets, samplers, DataLoader) and ``hooks``."""
from . import hooks  # noqa: F401
from . import data  # noqa: F401
from . import checkpoint  # noqa: F401
from . import dlpack  # noqa: F401
from . import _pytree  # noqa: F401  (libraries reach it as torch.utils._pytree)
