"""RNN, LSTM, GRU (layers, directions, batch_first, dropout, projections, PackedSequence) and
their cells, with torch's parameter names, initialisation order and errors. Each layer and
direction is one scanned op (``_ops/nn_rnn.py``); cells are compositions of ops as torch's."""
from __future__ import annotations

import math
import numbers
import warnings

import jtorch
from .. import functional as F
from .. import init
from ..parameter import Parameter
from ..utils.rnn import PackedSequence
from ..._ops import nn_rnn
from ._repr import changed
from .module import Module

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}
_OP_MODE = {"RNN_TANH": "tanh", "RNN_RELU": "relu", "LSTM": "lstm", "GRU": "gru"}


def _uniform_by_hidden_size(module):
    """torch's RNN and RNN-cell initialisation: every parameter, in registration order,
    drawn from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
    stdv = 1.0 / math.sqrt(module.hidden_size) if module.hidden_size > 0 else 0
    for weight in module.parameters():
        init.uniform_(weight, -stdv, stdv)


class RNNBase(Module):
    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, proj_size=0,
                 device=None, dtype=None):
        super().__init__()
        if (not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1 or
                isinstance(dropout, bool)):
            raise ValueError("dropout should be a number in range [0, 1] representing the "
                             "probability of an element being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so "
                          "non-zero dropout expects num_layers greater than 1, but got "
                          f"dropout={dropout} and num_layers={num_layers}", stacklevel=2)
        if not isinstance(hidden_size, int):
            raise TypeError(f"hidden_size should be of type int, got: "
                            f"{type(hidden_size).__name__}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable "
                             "projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        if proj_size and mode != "LSTM":
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        self.mode, self.input_size, self.hidden_size = mode, input_size, hidden_size
        self.num_layers, self.bias, self.batch_first = num_layers, bias, batch_first
        self.dropout, self.bidirectional = float(dropout), bidirectional
        self.proj_size = proj_size
        dirs = 2 if bidirectional else 1
        gate = _GATES[mode] * hidden_size
        real_hidden = proj_size or hidden_size
        self._flat_weights_names = []
        for layer in range(num_layers):
            for d in range(dirs):
                in_size = input_size if layer == 0 else real_hidden * dirs
                sfx = f"_l{layer}" + ("_reverse" if d else "")
                shapes = [("weight_ih", (gate, in_size)), ("weight_hh", (gate, real_hidden))]
                if bias:
                    shapes += [("bias_ih", (gate,)), ("bias_hh", (gate,))]
                if proj_size:
                    shapes.append(("weight_hr", (proj_size, hidden_size)))
                for name, shape in shapes:
                    setattr(self, name + sfx, Parameter(jtorch.empty(shape, dtype=dtype)))
                    self._flat_weights_names.append(name + sfx)
        self.reset_parameters()

    @property
    def _flat_weights(self):
        return [getattr(self, n) for n in self._flat_weights_names]

    @property
    def all_weights(self):
        per = len(self._flat_weights_names) // (self.num_layers * (2 if self.bidirectional
                                                                    else 1))
        w = self._flat_weights
        return [w[i:i + per] for i in range(0, len(w), per)]

    def flatten_parameters(self):
        pass

    def reset_parameters(self):
        _uniform_by_hidden_size(self)

    def extra_repr(self):
        return f"{self.input_size}, {self.hidden_size}" + changed(self, {
            "proj_size": 0, "num_layers": 1, "bias": True, "batch_first": False, "dropout": 0,
            "bidirectional": False})

    # -------------------------------------------------------------- forward
    def _layer_weights(self, layer, d):
        sfx = f"_l{layer}" + ("_reverse" if d else "")
        get = lambda n: getattr(self, n + sfx, None)  # noqa: E731
        return (get("weight_ih"), get("weight_hh"), get("bias_ih"), get("bias_hh"),
                get("weight_hr"))

    def _check_input(self, input, batch_sizes):
        if batch_sizes is None and input.dim() not in (2, 3):
            raise ValueError(f"{type(self).__name__}: Expected input to be 2D or 3D, got "
                             f"{input.dim()}D instead")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected "
                               f"{self.input_size}, got {input.shape[-1]}")

    def _check_hidden(self, hx, expected, what="hidden"):
        if tuple(hx.shape) != expected:
            raise RuntimeError(f"Expected {what} size {expected}, got {list(hx.shape)}")

    def _run(self, x, hx, mask, packed_sizes):
        """x: (T, B, I) time-major; hx: (h0, c0-or-None) of (L*D, B, H). Returns (out, h, c)."""
        dirs = 2 if self.bidirectional else 1
        mode = _OP_MODE[self.mode]
        h0, c0 = hx
        hs, cs = [], []
        for layer in range(self.num_layers):
            outs = []
            for d in range(dirs):
                k = layer * dirs + d
                res = nn_rnn._rnn_layer(x, h0[k], None if c0 is None else c0[k],
                                        *self._layer_weights(layer, d), mask, mode=mode,
                                        reverse=bool(d))
                outs.append(res[0])
                hs.append(res[1])
                if c0 is not None:
                    cs.append(res[2])
            x = outs[0] if dirs == 1 else jtorch.cat(outs, 2)
            if self.dropout and self.training and layer < self.num_layers - 1:
                x = self._dropout(x, packed_sizes)
        return x, jtorch.stack(hs, 0), (jtorch.stack(cs, 0) if cs else None)

    def _dropout(self, x, packed_sizes):
        if packed_sizes is None:
            return F.dropout(x, self.dropout, True)
        # torch drops out the packed data: the same number of draws, in packed order
        data = F.dropout(nn_rnn._pack_padded(x, packed_sizes, False), self.dropout, True)
        return nn_rnn._pad_packed(data, packed_sizes, x.shape[0], 0.0)

    def forward(self, input, hx=None):
        is_lstm = self.mode == "LSTM"
        packed = isinstance(input, PackedSequence)
        if packed:
            data, batch_sizes, sorted_indices, unsorted_indices = input
            self._check_input(data, batch_sizes)
            sizes = tuple(batch_sizes.tolist())
            x, mask = _padded(data, sizes)
            batch, batched = sizes[0], None      # None: no dimension check of hx
        else:
            self._check_input(input, None)
            sizes, mask, sorted_indices = None, None, None
            batched = input.dim() == 3
            x = input if batched else input.unsqueeze(1)
            if self.batch_first and batched:
                x = x.transpose(0, 1)
            batch = x.shape[1]
        hx = self._initial_state(hx, x.dtype, batch, batched, sorted_indices)
        out, h, c = self._run(x, hx, mask, sizes)
        if packed:
            out = PackedSequence(nn_rnn._pack_padded(out, sizes, False), batch_sizes,
                                 sorted_indices, unsorted_indices)
            if unsorted_indices is not None:
                h = h.index_select(1, unsorted_indices)
                c = c.index_select(1, unsorted_indices) if is_lstm else None
        elif not batched:
            out, h = out.squeeze(1), h.squeeze(1)
            c = c.squeeze(1) if is_lstm else None
        elif self.batch_first:
            # torch's RNN and GRU kernels transpose their output in place (TransposeBackward1)
            out = out.transpose(0, 1) if is_lstm else out.transpose_(0, 1)
        return (out, (h, c)) if is_lstm else (out, h)

    def _initial_state(self, hx, dtype, batch, batched, sorted_indices):
        """(h0, c0-or-None) of (layers * directions, batch, size): zeros, or ``hx`` checked,
        with a batch dimension when unbatched and in the packed batch order."""
        is_lstm = self.mode == "LSTM"
        layers = self.num_layers * (2 if self.bidirectional else 1)
        h_shape = (layers, batch, self.proj_size or self.hidden_size)
        c_shape = (layers, batch, self.hidden_size)
        if hx is None:
            h0 = jtorch.zeros(h_shape, dtype=dtype)
            return h0, (jtorch.zeros(c_shape, dtype=dtype) if is_lstm else None)
        h0, c0 = hx if is_lstm else (hx, None)
        if batched is not None:
            h0, c0 = self._batched_state(h0, c0, batched)
        if sorted_indices is not None:
            h0 = h0.index_select(1, sorted_indices)
            c0 = c0.index_select(1, sorted_indices) if is_lstm else None
        self._check_hidden(h0, h_shape, "hidden[0]" if is_lstm else "hidden")
        if is_lstm:
            self._check_hidden(c0, c_shape, "hidden[1]")
        return h0, c0

    def _batched_state(self, h0, c0, batched):
        """The given state's dimensions must match the input's; an unbatched one gains its
        batch dimension."""
        is_lstm = self.mode == "LSTM"
        want = 3 if batched else 2
        for t in ((h0, c0) if is_lstm else (h0,)):
            if t.dim() != want:
                kind = "batched 3-D" if batched else "unbatched 2-D"
                raise RuntimeError(f"For {kind} input, {'hx and cx' if is_lstm else 'hx'}"
                                   f" should also be {want}-D but got {t.dim()}-D "
                                   "tensor" + ("s" if is_lstm else ""))
        if not batched:
            h0 = h0.unsqueeze(1)
            c0 = c0.unsqueeze(1) if is_lstm else None
        return h0, c0


def _padded(data, sizes):
    """A packed sequence's data padded to (T, B, I), and the (T, B) mask of real steps."""
    batch = sizes[0]
    x = nn_rnn._pad_packed(data, sizes, len(sizes), 0.0)
    steps = jtorch.arange(len(sizes)).unsqueeze(1)
    lengths = jtorch.tensor([sum(1 for n in sizes if n > b) for b in range(batch)])
    return x, steps < lengths.unsqueeze(0)


