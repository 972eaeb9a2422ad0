"""torch.nn.utils.rnn: PackedSequence and the pack/pad helpers, with torch's layouts
(data ordered time step by time step, batches sorted by decreasing length)."""
from __future__ import annotations

from typing import NamedTuple, Optional

import jtorch
from ..._ops import nn_rnn


class PackedSequence(NamedTuple):
    data: "jtorch.Tensor"
    batch_sizes: "jtorch.Tensor" = None
    sorted_indices: Optional["jtorch.Tensor"] = None
    unsorted_indices: Optional["jtorch.Tensor"] = None

    def to(self, *args, **kwargs):
        data = self.data.to(*args, **kwargs)
        return self if data is self.data else self._replace(data=data)

    def float(self):
        return self.to(jtorch.float32)

    def double(self):
        return self.to(jtorch.float64)

    @property
    def is_cuda(self):
        return self.data.is_cuda

    def is_pinned(self):
        return False


def invert_permutation(permutation):
    if permutation is None:
        return None
    out = jtorch.empty_like(permutation)
    out.scatter_(0, permutation, jtorch.arange(permutation.numel()))
    return out


def _batch_sizes(lengths):
    """Number of sequences still running at each time step (lengths sorted decreasing)."""
    return tuple(sum(1 for n in lengths if n > t) for t in range(lengths[0] if lengths else 0))


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    if not isinstance(input, jtorch.Tensor):        # (torch's _pack_padded_sequence parser)
        raise TypeError("_pack_padded_sequence(): argument 'input' (position 1) must be "
                        f"Tensor, not {type(input).__name__}")
    if not isinstance(lengths, jtorch.Tensor):        # (torch's as_tensor: its TypeError)
        lengths = jtorch.as_tensor(lengths, dtype=jtorch.int64)
    lengths = [int(n) for n in lengths.tolist()]
    if enforce_sorted:
        if any(a < b for a, b in zip(lengths, lengths[1:])):
            raise RuntimeError(
                "`lengths` array must be sorted in decreasing order when `enforce_sorted` is "
                "True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or "
                "pack_sequence to sidestep this requirement if you do not need ONNX "
                "exportability.")
        sorted_indices = None
    else:
        lens, sorted_indices = jtorch.sort(jtorch.tensor(lengths), descending=True)
        lengths = lens.tolist()
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    if lengths and lengths[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an "
                           "element in 'lengths' that is <= 0")
    batch_dim = 0 if batch_first else 1
    if len(lengths) != input.shape[batch_dim]:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got "
                           f"{len(lengths)} (batch_size={input.shape[batch_dim]})")
    sizes = _batch_sizes(lengths)
    data = nn_rnn._pack_padded(input, sizes, batch_first)
    return PackedSequence(data, jtorch.tensor(sizes, dtype=jtorch.int64), sorted_indices,
                          invert_permutation(sorted_indices))


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    sizes = tuple(sequence.batch_sizes.tolist())
    max_len = len(sizes)
    if total_length is not None:
        if total_length < max_len:
            raise ValueError(f"Expected total_length to be at least the length of the longest "
                             f"sequence in input, but got total_length={total_length} and max "
                             f"sequence length being {max_len}")
    else:
        total_length = max_len
    out = nn_rnn._pad_packed(sequence.data, sizes, total_length, float(padding_value))
    lengths = [sum(1 for n in sizes if n > b) for b in range(sizes[0] if sizes else 0)]
    lengths = jtorch.tensor(lengths, dtype=jtorch.int64)
    if batch_first:
        out = out.transpose(0, 1)
    if sequence.unsorted_indices is not None:
        out = out.index_select(0 if batch_first else 1, sequence.unsorted_indices)
        lengths = lengths[sequence.unsorted_indices]
    return out, lengths


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    if padding_side not in ("left", "right"):
        raise ValueError(f"Expected padding_side to be one of left or right, but got "
                         f"{padding_side}.")
    if isinstance(sequences, jtorch.Tensor):
        sequences = sequences.unbind(0)
    max_len = max(s.shape[0] for s in sequences)
    trailing = tuple(sequences[0].shape[1:])
    lead = (len(sequences), max_len) if batch_first else (max_len, len(sequences))
    out = jtorch.full(lead + trailing, padding_value, dtype=sequences[0].dtype)
    for i, s in enumerate(sequences):
        n = s.shape[0]
        rows = slice(0, n) if padding_side == "right" else slice(max_len - n, max_len)
        if batch_first:
            out[i, rows] = s
        else:
            out[rows, i] = s
    return out


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    if not batch_first:
        padded_sequences.transpose_(0, 1)    # torch transposes its argument in place
    steps = jtorch.arange(padded_sequences.shape[1])
    # a boolean mask, as torch (its node is IndexBackward0)
    return [seq[steps < int(n)] for seq, n in zip(padded_sequences, lengths)]


def pack_sequence(sequences, enforce_sorted=True):
    lengths = jtorch.tensor([s.shape[0] for s in sequences])
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences):
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
