"""jtorch.vision.models against torchvision 0.28.0.

Every architecture: the same printed model, state_dict keys and shapes, parameter count and
the same sequence of nn.init calls (recorded with the initialisers stubbed out, so the big
models build in no time). A few models, and small configurations of the other families' own
classes: the same initial values after the same seed, and a torchvision state_dict loaded into
the jtorch model gives the same output."""
import contextlib
import sys

import numpy as np
import pytest

import jtorch
import jtorch.vision as jv
from tests.vision_ref import load

torch, tv = load()

_INITS = ("uniform_", "normal_", "constant_", "zeros_", "ones_", "xavier_uniform_", "xavier_normal_",
          "kaiming_uniform_", "kaiming_normal_", "trunc_normal_", "orthogonal_")


@contextlib.contextmanager
def _recorded_inits(init_module, log):
    """Replace the initialisers by stubs that log (name, shape, arguments) and draw nothing,
    wherever a module of the library holds them (torch's MultiheadAttention imports
    xavier_uniform_ by name)."""
    originals = {n: getattr(init_module, n) for n in _INITS}
    prefix = init_module.__name__.split(".")[0]
    holders = [m for k, m in list(sys.modules.items())
               if m is not None and (k.split(".")[0] in (prefix, "torchvision"))]

    def stub(name):
        def record(tensor, *args, **kwargs):
            kwargs.pop("generator", None)
            log.append((name, tuple(tensor.shape), tuple(map(repr, args)),
                        tuple(sorted((k, repr(v)) for k, v in kwargs.items()))))
            return tensor
        return record
    patched = [(m, n) for m in holders for n in _INITS
               if getattr(m, n, None) is originals[n] and getattr(m, "__dict__", {}).get(n) is originals[n]]
    stubs = {n: stub(n) for n in _INITS}
    try:
        for m, n in patched:
            setattr(m, n, stubs[n])
        yield
    finally:
        for m, n in patched:
            setattr(m, n, originals[n])


def _kwargs(name):
    return dict(num_classes=10, **({"image_size": 32} if name.startswith("vit") else {}))


ARCHS = ["resnet18", "resnet34", "resnet50", "vgg11", "vgg16", "alexnet", "mobilenet_v2",
         "squeezenet1_1", "densenet121", "efficientnet_b0", "vit_b_16"]


@pytest.mark.parametrize("name", ARCHS)
def test_structure_and_init_calls(name):
    built = []
    for lib, mod in ((tv, torch), (jv, jtorch)):
        log = []
        with _recorded_inits(mod.nn.init, log):
            m = getattr(lib.models, name)(**_kwargs(name))
        sd = m.state_dict()
        built.append((str(m), [(k, tuple(v.shape), str(v.dtype)) for k, v in sd.items()],
                      sum(p.numel() for p in m.parameters()), log))
    (t_repr, t_keys, t_count, t_log), (j_repr, j_keys, j_count, j_log) = built
    assert j_repr == t_repr
    assert j_keys == t_keys
    assert j_count == t_count
    assert j_log == t_log


def _same_init(make_t, make_j):
    torch.manual_seed(0)
    tm = make_t()
    jtorch.manual_seed(0)
    jm = make_j()
    assert str(jm) == str(tm)
    tsd, jsd = tm.state_dict(), jm.state_dict()
    assert list(jsd) == list(tsd)
    for k in tsd:
        assert np.array_equal(jsd[k].numpy(), tsd[k].numpy()), k
    return tm, jm


def _same_output(tm, jm, shape, seed=1):
    """Give the torch model non-trivial weights and statistics, load its state_dict into the
    jtorch model and compare eval-mode outputs."""
    torch.manual_seed(seed)
    with torch.no_grad():
        for k, v in tm.state_dict().items():
            if v.is_floating_point():
                v.copy_(torch.rand_like(v) + 0.5 if "running_var" in k else torch.randn_like(v) * 0.1
                        if v.dim() <= 1 or "head" in k or "classifier" in k else v)
    jm.load_state_dict({k: jtorch.from_numpy(v.numpy().copy()) for k, v in tm.state_dict().items()})
    tm.eval()
    jm.eval()
    x = np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
    with torch.no_grad():
        t = tm(torch.from_numpy(x)).numpy()
    with jtorch.no_grad():
        j = jm(jtorch.from_numpy(x)).numpy()
    assert j.shape == t.shape and j.dtype == t.dtype
    np.testing.assert_allclose(j, t, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", ["resnet18", "squeezenet1_1", "mobilenet_v2"])
def test_full_model(name):
    tm, jm = _same_init(lambda: getattr(tv.models, name)(num_classes=10),
                        lambda: getattr(jv.models, name)(num_classes=10))
    if name != "mobilenet_v2":  # its blocks' forward is covered by the efficientnet config
        _same_output(tm, jm, (1, 3, 64, 64))


SMALL = {
    # each family's own classes at a small size: same code paths, a fraction of the time
    "resnet_bottleneck": lambda L: L.models.resnet.ResNet(L.models.resnet.Bottleneck, [1, 1, 1, 1],
                                                          num_classes=5, width_per_group=16),
    "densenet": lambda L: L.models.densenet.DenseNet(8, (2, 2), 16, bn_size=2, num_classes=5),
    "efficientnet": lambda L: L.models.efficientnet.EfficientNet(
        [L.models.efficientnet.MBConvConfig(1, 3, 1, 16, 8, 1), L.models.efficientnet.MBConvConfig(6, 5, 2, 8, 16, 2)],
        0.2, num_classes=5),
    "vit": lambda L: L.models.vision_transformer.VisionTransformer(
        32, 16, num_layers=2, num_heads=4, hidden_dim=32, mlp_dim=64, num_classes=5, representation_size=16),
}


@pytest.mark.parametrize("name", sorted(SMALL))
def test_small_config(name):
    tm, jm = _same_init(lambda: SMALL[name](tv), lambda: SMALL[name](jv))
    _same_output(tm, jm, (2, 3, 32, 32))


def test_pretrained_weights_refused():
    with pytest.raises(NotImplementedError, match="does not download pretrained weights"):
        jv.models.resnet18(weights="IMAGENET1K_V1")
