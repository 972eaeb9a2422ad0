"""torch's random API over the reproduced CPU generator (``_generator``).

Every sampling function draws on the host from a ``Generator`` (torch's mt19937 stream and
formulas, so values equal torch's after the same ``manual_seed``), then places the result on
the tensor's device. Inside compiled code (``jtorch.compile``, later) randomness must come from
a JAX key instead: ``Generator.jax_key()`` derives one from the generator's state, and is the
hook the compiler will use.
"""
from __future__ import annotations

import contextlib

import jax
import jax.numpy as jnp
import numpy as np

from . import _dtypes, _generator
from ._creation import _from_array, _size_args, memory_order
from ._dispatch import check_inplace
from ._grad_mode import is_grad_enabled
from ._tensor import Tensor
from ._errors import infer_size
from .device import as_device
from ._ops import api_random


class Generator(_generator.Generator):
    """torch.Generator: ``manual_seed``, ``seed``, ``initial_seed``, ``get_state``/``set_state``."""

    def __init__(self, device="cpu"):
        super().__init__(device=str(as_device(device)) if device != "cpu" else "cpu")

    def __repr__(self):
        return f"<torch._C.Generator object at {hex(id(self))}>"

    def get_state(self):
        state = super().get_state()
        return Tensor._make(jnp.asarray(state), _dtypes.uint8)

    def set_state(self, new_state):
        if not isinstance(new_state, Tensor) or new_state.dtype is not _dtypes.uint8:
            raise TypeError("expected a torch.ByteTensor, but got "
                            f"{type(new_state).__name__}")
        super().set_state(np.asarray(new_state._value()))
        return self

    def jax_key(self):
        """A JAX PRNG key derived from (and advancing) this generator: for compiled code."""
        seed = int(self.random((), np.int64, 0, 2 ** 62))
        return jax.random.key(seed)


default_generator = Generator()


def _gen(generator, device=None):
    """The generator a draw for ``device`` uses: the one given, else the device's default
    (the CPU's, or the GPU's own: ``jtorch.cuda``'s per-device generators, as torch's)."""
    dev = as_device(device)
    if generator is None:
        if dev.type == "cpu":
            return default_generator
        from .cuda import _random as cuda_random
        return cuda_random.generator(dev.index)
    found = str(generator.device).split(":")[0]
    if found != dev.type:
        raise RuntimeError(f"Expected a '{dev.type}' device type for generator but found "
                           f"'{found}'")
    return generator


generator_for = _gen


def manual_seed(seed):
    """Seed the generators of every device (and return the CPU's, as torch does)."""
    g = default_generator.manual_seed(int(seed))
    _seed_gpus(int(seed))
    return g


def seed():
    s = default_generator.seed()
    _seed_gpus(s)
    return s


def _seed_gpus(s):
    from .cuda import _random as cuda_random
    cuda_random.manual_seed_all(s)


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(new_state):
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, _caller="fork_rng", _devices_kw="devices",
             device_type="cuda"):
    """Restore the default generator's state on exit."""
    if not enabled:
        yield
        return
    state = default_generator.get_state()
    try:
        yield
    finally:
        default_generator.set_state(state)


# ------------------------------------------------------------------ sampling functions
def _float_dtype(dtype):
    return _dtypes.as_dtype(dtype) if dtype is not None else _dtypes.get_default_dtype()


def _finish(host, dt, device, requires_grad, out):
    t = _from_array(host, dt, as_device(device), requires_grad)
    if out is not None:
        out.data = t
        return out
    return t


def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """Uniform samples on [0, 1)."""
    dt = _float_dtype(dtype)
    host = _gen(generator, device).uniform(_size_args(size, "rand"), dt._np, 0.0, 1.0)
    return _finish(host, dt, device, requires_grad, out)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False):
    """Standard normal samples."""
    dt = _float_dtype(dtype)
    host = _gen(generator, device).normal(_size_args(size, "randn"), dt._np, 0.0, 1.0)
    return _finish(host, dt, device, requires_grad, out)


