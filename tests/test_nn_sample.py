"""grid_sample, affine_grid and ctc_loss against torch: values, input and grid/theta/log-prob
gradients, grad_fn names, warnings and errors."""
import itertools
import warnings

import numpy as np
import pytest

import jtorch
import jtorch.nn.functional as JF

torch = pytest.importorskip("torch")
F = torch.nn.functional


def _pair(a, requires_grad=True):
    t = torch.tensor(a, requires_grad=requires_grad)
    j = jtorch.tensor(a, requires_grad=requires_grad)
    return t, j


def _close(t, j, tol):
    np.testing.assert_allclose(j.detach().numpy(), t.detach().numpy(), rtol=tol, atol=tol,
                               equal_nan=True)


def _backprop_same(out, jout, rng, dtype):
    """Backpropagate the same random cotangent through torch's and jtorch's outputs."""
    w = rng.standard_normal(tuple(out.shape)).astype(dtype)
    (out * torch.tensor(w)).sum().backward()
    (jout * jtorch.tensor(w)).sum().backward()


def _grid_values(rng, shape, dtype):
    g = rng.uniform(-1.6, 1.6, shape).astype(dtype)
    # exact borders, centre and half-pixel points: where clipping and rounding decide
    g.reshape(-1)[:6] = [1.0, -1.0, 0.0, 0.5, -0.5, 1.0]
    return g


GRID_CASES = [(n, mode, pm, ac) for n in (2, 3)
              for mode in ("bilinear", "nearest", "bicubic")
              for pm in ("zeros", "border", "reflection") for ac in (False, True)
              if not (mode == "bicubic" and n == 3)]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("n,mode,pm,ac", GRID_CASES)
def test_grid_sample(n, mode, pm, ac, dtype):
    rng = np.random.default_rng(n * 7 + len(mode) + len(pm) + ac)
    x, jx = _pair(rng.standard_normal((2, 3) + (4, 5, 3)[:n]).astype(dtype))
    g, jg = _pair(_grid_values(rng, (2,) + (3, 4, 2)[:n] + (n,), dtype))
    out = F.grid_sample(x, g, mode, pm, ac)
    jout = JF.grid_sample(jx, jg, mode, pm, ac)
    assert jout.grad_fn.name() == out.grad_fn.name()
    assert jout.dtype == getattr(jtorch, dtype) and jout.shape == out.shape
    tol = 1e-5 if dtype == "float32" else 1e-12
    _close(out, jout, tol)
    _backprop_same(out, jout, rng, dtype)
    _close(x.grad, jx.grad, tol)
    _close(g.grad, jg.grad, tol * 10)


@pytest.mark.parametrize("n,ac", list(itertools.product((2, 3), (False, True))))
def test_affine_grid(n, ac):
    rng = np.random.default_rng(n + 2 * ac)
    th, jth = _pair(rng.standard_normal((2, n, n + 1)).astype("float32"))
    size = (2, 3) + (4, 5, 3)[:n]
    out, jout = F.affine_grid(th, size, ac), JF.affine_grid(jth, torch.Size(size), ac)
    assert jout.grad_fn.name() == out.grad_fn.name() == "AffineGridGeneratorBackward0"
    _close(out, jout, 1e-6)
    _backprop_same(out, jout, rng, "float32")
    _close(th.grad, jth.grad, 1e-5)


def test_spatial_transformer_round_trip_float64():
    """The usual pairing: a grid from affine_grid, sampled with grid_sample, both gradients."""
    rng = np.random.default_rng(3)
    th, jth = _pair(rng.uniform(-1, 1, (2, 2, 3)))
    x, jx = _pair(rng.standard_normal((2, 3, 6, 7)))
    out = F.grid_sample(x, F.affine_grid(th, (2, 3, 5, 4), False), align_corners=False)
    jout = JF.grid_sample(jx, JF.affine_grid(jth, (2, 3, 5, 4), False), align_corners=False)
    _close(out, jout, 1e-12)
    out.square().sum().backward()
    jout.square().sum().backward()
    _close(th.grad, jth.grad, 1e-11)
    _close(x.grad, jx.grad, 1e-12)


