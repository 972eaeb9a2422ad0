"""dtypes and torch's promotion rules, pinned by a golden table recorded from torch."""
import json
import pathlib

import pytest

import jtorch
from jtorch import _dtypes
from tests.golden.make_promotion import DTYPES, SCALARS

GOLDEN = json.loads((pathlib.Path(__file__).parent / "golden" / "promotion.json").read_text())


def _operand(kind, name):
    if kind == "tensor":
        return jtorch.ones(2, dtype=getattr(jtorch, name))
    if kind == "zerodim":
        return jtorch.ones((), dtype=getattr(jtorch, name))
    return SCALARS[kind]


def _cases():
    for key, want in sorted(GOLDEN.items()):
        marks = ()
        if want == "torch.complex32":
            marks = pytest.mark.xfail(strict=True, reason="jtorch has no complex32 (ComplexHalf)")
        yield pytest.param(key, want, id=key, marks=marks)


@pytest.mark.parametrize("key,want", list(_cases()))
def test_result_type_matches_torch_golden(key, want):
    left, right = key.split("|")
    ka, a = left.split(":")
    if ":" in right:
        kb, b = right.split(":")
        rhs = _operand(kb, b)
    else:
        rhs = SCALARS[right]
    assert str(jtorch.result_type(_operand(ka, a), rhs)) == want


def test_golden_is_torchs():
    torch = pytest.importorskip("torch")
    from tests.golden.make_promotion import record
    assert record() == GOLDEN, "re-record tests/golden/promotion.json with torch"
    assert torch.__version__.startswith("2.13.0")


@pytest.mark.parametrize("a", DTYPES)
@pytest.mark.parametrize("b", DTYPES)
def test_add_result_dtype_follows_promotion(a, b):
    x = jtorch.ones(2, dtype=getattr(jtorch, a))
    y = jtorch.ones(2, dtype=getattr(jtorch, b))
    assert (x + y).dtype is jtorch.promote_types(x.dtype, y.dtype)


def test_dtype_objects_and_aliases():
    torch = pytest.importorskip("torch")
    for name in DTYPES + ["half", "float", "double", "short", "int", "long", "cfloat", "cdouble"]:
        jd, td = getattr(jtorch, name), getattr(torch, name)
        assert repr(jd) == repr(td) and str(jd) == str(td)
        assert jd.is_floating_point == td.is_floating_point
        assert jd.is_complex == td.is_complex
        assert jd.itemsize == td.itemsize
        assert jd.is_signed == td.is_signed
    assert jtorch.float is jtorch.float32 and jtorch.long is jtorch.int64


@pytest.mark.parametrize("name", ["float16", "bfloat16", "float32", "float64"])
def test_finfo(name):
    torch = pytest.importorskip("torch")
    jf, tf = jtorch.finfo(getattr(jtorch, name)), torch.finfo(getattr(torch, name))
    assert repr(jf) == repr(tf)
    for attr in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"):
        assert getattr(jf, attr) == getattr(tf, attr), attr


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64"])
def test_iinfo(name):
    torch = pytest.importorskip("torch")
    ji, ti = jtorch.iinfo(getattr(jtorch, name)), torch.iinfo(getattr(torch, name))
    assert repr(ji) == repr(ti)
    assert (ji.bits, ji.max, ji.min, ji.dtype) == (ti.bits, ti.max, ti.min, ti.dtype)


def test_can_cast_matches_torch():
    torch = pytest.importorskip("torch")
    for a in DTYPES:
        for b in DTYPES:
            assert jtorch.can_cast(getattr(jtorch, a), getattr(jtorch, b)) == \
                torch.can_cast(getattr(torch, a), getattr(torch, b)), (a, b)


def test_default_dtype_roundtrip():
    assert jtorch.get_default_dtype() is jtorch.float32
    jtorch.set_default_dtype(jtorch.float64)
    try:
        assert jtorch.tensor([1.5]).dtype is jtorch.float64
        assert jtorch.result_type(jtorch.ones(2, dtype=jtorch.int64), 2.5) is jtorch.float64
    finally:
        jtorch.set_default_dtype(jtorch.float32)
    with pytest.raises(TypeError):
        jtorch.set_default_dtype(jtorch.int64)


def test_uint16_promotion_error_is_torchs():
    with pytest.raises(RuntimeError, match="Promotion for uint16, uint32, uint64 types is not "
                                           "supported, attempted to promote UInt16 and Char"):
        jtorch.promote_types(jtorch.uint16, jtorch.int8)


def test_bad_dtype_argument():
    with pytest.raises(TypeError):
        jtorch.zeros(2, dtype="float32")
    with pytest.raises(TypeError):
        jtorch.tensor([1], dtype="int")


def test_scalar_rules_in_ops():
    assert (jtorch.tensor([1, 2], dtype=jtorch.uint8) + 1).dtype is jtorch.uint8
    assert (jtorch.tensor([1, 2]) * 2.5).dtype is jtorch.float32
    assert (jtorch.tensor([1, 2]) / 2).dtype is jtorch.float32
    assert (jtorch.tensor([True, False]).sum()).dtype is jtorch.int64
    assert (jtorch.tensor([1, 2], dtype=jtorch.int32) + jtorch.tensor(5)).dtype is jtorch.int32
    assert (jtorch.tensor([1.], dtype=jtorch.float16) + jtorch.tensor(5.,
            dtype=jtorch.float64)).dtype is jtorch.float16
