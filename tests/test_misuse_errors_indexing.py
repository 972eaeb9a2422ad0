"""Misuse of the index-driven ops (gather/scatter, index_*, masked_*, take, put,
index_reduce, searchsorted, bincount, histc) raises torch's exception type with torch's
message, in torch's order of checks, and where torch accepts an odd argument jtorch gives
torch's result (issue 27). The same code runs on torch and on jtorch."""
import warnings

import numpy as np
import pytest

import jtorch
from compat_tests.misuse import key_phrase
from tests.fuzz.interpret import compare

torch = pytest.importorskip("torch")


def _long(m, *v):
    return m.tensor(list(v), dtype=m.int64)


# type and first line of the message must be torch's
ERRORS = {
    # scatter family: torch's one size message naming self and src; its order of checks
    "scatter_src_size": lambda m: m.scatter(m.zeros(3, 4), 0, m.zeros(2, 6, dtype=m.int64),
                                            m.zeros(2, 6)),
    "scatter_src_smaller": lambda m: m.scatter(m.zeros(3, 4), 0,
                                               m.zeros(2, 4, dtype=m.int64), m.zeros(1, 4)),
    "scatter_value_size": lambda m: m.scatter(m.zeros(3, 4), 0,
                                              m.zeros(2, 6, dtype=m.int64), 1.0),
    "scatter_add_inplace_size": lambda m: m.zeros(3, 4).scatter_add_(
        1, m.zeros(3, 7, dtype=m.int64), m.zeros(3, 5)),
    "scatter_reduce_size": lambda m: m.scatter_reduce(
        m.zeros(3, 4), 0, m.zeros(4, 6, dtype=m.int64), m.zeros(4, 4), "sum"),
    "scatter_dtype_before_size": lambda m: m.scatter(
        m.zeros(3, 4), 0, m.zeros(2, 6, dtype=m.int64), m.zeros(2, 4, dtype=m.float64)),
    "scatter_dim_before_index_dtype": lambda m: m.scatter(m.zeros(3, 4), 5, m.zeros(2, 4),
                                                          m.zeros(2, 4)),
    "scatter_reduce_arg_after_size": lambda m: m.scatter_reduce(
        m.zeros(3, 4), 0, m.zeros(4, 6, dtype=m.int64), m.zeros(4, 4), "median"),
    "scatter_reduce_arg_before_bounds": lambda m: m.scatter_reduce(
        m.zeros(3, 4), 0, m.full((2, 4), 9, dtype=m.int64), m.zeros(2, 4), "median"),
    "scatter_legacy_reduce_arg": lambda m: m.scatter(
        m.zeros(3, 4), 0, m.full((2, 4), 9, dtype=m.int64), 1.0, reduce="max"),
    "scatter_src_0d": lambda m: m.scatter(m.zeros(3, 4), 0, m.zeros(2, 4, dtype=m.int64),
                                          m.tensor(1.0)),
    "scatter_src_fewer_dims": lambda m: m.scatter(m.zeros(3, 4), 0,
                                                  m.zeros(2, 4, dtype=m.int64), m.zeros(5)),
    "scatter_0d_index_2d_self": lambda m: m.scatter(m.zeros(3, 4), 0,
                                                    m.tensor(0), m.zeros(2, 4)),
    "gather_0d_index_2d_input": lambda m: m.gather(m.zeros(3, 4), 0, m.tensor(0)),
    # index_add: torch's scatter_add path (2-D+, first or last dim, int64, alpha 1) names
    # the index; its general kernel does not
    "index_add_oob_scatter_path": lambda m: m.index_add(m.zeros(3, 4), 0, _long(m, 9),
                                                        m.ones(1, 4)),
    "index_add_oob_last_dim": lambda m: m.zeros(2, 3, 4).index_add_(2, _long(m, -1),
                                                                    m.ones(2, 3, 1)),
    "index_add_oob_alpha": lambda m: m.index_add(m.zeros(3, 4), 0, _long(m, 9),
                                                 m.ones(1, 4), alpha=2),
    "index_add_oob_middle_dim": lambda m: m.zeros(2, 3, 4).index_add(1, _long(m, 9),
                                                                     m.ones(2, 1, 4)),
    "index_add_oob_int32": lambda m: m.zeros(3, 4).index_add(
        0, m.tensor([9], dtype=m.int32), m.ones(1, 4)),
    "index_add_oob_1d": lambda m: m.zeros(3).index_add(0, _long(m, 3), m.ones(1)),
    "index_add_0d_source": lambda m: m.zeros(3, 4).index_add(0, _long(m, 0, 1),
                                                             m.tensor(1.0)),
    "index_add_dim_past_source": lambda m: m.zeros(3, 4).index_add(1, _long(m, 0, 1),
                                                                   m.tensor(1.0)),
    "index_add_2d_index": lambda m: m.zeros(3, 4).index_add(0, m.zeros(1, 1, dtype=m.int64),
                                                            m.ones(1, 4)),
    "index_add_alpha_str": lambda m: m.index_add(m.zeros(3, 4), 0, _long(m, 0),
                                                 m.ones(1, 4), alpha="a"),
    # index_copy
    "index_copy_oob": lambda m: m.index_copy(m.zeros(3, 4), 0, _long(m, 99), m.ones(1, 4)),
    "index_copy_oob_inplace": lambda m: m.zeros(3, 4).index_copy_(1, _long(m, -1),
                                                                  m.ones(3, 1)),
    "index_copy_scalar_source": lambda m: m.zeros(3, 4).index_copy(0, _long(m, 0, 1),
                                                                   m.tensor(1.0)),
    "index_copy_0d_self": lambda m: m.tensor(0.0).index_copy(0, _long(m, 0, 1),
                                                             m.ones(2, 4)),
    "index_copy_rank_before_dtype": lambda m: m.zeros(3, 4).index_copy(
        0, m.tensor([0.0]), m.ones(2, 4, 1)),
    "index_copy_dtype_before_shape": lambda m: m.zeros(3, 4).index_copy(
        0, _long(m, 0), m.ones(1, 5, dtype=m.float64)),
    "index_copy_empty_dim": lambda m: m.zeros(0, 4).index_copy(0, _long(m, 0), m.ones(1, 4)),
    # index_fill (the fuzz campaign's class inplace:index_fill_ is the empty-dim case)
    "index_fill_oob": lambda m: m.index_fill(m.zeros(3, 4), 1, _long(m, 99), 1.0),
    "index_fill_neg_oob": lambda m: m.zeros(3, 4).index_fill_(0, _long(m, -4), 1.0),
    "index_fill_empty_bool": lambda m: m.zeros(0, dtype=m.bool).index_fill_(
        0, _long(m, 0), -1),
    "index_fill_empty_rows": lambda m: m.zeros(0, 3).index_fill(0, _long(m, 0), 1.0),
    "index_fill_2d_index": lambda m: m.zeros(3, 4).index_fill(0, m.zeros(1, 2, dtype=m.int64),
                                                              1.0),
    "index_fill_value_before_dtype": lambda m: m.zeros(3, 4).index_fill(
        0, m.tensor([0.0]), m.ones(2)),
    "index_fill_complex": lambda m: m.zeros(3, 4).index_fill(0, _long(m, 0), 1j),
    # index_select: the dim-1 kernel and the empty-input check word it differently
    "index_select_dim1_oob": lambda m: m.zeros(3, 4).index_select(1, _long(m, 9)),
    "index_select_dim0_oob": lambda m: m.zeros(3, 4).index_select(0, _long(m, 9)),
    "index_select_empty_axis": lambda m: m.zeros(0, 4).index_select(0, _long(m, 0)),
    "index_select_empty_input": lambda m: m.zeros(3, 0).index_select(0, _long(m, 9)),
    "index_select_dim_first": lambda m: m.zeros(3, 4).index_select(5, m.tensor([0.0])),
    "index_select_0d_count_first": lambda m: m.tensor(1.0).index_select(0, m.tensor([0., 1.])),
    # index_reduce: include_self=False fills first (index_fill's bounds, negatives allowed)
    "index_reduce_noself_oob": lambda m: m.zeros(3, 4).index_reduce(
        0, _long(m, 99), m.ones(1, 4), "amax", include_self=False),
    "index_reduce_noself_neg": lambda m: m.zeros(3, 4).index_reduce_(
        0, _long(m, -1), m.ones(1, 4), "mean", include_self=False),
    "index_reduce_self_oob": lambda m: m.zeros(3, 4).index_reduce(0, _long(m, 99),
                                                                  m.ones(1, 4), "prod"),
    "index_reduce_empty_rows": lambda m: m.zeros(0, 4).index_reduce(0, _long(m, 0),
                                                                    m.ones(1, 4), "prod"),
    "index_reduce_noself_empty_rows": lambda m: m.zeros(0, 4).index_reduce(
        0, _long(m, 0), m.ones(1, 4), "prod", include_self=False),
    # put, take, take_along_dim
    "put_empty": lambda m: m.zeros(0, 4).put(_long(m, 1), m.ones(1)),
    "take_empty": lambda m: m.take(m.zeros(0), _long(m, 0)),
    "take_along_dim_flat_float": lambda m: m.take_along_dim(m.zeros(3, 4), m.zeros(2)),
    "take_along_dim_flat_oob": lambda m: m.take_along_dim(m.zeros(3, 4), _long(m, 99)),
    "take_along_dim_flat_neg": lambda m: m.take_along_dim(m.zeros(3, 4), _long(m, -1)),
    "take_along_dim_rank_first": lambda m: m.take_along_dim(m.zeros(3, 4),
                                                            m.zeros(3, 1, 1), 1),
    "take_along_dim_int32": lambda m: m.take_along_dim(m.zeros(3, 4),
                                                       m.zeros(3, 1, dtype=m.int32), 1),
    "take_along_dim_0d": lambda m: m.take_along_dim(m.tensor(5.0), m.tensor(0), 0),
    "take_along_dim_empty_dim": lambda m: m.take_along_dim(
        m.zeros(3, 0), m.zeros(3, 1, dtype=m.int64), 1),
    # masked_*: out-of-place broadcasts mask first; in-place names self first
    "masked_fill_shape_first": lambda m: m.zeros(3, 4).masked_fill(m.zeros(3, 6), 1.0),
    "masked_fill_inplace_self_first": lambda m: m.zeros(3, 4).masked_fill_(
        m.zeros(3, 6, dtype=m.bool), 1.0),
    "masked_fill_inplace_dtype_first": lambda m: m.zeros(3, 4).masked_fill_(m.zeros(3, 6),
                                                                            1.0),
    "masked_fill_inplace_value_first": lambda m: m.zeros(3, 4).masked_fill_(m.zeros(3, 4),
                                                                            m.ones(2)),
    "masked_fill_inplace_expanded_view": lambda m: m.zeros(3).expand(2, 3).masked_fill_(
        m.zeros(3, 1) > 0, 0),
    "masked_fill_half_mask": lambda m: m.zeros(3).masked_fill(m.zeros(3, dtype=m.float16), 1),
    "masked_fill_complex_value": lambda m: m.zeros(3).masked_fill(m.ones(3, dtype=m.bool), 1j),
    "masked_fill_complex_int": lambda m: m.zeros(3, dtype=m.int64).masked_fill(
        m.ones(3, dtype=m.bool), 1j),
    "masked_fill_inplace_complex_late": lambda m: m.zeros(4).masked_fill_(
        m.ones(3, 4, dtype=m.bool), 1j),
    "masked_scatter_shape_first": lambda m: m.zeros(3, 4).masked_scatter(
        m.zeros(3, 6, dtype=m.bool), m.zeros(20, dtype=m.float64)),
    "masked_scatter_mask_dtype": lambda m: m.zeros(3, 4).masked_scatter(
        m.zeros(3, 4, dtype=m.int64), m.zeros(12)),
    "masked_scatter_source_dtype_first": lambda m: m.zeros(3, 4).masked_scatter(
        m.zeros(3, 4), m.zeros(12, dtype=m.float64)),
    "masked_scatter_inplace_expand": lambda m: m.zeros(3, 4).masked_scatter_(
        m.zeros(3, 6, dtype=m.bool), m.zeros(20)),
    "masked_scatter_inplace_fewer_dims": lambda m: m.zeros(4).masked_scatter_(
        m.zeros(3, 4, dtype=m.bool), m.zeros(20)),
    "masked_scatter_inplace_fewer_dims_float": lambda m: m.zeros(4).masked_scatter_(
        m.zeros(3, 4), m.zeros(20)),
    "masked_select_shape": lambda m: m.zeros(3, 4).masked_select(m.zeros(3, 6, dtype=m.bool)),
    # searchsorted, bincount, histc
    "searchsorted_sorter_size": lambda m: m.searchsorted(m.arange(5.0), m.ones(2),
                                                         sorter=m.zeros(3)),
    "searchsorted_sorter_dtype": lambda m: m.searchsorted(m.arange(5.0), m.ones(2),
                                                          sorter=m.zeros(5)),
    "searchsorted_sorter_range": lambda m: m.searchsorted(m.arange(5.0), m.ones(2),
                                                          sorter=_long(m, 0, 1, 2, 3, 99)),
    "searchsorted_scalar_nd": lambda m: m.searchsorted(m.zeros(2, 3), 2.5),
    "searchsorted_0d_boundaries": lambda m: m.searchsorted(m.tensor(1.0), m.ones(2)),
    "bincount_minlength_str": lambda m: m.bincount(_long(m, 1), minlength="a"),
    "histc_bins": lambda m: m.histc(m.ones(2), bins=0),
    "histc_bins_str": lambda m: m.histc(m.ones(2), bins="a"),
    "histc_min_str": lambda m: m.histc(m.ones(2), min="a"),
}

