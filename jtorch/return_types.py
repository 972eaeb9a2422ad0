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


def _make_all(fields, *names):
    """One return type per name, all with the same ``fields``."""
    return tuple(_make(name, fields) for name in names)


max, min, sort, topk, kthvalue, median, mode = _make_all(
    ["values", "indices"], "max", "min", "sort", "topk", "kthvalue", "median", "mode")
linalg_eig, linalg_eigh = _make_all(["eigenvalues", "eigenvectors"], "linalg_eig", "linalg_eigh")
linalg_slogdet, slogdet = _make_all(["sign", "logabsdet"], "linalg_slogdet", "slogdet")
linalg_qr, qr = _make_all(["Q", "R"], "linalg_qr", "qr")
aminmax = _make("aminmax", ["min", "max"])
linalg_svd = _make("linalg_svd", ["U", "S", "Vh"])
linalg_lstsq = _make("linalg_lstsq", ["solution", "residuals", "rank", "singular_values"])
linalg_inv_ex = _make("linalg_inv_ex", ["inverse", "info"])
linalg_cholesky_ex = _make("linalg_cholesky_ex", ["L", "info"])
svd = _make("svd", ["U", "S", "V"])
