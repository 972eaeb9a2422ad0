"""Convolution, pooling, padding, resampling, patch/shuffle and channel-dropout layers against
torch: print(module), default init, outputs, grad_fn names and input/parameter gradients."""
import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same
from tests.test_nn_layers import run

torch = pytest.importorskip("torch")

RS = np.random.RandomState(7)
X1 = RS.randn(2, 3, 10).astype(np.float32)
X2 = RS.randn(2, 3, 9, 11).astype(np.float32)
X3 = RS.randn(1, 2, 5, 6, 7).astype(np.float32)
TIES = np.round(RS.randn(2, 2, 6, 7)).astype(np.float32)   # many equal maxima

CASES = [
    # max pools (with ceil mode, padding, dilation, indices, unbatched input, ties)
    (lambda m: m.nn.MaxPool1d(2), X1), (lambda m: m.nn.MaxPool1d(3, 2, 1, ceil_mode=True), X1),
    (lambda m: m.nn.MaxPool1d(2, return_indices=True), X1),
    (lambda m: m.nn.MaxPool2d(3, 2, 1, ceil_mode=True), X2),
    (lambda m: m.nn.MaxPool2d(2, dilation=2), X2),
    (lambda m: m.nn.MaxPool2d((2, 3), return_indices=True), X2),
    (lambda m: m.nn.MaxPool2d(3, 2, 1, return_indices=True, ceil_mode=True), X2),
    (lambda m: m.nn.MaxPool2d(2), X2[0]), (lambda m: m.nn.MaxPool2d(2, 1), TIES),
    (lambda m: m.nn.MaxPool2d(3, 2, 1, return_indices=True), TIES),
    (lambda m: m.nn.MaxPool3d(2), X3), (lambda m: m.nn.MaxPool3d(3, 2, 1, return_indices=True), X3),
    # average pools
    (lambda m: m.nn.AvgPool1d(3, 2), X1),
    (lambda m: m.nn.AvgPool1d(3, 2, 1, ceil_mode=True, count_include_pad=False), X1),
    (lambda m: m.nn.AvgPool2d(3, 2, 1, ceil_mode=True), X2),
    (lambda m: m.nn.AvgPool2d((2, 3), 1, 1, True, False), X2),
    (lambda m: m.nn.AvgPool2d(2, divisor_override=3), X2), (lambda m: m.nn.AvgPool2d(2), X2[0]),
    (lambda m: m.nn.AvgPool3d(2), X3), (lambda m: m.nn.AvgPool3d(3, 2, 1, ceil_mode=True), X3),
    # adaptive pools
    (lambda m: m.nn.AdaptiveAvgPool1d(4), X1), (lambda m: m.nn.AdaptiveAvgPool2d((4, None)), X2),
    (lambda m: m.nn.AdaptiveAvgPool2d(1), X2), (lambda m: m.nn.AdaptiveAvgPool2d((5, 3)), X2[0]),
    (lambda m: m.nn.AdaptiveAvgPool3d((2, 4, 1)), X3), (lambda m: m.nn.AdaptiveAvgPool3d(1), X3),
    (lambda m: m.nn.AdaptiveMaxPool1d(3), X1),
    (lambda m: m.nn.AdaptiveMaxPool2d((4, 3), return_indices=True), X2),
    (lambda m: m.nn.AdaptiveMaxPool2d(5), TIES), (lambda m: m.nn.AdaptiveMaxPool3d(2), X3),
    (lambda m: m.nn.LPPool1d(2, 3), np.abs(X1)), (lambda m: m.nn.LPPool2d(1.5, 2), np.abs(X2)),
    # padding
    (lambda m: m.nn.ZeroPad1d(2), X1), (lambda m: m.nn.ZeroPad2d((1, 0, 2, 1)), X2),
    (lambda m: m.nn.ZeroPad3d(1), X3), (lambda m: m.nn.ConstantPad1d((2, 3), 3.5), X1),
    (lambda m: m.nn.ConstantPad2d(1, -1.0), X2), (lambda m: m.nn.ConstantPad3d((1, 0, 0, 1, 1, 0), 2.0), X3),
    (lambda m: m.nn.ReflectionPad1d((2, 3)), X1), (lambda m: m.nn.ReflectionPad2d((1, 0, 2, 1)), X2),
    (lambda m: m.nn.ReflectionPad3d(1), X3), (lambda m: m.nn.ReplicationPad1d((3, 1)), X1),
    (lambda m: m.nn.ReplicationPad2d(2), X2), (lambda m: m.nn.ReplicationPad3d((1, 2, 0, 1, 2, 0)), X3),
    (lambda m: m.nn.CircularPad1d(2), X1), (lambda m: m.nn.CircularPad2d((1, 2, 3, 0)), X2),
    (lambda m: m.nn.CircularPad3d(1), X3), (lambda m: m.nn.ReflectionPad2d(2), X2[0]),
    # resampling
    (lambda m: m.nn.Upsample(scale_factor=2), X2), (lambda m: m.nn.Upsample(size=7), X1),
    (lambda m: m.nn.Upsample(size=(5, 13)), X2), (lambda m: m.nn.Upsample(scale_factor=1.7), X2),
    (lambda m: m.nn.Upsample(scale_factor=(2, 3), mode="nearest-exact"), X2),
    (lambda m: m.nn.Upsample(size=(4, 17), mode="nearest-exact"), X2),
    (lambda m: m.nn.Upsample(scale_factor=2.5, mode="linear"), X1),
    (lambda m: m.nn.Upsample(size=4, mode="linear", align_corners=True), X1),
    (lambda m: m.nn.Upsample(scale_factor=2, mode="bilinear"), X2),
    (lambda m: m.nn.Upsample(size=(5, 7), mode="bilinear"), X2),
    (lambda m: m.nn.Upsample(size=(12, 20), mode="bilinear", align_corners=True), X2),
    (lambda m: m.nn.Upsample(scale_factor=1.5, mode="bicubic"), X2),
    (lambda m: m.nn.Upsample(size=(6, 4), mode="bicubic", align_corners=True), X2),
    (lambda m: m.nn.Upsample(scale_factor=(1.5, 2, 0.5), mode="trilinear"), X3),
    (lambda m: m.nn.Upsample(size=(4, 5), mode="area"), X2), (lambda m: m.nn.Upsample(size=1), X1),
    (lambda m: m.nn.UpsamplingNearest2d(scale_factor=3), X2),
    (lambda m: m.nn.UpsamplingBilinear2d(size=(4, 6)), X2),
    # patches, shuffles, shapes
    (lambda m: m.nn.Unfold(2), X2), (lambda m: m.nn.Unfold((2, 3), dilation=2, padding=1, stride=2), X2),
    (lambda m: m.nn.Unfold(3), X2[0]),
    (lambda m: m.nn.Fold((4, 5), 2), RS.randn(2, 12, 12).astype(np.float32)),
    (lambda m: m.nn.Fold((5, 6), (2, 3), dilation=1, padding=1, stride=2),
     RS.randn(12, 9).astype(np.float32)),
    (lambda m: m.nn.Conv2d(3, 2, 2), X2[0]), (lambda m: m.nn.Conv1d(3, 2, 2), X1[0]),
    (lambda m: m.nn.PixelShuffle(2), RS.randn(2, 8, 3, 4).astype(np.float32)),
    (lambda m: m.nn.PixelUnshuffle(3), RS.randn(2, 9, 6).astype(np.float32)),
    (lambda m: m.nn.ChannelShuffle(3), RS.randn(2, 6, 2, 2).astype(np.float32)),
    (lambda m: m.nn.Unflatten(1, (3, 1)), X1), (lambda m: m.nn.Unflatten(-1, (2, -1)), X1),
    # channel dropout (train: the same Bernoulli draws as torch)
    (lambda m: m.nn.Dropout1d(0.4), X1), (lambda m: m.nn.Dropout1d(0.4), X1[0]),
    (lambda m: m.nn.Dropout2d(0.3), X2), (lambda m: m.nn.Dropout3d(), X3),
    (lambda m: m.nn.Dropout3d(0.2), X3[0]), (lambda m: m.nn.AlphaDropout(0.2), X2),
    (lambda m: m.nn.FeatureAlphaDropout(0.5), X2), (lambda m: m.nn.Dropout2d(1.0), X2),
    # convolutions
    (lambda m: m.nn.Conv3d(2, 4, 3, padding=1), X3),
    (lambda m: m.nn.Conv3d(2, 4, (2, 3, 1), stride=(1, 2, 1), bias=False), X3),
    (lambda m: m.nn.Conv1d(3, 6, 4, padding="same", groups=3), X1),
    (lambda m: m.nn.Conv2d(3, 4, 3, padding=1, padding_mode="reflect"), X2),
    (lambda m: m.nn.Conv2d(3, 4, (2, 3), padding=(1, 2), padding_mode="circular"), X2),
    (lambda m: m.nn.Conv2d(3, 4, 3, padding="same", padding_mode="replicate", dilation=2), X2),
    (lambda m: m.nn.Conv1d(3, 2, 3, padding="valid", stride=2), X1),
    (lambda m: m.nn.ConvTranspose1d(3, 4, 3), X1),
    (lambda m: m.nn.ConvTranspose1d(3, 6, 4, stride=3, padding=1, output_padding=2, groups=3), X1),
    (lambda m: m.nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1, output_padding=1), X2),
    (lambda m: m.nn.ConvTranspose2d(3, 2, (2, 3), stride=(1, 2), dilation=2, bias=False), X2),
    (lambda m: m.nn.ConvTranspose2d(3, 4, 3), X2[0]),
    (lambda m: m.nn.ConvTranspose3d(2, 3, 2, stride=2), X3),
]


