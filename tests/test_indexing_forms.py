"""Every indexing form torch accepts, read (``x[key]``), written (``x[key] = v``) and
differentiated, compared with torch: values, dtype, shape, grad_fn, whether the result is a
view (and then its strides and offset), gradients, warnings, and the exception type and
message for keys torch rejects."""

import numpy as np
import pytest

import jtorch
from tests.helpers import assert_same, run_recording_warnings

torch = pytest.importorskip("torch")

# key builders: m is the module (torch or jtorch), so tensor keys are made by each library
READ_KEYS = {
    # basic: views
    "int": lambda m: 1,
    "neg_int": lambda m: -1,
    "int_tuple": lambda m: (1, -2),
    "slice": lambda m: slice(1, None),
    "bare_full_slice": lambda m: slice(None),
    "tuple_full_slices": lambda m: (slice(None), slice(0, 3)),
    "slice_int": lambda m: (slice(None), 0),
    "int_full_slice": lambda m: (0, slice(None)),
    "step_slice": lambda m: (slice(None), slice(None), slice(0, 4, 3)),
    "empty_slice": lambda m: (slice(5, 1),),
    "clamped_slice": lambda m: (slice(-100, 100),),
    "ellipsis": lambda m: Ellipsis,
    "empty_tuple": lambda m: (),
    "ellipsis_int": lambda m: (Ellipsis, 2),
    "none": lambda m: None,
    "none_ellipsis_none": lambda m: (None, Ellipsis, None),
    "int_none_slice": lambda m: (1, None, slice(1, 3)),
    "numpy_int": lambda m: np.int64(1),
    "numpy_ints": lambda m: (np.int64(1), np.int32(2)),
    "numpy_0d_array": lambda m: np.array(1),
    "tensor_0d": lambda m: m.tensor(1),
    "tensor_0d_neg": lambda m: (m.tensor(-1),),
    "tensor_0d_int8": lambda m: m.tensor(1, dtype=m.int8),
    "slice_of_tensors": lambda m: (slice(np.int64(0), m.tensor(2), np.int32(1)), 0),
    "list_of_0d_tensors": lambda m: [m.tensor(0), m.tensor(1)],
    "list_with_slice": lambda m: [slice(None), 0],
    # Python bools: a new dim of size 1 / 0 (an index, not a view)
    "true": lambda m: True,
    "false": lambda m: False,
    "true_int": lambda m: (True, 0),
    "none_true_ellipsis_false": lambda m: (None, True, Ellipsis, False),
    "slice_true_list": lambda m: (slice(None), True, slice(None), [0, 1]),
    "int_int_false": lambda m: (0, 0, False),
    "tensor_true": lambda m: m.tensor(True),
    "tensor_false": lambda m: m.tensor(False),
    "int_tensor_true": lambda m: (0, m.tensor(True)),
    "numpy_0d_bool": lambda m: np.array(True),
    # advanced: lists, ranges, tuples of lists, arrays, tensors
    "list": lambda m: [1, 0, 1],
    "neg_list": lambda m: [-1, -2],
    "empty_list": lambda m: [],
    "float_list": lambda m: [0.5],
    "list_true_int": lambda m: [True, 1],
    "bool_list": lambda m: [True, False],
    "range": lambda m: range(2),
    "range_list": lambda m: (range(2), [0, 2]),
    "tuple_of_lists": lambda m: ([0, 1], [1, 0]),
    "nested_list_as_tuple": lambda m: [[0, 1], [1, 2]],
    "nested_list_one": lambda m: [[0]],
    "long_list": lambda m: [0] * 40,
    "long_nested_list": lambda m: [[0, 1]] * 40,
    "list_in_tuple": lambda m: (0, (1, 2)),
    "tuple_in_tuple": lambda m: ((0, 1),),
    "split_advanced": lambda m: ([0, 1], slice(None), [0, 1]),
    "adjacent_advanced": lambda m: (slice(None), [0, 1], [1, 3]),
    "broadcast_advanced": lambda m: ([[0], [1]], [0, 1, 2]),
    "ellipsis_list": lambda m: (Ellipsis, [0, 3]),
    "list_none": lambda m: (slice(None), [0, 1], slice(None), None),
    "numpy_ints_array": lambda m: np.array([1, 0]),
    "numpy_bool_array": lambda m: np.array([True, False]),
    "numpy_float_array": lambda m: np.array([0.0, 1.0]),
    "numpy_2d_array": lambda m: np.array([[1]]),
    "numpy_ints_list": lambda m: [np.int64(1), np.int64(0)],
    "tensor_list_in_list": lambda m: [m.tensor([0, 1])],
    "long_tensor": lambda m: m.tensor([[1, 0], [0, 0]]),
    "int32_tensor": lambda m: m.tensor([1, 0], dtype=m.int32),
    "empty_long_tensor": lambda m: m.tensor([], dtype=m.long),
    "mask_full": lambda m: m.arange(24).reshape(2, 3, 4) % 5 == 0,
    "mask_partial": lambda m: (m.tensor([[True, False, True], [False, False, True]]),),
    "mask_middle": lambda m: (slice(None), m.tensor([False, True, True])),
    "mask_and_list": lambda m: (m.tensor([True, False]), slice(None), [0, 3]),
    "uint8_mask": lambda m: m.tensor([1, 0], dtype=m.uint8),
    "uint8_0d": lambda m: m.tensor(1, dtype=m.uint8),
    "uint8_numpy_mask": lambda m: np.array([1], dtype=np.uint8),
    "tensor_true_and_list": lambda m: (m.tensor(True), m.tensor([1])),
    "oob_into_empty": lambda m: (slice(None, 0), [7]),
    # rejected keys: torch's exception type and message
    "negative_step": lambda m: (slice(None, None, -1),),
    "bare_negative_step": lambda m: slice(None, None, -2),
    "zero_step": lambda m: slice(None, None, 0),
    "int_oob": lambda m: 5,
    "int_oob_second_dim": lambda m: (0, 5),
    "int_oob_after_none": lambda m: (None, 0, None, 7),
    "int_oob_after_ellipsis": lambda m: (Ellipsis, 9),
    "list_oob": lambda m: (0, [5]),
    "list_oob_negative": lambda m: (0, [-4]),
    "tensor_oob": lambda m: m.tensor([2]),
    "tensor_0d_oob": lambda m: m.tensor(-3),
    "int_overflow": lambda m: 2 ** 63,
    "float": lambda m: 1.5,
    "numpy_float": lambda m: (np.float32(1),),
    "numpy_bool": lambda m: np.bool_(True),
    "string": lambda m: "a",
    "string_in_tuple": lambda m: (0, "a"),
    "float_slice_bound": lambda m: (slice(0.5, 1),),
    "too_many": lambda m: (0, 0, 0, 0),
    "too_many_slices": lambda m: (slice(None), [[0, 1]], slice(None), [[0], [1]]),
    "negative_step_too_many": lambda m: (slice(None, None, -1),) * 4,
    "two_ellipses": lambda m: (Ellipsis, 0, Ellipsis),
    "mask_wrong_shape": lambda m: m.ones(3, dtype=m.bool),
    "mask_2d_wrong_shape": lambda m: m.tensor([[True, False]]),
    "bool_list_wrong_length": lambda m: [True, True, True],
    "float_tensor": lambda m: m.tensor([0.0]),
    "int8_tensor": lambda m: m.tensor([1, 0], dtype=m.int8),
    "unbroadcastable": lambda m: ([0, 1], [0, 1, 2]),
}

