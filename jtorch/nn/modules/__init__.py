from .module import Module  # noqa: F401
from .layers import *  # noqa: F401,F403
from .normalization import *  # noqa: F401,F403
from .loss import *  # noqa: F401,F403
from .layers import (  # noqa: F401
    Sequential, ModuleList, ModuleDict, Identity, Linear, Flatten, Conv1d, Conv2d, MaxPool2d,
    AvgPool2d, ReLU, LeakyReLU, ELU, Sigmoid, Tanh, GELU, SiLU, Softmax, LogSoftmax, Dropout,
    ReLU6, SELU, CELU, Mish, Softplus, Softsign, Hardtanh, Hardswish, Hardsigmoid, LogSigmoid,
    Softmin, Threshold, Tanhshrink, Softshrink, Hardshrink, GLU, PReLU,
    MSELoss, L1Loss, CrossEntropyLoss, NLLLoss, BCELoss, BCEWithLogitsLoss)
