"""torch.utils.tensorboard on jtorch: SummaryWriter writing TensorBoard event files through the
`tensorboard` package's own protobufs and record writer (an optional extra:
``pip install 'jtorch[tensorboard]'``)."""
try:
    import tensorboard as _tensorboard  # noqa: F401
except ImportError:
    # torch fails here with the same ModuleNotFoundError; the hint says how to get it
    raise ModuleNotFoundError(
        "No module named 'tensorboard': jtorch.utils.tensorboard (torch.utils.tensorboard) writes "
        "event files with the tensorboard package; install it with pip install "
        "'jtorch[tensorboard]' (or pip install tensorboard)", name="tensorboard") from None

from tensorboard.summary.writer.record_writer import RecordWriter  # noqa: E402

from .writer import FileWriter, SummaryWriter  # noqa: E402

__all__ = ["FileWriter", "RecordWriter", "SummaryWriter"]