@pytest.mark.parametrize("train", [True, False])
@pytest.mark.parametrize("k", range(len(CASES)))
def test_layer(k, train):
    make, x = CASES[k]
    tol = 1e-4 if "Conv" in repr(make(torch)) else 2e-5
    run(make, [x], train=train, rtol=tol, atol=tol)


def functional(m, fn):
    """A module whose forward is ``fn`` (so ``run`` can drive a functional)."""
    class F(m.nn.Module):
        def forward(self, *xs):
            return fn(*xs)
    return F()


@pytest.mark.parametrize("fn,args,kwargs", [
    ("pad", ((-1, 2, 0, -2),), {}), ("pad", ((1, 1, 2, 2), "constant", 7.0), {}),
    ("pad", ((1, 2),), {"mode": "reflect"}), ("interpolate", (), {"scale_factor": 0.6}),
    ("interpolate", (), {"scale_factor": 1.7, "mode": "bilinear",
                         "recompute_scale_factor": True}),
    ("interpolate", (), {"size": (4, 4), "mode": "bicubic"}),
    ("max_pool2d", (2,), {"stride": 1, "padding": 1}),
    ("avg_pool2d", (3,), {"stride": 2, "ceil_mode": True, "count_include_pad": False}),
    ("adaptive_max_pool2d", ((2, None),), {}), ("lp_pool2d", (2.0, 3), {"stride": 2}),
    ("alpha_dropout", (0.3, True), {}), ("feature_alpha_dropout", (0.3, True), {}),
    ("dropout2d", (0.5,), {}), ("gumbel_softmax", (), {"tau": 0.5}),
    ("gumbel_softmax", (), {"hard": True}),
])
def test_functional(fn, args, kwargs):
    x = X2 if fn != "pad" or kwargs.get("mode") != "reflect" else X1
    run(lambda m: functional(m, lambda t: getattr(m.nn.functional, fn)(t, *args, **kwargs)), [x])