class RNN(RNNBase):
    def __init__(self, *args, **kwargs):
        nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if len(args) > 3:
            nonlinearity = args[3]
            args = args[:3] + args[4:]
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or "
                             "'relu'.")
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", *args, **kwargs)
        self.nonlinearity = nonlinearity


class LSTM(RNNBase):
    def __init__(self, *args, **kwargs):
        super().__init__("LSTM", *args, **kwargs)


class GRU(RNNBase):
    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)


# ------------------------------------------------------------------ cells
class RNNCellBase(Module):
    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        self.weight_ih = Parameter(jtorch.empty((num_chunks * hidden_size, input_size),
                                                dtype=dtype))
        self.weight_hh = Parameter(jtorch.empty((num_chunks * hidden_size, hidden_size),
                                                dtype=dtype))
        if bias:
            self.bias_ih = Parameter(jtorch.empty(num_chunks * hidden_size, dtype=dtype))
            self.bias_hh = Parameter(jtorch.empty(num_chunks * hidden_size, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self):
        _uniform_by_hidden_size(self)

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}" + changed(self, {"bias": True})
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            s += f", nonlinearity={self.nonlinearity}"
        return s

    def _prepare(self, input, hx, n_states):
        name = type(self).__name__
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D "
                             "instead")
        states = hx if isinstance(hx, tuple) else (hx,)
        for h in states:
            if h is not None and input.dim() == 1 and h.dim() != 1:
                raise RuntimeError(f"{name}: Expected hidden to be 1D, got {h.dim()}D instead")
            if h is not None and input.dim() == 2 and h.dim() != 2:
                raise RuntimeError(f"{name}: Expected hidden to be 2D, got {h.dim()}D instead")
        batched = input.dim() == 2
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.shape[-1]} "
                               f"expected {self.input_size}")
        x = input if batched else input.unsqueeze(0)
        if hx is None:
            zeros = jtorch.zeros(x.shape[0], self.hidden_size, dtype=x.dtype)
            states = (zeros,) * n_states
        elif not batched:
            states = tuple(h.unsqueeze(0) for h in states)
        return x, states, batched

    def _gates(self, x, h):
        return F.linear(x, self.weight_ih, self.bias_ih), F.linear(h, self.weight_hh,
                                                                   self.bias_hh)


