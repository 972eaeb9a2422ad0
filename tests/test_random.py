"""torch's CPU generator reproduced: values and generator state equal torch's."""
import numpy as np
import pytest

import jtorch

torch = pytest.importorskip("torch")

SEEDS = [0, 1, 2, 3, 7, 42, 111, 1234, 2 ** 31 - 1, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 5,
         2 ** 40 + 7, 2 ** 63 - 1, 999_999, 67280421310721, 5, 17, 31337, 123456789]
SIZES = [0, 1, 3, 15, 16, 17, 100, 1023, 100_000]


def _both(seed, fn):
    out = []
    for m in (torch, jtorch):
        m.manual_seed(seed)
        first = fn(m)
        second = fn(m)  # the generator state after the first call matters too
        state = m.get_rng_state()
        out.append((first, second, state))
    return out


def _np(t):
    return t.float().numpy() if t.dtype in (torch.bfloat16, torch.float16, jtorch.bfloat16,
                                           jtorch.float16) else t.numpy()


def _check(seed, fn, exact=True, nulp=1):
    (t1, t2, ts), (j1, j2, js) = _both(seed, fn)
    for a, b in ((t1, j1), (t2, j2)):
        assert repr(a.dtype) == repr(b.dtype) and tuple(a.shape) == tuple(b.shape)
        if exact:
            np.testing.assert_array_equal(_np(b), _np(a))
        else:
            np.testing.assert_array_max_ulp(_np(b), _np(a), maxulp=nulp)
    np.testing.assert_array_equal(js.numpy(), ts.numpy())


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
def test_rand(seed, dtype):
    for n in SIZES:
        _check(seed, lambda m: m.rand(n, dtype=getattr(m, dtype)))


@pytest.mark.parametrize("seed", SEEDS)
def test_uniform_bounds(seed):
    _check(seed, lambda m: m.empty(33).uniform_(-2.5, 7))
    _check(seed, lambda m: m.empty(5, dtype=m.float64).uniform_(1, 2))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", SIZES)
