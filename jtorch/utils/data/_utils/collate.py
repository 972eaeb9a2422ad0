"""Collation: turning a list of samples into a batch (torch.utils.data._utils.collate).

The rules are torch's (tensors are stacked, NumPy arrays and Python numbers become tensors,
mappings / named tuples / sequences are collated field by field, strings pass through). The
difference is how tensors are stacked: a batch of tensor samples becomes ONE device operation.
Samples that are views into the same storage with the same layout (``x[i]`` of a dataset
tensor, the common case) are gathered straight from that storage by their offsets; other
samples are stacked by one cached jitted call. Calling ``torch.stack`` per batch would record a
jax op per sample read, which costs more than the rest of a small training step.
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

np_str_obj_array_pattern = re.compile(r"[SaUO]")

default_collate_err_msg_format = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
    "found {}")


# ------------------------------------------------------------------ fast tensor stacking
@jax.jit
def _stack_values(values):
    return jnp.stack(values)


@functools.lru_cache(maxsize=512)
def _gather_fn(shape, stride):
    """A jitted gather of ``n`` strided blocks of ``shape``/``stride`` starting at the given
    offsets of a flat storage."""
    pattern = np.zeros(shape, dtype=np.int64)
    for k, (n, s) in enumerate(zip(shape, stride)):
        ax = [1] * len(shape)
        ax[k] = n
        pattern = pattern + np.arange(n, dtype=np.int64).reshape(ax) * s

    @jax.jit
    def gather(storage, offsets):
        idx = offsets.reshape((-1,) + (1,) * len(shape)) + pattern
        return storage.reshape(-1)[idx]
    return gather


def _same_storage_views(batch):
    """(storage array, shape, stride, offsets) when every sample is a view of one storage
    with one layout; None otherwise."""
    first = batch[0]
    st = getattr(first, "_storage", None)
    view = getattr(first, "_view", None)
    if st is None or view is None:
        return None
    shape, stride = view[0], view[1]
    offsets = []
    for t in batch:
        v = t._view
        if t._storage is not st or v is None or v[0] != shape or v[1] != stride:
            return None
        offsets.append(v[2])
    return st.array, tuple(shape), tuple(stride), np.asarray(offsets, dtype=np.int64)


def _stack_tensors(batch):
    """``torch.stack(batch, 0)`` as one device operation, or None to fall back to the op."""
    elem = batch[0]
    # (private attributes: this loop runs once per sample of every batch)
    shape, dtype, device = elem._shape, elem._dtype, elem._storage.device
    for t in batch:
        if t._requires_grad or t._shape != shape or t._dtype is not dtype or \
                t._storage.device is not device:
            # StackBackward0 must be recorded, or mixed samples: jtorch.stack gives torch's
            # error or promotion
            return None
    views = _same_storage_views(batch)
    if views is not None:
        storage, vshape, vstride, offsets = views
        out = _gather_fn(vshape, vstride)(storage, offsets)
    else:
        out = _stack_values(tuple(t._value() for t in batch))
    res = jtorch.Tensor._make(out, None, device)
    return res if res.dtype is dtype else None


# ------------------------------------------------------------------ per-type collate functions
def collate_tensor_fn(batch, *, collate_fn_map=None):
    if getattr(batch[0], "is_sparse", False):
        raise RuntimeError("Batches of sparse tensors are not currently supported by the default "
                           "collate_fn; please provide a custom collate_fn to handle them "
                           "appropriately.")
    out = _stack_tensors(batch)
    return out if out is not None else jtorch.stack(list(batch), 0)


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
        fields = {key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map)
                  for key in elem}
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
        return elem_type(*(collate(samples, collate_fn_map=collate_fn_map)
                           for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        it = iter(batch)
        elem_size = len(next(it))
        if not all(len(e) == elem_size for e in it):
            raise RuntimeError("each element in list of batch should be of equal size")
        transposed = list(zip(*batch))
        if isinstance(elem, tuple):
            return [collate(samples, collate_fn_map=collate_fn_map)
                    for samples in transposed]  # tuples become lists, as in torch
        try:
            if isinstance(elem, collections.abc.MutableSequence):
                clone = copy.copy(elem)
                for i, samples in enumerate(transposed):
                    clone[i] = collate(samples, collate_fn_map=collate_fn_map)
                return clone
            return elem_type([collate(samples, collate_fn_map=collate_fn_map)
                              for samples in transposed])
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