def test_align_corners_warnings():
    x = np.zeros((1, 1, 2, 2), np.float32)
    g = np.zeros((1, 1, 1, 2), np.float32)
    th = np.eye(2, 3, dtype=np.float32)[None]
    for call in (lambda m, t: m.nn.functional.grid_sample(t.tensor(x), t.tensor(g)),
                 lambda m, t: m.nn.functional.affine_grid(t.tensor(th), (1, 1, 2, 2)),
                 lambda m, t: m.nn.functional.affine_grid(t.tensor(th), (1, 1, 1, 2), True)):
        caught = []
        for m in (torch, jtorch):
            with warnings.catch_warnings(record=True) as w:
                warnings.simplefilter("always")
                call(m, m)
            caught.append([(x.category, str(x.message)) for x in w])
        assert caught[0] == caught[1] and caught[0]


def _errors(calls):
    for call in calls:
        got = []
        for m in (torch, jtorch):
            with pytest.raises(Exception) as e:
                call(m)
            got.append((type(e.value).__name__, str(e.value).split("\n")[0]))
        assert got[1] == got[0]


def test_grid_sample_errors():
    x4 = np.zeros((1, 2, 3, 4), np.float32)
    g4 = np.zeros((1, 5, 6, 2), np.float32)

    def gs(x, g, *a, **k):
        return lambda m: m.nn.functional.grid_sample(m.tensor(x), m.tensor(g), *a,
                                                     align_corners=False, **k)
    _errors([gs(x4, g4, mode="bicubic2"), gs(x4, g4, padding_mode="foo"),
             gs(x4, g4[..., :1]), gs(x4, np.zeros((2, 5, 6, 2), np.float32)),
             gs(np.zeros((1, 2, 3, 4, 5), np.float32), np.zeros((1, 2, 2, 2, 3), np.float32),
                mode="bicubic"),
             gs(x4, g4.astype(np.float64)), gs(np.zeros((1, 2, 0, 4), np.float32), g4),
             gs(x4.astype(np.int64), g4.astype(np.int64))])


def test_affine_grid_errors():
    th = np.zeros((2, 2, 3), np.float32)

    def ag(t, size):
        return lambda m: m.nn.functional.affine_grid(m.tensor(t), size, False)
    _errors([ag(th, (2, 3, 4)), ag(th, (3, 3, 4, 5)), ag(th[:, :1], (2, 3, 4, 5)),
             ag(th.astype(np.int64), (2, 3, 4, 5)), ag(th, (2, 3, 0, 5)),
             ag(np.zeros((2, 3, 4), np.float32), (2, 3, 4, 5))])


# ---------------------------------------------------------------------------- ctc_loss
CTC_CASES = [([6, 5, 4], [3, 2, 1]), ([6, 5, 4], [3, 2, 3]),   # sample 2 impossible (inf)
             ([6, 0, 4], [3, 0, 1]), ([6, 5, 4], [3, 0, 2]), ([6, 6, 6], [1, 3, 2])]


@pytest.mark.parametrize("normalised", [True, False], ids=["log_softmax", "raw"])
@pytest.mark.parametrize("lengths", CTC_CASES, ids=[str(i) for i in range(len(CTC_CASES))])
@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("zero_infinity", [False, True])
def test_ctc_loss(lengths, reduction, zero_infinity, normalised):
    """Loss, grad_fn chain and gradient on a leaf, including torch's extra exp(log_probs)
    term on un-normalised inputs and NaN/zeroed rows for impossible targets."""
    rng = np.random.default_rng(len(lengths[0]) + sum(lengths[1]))
    raw = rng.standard_normal((6, 3, 5)).astype(np.float32)
    if normalised:
        raw = torch.tensor(raw).log_softmax(2).numpy()
    lp, jlp = _pair(raw)
    tg = rng.integers(1, 5, (3, 3))
    il, tl = lengths
    out = F.ctc_loss(lp, torch.tensor(tg), torch.tensor(il), torch.tensor(tl), 0, reduction,
                     zero_infinity)
    jout = JF.ctc_loss(jlp, jtorch.tensor(tg), jtorch.tensor(il), jtorch.tensor(tl), 0,
                       reduction, zero_infinity)
    assert jout.grad_fn.name() == out.grad_fn.name()
    assert [f.name() for f, _ in jout.grad_fn.next_functions if f] == \
        [f.name() for f, _ in out.grad_fn.next_functions if f]
    _close(out, jout, 1e-5)
    out.sum().backward()
    jout.sum().backward()
    _close(lp.grad, jlp.grad, 1e-5)