# a str where a tensor belongs: torch's TypeError; its argument parser words the message in
# several ways (see compat_tests.misuse.key_phrase), the rejected type must agree
TYPE_ERRORS = {
    "index_reduce_index": lambda m: m.zeros(3, 4).index_reduce(0, "abc", m.ones(1, 4), "prod"),
    "index_reduce_source": lambda m: m.zeros(3, 4).index_reduce(0, _long(m, 0), "abc", "amax"),
    "index_reduce__index": lambda m: m.zeros(3, 4).index_reduce_(0, "abc", m.ones(1, 4),
                                                                 "mean"),
    "put_index": lambda m: m.zeros(3).put("abc", m.ones(1)),
    "put_source": lambda m: m.zeros(3).put(_long(m, 0), "abc"),
    "put__index": lambda m: m.zeros(3).put_("abc", m.ones(1), accumulate=True),
    "scatter__index": lambda m: m.zeros(3, 4).scatter_(0, "abc", m.ones(2, 4)),
    "scatter_reduce__index": lambda m: m.zeros(3, 4).scatter_reduce_(0, "abc", m.ones(2, 4),
                                                                     "amax"),
    "scatter_reduce__src": lambda m: m.zeros(3, 4).scatter_reduce_(
        0, m.zeros(2, 4, dtype=m.int64), "abc", "amax"),
    "index_fill__index": lambda m: m.zeros(3, 4).index_fill_(0, "abc", 1.0),
    "index_fill__value": lambda m: m.zeros(3, 4).index_fill_(0, _long(m, 0), "abc"),
    "masked_fill__mask": lambda m: m.zeros(3).masked_fill_("abc", 1.0),
    "masked_scatter__source": lambda m: m.zeros(3).masked_scatter_(m.ones(3, dtype=m.bool),
                                                                   "abc"),
    "searchsorted_input": lambda m: m.searchsorted(m.arange(3.0), "abc"),
    "bucketize_input": lambda m: m.bucketize("abc", m.arange(3.0)),
}

