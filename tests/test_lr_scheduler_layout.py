"""jtorch.optim.lr_scheduler is split over several modules; every scheduler still lives, by
name and by ``__module__`` (what pickles and class reprs show), where torch's does."""
import pickle

import pytest

import jtorch
import jtorch.optim.lr_scheduler as lr_scheduler
from jtorch.serialization._pickling import torch_name

torch = pytest.importorskip("torch")


def test_public_names_and_modules_match_torch():
    names = sorted(torch.optim.lr_scheduler.__all__)
    assert sorted(lr_scheduler.__all__) == names
    for name in names + ["_LRScheduler"]:
        t, j = getattr(torch.optim.lr_scheduler, name), getattr(lr_scheduler, name)
        assert j.__module__ == "j" + t.__module__, name
        assert torch_name(j) == (t.__module__, t.__qualname__), name


def test_scheduler_pickles_round_trip():
    p = jtorch.nn.Parameter(jtorch.ones(2))
    opt = jtorch.optim.SGD([p], lr=0.1, momentum=0.9)
    for s in (lr_scheduler.ReduceLROnPlateau(opt),
              lr_scheduler.CyclicLR(opt, base_lr=0.01, max_lr=0.1),
              lr_scheduler.SequentialLR(opt, [lr_scheduler.ConstantLR(opt),
                                              lr_scheduler.ExponentialLR(opt, 0.9)], [2])):
        back = pickle.loads(pickle.dumps(s))
        assert type(back) is type(s)
        assert back.state_dict().keys() == s.state_dict().keys()
