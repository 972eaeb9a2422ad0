"""Op samples for ``compat_tests/test_ops.py``: records of (a lambda run identically with
``m=torch`` and ``m=jtorch``) x (sample inputs) x (dtypes). The record format is documented
in ``base.py``; the records are split by op family, and ``known.py`` holds the strict
xfails. Importing the package registers every record in ``RECORDS``.
"""
from . import (pointwise, reductions, shapes, linalg_indexing, outs_nn,  # noqa: F401
               extras, nn_more, known)
from . import nn_api_more  # noqa: F401,E402
from . import api_more  # noqa: F401,E402  (issue 18: torch.* additions; own xfails inline)
from . import tensor_more  # noqa: F401,E402  (issue 18: Tensor methods)
from . import opinfo_fixes  # noqa: F401,E402  (issue 18: ops added by the OpInfo fixes)
from . import random_gamma  # noqa: F401,E402  (issue 23: the Gamma family's ops)
from .base import RECORDS, G, In  # noqa: F401
from .outs_nn import INTERNAL  # noqa: F401