def test_randn_float32(seed, n):
    # AVX2 Box-Muller as one XLA program, whose FMA contractions are the C++ compiler's
    _check(seed, lambda m: m.randn(n))   # bit-exact: see jtorch/_normal_kernel.py


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_randn_float32_chunked(seed):
    """Draws larger than one kernel chunk: several chunks through the two reused lane
    buffers, a padded last chunk, the n % 16 tail block, a 2-d shape and mean/std."""
    from jtorch import _normal_kernel
    words = 16 * _normal_kernel.CHUNK
    for n in (words, 2 * words + 16 * 1000 + 5, 3 * words + 16):
        _check(seed, lambda m: m.randn(n))
    _check(seed, lambda m: m.empty(2 * words + 9).normal_(-0.5, 3.0))
    _check(seed, lambda m: m.randn(words // 1000 * 3, 1000))
    _check(seed, lambda m: m.randn(words + 3, dtype=m.float16))


@pytest.mark.parametrize("seed", SEEDS)
def test_randn_float64_and_scalar_path(seed):
    for n in SIZES:
        _check(seed, lambda m: m.randn(n, dtype=m.float64))
    _check(seed, lambda m: m.cat([m.randn(3, dtype=m.float64), m.randn(5, dtype=m.float64)]))
    _check(seed, lambda m: m.randn(7), exact=False)   # < 16: scalar path, cached sample


@pytest.mark.parametrize("seed", SEEDS[:8])
def test_randn_half(seed):
    """float16/bfloat16: float32's kernel on a float32 buffer, uniforms drawn for the whole
    16-blocks only, then 16 for the tail; rounded at the end."""
    for dt in ("float16", "bfloat16"):
        for n in (16, 20, 32, 33, 1000, 10007):
            _check(seed, lambda m: m.randn(n, dtype=getattr(m, dt)))
        _check(seed, lambda m: m.empty(37, dtype=getattr(m, dt)).normal_(0.1, 0.3))


@pytest.mark.parametrize("seed", SEEDS)
def test_normal_overloads(seed):
    _check(seed, lambda m: m.empty(40).normal_(1.5, 2.0))
    _check(seed, lambda m: m.normal(2.0, 3.0, size=(4, 5)))
    _check(seed, lambda m: m.normal(m.arange(20.), m.ones(20) * 0.5))
    _check(seed, lambda m: m.normal(m.zeros(4, dtype=m.float64), 2.0))


@pytest.mark.parametrize("seed", SEEDS)
def test_integers(seed):
    _check(seed, lambda m: m.randint(5, 10, (4, 5)))
    _check(seed, lambda m: m.randint(-3, 2 ** 40, (17,)))
    _check(seed, lambda m: m.randint(0, 256, (9,), dtype=m.uint8))
    _check(seed, lambda m: m.randint(100, (3, 3), dtype=m.int32))
    for dt in ("int64", "int32", "int16", "int8", "uint8", "bool", "float32", "float64"):
        _check(seed, lambda m: m.empty(11, dtype=getattr(m, dt)).random_())
    _check(seed, lambda m: m.empty(6, dtype=m.int64).random_(-5, 5))
    _check(seed, lambda m: m.empty(6).random_(10))


@pytest.mark.parametrize("seed", SEEDS)
def test_randperm(seed):
    for n in (0, 1, 2, 10, 1000):
        _check(seed, lambda m: m.randperm(n))


@pytest.mark.parametrize("seed", SEEDS)
def test_bernoulli(seed):
    _check(seed, lambda m: m.empty(50).bernoulli_(0.3))
    _check(seed, lambda m: m.bernoulli(m.full((20,), 0.6)))
    _check(seed, lambda m: m.bernoulli(m.linspace(0, 1, 30, dtype=m.float64)))
    _check(seed, lambda m: m.empty(10).bernoulli_(m.full((10,), 0.5)))


@pytest.mark.parametrize("seed", SEEDS)
def test_multinomial_and_others(seed):
    p = [0.1, 0.5, 0.2, 0.2]
    _check(seed, lambda m: m.multinomial(m.tensor(p), 3))
    _check(seed, lambda m: m.multinomial(m.tensor(p), 6, True))
    _check(seed, lambda m: m.empty(7).exponential_(), exact=False)
    _check(seed, lambda m: m.empty(7, dtype=m.float64).exponential_(2.0))


def test_rng_state_roundtrip_and_generators():
    for m in (torch, jtorch):
        m.manual_seed(3)
        s = m.get_rng_state()
        a = m.rand(5)
        m.set_rng_state(s)
        assert m.equal(a, m.rand(5)) if hasattr(m, "equal") else (a == m.rand(5)).all()
    g_t, g_j = torch.Generator().manual_seed(9), jtorch.Generator().manual_seed(9)
    np.testing.assert_array_equal(jtorch.rand(4, generator=g_j).numpy(),
                                  torch.rand(4, generator=g_t).numpy())
    np.testing.assert_array_equal(g_j.get_state().numpy(), g_t.get_state().numpy())
    assert g_j.initial_seed() == g_t.initial_seed() == 9
    assert torch.initial_seed() == 3 and jtorch.initial_seed() == 3
    with jtorch.random.fork_rng():
        jtorch.rand(3)
    jtorch.manual_seed(3)


def test_seed003_document_values():
    jtorch.manual_seed(1)
    x = jtorch.randn((3, 4, 5))
    assert repr(x).startswith("tensor([[[-1.5256, -0.7502, -0.6540, -1.6095, -0.1002],")


def test_permuted_tensors_draw_in_memory_order():
    """torch's element-wise samplers (bernoulli_, uniform_, dropout's mask, rand_like) walk a
    transposed tensor in memory order; *_like keeps the transposed layout."""
    import torch
    res = []
    for m in (torch, jtorch):
        outs = []
        for fill in (lambda t: m.empty_like(t).bernoulli_(0.3),
                     lambda t: m.empty_like(t).uniform_(-1, 2),
                     lambda t: m.nn.functional.dropout(m.ones_like(t), 0.5),
                     lambda t: m.rand_like(t), lambda t: m.empty_like(t).exponential_(),
                     lambda t: m.empty_like(t).bernoulli_(m.rand(t.shape))):
            m.manual_seed(3)
            outs.append(fill(m.zeros(3, 4, 5).permute(2, 0, 1)))
        outs.append(m.empty_like(m.zeros(4, 6).t()).stride())
        res.append(outs)
    for a, b in zip(*res):
        if isinstance(b, tuple):
            assert a == b
        else:
            np.testing.assert_array_equal(a.numpy(), b.numpy())