class RNNCell(RNNCellBase):
    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None,
                 dtype=None):
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        x, (h,), batched = self._prepare(input, hx, 1)
        gi, gh = self._gates(x, h)
        out = jtorch.tanh(gi + gh) if self.nonlinearity == "tanh" else jtorch.relu(gi + gh)
        return out if batched else out.squeeze(0)


class LSTMCell(RNNCellBase):
    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)

    def forward(self, input, hx=None):
        x, (h, c), batched = self._prepare(input, hx, 2)
        gi, gh = self._gates(x, h)
        i, f, g, o = (gi + gh).chunk(4, 1)
        cy = f.sigmoid() * c + i.sigmoid() * g.tanh()
        hy = o.sigmoid() * cy.tanh()
        return (hy, cy) if batched else (hy.squeeze(0), cy.squeeze(0))


class GRUCell(RNNCellBase):
    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)

    def forward(self, input, hx=None):
        x, (h,), batched = self._prepare(input, hx, 1)
        gi, gh = self._gates(x, h)
        i_r, i_z, i_n = gi.chunk(3, 1)
        h_r, h_z, h_n = gh.chunk(3, 1)
        r = (i_r + h_r).sigmoid()
        z = (i_z + h_z).sigmoid()
        n = (i_n + r * h_n).tanh()
        hy = (h - n) * z + n
        return hy if batched else hy.squeeze(0)
