"""torchvision.models: architectures with torchvision's module names and initialisation.
Pretrained weights are not downloaded (see _weights.py)."""
from .alexnet import *  # noqa: F401,F403
from .mobilenetv2 import *  # noqa: F401,F403
from .resnet import *  # noqa: F401,F403
from .squeezenet import *  # noqa: F401,F403
from .vgg import *  # noqa: F401,F403
from .densenet import *  # noqa: F401,F403
from .efficientnet import *  # noqa: F401,F403
from .vision_transformer import *  # noqa: F401,F403