def randint(low=0, high=None, size=None, *, generator=None, out=None, dtype=None, layout=None,
            device=None, requires_grad=False):
    """Integers uniform on [low, high) (int64 by default)."""
    if size is None:  # randint(high, size)
        low, high, size = 0, low, high
    if high is None:
        raise TypeError("randint() missing required argument 'high'")
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= "
                           f"to={high}")
    dt = _dtypes.as_dtype(dtype) if dtype is not None else _dtypes.int64
    host = _gen(generator, device).random(_size_args((size,), "randint"), dt._np, int(low),
                                          int(high))
    return _finish(host, dt, device, requires_grad, out)


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None,
             requires_grad=False, pin_memory=False):
    """A random permutation of 0..n-1."""
    dt = _dtypes.as_dtype(dtype) if dtype is not None else _dtypes.int64
    return _finish(_gen(generator, device).randperm(int(n), dt._np), dt, device,
                   requires_grad, out)


def rand_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    perm = memory_order(input) if not requires_grad else None
    if perm is not None:     # preserve_format: drawn in the input's memory order
        out = rand(tuple(input.shape[d] for d in perm), dtype=dtype or input.dtype,
                   device=device or input.device)
        return out.permute(tuple(perm.index(d) for d in range(len(perm))))
    return rand(tuple(input.shape), dtype=dtype or input.dtype, device=device or input.device,
                requires_grad=requires_grad)


def randn_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    return randn(tuple(input.shape), dtype=dtype or input.dtype, device=device or input.device,
                 requires_grad=requires_grad)


def randint_like(input, low=0, high=None, *, dtype=None, layout=None, device=None,
                 requires_grad=False, memory_format=None):
    if high is None:
        low, high = 0, low
    return randint(low, high, tuple(input.shape), dtype=dtype or input.dtype,
                   device=device or input.device, requires_grad=requires_grad)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None,
           layout=None, device=None, requires_grad=False):
    """torch.normal: (Tensor mean, Tensor std), (Tensor, float), (float, Tensor) or
    (float, float, size)."""
    tm, ts = isinstance(mean, Tensor), isinstance(std, Tensor)
    g = _gen(generator, (mean if tm else std).device if tm or ts else device)
    if not tm and not ts:
        if size is None:
            raise TypeError("normal() received an invalid combination of arguments")
        dt = _float_dtype(dtype)
        return _finish(g.normal(_size_args((size,), "normal"), dt._np, float(mean), float(std)),
                       dt, device, requires_grad, out)
    ref = mean if tm else std
    shape = infer_size(tuple(mean.shape) if tm else (), tuple(std.shape) if ts else ())
    m = np.asarray(mean._value()) if tm else float(mean)
    s = np.asarray(std._value()) if ts else float(std)
    if ts and np.any(s < 0):
        raise RuntimeError("normal expects all elements of std >= 0.0")
    dt = ref.dtype
    if not (dt.is_floating_point or dt.is_complex):      # the sample takes ref's dtype
        raise NotImplementedError(f'"normal_kernel_cpu" not implemented for '
                                  f"'{_dtypes.torch_type_name(dt)}'")
    result = _finish(g.normal(shape, dt._np, m, s), dt, ref.device, False, out)
    node = "NormalBackward3" if tm and ts else ("NormalBackward1" if tm else "NormalBackward2")
    params = [t for t in (mean, std) if isinstance(t, Tensor)]
    return _as_draw(result, out, node, *params)


def _as_draw(result, out, node, a, b=None):
    """The sample, recorded with a zero-derivative node when a parameter requires grad."""
    if out is not None or not is_grad_enabled() or not (
            a.requires_grad or (b is not None and b.requires_grad)):
        return result
    return api_random.api_draw_node(result, a, b, node)


