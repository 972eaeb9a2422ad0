"""Flatten parameters into one vector and back (torch's parameter order)."""
import jtorch


def parameters_to_vector(parameters):
    """One 1-D tensor of every parameter, flattened and concatenated."""
    return jtorch.cat([p.view(-1) for p in parameters])


def vector_to_parameters(vec, parameters):
    """Copy consecutive slices of ``vec`` into the parameters' data."""
    if not isinstance(vec, jtorch.Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    offset = 0
    for p in parameters:
        n = p.numel()
        p.data = vec[offset:offset + n].view_as(p).data
        offset += n
