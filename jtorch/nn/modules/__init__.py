from .module import Module  # noqa: F401
from .layers import *  # noqa: F401,F403
from .conv import *  # noqa: F401,F403
from .spatial import *  # noqa: F401,F403
from .normalization import *  # noqa: F401,F403
from .rnn import *  # noqa: F401,F403
from .transformer import *  # noqa: F401,F403
from .params import *  # noqa: F401,F403
from .loss import *  # noqa: F401,F403
from .layers import (  # noqa: F401
    Sequential, ModuleList, ModuleDict, Identity, Linear, Flatten,
    ReLU, LeakyReLU, ELU, Sigmoid, Tanh, GELU, SiLU, Softmax, LogSoftmax, Dropout,
    ReLU6, SELU, CELU, Mish, Softplus, Softsign, Hardtanh, Hardswish, Hardsigmoid, LogSigmoid,
    Softmin, Threshold, Tanhshrink, Softshrink, Hardshrink, GLU, PReLU,
    MSELoss, L1Loss, CrossEntropyLoss, NLLLoss, BCELoss, BCEWithLogitsLoss)
from .conv import (  # noqa: F401
    Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d)
from .spatial import (  # noqa: F401
    MaxPool1d, MaxPool2d, MaxPool3d, AvgPool1d, AvgPool2d, AvgPool3d, AdaptiveAvgPool1d,
    AdaptiveAvgPool2d, AdaptiveAvgPool3d, AdaptiveMaxPool1d, AdaptiveMaxPool2d,
    AdaptiveMaxPool3d, LPPool1d, LPPool2d, ConstantPad1d, ConstantPad2d, ConstantPad3d,
    ZeroPad1d, ZeroPad2d, ZeroPad3d, ReflectionPad1d, ReflectionPad2d, ReflectionPad3d,
    ReplicationPad1d, ReplicationPad2d, ReplicationPad3d, CircularPad1d, CircularPad2d,
    CircularPad3d, Upsample, UpsamplingNearest2d, UpsamplingBilinear2d, Unfold, Fold,
    PixelShuffle, PixelUnshuffle, ChannelShuffle, Unflatten, Dropout1d, Dropout2d, Dropout3d,
    AlphaDropout, FeatureAlphaDropout)
from .rnn import (  # noqa: F401
    RNNBase, RNN, LSTM, GRU, RNNCellBase, RNNCell, LSTMCell, GRUCell)
from .transformer import (  # noqa: F401
    MultiheadAttention, TransformerEncoderLayer, TransformerDecoderLayer, TransformerEncoder,
    TransformerDecoder, Transformer)
from .params import ParameterList, ParameterDict  # noqa: F401
from .layers import Bilinear, RReLU, Softmax2d, Container  # noqa: F401
from .rmsnorm_lrn import *  # noqa: F401,F403
from .unpool_fractional import *  # noqa: F401,F403
from ..parallel.data_parallel import DataParallel  # noqa: F401,E402
from .adaptive import *  # noqa: F401,F403
from .linear_ce import *  # noqa: F401,F403
from .lazy import *  # noqa: F401,F403
from .buffer import Buffer  # noqa: F401
from .normalization import EmbeddingBag  # noqa: F401
