"""Records of the nn ops added for API breadth (``_ops/nn_unpool.py``, ``nn_loss.py``,
``nn_act.py``): max_unpool, multilabel_margin_loss and rrelu's noise op, through their
functional forms."""
import numpy as np

from .base import FLOAT, Idx, In, S, rec
from .outs_nn import INTERNAL

INTERNAL.update({"_max_unpool": "nn.max_unpool2d",
                 "_multilabel_margin_loss": "nn.multilabel_margin_loss",
                 "_rrelu_with_noise": "nn.rrelu"})


def _unpool(m, x):
    f = m.nn.functional
    o2, i2 = f.max_pool2d(x, 2, return_indices=True)
    o1, i1 = f.max_pool1d(x[0], 2, return_indices=True)
    o3, i3 = f.max_pool3d(x.unsqueeze(0), 2, return_indices=True)
    return (f.max_unpool2d(o2, i2, 2), f.max_unpool2d(o2, i2, 2, output_size=(5, 5)),
            f.max_unpool1d(o1, i1, 2, stride=2), f.max_unpool3d(o3, i3, 2))


rec("nn.max_unpool", _unpool, lambda g: [S("m", g.v(2, 4, 4)), S("ties", g.ties(2, 4, 4))],
    FLOAT, covers=("nn.max_unpool2d",))
rec("nn.multilabel_margin_loss", lambda m, x, t: (
    m.nn.functional.multilabel_margin_loss(x, t),
    m.nn.functional.multilabel_margin_loss(x, t, reduction="none"),
    m.nn.functional.multilabel_margin_loss(x, t, reduction="sum")),
    lambda g: [S("m", g.v(3, 5), Idx([[3, 0, -1, 1, 2], [1, 2, 3, 4, 0], [-1, 0, 0, 0, 0]])),
               S("1d", g.v(4), Idx([2, 1, -1, 0]))], FLOAT,
    covers=("nn.multilabel_margin_loss",))
rec("nn.rrelu", lambda m, x: (m.nn.functional.rrelu(x), m.nn.functional.rrelu(x, 0.2, 0.4)),
    lambda g: [S("m", g.v(3, 4)), S("kinks", In(np.array([-2., -0.5, 0., 0.5, 3.])))],
    FLOAT, covers=("nn.rrelu",))

INTERNAL["_fractional_max_pool"] = "nn.fractional_max_pool2d"


def _fractional(m, x, u2, u3):
    f = m.nn.functional
    return (f.fractional_max_pool2d(x, 2, (2, 3), return_indices=True, _random_samples=u2),
            f.fractional_max_pool2d(x, (2, 1), output_ratio=(0.5, 0.7),
                                    _random_samples=u2[:1]),
            f.fractional_max_pool3d(x.unsqueeze(0), (1, 2, 2), (1, 2, 3),
                                    _random_samples=u3[:, :1]))


rec("nn.fractional_max_pool", _fractional, lambda g: [
    S("m", g.v(2, 4, 5), In(np.array([[[0.3, 0.9], [0.0, 0.5]]]), grad=False),
      In(np.array([[[0.1, 0.6, 0.99], [0.4, 0.2, 0.7]]]), grad=False)),
    S("ties", g.ties(2, 4, 5), In(np.array([[[0.7, 0.1], [0.5, 0.5]]]), grad=False),
      In(np.array([[[0.5, 0.5, 0.5], [0.0, 0.0, 0.0]]]), grad=False))],
    FLOAT, covers=("nn.fractional_max_pool2d",))