def test_conv_transpose_output_size():
    def make(m):
        conv = m.nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1)
        return functional(m, lambda t: conv(t, output_size=(18, 22)))
    run(make, [X2], rtol=1e-4, atol=1e-4)


def test_int_pools_and_pad():
    xi = (X2 * 3).astype(np.int64)
    for fn in (lambda m, t: m.nn.functional.max_pool2d(t, 2),
               lambda m, t: m.nn.functional.pad(t, (1, 1), value=3),
               lambda m, t: m.nn.functional.interpolate(t.double(), scale_factor=2)):
        assert_same(fn(jtorch, jtorch.tensor(xi)), fn(torch, torch.tensor(xi)))


ERRORS = [
    (RuntimeError, lambda m: m.nn.functional.max_pool2d(m.tensor(X2), 2, padding=2)),
    (RuntimeError, lambda m: m.nn.functional.max_pool2d(m.tensor(X2), 20)),
    (RuntimeError, lambda m: m.nn.functional.avg_pool1d(m.tensor(X1), 20)),
    (RuntimeError, lambda m: m.nn.functional.max_pool1d(m.tensor(X1), 20)),
    (RuntimeError, lambda m: m.nn.functional.max_pool2d(m.tensor(X1[0, 0]), 2)),
    (RuntimeError, lambda m: m.nn.functional.max_pool2d(m.tensor(X2), 2, stride=0)),
    (RuntimeError, lambda m: m.nn.functional.adaptive_avg_pool2d(m.tensor(X1[0, 0]), 2)),
    (RuntimeError, lambda m: m.nn.functional.pad(m.tensor(X1), (1,))),
    (RuntimeError, lambda m: m.nn.functional.pad(m.tensor(X1[0, 0]), (1, 1, 1, 1),
                                                 mode="reflect")),
    (RuntimeError, lambda m: m.nn.functional.pad(m.tensor(X1), (10, 1), mode="reflect")),
    (RuntimeError, lambda m: m.nn.functional.pad(m.tensor(X1), (11, 1), mode="circular")),
    (NotImplementedError, lambda m: m.nn.functional.pad(m.tensor(X1), (1, 1), mode="foo")),
    (NotImplementedError, lambda m: m.nn.functional.pad(m.tensor(X2[0, 0]), (1, 1, 1, 1),
                                                        mode="reflect")),
    (NotImplementedError, lambda m: m.nn.functional.interpolate(m.tensor(X1), size=4,
                                                                mode="bilinear")),
    (ValueError, lambda m: m.nn.functional.interpolate(m.tensor(X2), size=4, scale_factor=2)),
    (ValueError, lambda m: m.nn.functional.interpolate(m.tensor(X2), size=4,
                                                       align_corners=True)),
    (RuntimeError, lambda m: m.nn.functional.conv2d(m.tensor(X2), m.ones(4, 2, 3, 3))),
    (RuntimeError, lambda m: m.nn.functional.conv2d(m.tensor(X2[0, 0]), m.ones(4, 3, 3, 3))),
    (RuntimeError, lambda m: m.nn.functional.conv2d(m.tensor(X2), m.ones(4, 3, 30, 3))),
    (RuntimeError, lambda m: m.nn.functional.conv1d(m.tensor(X1), m.ones(4, 3, 3),
                                                    padding="same", stride=2)),
    (RuntimeError, lambda m: m.nn.functional.conv_transpose2d(m.tensor(X2), m.ones(4, 3, 3, 3))),
    (RuntimeError, lambda m: m.nn.functional.pixel_shuffle(m.tensor(X2), 2)),
    (RuntimeError, lambda m: m.nn.functional.dropout1d(m.tensor(X2), 0.5)),
    (ValueError, lambda m: m.nn.Conv2d(3, 4, 3, groups=2)),
    (ValueError, lambda m: m.nn.Conv2d(3, 3, 3, padding="same", stride=2)),
    (ValueError, lambda m: m.nn.Conv2d(3, 3, 3, padding_mode="foo")),
    (ValueError, lambda m: m.nn.ConvTranspose2d(3, 3, 3, padding_mode="reflect")),
    (ValueError, lambda m: m.nn.Dropout2d(1.5)),
]