SETUP = {"plain": lambda m: m.arange(24.0, dtype=m.float64).reshape(2, 3, 4).clone(),
         "transposed": lambda m: m.arange(24.0, dtype=m.float64).reshape(4, 3, 2).permute(2, 1, 0)}


def _run(fn):
    """(result or exception, warning messages)."""
    out, caught = run_recording_warnings(fn)
    return out, [(w.category, str(w.message)) for w in caught]


def _read(m, source, name):
    leaf = SETUP[source](m).requires_grad_()
    x = leaf * 1 if source == "plain" else leaf.permute(2, 1, 0).permute(2, 1, 0)
    out, warned = _run(lambda: x[READ_KEYS[name](m)])
    if isinstance(out, Exception):
        return out, warned, None, leaf, x
    weights = m.arange(1.0, out.numel() + 1, dtype=m.float64).reshape(out.shape)
    (out * weights).sum().backward()
    base = x._base if x._base is not None else x
    return out, warned, out._base is base, leaf, x


def _same_exception(ej, et):
    assert (type(ej), str(ej)) == (type(et), str(et))


# a permuted (non-contiguous) source for the keys whose strides and offsets depend on it
_ON_TRANSPOSED = ["int", "int_tuple", "slice", "tuple_full_slices", "int_full_slice",
                  "step_slice", "empty_slice", "ellipsis_int", "none_ellipsis_none",
                  "int_none_slice", "tensor_0d", "true", "slice_true_list", "list",
                  "range_list", "split_advanced", "mask_partial", "mask_middle"]


