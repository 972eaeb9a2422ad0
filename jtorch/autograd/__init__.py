"""torch.autograd: backward/grad, grad modes, graph nodes."""
from .._tensor import Tensor
from .engine import backward as _backward, grad  # noqa: F401
from .. import _grad_mode as grad_mode  # noqa: F401  (torch.autograd.grad_mode)
from .._grad_mode import (  # noqa: F401
    no_grad, enable_grad, set_grad_enabled, inference_mode, is_grad_enabled)
from . import graph, functional, forward_ad  # noqa: F401
from .function import Function, FunctionCtx, once_differentiable  # noqa: F401
from .gradcheck import gradcheck, gradgradcheck, GradcheckError  # noqa: F401
from .variable import (  # noqa: F401
    Variable, set_multithreading_enabled, is_multithreading_enabled,
    enforce_grad_layout_policy)
from .anomaly_mode import (  # noqa: F401
    detect_anomaly, set_detect_anomaly, is_anomaly_enabled, is_anomaly_check_nan_enabled)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             grad_variables=None, inputs=None):
    tensors = (tensors,) if isinstance(tensors, Tensor) else tuple(tensors)
    if grad_tensors is not None:
        grad_tensors = (grad_tensors,) if isinstance(grad_tensors, Tensor) else tuple(grad_tensors)
    _backward(tensors, grad_tensors, retain_graph, create_graph, inputs=inputs)