@pytest.mark.parametrize("k", range(len(ERRORS)))
def test_errors(k):
    exc, fn = ERRORS[k]
    msgs = []
    for m in (torch, jtorch):
        with pytest.raises(exc) as info:
            fn(m)
        msgs.append(str(info.value))
    if "padding_mode must be" in msgs[0]:   # torch prints a set: its order varies per run
        msgs = [msg.split("{")[0] for msg in msgs]
    assert msgs[1] == msgs[0]


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
@pytest.mark.parametrize("antialias", [False, True])
def test_uint8_interpolate_is_torchs_fixed_point_resize(mode, antialias):
    """torch resizes uint8 images in fixed point: bit-equal for sizes given without
    align_corners; otherwise pass by pass through float32, rounding each (within 1)."""
    rng = np.random.default_rng(3)
    a = rng.integers(0, 256, (2, 3, 9, 13)).astype(np.uint8)
    for size in [(5, 17), (3, 3), (20, 7)]:
        want = torch.nn.functional.interpolate(torch.from_numpy(a), size=size, mode=mode,
                                               antialias=antialias)
        got = jtorch.nn.functional.interpolate(jtorch.from_numpy(a), size=size, mode=mode,
                                               antialias=antialias)
        assert got.dtype == jtorch.uint8
        np.testing.assert_array_equal(got.numpy(), want.numpy())
    for kw in [dict(scale_factor=1.7), dict(size=(5, 17), align_corners=True)]:
        want = torch.nn.functional.interpolate(torch.from_numpy(a), mode=mode,
                                               antialias=antialias, **kw).numpy()
        got = jtorch.nn.functional.interpolate(jtorch.from_numpy(a), mode=mode,
                                               antialias=antialias, **kw).numpy()
        assert got.dtype == np.uint8 and got.shape == want.shape
        assert np.abs(got.astype(int) - want.astype(int)).max() <= 1
