"""torch.optim: optimizers whose whole update is one jitted call per parameter group, LBFGS
(eager, op by op: its control flow depends on values), and learning-rate schedulers."""
from .optimizer import Optimizer  # noqa: F401
from .sgd import SGD  # noqa: F401
from .adam import Adam  # noqa: F401
from .adamw import AdamW  # noqa: F401
from .rmsprop import RMSprop  # noqa: F401
from .adagrad import Adagrad  # noqa: F401
from .adaptive import Adadelta, Adamax, NAdam, RAdam  # noqa: F401
from .lbfgs import LBFGS  # noqa: F401
from .optax_wrapper import Optax  # noqa: F401  (jtorch extension)
from .optax_named import (  # noqa: F401  (jtorch extensions built on optax)
    LAMB, LARS, Lion, Novograd, ScheduleFreeAdamW, ScheduleFreeSGD, Yogi)
from .to_optax import to_optax  # noqa: F401  (jtorch extension)
from . import lr_scheduler  # noqa: F401
from .asgd import ASGD  # noqa: F401
from .rprop import Rprop  # noqa: F401
from .adafactor import Adafactor  # noqa: F401
from .sparse_adam import SparseAdam  # noqa: F401
from .muon import Muon  # noqa: F401
from . import swa_utils  # noqa: F401
from ._stateless import swap_in_optimizer_params_and_state  # noqa: F401

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam",
           "RAdam", "LBFGS", "lr_scheduler"]
# jtorch extensions (not in torch.optim): optax inside torch.optim
__all__ += ["Optax", "Lion", "LAMB", "LARS", "Yogi", "Novograd", "ScheduleFreeAdamW",
            "ScheduleFreeSGD", "to_optax"]
__all__ += ["ASGD", "Rprop", "Adafactor", "SparseAdam", "Muon", "swa_utils",
            "swap_in_optimizer_params_and_state"]
