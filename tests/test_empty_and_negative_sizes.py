"""Empty inputs, negative repeat counts, 0-d dims and exact powers of two (found by the misuse
corpus and the fuzzer): the same calls on torch and jtorch give the same values, or the same
exception and message."""
import warnings

import pytest

import jtorch

torch = pytest.importorskip("torch")

CASES = {
    "repeat_negative": lambda T: T.ones(2, 3).repeat(-1, 2),
    "repeat_two_negative": lambda T: T.ones(2, 3).repeat(2, -3, -1),
    "repeat_negative_of_empty": lambda T: T.ones(0, 3).repeat(-1, 1),
    "tile_negative": lambda T: T.tile(T.ones(2, 3), (-1,)),
    "median_empty_dim": lambda T: T.median(T.ones(0, 2), 0),
    "median_dim_of_empty_rows": lambda T: T.median(T.ones(2, 0), 0),
    "mode_empty_dim": lambda T: T.mode(T.ones(0, 2), 0),
    "mode_empty": lambda T: T.ones(0).mode(),
    "view_as_complex_long": lambda T: T.view_as_complex(T.ones(2, 2, dtype=T.int64)),
    "argmax_0d_dim_out_of_range": lambda T: T.argmax(T.tensor(0), 1, True),
    "argmin_0d_negative_dim": lambda T: T.argmin(T.tensor(0.), -2),
    "argmax_0d_dim": lambda T: T.tensor(3.).argmax(-1, True),
    # 2**integer is exact in torch (XLA's exp2 is exp(x ln 2): 2**25 was 33554448)
    "exp2_of_integers": lambda T: T.exp2(T.tensor([25, 3, -3, 0])),
    "exp2_of_integral_floats": lambda T: T.exp2(T.tensor([25., 127., -126., 64.])),
}
DTYPES = ["int64", "int32", "uint8", "bool", "float16", "float32", "float64"]


def outcome(T, fn):
    try:
        r = fn(T)
    except Exception as e:          # noqa: BLE001 (the exception is the answer compared)
        return ("err", type(e).__name__, str(e).splitlines()[0])
    r = r if isinstance(r, tuple) else (r,)
    return [(str(t.dtype).split(".")[-1], tuple(t.shape), t.tolist()) for t in r]


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_result_or_error(name):
    assert outcome(jtorch, CASES[name]) == outcome(torch, CASES[name])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", ["median", "nanmedian"])
def test_median_of_an_empty_input_is_nan_in_its_dtype(fn, dtype):
    """torch fills NaN into the result: an integer gets x86's conversion of NaN, bool True."""
    def run(T):
        return getattr(T, fn)(T.ones(0, dtype=getattr(T, dtype)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # no NumPy cast warning reaches the user
        ours = run(jtorch)
    theirs = run(torch)
    assert str(ours.dtype) == str(theirs.dtype)
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
@pytest.mark.parametrize("shape", [(0,), (2, 0), (0, 3), (3,)])
@pytest.mark.parametrize("dtype", ["bool", "int64", "float32"])
@pytest.mark.parametrize("dim", [-1, 0, 3])
def test_softmax_of_an_empty_integral_input_runs_no_kernel(fn, shape, dtype, dim):
    """torch refuses integral inputs in its kernel, which an empty input never reaches."""
    def run(T):
        return getattr(T, fn)(T.zeros(shape, dtype=getattr(T, dtype)), dim)
    assert outcome(jtorch, run) == outcome(torch, run)