@pytest.mark.parametrize("name,source", [(n, "plain") for n in READ_KEYS] +
                         [(n, "transposed") for n in _ON_TRANSPOSED])
def test_read_matches_torch(name, source):
    jt = _read(jtorch, source, name)
    tt = _read(torch, source, name)
    assert jt[1] == tt[1], (jt[1], tt[1])            # warnings
    if isinstance(tt[0], Exception) or isinstance(jt[0], Exception):
        _same_exception(jt[0], tt[0])
        return
    (oj, _, view_j, leaf_j, _), (ot, _, view_t, leaf_t, _) = jt, tt
    assert_same(oj, ot, rtol=0, atol=0)
    assert oj.grad_fn.name() == ot.grad_fn.name()
    assert view_j == view_t
    if view_t:
        assert (oj.stride(), oj.storage_offset()) == (ot.stride(), ot.storage_offset())
    assert_same(leaf_j.grad, leaf_t.grad, rtol=0, atol=0)


@pytest.mark.parametrize("dtype", ["int64", "bool", "float32"])
@pytest.mark.parametrize("name", ["list", "true", "mask_partial", "range_list", "slice_true_list",
                                  "numpy_ints_array", "tensor_0d"])
def test_read_other_dtypes(name, dtype):
    out = [(m.arange(24).reshape(2, 3, 4) % 3).to(getattr(m, dtype))[READ_KEYS[name](m)]
           for m in (jtorch, torch)]
    assert_same(out[0], out[1], rtol=0, atol=0)


def test_view_keys_share_storage():
    """A basic-indexing result is a view: writes go both ways; an advanced one is a copy."""
    for key in [(1, slice(1, 3)), (Ellipsis, 2), (None, 0), (slice(None), slice(0, 4, 3))]:
        out = []
        for m in (jtorch, torch):
            x = m.arange(24.0).reshape(2, 3, 4).clone()
            v = x[key]
            v.add_(100)
            x.mul_(2)
            out.append((x.clone(), v.clone()))
        assert_same(out[0][0], out[1][0], rtol=0, atol=0)
        assert_same(out[0][1], out[1][1], rtol=0, atol=0)
    for m in (jtorch, torch):
        x = m.arange(4.0)
        c = x[[0, 1]]
        c.add_(1)
        assert x.tolist() == [0.0, 1.0, 2.0, 3.0]


def test_nll_with_range_index_as_in_the_nn_tutorial():
    """``-input[range(target.shape[0]), target].mean()`` from "What is torch.nn really?"."""
    out = []
    for m in (jtorch, torch):
        m.manual_seed(0)
        logits = m.randn(5, 3, requires_grad=True)
        target = m.tensor([0, 2, 1, 1, 0])
        loss = -logits.log_softmax(-1)[range(target.shape[0]), target].mean()
        loss.backward()
        out.append((loss, logits.grad))
    assert_same(out[0][0], out[1][0])
    assert_same(out[0][1], out[1][1])


