"""torch.nn on jtorch: Module, Parameter, layers, functional, init."""
from .parameter import Parameter  # noqa: F401
from .modules import *  # noqa: F401,F403
from .modules import Module  # noqa: F401
from . import functional, init, utils  # noqa: F401
from . import attention  # noqa: F401,E402
from . import parallel  # noqa: F401,E402  (issue 22: DistributedDataParallel)


def factory_kwargs(kwargs):
    """The ``device``/``dtype``/``memory_format`` entries of ``kwargs`` (merged with its
    ``factory_kwargs`` entry), checked as torch's helper does."""
    if kwargs is None:
        return {}
    simple = {"device", "dtype", "memory_format"}
    allowed = simple | {"factory_kwargs"}
    if not kwargs.keys() <= allowed:
        raise TypeError(f"unexpected kwargs {kwargs.keys() - allowed}")
    out = dict(kwargs.get("factory_kwargs", {}))
    for k in simple:
        if k in kwargs:
            if k in out:
                raise TypeError(f"{k} specified twice, in **kwargs and in factory_kwargs")
            out[k] = kwargs[k]
    return out