# torch accepts these (an empty index reads no shapes; take_along_dim wraps its indices)
ACCEPTED = {
    "gather_empty_index_any_rank": lambda m: m.gather(m.ones(3, 4), 0,
                                                      m.zeros(0, 4, 1, dtype=m.int64)),
    "gather_empty_index_wider": lambda m: m.gather(m.ones(3, 4), 0,
                                                   m.zeros(0, 6, dtype=m.int64)),
    "gather_1d_input_0d_index": lambda m: m.gather(m.arange(3.0), 0, m.tensor(2)),
    "scatter_empty_index_any_rank": lambda m: m.scatter(m.ones(3, 4), 0,
                                                        m.zeros(0, 4, 1, dtype=m.int64),
                                                        m.ones(2, 4, 1)),
    "scatter_empty_float_index": lambda m: m.scatter_add(m.ones(3, 4), 0, m.zeros(0, 4),
                                                         m.ones(2, 4)),
    "scatter_reduce_empty_index": lambda m: m.scatter_reduce(
        m.ones(3, 4), 0, m.zeros(0, 6, dtype=m.int64), m.ones(2, 4), "prod"),
    "index_add_empty_input": lambda m: m.zeros(0, 4).index_add(0, _long(m, 9), m.ones(1, 4)),
    "index_fill_empty_columns": lambda m: m.zeros(3, 0).index_fill(0, _long(m, 99), 1.0),
    "index_copy_empty_columns": lambda m: m.zeros(3, 0).index_copy(0, _long(m, 9),
                                                                   m.ones(1, 0)),
    "take_along_dim_wraps": lambda m: m.take_along_dim(m.arange(12.0).reshape(3, 4),
                                                       _long(m, 5, 6, 7).reshape(3, 1), 1),
    "take_along_dim_wraps_negative": lambda m: m.take_along_dim(
        m.arange(12.0).reshape(3, 4), _long(m, -9, 99, -1, 4).reshape(1, 4), 0),
    "take_along_dim_flat_empty_float": lambda m: m.take_along_dim(m.ones(3, 4), m.zeros(0)),
    "masked_fill_bool_complex": lambda m: m.zeros(3, dtype=m.bool).masked_fill(
        m.ones(3, dtype=m.bool), 1j),
}


