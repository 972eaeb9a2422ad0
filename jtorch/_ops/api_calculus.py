"""torch.* numerical integration and differences of issue 18 (trapezoid, trapz,
cumulative_trapezoid, gradient): compositions of table ops in torch's order, so their
results carry torch's ``grad_fn`` names."""
from .._tensor import Tensor
from .registry import composite


def _check_dim(y, dim, name):
    if y.dim() == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")


def _check_trapezoid_args(x, dx):
    """torch's two overloads: (y, x: Tensor) or (y, dx: Number)."""
    if any(a is not None and not isinstance(a, (Tensor, int, float, bool)) for a in (x, dx)):
        got = ["Tensor"] + ([type(x).__name__] if x is not None else []) + \
            ([f"dx={type(dx).__name__}"] if dx is not None else [])
        raise TypeError(f"trapezoid() received an invalid combination of arguments - got "
                        f"({', '.join(got)}), but expected one of:\n"
                        f" * (Tensor y, Tensor x, *, int dim = -1)\n"
                        f" * (Tensor y, *, Number dx = 1, int dim = -1)\n")


@composite(variants="function")
def trapezoid(y, x=None, *, dx=None, dim=-1):
    """The trapezoidal rule along dim, with sample points x or a constant spacing dx."""
    import jtorch
    _check_dim(y, dim, "trapezoid")
    _check_trapezoid_args(x, dx)
    n = y.shape[dim]
    if isinstance(x, jtorch.Tensor) and x.dim() == 1 and x.shape[0] != n:
        raise RuntimeError("trapezoid: There must be one `x` value for each sample point")
    if n == 0:
        return jtorch.zeros_like(y).sum(dim)
    left, right = y.narrow(dim, 0, n - 1), y.narrow(dim, 1, n - 1)
    if x is None or not isinstance(x, jtorch.Tensor):
        step = (1 if dx is None else dx) if x is None else x
        return (left + right).sum(dim) * (step / 2)
    if x.dim() == 1:
        dxs = jtorch.diff(x)
        shape = [1] * y.dim()
        shape[dim] = -1
        dxs = dxs.view(shape)
    else:
        dxs = jtorch.diff(x, dim=dim)
    return ((left + right) * dxs).sum(dim) / 2


@composite(variants="function")
def trapz(y, x=None, *, dx=None, dim=-1):
    if x is None and dx is None:
        dx = 1
    return trapezoid(y, x, dx=dx, dim=dim)


@composite(variants="function")
def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    import jtorch
    _check_dim(y, dim, "cumulative_trapezoid")
    n = y.shape[dim]
    if n == 0:
        return y.narrow(dim, 0, 0).clone()
    left, right = y.narrow(dim, 0, n - 1), y.narrow(dim, 1, n - 1)
    if x is None or not isinstance(x, jtorch.Tensor):
        step = (1 if dx is None else dx) if x is None else x
        return jtorch.cumsum((left + right) * (step / 2), dim)
    if x.dim() == 1:
        shape = [1] * y.dim()
        shape[dim] = -1
        dxs = jtorch.diff(x).view(shape)
    else:
        dxs = jtorch.diff(x, dim=dim)
    return jtorch.cumsum((left + right) * dxs / 2, dim)


def _gradient_dim(f, d, h, edge_order):
    """The second-order accurate differences of f along d: central inside, one-sided (order
    edge_order) at both ends; h a number (uniform spacing) or a 1-D coordinate tensor."""
    import jtorch
    n = f.shape[d]
    if n < edge_order + 1:
        raise RuntimeError("torch.gradient expected each dimension size to be at least "
                           "edge_order+1")
    sl = lambda a, b: f.narrow(d, a, b - a)  # noqa: E731
    if not isinstance(h, jtorch.Tensor):
        inner = (sl(2, n) - sl(0, n - 2)) / (2 * h)
        if edge_order == 1:
            first = (sl(1, 2) - sl(0, 1)) / h
            last = (sl(n - 1, n) - sl(n - 2, n - 1)) / h
        else:
            first = (-1.5 * sl(0, 1) + 2 * sl(1, 2) - 0.5 * sl(2, 3)) / h
            last = (0.5 * sl(n - 3, n - 2) - 2 * sl(n - 2, n - 1) + 1.5 * sl(n - 1, n)) / h
        return jtorch.cat([first, inner, last], d)
    shape = [1] * f.dim()
    shape[d] = -1
    dx = jtorch.diff(h)
    dx1, dx2 = dx[:-1].view(shape), dx[1:].view(shape)
    a = -dx2 / (dx1 * (dx1 + dx2))
    b = (dx2 - dx1) / (dx1 * dx2)
    c = dx1 / (dx2 * (dx1 + dx2))
    inner = a * sl(0, n - 2) + b * sl(1, n - 1) + c * sl(2, n)
    if edge_order == 1:
        first = (sl(1, 2) - sl(0, 1)) / dx[0]
        last = (sl(n - 1, n) - sl(n - 2, n - 1)) / dx[-1]
    else:
        d1, d2 = dx[0], dx[1]
        first = (-(2 * d1 + d2) / (d1 * (d1 + d2))) * sl(0, 1) + \
            ((d1 + d2) / (d1 * d2)) * sl(1, 2) + (-d1 / (d2 * (d1 + d2))) * sl(2, 3)
        d1, d2 = dx[-2], dx[-1]
        last = (d2 / (d1 * (d1 + d2))) * sl(n - 3, n - 2) + \
            (-(d2 + d1) / (d1 * d2)) * sl(n - 2, n - 1) + \
            ((2 * d2 + d1) / (d2 * (d1 + d2))) * sl(n - 1, n)
    return jtorch.cat([first, inner, last], d)


@composite(variants="function")
def gradient(input, *, spacing=1, dim=None, edge_order=1):
    """Estimated partial derivatives of input along each dim (a tuple), numpy.gradient's
    scheme: central differences inside, one-sided differences at the edges."""
    import jtorch
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    dims = list(range(input.dim())) if dim is None else \
        ([dim] if isinstance(dim, int) else list(dim))
    dims = [d % input.dim() for d in dims]
    if spacing is None:
        spacing = 1   # torch's Python default is None: unit spacing
    if isinstance(spacing, (list, tuple)):
        if len(spacing) != len(dims):
            raise RuntimeError(f"torch.gradient expected spacing to be unspecified, a scalar "
                               f"or it's spacing and dim arguments to have the same length, "
                               f"but got a spacing argument of length {len(spacing)} and a "
                               f"dim argument of length {len(dims)}.")
        hs = list(spacing)
    else:
        hs = [spacing] * len(dims)
    hs = [h.item() if isinstance(h, jtorch.Tensor) and h.dim() == 0 else h for h in hs]
    return tuple(_gradient_dim(input, d, h, edge_order) for d, h in zip(dims, hs))
