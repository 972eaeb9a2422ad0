"""Records of the table ops added for the OpInfo fixes of issue 18 (``api_draw_node``:
torch.normal / torch.bernoulli outputs that require grad, with zero derivatives)."""
import numpy as np

from .base import FLOAT, S, rec


def _draws(m, mean, std):
    m.manual_seed(21)
    p = mean.sigmoid()
    return (m.normal(mean, std.abs()), m.normal(mean, 2.0), m.normal(0.5, std.abs()),
            m.bernoulli(p))


rec("normal.grad", _draws,
    lambda g: [S("m", g.v(3, 4), g.v(3, 4)), S("b", g.v(2, 1), g.v(3)),
               S("0-dim", np.array(0.25), np.array(1.5))], FLOAT,
    covers=("api_draw_node",))
