"""The torch names transformers and timm needed that jtorch lacked, each against torch."""
import collections

import numpy as np
import pytest

import jtorch

torch = pytest.importorskip("torch")

FLOAT8 = ["float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e8m0fnu"]


@pytest.mark.parametrize("name", FLOAT8)
def test_float8_dtypes(name):
    j, t = getattr(jtorch, name), getattr(torch, name)
    assert (repr(j), j.itemsize, j.is_floating_point, j.is_signed) == \
        (repr(t), t.itemsize, t.is_floating_point, t.is_signed)
    assert repr(jtorch.finfo(j)) == repr(torch.finfo(t))


def test_version_module():
    assert jtorch.version.__version__ == torch.version.__version__
    for attr in ("cuda", "hip", "debug"):
        assert getattr(jtorch.version, attr) == getattr(torch.version, attr)


def test_accelerator_on_cpu():
    if jtorch.cuda.is_available():
        pytest.skip("this machine has a GPU: the CPU answers do not apply")
    assert jtorch.accelerator.current_accelerator() == torch.accelerator.current_accelerator()
    assert jtorch.accelerator.is_available() == torch.accelerator.is_available()
    assert jtorch.accelerator.device_count() == torch.accelerator.device_count()
    with pytest.raises(RuntimeError, match="Cannot access accelerator device"):
        jtorch.accelerator.current_device_index()


@pytest.mark.parametrize("name", ["Stream", "CUDAGraph", "Event"])
def test_cuda_classes_refuse_on_cpu(name):
    with pytest.raises(RuntimeError) as t:
        getattr(torch.cuda, name)()
    with pytest.raises(RuntimeError) as j:
        getattr(jtorch.cuda, name)()
    assert str(j.value) == str(t.value)
    with jtorch.cuda.stream(None) as s, torch.cuda.stream(None) as ts:
        assert s is ts is None


# ---------------------------------------------------------------- torch.utils._pytree
TREES = [None, 3, [1, (2, 3)], {"b": [1, None], "a": (4,)},
         collections.OrderedDict(x=1, y=[2]), collections.namedtuple("P", "u v")(1, [2, 3]),
         collections.defaultdict(list, k=[1, 2]), collections.deque([1, 2], maxlen=5)]


@pytest.mark.parametrize("tree", TREES, ids=range(len(TREES)))
def test_pytree_flatten_unflatten_map(tree):
    from jtorch.utils import _pytree as jp
    from torch.utils import _pytree as tp
    jl, js = jp.tree_flatten(tree)
    tl, ts = tp.tree_flatten(tree)
    assert jl == tl and js.num_leaves == ts.num_leaves
    n = len(jl)
    assert jp.tree_unflatten(list(range(n)), js) == tp.tree_unflatten(list(range(n)), ts)
    f = lambda x: None if x is None else x * 10  # noqa: E731
    assert jp.tree_map(f, tree) == tp.tree_map(f, tree)
    jpath = [(jp.keystr(p), v) for p, v in jp.tree_flatten_with_path(tree)[0]]
    tpath = [(tp.keystr(p), v) for p, v in tp.tree_flatten_with_path(tree)[0]]
    assert jpath == tpath


def test_pytree_register_and_dict_helpers():
    from jtorch.utils import _pytree as jp
    from torch.utils import _pytree as tp
    d = {"x": 1, "y": 2}
    assert jp._dict_flatten(d) == tp._dict_flatten(d)
    assert [(str(k), v) for k, v in jp._dict_flatten_with_keys(d)[0]] == \
        [(str(k), v) for k, v in tp._dict_flatten_with_keys(d)[0]]

    class Box:
        def __init__(self, a, b):
            self.a, self.b = a, b

    jp.register_pytree_node(Box, lambda b: ([b.a, b.b], None), lambda v, c: Box(*v))
    leaves, spec = jp.tree_flatten([Box(1, (2, 3))])
    assert leaves == [1, 2, 3]
    back = jp.tree_unflatten([7, 8, 9], spec)[0]
    assert (back.a, back.b) == (7, (8, 9))
    with pytest.raises(ValueError, match="already registered"):
        jp.register_pytree_node(Box, lambda b: ([], None), lambda v, c: Box(0, 0))
    with pytest.raises(ValueError, match="leaves"):
        jp.tree_unflatten([1], spec)


# ---------------------------------------------------------------- markers
def test_jit_fx_compiler_dynamo_markers():
    assert jtorch.jit.is_scripting() == torch.jit.is_scripting()
    assert jtorch.jit.is_tracing() == torch.jit.is_tracing()
    assert jtorch.jit.Final is torch.jit.Final
    assert jtorch.jit.annotate(int, 3) == torch.jit.annotate(int, 3)

    def f(x):
        return x
    for mark in (jtorch.jit.ignore, jtorch.jit.ignore(drop=True), jtorch.jit.unused,
                 jtorch.compiler.allow_in_graph,
                 jtorch.compiler.assume_constant_result, jtorch._dynamo.assume_constant_result):
        assert mark(f) is f
    for lib in (torch, jtorch):  # outside a module's top level, both refuse
        with pytest.raises(NotImplementedError, match="top level of a module"):
            lib.fx.wrap("name")
    assert not isinstance(jtorch.ones(1), jtorch.fx.Proxy)
    assert jtorch.compiler.is_exporting() == torch.compiler.is_exporting()
    assert jtorch._dynamo.is_compiling() == torch._dynamo.is_compiling()
    x = jtorch.ones(2)
    assert jtorch._dynamo.mark_static_address(x) is None
    from jtorch.jit.annotations import List
    assert List is __import__("typing").List
    from jtorch._dynamo._trace_wrapped_higher_order_op import TransformGetItemToIndex
    with TransformGetItemToIndex():
        assert jtorch.arange(5)[jtorch.tensor(2)].item() == 2


