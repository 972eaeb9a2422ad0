"""torch's argument checks shared by the matrix products (``products``, ``linalg``):
dtypes, broadcast of ``input`` to the product's shape, vector/matrix shapes, with torch's
texts (``cpp_name``: the C++ type names some of them print)."""
from .. import _dtypes


def cpp_name(dt):
    """The C++ type name torch's messages print (``long int``, ``double``)."""
    return {"int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
            "uint8": "unsigned char", "float32": "float", "float64": "double",
            "float16": "c10::Half", "bfloat16": "c10::BFloat16", "bool": "bool",
            "complex64": "c10::complex<float>",
            "complex128": "c10::complex<double>"}.get(dt._name, dt._name)


def check_addmm_dtypes(input, mat1, mat2):
    """addmm's (and addbmm's) dtype checks, in torch's order: self against mat2 first."""
    for first, t, name in ((mat2, input, "self"), (mat2, mat1, "mat1")):
        if t.dtype is not first.dtype:
            raise RuntimeError(f"{name} and mat2 must have the same dtype, but got "
                               f"{_dtypes.torch_type_name(t.dtype)} and "
                               f"{_dtypes.torch_type_name(first.dtype)}")


def check_expand(input, sizes):
    """torch's ``expand_size`` of a product's ``input`` to the product's shape, its errors."""
    shape, n = tuple(input.shape), len(sizes)
    if n < len(shape):
        raise RuntimeError(f"expand({input.type()}{{{list(shape)}}}, size={list(sizes)}): the "
                           f"number of sizes provided ({n}) must be greater or equal to the "
                           f"number of dimensions in the tensor ({len(shape)})")
    for i, have in enumerate(shape, n - len(shape)):
        if have != sizes[i] and have != 1:
            raise RuntimeError(f"The expanded size of the tensor ({sizes[i]}) must match the "
                               f"existing size ({have}) at non-singleton dimension {i}.  Target "
                               f"sizes: {list(sizes)}.  Tensor sizes: {list(shape)}")


def check_mv_shapes(input_shape, mat, vec):
    """torch's addmv/mv shape checks (``input_shape``: mv's is (mat rows,))."""
    if len(input_shape) > 1 or mat.dim() != 2 or vec.dim() != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {len(input_shape)}, "
                           f"{mat.dim()}, {vec.dim()}")
    rows = input_shape[0] if input_shape else 1
    if mat.shape[1] != vec.shape[0] or rows not in (1, mat.shape[0]):
        shown = ", ".join(map(str, input_shape))
        raise RuntimeError(f"size mismatch, got input ({shown}), mat ({mat.shape[0]}x"
                           f"{mat.shape[1]}), vec ({vec.shape[0]})")


def check_dot_operands(input, other):
    """dot and vdot: two 1-D tensors of one dtype and one length (torch's texts, shared)."""
    if input.dim() != 1 or other.dim() != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.dim()}D and {other.dim()}D "
                           "tensors")
    if input.dtype is not other.dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                           f"{_dtypes.torch_type_name(input.dtype)} and "
                           f"{_dtypes.torch_type_name(other.dtype)}")
    if input.shape[0] != other.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{input.shape[0]}] and "
                           f"src [{other.shape[0]}] to have the same number of elements, but "
                           f"got {input.shape[0]} and {other.shape[0]} elements respectively")
    if input.dtype is _dtypes.bool:        # (vdot's kernel is named dot too)
        raise NotImplementedError('"dot" not implemented for \'Bool\'')
