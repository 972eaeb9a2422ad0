"""torch.jit.annotations: the typing names TorchScript code imports from it."""
from typing import Any, Callable, Dict, List, Optional, Tuple, Union  # noqa: F401
