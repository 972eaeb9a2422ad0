"""Collation: turning a list of samples into a batch (torch.utils.data._utils.collate).

The rules are torch's (tensors are stacked, NumPy arrays and Python numbers become tensors,
mappings / named tuples / sequences are collated field by field, strings pass through). The
difference is how tensors are stacked: a batch of tensor samples becomes ONE device operation.
Samples that are views into the same storage with the same layout (``x[i]`` of a dataset
tensor, the common case) are gathered straight from that storage by their offsets, and all
the tensor fields of a sample (``x[i], y[i]``) in one jitted call; other samples are stacked
by one cached jitted call. Calling ``torch.stack`` per batch would record a jax op per sample
read, which costs more than the rest of a small training step.
"""
from __future__ import annotations

import collections
import copy
import functools
import re

import jax
import jax.numpy as jnp
import numpy as np

import jtorch
from jtorch import _view_access
from jtorch._internal import from_raw, layout, raw

np_str_obj_array_pattern = re.compile(r"[SaUO]")

default_collate_err_msg_format = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
    "found {}")


# ------------------------------------------------------------------ fast tensor stacking
# A plan says how one column of samples (the tensors that one torch.stack would join) is
# stacked without jtorch.stack: ("gather", storage array, (shape, stride), offsets, dtype,
# device) or ("stack", sample values, dtype, device). Planning has no effects, so the
# columns of a batch (``x[i], y[i]``) are planned first and all their gathers run as ONE
# jitted call.
_GATHER, _STACK = "gather", "stack"


@jax.jit
def _stack_values(values):
    return jnp.stack(values)


@functools.lru_cache(maxsize=512)
def _gather_fn(fields):
    """A jitted gather of several columns at once. ``fields`` holds, per column, its block
    layout ``(shape, stride)`` and the slot of its offsets among the offset arrays passed
    (columns indexed by the same sample positions share one array)."""
    blocks = [(_view_access._flat_indices(*layout, 0), slot) for layout, slot in fields]

    @jax.jit
    def gather(storages, offsets):
        out = []
        for storage, (pattern, slot) in zip(storages, blocks):
            idx = offsets[slot].reshape((-1,) + (1,) * pattern.ndim) + pattern
            out.append(storage.reshape(-1)[idx])
        return tuple(out)
    return gather


def _plan(batch):
    """The plan for ``torch.stack(batch, 0)``, or None where jtorch.stack must run: a
    gradient to record (StackBackward0), samples of mixed shape, dtype or device (its
    promotion or error is torch's), or non-tensors (its error)."""
    try:
        layouts = [layout(t) for t in batch]    # (one loop: runs for every batch)
    except AttributeError:
        return None
    st, view, dtype, shape, _ = layouts[0]
    if view is not None:
        vshape, stride = view[0], view[1]
        offsets = []
        append = offsets.append
        for t_st, v, t_dtype, _, t_grad in layouts:
            # one storage implies one device; one view shape implies one tensor shape
            if t_st is not st or v is None or t_grad or t_dtype is not dtype or \
                    v[0] != vshape or v[1] != stride:
                break
            append(v[2])
        else:
            return (_GATHER, st.array, (tuple(vshape), tuple(stride)), offsets, dtype,
                    st.device)
    device = st.device
    for t_st, _, t_dtype, t_shape, t_grad in layouts:
        if t_grad or t_shape != shape or t_dtype is not dtype or t_st.device is not device:
            return None
    # the values as of now (as is the gather plan's storage array): a plan may run after
    # later columns were collated
    return (_STACK, tuple(raw(t) for t in batch), dtype, device)


def _execute(plans):
    """The stacked arrays of the plans (None entries stay None): all gathers in one call."""
    fields, storages, offsets, lists = [], [], [], []
    for p in plans:
        if p is not None and p[0] is _GATHER:
            offs = p[3]
            for slot, seen in enumerate(lists):
                if seen == offs:
                    break
            else:
                slot = len(lists)
                lists.append(offs)
                offsets.append(np.array(offs, dtype=np.int64))
            fields.append((p[2], slot))
            storages.append(p[1])
    gathered = iter(_gather_fn(tuple(fields))(tuple(storages), tuple(offsets))) if fields \
        else None
    out = []
    for p in plans:
        if p is None:
            out.append(None)
        elif p[0] is _GATHER:
            out.append(next(gathered))
        else:
            out.append(_stack_values(p[1]))
    return out


def _finish(plan, array, batch):
    """The batch tensor of an executed plan (jtorch.stack where no plan applied)."""
    if plan is not None:
        res = from_raw(array, plan[-1])
        if res.dtype is plan[-2]:
            return res
    return jtorch.stack(list(batch), 0)


def _collate_columns(columns, collate_fn_map):
    """``[collate(c) for c in columns]`` (``columns`` may be produced lazily), with every
    tensor column that has a plan gathered or stacked at the end, all gathers in one device
    call. A plan has no effects and holds its column's arrays as of its turn; every other
    column (jtorch.stack fallbacks included) is collated in its turn, so values and errors
    are those of collating column by column."""
    out, pending = [], []
    tensor_fn = collate_tensor_fn if collate_fn_map is not None else None
    for c in columns:
        # exact type only: a Tensor subclass resolves through collate()'s isinstance walk
        if tensor_fn is not None and collate_fn_map.get(type(c[0])) is tensor_fn and \
                not getattr(c[0], "is_sparse", False):
            p = _plan(c)
            if p is not None:
                pending.append((len(out), p, c))
                out.append(None)
                continue
        out.append(collate(c, collate_fn_map=collate_fn_map))
    if pending:
        arrays = _execute([p for _, p, _ in pending])
        for (i, p, c), a in zip(pending, arrays):
            out[i] = _finish(p, a, c)
    return out