def _outcome(m, fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            res = fn(m)
        except Exception as e:  # noqa: BLE001 - compared with torch's
            return type(e).__name__, str(e).split("\n")[0]
    return "ok", res


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_error_is_torchs(name):
    want = _outcome(torch, ERRORS[name])
    assert want[0] != "ok", "torch accepted the case"
    assert _outcome(jtorch, ERRORS[name]) == want


@pytest.mark.parametrize("name", sorted(TYPE_ERRORS))
def test_wrong_argument_type_is_torchs_type_error(name):
    with pytest.raises(TypeError) as want:
        TYPE_ERRORS[name](torch)
    with pytest.raises(TypeError) as got:
        TYPE_ERRORS[name](jtorch)
    assert key_phrase(got.value) == key_phrase(want.value) == "argument of type str rejected"


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_accepted_as_torch_accepts(name):
    want = _outcome(torch, ACCEPTED[name])
    got = _outcome(jtorch, ACCEPTED[name])
    assert want[0] == "ok" and got[0] == "ok", (got, want)
    assert str(got[1].dtype) == str(want[1].dtype)
    np.testing.assert_array_equal(got[1].numpy(), want[1].numpy())


inf = float("inf")

# the fuzz campaigns' shrunk programs of the classes inplace:index_fill_ and
# inplace:masked_fill_ (index_fill_ over an empty dim; masked_fill_ naming self first), and
# two later ones (the leaf check comes before the op's own checks)
FUZZ_PROGRAMS = {
    "index_fill_empty_dim": [
        ('new', (0,), 'bool', (), False), ('new', (3,), 'float32', (123.456, inf, -0.0), True),
        ('inplace', 'index_fill_', 0, 1)],
    "masked_fill_expanded_view": [
        ('new', (1, 3), 'float32', (-inf, 1e-05, 123.456), False),
        ('new', (3, 1), 'float32', (0.0, 1.0, inf), False), ('reduce', 'amax', 1, 1, True),
        ('view', 'getitem_mask', 0), ('view', 'select0', 0), ('view', 'expand', 4),
        ('inplace', 'masked_fill_', 5, 2)],
    "index_fill_leaf_first": [
        ('new', (1,), 'bool', (False,), False), ('new', (0,), 'float32', (), True),
        ('inplace', 'index_fill_', 1, 0)],
    "masked_fill_leaf_first": [
        ('new', (1, 3), 'int64', (1, 1, 1), False),
        ('new', (2, 3, 4), 'float64', tuple(range(24)), True),
        ('inplace', 'masked_fill_', 1, 0)],
}


@pytest.mark.parametrize("name", sorted(FUZZ_PROGRAMS))
def test_fuzz_program_agrees(name):
    assert compare(FUZZ_PROGRAMS[name]) is None


def test_scatter_reduce_warning_once_at_the_callers_line():
    """torch warns once per process about scatter's legacy reduce with a tensor src."""
    from jtorch._ops import gather_scatter
    gather_scatter._REDUCE_WARNED.clear()
    x, i = jtorch.zeros(3, 4), jtorch.zeros(2, 4, dtype=jtorch.int64)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        jtorch.scatter(x, 0, i, x[:2], reduce="add")
        jtorch.scatter(x, 0, i, x[:2], reduce="add")
    assert len(seen) == 1 and seen[0].filename == __file__