def bernoulli(input, p=None, *, generator=None, out=None):
    """Bernoulli(input) samples (input holds the probabilities), or Bernoulli(p)."""
    g = _gen(generator, input.device)
    probs = float(p) if p is not None else np.asarray(input._value())
    result = _finish(g.bernoulli(probs, tuple(input.shape), input.dtype._np), input.dtype,
                     input.device, False, out)
    # torch records bernoulli(input, p) without a derivative
    node = "BernoulliBackward0" if p is None else "torch::autograd::NotImplemented"
    return _as_draw(result, out, node, input)


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Indices sampled from the rows of ``input`` (unnormalised probabilities)."""
    probs = np.asarray(input._value())
    if input.dim() not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not replacement and num_samples > probs.shape[-1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    host = _gen(generator, input.device).multinomial(probs, int(num_samples), bool(replacement))
    return _finish(host, _dtypes.int64, input.device, False, out)


# ------------------------------------------------------------------ in-place samplers
def _sample_into(self, draw, probs=None):
    """Fill ``self`` with ``draw(shape[, probs])``. torch's element-wise kernels walk a
    transposed (dense, permuted) tensor in memory order, so the draw is made in that order
    and permuted back."""
    check_inplace(self)
    perm = memory_order(self)
    if perm is None:
        host = draw(tuple(self.shape)) if probs is None else draw(tuple(self.shape), probs)
    else:
        mem_shape = tuple(self.shape[d] for d in perm)
        if probs is None:
            host = draw(mem_shape)
        else:
            probs = np.broadcast_to(probs, tuple(self.shape)).transpose(perm) \
                if np.ndim(probs) else probs
            host = draw(mem_shape, probs)
        host = np.asarray(host).transpose(tuple(perm.index(d) for d in range(len(perm))))
    self._write(jax.device_put(jnp.asarray(host), self._value().devices().pop())
                if self.device.type != "cpu" else jnp.asarray(host))
    return self


def _uniform_(self, from_=0.0, to=1.0, *, generator=None, **kw):
    a, b = kw.get("a", from_), kw.get("b", to)
    return _sample_into(self, lambda shape: _gen(generator, self.device).uniform(
        shape, self.dtype._np, float(a), float(b)))


def _normal_(self, mean=0.0, std=1.0, *, generator=None):
    # torch's normal_ on a permuted tensor runs a different (serial) kernel: not matched,
    # the draw stays in logical order
    check_inplace(self)
    host = _gen(generator, self.device).normal(tuple(self.shape), self.dtype._np, float(mean),
                                               float(std))
    self._write(jax.device_put(jnp.asarray(host), self._value().devices().pop())
                if self.device.type != "cpu" else jnp.asarray(host))
    return self


def _random_(self, from_=None, to=None, *, generator=None):
    if from_ is not None and to is None:
        from_, to = 0, from_
    return _sample_into(self, lambda shape: _gen(generator, self.device).random(
        shape, self.dtype._np, from_, to))


def _bernoulli_(self, p=0.5, *, generator=None):
    probs = np.asarray(p._value()) if isinstance(p, Tensor) else float(p)
    return _sample_into(self, lambda shape, pr: _gen(generator, self.device).bernoulli(
        pr, shape, self.dtype._np), probs)


def _exponential_(self, lambd=1.0, *, generator=None):
    return _sample_into(self, lambda shape: _gen(generator, self.device).exponential(
        shape, self.dtype._np, float(lambd)))


def _geometric_(self, p, *, generator=None):
    return _sample_into(self, lambda shape: _gen(generator, self.device).geometric(
        shape, self.dtype._np, float(p)))


def _log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    return _sample_into(self, lambda shape: _gen(generator, self.device).log_normal(
        shape, self.dtype._np, float(mean), float(std)))


def _cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    return _sample_into(self, lambda shape: _gen(generator, self.device).cauchy(
        shape, self.dtype._np, float(median), float(sigma)))


Tensor.uniform_ = _uniform_
Tensor.normal_ = _normal_
Tensor.random_ = _random_
Tensor.bernoulli_ = _bernoulli_
Tensor.exponential_ = _exponential_
Tensor.geometric_ = _geometric_
Tensor.log_normal_ = _log_normal_
Tensor.cauchy_ = _cauchy_
Tensor.bernoulli = lambda self, p=None, *, generator=None: bernoulli(self, p,
                                                                    generator=generator)
Tensor.multinomial = lambda self, num_samples, replacement=False, *, generator=None: \
    multinomial(self, num_samples, replacement, generator=generator)