# ---------------------------------------------------------------------------- writes
WRITE_CASES = {
    # key name (from READ_KEYS) -> value: a Python number or a shape for a tensor value
    "int": 7.0, "int_tuple": (4,), "slice": (1, 1, 4), "tuple_full_slices": (3, 4),
    "bare_full_slice": (2, 3, 4), "ellipsis": 2.0, "empty_tuple": (4,), "none": (1, 1, 3, 4),
    "ellipsis_int": (2, 3), "step_slice": (2, 3, 1), "numpy_int": (1, 4), "tensor_0d": 3.0,
    "slice_of_tensors": (4,), "list_with_slice": (2, 4),
    "true": (3, 4), "false": (9,), "true_int": 5.0, "tensor_true": (2, 3, 4),
    "tensor_false": 1.0, "none_true_ellipsis_false": 1.0, "int_int_false": (4,),
    "list": None, "neg_list": (2, 3, 4), "empty_list": (4,), "bool_list": (1, 3, 4),
    "range": (1, 2, 3, 4), "range_list": (2, 4), "tuple_of_lists": 9.0,
    "nested_list_as_tuple": (4,), "split_advanced": (2, 3), "adjacent_advanced": (2,),
    "broadcast_advanced": (2, 3, 4), "ellipsis_list": (2, 3, 2), "numpy_bool_array": 4.0,
    "numpy_ints_array": (3, 4), "mask_full": (5,), "mask_full_scalar": 0.5,
    "mask_partial": (3, 4), "mask_middle": (1, 1, 4), "uint8_mask": (3, 4),
    "tensor_0d_int8": (4,), "oob_into_empty": (2, 0, 1), "uint8_0d": 3.0,
    "two_ellipses": (2, 3),
}
READ_KEYS["mask_full_scalar"] = READ_KEYS["mask_full"]


def _write(m, name, with_grad):
    leaf = SETUP["plain"](m).requires_grad_(with_grad)
    y = leaf.clone()
    spec = WRITE_CASES[name]
    if spec is None:
        spec = 2.5
    value = spec if not isinstance(spec, tuple) else \
        m.arange(100.0, 100.0 + int(np.prod(spec)), dtype=m.float64).reshape(spec) \
        .requires_grad_(with_grad)
    version = y._version
    out, warned = _run(lambda: y.__setitem__(READ_KEYS[name](m), value))
    if isinstance(out, Exception):
        return out, warned
    res = [y.detach().clone(), y._version - version, warned]
    if with_grad:
        res.append(y.grad_fn.name() if y.grad_fn is not None else None)
        weights = m.arange(1.0, y.numel() + 1, dtype=m.float64).reshape(y.shape)
        (y * weights).sum().backward()
        res += [leaf.grad, value.grad if isinstance(value, m.Tensor) else None]
    return res


@pytest.mark.parametrize("with_grad", [False, True])
@pytest.mark.parametrize("name", list(WRITE_CASES))
def test_write_matches_torch(name, with_grad):
    rj, rt = _write(jtorch, name, with_grad), _write(torch, name, with_grad)
    if isinstance(rt[0], Exception) or isinstance(rj[0], Exception):
        _same_exception(rj[0], rt[0])
        assert rj[1] == rt[1]
        return
    assert_same(rj[0], rt[0], rtol=0, atol=0)
    assert rj[1:3] == rt[1:3]                     # version bump, warnings
    if with_grad:
        assert rj[3] == rt[3]                     # grad_fn of the written tensor
        assert_same(rj[4], rt[4], rtol=0, atol=0)
        assert_same(rj[5], rt[5], rtol=0, atol=0)


