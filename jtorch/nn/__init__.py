"""torch.nn on jtorch: Module, Parameter, layers, functional, init."""
from .parameter import Parameter  # noqa: F401
from .modules import *  # noqa: F401,F403
from .modules import Module  # noqa: F401
from . import functional, init, utils  # noqa: F401
from . import attention  # noqa: F401,E402
from . import parallel  # noqa: F401,E402  (issue 22: DistributedDataParallel)
