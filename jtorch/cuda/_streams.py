"""Streams and events. XLA runs a device's work on its own compute stream, so a ``Stream``
here stands for that one stream: waits are no-ops and ``synchronize`` waits for the device.
``Event.record`` synchronizes and reads the host clock, so ``elapsed_time`` is the device
time between two records (plus the synchronize's small cost). Without a GPU, making one
raises as in torch's CPU build (library code still annotates with the names)."""
import time

import importlib

_device_mod = importlib.import_module("jtorch.device")  # (jtorch.device is the class)
from . import _state


class Stream:
    def __new__(cls, device=None, priority=0, **kwargs):
        if not _device_mod._gpus():
            raise RuntimeError("torch.cuda.Stream requires CUDA support")
        return super().__new__(cls)

    def __init__(self, device=None, priority=0, **kwargs):
        self.device_index = _state.index_of(device)
        self.priority = priority

    @property
    def device(self):
        return _device_mod.device("cuda", self.device_index)

    def synchronize(self):
        _state.synchronize(self.device_index)

    def query(self):
        self.synchronize()
        return True

    def wait_stream(self, stream):
        pass

    def wait_event(self, event):
        pass

    def record_event(self, event=None):
        event = Event() if event is None else event
        event.record(self)
        return event

    def __eq__(self, other):
        return isinstance(other, Stream) and other.device_index == self.device_index

    def __hash__(self):
        return hash(("cuda-stream", self.device_index))

    def __repr__(self):
        return f"<torch.cuda.Stream device=cuda:{self.device_index} cuda_stream=0x0>"


class Event:
    def __new__(cls, enable_timing=False, blocking=False, interprocess=False):
        if not _device_mod._gpus():
            raise RuntimeError("Tried to instantiate dummy base class Event")
        return super().__new__(cls)

    def __init__(self, enable_timing=False, blocking=False, interprocess=False):
        self.enable_timing = enable_timing
        self._time = None
        self._device = None

    def record(self, stream=None):
        self._device = stream.device_index if stream is not None else _state.current_device()
        _state.synchronize(self._device)
        self._time = time.perf_counter()

    def synchronize(self):
        if self._device is not None:
            _state.synchronize(self._device)

    def wait(self, stream=None):
        pass

    def query(self):
        return True

    def elapsed_time(self, end_event):
        if not (self.enable_timing and end_event.enable_timing):
            raise RuntimeError("Both events must be created with argument 'enable_timing=True'.")
        if self._time is None or end_event._time is None:
            raise RuntimeError("Both events must be recorded before calculating elapsed time.")
        return (end_event._time - self._time) * 1000.0


def current_stream(device=None):
    _state.require()
    return Stream(device)


default_stream = current_stream


def set_stream(stream):
    pass


class StreamContext:
    """``with torch.cuda.stream(s)``: runs the block (on the device's one stream)."""

    def __init__(self, stream):
        self.stream = stream

    def __enter__(self):
        return self.stream

    def __exit__(self, *exc):
        return False


def stream(stream):
    return StreamContext(stream)


class CUDAGraph:
    def __new__(cls, *args, **kwargs):
        raise RuntimeError("Tried to instantiate dummy base class CUDAGraph")


class graph:
    def __init__(self, cuda_graph, pool=None, stream=None, capture_error_mode="global"):
        raise RuntimeError("Tried to instantiate dummy base class CUDAGraph")