WRITE_ERRORS = {
    "ndarray_value": lambda m: m.zeros(2, 3).__setitem__(0, np.ones(3)),
    "list_value": lambda m: m.zeros(2, 3).__setitem__(0, [1.0, 2.0, 3.0]),
    "str_value": lambda m: m.zeros(2, 3).__setitem__(0, "a"),
    "complex_into_float": lambda m: m.zeros(2, 3).__setitem__([0], 1 + 2j),
    "complex_into_long": lambda m: m.zeros(2, 3, dtype=m.long).__setitem__(0, 1 + 2j),
    "copy_shape_mismatch": lambda m: m.zeros(2, 3, 4).__setitem__(0, m.ones(3)),
    "copy_too_many_dims": lambda m: m.zeros(2, 3, 4).__setitem__(0, m.ones(2, 3, 4)),
    "true_shape_mismatch": lambda m: m.zeros(2, 3, 4).__setitem__(True, m.ones(7)),
    "index_put_shape_mismatch": lambda m: m.zeros(2, 3, 4).__setitem__([0, 1], m.ones(3)),
    "index_put_shape_mismatch_2": lambda m: m.zeros(2, 3, 4).__setitem__((0, [0, 1]),
                                                                         m.ones(5)),
    "index_put_too_many_dims": lambda m: m.zeros(2, 3, 4).__setitem__([0, 1],
                                                                      m.ones(2, 2, 3, 4)),
    "index_put_dtype": lambda m: m.zeros(2, 3).__setitem__([0], m.ones(3, dtype=m.float64)),
    "index_put_0d_dtype": lambda m: m.zeros(2, 3).__setitem__((0, [0]), m.tensor(1)),
    "mask_put_dtype": lambda m: m.zeros(2, 3).__setitem__(m.zeros(2, 3) == 0,
                                                          m.ones(6, dtype=m.float64)),
    "int_into_long_from_float_tensor": lambda m: m.zeros(3, dtype=m.long).__setitem__(
        [0], m.tensor([1.5])),
    "negative_step": lambda m: m.zeros(3).__setitem__(slice(None, None, -1), 1.0),
    "oob": lambda m: m.zeros(3).__setitem__([3], 1.0),
    "uint8_mask_fill": lambda m: m.zeros(3).__setitem__(m.tensor([1, 0, 1], dtype=m.uint8), 1.0),
    "uint8_mask_fill_tensor": lambda m: m.zeros(3).__setitem__(
        m.tensor([1, 0, 1], dtype=m.uint8), m.tensor([2.0])),
    "unbroadcastable_indices": lambda m: m.zeros(2, 3).__setitem__(([0, 1], [0, 1, 2]), 1.0),
    "partial_overlap": lambda m: (lambda x: x.__setitem__(slice(1, None), x[:-1]))(
        m.arange(5.0)),
}


@pytest.mark.parametrize("name", list(WRITE_ERRORS))
def test_write_errors_match_torch(name):
    ej, wj = _run(lambda: WRITE_ERRORS[name](jtorch))
    et, wt = _run(lambda: WRITE_ERRORS[name](torch))
    assert isinstance(et, Exception)
    _same_exception(ej, et)


def test_write_casts_like_torch():
    """Numbers and masked single values are cast to the destination dtype; copy_ casts."""
    out = []
    for m in (jtorch, torch):
        i = m.arange(6).reshape(2, 3).clone()
        i[0] = 2.7
        i[1] = m.tensor([1.5, -2.5, 3.9])
        f = m.zeros(2, 3)
        f[f == 0] = m.tensor(1.5, dtype=m.float64)
        f[(0, [1])] = True
        f[1] = 1 + 0j
        out.append((i, f))
    for a, b in zip(out[0], out[1]):
        assert_same(a, b, rtol=0, atol=0)


def test_writes_from_aliases():
    """Writing a tensor's own (fully overlapping or copied) values back, as torch allows."""
    out = []
    for m in (jtorch, torch):
        x = m.arange(6.0).view(2, 3)
        x[:, [0, 2]] = x[:, [2, 0]]
        x[0] = x[0]
        x[1][1:] = x[0, 1:].clone()
        x[0][1] = 5
        out.append(x)
    assert_same(out[0], out[1], rtol=0, atol=0)


def test_0dim_tensor_keys():
    for key in [(), Ellipsis, None, (None,), True, False, (Ellipsis, None), [True], [],
                (slice(None),)]:
        res = []
        for m in (jtorch, torch):
            x = m.tensor(5.0, requires_grad=True) * 1
            out, _ = _run(lambda: x[key])
            res.append(out)
        if isinstance(res[1], Exception):
            _same_exception(res[0], res[1])
        else:
            assert_same(res[0], res[1], rtol=0, atol=0)
            assert res[0].grad_fn.name() == res[1].grad_fn.name()
