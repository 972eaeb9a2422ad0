"""torch.return_types: named tuples returned by ops like ``max(dim)`` and ``sort``."""
import collections


def _make(name, fields):
    base = collections.namedtuple(name, fields)

    def __repr__(self):
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        return f"torch.return_types.{name}(\n{body})"
    cls = type(name, (base,), {"__repr__": __repr__, "__str__": __repr__, "__slots__": ()})
    cls.__module__ = "torch.return_types"
    cls.__qualname__ = name
    return cls


max = _make("max", ["values", "indices"])
min = _make("min", ["values", "indices"])
sort = _make("sort", ["values", "indices"])
topk = _make("topk", ["values", "indices"])
kthvalue = _make("kthvalue", ["values", "indices"])
median = _make("median", ["values", "indices"])
mode = _make("mode", ["values", "indices"])
aminmax = _make("aminmax", ["min", "max"])
linalg_eig = _make("linalg_eig", ["eigenvalues", "eigenvectors"])
linalg_eigh = _make("linalg_eigh", ["eigenvalues", "eigenvectors"])
linalg_slogdet = _make("linalg_slogdet", ["sign", "logabsdet"])
