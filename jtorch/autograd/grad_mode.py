"""torch.autograd.grad_mode: the grad-mode switches live in the leaf module
``jtorch._grad_mode`` (so that ``Tensor`` reads the mode without importing autograd); this
name is that same module."""
import sys

from .. import _grad_mode

sys.modules[__name__] = _grad_mode
