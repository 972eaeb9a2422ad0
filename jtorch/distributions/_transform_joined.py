"""CatTransform and StackTransform: different transforms on slices of one dimension."""
import jtorch as torch
from . import constraints
from ._transform_base import Transform
from .utils import _sum_rightmost, lazy_property


def _check(t, what, dim, size, expected, name):
    if not (-t.dim() <= dim < t.dim()):
        raise AssertionError(f"dim {dim} out of range for {what} with {t.dim()} dimensions")
    if t.size(dim) != expected:
        raise AssertionError(f"{name}.size({dim}) = {t.size(dim)} must equal {size} {expected}")


class _JoinedTransform(Transform):
    """CatTransform and StackTransform: one transform per part of dimension ``dim``;
    each subclass says in ``_map`` how the parts are cut and joined."""

    def __init__(self, tseq, dim, cache_size):
        if not all(isinstance(t, Transform) for t in tseq):
            raise AssertionError("All elements of tseq must be Transform instances")
        if cache_size:
            tseq = [t.with_cache(cache_size) for t in tseq]
        super().__init__(cache_size=cache_size)
        self.transforms = list(tseq)
        self.dim = dim

    def _call(self, x):
        return self._map(x, "x", lambda trans, s: trans(s))

    def _inverse(self, y):
        return self._map(y, "y", lambda trans, s: trans.inv(s))

    @property
    def bijective(self):
        return all(t.bijective for t in self.transforms)


class CatTransform(_JoinedTransform):
    """Applies ``tseq[i]`` to the i-th slice (of ``lengths[i]``) along ``dim``."""

    def __init__(self, tseq, dim=0, lengths=None, cache_size=0):
        super().__init__(tseq, dim, cache_size)
        self.lengths = list(lengths) if lengths is not None else [1] * len(self.transforms)
        if len(self.lengths) != len(self.transforms):
            raise AssertionError(f"lengths ({len(self.lengths)}) must match transforms "
                                 f"({len(self.transforms)})")

    @lazy_property
    def event_dim(self):
        return max(t.event_dim for t in self.transforms)

    @lazy_property
    def length(self):
        return sum(self.lengths)

    def with_cache(self, cache_size=1):
        if self._cache_size == cache_size:
            return self
        return CatTransform(self.transforms, self.dim, self.lengths, cache_size)

    def _map(self, t, name, fn):
        _check(t, "tensor", self.dim, "length", self.length, name)
        out, start = [], 0
        for trans, length in zip(self.transforms, self.lengths):
            out.append(fn(trans, t.narrow(self.dim, start, length)))
            start = start + length
        return torch.cat(out, dim=self.dim)

    def log_abs_det_jacobian(self, x, y):
        _check(x, "x", self.dim, "length", self.length, "x")
        _check(y, "y", self.dim, "length", self.length, "y")
        logdetjacs, start = [], 0
        for trans, length in zip(self.transforms, self.lengths):
            ldj = trans.log_abs_det_jacobian(x.narrow(self.dim, start, length),
                                             y.narrow(self.dim, start, length))
            if trans.event_dim < self.event_dim:
                ldj = _sum_rightmost(ldj, self.event_dim - trans.event_dim)
            logdetjacs.append(ldj)
            start = start + length
        dim = self.dim - x.dim() if self.dim >= 0 else self.dim
        dim = dim + self.event_dim
        # the cat dim survives only when it is a batch dim of the Jacobian
        return torch.cat(logdetjacs, dim=dim) if dim < 0 else sum(logdetjacs)

    @constraints.dependent_property
    def domain(self):
        return constraints.cat([t.domain for t in self.transforms], self.dim, self.lengths)

    @constraints.dependent_property
    def codomain(self):
        return constraints.cat([t.codomain for t in self.transforms], self.dim, self.lengths)


class StackTransform(_JoinedTransform):
    """Applies ``tseq[i]`` to the i-th entry along ``dim``."""

    def __init__(self, tseq, dim=0, cache_size=0):
        super().__init__(tseq, dim, cache_size)

    def with_cache(self, cache_size=1):
        if self._cache_size == cache_size:
            return self
        return StackTransform(self.transforms, self.dim, cache_size)

    def _slice(self, z):
        return [z.select(self.dim, i) for i in range(z.size(self.dim))]

    def _map(self, t, name, fn):
        _check(t, "tensor", self.dim, "len(transforms)", len(self.transforms), name)
        return torch.stack([fn(trans, s) for s, trans in zip(self._slice(t), self.transforms)],
                           dim=self.dim)

    def log_abs_det_jacobian(self, x, y):
        _check(x, "x", self.dim, "len(transforms)", len(self.transforms), "x")
        _check(y, "y", self.dim, "len(transforms)", len(self.transforms), "y")
        return torch.stack([trans.log_abs_det_jacobian(a, b) for a, b, trans
                            in zip(self._slice(x), self._slice(y), self.transforms)],
                           dim=self.dim)

    @constraints.dependent_property
    def domain(self):
        return constraints.stack([t.domain for t in self.transforms], self.dim)

    @constraints.dependent_property
    def codomain(self):
        return constraints.stack([t.codomain for t in self.transforms], self.dim)
