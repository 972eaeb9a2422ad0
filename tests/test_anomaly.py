"""Issue 27, item 5: ``torch.autograd.detect_anomaly()`` / ``set_detect_anomaly(True)`` name
the backward function that produced NaN (torch's RuntimeError) and warn with the stack of
the forward call that recorded it (the warning's text up to torch's "(Triggered internally
...)" suffix), compared with torch where it is importable."""
import warnings

import pytest

import jtorch


def _nan_backward(lib, mode):
    """x / x at 0 gives a NaN gradient in DivBackward0's second output. ``mode``: where
    anomaly detection is on ("both": forward and backward, "backward": backward only,
    "set": set_detect_anomaly around both)."""
    x = lib.tensor([0.0, 1.0], requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if mode == "backward":
            z = (x / x).sum()
            ctx = lib.autograd.detect_anomaly()
        else:
            ctx = lib.autograd.detect_anomaly() if mode == "both" else \
                lib.autograd.set_detect_anomaly(True)
        with ctx:
            if mode != "backward":
                z = (x / x).sum()         # the forward line the warning names
            try:
                z.backward()
            except Exception as e:      # noqa: BLE001 (compared with torch's)
                error = e
            else:
                error = None
    messages = [str(w.message) for w in caught if "Error detected" in str(w.message)]
    return error, messages, z.grad_fn


def _strip_torch_suffix(message):
    return message.split(" (Triggered internally at")[0]


@pytest.mark.parametrize("mode", ["both", "set", "backward"])
def test_nan_error_and_warning(mode):
    error, messages, _ = _nan_backward(jtorch, mode)
    assert type(error) is RuntimeError
    assert str(error) == "Function 'DivBackward0' returned nan values in its 1th output."
    assert len(messages) == 1
    first = messages[0].split("\n")[0]
    if mode == "backward":
        assert first == ("Error detected in DivBackward0. No forward pass information "
                         "available. Enable detect anomaly during forward pass for more "
                         "information.")
        return
    assert first == "Error detected in DivBackward0. Traceback of forward call that caused " \
                    "the error:"
    # the stack ends at the user's forward line, with no jtorch frame in it
    assert messages[0].rstrip().endswith("z = (x / x).sum()         # the forward line the "
                                         "warning names")
    assert "/jtorch/" not in messages[0]


@pytest.mark.parametrize("mode", ["both", "set", "backward"])
def test_matches_torch(mode):
    torch = pytest.importorskip("torch")
    # one line for both: the stacks printed include this caller's line
    (t_err, t_msgs, t_fn), (j_err, j_msgs, j_fn) = [_nan_backward(m, mode) for m in (torch, jtorch)]
    assert type(j_err) is type(t_err)
    assert str(j_err) == str(t_err)
    assert [_strip_torch_suffix(m) for m in j_msgs] == [_strip_torch_suffix(m) for m in t_msgs]
    # the recorded stack, under torch's metadata key
    assert j_fn.metadata.get("traceback_") is not None or mode == "backward"
    assert (j_fn.metadata.get("traceback_") is None) == (t_fn.metadata.get("traceback_") is None)


def test_no_stack_kept_outside_anomaly_mode():
    x = jtorch.ones(2, requires_grad=True)
    assert "traceback_" not in (x * 2).grad_fn.metadata


def test_check_nan_false_lets_nan_through():
    x = jtorch.tensor([0.0, 1.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with jtorch.autograd.detect_anomaly(check_nan=False):
            (x / x).sum().backward()
    assert jtorch.isnan(x.grad).any()


def test_training_goes_on_after_the_error():
    """The error leaves grad mode and the anomaly flag as they were; a next backward runs."""
    x = jtorch.tensor([0.0, 1.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(RuntimeError, match="returned nan values"):
            with jtorch.autograd.detect_anomaly():
                (x / x).sum().backward()
    assert not jtorch.is_anomaly_enabled() and jtorch.is_grad_enabled()
    x.grad = None
    (x * 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]