def test_jit_script_refuses():
    with pytest.raises(NotImplementedError, match="TorchScript"):
        jtorch.jit.script(lambda x: x)


def test_flex_attention_names():
    from jtorch.nn.attention import flex_attention as jf
    from torch.nn.attention import flex_attention as tf
    assert jf._DEFAULT_SPARSE_BLOCK_SIZE == tf._DEFAULT_SPARSE_BLOCK_SIZE
    assert jf.AuxRequest._fields == tf.AuxRequest._fields
    assert jf.AuxRequest() == tuple(tf.AuxRequest())
    b, h, q, kv = (jtorch.tensor(0),) * 2 + (jtorch.arange(3)[:, None], jtorch.arange(3)[None])
    causal = lambda b, h, q, kv: q >= kv  # noqa: E731
    band = lambda b, h, q, kv: q - kv <= 1  # noqa: E731
    tb, th, tq, tkv = (torch.tensor(0),) * 2 + (torch.arange(3)[:, None], torch.arange(3)[None])
    assert np.array_equal(jf.and_masks(causal, band)(b, h, q, kv).numpy(),
                          tf.and_masks(causal, band)(tb, th, tq, tkv).numpy())
    assert np.array_equal(jf.or_masks(causal, band)(b, h, q, kv).numpy(),
                          tf.or_masks(causal, band)(tb, th, tq, tkv).numpy())
    with pytest.raises(NotImplementedError, match="flex_attention"):
        jf.flex_attention(jtorch.ones(1, 1, 2, 4), jtorch.ones(1, 1, 2, 4), jtorch.ones(1, 1, 2, 4))


def test_device_context_manager_sets_default_device():
    with torch.device("meta"):
        t_inside = str(torch.get_default_device())
    with jtorch.device("meta"):
        j_inside = str(jtorch.get_default_device())
    assert j_inside == t_inside and str(jtorch.get_default_device()) == "cpu"


def test_extra_state_key_suffix():
    assert jtorch.nn.modules.module._EXTRA_STATE_KEY_SUFFIX == \
        torch.nn.modules.module._EXTRA_STATE_KEY_SUFFIX


# ---------------------------------------------------------------- torch.library
def _register(lib, ns):
    @lib.library.custom_op(f"{ns}::scale3", mutates_args=())
    def scale3(x: lib.Tensor) -> lib.Tensor:
        return x * 3

    def backward(ctx, g):
        return g * ctx.k

    def setup(ctx, inputs, output):
        ctx.k = 5.0
    scale3.register_fake(lambda x: lib.empty_like(x))
    lib.library.register_autograd(f"{ns}::scale3", backward, setup_context=setup)
    return scale3


def test_custom_op_runs_python_impl_and_registered_autograd():
    outs = []
    for lib in (torch, jtorch):
        op = _register(lib, "jtorch_client_test")
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = getattr(lib.ops.jtorch_client_test, "scale3")(x)
        y.sum().backward()
        outs.append((y.detach().numpy(), x.grad.numpy(), type(y.grad_fn).__name__,
                     op(x).detach().numpy()))
    (ty, tg, tname, tdirect), (jy, jg, jname, jdirect) = outs
    np.testing.assert_array_equal(jy, ty)
    np.testing.assert_array_equal(jg, tg)
    np.testing.assert_array_equal(jdirect, tdirect)
    assert jname == tname


def test_custom_op_errors():
    with pytest.raises(AttributeError, match="object has no attribute 'nope'"):
        jtorch.ops.jtorch_client_test.nope
    with pytest.raises(ValueError, match="namespace"):
        jtorch.library.custom_op("nonamespace", lambda x: x, mutates_args=())


# ---------------------------------------------------------------- torch.hub, torchvision
def test_hub_paths(monkeypatch, tmp_path):
    import torch.hub as th
    import jtorch.hub as jh
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.delenv("TORCH_HUB", raising=False)
    assert jh.get_dir() == th.get_dir() and jh._get_torch_home() == th._get_torch_home()
    assert jh.HASH_REGEX.pattern == th.HASH_REGEX.pattern
    ckpt = tmp_path / "hub" / "checkpoints"
    ckpt.mkdir(parents=True)
    torch.save({"w": torch.arange(3)}, ckpt / "net-abc123.pth")
    state = jh.load_state_dict_from_url("https://example.invalid/x/net-abc123.pth")
    assert state["w"].tolist() == [0, 1, 2]


def test_frozen_batch_norm_and_kmnist():
    from tests.vision_ref import load
    _, tv = load()
    from jtorch.vision.datasets import KMNIST
    from jtorch.vision.ops.misc import FrozenBatchNorm2d
    assert KMNIST.classes == tv.datasets.KMNIST.classes
    t = tv.ops.misc.FrozenBatchNorm2d(3, eps=1e-3)
    j = FrozenBatchNorm2d(3, eps=1e-3)
    state = {"weight": torch.tensor([1.0, 2.0, 0.5]), "bias": torch.tensor([0.1, 0.0, -1.0]),
             "running_mean": torch.tensor([0.2, -0.3, 1.0]),
             "running_var": torch.tensor([1.5, 0.7, 2.0]), "num_batches_tracked": torch.tensor(4)}
    t.load_state_dict(dict(state))
    j.load_state_dict({k: jtorch.from_numpy(v.numpy()) for k, v in state.items()})
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 4)).astype(np.float32)
    np.testing.assert_allclose(j(jtorch.from_numpy(x)).numpy(), t(torch.from_numpy(x)).numpy(),
                               rtol=1e-5)  # rsqrt: 1 ulp apart from torch
    assert repr(j) == repr(t)
    assert list(j.state_dict()) == list(t.state_dict())