# ------------------------------------------------------------------ per-type collate functions
def collate_tensor_fn(batch, *, collate_fn_map=None):
    if getattr(batch[0], "is_sparse", False):
        raise RuntimeError("Batches of sparse tensors are not currently supported by the default "
                           "collate_fn; please provide a custom collate_fn to handle them "
                           "appropriately.")
    plan = _plan(batch)
    return _finish(plan, _execute([plan])[0], batch)


def collate_numpy_array_fn(batch, *, collate_fn_map=None):
    elem = batch[0]
    if np_str_obj_array_pattern.search(elem.dtype.str) is not None:
        raise TypeError(default_collate_err_msg_format.format(elem.dtype))
    if all(b.shape == elem.shape and b.dtype == elem.dtype for b in batch):
        return jtorch.as_tensor(np.stack(batch))  # one host stack, one transfer
    return collate([jtorch.as_tensor(b) for b in batch], collate_fn_map=collate_fn_map)


def collate_numpy_scalar_fn(batch, *, collate_fn_map=None):
    return jtorch.as_tensor(batch)


def collate_float_fn(batch, *, collate_fn_map=None):
    return jtorch.tensor(batch, dtype=jtorch.float64)


def collate_int_fn(batch, *, collate_fn_map=None):
    return jtorch.tensor(batch)


def collate_str_fn(batch, *, collate_fn_map=None):
    return batch


default_collate_fn_map = {jtorch.Tensor: collate_tensor_fn,
                          np.ndarray: collate_numpy_array_fn,
                          (np.bool_, np.number, np.object_): collate_numpy_scalar_fn,
                          float: collate_float_fn,
                          int: collate_int_fn,
                          str: collate_str_fn,
                          bytes: collate_str_fn}


# ------------------------------------------------------------------ the recursion
def collate(batch, *, collate_fn_map=None):
    """Collate ``batch`` by the type of its first element: ``collate_fn_map`` (exact type,
    then ``isinstance`` in insertion order), then mappings, named tuples and sequences
    field by field."""
    elem = batch[0]
    elem_type = type(elem)
    if collate_fn_map is not None:
        if elem_type in collate_fn_map:
            return collate_fn_map[elem_type](batch, collate_fn_map=collate_fn_map)
        for collate_type in collate_fn_map:
            if isinstance(elem, collate_type):
                return collate_fn_map[collate_type](batch, collate_fn_map=collate_fn_map)
    if isinstance(elem, collections.abc.Mapping):
        keys = list(elem)
        fields = dict(zip(keys, _collate_columns(([d[key] for d in batch] for key in keys),
                                                 collate_fn_map)))
        try:
            if isinstance(elem, collections.abc.MutableMapping):
                # a shallow copy keeps the mapping's type and its other attributes
                clone = copy.copy(elem)
                clone.update(fields)
                return clone
            return elem_type(fields)
        except TypeError:
            return fields  # the mapping type cannot be rebuilt: a plain dict
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return elem_type(*_collate_columns(list(zip(*batch)), collate_fn_map))
    if isinstance(elem, collections.abc.Sequence):
        elem_size = len(elem)
        # the common case checked in C; anything else takes torch's loop, which stops at
        # the first sample of another size (before one without a len)
        try:
            sizes = set(map(len, batch))
        except TypeError:
            sizes = None
        if sizes != {elem_size}:
            it = iter(batch)
            next(it)
            if not all(len(e) == elem_size for e in it):
                raise RuntimeError("each element in list of batch should be of equal size")
        transposed = list(zip(*batch))
        if isinstance(elem, tuple):
            # tuples become lists, as in torch
            return _collate_columns(transposed, collate_fn_map)
        try:
            if isinstance(elem, collections.abc.MutableSequence):
                clone = copy.copy(elem)
                for i, value in enumerate(_collate_columns(transposed, collate_fn_map)):
                    clone[i] = value
                return clone
            return elem_type(_collate_columns(transposed, collate_fn_map))
        except TypeError:
            return [collate(samples, collate_fn_map=collate_fn_map) for samples in transposed]
    raise TypeError(default_collate_err_msg_format.format(elem_type))


def default_collate(batch):
    """Stack a list of samples into a batch with a leading batch dimension: tensors, NumPy
    arrays and numbers become tensors; dicts, named tuples and sequences are collated per
    field; strings and bytes are returned as lists.

    >>> default_collate([(0, 1.5), (1, 2.5)])
    [tensor([0, 1]), tensor([1.5000, 2.5000], dtype=torch.float64)]
    """
    return collate(batch, collate_fn_map=default_collate_fn_map)


def default_convert(data):
    """Convert NumPy arrays (also inside mappings, named tuples and sequences) to tensors,
    leaving everything else as is: the ``collate_fn`` used when batching is off."""
    elem_type = type(data)
    if isinstance(data, jtorch.Tensor):
        return data
    if elem_type.__module__ == "numpy" and elem_type.__name__ not in ("str_", "string_"):
        if elem_type.__name__ == "ndarray" and \
                np_str_obj_array_pattern.search(data.dtype.str) is not None:
            return data
        return jtorch.as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        try:
            if isinstance(data, collections.abc.MutableMapping):
                clone = copy.copy(data)
                clone.update({key: default_convert(data[key]) for key in data})
                return clone
            return elem_type({key: default_convert(data[key]) for key in data})
        except TypeError:
            return {key: default_convert(data[key]) for key in data}
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return elem_type(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        try:
            if isinstance(data, collections.abc.MutableSequence):
                clone = copy.copy(data)
                for i, d in enumerate(data):
                    clone[i] = default_convert(d)
                return clone
            return elem_type([default_convert(d) for d in data])
        except TypeError:
            return [default_convert(d) for d in data]
    return data