def test_ctc_loss_forms_and_module():
    rng = np.random.default_rng(0)
    raw = torch.tensor(rng.standard_normal((7, 2, 4)).astype(np.float64)).log_softmax(2).numpy()
    lp, jlp = _pair(raw)
    # concatenated targets, list lengths, another blank
    out = F.ctc_loss(lp, torch.tensor([1, 2, 0, 1, 1]), [7, 6], [3, 2], blank=3)
    jout = JF.ctc_loss(jlp, jtorch.tensor([1, 2, 0, 1, 1]), [7, 6], [3, 2], blank=3)
    _close(out, jout, 1e-12)
    out.backward()
    jout.backward()
    _close(lp.grad, jlp.grad, 1e-12)
    # unbatched input, scalar-tensor lengths, float targets
    for red in ("none", "mean"):
        a = F.ctc_loss(lp[:, 0], torch.tensor([1., 2.]), torch.tensor(7), torch.tensor(2),
                       reduction=red)
        b = JF.ctc_loss(jlp[:, 0], jtorch.tensor([1., 2.]), jtorch.tensor(7), jtorch.tensor(2),
                        reduction=red)
        assert b.shape == a.shape and b.grad_fn.name() == a.grad_fn.name()
        _close(a, b, 1e-12)
    m, jm = torch.nn.CTCLoss(blank=1, zero_infinity=True), jtorch.nn.CTCLoss(1, "mean", True)
    assert repr(jm) == repr(m)
    tg = torch.tensor([[2, 3], [0, 0]])
    _close(m(lp, tg, [7, 7], [2, 2]), jm(jlp, jtorch.tensor(tg.numpy()), [7, 7], [2, 2]), 1e-12)


def test_ctc_loss_errors():
    lp = np.zeros((6, 3, 5), np.float32)
    tg = np.ones((3, 3), np.int64)

    def ctc(t, il, tl, **k):
        return lambda m: m.nn.functional.ctc_loss(m.tensor(lp), m.tensor(t), m.tensor(il),
                                                  m.tensor(tl), **k)
    _errors([ctc(tg, [6, 5, 4], [3, 2, 5]), ctc(tg, [7, 5, 4], [3, 2, 1]),
             ctc(tg, [6, 5], [3, 2, 1]), ctc(tg, [6, 5, 4], [3, 2]),
             ctc(tg, [6., 5., 4.], [3, 2, 1]), ctc(tg, [6, 5, 4], [3, 2, 1], blank=5),
             ctc(tg, [6, 5, 4], [3, 2, 1], reduction="foo"),
             ctc(np.ones(5, np.int64), [6, 5, 4], [3, 2, 1])])


# ---------------------------------------------------------------------- antialiased resize
AA_CASES = [(mode, ac, kw) for mode in ("bilinear", "bicubic", "lanczos")
            for ac in ((False, True) if mode != "lanczos" else (None,))
            for kw in (dict(size=(4, 5)), dict(size=(14, 3)), dict(scale_factor=0.37),
                       dict(scale_factor=(2.5, 0.5)), dict(size=(9, 4)))]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("mode,ac,kw", AA_CASES)
def test_interpolate_antialias(mode, ac, kw, dtype):
    rng = np.random.default_rng(len(AA_CASES))
    x, jx = _pair(rng.standard_normal((2, 3, 9, 11)).astype(dtype))
    out = F.interpolate(x, mode=mode, align_corners=ac, antialias=True, **kw)
    jout = JF.interpolate(jx, mode=mode, align_corners=ac, antialias=True, **kw)
    assert jout.grad_fn.name() == out.grad_fn.name() and jout.shape == out.shape
    tol = 1e-5 if dtype == "float32" else 1e-12
    _close(out, jout, tol)
    _backprop_same(out, jout, rng, dtype)
    _close(x.grad, jx.grad, tol)


def test_interpolate_errors():
    x4 = np.zeros((1, 2, 4, 5), np.float32)

    def it(x, **k):
        return lambda m: m.nn.functional.interpolate(m.tensor(x), **k)
    _errors([it(x4, size=3, mode="nearest", antialias=True),
             it(x4[0], size=3, mode="linear", antialias=True),
             it(x4, size=3, mode="lanczos"), it(x4, size=3, mode="lanczos", antialias=True,
                                                align_corners=True),
             it(x4[0], size=3, mode="lanczos", antialias=True),
             it(x4, size=3, mode="trilinear"), it(x4, size=3, mode="cubic"),
             it(x4, size=3, mode="nearest", align_corners=True),
             it(x4, size=3, scale_factor=2), it(x4), it(x4, size=(1, 2, 3)),
             it(x4, scale_factor=(1, 2, 3)), it(x4, size=3, recompute_scale_factor=True),
             it(x4[0, 0], size=3)])
